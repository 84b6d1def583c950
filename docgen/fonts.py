"""Finding the fonts named in ``fonts/manifest.yaml`` and asking what they can draw.

Search order for each file: ``$DOCGEN_FONT_DIR`` (if set), the project's ``fonts/`` folder, then the
system font folders of Linux, Windows and macOS.  There is no silent fallback: a missing font is an
error that says where to get it.
"""

from __future__ import annotations

import hashlib
import os
import sys
from dataclasses import dataclass
from functools import cache
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
    path: Path | None
    digest: str | None

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


def _find_file(name: str) -> Path | None:
    for folder in search_dirs():
        if not folder.is_dir():
            continue
        direct = folder / name
        if direct.is_file():
            return direct
        for found in sorted(folder.rglob(name)):
            if found.is_file():
                return found
    return None


@cache
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@cache
def find_all() -> tuple[FoundFont, ...]:
    found = []
    for spec in manifest().values():
        path = _find_file(spec.file)
        found.append(FoundFont(spec, path, _digest(path) if path else None))
    return tuple(found)


def require() -> dict[str, Path]:
    """Path of every role's font, or :class:`FontsMissing` naming what to install."""
    found = find_all()
    missing = [f for f in found if f.path is None]
    if missing:
        raise FontsMissing(missing_message(missing))
    return {f.spec.role: f.path for f in found}


def missing_message(missing: list[FoundFont]) -> str:
    lines = ["フォントが見つかりません（代わりのフォントは使いません）:"]
    for f in missing:
        lines.append(f"  {f.spec.role}: {f.spec.family} ({f.spec.file})  入手先: {f.spec.source}")
    lines.append("Debian/Ubuntu では: apt-get install fonts-morisawa-bizud-mincho fonts-morisawa-bizud-gothic")
    lines.append(f"それ以外では TTF ファイルを {PROJECT_FONTS} に置いてください。")
    return "\n".join(lines)


@cache
def coverage(path: Path) -> frozenset[int]:
    """Code points the font file has glyphs for."""
    from reportlab.pdfbase.ttfonts import TTFontFile

    return frozenset(cp for cp, glyph in TTFontFile(str(path)).charToGlyph.items() if glyph)


def report() -> tuple[str, bool]:
    """The text printed by ``docgen fonts`` and whether every role is usable."""
    lines, ok = [], True
    for f in find_all():
        if f.path is None:
            ok = False
            lines.append(f"{f.spec.role:13} {f.spec.family:18} 見つかりません ({f.spec.file})")
            continue
        state = "マニフェストと一致" if f.matches else "マニフェストと異なる版 (SHA-256 不一致)"
        lines.append(f"{f.spec.role:13} {f.spec.family:18} {f.path}  {state}")
    if not ok:
        lines.append("")
        lines.append(missing_message([f for f in find_all() if f.path is None]))
    return "\n".join(lines), ok


if __name__ == "__main__":  # pragma: no cover
    text, ok = report()
    print(text)
    sys.exit(0 if ok else 1)
