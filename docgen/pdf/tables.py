"""The system table (施策の体系), the count table (項目別事業数) and the glossary table."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm

from .. import booklet as b
from .pieces import ScheduleBars
from .styles import CELL, CELL_LABEL, CELL_SMALL, FRAME_W, LABEL_BG, MUTED, NOTE, TextStyle, tint
from .table import Cell, Grid, Row
from .text import LinkedText, TextBlock

HEAD = replace(CELL_LABEL, size=8, leading=1.3)
NUM = TextStyle(font="heading", size=8.5, leading=1.4, align="center")
POLICY = TextStyle(font="heading-bold", size=10, leading=1.5, align="left", color=white)
ITEM = TextStyle(font="heading-bold", size=9, leading=1.45, align="left")
DESC = replace(NOTE, size=8.5)
TIGHT = (1.5, 2.0, 1.5, 2.0)


def _t(text: str, style: TextStyle, label: bool = False) -> TextBlock:
    return TextBlock((b.Span(text, label),), style)


def system_table(table: b.SystemTable, accent: str) -> Grid:
    accent_c = HexColor(accent)
    halves = len(table.years) * 2
    fixed = [13 * mm, 13 * mm]
    tail = 11 * mm
    half = 13 * mm
    name = FRAME_W - sum(fixed) - tail - half * halves
    widths = fixed + [name] + [half] * halves + [tail]
    head_bg = tint(accent_c, 0.18)

    def head(text, span=1, open_bottom=False, open_top=False):
        cell = Cell([_t(text, HEAD)] if text else [], span=span, background=head_bg, valign="middle",
                    padding=TIGHT)
        cell.open_bottom, cell.open_top = open_bottom, open_top
        return cell

    header = [
        Row([head(table.columns[0], open_bottom=True), head(table.columns[1], open_bottom=True),
             head(table.columns[2], open_bottom=True)]
            + [head(y, span=2) for y in table.years] + [head(table.beyond, open_bottom=True)]),
        Row([head("", open_top=True), head("", open_top=True), head("", open_top=True)]
            + [head(table.halves[i % 2]) for i in range(halves)] + [head("", open_top=True)]),
    ]
    span = len(widths)
    rows = []
    for row in table.rows:
        if isinstance(row, b.PolicyRow):
            rows.append(Row([Cell([_t(f"{row.label}　{row.title}", POLICY)], span=span, background=accent_c,
                                  padding=(2, 4, 2, 4))], keep_with_next=True, splittable=False))
            rows.append(Row([Cell([_t(row.description, DESC)], span=span, background=tint(accent_c, 0.06),
                                  padding=(2, 6, 2, 6))], keep_with_next=True))
        elif isinstance(row, b.ItemRow):
            rows.append(Row([Cell([_t(f"{row.label}{row.title}", ITEM)], span=span, background=LABEL_BG,
                                  padding=(1.5, 4, 1.5, 4))], keep_with_next=True, splittable=False))
        else:
            grey = MUTED if row.closed else None
            num, small = (replace(NUM, color=grey), replace(CELL_SMALL, color=grey)) if grey else (NUM, CELL_SMALL)
            bars = ScheduleBars(row.bars, halves, half, tail, row.continues,
                                tint(accent_c, 0.35) if row.closed else accent_c, grey)
            name = [LinkedText((b.Span(row.name),), small, row.anchor)]
            if row.status:
                name.append(_t(f"【{row.status}】", replace(small, font="heading", size=8, color=grey or accent_c)))
            cells = [Cell([_t(row.number, num)], valign="middle", padding=TIGHT),
                     Cell([_t(table.priority_mark if row.priority else "", num)], valign="middle", padding=TIGHT),
                     Cell(name, valign="middle", padding=(2, 3, 2, 3)),
                     Cell([bars], valign="middle", padding=(0, 0, 0, 0))]
            cells += [Cell([], padding=TIGHT) for _ in range(halves - 1)] + [Cell([], padding=TIGHT)]
            rows.append(Row(cells, splittable=False))
    return Grid(widths, rows, header=header)


def count_table(table: b.CountTable, accent: str) -> Grid:
    accent_c = HexColor(accent)
    widths = [32 * mm, 80 * mm, 24 * mm]
    head_bg = tint(accent_c, 0.18)
    header = [Row([Cell([_t(c, HEAD)], background=head_bg, valign="middle") for c in table.columns])]
    rows = []
    right = replace(NUM, align="right")
    for group in table.groups:
        for row in group.rows:
            policy = Cell([_t(row.policy, replace(NUM, align="left"))], valign="middle")
            rows.append(Row([policy, Cell([_t(row.item, replace(CELL, size=9, align="left"))]),
                             Cell([_t(str(row.count), right)], valign="middle")], splittable=False))
        rows.append(Row([Cell([], background=LABEL_BG),
                         Cell([_t(f"{group.policy} {table.subtotal_label}", replace(HEAD, align="right"))],
                              background=LABEL_BG),
                         Cell([_t(str(group.subtotal), replace(right, font="heading-bold"))],
                              background=LABEL_BG)], splittable=False))
    rows.append(Row([Cell([], background=head_bg),
                     Cell([_t(table.total_label, replace(HEAD, align="right", font="heading-bold"))],
                          background=head_bg),
                     Cell([_t(str(table.total), replace(right, font="heading-bold"))], background=head_bg)],
                    splittable=False))
    grid = Grid(widths, rows, header=header)
    grid.hAlign = "CENTER"
    return grid


def glossary_table(glossary: b.Glossary, accent: str, page_of) -> Grid:
    accent_c = HexColor(accent)
    widths = [38 * mm, FRAME_W - 38 * mm - 30 * mm, 30 * mm]
    head_bg = tint(accent_c, 0.18)
    header = [Row([Cell([_t(c, HEAD)], background=head_bg, valign="middle") for c in glossary.columns])]
    rows = []
    for entry in glossary.entries:
        term = [_t(entry.term, replace(CELL, font="heading", size=9, align="left", phrases=True))]
        if entry.reading:
            term.append(_t(entry.reading, replace(NOTE, size=8, align="left", color=MUTED)))
        refs = [_t(f"{number}（{page_of(anchor)}頁）", replace(NOTE, size=8.5, align="left"))
                for number, anchor in entry.cards]
        rows.append(Row([Cell(term), Cell([_t(entry.definition, replace(CELL, size=9))]), Cell(refs)],
                        splittable=False))
    return Grid(widths, rows, header=header)


def history_table(history: b.History, accent: str) -> Grid:
    accent_c = HexColor(accent)
    widths = [50 * mm, 40 * mm, FRAME_W - 90 * mm]
    header = [Row([Cell([_t(c, HEAD)], background=tint(accent_c, 0.18), valign="middle")
                   for c in history.columns])]
    rows = [Row([Cell([_t(label, replace(CELL, size=9, align="left"))]),
                 Cell([_t(date, replace(CELL, size=9, align="left"))]),
                 Cell([_t(summary, replace(CELL, size=9))])]) for label, date, summary in history.rows]
    return Grid(widths, rows, header=header)
