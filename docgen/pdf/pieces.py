"""Small flowables of the booklet: markers, headings, cover, 目次, colophon, schedule bars."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from .. import booklet as b
from .fonts import PDF_NAMES, string_width
from .styles import MUTED, RULE, TextStyle, tint
from .text import TextBlock


class Marker(Flowable):
    """Zero-size flowable that records something about the page it lands on."""

    def __init__(self, action, *args):
        super().__init__()
        self.action, self.args = action, args
        self.width = self.height = 0

    def wrap(self, *_):
        return 0, 0

    def draw(self):
        self.action(self.canv, *self.args)


class Heading(TextBlock):
    """A heading: bookmarked, in the outline, recorded for the 目次, kept with what follows."""

    def __init__(self, heading: b.Heading, style: TextStyle, registry: dict, outline_level: int,
                 rule_color=None):
        super().__init__((b.Span(heading.text),), style)
        self.heading = heading
        self.registry = registry
        self.outline_level = outline_level
        self.rule_color = rule_color
        self.keepWithNext = True

    def split(self, avail_width, avail_height):
        return []  # a heading is never split

    def draw(self):
        canv = self.canv
        key = self.heading.anchor
        canv.bookmarkPage(key)
        if self.heading.outline:
            canv.addOutlineEntry(self.heading.text, key, self.outline_level, closed=self.outline_level > 0)
        self.registry[key] = canv.getPageNumber()
        super().draw()
        if self.rule_color is not None:
            canv.saveState()
            canv.setStrokeColor(self.rule_color)
            canv.setLineWidth(1.2 if self.heading.level == 1 else 0.6)
            y = self.height - self._space_before() - len(self._lines) * self.pitch - 2
            canv.line(0, y, self.width, y)
            canv.restoreState()


class FullPage(Flowable):
    """Takes the rest of the frame and draws with a callback (cover, 目次, colophon)."""

    def __init__(self, painter):
        super().__init__()
        self.painter = painter

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, avail_height - 1
        return self.width, self.height

    def draw(self):
        self.painter(self.canv, self.width, self.height)


def text_line(canv, text: str, role: str, size: float, x: float, y: float, align: str = "left",
              color=None) -> float:
    """Draw one line of text; returns its width."""
    width = string_width(text, role, size)
    if align == "center":
        x -= width / 2
    elif align == "right":
        x -= width
    canv.saveState()
    if color is not None:
        canv.setFillColor(color)
    canv.setFont(PDF_NAMES[role], size)
    canv.drawString(x, y, text)
    canv.restoreState()
    return width


def paint_cover(cover: b.Cover):
    accent = HexColor(cover.accent)

    def paint(canv, width, height):
        canv.saveState()
        canv.setFillColor(accent)
        canv.rect(0, height * 0.62, width, 4, stroke=0, fill=1)
        canv.setFillColor(tint(accent, 0.35))
        canv.rect(0, height * 0.62 - 8, width, 2, stroke=0, fill=1)
        canv.restoreState()
        block = TextBlock((b.Span(cover.title),), TextStyle(font="heading-bold", size=24, leading=1.5,
                                                             align="center"))
        _, h = block.wrap(width, height)
        block.drawOn(canv, 0, height * 0.62 + 24)
        if cover.status:
            text_line(canv, cover.status, "heading-bold", 20, width / 2, height * 0.62 - 44, "center")
        if cover.edition:
            text_line(canv, cover.edition, "heading", 13, width / 2, height * 0.62 - 76, "center", accent)
        text_line(canv, cover.date, "heading", 14, width / 2, height * 0.22, "center")
        text_line(canv, cover.municipality, "heading-bold", 20, width / 2, height * 0.12, "center")
    return paint


def paint_contents(title: str, entries: list, pages: dict, page_label, accent):
    """目次: chapter and 基本方針 entries with dotted leaders and page numbers."""

    def paint(canv, width, height):
        y = height - 24
        text_line(canv, title, "heading-bold", 18, width / 2, y, "center")
        y -= 48
        for level, text, anchor in entries:
            page = page_label(pages.get(anchor))
            size = 12 if level == 1 else 10.5
            role = "heading-bold" if level == 1 else "heading"
            x = 0 if level == 1 else 20
            if level == 1:
                y -= 8
            tw = text_line(canv, text, role, size, x, y)
            pw = text_line(canv, page, "heading", size, width, y, "right")
            dots_from, dots_to = x + tw + 6, width - pw - 6
            canv.saveState()
            canv.setFillColor(MUTED)
            dot = size * 0.5
            for k in range(int((dots_to - dots_from) // dot)):
                canv.circle(dots_to - (k + 0.5) * dot, y + size * 0.3, 0.45, stroke=0, fill=1)
            canv.restoreState()
            y -= size * 2.1
    return paint


def paint_colophon(colophon: b.Colophon, accent):
    def paint(canv, width, height):
        lines = [(colophon.title, "heading-bold", 12), (colophon.date, "heading", 10.5), ("", "body", 6),
                 (f"【{colophon.heading}】{colophon.publisher}", "heading", 10.5)]
        lines += [(line, "body", 10.5) for line in colophon.contact]
        box_h = sum(size * 1.9 for _, _, size in lines) + 24
        box_w = width * 0.72
        x0 = (width - box_w) / 2
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setLineWidth(0.8)
        canv.rect(x0, 0, box_w, box_h, stroke=1, fill=0)
        canv.restoreState()
        y = box_h - 14
        for text, role, size in lines:
            y -= size * 1.9 - (size * 0.9 if text == "" else 0)
            if text:
                text_line(canv, text, role, size, x0 + 20, y)
    return paint


class ScheduleBars(Flowable):
    """The half-year bars of one project row, drawn across the grid cells to its right."""

    LABEL = TextStyle(font="heading", size=8.0, leading=1.2, align="left")

    def __init__(self, bars, halves: int, half_width: float, tail_width: float, continues: bool, accent,
                 label_color=None):
        super().__init__()
        self.bars, self.halves = bars, halves
        self.half_width, self.tail_width = half_width, tail_width
        self.continues, self.accent = continues, accent
        self.label_color = label_color or HexColor("#000000")

    def wrap(self, *_):
        self.width, self.height = self.half_width, self.LABEL.size * 1.6
        return self.width, self.height

    def draw(self):
        canv = self.canv
        size = self.LABEL.size
        mid = self.height / 2
        canv.saveState()
        canv.setStrokeColor(self.accent)
        canv.setFillColor(self.accent)
        canv.setLineWidth(1.1)
        for i, bar in enumerate(self.bars):
            x0 = bar.start * self.half_width
            label_w = string_width(bar.label, "heading", size)
            canv.saveState()
            canv.setFillColor(self.label_color)
            canv.setFont(PDF_NAMES["heading"], size)
            canv.drawString(x0 + 1.5, mid - size * 0.35, bar.label)
            canv.restoreState()
            x1 = (bar.end + 1) * self.half_width - 2
            last = i == len(self.bars) - 1
            if last and self.continues:
                x1 = self.halves * self.half_width + self.tail_width - 3
            start = x0 + 1.5 + label_w + 2
            if x1 - start > 5:
                canv.line(start, mid, x1 - 3, mid)
                path = canv.beginPath()
                path.moveTo(x1, mid)
                path.lineTo(x1 - 4, mid + 2.2)
                path.lineTo(x1 - 4, mid - 2.2)
                path.close()
                canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()


class Deferred(Flowable):
    """Builds its flowable when first laid out (e.g. a table citing pages of earlier cards)."""

    def __init__(self, factory):
        super().__init__()
        self.factory = factory
        self.inner = None

    def _get(self):
        if self.inner is None:
            self.inner = self.factory()
        return self.inner

    def wrap(self, avail_width, avail_height):
        w, h = self._get().wrap(avail_width, avail_height)
        self.width, self.height = w, h
        return w, h

    def split(self, avail_width, avail_height):
        return self._get().split(avail_width, avail_height)

    def drawOn(self, canvas, x, y, _sW=0):
        self._get().drawOn(canvas, x, y, _sW)
