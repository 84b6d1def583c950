"""Helpers for reading built PDFs in tests (pypdf and poppler's command-line tools)."""

from __future__ import annotations

import html
import re
from collections import Counter
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


def words(path: Path, page: int) -> list[tuple[float, float, str, float]]:
    """(x, y, text, right edge) of every word on a page (1-based), from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out)
    return [(float(x), float(y), html.unescape(t), float(x2)) for x, y, x2, t in found]


def column_texts(path: Path, page: int, columns: int) -> list[str]:
    """The text of each column of a table page, in reading order: the columns start where most
    words start (each cell's lines begin at its left padding).  A word that runs into the next
    column raises AssertionError."""
    found = words(path, page)
    starts = Counter(round(x, 1) for x, _, _, _ in found).most_common(columns)
    edges = sorted(x for x, _ in starts)
    out = []
    for k, left in enumerate(edges):
        right = edges[k + 1] if k + 1 < len(edges) else float("inf")
        cell = [w for w in sorted(found, key=lambda w: (w[1], w[0])) if left - 0.5 <= w[0] < right - 0.5]
        for x, y, text, x2 in cell:
            assert x2 < right - 1.0, f"page {page}: 「{text}」 runs into the next column"
        out.append("".join(w[2] for w in cell))
    return out
