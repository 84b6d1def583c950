"""``docgen build``: load, compose once, render every requested format into the output folder."""

from __future__ import annotations

from pathlib import Path

import re

from .compose import compose_booklet, compose_briefing, compose_department, departments
from .load import load

FORMATS = ("pdf", "docx")


def build(content: str | Path, output: str | Path, formats: tuple[str, ...] = FORMATS,
          split_by: str | None = None) -> list[Path]:
    plan = load(content)
    booklet = compose_booklet(plan)
    briefing = compose_briefing(plan)
    out_dir = Path(output)
    written: list[Path] = []
    if "pdf" in formats:
        from .pdf.writer import write_pdf

        path = out_dir / f"{booklet.slug}.pdf"
        write_pdf(booklet, path)
        written.append(path)
        if briefing is not None:
            path = out_dir / f"{briefing.slug}.pdf"
            write_pdf(briefing, path, numbered=False, briefing=True)
            written.append(path)
    if "docx" in formats:
        from .docx.writer import write_docx

        path = out_dir / f"{booklet.slug}.docx"
        write_docx(booklet, path)
        written.append(path)
        if briefing is not None:
            path = out_dir / f"{briefing.slug}.docx"
            write_docx(briefing, path, kind="briefing")
            written.append(path)
        if split_by == "department":
            for name in departments(plan):
                path = out_dir / "departments" / f"{safe_file_name(name)}.docx"
                write_docx(compose_department(plan, name), path, kind="department")
                written.append(path)
    return written


def safe_file_name(name: str) -> str:
    """A department name as a file name on Windows, macOS and Linux alike."""
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", name).strip(" .") or "_"
