"""Text flowables: paragraphs laid out by :mod:`docgen.linebreak` and drawn character-exact."""

from __future__ import annotations

import re

from dataclasses import replace
from typing import Callable

from reportlab.platypus import Flowable, Spacer

from .. import booklet as b
from ..linebreak import Line, Style, layout
from .fonts import PDF_NAMES, measure, string_width
from .styles import TextStyle

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_layout_cache: dict = {}

PageOf = Callable[[str], "str | None"]  # an anchor → its page label ("–" not yet known); None: not in
#                                         this document (the reference is printed without page or link)


def no_pages(anchor: str) -> None:
    return None


def page_ref(label: str) -> str:
    """How a page number follows a cross-reference or a glossary entry: （12頁）."""
    return f"（{label}頁）"


def resolve_refs(spans, page_of: PageOf) -> tuple[tuple[b.Span, ...], tuple[tuple[int, int, str], ...]]:
    """Spans with every cross-reference followed by its page number, and the links: (first, past-last
    character of the joined text, destination).  The link covers the reference and its page."""
    out: list[b.Span] = []
    links: list[tuple[int, int, str]] = []
    pos = 0
    for span in spans:
        label = page_of(span.ref) if span.ref else None
        if label is None:
            out.append(replace(span, ref=""))
            pos += len(span.text)
            continue
        page = b.Span(page_ref(label), span.label, span.underline)
        out += [replace(span, ref=""), page]
        links.append((pos, pos + len(span.text) + len(page.text), span.ref))
        pos += len(span.text) + len(page.text)
    return tuple(out), tuple(links)


def _line_starts(text: str, lines: list[Line]) -> list[int]:
    """Where each laid-out line starts in ``text`` (only spaces and line feeds fall between lines)."""
    starts, cursor = [], 0
    for line in lines:
        at = text.find(line.text, cursor) if line.text else cursor
        starts.append(at)
        cursor = at + len(line.text)
    return starts


def _cached_layout(runs, width, style: TextStyle) -> list[Line]:
    key = (tuple((t, s.key, s.size, s.underline) for t, s in runs), round(width, 3), style.align, style.indent,
           style.phrases, style.size)
    lines = _layout_cache.get(key)
    if lines is None:
        lines = layout(runs, width, measure, align=style.align, indent=style.indent * style.size,
                       phrases=style.phrases)
        if len(_layout_cache) > 20000:
            _layout_cache.clear()
        _layout_cache[key] = lines
    return lines


LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'&.\-]*[A-Za-z]")  # two or more letters


