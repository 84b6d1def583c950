"""The 新旧対照表 as Word: a two-column table, 改正後 on the left, changed passages underlined."""

from __future__ import annotations

import io
from datetime import datetime

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Mm

from ..revision import Comparison
from . import oxml, styles
from .writer import LABEL_BG, _deterministic_zip, _tint


def write_comparison_docx(comparison: Comparison, path) -> None:
    document = docx.Document()
    oxml.reset_ids()
    styles.define(document, comparison.accent)
    changed = styles._style(document, "改正箇所", WD_STYLE_TYPE.CHARACTER, base=None)
    changed.font.underline = True
    styles.set_fonts(changed.element, styles.word_names()[0])
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}p"):
            body.remove(child)
    document.add_paragraph(comparison.title, style="Heading 1")
    document.add_paragraph(comparison.summary(), style="Normal")
    table = document.add_table(rows=1, cols=2)
    table.style = document.styles["Table Grid"]
    head_bg = _tint(comparison.accent.lstrip("#"), 0.18)
    for cell, text in zip(table.rows[0].cells, (f"改正後（{comparison.new_label}）",
                                                 f"改正前（{comparison.old_label}）")):
        cell.paragraphs[0].style = document.styles["表見出し"]
        cell.paragraphs[0].add_run(text)
        oxml.shade(cell, head_bg)
    oxml.row_flags(table.rows[0], header=True, cant_split=True)
    for group in comparison.groups:
        cells = table.add_row().cells
        merged = cells[0].merge(cells[1])
        p = merged.paragraphs[0]
        p.style = document.styles["表項目"]
        p.add_run(group.title + (f"　【{group.mark}】" if group.mark else ""))
        p.paragraph_format.keep_with_next = True
        oxml.shade(merged, LABEL_BG)
        for row in group.rows:
            cells = table.add_row().cells
            for cell, spans in zip(cells, (row.new, row.old)):
                label = cell.paragraphs[0]
                label.style = document.styles["表小"]
                label.add_run(f"（{row.label}）")
                for line_spans in _lines(spans):
                    p = cell.add_paragraph(style="表本文")
                    for span in line_spans:
                        run = p.add_run(span.text)
                        if span.underline:
                            run.style = document.styles["改正箇所"]
    oxml.fixed_widths(table, [133.5, 133.5])
    oxml.cell_margins(table, 50, 100, 50, 100)
    props = document.core_properties
    props.title, props.author, props.subject = comparison.title, comparison.author, comparison.summary()
    props.language = "ja-JP"
    props.created = props.modified = datetime(comparison.year, comparison.month, 1)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    _deterministic_zip(buffer.getvalue(), path, (comparison.year, comparison.month, 1, 0, 0, 0))


def _lines(spans):
    """Split spans at line breaks: one Word paragraph per line of the field."""
    from ..booklet import Span

    lines, current = [], []
    for span in spans:
        parts = span.text.split("\n")
        for i, part in enumerate(parts):
            if i:
                lines.append(current)
                current = []
            if part:
                current.append(Span(part, span.label, span.underline))
    lines.append(current)
    return lines
