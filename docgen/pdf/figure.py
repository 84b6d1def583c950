"""Figures drawn as vector graphics from their box-and-arrow description."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib.colors import HexColor, white
from reportlab.platypus import Flowable

from .. import booklet as b
from .. import diagram
from .fonts import string_width
from .styles import BLACK, FRAME_H, MUTED, RULE, TextStyle, tint
from .text import TextBlock

TITLE = TextStyle(font="heading-bold", size=10.5, leading=1.45, align="center", phrases=True)
LINE = TextStyle(font="heading", size=9, leading=1.45, align="center", phrases=True)
ARROW_LABEL = TextStyle(font="heading", size=8.5, leading=1.3, align="left")


def box_texts(box: b.Box) -> list[TextBlock]:
    if box.kind == "item":
        hang = replace(LINE, align="left", left=string_width(box.label, LINE.font, LINE.size))
        return [TextBlock((b.Span(line),), hang, marker=box.label if k == 0 else "")
                for k, line in enumerate(box.lines)]
    color = white if box.kind == "plan" else BLACK
    out = [TextBlock((b.Span(box.lines[0]),), replace(TITLE, color=color))]
    return out + [TextBlock((b.Span(line),), replace(LINE, color=color)) for line in box.lines[1:]]


class Diagram(Flowable):
    def __init__(self, figure: b.Figure, accent: str, scale: float = 0.94):
        super().__init__()
        self.figure = figure
        self.accent = HexColor(accent)
        self.scale = scale
        self.hAlign = "CENTER"
        self.texts = {box.id: box_texts(box) for box in figure.boxes}

    def wrap(self, avail_width, avail_height):
        def text_height(box, width):
            return sum(t.wrap(width, 1e9)[1] for t in self.texts[box.id])
        self.layout = diagram.place(self.figure, avail_width * self.scale, text_height)
        # a figure taller than a whole page (a hierarchy of many groups) is drawn smaller to fit one
        # (with room left on its page for a chapter heading above it and its caption below)
        self.shrink = min(1.0, (FRAME_H - 120) / self.layout.height) if self.layout.height else 1.0
        self.width, self.height = self.layout.width * self.shrink, self.layout.height * self.shrink
        return self.width, self.height

    def draw(self):
        canv = self.canv
        canv.saveState()
        canv.scale(self.shrink, self.shrink)
        self._draw(canv)
        canv.restoreState()

    def _draw(self, canv):
        rects = self.layout.rects
        for box in self.figure.boxes:
            x, y, w, h = rects[box.id]
            canv.saveState()
            if box.kind == "plan":
                canv.setFillColor(self.accent)
                canv.setStrokeColor(self.accent)
            elif box.kind == "item":
                canv.setFillColor(white)
                canv.setStrokeColor(tint(self.accent, 0.6))
            elif box.kind == "outer":
                canv.setFillColor(HexColor("#F2F2F2"))
                canv.setStrokeColor(MUTED)
                canv.setDash(3, 2)
            else:
                canv.setFillColor(tint(self.accent, 0.12))
                canv.setStrokeColor(self.accent)
            canv.setLineWidth(1)
            canv.roundRect(x, y, w, h, 6, stroke=1, fill=1)
            canv.restoreState()
            texts = self.texts[box.id]
            total = sum(t.height for t in texts)
            top = y + h / 2 + total / 2
            for t in texts:
                top -= t.height
                t.drawOn(canv, x + diagram.PAD, top)
        for arrow in self.figure.arrows:
            size = (0.0, 0.0)
            label = TextBlock((b.Span(arrow.label),), ARROW_LABEL) if arrow.label else None
            if label is not None:
                size = label.wrap(160.0, 1e9)
            shape = diagram.arrow(rects[arrow.source], rects[arrow.target], tuple(rects.values()), size,
                                  self.layout.width)
            if label is not None and label.wrap(shape.label_width, 1e9) != size:  # wrapped: place it again
                shape = diagram.arrow(rects[arrow.source], rects[arrow.target], tuple(rects.values()),
                                      (label.width, label.height), self.layout.width)
            self._arrow(canv, shape, arrow)

    def _arrow(self, canv, shape: diagram.ArrowShape, arrow: b.Arrow):
        canv.saveState()
        canv.setStrokeColor(RULE)
        canv.setFillColor(RULE)
        canv.setLineWidth(1.4)
        if arrow.dashed:
            canv.setDash(4, 3)
        path = canv.beginPath()
        path.moveTo(*shape.path[0])
        for point in shape.path[1:]:
            path.lineTo(*point)
        canv.drawPath(path, stroke=1, fill=0)
        canv.setDash()
        path = canv.beginPath()
        path.moveTo(*shape.head[0])
        for point in shape.head[1:]:
            path.lineTo(*point)
        path.close()
        canv.drawPath(path, stroke=0, fill=1)
        canv.restoreState()
        if arrow.label:
            label = TextBlock((b.Span(arrow.label),), ARROW_LABEL)
            label.wrap(shape.label_width, 1e9)
            label.drawOn(canv, *shape.label_at)
