"""A project card (個別事業): heading band, the card table, and its ※ notes."""

from __future__ import annotations

from dataclasses import replace
from math import ceil

from reportlab.lib.colors import HexColor
from reportlab.platypus import Spacer

from .. import booklet as b
from .blocks import flowables
from .fonts import string_width
from .pieces import Heading
from .styles import (CARD_LABEL_W, CARD_NAME_LABEL_W, CARD_NUMBER_W, CARD_SCHEDULE_COLUMNS, CELL, CELL_LABEL,
                     FRAME_W, LABEL_BG, NOTE, TextStyle, tint)
from .table import Cell, Grid, Row
from .text import PageOf, TextBlock

BAND = TextStyle(font="heading-bold", size=10.5, leading=1.5, align="left")
BAND_ITEM = TextStyle(font="heading", size=10, leading=1.5, align="left")
BAND_SPACE = 4.0  # below the band's last line
NAME = TextStyle(font="heading-bold", size=11, leading=1.45, align="left", phrases=True)
NUMBER = TextStyle(font="heading-bold", size=11, leading=1.45, align="center")
YEAR = TextStyle(font="heading", size=9.5, leading=1.4, align="center", phrases=True)
ENTRY = replace(CELL, align="left", space_after=1.5, phrases=True)
FIELD = replace(CELL, space_after=2)
LIST_ITEM = replace(CELL, left=CELL.size, space_after=1.5)
PAD = 4.0 + 4.0 + 1.0  # a cell's left and right padding, and a little air


def _label(text: str) -> Cell:
    return Cell([TextBlock((b.Span(text),), CELL_LABEL)], background=LABEL_BG, valign="middle", repeat=True)


class Columns:
    """The card's columns: the label column, then the content width cut wherever some row needs an
    edge (the title row's number and 事業名 cells, the year columns of a schedule)."""

    def __init__(self, content: float, edges: list[float]):
        cuts = [0.0]
        for edge in sorted(edges):
            if 1.0 < edge < content - 1.0 and edge - cuts[-1] > 1.0:  # no column under a point wide
                cuts.append(edge)
        self.cuts = cuts + [content]
        self.widths = [CARD_LABEL_W] + [b - a for a, b in zip(self.cuts, self.cuts[1:])]

    def _index(self, x: float) -> int:
        return min(range(len(self.cuts)), key=lambda k: abs(self.cuts[k] - x))

    def span(self, a: float, z: float) -> int:
        """Grid columns between the content edges ``a`` and ``z``."""
        return max(1, self._index(z) - self._index(a))

    @property
    def all(self) -> int:
        return len(self.cuts) - 1


def _schedule_shape(schedule: b.CardSchedule) -> tuple[int, int]:
    """(rows, columns per row): at most CARD_SCHEDULE_COLUMNS side by side, the rows evenly filled
    (7 years: 4 + 3, 11: 4 + 4 + 3)."""
    n = max(1, len(schedule.years))
    rows = ceil(n / CARD_SCHEDULE_COLUMNS)
    return rows, ceil(n / rows)


def _schedule_rows(schedule: b.CardSchedule, cols: Columns, content: float, year_bg) -> list[Row]:
    """Year headers, then entries, per row of years; the label spans all of them (its cell is left
    open below)."""
    lines, per = _schedule_shape(schedule)
    step = content / per
    out: list[Row] = []
    for r in range(lines):
        years = schedule.years[r * per:(r + 1) * per]
        yearly = (list(schedule.yearly[r * per:(r + 1) * per]) + [()] * per)[:len(years)]
        spans = [cols.span(k * step, (k + 1) * step) for k in range(len(years))]
        rest = cols.all - sum(spans)  # the last row's empty columns
        label = _label(schedule.label) if r == 0 else Cell([], background=LABEL_BG)
        label.open_top, label.open_bottom = r > 0, True
        heads = [Cell([TextBlock((b.Span(y),), YEAR)], span=s, background=year_bg, valign="middle")
                 for y, s in zip(years, spans)]
        if rest:
            heads.append(Cell([], span=rest, open_bottom=True))
        out.append(Row([label] + heads, keep_with_next=True, splittable=False))
        below = Cell([], background=LABEL_BG, open_top=True, open_bottom=r < lines - 1)
        entries = [Cell([TextBlock((b.Span(line),), ENTRY) for line in entry], span=s)
                   for entry, s in zip(yearly, spans)]
        if rest:
            entries.append(Cell([], span=rest, open_top=True))
        out.append(Row([below] + entries))
    return out


