"""The system table (施策の体系), the count table (項目別事業数) and the glossary table."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

from reportlab.lib.colors import HexColor, white
from reportlab.lib.units import mm
from reportlab.platypus import Spacer

from .. import booklet as b
from .. import schedule
from ..linebreak import pack_phrases
from .fonts import string_width
from .pieces import ScheduleBars
from .styles import (CELL, CELL_LABEL, CELL_SMALL, COUNT_LEVEL_W, COUNT_NUMBER_W, COUNT_TOP_W, FRAME_W, GRID,
                     HEAD_TINT, LABEL_BG, MUTED, NOTE, SYS_CELL_MAX, SYS_NAME_MIN, SYS_NUMBER_MIN,
                     SYS_PRIORITY_MIN, SYS_TAIL_MIN, SYS_YEAR_MAX, THIN_RULE, TextStyle, tint)
from .table import Cell, Grid, GroupedGrid, Row
from .text import LinkedText, TextBlock, page_ref

HEAD = replace(CELL_LABEL, size=8, leading=1.3)
NUM = TextStyle(font="heading", size=8.5, leading=1.4, align="center")
POLICY = TextStyle(font="heading-bold", size=10, leading=1.5, align="left", color=white)
ITEM = TextStyle(font="heading-bold", size=9, leading=1.45, align="left")
SUBITEM = TextStyle(font="heading", size=9, leading=1.45, align="left")  # the third level and below
GROUP_INDENT = 9.0  # each level below the first is set in this much further
DESC = replace(NOTE, size=8.5)
TIGHT = (1.5, 2.0, 1.5, 2.0)


def _t(text: str, style: TextStyle, label: bool = False) -> TextBlock:
    return TextBlock((b.Span(text, label),), style)


def _one_line(text: str, style: TextStyle, width: float) -> bool:
    """Whether ``text`` sets on one line of ``width`` (和欧間 included)."""
    block = _t(text, style)
    block.wrap(width, 1e9)
    return len(block._lines) == 1 and block._lines[0].width <= width + 0.01


@lru_cache(maxsize=256)
def _part_head(part: str, width: float) -> str | None:
    """A part's name as set in its header cell: on one line, or on two of whole phrases (第1／四半期);
    None when it does not fit even so."""
    lines = pack_phrases(part, lambda text: _one_line(text, HEAD, width))
    return "\n".join(lines) if lines else None


@dataclass(frozen=True)
class _Geometry:
    widths: list[float]  # number, priority, name, one per grid cell, continuation
    cell: float  # width of one grid cell
    tail: float
    parts: list[str] | None  # the second header row: each part's name as set, None when left out


def _geometry(table: b.SystemTable) -> _Geometry:
    """Column widths from the table: the number and priority columns as wide as their contents need,
    a readable name column, and the grid sharing the rest (no cell wider than SYS_CELL_MAX, or
    SYS_YEAR_MAX in a 年度 grid: a short period leaves the name column wider)."""
    pad = TIGHT[1] + TIGHT[3] + 1.0
    numbers = [string_width(r.number, NUM.font, NUM.size) for r in table.rows if isinstance(r, b.ProjectRow)]
    number = min(max([SYS_NUMBER_MIN] + [w + pad for w in numbers]), 2 * SYS_NUMBER_MIN)
    priority = max(SYS_PRIORITY_MIN, string_width(table.priority_mark, NUM.font, NUM.size) + pad)
    tail = min(max(SYS_TAIL_MIN, string_width(table.beyond, HEAD.font, HEAD.size) + pad), 2 * SYS_TAIL_MIN)
    cells = table.cells
    widest = SYS_CELL_MAX if table.parts else SYS_YEAR_MAX
    cell = min(widest, (FRAME_W - number - priority - tail - SYS_NAME_MIN) / cells)
    name = FRAME_W - number - priority - tail - cell * cells
    # The parts' names (上期, 第1四半期 …) are printed only where every one fits its cell at the
    # minimum size, on one line or two broken between phrases.  Narrower cells (10 years × 4
    # quarters: 2 mm each) leave the second header row out — the year headers stand alone and thin
    # rules mark the parts — rather than shrinking type below the minimum or letting names overprint.
    inner = cell - TIGHT[1] - TIGHT[3]
    heads = [_part_head(part, inner) for part in table.parts]
    parts = heads if heads and None not in heads else None
    return _Geometry([number, priority, name] + [cell] * cells + [tail], cell, tail, parts)


def system_tables(table: b.SystemTable, accent: str, targets: set[str] | None = None) -> list:
    """施策の体系 as one table, or, when its grid would be too narrow to read, as several tables of
    consecutive years (see :func:`docgen.schedule.split_by_years`)."""
    out: list = []
    parts = schedule.split_by_years(table)
    for part in parts:
        out += [system_table(part, accent, targets), Spacer(1, 16)]
    return out


def unfitting_labels(table: b.SystemTable) -> list[tuple[str, str]]:
    """(事業番号, 工程の名称) of every phase whose name does not fit its bar in the printed system
    table (the row's phases are then listed under the project's name): for ``docgen check``."""
    out = []
    for part in schedule.split_by_years(table):
        geo = _geometry(part)
        for row in part.rows:
            if isinstance(row, b.ProjectRow):
                bars = ScheduleBars(row.bars, part.cells, geo.cell, geo.tail, row.continues, GRID)
                out += [(row.number, bar.label) for bar, _, _, shown in bars.spans
                        if bar.label and not shown and (row.number, bar.label) not in out]
    return out


def system_table(table: b.SystemTable, accent: str, targets: set[str] | None = None) -> Grid:
    """施策の体系; a project's name links to its card (when ``targets``, the document's anchors, has it)."""
    accent_c = HexColor(accent)
    geo = _geometry(table)
    cells = table.cells
    per_year = max(1, len(table.parts))
    head_bg = tint(accent_c, HEAD_TINT)
    thin = (THIN_RULE, tint(GRID, 0.6))

    def rule(i: int):
        """The rule left of grid cell ``i``: thin between the parts of one year."""
        return thin if i % per_year else None

    def head(text, span=1, open_bottom=False, open_top=False, left_rule=None):
        return Cell([_t(text, HEAD)] if text else [], span=span, background=head_bg, valign="middle",
                    padding=TIGHT, open_top=open_top, open_bottom=open_bottom, left_rule=left_rule)

    two = geo.parts is not None
    header = [Row([head(c, open_bottom=two) for c in table.columns[:3]]
                  + [head(y, span=per_year) for y in table.years] + [head(table.beyond, open_bottom=two)])]
    if two:
        header.append(Row([head("", open_top=True) for _ in range(3)]
                          + [head(geo.parts[i % per_year], left_rule=rule(i)) for i in range(cells)]
                          + [head("", open_top=True)]))
    span = len(geo.widths)
    rows = []
    continued: dict[int, tuple[int, Row]] = {}  # a group's heading, again on a page its rows run onto
    for row in table.rows:
        if isinstance(row, b.GroupRow):
            made = _group_rows(row, span, accent_c)
            again = _group_rows(replace(row, heading=row.heading + table.continued, description=""), span,
                                accent_c)[0]
            continued[id(made[0])] = (row.level, again)
            rows += made
            continue
        grey = MUTED if row.closed else None
        num, small = (replace(NUM, color=grey), replace(CELL_SMALL, color=grey)) if grey else (NUM, CELL_SMALL)
        bars = ScheduleBars(row.bars, cells, geo.cell, geo.tail, row.continues,
                            tint(accent_c, 0.35) if row.closed else accent_c, grey)
        linked = targets is None or row.anchor in targets
        name = [LinkedText((b.Span(row.name),), small, row.anchor) if linked else _t(row.name, small)]
        if row.status:
            name.append(_t(f"【{row.status}】", replace(small, font="heading", size=8, color=grey or accent_c)))
        if bars.phases:  # a phase too long for its bar: the row's phases are named under the project
            name.append(_t("→".join(bars.phases), replace(small, font="heading", size=8, color=MUTED)))
        cells_out = [Cell([_t(row.number, num)], valign="middle", padding=TIGHT),
                     Cell([_t(table.priority_mark if row.priority else "", num)], valign="middle", padding=TIGHT),
                     Cell(name, valign="middle", padding=(2, 3, 2, 3)),
                     Cell([bars], valign="middle", padding=(0, 0, 0, 0))]
        cells_out += [Cell([], padding=TIGHT, left_rule=rule(i)) for i in range(1, cells)]
        cells_out.append(Cell([], padding=TIGHT))
        rows.append(Row(cells_out, splittable=False))
    return GroupedGrid(geo.widths, rows, header, header, continued)


def _group_rows(row: b.GroupRow, span: int, accent_c) -> list[Row]:
    """A top-level group: a band in the accent colour and its description; a lower one: a tinted
    row, set in a little further at each level below the first."""
    text = row.heading
    if row.level == 0:
        out = [Row([Cell([_t(text, POLICY)], span=span, background=accent_c, padding=(2, 4, 2, 4))],
                   keep_with_next=True, splittable=False)]
        if row.description:
            out.append(Row([Cell([_t(row.description, DESC)], span=span, background=tint(accent_c, 0.06),
                                 padding=(2, 6, 2, 6))], keep_with_next=True))
        return out
    style, background = (ITEM, LABEL_BG) if row.level == 1 else (SUBITEM, tint(LABEL_BG, 0.45))
    indent = 4 + GROUP_INDENT * (row.level - 1)
    return [Row([Cell([_t(text, style)], span=span, background=background, padding=(1.5, 4, 1.5, indent))],
                keep_with_next=True, splittable=False)]


def count_table(table: b.CountTable, accent: str) -> Grid:
    """項目別事業数: the top-level group, one column per lower level, the count."""
    accent_c = HexColor(accent)
    lower = max(1, len(table.columns) - 2)
    level_w = COUNT_LEVEL_W if lower == 1 else (FRAME_W - COUNT_TOP_W - COUNT_NUMBER_W) / lower
    widths = [COUNT_TOP_W] + [level_w] * lower + [COUNT_NUMBER_W]
    head_bg = tint(accent_c, HEAD_TINT)
    names = list(table.columns[:1]) + list(table.columns[1:-1]) + list(table.columns[-1:])
    header = [Row([Cell([_t(c, HEAD)], background=head_bg, valign="middle") for c in names])]
    rows = []
    right = replace(NUM, align="right")
    top_style = replace(NUM, align="left")
    level_style = replace(CELL, size=9, align="left", phrases=True)
    for group in table.groups:
        for k, row in enumerate(group.rows):
            texts = (list(row.cells) + [""] * lower)[:lower]
            cells = ([Cell([_t(group.label, top_style)] if k == 0 else [])]
                     + [Cell([_t(text, level_style)] if text else []) for text in texts]
                     + [Cell([_t(str(row.count), right)], valign="middle")])
            if k:  # a group's label cell runs down over its rows: merged, no rule inside
                for col, cell in enumerate(cells[:-2]):
                    if not cell.content:
                        cell.open_top = True
                        rows[-1].cells[col].open_bottom = True
            rows.append(Row(cells, splittable=False, keep_with_next=True))  # the group stays with its subtotal
        rows.append(Row([Cell([], background=LABEL_BG),
                         Cell([_t(f"{group.label} {table.subtotal_label}", replace(HEAD, align="right"))],
                              span=lower, background=LABEL_BG),
                         Cell([_t(str(group.subtotal), replace(right, font="heading-bold"))],
                              background=LABEL_BG)], splittable=False))
    rows.append(Row([Cell([], background=head_bg),
                     Cell([_t(table.total_label, replace(HEAD, align="right", font="heading-bold"))],
                          span=lower, background=head_bg),
                     Cell([_t(str(table.total), replace(right, font="heading-bold"))], background=head_bg)],
                    splittable=False))
    grid = Grid(widths, rows, header=header)
    grid.hAlign = "CENTER"
    return grid


def glossary_table(glossary: b.Glossary, accent: str, page_of) -> Grid:
    accent_c = HexColor(accent)
    widths = [38 * mm, FRAME_W - 38 * mm - 30 * mm, 30 * mm]
    head_bg = tint(accent_c, HEAD_TINT)
    header = [Row([Cell([_t(c, HEAD)], background=head_bg, valign="middle") for c in glossary.columns])]
    rows = []
    group = None
    for entry in glossary.entries:
        if entry.group and entry.group != group:  # A～Z, あ行, か行 …: a heading row, kept with its first term
            group = entry.group
            rows.append(Row([Cell([_t(group, ITEM)], span=3, background=LABEL_BG, padding=(1.5, 4, 1.5, 4))],
                            keep_with_next=True, splittable=False))
        term = [_t(entry.term, replace(CELL, font="heading", size=9, align="left", phrases=True))]
        if entry.reading:
            term.append(_t(entry.reading, replace(NOTE, size=8, align="left", color=MUTED)))
        refs = [LinkedText((b.Span(f"{number}{page_ref(page_of(anchor))}"),), replace(NOTE, size=8.5, align="left"),
                           anchor) for number, anchor in entry.cards]
        rows.append(Row([Cell(term), Cell([_t(entry.definition, replace(CELL, size=9))]), Cell(refs)],
                        splittable=False))
    return Grid(widths, rows, header=header)


def history_table(history: b.History, accent: str) -> Grid:
    accent_c = HexColor(accent)
    widths = [50 * mm, 40 * mm, FRAME_W - 90 * mm]
    header = [Row([Cell([_t(c, HEAD)], background=tint(accent_c, HEAD_TINT), valign="middle")
                   for c in history.columns])]
    rows = [Row([Cell([_t(label, replace(CELL, size=9, align="left"))]),
                 Cell([_t(date, replace(CELL, size=9, align="left"))]),
                 Cell([_t(summary, replace(CELL, size=9))])]) for label, date, summary in history.rows]
    return Grid(widths, rows, header=header)
