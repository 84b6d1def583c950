"""Line breaking and justification for Japanese text with Latin runs.

Independent of any PDF library: text comes in as styled runs, widths come from a ``measure``
callback, and lines come out with the x position of every character.  The rules themselves
(which character may start or end a line, 和欧間 spacing, 約物の連続) live in :mod:`docgen.jchars`.

* Spacing (JLReq 3.1.4, 3.2.6): a quarter em between Japanese and Latin letters or digits; back-to-back
  punctuation (``）、`` ``。（`` ``、「`` ``」」``) loses one half-em blank, so the pair takes 1.5 em — only
  for marks the font draws full width.  An opening bracket at the start of a line keeps its full
  width (JLReq 3.1.5 allows both; here every em box starts at the line's edge, the first line of a
  paragraph and a wrapped line alike).
* Greedy filling with 禁則: a break only where :func:`jchars.break_allowed` permits, so a character
  that may not start a line pulls the preceding character down with it (追い出し).  Ranges (``2～3回``,
  ``R8～``), numbers with units and Latin words are never split.
* In ``phrases`` mode (narrow table cells, names) the breaks are chosen for the whole text at once
  (:func:`_break_phrases`), the cheapest way weighing: breaks between phrases (BudouX boundaries,
  after punctuation, before an opening bracket) are free, where a word starts inside a phrase
  cheap; another line costs more than those, less than a break inside a word (``要しな|い``,
  ``手数|料``) or inside a parenthesis of up to ten characters (``（書かない|窓口）``); a line of one
  or two characters costs less than a line, more than any good break; lines left emptier cost a
  little.  So ``…（書かない窓口）の|導入`` becomes ``…|（書かない窓口）の導入``.
* ``justify``: every line but a paragraph's last (and lines ended by a forced break) is set flush
  to both edges by spreading the remaining space evenly over the gaps next to Japanese characters
  and at spaces — never inside a Latin word or a number, a squeezed punctuation pair or a range.
* A piece wider than the whole line (a very long URL) is the only thing ever broken mid-word.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Hashable, Literal

from . import jchars

Align = Literal["justify", "left", "center", "right"]


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
    advances: list[float] = field(default_factory=list)  # each character's advance width (as measured)

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


def pack_phrases(text: str, fits: Callable[[str], bool], max_lines: int = 2) -> list[str] | None:
    """A short name (a header cell's 第1四半期) as lines of whole phrases, packed greedily: 第1／四半期,
    where 禁則 alone would give 第1四／半期.  None when a phrase does not fit or more than
    ``max_lines`` lines are needed.  PDF and Word use it alike."""
    if fits(text):
        return [text]
    lines: list[str] = []
    for phrase in _budoux_parser().parse(text):
        if lines and fits(lines[-1] + phrase):
            lines[-1] += phrase
        elif fits(phrase):
            lines.append(phrase)
        else:
            return None
    return lines if len(lines) <= max_lines else None


@lru_cache(maxsize=1)
def _budoux_parser():
    import budoux

    return budoux.load_default_japanese_parser()


def layout(runs: list[tuple[str, Style]], width: float, measure: Measure, *, align: Align = "justify",
           indent: float = 0.0, phrases: bool = False) -> list[Line]:
    """Break styled runs into lines of at most ``width`` and place every character."""
    text = "".join(t for t, _ in runs)
    styles = [s for t, s in runs for _ in t]
    m = _Metrics(text, styles, measure)
    lines: list[Line] = []
    start = 0
    first = True
    for segment in text.split("\n"):
        end = start + len(segment)
        seg_indent = indent if first else 0.0
        if phrases:
            seg_lines = _break_phrases(text, styles, start, end, width, m, seg_indent)
        else:
            seg_lines = _break_segment(text, styles, start, end, width, m, seg_indent)
        if align == "justify" and not phrases:
            seg_lines = _avoid_short_last_line(text, styles, start, end, width, m, seg_indent, seg_lines)
        for i, (a, b) in enumerate(seg_lines):
            last = i == len(seg_lines) - 1
            line_indent = indent if (first and i == 0) else 0.0
            lines.append(_place(text, styles, a, b, width, m, line_indent,
                                align if not last else ("left" if align == "justify" else align),
                                justified=align == "justify" and not last))
        if not seg_lines:
            lines.append(Line("", [], [], 0.0, False))
        first = False
        start = end + 1
    return lines


class _Metrics:
    """What line breaking asks of every character of one text, worked out once: its advance width,
    the base gap before it (:func:`_gap`) and whether a line may break before it.  (The narrow-cell
    breaker tries a line from every candidate start, so it would otherwise ask each many times.)"""

    __slots__ = ("adv", "gap", "allowed")

    def __init__(self, text: str, styles: list[Style], measure: Measure):
        self.adv = [measure(ch, st) for ch, st in zip(text, styles)]
        self.gap = [0.0] + [_gap(text, styles, k, measure) for k in range(1, len(text))]
        self.allowed = [False] + [jchars.break_allowed(text[k - 1], text[k]) for k in range(1, len(text))]


def _gap(text: str, styles: list[Style], i: int, measure: Measure) -> float:
    """Base gap before character i: 和欧間 (a quarter of its em), or minus the half-em blank that
    約物の連続 takes out of the punctuation mark that carries it — if the font draws that mark full width."""
    prev, cur = text[i - 1], text[i]
    side = jchars.squeeze(prev, cur)
    if side:
        k = i - 1 if side < 0 else i
        size = styles[k].size
        if measure(text[k], styles[k]) < 0.9 * size:  # a proportional mark has no blank to take out
            return 0.0
        return jchars.gap_em(prev, cur) * size
    return jchars.gap_em(prev, cur) * styles[i].size


def _scan(text, styles, i, end, avail, m: _Metrics):
    """Fill one line from character ``i`` (not a space): the allowed line ends that fit, as
    (break index, natural width of the line without its trailing spaces), and the index of the first
    character that no longer fits (``end`` when the rest of the segment fits; it is then the last
    candidate)."""
    adv, gap, allowed = m.adv, m.gap, m.allowed
    x = solid = adv[i]
    out: list[tuple[int, float]] = []
    j = i + 1
    while j < end:
        if allowed[j]:
            out.append((j, solid))
        if text[j] == " ":  # a space takes room, but may hang past the edge: it is trimmed there
            x += adv[j]
            j += 1
            continue
        x += gap[j] + adv[j]
        if x > avail + 1e-6:
            return out, j
        solid = x
        j += 1
    out.append((end, solid))
    return out, end


def _skip_spaces(text: str, i: int, end: int) -> int:
    while i < end and text[i] == " ":  # no line starts with a space
        i += 1
    return i


def _break_segment(text, styles, start, end, width, m, indent) -> list[tuple[int, int]]:
    """Greedy line breaking of text[start:end]; returns (first, past-last) index pairs."""
    out: list[tuple[int, int]] = []
    i = _skip_spaces(text, start, end)
    avail = width - indent
    while i < end:
        fits, stop = _scan(text, styles, i, end, avail, m)
        cut = fits[-1][0] if fits else max(stop, i + 1)  # emergency: a piece wider than the line
        out.append((i, _trim(text, i, cut)))
        i = _skip_spaces(text, cut, end)
        avail = width
    return out


# Costs of a phrases-mode layout (see _break_phrases).  A line costs more than any break between
# words, less than breaking inside one: a narrow cell takes another line rather than 要しな|い.
_LINE = 30.0
_SHORT_LINE = 18.0  # a line of one or two characters (…の|導入, 効果検|証)
_RAGGED = 5.0  # times the square of the share of a line (not the last) left empty
_BREAK_WORD = 2.0  # inside a phrase where a kanji or katakana word starts (及び|情報), after a middle dot
_BREAK_KANJI = 3.0  # inside a kanji compound between likely words, BudouX agreeing (競争入札|参加資格)
_BREAK_KANJI_GUESS = 4.0  # … by jchars.kanji_words alone (電子化|事業開始)
_BREAK_KATAKANA = 4.0  # a BudouX phrase boundary between two katakana
_BREAK_INSIDE = 60.0  # anywhere else 禁則 allows: inside a word (要しな|い, 手数|料, 窓口）|の)
_KANJI_FRAGMENT = 40.0  # … more for one kanji of a compound left alone (効果検|証, 手|数料)
_PAREN = 100.0  # inside a parenthesis of at most _PAREN_CHARS characters (（書かない|窓口）)
_PAREN_CHARS = 10
_EMERGENCY = 1000.0  # a piece wider than the line, cut where it overflows


def _short_parens(text: str, start: int, end: int) -> set[int]:
    """Break positions inside a parenthesised group of at most _PAREN_CHARS characters."""
    inside: set[int] = set()
    stack: list[int] = []
    for k in range(start, end):
        ch = text[k]
        if ch in jchars.OPENING:
            stack.append(k)
        elif ch in jchars.CLOSING and stack:
            p = stack.pop()
            if k - p - 1 <= _PAREN_CHARS:
                inside.update(range(p + 1, k + 1))
    return inside


def _break_cost(text: str, start: int, end: int, j: int, boundaries: frozenset[int], parens: set[int]) -> float:
    """How poor a place for a line break the position between text[j-1] and text[j] is."""
    prev, cur = text[j - 1], text[j]
    cost = _PAREN if j in parens else 0.0
    kind_prev, kind_cur = jchars.script(prev), jchars.script(cur)
    if prev == " " or prev in jchars.COMMAS or prev in jchars.FULL_STOPS or cur in jchars.OPENING:
        return cost
    if prev in jchars.CLOSING:  # …窓口）|の導入: a particle stays with its bracket
        return cost + (_BREAK_INSIDE if kind_cur == "hiragana" else 0.0)
    if prev in jchars.MIDDLE_DOTS:
        return cost + _BREAK_WORD
    if kind_prev == kind_cur == "kanji":
        # BudouX does not know kanji compounds (it splits 効果|検|証, 手数|料): guess the words
        a, b = j - 1, j + 1
        while a > start and jchars.script(text[a - 1]) == "kanji":
            a -= 1
        while b < end and jchars.script(text[b]) == "kanji":
            b += 1
        if j - a == 1 or b - j == 1:
            return cost + _BREAK_INSIDE + _KANJI_FRAGMENT
        if (j - a) in jchars.kanji_words(text[a:b]):
            return cost + (_BREAK_KANJI if (j - start) in boundaries else _BREAK_KANJI_GUESS)
        return cost + _BREAK_INSIDE
    if (j - start) in boundaries:
        return cost + (_BREAK_KATAKANA if kind_prev == kind_cur == "katakana" else 0.0)
    if jchars.starts_word(prev, cur):
        return cost + _BREAK_WORD
    return cost + _BREAK_INSIDE


def _break_phrases(text, styles, start, end, width, m, indent) -> list[tuple[int, int]]:
    """The line breaks of text[start:end] chosen for the whole text (phrases mode, narrow cells).

    Every way of breaking the text at allowed places into lines that fit is weighed (dynamic
    programming over the break candidates) and the cheapest kept: each line costs _LINE, a line of
    one or two characters _SHORT_LINE more, each break what :func:`_break_cost` says, each line but
    the last _RAGGED times the square of the share of it left empty.  So
    ``窓口支援システム（書かない窓口）の|導入`` becomes ``窓口支援システム|（書かない窓口）の導入`` and
    ``業務の可視化実施、効果検|証`` becomes ``業務の可視化実施、|効果検証``, in the same number of lines."""
    first = _skip_spaces(text, start, end)
    if first >= end:
        return []
    boundaries = _phrase_boundaries(text[start:end])
    parens = _short_parens(text, start, end)
    best: dict[int, tuple[float, int]] = {first: (0.0, -1)}  # line start → (cost so far, previous start)
    done: tuple[float, int] | None = None  # (cost, start of the last line)
    for i in range(first, end):  # every line start is found from an earlier one
        if i not in best:
            continue
        cost_i = best[i][0]
        avail = width - indent if i == first else width
        fits, stop = _scan(text, styles, i, end, avail, m)
        if not fits:
            fits, emergency = [(max(stop, i + 1), avail)], _EMERGENCY
        else:
            emergency = 0.0
        for j, natural in fits:
            b = _trim(text, i, j)
            short = _SHORT_LINE if (b - i) - text.count(" ", i, b) <= 2 else 0.0
            if j >= end:
                total = cost_i + _LINE + short + emergency
                if done is None or total < done[0] - 1e-9:
                    done = (total, i)
                continue
            empty = max(0.0, avail - natural) / avail if avail > 0 else 0.0
            total = (cost_i + _LINE + short + emergency + _RAGGED * empty * empty
                     + (_break_cost(text, start, end, j, boundaries, parens) if not emergency else 0.0))
            nxt = _skip_spaces(text, j, end)
            if nxt >= end:  # only spaces follow: this is the last line
                if done is None or total < done[0] - 1e-9:
                    done = (total, i)
            elif nxt not in best or total < best[nxt][0] - 1e-9:
                best[nxt] = (total, i)
    assert done is not None
    out: list[tuple[int, int]] = []
    i, nxt = done[1], end
    while i >= 0:
        out.append((i, _trim(text, i, nxt)))
        i, nxt = best[i][1], i
    out.reverse()
    return out


def _avoid_short_last_line(text, styles, start, end, width, m, indent, lines):
    """A paragraph should not end on a line of one or two characters (孤立行): set the lines up to
    three em narrower — justification still fills the full width — if that keeps the line count."""
    if len(lines) < 2 or lines[-1][1] - lines[-1][0] > 2:
        return lines
    em = styles[start].size
    for k in (1, 2, 3):
        trial = _break_segment(text, styles, start, end, width - k * em, m, indent)
        if len(trial) == len(lines) and trial[-1][1] - trial[-1][0] >= 3:
            return trial
    return lines


def _trim(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1] == " ":
        b -= 1
    return b


def _place(text, styles, a, b, width, m: _Metrics, indent, align, justified) -> Line:
    chars = text[a:b]
    st = styles[a:b]
    xs: list[float] = []
    x = indent
    gaps: list[int] = []  # indexes (within the line) of gaps that may stretch
    for k in range(len(chars)):
        if k:
            x += m.gap[a + k]
            prev, cur = chars[k - 1], chars[k]
            if (jchars.is_wide(prev) or jchars.is_wide(cur) or prev == " ") and not jchars.solid(prev, cur):
                gaps.append(k)
        xs.append(x)
        x += m.adv[a + k]
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
    return Line(chars, st, xs, natural, justified and bool(gaps), m.adv[a:b])
