"""Small flowables of the booklet: markers, headings, cover, 目次, colophon, schedule bars."""

from __future__ import annotations

import re

from reportlab.lib.colors import HexColor, white
from reportlab.platypus import Flowable

from .. import booklet as b
from .fonts import PDF_NAMES, string_width
from .styles import MUTED, RULE, SYS_BAR_HEIGHT, TextStyle, tint
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
            add_outline(canv, self.heading.text, key, self.outline_level, closed=self.outline_level > 0)
        self.registry[key] = canv.getPageNumber()
        super().draw()
        if self.rule_color is not None:
            canv.saveState()
            canv.setStrokeColor(self.rule_color)
            canv.setLineWidth(1.2 if self.heading.level == 1 else 0.6)
            y = self.height - self._space_before() - len(self._lines) * self.pitch - 2
            canv.line(0, y, self.width, y)
            canv.restoreState()


def add_outline(canv, title: str, key: str, level: int, closed: bool) -> None:
    """An outline entry at ``level``, or as deep as the entries before it allow: a PDF outline cannot
    skip a level (a ### sub-heading straight under a chapter, a card without a group heading)."""
    current = getattr(canv._doc.outline, "currentlevel", -1)  # reportlab keeps the level of the last entry
    canv.addOutlineEntry(title, key, min(level, current + 1), closed=closed)


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


def _entry_style(level: int) -> tuple[float, str, float, float]:
    """size, font role, indent and space above of a 目次 entry."""
    if level == 1:
        return 12, "heading-bold", 0, 8
    return 10.5, "heading", 20, 0


CONTENTS_NUMBER = 36.0  # room kept at the right of a 目次 entry for its leader and page number


def _entry_lines(text: str, level: int, width: float) -> list[str]:
    """A 目次 entry broken between phrases to leave room for its page number; the lines after the
    first are set under the first's start."""
    size, role, x, _ = _entry_style(level)
    return _wrapped(text, role, size, width - x - CONTENTS_NUMBER)


def contents_pages(entries: list, height: float, width: float) -> list[list[tuple[tuple, float]]]:
    """The 目次 entries page by page, each with the baseline of its last line (where its leader and
    page number are): the first page under the title, the rest from the top."""
    pages: list[list] = [[]]
    y = height - 72
    for entry in entries:
        size, _, _, gap = _entry_style(entry[0])
        extra = (len(_entry_lines(entry[1], entry[0], width)) - 1) * size * 1.45
        if y - gap - extra < size * 0.5 and pages[-1]:
            pages.append([])
            y = height - 24
        y -= gap + extra
        pages[-1].append((entry, y))
        y -= size * 2.1
    return pages


