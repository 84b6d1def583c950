"""Figures as PNG images for Word, drawn from the same geometry as the PDF's vector figures."""

from __future__ import annotations

import io
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from .. import booklet as b
from .. import diagram, fonts
from ..linebreak import Style, layout

DPI = 300
SCALE = DPI / 72.0  # pixels per point
TITLE, LINE, LABEL = ("heading-bold", 10.5), ("heading", 9.0), ("heading", 8.5)
PITCH = 1.45


@lru_cache(maxsize=16)
def _font(role: str, size: float) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(fonts.require()[role]), round(size * SCALE))


@lru_cache(maxsize=1 << 15)
def _measure(ch: str, style: Style) -> float:
    return _font(style.key, style.size).getlength(ch) / SCALE


@lru_cache(maxsize=4096)
def _lines(text: str, role: str, size: float, width: float, align: str = "center"):
    """Lines of a text (cached: every card's labels are broken alike)."""
    return tuple(layout([(text, Style(role, size))], width, _measure, align=align, phrases=True))


def phrase_lines(text: str, role: str, size: float, width: float) -> list[str]:
    """``text`` broken at phrase boundaries into lines of at most ``width`` points, measured with
    the same fonts Word uses: narrow table cells (labels, names) then break where a reader expects,
    not wherever Word's character wrapping happens to fall."""
    return [line.text for line in _lines(text, role, size, width, align="left")]


def text_width(text: str, role: str, size: float) -> float:
    """Width of ``text`` on one line in points, measured with the fonts Word uses."""
    style = Style(role, size)
    return sum(_measure(ch, style) for ch in text)


def _box_text(box: b.Box, width: float):
    """(line, style, x offset) for each line of a box; a label hangs before the first line."""
    if box.kind == "item":
        hang = sum(_measure(ch, Style(*LINE)) for ch in box.label)
        out = []
        for text in box.lines:
            out += [(line, LINE, hang) for line in _lines(text, *LINE, width - hang, align="left")]
        return out
    out = [(line, TITLE, 0.0) for line in _lines(box.lines[0], *TITLE, width)]
    for text in box.lines[1:]:
        out += [(line, LINE, 0.0) for line in _lines(text, *LINE, width)]
    return out


def _rgb(hex_color: str) -> tuple[int, int, int]:
    h = hex_color.lstrip("#")
    return int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)


def render_png(figure: b.Figure, accent: str, width_pt: float) -> tuple[bytes, float, float]:
    """PNG bytes of the figure at print resolution, and its size in points."""
    texts = {}

    def text_height(box, inner):
        texts[box.id] = _box_text(box, inner)
        return sum(style[1] * PITCH for _, style, _ in texts[box.id])

    geo = diagram.place(figure, width_pt, text_height)
    w_px, h_px = round(geo.width * SCALE) + 4, round(geo.height * SCALE) + 4
    image = Image.new("RGB", (w_px, h_px), "white")
    draw = ImageDraw.Draw(image)
    accent_rgb = _rgb(accent)
    light = tuple(round(255 - (255 - c) * 0.12) for c in accent_rgb)

    def px(x, y):  # PDF-style coordinates (origin bottom left) to image pixels
        return round(x * SCALE) + 2, round((geo.height - y) * SCALE) + 2

    for box in figure.boxes:
        x, y, w, h = geo.rects[box.id]
        fill, outline, color = {"plan": (accent_rgb, accent_rgb, (255, 255, 255)),
                                "item": ((255, 255, 255), tuple(round(255 - (255 - c) * 0.6) for c in accent_rgb),
                                         (0, 0, 0)),
                                "outer": ((242, 242, 242), (89, 89, 89), (0, 0, 0))}.get(
            box.kind, (light, accent_rgb, (0, 0, 0)))
        draw.rounded_rectangle([px(x, y + h), px(x + w, y)], radius=round(6 * SCALE), fill=fill,
                               outline=outline, width=round(1 * SCALE))
        lines = texts[box.id]
        total = sum(style[1] * PITCH for _, style, _ in lines)
        top = y + h / 2 + total / 2
        for k, (line, (role, size), hang) in enumerate(lines):
            pitch = size * PITCH
            baseline = top - (pitch - size) / 2 - size * 0.88
            if k == 0 and box.label:
                draw.text(px(x + diagram.PAD, baseline), box.label, font=_font(role, size), fill=color,
                          anchor="ls")
            for ch, cx in zip(line.text, line.xs):
                draw.text(px(x + diagram.PAD + hang + cx, baseline), ch, font=_font(role, size), fill=color,
                          anchor="ls")
            top -= pitch
    gray = (77, 77, 77)
    for arrow in figure.arrows:
        size = (0.0, 0.0)

        def measured(room: float) -> tuple[float, float]:
            wrapped = _lines(arrow.label, *LABEL, room, align="left")
            return (max(line.width for line in wrapped) if wrapped else 0.0, len(wrapped) * LABEL[1] * 1.3)
        if arrow.label:
            size = measured(160.0)
        shape = diagram.arrow(geo.rects[arrow.source], geo.rects[arrow.target], tuple(geo.rects.values()), size,
                              geo.width)
        if arrow.label and measured(shape.label_width) != size:  # wrapped: place it again
            shape = diagram.arrow(geo.rects[arrow.source], geo.rects[arrow.target], tuple(geo.rects.values()),
                                  measured(shape.label_width), geo.width)
        for a, b_ in shape.segments:
            _line(draw, px(*a), px(*b_), gray, round(1.4 * SCALE), arrow.dashed)
        draw.polygon([px(*p) for p in shape.head], fill=gray)
        if arrow.label:
            y = shape.label_at[1]
            # the picture ends at the figure's edge: a label that would run past it wraps there
            room = min(shape.label_width, geo.width - shape.label_at[0] - 1)
            lines = _lines(arrow.label, *LABEL, max(room, LABEL[1] * 2), align="left")
            y += (len(lines) - 1) * LABEL[1] * 1.3
            for line in lines:
                for ch, cx in zip(line.text, line.xs):
                    draw.text(px(shape.label_at[0] + cx, y + 2), ch, font=_font(*LABEL), fill=(0, 0, 0),
                              anchor="ls")
                y -= LABEL[1] * 1.3
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False, compress_level=1, dpi=(DPI, DPI))
    return buffer.getvalue(), geo.width, geo.height


def _line(draw, a, b_, color, width, dashed):
    if not dashed:
        draw.line([a, b_], fill=color, width=width)
        return
    (x0, y0), (x1, y1) = a, b_
    length = max(abs(x1 - x0), abs(y1 - y0))
    dash, gap = 4 * SCALE, 3 * SCALE
    t = 0.0
    while t < length:
        t1 = min(t + dash, length)
        draw.line([(x0 + (x1 - x0) * t / length, y0 + (y1 - y0) * t / length),
                   (x0 + (x1 - x0) * t1 / length, y0 + (y1 - y0) * t1 / length)], fill=color, width=width)
        t = t1 + gap
