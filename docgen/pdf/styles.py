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
H3 = TextStyle(font="heading-bold", size=11, leading=1.4, align="left", space_before=6, space_after=4)
RUNNING_HEAD = 8.5  # size of the running head (the card's band lines); shrinks to MIN_SIZE, then is cut with …

HEAD_TINT = 0.18  # table header ground: the accent mixed with white
THIN_RULE = 0.25  # rules between the cells of one year on the schedule grid (the year rules are the grid's)

# ---- the system table (施策の体系) ------------------------------------------------------------------
SYS_NUMBER_MIN = 13 * mm  # the number column grows with the longest 事業番号
SYS_PRIORITY_MIN = 9 * mm
SYS_NAME_MIN = 45 * mm  # the name column never gets narrower than this: the grid shrinks instead
# no grid cell wider than these (a part of a year: 上期, 第1四半期; a whole year in a 年度 grid): a short
# period leaves the rest to the name column
SYS_CELL_MAX = 13 * mm
SYS_YEAR_MAX = 20 * mm
SYS_TAIL_MIN = 11 * mm  # the continuation column (R8～)
SYS_BAR_HEIGHT = 8.0 * 1.6  # a schedule row's bar strip (label size × leading)

# ---- the count table (項目別事業数) -----------------------------------------------------------------
COUNT_TOP_W = 32 * mm  # the top-level column
COUNT_LEVEL_W = 80 * mm  # one lower level; two or more share FRAME_W
COUNT_NUMBER_W = 24 * mm

# ---- cards ------------------------------------------------------------------------------------------
CARD_LABEL_W = 29 * mm  # the label column (所管課, 現状と課題 …)
CARD_NUMBER_W = 17 * mm  # the 事業番号 cell of the title row (wider for a long number)
CARD_NAME_LABEL_W = 17 * mm  # the 事業名 label cell
CARD_SCHEDULE_COLUMNS = 5  # at most this many year columns side by side; more wrap into further rows
