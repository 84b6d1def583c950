"""The 新旧対照表 as PDF: A4 landscape, 改正後 on the left, 改正前 on the right."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

from .. import booklet as b
from ..revision import Comparison, Group
from . import fonts
from .pieces import text_line
from .styles import CELL, CELL_LABEL, H1, LABEL_BG, MUTED, TextStyle, tint
from .table import Cell, GroupedGrid, Row
from .text import CIRCLED, TextBlock
from .writer import _source_date

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 15 * mm
TEXT = replace(CELL, size=9.5, leading=1.6, space_after=2)
ITEM = replace(TEXT, left=9.5)
LABEL = TextStyle(font="heading", size=8.5, leading=1.4, align="left", color=MUTED, space_after=1)
GROUP = TextStyle(font="heading-bold", size=10, leading=1.4, align="left")
SIDE = TextStyle(font="heading-bold", size=10, leading=1.4, align="center")


def lines(spans: tuple[b.Span, ...]) -> list[list[b.Span]]:
    """The spans of each line (paragraph) of a field."""
    out: list[list[b.Span]] = [[]]
    for span in spans:
        for i, part in enumerate(span.text.split("\n")):
            if i:
                out.append([])
            if part:
                out[-1].append(b.Span(part, span.label, span.underline))
    return out


def _paragraph(spans: list[b.Span]) -> TextBlock:
    """One line of a field; a ・ or ① item hangs its mark in the left indent."""
    first = spans[0].text if spans else ""
    if first[:1] == "・" or (first[:1] and first[0] in CIRCLED):
        rest = [replace(spans[0], text=first[1:])] + spans[1:]
        return TextBlock(tuple(s for s in rest if s.text), ITEM, marker=first[0])
    return TextBlock(tuple(spans), TEXT)


def _cell(label: str, spans: tuple[b.Span, ...]) -> Cell:
    if not spans:
        return Cell([])
    return Cell([TextBlock((b.Span(label),), LABEL)] + [_paragraph(line) for line in lines(spans) if line])


def group_title(group: Group) -> str:
    return group.title + (f"　【{group.mark}】" if group.mark else "")


def _heading(text: str) -> Row:
    return Row([Cell([TextBlock((b.Span(text),), GROUP)], span=2, background=LABEL_BG)],
               keep_with_next=True, splittable=False)



def comparison_flowables(comparison: Comparison) -> list:
    accent = HexColor(comparison.accent)
    width = (PAGE_W - 2 * MARGIN) / 2
    head_bg = tint(accent, 0.18)
    columns = [Row([Cell([TextBlock((b.Span(side),), SIDE), TextBlock((b.Span(label),), CELL_LABEL)], background=head_bg)
                    for side, label in ((comparison.after_word, comparison.new_label), (comparison.before_word, comparison.old_label))],
                   splittable=False)]
    rows, continued = [], {}
    for group in comparison.groups:
        heading = _heading(group_title(group))
        continued[id(heading)] = (0, _heading(group_title(group) + comparison.continued))
        rows.append(heading)
        for row in group.rows:
            rows.append(Row([_cell(row.label, row.new), _cell(row.label, row.old)], splittable=False))
    h1 = replace(H1, align="center", size=15)
    return [TextBlock((b.Span(comparison.title),), h1),
            TextBlock((b.Span(comparison.summary()),), replace(CELL, align="center")),
            Spacer(1, 8), GroupedGrid([width, width], rows, columns, columns, continued)]


def write_comparison_pdf(comparison: Comparison, path) -> None:
    fonts.register()

    def footer(canv, doc):
        text_line(canv, f"- {canv.getPageNumber()} -", "heading", 9, PAGE_W / 2, MARGIN / 2, "center", MUTED)

    with _source_date(comparison.year, comparison.month):
        doc = BaseDocTemplate(str(path), pagesize=(PAGE_W, PAGE_H), title=comparison.title,
                              author=comparison.author, subject=comparison.summary(), creator="docgen",
                              lang="ja-JP", invariant=1, initialFontName=fonts.PDF_NAMES["body"],
                              initialFontSize=9.5)
        frame = Frame(MARGIN, MARGIN, PAGE_W - 2 * MARGIN, PAGE_H - 2 * MARGIN, 0, 0, 0, 0)
        doc.addPageTemplates([PageTemplate("page", [frame], onPageEnd=footer)])
        doc.build(comparison_flowables(comparison))
