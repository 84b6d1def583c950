"""The 新旧対照表 as Word: 改正後 on the left, 改正前 on the right, changed passages underlined.

Each group (a project, or the plan's text) is one table whose first two rows — the 改正後／改正前
header and the group's heading — repeat at the top of every page the group runs onto.
"""

from __future__ import annotations

import io
from datetime import datetime

import docx
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from ..booklet import Span
from ..revision import Comparison, Group
from . import oxml, styles
from .writer import LABEL_BG, _tint, save_package

WIDTHS = [133.5, 133.5]
LINE_CHARS = 44  # characters on a line of a column, roughly
SHORT_ROW = 12  # lines
MARKS = "・①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def write_comparison_docx(comparison: Comparison, path) -> None:
    document = docx.Document()
    oxml.reset_ids()
    styles.define(document, comparison.accent)
    changed = styles._style(document, "改正箇所", WD_STYLE_TYPE.CHARACTER, base=None)
    changed.font.underline = True
    styles.set_fonts(changed.element, styles.word_names()[0])
    _page(document.sections[0])
    body = document.element.body
    for child in list(body):
        if child.tag.endswith("}p"):
            body.remove(child)
    document.add_paragraph(comparison.title, style="Heading 1")
    document.add_paragraph(comparison.summary(), style="Normal")
    head_bg = _tint(comparison.accent.lstrip("#"), 0.18)
    for n, group in enumerate(comparison.groups):
        if n:
            document.add_paragraph(style="Normal").paragraph_format.space_after = Pt(6)
        _group_table(document, comparison, group, head_bg)
    props = document.core_properties
    props.title, props.author, props.subject = comparison.title, comparison.author, comparison.summary()
    props.language = "ja-JP"
    props.created = props.modified = datetime(comparison.year, comparison.month, 1)
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    save_package(buffer.getvalue(), path, (comparison.year, comparison.month, 1, 0, 0, 0), comparison.author)


def _page(section) -> None:
    """A4 landscape, the page number centred at the foot of every page."""
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    section.footer_distance = Mm(7)
    footer = section.footer.paragraphs[0]
    footer.style = "Footer"
    footer.add_run("- ")
    oxml.field(footer, "PAGE", "1")
    footer.add_run(" -")


def _group_table(document, comparison: Comparison, group: Group, head_bg: str):
    table = document.add_table(rows=2, cols=2)
    table.style = document.styles["Table Grid"]
    for cell, side, label in zip(table.rows[0].cells, (comparison.after_word, comparison.before_word),
                                 (comparison.new_label, comparison.old_label)):
        cell.paragraphs[0].style = document.styles["表項目"]
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        cell.paragraphs[0].add_run(side)
        cell.add_paragraph(label, style="表見出し")
        oxml.shade(cell, head_bg)
    heading = table.rows[1].cells[0].merge(table.rows[1].cells[1])
    heading.paragraphs[0].style = document.styles["表項目"]
    heading.paragraphs[0].add_run(group.title + (f"　【{group.mark}】" if group.mark else ""))
    oxml.shade(heading, LABEL_BG)
    for row in table.rows:
        oxml.row_flags(row, header=True, cant_split=True)
    for row in group.rows:
        added = table.add_row()
        for cell, spans in zip(added.cells, (row.new, row.old)):
            if spans:
                _field(document, cell, row.label, spans)
        if max(_estimated_lines(row.new), _estimated_lines(row.old)) <= SHORT_ROW:
            oxml.row_flags(added, cant_split=True)  # a short field moves to the next page whole
    oxml.fixed_widths(table, WIDTHS)
    oxml.cell_margins(table, 50, 100, 50, 100)
    return table


def _field(document, cell, label: str, spans) -> None:
    first = cell.paragraphs[0]
    first.style = document.styles["表小"]
    first.add_run(label).style = document.styles["ラベル"]
    for line in _lines(spans):
        if not line:
            continue
        p = cell.add_paragraph(style="表本文")
        if line[0].text[:1] in MARKS:  # ・ and ① hang, the text lines up after them
            p.paragraph_format.left_indent, p.paragraph_format.first_line_indent = Pt(9.5), Pt(-9.5)
        for span in line:
            run = p.add_run(span.text)
            if span.underline:
                run.style = document.styles["改正箇所"]


def _estimated_lines(spans) -> int:
    text = "".join(span.text for span in spans)
    return 1 + sum(1 + len(line) // LINE_CHARS for line in text.split("\n"))


def _lines(spans):
    """Split spans at line breaks: one Word paragraph per line of the field."""
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
