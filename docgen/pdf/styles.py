"""Page geometry, type sizes and colours of the printed booklet, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

PAGE_W, PAGE_H = A4
# Double-sided printing: the gutter (binding side) is on the left of odd pages, the right of even ones.
MARGIN_INNER = 25 * mm
MARGIN_OUTER = 17 * mm
MARGIN_TOP = 22 * mm
MARGIN_BOTTOM = 20 * mm
FRAME_W = PAGE_W - MARGIN_INNER - MARGIN_OUTER
FRAME_H = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM

MIN_SIZE = 8.0  # nothing is ever set smaller

BLACK = HexColor("#000000")
RULE = HexColor("#4D4D4D")
GRID = HexColor("#7F7F7F")
MUTED = HexColor("#595959")
LABEL_BG = HexColor("#E8EEF4")


def tint(color: Color, amount: float) -> Color:
    """``color`` mixed with white: amount 0 → white, 1 → the colour itself."""
    return Color(1 - (1 - color.red) * amount, 1 - (1 - color.green) * amount,
                 1 - (1 - color.blue) * amount)


@dataclass(frozen=True)
class TextStyle:
    font: str = "body"  # font role: body (明朝), heading (ゴシック), heading-bold
    size: float = 10.5
    leading: float = 1.75  # line pitch as a multiple of the size
    align: str = "justify"
    indent: float = 0.0  # first-line indent in em (字下げ)
    left: float = 0.0  # left indent in pt (list items)
    space_before: float = 0.0
    space_after: float = 0.0
    color: Color = BLACK
    phrases: bool = False  # break at BudouX phrase boundaries (narrow cells)
    label_font: str = "heading"  # font of （現状）-style labels

    def __post_init__(self):
        if self.size < MIN_SIZE:
            raise ValueError(f"type size {self.size} is below the {MIN_SIZE} pt minimum")


BODY = TextStyle(size=10.5, leading=1.8, indent=1.0, space_after=4)
H1 = TextStyle(font="heading-bold", size=16, leading=1.4, align="left", space_before=0, space_after=14)
H2 = TextStyle(font="heading-bold", size=12.5, leading=1.4, align="left", space_before=10, space_after=8)
CELL = TextStyle(size=9.5, leading=1.6, align="justify")
CELL_LABEL = TextStyle(font="heading", size=9, leading=1.45, align="center", phrases=True)
CELL_SMALL = TextStyle(size=8.5, leading=1.45, align="left", phrases=True)
NOTE = TextStyle(size=8.5, leading=1.55, align="justify")
CAPTION = TextStyle(font="heading", size=9.5, leading=1.4, align="center", space_before=4, space_after=10)
