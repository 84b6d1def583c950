"""Line breaking and justification for Japanese text with Latin runs.

Independent of any PDF library: text comes in as styled runs, widths come from a ``measure``
callback, and lines come out with the x position of every character.  The rules themselves
(which character may start or end a line, 和欧間 spacing, 約物の連続) live in :mod:`docgen.jchars`.

* Greedy filling with 禁則: a break only where :func:`jchars.break_allowed` permits, so a character
  that may not start a line pulls the preceding character down with it (追い出し).
* In ``phrases`` mode (narrow table cells) breaks fall on BudouX phrase boundaries when possible;
  inside a phrase too long for the line, after punctuation, else where a kanji or katakana word starts.
* ``justify``: every line but a paragraph's last (and lines ended by a forced break) is set flush
  to both edges by spreading the remaining space evenly over the gaps next to Japanese characters
  and at spaces — never inside a Latin word or a number.
* A piece wider than the whole line (a very long URL) is the only thing ever broken mid-word.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Hashable, Literal

from . import jchars

Align = Literal["justify", "left", "center", "right"]
_PUNCT_BREAK = set("、，・）」』】〕")


@dataclass(frozen=True)
class Style:
    """What a character is drawn with; ``key`` identifies the font for the renderer."""

    key: Hashable
    size: float
    underline: bool = False


Measure = Callable[[str, Style], float]


@dataclass
class Line:
    text: str
    styles: list[Style]
    xs: list[float]  # x of each character, relative to the line's left edge
    width: float  # natural width, before justification
    justified: bool

    def end_x(self, measure: Measure) -> float:
        if not self.text:
            return 0.0
        return self.xs[-1] + measure(self.text[-1], self.styles[-1])


@lru_cache(maxsize=4096)
def _phrase_boundaries(text: str) -> frozenset[int]:

    parser = _budoux_parser()
    out, pos = set(), 0
    for phrase in parser.parse(text):
        pos += len(phrase)
        out.add(pos)
    return frozenset(out)


@lru_cache(maxsize=1)
def _budoux_parser():
    import budoux

    return budoux.load_default_japanese_parser()


def layout(runs: list[tuple[str, Style]], width: float, measure: Measure, *, align: Align = "justify",
           indent: float = 0.0, phrases: bool = False) -> list[Line]:
    """Break styled runs into lines of at most ``width`` and place every character."""
    text = "".join(t for t, _ in runs)
    styles = [s for t, s in runs for _ in t]
    lines: list[Line] = []
    start = 0
    first = True
    for segment in text.split("\n"):
        end = start + len(segment)
        seg_indent = indent if first else 0.0
        seg_lines = _break_segment(text, styles, start, end, width, measure, seg_indent, phrases)
        if align == "justify" and not phrases:
            seg_lines = _avoid_short_last_line(text, styles, start, end, width, measure, seg_indent, seg_lines)
        for i, (a, b) in enumerate(seg_lines):
            last = i == len(seg_lines) - 1
            line_indent = indent if (first and i == 0) else 0.0
            lines.append(_place(text, styles, a, b, width, measure, line_indent,
                                align if not last else ("left" if align == "justify" else align),
                                justified=align == "justify" and not last))
        if not seg_lines:
            lines.append(Line("", [], [], 0.0, False))
        first = False
        start = end + 1
    return lines


def _advance(text: str, styles: list[Style], i: int, measure: Measure) -> float:
    return measure(text[i], styles[i])


def _gap(text: str, styles: list[Style], i: int) -> float:
    """Base gap before character i (和欧間, 約物の連続)."""
    return jchars.gap_em(text[i - 1], text[i]) * styles[i].size


def _break_segment(text, styles, start, end, width, measure, indent, phrases) -> list[tuple[int, int]]:
    """Greedy line breaking of text[start:end]; returns (first, past-last) index pairs."""
    out: list[tuple[int, int]] = []
    if start == end:
        return out
    boundaries = _phrase_boundaries(text[start:end]) if phrases else frozenset()
    i = start
    avail = width - indent
    while i < end:
        while i < end and text[i] == " ":  # no line starts with a space
            i += 1
        if i >= end:
            break
        x = _advance(text, styles, i, measure)
        best = None  # the last allowed break that fits
        best_phrase = None  # … on a phrase boundary (phrases mode)
        best_punct = None  # … after punctuation, the next best place in a phrase too long to keep
        best_word = None  # … where a kanji or katakana word starts, next best after that
        j = i + 1
        while j < end:
            if jchars.break_allowed(text[j - 1], text[j]):
                best = j
                if not phrases or (j - start) in boundaries or text[j - 1] == " ":
                    best_phrase = j
                if text[j - 1] in _PUNCT_BREAK:
                    best_punct = j
                if phrases and jchars.starts_word(text[j - 1], text[j]):
                    best_word = j
            if text[j] == " ":  # a space takes room, but may hang past the edge: it is trimmed there
                x += _advance(text, styles, j, measure)
                j += 1
                continue
            x += _gap(text, styles, j) + _advance(text, styles, j, measure)
            if x > avail + 1e-6:
                break
            j += 1
        else:
            out.append((i, _trim(text, i, end)))
            break
        cut = (best_phrase or best_punct or best_word or best) if phrases else best
        if cut is None or cut <= i:
            cut = max(j, i + 1)  # emergency: a piece wider than the line
        out.append((i, _trim(text, i, cut)))
        i = cut
        avail = width
    return out


def _avoid_short_last_line(text, styles, start, end, width, measure, indent, lines):
    """A paragraph should not end on a line of one or two characters (孤立行): set the lines up to
    three em narrower — justification still fills the full width — if that keeps the line count."""
    if len(lines) < 2 or lines[-1][1] - lines[-1][0] > 2:
        return lines
    em = styles[start].size
    for k in (1, 2, 3):
        trial = _break_segment(text, styles, start, end, width - k * em, measure, indent, False)
        if len(trial) == len(lines) and trial[-1][1] - trial[-1][0] >= 3:
            return trial
    return lines


def _trim(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] == " ":
        b -= 1
    return b


def _place(text, styles, a, b, width, measure, indent, align, justified) -> Line:
    chars = text[a:b]
    st = styles[a:b]
    xs: list[float] = []
    x = indent
    gaps: list[int] = []  # indexes (within the line) of gaps that may stretch
    for k in range(len(chars)):
        if k:
            x += _gap(text, styles, a + k)
            prev, cur = chars[k - 1], chars[k]
            if jchars.is_wide(prev) or jchars.is_wide(cur) or prev == " ":
                gaps.append(k)
        xs.append(x)
        x += measure(chars[k], st[k])
    natural = x
    slack = width - natural
    if justified and gaps and slack > 0:
        extra = slack / len(gaps)
        shift = 0.0
        gapset = set(gaps)
        for k in range(len(chars)):
            if k in gapset:
                shift += extra
            xs[k] += shift
    elif align == "center" and slack > 0:
        xs = [v + slack / 2 for v in xs]
    elif align == "right" and slack > 0:
        xs = [v + slack for v in xs]
    return Line(chars, st, xs, natural, justified and bool(gaps))
