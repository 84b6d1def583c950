"""Finding the fonts named in ``fonts/manifest.yaml`` and asking what they can draw.

Search order for each file: ``$DOCGEN_FONT_DIR`` (if set), the project's ``fonts/`` folder, then the
system font folders of Linux, Windows and macOS.  There is no silent fallback: a missing font is an
error that says where to get it.

Every file found is checked before it is used: a file whose SHA-256 is the manifest's is the known
font; any other must be a whole TrueType font (its tables inside the file, readable by reportlab).
A broken file (empty, cut short, not a font) is shown by ``docgen fonts`` and skipped for the next
file of the same name (the system's copy, say); when no file of a role is usable,
:class:`FontsMissing` names the broken ones.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import yaml

PROJECT_FONTS = Path(__file__).resolve().parent.parent / "fonts"
MANIFEST = PROJECT_FONTS / "manifest.yaml"


@dataclass(frozen=True)
class FontSpec:
    role: str
    family: str
    word_name: str
    file: str
    sha256: str
    source: str
    license: str


@dataclass(frozen=True)
class FoundFont:
    spec: FontSpec
    path: Path | None  # the file used: the first usable one in search order
    digest: str | None
    broken: tuple[tuple[Path, str], ...] = ()  # files of that name skipped, and why (Japanese)

    @property
    def matches(self) -> bool:
        return self.digest == self.spec.sha256


class FontsMissing(Exception):
    """A font role has no file: the message says what to install and where to put it."""


def manifest() -> dict[str, FontSpec]:
    data = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return {role: FontSpec(role=role, **fields) for role, fields in data.items()}


def search_dirs() -> list[Path]:
    dirs: list[Path] = []
    if os.environ.get("DOCGEN_FONT_DIR"):
        dirs.append(Path(os.environ["DOCGEN_FONT_DIR"]))
    dirs.append(PROJECT_FONTS)
    home = Path.home()
    dirs += [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
             home / ".local/share/fonts", home / ".fonts"]
    windir = os.environ.get("WINDIR", r"C:\Windows")
    dirs += [Path(windir) / "Fonts"]
    if os.environ.get("LOCALAPPDATA"):
        dirs.append(Path(os.environ["LOCALAPPDATA"]) / "Microsoft/Windows/Fonts")
    dirs += [Path("/Library/Fonts"), home / "Library/Fonts", Path("/System/Library/Fonts")]
    return dirs


MAX_FONT_BYTES = 100_000_000  # the BIZ UD fonts are about 6 MB


def _find_files(name: str) -> Iterator[Path]:
    """Every file of that name, in search order (a folder's own file before its subfolders')."""
    seen: set[Path] = set()
    for folder in search_dirs():
        try:
            if not folder.is_dir():
                continue
            direct = folder / name
            candidates = ([direct] if direct.is_file() else []) + sorted(folder.rglob(name))
        except OSError:  # an unreadable folder: nothing found there
            continue
        for path in candidates:
            try:
                if not path.is_file() or path.resolve() in seen:
                    continue
                seen.add(path.resolve())
            except OSError:
                continue
            yield path


def _find_file(name: str) -> Path | None:
    return next(_find_files(name), None)


@cache
def _digest(path: Path) -> str:
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def font_problem(path: Path) -> str | None:
    """Why the file cannot be used as a TrueType font (Japanese), or None when it can."""
    try:
        size = path.stat().st_size
        if size == 0:
            return "空のファイルです"
        if size > MAX_FONT_BYTES:
            return f"フォントにしては大きすぎます（{size:,}バイト）"
        with open(path, "rb") as handle:
            head = handle.read(12)
            if len(head) < 12:
                return f"途中で切れています（{size:,}バイトしかありません）"
            version, count = struct.unpack(">4sH", head[:6])
            if version == b"OTTO":
                return "PostScript（CFF）の OpenType で、TrueType ではありません"
            if version not in (b"\x00\x01\x00\x00", b"true", b"ttcf"):
                return "TrueType フォントではありません"
            if version != b"ttcf":  # every table must lie inside the file
                directory = handle.read(16 * count)
                if len(directory) < 16 * count:
                    return f"途中で切れています（{size:,}バイトで、表の目次が終わっていません）"
                for i in range(count):
                    tag, _, offset, length = struct.unpack(">4sIII", directory[16 * i:16 * i + 16])
                    if offset + length > size:
                        name = tag.decode("latin-1").strip()
                        return f"途中で切れています（{size:,}バイトしかなく、表「{name}」は{offset + length:,}バイト目まであるはずです）"
        from reportlab.pdfbase.ttfonts import TTFontFile

        TTFontFile(str(path))
    except OSError as exc:
        return f"読めません（{exc.strerror or exc}）"
    except Exception as exc:  # struct.error, TTFError …: whatever reportlab finds wrong
        return f"TrueType フォントとして読めません（{type(exc).__name__}）"
    return None


def _choose(spec: FontSpec) -> FoundFont:
    broken: list[tuple[Path, str]] = []
    for path in _find_files(spec.file):
        try:
            digest = _digest(path)
        except OSError as exc:
            broken.append((path, f"読めません（{exc.strerror or exc}）"))
            continue
        problem = None if digest == spec.sha256 else font_problem(path)
        if problem is None:
            return FoundFont(spec, path, digest, tuple(broken))
        broken.append((path, problem))
    return FoundFont(spec, None, None, tuple(broken))


@cache
def find_all() -> tuple[FoundFont, ...]:
    return tuple(_choose(spec) for spec in manifest().values())


def require() -> dict[str, Path]:
    """Path of every role's font, or :class:`FontsMissing` naming what to install."""
    found = find_all()
    missing = [f for f in found if f.path is None]
    if missing:
        raise FontsMissing(missing_message(missing))
    return {f.spec.role: f.path for f in found}


