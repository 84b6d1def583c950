"""The 新旧対照表 as PDF: A4 landscape, 改正後 on the left, 改正前 on the right."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Spacer

from .. import booklet as b
from ..revision import Comparison
from . import fonts
from .pieces import text_line
from .styles import CELL, CELL_LABEL, H1, LABEL_BG, MUTED, TextStyle, tint
from .table import Cell, Grid, Row
from .text import TextBlock
from .writer import _source_date

PAGE_W, PAGE_H = landscape(A4)
MARGIN = 15 * mm
TEXT = replace(CELL, size=9.5, leading=1.6)
LABEL = TextStyle(font="heading", size=8.5, leading=1.4, align="left", color=MUTED)
GROUP = TextStyle(font="heading-bold", size=10, leading=1.4, align="left")


def _cell(label: str, spans: tuple[b.Span, ...]) -> Cell:
    content = [TextBlock((b.Span(f"（{label}）"),), LABEL)]
    if spans:
        content.append(TextBlock(spans, TEXT))
    return Cell(content)


def comparison_flowables(comparison: Comparison) -> list:
    accent = HexColor(comparison.accent)
    width = (PAGE_W - 2 * MARGIN) / 2
    head_bg = tint(accent, 0.18)
    header = [Row([Cell([TextBlock((b.Span(f"改正後（{comparison.new_label}）"),), CELL_LABEL)], background=head_bg),
                   Cell([TextBlock((b.Span(f"改正前（{comparison.old_label}）"),), CELL_LABEL)], background=head_bg)],
                  splittable=False)]
    rows = []
    for group in comparison.groups:
        title = group.title + (f"　【{group.mark}】" if group.mark else "")
        rows.append(Row([Cell([TextBlock((b.Span(title),), GROUP)], span=2, background=LABEL_BG)],
                        keep_with_next=True, splittable=False))
        for row in group.rows:
            rows.append(Row([_cell(row.label, row.new), _cell(row.label, row.old)]))
    h1 = replace(H1, align="center", size=15)
    return [TextBlock((b.Span(comparison.title),), h1),
            TextBlock((b.Span(comparison.summary()),), replace(CELL, align="center")),
            Spacer(1, 8), Grid([width, width], rows, header=header)]


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