def paint_contents(title: str, placed: list, pages: dict, page_label, accent):
    """One page of the 目次 (the title only on the first): entries with dotted leaders and page numbers."""

    def paint(canv, width, height):
        if title:
            text_line(canv, title, "heading-bold", 18, width / 2, height - 24, "center")
        for (level, text, anchor), y in placed:
            page = page_label(pages.get(anchor))
            size, role, x, _ = _entry_style(level)
            lines = _entry_lines(text, level, width)
            for k, line in enumerate(lines[:-1]):  # a long entry: its first lines above the last
                text_line(canv, line, role, size, x, y + (len(lines) - 1 - k) * size * 1.45)
            tw = text_line(canv, lines[-1], role, size, x, y)
            pw = text_line(canv, page, "heading", size, width, y, "right")
            dots_from, dots_to = x + tw + 6, width - pw - 6
            canv.saveState()
            canv.setFillColor(MUTED)
            dot = size * 0.5
            for k in range(int((dots_to - dots_from) // dot)):
                canv.circle(dots_to - (k + 0.5) * dot, y + size * 0.3, 0.45, stroke=0, fill=1)
            canv.restoreState()
    return paint


def _wrapped(text: str, role: str, size: float, width: float) -> list[str]:
    block = TextBlock((b.Span(text),), TextStyle(font=role, size=size, leading=1.0, align="left", phrases=True))
    block.wrap(width, 1e9)
    return ["".join(line.text) for line in block._lines] or [text]


def link_contents(canv, width: float, placed: list) -> None:
    """Each 目次 entry, clicked, jumps to its heading (the whole line, leader and number included)."""
    for (level, text, anchor), y in placed:
        size = _entry_style(level)[0]
        above = (len(_entry_lines(text, level, width)) - 1) * size * 1.45
        canv.linkRect("", anchor, (0, y - size * 0.35, width, y + above + size * 1.05), relative=1, thickness=0)


def paint_colophon(colophon: b.Colophon, accent):
    def paint(canv, width, height):
        box_w = width * 0.72
        given = [(colophon.title, "heading-bold", 12), (colophon.date, "heading", 10.5), ("", "body", 6),
                 (f"【{colophon.heading}】{colophon.publisher}", "heading", 10.5)]
        given += [(line, "body", 10.5) for line in colophon.contact]
        lines = []  # each broken between phrases to the box's width (a long 計画名 takes two lines)
        for text, role, size in given:
            lines += [(part, role, size) for part in (_wrapped(text, role, size, box_w - 40) if text else [""])]
        box_h = sum(size * 1.9 for _, _, size in lines) + 24
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
                _link_addresses(canv, text, role, size, x0 + 20, y)
    return paint


ADDRESS = re.compile(r"https?://[\w./~%?&=:#+-]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def _link_addresses(canv, text: str, role: str, size: float, x: float, y: float) -> None:
    """A web address or an e-mail address in a line of text, clicked, opens it."""
    for match in ADDRESS.finditer(text):
        start = x + string_width(text[:match.start()], role, size)
        end = start + string_width(match.group(0), role, size)
        target = match.group(0) if "://" in match.group(0) else f"mailto:{match.group(0)}"
        canv.linkURL(target, (start, y - size * 0.25, end, y + size * 0.9), relative=1, thickness=0)


class ScheduleBars(Flowable):
    """The bars of one project row, drawn from the first grid cell across the cells to its right.

    Cell ``cells`` is the continuation column (``tail_width`` wide).  A phase label is set at the
    start of its bar only where it fits inside the bar (before the next bar starts), on a white
    ground that hides the cell rules it crosses.  When a label does not fit it is left out of the
    grid, and :attr:`phases` names every phase of the row in order for the table to print elsewhere."""

    LABEL = TextStyle(font="heading", size=8.0, leading=1.2, align="left")
    PAD = 1.5  # label inset from the bar's start
    HEAD = 4.0  # arrowhead length

    def __init__(self, bars, cells: int, cell_width: float, tail_width: float, continues: bool, accent,
                 label_color=None):
        super().__init__()
        self.cells, self.cell_width, self.tail_width = cells, cell_width, tail_width
        self.continues, self.accent = continues, accent
        self.label_color = label_color or HexColor("#000000")
        self.spans = self._place(bars)  # (bar, x0, x1, label shown)
        hidden = any(bar.label and not shown for bar, _, _, shown in self.spans)
        self.phases = [bar.label for bar, _, _, _ in self.spans if bar.label] if hidden else []

    def _x(self, index: int) -> float:
        """Left edge of cell ``index`` (``cells + 1``: the right edge of the continuation column)."""
        if index <= self.cells:
            return index * self.cell_width
        return self.cells * self.cell_width + self.tail_width

    def _place(self, bars) -> list:
        ordered = sorted(bars, key=lambda bar: (bar.start, bar.end))
        out = []
        for i, bar in enumerate(ordered):
            start = min(max(bar.start, 0), self.cells)
            end = min(max(bar.end, start), self.cells)
            x0 = self._x(start)
            x1 = self._x(self.cells + 1) if (i == len(ordered) - 1 and self.continues) else self._x(end + 1)
            room = self._x(end + 1) - x0  # the label stays inside the bar's own cells …
            if i + 1 < len(ordered):  # … and before the next bar's label
                room = min(room, self._x(min(max(ordered[i + 1].start, 0), self.cells)) - x0)
            width = string_width(bar.label, self.LABEL.font, self.LABEL.size)
            out.append((bar, x0, x1, bool(bar.label) and width + 2 * self.PAD <= room))
        return out

    def wrap(self, *_):
        self.width, self.height = self.cell_width, SYS_BAR_HEIGHT
        return self.width, self.height

    def draw(self):
        canv = self.canv
        size = self.LABEL.size
        mid = self.height / 2
        canv.saveState()
        canv.setStrokeColor(self.accent)
        canv.setFillColor(self.accent)
        canv.setLineWidth(1.1)
        for bar, x0, x1, shown in self.spans:
            start = x0 + self.PAD
            if shown:
                width = string_width(bar.label, self.LABEL.font, size)
                canv.saveState()
                canv.setFillColor(white)
                canv.rect(start - 0.5, mid - size * 0.6, width + 1, size * 1.2, stroke=0, fill=1)
                canv.setFillColor(self.label_color)
                canv.setFont(PDF_NAMES[self.LABEL.font], size)
                canv.drawString(start, mid - size * 0.35, bar.label)
                canv.restoreState()
                start += width + 2
            tip = x1 - 2
            if tip - start > self.HEAD + 1:  # a line with an arrowhead
                canv.line(start, mid, tip - self.HEAD + 1, mid)
                path = canv.beginPath()
                path.moveTo(tip, mid)
                path.lineTo(tip - self.HEAD, mid + 2.2)
                path.lineTo(tip - self.HEAD, mid - 2.2)
                path.close()
                canv.drawPath(path, stroke=0, fill=1)
            elif not shown and tip - start > 0.5:  # a cell too narrow for an arrow: a stroke
                canv.line(start, mid, tip, mid)
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
