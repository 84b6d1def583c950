"""Helpers for reading built PDFs in tests (pypdf and poppler's command-line tools)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from pypdf import PdfReader


def pdftotext(path: Path, first: int | None = None, last: int | None = None, layout: bool = False) -> str:
    cmd = ["pdftotext", "-enc", "UTF-8"]
    if first:
        cmd += ["-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    if layout:
        cmd.append("-layout")
    return subprocess.run(cmd + [str(path), "-"], check=True, capture_output=True, text=True).stdout


def pages_text(path: Path) -> list[str]:
    """Text of each page (pdftotext, one call; pages are separated by form feeds)."""
    return pdftotext(path).split("\f")


def squash(text: str) -> str:
    """Text with all whitespace removed, to find phrases that wrap across lines."""
    return re.sub(r"\s+", "", text)


def pdffonts(path: Path) -> list[dict]:
    out = subprocess.run(["pdffonts", str(path)], check=True, capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        if len(parts) < 7:
            continue
        # name type... emb sub uni object ID: the last five columns are emb sub uni num gen
        rows.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return rows


def outline_titles(reader: PdfReader) -> list[str]:
    out: list[str] = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                out.append(item.title)
    walk(reader.outline)
    return out
