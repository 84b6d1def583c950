"""Blocks of running text and of card fields: paragraphs, lists and tables."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer

from .. import booklet as b
from ..jchars import break_allowed
from .fonts import measure
from .styles import FRAME_W, HEAD_TINT, MUTED, TextStyle, tint
from .table import Cell, Grid, Row
from .text import PageOf, TextBlock, block_flowables

TABLE_TEXT = TextStyle(size=9, leading=1.5, align="left", phrases=True)
TABLE_HEAD = TextStyle(font="heading", size=8.5, leading=1.4, align="center", phrases=True)
TABLE_CAPTION = TextStyle(size=8.5, leading=1.4, align="right", color=MUTED, space_after=1.5)
TABLE_PADDING = (2.0, 3.0, 2.0, 3.0)
ALIGNS = ("left", "center", "right")


def _widest_piece(block: TextBlock) -> float:
    """Width of the longest run of the text no line may break inside (170 (R11), a Latin word)."""
    chars = [(ch, style) for text, style in block.runs() for ch in text]
    widest = run = 0.0
    for k, (ch, style) in enumerate(chars):
        if k and (chars[k - 1][0] in " \n" or break_allowed(chars[k - 1][0], ch)):
            run = 0.0
        if ch not in " \n":
            run += measure(ch, style)
            widest = max(widest, run)
    return widest


class TableGrid(Grid):
    """A grid whose columns share the width it is given in proportion to ``weights`` (a prose table
    takes the frame, a table on a card the width of its cell) — but no column narrower than the
    longest unbreakable piece of its cells (``minimums``), so that 170 (R11) never loses its bracket
    to the next line.  Where even the minimums do not fit they share the width instead."""

    def __init__(self, weights: list[float], minimums: list[float], rows: list[Row], header: list[Row]):
        self.weights, self.minimums = weights, minimums
        super().__init__(self._scaled(FRAME_W), rows, header=header)

    def _scaled(self, width: float) -> list[float]:
        if sum(self.minimums) >= width:
            return [width * m / sum(self.minimums) for m in self.minimums]
        fixed: dict[int, float] = {}  # columns held at their minimum
        while True:
            free = [k for k in range(len(self.weights)) if k not in fixed]
            room = width - sum(fixed.values())
            total = sum(self.weights[k] for k in free)
            out = {k: room * self.weights[k] / total for k in free}
            short = {k: self.minimums[k] for k in free if out[k] < self.minimums[k]}
            if not short:
                return [fixed.get(k, out.get(k, 0.0)) for k in range(len(self.weights))]
            fixed.update(short)

    def wrap(self, avail_width, avail_height):
        self.widths = self._scaled(avail_width)
        return super().wrap(avail_width, avail_height)


class Captioned(Flowable):
    """A table with its caption above: the caption goes with the table's first part."""

    def __init__(self, caption: TextBlock, grid: Grid):
        super().__init__()
        self.caption, self.grid = caption, grid

    def wrap(self, avail_width, avail_height):
        _, ch = self.caption.wrap(avail_width, avail_height)
        gw, gh = self.grid.wrap(avail_width, avail_height - ch)
        self.width, self.height = avail_width, ch + gh
        return self.width, self.height

    def split(self, avail_width, avail_height):
        _, ch = self.caption.wrap(avail_width, avail_height)
        parts = self.grid.split(avail_width, avail_height - ch)
        if len(parts) != 2:
            return [self] if parts else []
        return [Captioned(self.caption, parts[0]), parts[1]]

    def draw(self):
        ch = self.caption.height
        self.caption.drawOn(self.canv, 0, self.height - ch)
        self.grid.drawOn(self.canv, 0, 0)


def _row(cells: tuple[b.TableCell, ...], columns: int, in_header: bool, head_bg, page_of) -> Row:
    """A row of exactly ``columns`` columns: a short row is filled with empty cells, an overlong one
    cut at the last column."""
    out, used = [], 0
    for cell in cells:
        if used >= columns:
            break
        span = max(1, min(cell.span, columns - used))
        align = "center" if in_header else (cell.align if cell.align in ALIGNS else "left")
        style = replace(TABLE_HEAD if cell.head else TABLE_TEXT, align=align)
        out.append(Cell([TextBlock(cell.spans, style, page_of=page_of)], span=span,
                        background=head_bg if cell.head else None, padding=TABLE_PADDING, valign="middle"))
        used += span
    out += [Cell([], padding=TABLE_PADDING) for _ in range(columns - used)]
    return Row(out)


def table_flowables(table: b.Table, accent: str, page_of: PageOf | None = None) -> list:
    """The caption (（単位：千円）) above right, then the table; its header rows repeat on every page."""
    columns = max([len(table.weights)] + [sum(max(1, c.span) for c in row) for row in table.header + table.rows])
    if columns == 0:
        return []
    weights = [w if w > 0 else 1.0 for w in table.weights] + [1.0] * (columns - len(table.weights))
    head_bg = tint(HexColor(accent), HEAD_TINT)
    header = [_row(r, columns, True, head_bg, page_of) for r in table.header]
    rows = [_row(r, columns, False, head_bg, page_of) for r in table.rows]
    minimums = [TABLE_PADDING[1] + TABLE_PADDING[3] + 0.5] * columns
    for row in header + rows:
        col = 0
        for cell in row.cells:
            if cell.span == 1 and cell.content:
                minimums[col] = max(minimums[col], _widest_piece(cell.content[0]) + TABLE_PADDING[1]
                                    + TABLE_PADDING[3] + 0.5)
            col += cell.span
    grid = TableGrid(weights, minimums, rows, header)
    if table.caption:
        return [Captioned(TextBlock((b.Span(table.caption),), TABLE_CAPTION), grid)]
    return [grid]


def flowables(block: b.Block, style: TextStyle, accent: str, page_of: PageOf | None = None,
              list_style: TextStyle | None = None) -> list:
    """Flowables for any block of the booklet tree."""
    if isinstance(block, b.Table):
        return table_flowables(block, accent, page_of)
    return block_flowables(block, style, list_style, page_of)


def prose_flowables(block: b.Block, style: TextStyle, accent: str, page_of: PageOf | None = None) -> list:
    """A block in a chapter: a table stands off the text around it."""
    if isinstance(block, b.Table):
        return [Spacer(1, 4)] + table_flowables(block, accent, page_of) + [Spacer(1, 10)]
    return block_flowables(block, style, None, page_of)
