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
    start: tuple[float, float]
    end: tuple[float, float]  # where the shaft stops (the head covers the rest)
    head: tuple[tuple[float, float], ...]  # triangle, tip first
    label_at: tuple[float, float]  # bottom-left of the label
    label_width: float


def arrow(src: Rect, dst: Rect) -> ArrowShape:
    """A straight arrow between two boxes: vertical when they are stacked, else horizontal."""
    sx, sy, sw, sh = src
    dx, dy, dw, dh = dst
    left, right = max(sx, dx), min(sx + sw, dx + dw)
    if right > left + 10:
        x = (left + right) / 2
        y0, y1 = (sy, dy + dh) if sy > dy else (sy + sh, dy)
        d = 1 if y0 > y1 else -1
        return ArrowShape((x, y0), (x, y1 + 6 * d), ((x, y1), (x - 4.5, y1 + 7 * d), (x + 4.5, y1 + 7 * d)),
                          (x + 8, (y0 + y1) / 2 - 4), 160.0)
    y = (max(sy, dy) + min(sy + sh, dy + dh)) / 2
    x0, x1 = (sx, dx + dw) if sx > dx else (sx + sw, dx)
    d = 1 if x0 > x1 else -1
    return ArrowShape((x0, y), (x1 + 6 * d, y), ((x1, y), (x1 + 7 * d, y - 4.5), (x1 + 7 * d, y + 4.5)),
                      (min(x0, x1) + 2, y + 5), abs(x1 - x0) - 4)
