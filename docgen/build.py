"""``docgen build``: load, compose once, render every requested format into the output folder.

Every file is first written into a staging folder next to the output; only when all of them are
written are they moved into place, so a failed build never replaces any of the last good files
and the PDF and Word editions never drift apart.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

from . import booklet as b
from .compose import compose_booklet, compose_briefing, compose_department, departments
from .load import load

FORMATS = ("pdf", "docx")


def _writers():
    from .docx.writer import write_docx
    from .pdf.writer import write_pdf

    return {"pdf": lambda doc, path, kind: write_pdf(doc, path, numbered=kind == "booklet",
                                                     briefing=kind == "briefing"),
            "docx": write_docx}


def build(content: str | Path, output: str | Path, formats: tuple[str, ...] = FORMATS,
          split_by: str | None = None) -> list[Path]:
    plan = load(content)
    jobs: list[tuple[b.Document, str, str]] = [(compose_booklet(plan), "booklet", "")]
    briefing = compose_briefing(plan)
    if briefing is not None:
        jobs.append((briefing, "briefing", ""))
    if split_by == "department":
        jobs += [(compose_department(plan, name), "department", "departments")
                 for name in departments(plan)]
    out_dir = Path(output)
    out_dir.mkdir(parents=True, exist_ok=True)
    writers = _writers()
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out_dir))
    try:
        planned: list[tuple[Path, Path]] = []
        for fmt in formats:
            for document, kind, folder in jobs:
                name = safe_file_name(document.slug) + "." + fmt
                staged = staging / folder / name
                staged.parent.mkdir(parents=True, exist_ok=True)
                writers[fmt](document, staged, kind)
                planned.append((staged, out_dir / folder / name))
        for staged, final in planned:
            final.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, final)
        return [final for _, final in planned]
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def safe_file_name(name: str) -> str:
    """A name as a file name on Windows, macOS and Linux alike."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "_"
