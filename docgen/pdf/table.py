"""A table flowable whose rows can break across pages.

reportlab's own ``Table`` cannot split inside a row, so a long card field would not fit on a page.
:class:`Grid` splits a row at a line boundary of its cells' text, repeats header rows (or special
continuation rows such as a card header marked （続き）) on every following page, and never
leaves a row marked ``keep_with_next`` alone at the bottom of a page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.platypus import Flowable

from .styles import FRAME_H, GRID


@dataclass
class Cell:
    content: list  # flowables
    span: int = 1
    background: object = None
    padding: tuple[float, float, float, float] = (3.0, 4.0, 3.0, 4.0)  # top, right, bottom, left
    valign: str = "top"
    open_top: bool = False  # merged with the cell above: no rule between them
    open_bottom: bool = False
    repeat: bool = False  # shown again on the continuation of a row split across pages (labels)
    left_rule: tuple | None = None  # (width, colour) of the rule on its left, when not the grid's own


@dataclass
class Row:
    cells: list[Cell]
    keep_with_next: bool = False
    min_height: float = 0.0
    splittable: bool = True
    heights: list = field(default_factory=list)


def _content_height(content, width) -> float:
    return sum(f.wrap(width, 1e9)[1] for f in content)


class Grid(Flowable):
    def __init__(self, widths: list[float], rows: list[Row], header: list[Row] | None = None,
                 repeat: list[Row] | None = None, line_width: float = 0.5, line_color=GRID):
        super().__init__()
        self.widths = widths
        self.rows = rows
        self.header = header or []
        self.repeat = self.header if repeat is None else repeat
        self.line_width = line_width
        self.line_color = line_color
        self._heights: list[float] = []

    # -- measuring ---------------------------------------------------------------------------
    def _cell_width(self, col: int, cell: Cell) -> float:
        return sum(self.widths[col:col + cell.span]) - cell.padding[1] - cell.padding[3]

    def _row_height(self, row: Row) -> float:
        height, col = row.min_height, 0
        for cell in row.cells:
            h = _content_height(cell.content, self._cell_width(col, cell)) + cell.padding[0] + cell.padding[2]
            height = max(height, h)
            col += cell.span
        return height

    def wrap(self, avail_width, avail_height):
        self._heights = [self._row_height(r) for r in self.header + self.rows]
        self.width = sum(self.widths)
        self.height = sum(self._heights)
        return self.width, self.height

    # -- splitting ------------------------------------------------------------------------------
    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        head_h = sum(self._heights[:len(self.header)])
        room = avail_height - head_h
        heights = self._heights[len(self.header):]
        used, n = 0.0, 0
        while n < len(self.rows) and used + heights[n] <= room + 1e-6:
            used += heights[n]
            n += 1
        if n == len(self.rows):
            return [self]
        first, rest = list(self.rows[:n]), list(self.rows[n:])
        # a row is kept whole unless it may split, or is too tall to move to the next page whole
        may_split = rest[0].splittable or heights[n] > FRAME_H / 3
        broken = self._split_row(rest[0], room - used) if may_split else None
        if broken is not None:
            first.append(broken[0])
            rest[0] = broken[1]
        while first and first[-1].keep_with_next:  # never leave such a row alone at the bottom
            rest.insert(0, first.pop())
        if not first:
            return []
        part1 = Grid(self.widths, first, self.header, self.repeat, self.line_width, self.line_color)
        part2 = Grid(self.widths, rest, self.repeat, self.repeat, self.line_width, self.line_color)
        return [part1, part2]

    def _split_row(self, row: Row, room: float):
        """Split ``row`` so that its first part is at most ``room`` high, or None."""
        heads, tails, col = [], [], 0
        for cell in row.cells:
            inner = room - cell.padding[0] - cell.padding[2]
            width = self._cell_width(col, cell)
            head, tail = _split_content(cell.content, width, inner)
            if cell.repeat:
                head, tail = cell.content, cell.content
            heads.append(Cell(head, cell.span, cell.background, cell.padding, cell.valign,
                              cell.open_top, False, cell.repeat, cell.left_rule))
            tails.append(Cell(tail, cell.span, cell.background, cell.padding, cell.valign,
                              False, cell.open_bottom, cell.repeat, cell.left_rule))
            col += cell.span
        if not any(h.content for h, c in zip(heads, row.cells) if not c.repeat) or \
                not any(t.content for t, c in zip(tails, row.cells) if not c.repeat):
            return None
        head = Row(heads, False, 0.0, True)
        if self._row_height(head) > room + 1e-6:
            return None  # a label shown again on both parts is itself taller than the room left
        return head, Row(tails, row.keep_with_next, 0.0, True)

    # -- drawing -----------------------------------------------------------------------------------
    def _placed(self, row: Row):
        """Each cell of ``row`` with its width."""
        col = 0
        for cell in row.cells:
            yield cell, sum(self.widths[col:col + cell.span])
            col += cell.span

    def draw(self):
        canv = self.canv
        rows = self.header + self.rows
        y = self.height
        canv.saveState()
        canv.setStrokeColor(self.line_color)
        canv.setLineWidth(self.line_width)
        for row, height in zip(rows, self._heights):
            bottom = y - height
            canv.setStrokeColor(self.line_color)
            canv.setLineWidth(self.line_width)
            # grounds and rules first, then the contents: what a cell draws beyond its edges (the
            # schedule bars) lies on top of the rules of the cells it crosses
            x = 0.0
            for k, (cell, w) in enumerate(self._placed(row)):
                if cell.background is not None:
                    canv.setFillColor(cell.background)
                    canv.rect(x, bottom, w, height, stroke=0, fill=1)
                # each cell draws the rule on its left (its own, or the grid's); the last the right edge
                if cell.left_rule is None:
                    canv.line(x, bottom, x, y)
                elif cell.left_rule[0] > 0:
                    canv.saveState()
                    canv.setLineWidth(cell.left_rule[0])
                    canv.setStrokeColor(cell.left_rule[1])
                    canv.line(x, bottom, x, y)
                    canv.restoreState()
                if k == len(row.cells) - 1:
                    canv.line(x + w, bottom, x + w, y)
                if not cell.open_top:
                    canv.line(x, y, x + w, y)
                if not cell.open_bottom:
                    canv.line(x, bottom, x + w, bottom)
                x += w
            x = 0.0
            for cell, w in self._placed(row):
                inner_w = w - cell.padding[1] - cell.padding[3]
                top = y - cell.padding[0]
                if cell.valign == "middle":
                    top = y - (height - _content_height(cell.content, inner_w)) / 2
                for flowable in cell.content:
                    fw, fh = flowable.wrap(inner_w, 1e9)
                    flowable.drawOn(canv, x + cell.padding[3], top - fh)
                    top -= fh
                x += w
            y = bottom
        canv.restoreState()


def _split_content(content: list, width: float, room: float) -> tuple[list, list]:
    """Split a cell's flowables so the first part is at most ``room`` high."""
    head, used = [], 0.0
    for i, flowable in enumerate(content):
        _, h = flowable.wrap(width, 1e9)
        if used + h <= room + 1e-6:
            head.append(flowable)
            used += h
            continue
        parts = flowable.split(width, room - used) if room - used > 0 else []
        if len(parts) == 2:
            head.append(parts[0])
            return head, [parts[1]] + list(content[i + 1:])
        return head, list(content[i:])
    return head, []


