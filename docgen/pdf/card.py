"""A project card (個別事業): heading band, the card table, and its ※ notes."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from .. import booklet as b
from .styles import CELL, CELL_LABEL, FRAME_W, LABEL_BG, NOTE, TextStyle, tint
from .pieces import Heading
from .table import Cell, Grid, Row
from .text import TextBlock, block_flowables

LABEL_W = 29 * mm
BAND = TextStyle(font="heading-bold", size=10.5, leading=1.5, align="left")
BAND_ITEM = TextStyle(font="heading", size=10, leading=1.5, align="left", space_after=4)
NAME = TextStyle(font="heading-bold", size=11, leading=1.45, align="left", phrases=True)
NUMBER = TextStyle(font="heading-bold", size=11, leading=1.45, align="center")
YEAR = TextStyle(font="heading", size=9.5, leading=1.4, align="center")
LIST_ITEM = replace(CELL, left=CELL.size, space_after=1.5)


def _label(text: str) -> Cell:
    return Cell([TextBlock((b.Span(text),), CELL_LABEL)], background=LABEL_BG, valign="middle", repeat=True)


def widths() -> list[float]:
    year = (FRAME_W - LABEL_W) / 3
    return [LABEL_W, 17 * mm, 17 * mm, year - 34 * mm, year, year]


def card_flowables(card: b.Card, accent: str, anchors: dict, anchor_marker) -> list:
    accent_c = HexColor(accent)
    band_style = replace(BAND, color=accent_c)
    first = (Heading(card.heading, band_style, anchors, 1) if card.heading
             else TextBlock((b.Span(card.band[0]),), band_style))
    # no keep-with-next: a card starts a fresh page, and reportlab would move a card taller than
    # the rest of the page to the next one whole, leaving its band alone
    band = [first, anchor_marker, TextBlock((b.Span(card.band[1]),), BAND_ITEM)]

    def title_row(suffix: str = "") -> Row:
        spans = ((b.Span(card.status, True),) if card.status else ()) + (
            (b.Span(card.priority_label, True),) if card.priority_label else ()) + (b.Span(card.name + suffix),)
        return Row([
            _label(card.labels["事業番号"]),
            Cell([TextBlock((b.Span(card.number),), NUMBER)], valign="middle"),
            _label(card.labels["事業名"]),
            Cell([TextBlock(spans, NAME)], span=3, valign="middle"),
        ], splittable=False)

    rows = [Row([_label(card.labels["所管課"]),
                 Cell([TextBlock((b.Span(card.departments),), CELL)], span=5)])]
    if card.status and card.status_note:
        rows.append(Row([_label(card.labels["状況"]),
                         Cell([TextBlock((b.Span(card.status, True), b.Span(card.status_note)), CELL)], span=5)],
                        splittable=False))
    for field in card.fields:
        content = []
        for block in field.blocks:
            content += block_flowables(block, replace(CELL, space_after=2), LIST_ITEM)
        rows.append(Row([_label(field.label), Cell(content, span=5)]))
    schedule_label = _label(card.labels["実施工程表"])
    schedule_label.open_bottom = True
    year_bg = tint(accent_c, 0.10)
    rows.append(Row([schedule_label] + [
        Cell([TextBlock((b.Span(y),), YEAR)], span=3 if i == 0 else 1, background=year_bg, valign="middle")
        for i, y in enumerate(card.years)], keep_with_next=True, splittable=False))
    below = Cell([], background=LABEL_BG)
    below.open_top = True
    rows.append(Row([below] + [
        Cell([TextBlock((b.Span(line),), replace(CELL, align="left", space_after=1.5, phrases=True)) for line in lines],
             span=3 if i == 0 else 1)
        for i, lines in enumerate(card.yearly)]))
    table = Grid(widths(), rows, header=[title_row()], repeat=[title_row(card.labels["続き"])])
    out = band + [table]
    if card.notes:
        out.append(Spacer(1, 4))
        for note in card.notes:
            spans = (b.Span(note.term, True), b.Span(card.note_separator + note.definition))
            out.append(TextBlock(spans, replace(NOTE, left=NOTE.size, space_after=1), marker=card.note_mark))
    return out