def missing_message(missing: list[FoundFont]) -> str:
    broken = any(f.broken for f in missing)
    lines = ["使えるフォントが見つかりません（代わりのフォントは使いません）:" if broken
             else "フォントが見つかりません（代わりのフォントは使いません）:"]
    for f in missing:
        lines.append(f"  {f.spec.role}: {f.spec.family} ({f.spec.file})  入手先: {f.spec.source}")
        for path, problem in f.broken:
            lines.append(f"    壊れたファイル: {path}: {problem}。消すか、正しいファイルに置き換えてください")
    lines.append("Debian/Ubuntu では: apt-get install fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic")
    lines.append(f"それ以外では TTF ファイルを {PROJECT_FONTS} に置いてください。")
    return "\n".join(lines)


@lru_cache(maxsize=16)
def face(path: Path):
    """The parsed font file (reportlab's TTFontFace), once per process: checking the characters of
    the content and setting the PDF read the same file (parsing a BIZ UD face takes 40–80 ms)."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    return TTFontFace(str(path))


@cache
@lru_cache(maxsize=16)
def coverage(path: Path) -> frozenset[int]:
    """Code points the font file has glyphs for."""
    return frozenset(cp for cp, glyph in face(path).charToGlyph.items() if glyph)


def report() -> tuple[str, bool]:
    """The text printed by ``docgen fonts`` and whether every role is usable."""
    lines, ok = [], True
    for f in find_all():
        for path, problem in f.broken:
            lines.append(f"{f.spec.role:18} {f.spec.family:18} {path}  壊れています: {problem}。使いません")
        if f.path is None:
            ok = False
            what = "使えるファイルがありません" if f.broken else "見つかりません"
            lines.append(f"{f.spec.role:18} {f.spec.family:18} {what} ({f.spec.file})")
            continue
        state = "マニフェストと一致" if f.matches else "マニフェストと異なる版 (SHA-256 不一致)"
        lines.append(f"{f.spec.role:18} {f.spec.family:18} {f.path}  {state}")
    if not ok:
        lines.append("")
        lines.append(missing_message([f for f in find_all() if f.path is None]))
    return "\n".join(lines), ok


if __name__ == "__main__":  # pragma: no cover
    text, ok = report()
    print(text)
    sys.exit(0 if ok else 1)