class GroupedGrid(Grid):
    """A grid whose rows fall into nested groups (基本方針 → 項目, or the groups of a 新旧対照表): on
    a page its rows run onto, the headings of the groups it is inside are repeated under the column
    header, each marked （続き）.

    ``continued`` maps a heading row (by id) to its level and the row to repeat; ``current`` is the
    chain of repeated headings this part starts inside."""

    def __init__(self, widths, rows, header, columns: list[Row], continued: dict[int, tuple[int, Row]],
                 current: tuple[Row, ...] = ()):
        super().__init__(widths, rows, header, columns)
        self.columns = columns
        self.continued = continued
        self.current = current

    def split(self, avail_width, avail_height):
        parts = super().split(avail_width, avail_height)
        if len(parts) != 2:
            return parts
        first, rest = parts
        current = list(self.current)
        for row in first.rows:
            if id(row) in self.continued:
                level, again = self.continued[id(row)]
                current = current[:level] + [again]
        if rest.rows and id(rest.rows[0]) in self.continued:  # the next page starts with a heading
            current = current[:self.continued[id(rest.rows[0])][0]]
        return [GroupedGrid(self.widths, first.rows, self.header, self.columns, self.continued, self.current),
                GroupedGrid(self.widths, rest.rows, self.columns + current, self.columns, self.continued,
                            tuple(current))]