class TextBlock(Flowable):
    """One paragraph (or list item, with its marker hanging in the left indent).

    A span that is a cross-reference (``Span.ref``) is followed by the page it names, from
    ``page_of``, and linked to its destination."""

    def __init__(self, spans, style: TextStyle, marker: str = "", lines: list[Line] | None = None,
                 first: bool = True, last: bool = True, page_of: PageOf | None = None,
                 links: tuple = (), starts: list[int] | None = None):
        super().__init__()
        spans = tuple(spans)
        if any(s.ref for s in spans):
            spans, links = resolve_refs(spans, page_of or no_pages)
        self.spans = spans
        self.style = style
        self.marker = marker
        self._lines = lines
        self._first, self._last = first, last
        self._width = None
        self.links = links  # (first, past-last character, destination)
        self._starts = starts  # where each line starts in the text, when there are links

    # -- layout ------------------------------------------------------------------------------
    def runs(self) -> list[tuple[str, Style]]:
        """The spans as styled runs; a Latin word of two or more letters is set in the role's
        proportional face, so that it does not look typewritten (DX, ICT, Society)."""
        st = self.style
        out = []
        for s in self.spans:
            role = st.label_font if s.label else st.font
            last = 0
            for match in LATIN_WORD.finditer(s.text):
                if match.start() > last:
                    out.append((s.text[last:match.start()], Style(role, st.size, s.underline)))
                out.append((match.group(0), Style(f"{role}-latin", st.size, s.underline)))
                last = match.end()
            if last < len(s.text) or not s.text:
                out.append((s.text[last:], Style(role, st.size, s.underline)))
        return out

    @property
    def pitch(self) -> float:
        return self.style.size * self.style.leading

    def _space_before(self) -> float:
        return self.style.space_before if self._first else 0.0

    def _space_after(self) -> float:
        return self.style.space_after if self._last else 0.0

    def wrap(self, avail_width, avail_height):
        if self._lines is None or (self._width != avail_width and self._first and self._last):
            self._lines = _cached_layout(self.runs(), avail_width - self.style.left, self.style)
            self._width = avail_width
            if self.links:
                self._starts = _line_starts("".join(s.text for s in self.spans), self._lines)
        self.width = avail_width
        self.height = self._space_before() + len(self._lines) * self.pitch + self._space_after()
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        lines = self._lines
        fit = int((avail_height - self._space_before() + 1e-6) // self.pitch)
        if fit >= len(lines):  # every line fits and only the space after does not: that space goes
            starts = self._starts or [0] * len(lines)
            whole = TextBlock(self.spans, self.style, self.marker, lines, self._first, False,
                              links=self.links, starts=starts)
            whole._width = avail_width
            return [whole, Spacer(0, 0)]
        # widows and orphans: keep at least two lines on each side where the paragraph allows
        if len(lines) >= 4:
            fit = min(fit, len(lines) - 2)
            if fit < 2:
                return []
        if fit < 1:
            return []
        starts = self._starts or [0] * len(lines)
        head = TextBlock(self.spans, self.style, self.marker, lines[:fit], self._first, False,
                         links=self.links, starts=starts[:fit])
        tail = TextBlock(self.spans, self.style, "", lines[fit:], False, self._last,
                         links=self.links, starts=starts[fit:])
        head._width = tail._width = avail_width
        return [head, tail]

    # -- drawing -------------------------------------------------------------------------------
    def draw(self):
        canv = self.canv
        st = self.style
        pitch = self.pitch
        top = self.height - self._space_before()
        baseline_drop = (pitch - st.size) / 2 + st.size * 0.88
        text = canv.beginText()
        canv.setFillColor(st.color)
        for i, line in enumerate(self._lines):
            y = top - i * pitch - baseline_drop
            if i == 0 and self.marker:
                text.setTextOrigin(max(0.0, st.left - string_width(self.marker, st.font, st.size)), y)
                text.setFont(PDF_NAMES[st.font], st.size)
                text.setCharSpace(0)
                text.textOut(self.marker)
            draw_line(text, line, st.left, y)
        canv.drawText(text)
        for i, line in enumerate(self._lines):
            y = top - i * pitch - baseline_drop
            draw_underlines(canv, line, st.left, y, st.color)
            if self.links:
                self._link_line(line, self._starts[i], y)

    def _link_line(self, line: Line, start: int, y: float) -> None:
        """Link the characters of this line that belong to a cross-reference."""
        end = start + len(line.text)
        for first, past, destination in self.links:
            a, z = max(first, start) - start, min(past, end) - start
            if a >= z:
                continue
            x1 = self.style.left + line.xs[a]
            x2 = self.style.left + line.xs[z - 1] + measure(line.text[z - 1], line.styles[z - 1])
            size = self.style.size
            self.canv.linkRect("", destination, (x1, y - size * 0.25, x2, y + size * 0.95), relative=1,
                               thickness=0)


class LinkedText(TextBlock):
    """A paragraph that, clicked in a PDF viewer, jumps to a named destination (a card)."""

    def __init__(self, spans, style: TextStyle, destination: str):
        super().__init__(spans, style)
        self.destination = destination

    def draw(self):
        super().draw()
        self.canv.linkRect("", self.destination, (0, 0, self.width, self.height), relative=1, thickness=0)


_NUDGE = 0.0002  # points per segment: more than the rounding of the PDF's numbers, far less than a hair


def draw_line(text, line: Line, x0: float, y: float) -> None:
    """Emit one laid-out line as few text segments as its spacing allows.

    A segment is a run of characters in one style each followed by the same space, drawn with that
    space as its character spacing: the space after a character belongs to it, so each segment
    starts where the one before leaves the text cursor.  Text extraction (pdftotext, search, copy,
    screen readers) starts a new word — and may start a new line — where a character is placed
    behind the cursor: a mark squeezed against the next one (``）、``, 約物の連続) carries its negative
    space itself, and each segment is placed a little further (_NUDGE more per segment) than the
    cursor should stand, so that the rounding of the PDF's numbers never moves it back."""
    chars, styles, xs = line.text, line.styles, line.xs
    n = len(chars)
    advances = line.advances

    def space_after(k: int) -> float | None:
        return xs[k + 1] - xs[k] - advances[k] if k + 1 < n else None

    k = segment = 0
    while k < n:
        style = styles[k]
        spacing = space_after(k)
        j = k + 1
        while j < n and styles[j] == style:
            after = space_after(j)
            if after is not None and abs(after - spacing) > 1e-4:
                break
            j += 1
        text.setTextOrigin(x0 + xs[k] + segment * _NUDGE, y)
        text.setFont(PDF_NAMES[style.key], style.size)
        text.setCharSpace(spacing or 0.0)
        text.textOut(chars[k:j])
        k = j
        segment += 1


def draw_underlines(canv, line: Line, x0: float, y: float, color) -> None:
    """Underline the runs of characters whose style says so (changed passages)."""
    chars, styles, xs = line.text, line.styles, line.xs
    k, n = 0, len(chars)
    while k < n:
        if not styles[k].underline:
            k += 1
            continue
        j = k
        while j + 1 < n and styles[j + 1].underline:
            j += 1
        x1 = xs[k]
        x2 = xs[j] + measure(chars[j], styles[j])
        size = styles[k].size
        canv.saveState()
        canv.setFillColor(color)
        canv.rect(x0 + x1, y - size * 0.16, x2 - x1, size * 0.07, stroke=0, fill=1)
        canv.restoreState()
        k = j + 1


def block_flowables(block: b.Para | b.ListBlock, style: TextStyle, list_style: TextStyle | None = None,
                    page_of: PageOf | None = None) -> list:
    """Flowables for a paragraph or list of the booklet tree (tables: :mod:`.blocks`)."""
    if isinstance(block, b.Para):
        para_style = style if block.indent else replace(style, indent=0.0)
        return [TextBlock(block.spans, para_style, page_of=page_of)]
    item_style = list_style or replace(style, indent=0.0, left=style.size * 1.0, space_after=0)
    if block.plain:
        return [TextBlock(item.spans, replace(item_style, left=item_style.left + 2 * item_style.size),
                          page_of=page_of)
                for item in block.items]
    out = []
    for n, item in enumerate(block.items):
        if block.ordered:
            index = block.start + n - 1
            marker = CIRCLED[index] if 0 <= index < len(CIRCLED) else f"{index + 1}."
        else:
            marker = "・"
        out.append(TextBlock(item.spans, item_style, marker=marker, page_of=page_of))
    return out
