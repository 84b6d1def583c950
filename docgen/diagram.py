"""Geometry of box-and-arrow figures, shared by every renderer (PDF vector, PNG for Word).

Coordinates are in points with the origin at the bottom left, as in PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from . import booklet as b

PAD = 8.0

Rect = tuple[float, float, float, float]  # x, y (bottom), width, height


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    rects: dict[str, Rect]


def place(figure: b.Figure, width: float, text_height: Callable[[b.Box, float], float]) -> Layout:
    """Place every box on the grid; ``text_height(box, inner_width)`` measures its text."""
    boxes = figure.boxes
    gap_x, gap_y = figure.gap_x, figure.gap_y
    cols = max(x.column + x.width for x in boxes)
    rows = max(x.row + x.height for x in boxes)
    col_w = (width - gap_x * (cols - 1)) / cols
    row_h = [0.0] * rows
    widths, natural = {}, {}
    for box in boxes:
        w = col_w * box.width + gap_x * (box.width - 1)
        widths[box.id] = w
        pad = PAD if box.kind != "item" else PAD / 2
        natural[box.id] = text_height(box, w - 2 * PAD) + 2 * pad
        per = (natural[box.id] - gap_y * (box.height - 1)) / box.height
        for r in range(box.row, box.row + box.height):
            row_h[r] = max(row_h[r], per)
    height = sum(row_h) + gap_y * (rows - 1)
    rects = {}
    for box in boxes:
        x = box.column * (col_w + gap_x)
        top = height - sum(row_h[:box.row]) - gap_y * box.row
        h = sum(row_h[box.row:box.row + box.height]) + gap_y * (box.height - 1)
        if box.kind == "item":  # a leaf keeps its own height, centred on the rows it stands for
            own = min(h, natural[box.id])
            top -= (h - own) / 2
            h = own
        rects[box.id] = (x, top - h, widths[box.id], h)
    return Layout(width, height, rects)


@dataclass(frozen=True)
class ArrowShape:
    path: tuple[tuple[float, float], ...]  # the shaft: straight, or one right-angled bend
    head: tuple[tuple[float, float], ...]  # triangle, tip first
    label_at: tuple[float, float]  # bottom-left of the label
    label_width: float

    @property
    def segments(self) -> list[tuple[tuple[float, float], tuple[float, float]]]:
        return list(zip(self.path, self.path[1:]))


HEAD = 7.0  # arrowhead length
GAP = 3.0  # room kept between a label and any box


def arrow(src: Rect, dst: Rect, boxes: tuple[Rect, ...] = (), label: tuple[float, float] = (0.0, 0.0),
          width: float = 1e9) -> ArrowShape:
    """An arrow routed orthogonally from one box to another, touching both: straight down or across
    when they share columns or rows, else across from the source's side and down (or up) into the
    target.  ``label`` is the (width, height) of its label, placed beside the longest run of the
    shaft where it touches no box of ``boxes`` and stays inside the figure's ``width``."""
    sx, sy, sw, sh = src
    dx, dy, dw, dh = dst
    left, right = max(sx, dx), min(sx + sw, dx + dw)
    low, high = max(sy, dy), min(sy + sh, dy + dh)
    if right - left > 10:  # stacked: vertical
        x = (left + right) / 2
        path = ((x, sy), (x, dy + dh)) if sy > dy else ((x, sy + sh), (x, dy))
    elif high - low > 10:  # side by side: horizontal
        y = (low + high) / 2
        path = ((sx, y), (dx + dw, y)) if sx > dx else ((sx + sw, y), (dx, y))
    else:  # neither: out of the source's side, then into the target's top or bottom
        y = sy + sh / 2
        x0 = sx + sw if dx > sx else sx
        x1 = dx + dw / 2
        y1 = dy + dh if dy < sy else dy
        path = ((x0, y), (x1, y), (x1, y1))
    (px, py), (tx, ty) = path[-2], path[-1]
    ux, uy = (tx - px), (ty - py)
    length = max(abs(ux) + abs(uy), 1e-6)
    ux, uy = ux / length, uy / length
    base = (tx - ux * HEAD, ty - uy * HEAD)
    head = ((tx, ty), (base[0] - uy * 4.5, base[1] + ux * 4.5), (base[0] + uy * 4.5, base[1] - ux * 4.5))
    shaft = path[:-1] + (base,)
    return ArrowShape(shaft, head, *_label_place(shaft, boxes, label, width))


def _label_place(path, boxes, label, figure_width: float) -> tuple[tuple[float, float], float]:
    """Bottom-left and width of a label beside the longest run of the shaft, on the first side
    where it touches no box and stays inside the figure: a label wider than the room there wraps."""
    (x0, y0), (x1, y1) = max(zip(path, path[1:]), key=lambda s: abs(s[1][0] - s[0][0]) + abs(s[1][1] - s[0][1]))
    w, h = label
    if y0 == y1:  # across: above the run, else below it
        room = max(abs(x1 - x0) - 4, 24.0)
        x = min(x0, x1) + 2
        tries = [((x, y0 + 5), room), ((x, y0 - 5 - h), room)]
    else:  # down or up: right of the run, else left of it
        right = max(min(160.0, figure_width - x0 - 8), 24.0)
        left = max(min(160.0, x0 - 8), 24.0)
        y = (y0 + y1) / 2 - h / 2
        tries = [((x0 + 8, y), right), ((x0 - 8 - min(w, left), y), left)]  # wraps to the room it has
    for at, room in tries:
        rect = (at[0] - GAP, at[1] - GAP, min(w, room) + 2 * GAP, h + 2 * GAP)
        if not any(_overlap(rect, box) for box in boxes):
            return at, room
    return tries[0]


def _overlap(a: Rect, b_: Rect) -> bool:
    return a[0] < b_[0] + b_[2] and b_[0] < a[0] + a[2] and a[1] < b_[1] + b_[3] and b_[1] < a[1] + a[3]
