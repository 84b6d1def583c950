"""Opening a returned Word file without trusting it.

A .docx is a zip of XML parts.  Before anything is read:

* it must be a zip (a ``.doc`` renamed, a password-protected file — an OLE compound file with an
  ``EncryptedPackage`` stream — and any other file get their own message);
* part names may not leave the package (``..``, absolute paths, backslashes);
* the parts together may not unpack to more than :data:`MAX_TOTAL` bytes, nor any part to more than
  :data:`MAX_PART`, nor compress more than :data:`MAX_RATIO` times (a zip bomb);
* XML is parsed by lxml with entities unresolved, no DTD loaded and no network; a part that declares a
  DTD (``<!DOCTYPE``, the way to an XXE or a billion-laughs attack) is refused.

Every refusal is an :class:`ImportProblem` in Japanese; nothing is written.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

MAX_PART = 64 * 1024 * 1024
MAX_TOTAL = 256 * 1024 * 1024
MAX_RATIO = 200
MAX_PARTS = 2000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportProblem(Exception):
    """A returned file cannot be taken in (message in Japanese, naming the file)."""


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                          huge_tree=False, remove_blank_text=False)


class Package:
    """The parts of one .docx, read on demand."""

    def __init__(self, path):
        path = self.path = Path(path)
        self.name = path.name
        try:
            head = path.read_bytes()[:8] if path.is_file() else b""
        except OSError as exc:
            raise ImportProblem(f"{path}: 読めません（{exc.strerror or exc}）") from None
        if not path.is_file():
            raise ImportProblem(f"{path}: ファイルがありません")
        if head == OLE_MAGIC:
            raise ImportProblem(f"{path}: パスワードで保護されたファイルか、古い形式（.doc）の Word ファイルです。"
                                "パスワードを外し、Word の「名前を付けて保存」で「Word 文書（*.docx）」にしてから送ってください")
        if not zipfile.is_zipfile(path):
            raise ImportProblem(f"{path}: Word ファイル（.docx）ではありません（中身が zip 形式ではありません）")
        try:
            self.zip = zipfile.ZipFile(path)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise ImportProblem(f"{path}: Word ファイルが壊れています（{exc}）") from None
        if len(infos) > MAX_PARTS:
            raise ImportProblem(f"{path}: 部品が多すぎます（{len(infos)}個）。Word ファイルとして読めません")
        total = 0
        self.names: set[str] = set()
        for info in infos:
            name = info.filename
            pure = PurePosixPath(name)
            if "\\" in name or name.startswith("/") or ".." in pure.parts or ":" in name.split("/")[0]:
                raise ImportProblem(f"{path}: ファイルの中に不正な名前の部品があります（{name!r}）。取り込めません")
            if info.flag_bits & 0x1:
                raise ImportProblem(f"{path}: 暗号化された部品があります。パスワードを外してから送ってください")
            if info.file_size > MAX_PART or (info.compress_size and info.file_size / info.compress_size > MAX_RATIO
                                             and info.file_size > 1024 * 1024):
                raise ImportProblem(f"{path}: 展開すると極端に大きくなる部品があります（{name}）。取り込めません")
            total += info.file_size
            if total > MAX_TOTAL:
                raise ImportProblem(f"{path}: 展開すると大きすぎます。取り込めません")
            self.names.add(name)
        if "word/document.xml" not in self.names:
            raise ImportProblem(f"{path}: Word 文書の本文（word/document.xml）がありません。Word ファイルではないようです")
        for name in sorted(self.names):  # no part may declare a DTD, read or not
            if name.endswith((".xml", ".rels")):
                data = self.read(name) or b""
                if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                    raise ImportProblem(f"{path}: 部品 {name} に DTD や実体の宣言があります。安全のため取り込みません")

    def read(self, name: str) -> bytes | None:
        if name not in self.names:
            return None
        info = self.zip.getinfo(name)
        with self.zip.open(info) as f:
            data = f.read(MAX_PART + 1)
        if len(data) > MAX_PART:
            raise ImportProblem(f"{self.path}: 部品 {name} が大きすぎます")
        return data

    def xml(self, name: str):
        """The parsed root of a part (None when it is missing)."""
        data = self.read(name)
        if data is None:
            return None
        if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
            raise ImportProblem(f"{self.path}: 部品 {name} に DTD や実体の宣言があります。安全のため取り込みません")
        try:
            root = etree.fromstring(data, _PARSER)
        except etree.XMLSyntaxError as exc:
            raise ImportProblem(f"{self.path}: 部品 {name} の XML が壊れています（{exc.msg}）") from None
        if root.getroottree().docinfo.doctype:
            raise ImportProblem(f"{self.path}: 部品 {name} に DTD があります。安全のため取り込みません")
        return root

    def close(self) -> None:
        self.zip.close()