def _field_content(field: b.CardField, accent: str, page_of: PageOf | None) -> list:
    out: list = []
    previous = None
    for block in field.blocks:
        if previous is not None and (isinstance(block, b.Table) or isinstance(previous, b.Table)):
            out.append(Spacer(1, 3))
        out += flowables(block, FIELD, accent, page_of, LIST_ITEM)
        previous = block
    return out


def card_flowables(card: b.Card, accent: str, anchors: dict, anchor_marker, page_of: PageOf | None = None) -> list:
    accent_c = HexColor(accent)
    # the band: one line per level of the hierarchy, the first in the accent colour
    styles = [replace(BAND, color=accent_c)] + [BAND_ITEM] * (len(card.band) - 1)
    styles[-1] = replace(styles[-1], space_after=BAND_SPACE)
    band: list = []
    for k, (line, style) in enumerate(zip(card.band, styles)):
        if k == 0 and card.heading is not None:
            band.append(Heading(card.heading, style, anchors, 1))
        else:
            band.append(TextBlock((b.Span(line),), style))
        if k == 0:
            band.append(anchor_marker)
    if not card.band:  # a plan without groups
        band = ([Heading(card.heading, styles[0], anchors, 1)] if card.heading else []) + [anchor_marker]
    # no keep-with-next: a card starts a fresh page, and reportlab would move a card taller than
    # the rest of the page to the next one whole, leaving its band alone

    labels = card.labels
    content = FRAME_W - CARD_LABEL_W
    number_w = min(max(CARD_NUMBER_W, string_width(card.number, NUMBER.font, NUMBER.size) + PAD), content / 3)
    name_label_w = min(max(CARD_NAME_LABEL_W, string_width(labels.get("事業名", ""), CELL_LABEL.font,
                                                          CELL_LABEL.size) + PAD), content / 4)
    edges = [number_w, number_w + name_label_w]
    for field in card.fields:
        if isinstance(field, b.CardSchedule):
            per = _schedule_shape(field)[1]
            edges += [content * k / per for k in range(1, per)]
    cols = Columns(content, edges)

    def title_row(suffix: str = "") -> Row:
        spans = ((b.Span(card.status, True),) if card.status else ()) + (
            (b.Span(card.priority_label, True),) if card.priority_label else ()) + (b.Span(card.name + suffix),)
        return Row([
            _label(labels.get("事業番号", "")),
            Cell([TextBlock((b.Span(card.number),), NUMBER)], span=cols.span(0, number_w), valign="middle"),
            _label(labels.get("事業名", "")),
            Cell([TextBlock(spans, NAME)], span=cols.span(number_w + name_label_w, content), valign="middle"),
        ], splittable=False)

    def whole(flowables_: list) -> Cell:
        return Cell(flowables_, span=cols.all)

    rows = []
    if card.departments:
        rows.append(Row([_label(labels.get("所管課", "")), whole([TextBlock((b.Span(card.departments),), CELL)])]))
    if card.status and card.status_note:
        rows.append(Row([_label(labels.get("状況", "")),
                         whole([TextBlock((b.Span(card.status, True), b.Span(card.status_note)), CELL)])],
                        splittable=False))
    year_bg = tint(accent_c, 0.10)
    for field in card.fields:
        if isinstance(field, b.CardSchedule):
            rows += _schedule_rows(field, cols, content, year_bg)
        else:
            rows.append(Row([_label(field.label), whole(_field_content(field, accent, page_of))]))
    table = Grid(cols.widths, rows, header=[title_row()], repeat=[title_row(labels.get("続き", ""))])
    out = band + [table]
    if card.notes:
        out.append(Spacer(1, 4))
        for note in card.notes:
            spans = (b.Span(note.term, True), b.Span(card.note_separator + note.definition))
            out.append(TextBlock(spans, replace(NOTE, left=NOTE.size, space_after=1), marker=card.note_mark))
    return out
