"""Japanese character classes (JLReq, https://www.w3.org/TR/jlreq/), in one place.

Line breaking, justification and text joining all ask this module what a character is.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

# JLReq cl-01 opening brackets: no line may end with one.
OPENING = set("（「『【〔［｛〈《〘〖‘“(『[{｟«")
# JLReq cl-02 closing brackets, cl-06/07 full stops and commas, cl-05 middle dots: no line may start with one.
CLOSING = set("）」』】〕］｝〉》〙〗’”)]}｠»")
FULL_STOPS = set("。．.")
COMMAS = set("、，,")
MIDDLE_DOTS = set("・：；:;")
# cl-03 hyphens, cl-04 dividing punctuation, cl-10 iteration marks, prolonged sound mark, small kana.
HYPHENS = set("‐〜゠–～")
DIVIDING = set("？！‼⁇⁈⁉?!")
ITERATION = set("ヽヾゝゞ々〻")
PROLONGED = set("ー")
SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
# Characters JLReq forbids at the start of a line (行頭禁則).
NOT_AT_LINE_START = (CLOSING | FULL_STOPS | COMMAS | MIDDLE_DOTS | HYPHENS | DIVIDING
                     | ITERATION | PROLONGED | SMALL_KANA | set("%％‰℃°′″"))
# Characters forbidden at the end of a line (行末禁則).
NOT_AT_LINE_END = OPENING | set("¥￥$＄＃#№〒")
# Inseparable characters (cl-08): never split between two of them.
INSEPARABLE = set("…‥—―")
# Wave dashes (cl-03) in ranges: 2～3回, R8～.
WAVE_DASHES = set("～〜")
# Kanji that usually end a compound word as a suffix (電子化, 手数料, 利用者, 廃棄物, 基幹系, 手数料等).
WORD_FINAL_KANJI = set("化的性料費率者物系等型別毎")
# Full-width marks whose em box ends in a half-em blank (cl-02, cl-06, cl-07).
_TRAILING_BLANK = CLOSING | FULL_STOPS | COMMAS
_PUNCTUATION = OPENING | CLOSING | COMMAS | FULL_STOPS | MIDDLE_DOTS | HYPHENS

# The character tests below are pure functions of one or two characters, asked for every character
# pair of the booklet on every layout pass (hundreds of thousands of times): they are cached.


@lru_cache(maxsize=1 << 16)
def is_wide(ch: str) -> bool:
    """True for characters set on the full-width (em) grid: kana, kanji, full-width forms.

    East Asian "ambiguous" characters (※ ① ☆ → ⇒ ○ …) are full-width in Japanese text; the
    ambiguous letters of the Latin, Greek and Cyrillic blocks stay narrow.
    """
    kind = unicodedata.east_asian_width(ch)
    return kind in ("W", "F") or (kind == "A" and ord(ch) >= 0x2000)


@lru_cache(maxsize=1 << 16)
def is_alnum(ch: str) -> bool:
    """A narrow letter or digit (the Latin side of 和欧間 spacing)."""
    return not is_wide(ch) and ch.isalnum()


@lru_cache(maxsize=1 << 16)
def break_allowed(prev: str, cur: str) -> bool:
    """May a line break fall between ``prev`` and ``cur``?  (JLReq 禁則 + UAX #14 for Latin runs.)

    * never before a character forbidden at a line start, never after one forbidden at a line end;
    * never inside a run of narrow characters (a Latin word, ``AI-OCR``, ``76.9%``, an address);
      after a space, always;
    * never between a number and the unit that follows it (``2023年``, ``100件``);
    * never between two inseparable characters (``……``);
    * never after a wave dash that a number or letter follows: a range ``2～3回`` is one unit (and
      since no line starts with a wave dash, ``R8～`` is one too).
    """
    if prev == " ":
        return cur != " "
    if cur == " ":
        return False
    if cur in NOT_AT_LINE_START or prev in NOT_AT_LINE_END:
        return False
    if prev in INSEPARABLE and cur in INSEPARABLE:
        return False
    if prev in WAVE_DASHES and (is_alnum(cur) or cur.isdigit()):
        return False
    prev_wide, cur_wide = is_wide(prev), is_wide(cur)
    if not prev_wide and not cur_wide:
        return False
    if prev.isdigit() and not prev_wide:
        return False
    return True


@lru_cache(maxsize=1 << 16)
def script(ch: str) -> str:
    """The writing system of a character: kanji, hiragana, katakana or other."""
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or ch in "々〆ヶ":
        return "kanji"
    if "\u3041" <= ch <= "\u309f":
        return "hiragana"
    if "\u30a0" <= ch <= "\u30ff" or "\u31f0" <= ch <= "\u31ff":
        return "katakana"
    return "other"


def starts_word(prev: str, cur: str) -> bool:
    """A likely word start inside a phrase: a kanji or katakana run begins (``及び|情報``,
    ``情報|セキュリティ``).  Used only when a phrase is too long for its line."""
    kind = script(cur)
    return kind in ("kanji", "katakana") and script(prev) != kind and cur not in PROLONGED


@lru_cache(maxsize=1 << 16)
def squeeze(prev: str, cur: str) -> int:
    """Which half-em blank JLReq 3.1.4 takes out between two adjacent punctuation marks.

    A full-width bracket, comma or full stop is half an em of ink and half an em of blank: the blank
    before an opening bracket (cl-01), after a closing bracket (cl-02), comma (cl-07) or full stop (cl-06);
    a middle dot (cl-05) has a quarter em on each side.  Back to back, one half-em blank goes (JLReq
    Appendix B, the spacing table):

    * a closing bracket, comma or full stop followed by a closing bracket, comma, full stop or middle dot
      loses the blank after it: ``）、`` ``。」`` ``」」`` ``）・`` take 1.5 em, not 2;
    * an opening bracket after a closing bracket, comma or full stop keeps its half em, the first mark's
      goes: ``）（`` ``。（`` ``、「`` are 1.5 em with half an em between the two inks;
    * an opening bracket after an opening bracket or a middle dot loses the blank before it: ``（「``,
      ``・（`` (the middle dot keeps its own quarters).

    Returns -1 when the blank after ``prev`` goes, +1 when the blank before ``cur`` goes, 0 otherwise.
    Only full-width marks have the blank: narrow ``( ) , .`` are never squeezed.
    """
    if not (is_wide(prev) and is_wide(cur)):
        return 0
    if prev in _TRAILING_BLANK and (cur in _TRAILING_BLANK or cur in MIDDLE_DOTS or cur in OPENING):
        return -1
    if cur in OPENING and (prev in OPENING or prev in MIDDLE_DOTS):
        return 1
    return 0


@lru_cache(maxsize=1 << 16)
def solid(prev: str, cur: str) -> bool:
    """True where justification must not add space: inside a squeezed punctuation pair (it stays
    1.5 em) and between a number or letter and a wave dash (a range, ``2～3`` ``R8～``, is set solid)."""
    if squeeze(prev, cur):
        return True
    return ((prev in WAVE_DASHES and (is_alnum(cur) or cur.isdigit()))
            or ((is_alnum(prev) or prev.isdigit()) and cur in WAVE_DASHES))


def kanji_words(run: str) -> set[int]:
    """Likely word boundaries (offsets) inside a run of kanji, without a dictionary.

    Kanji compounds are mostly built of two-kanji words, and a suffix (:data:`WORD_FINAL_KANJI`)
    joins the word before it; read from the end of the run: ``永年|保存|文書|電子化|事業|開始``,
    ``廃棄物|処理|手数料|口座|振替``, ``窓口|手数料等`` — and ``利|活用|拡大``: a guess, used only to
    choose between breaks inside a compound too long for its line (BudouX splits 効果|検|証, 手数|料).
    """
    out: set[int] = set()
    k = len(run)
    while k > 0:
        j = k
        while j > 0 and run[j - 1] in WORD_FINAL_KANJI and k - j < 2:
            j -= 1
        if j == 0:
            break
        k = max(0, j - 2)
        if k > 0:
            out.add(k)
    return out


@lru_cache(maxsize=1 << 16)
def gap_em(prev: str, cur: str) -> float:
    """Space (in em of the font size) JLReq puts between two adjacent characters before justification.

    * 和欧間: a quarter em between Japanese and a Latin letter or digit — not next to punctuation, and
      not next to a hyphen or wave dash (JLReq's table has no space between cl-03 and Western
      characters): ``R8～`` and ``2～3回`` are set solid, the same on both sides of the dash;
    * 約物の連続: -0.5 where :func:`squeeze` takes a half-em blank out of a punctuation pair
      (``総務課（DX）、`` — the ``）、`` takes 1.5 em).  The renderer applies it only to glyphs the
      font draws full width.
    """
    if squeeze(prev, cur):
        return -0.5
    if (is_wide(prev) and is_alnum(cur)) or (is_alnum(prev) and is_wide(cur)):
        if prev not in _PUNCTUATION and cur not in _PUNCTUATION:
            return 0.25
    return 0.0


def join_lines(left: str, right: str) -> str:
    """Join two source lines: no space between Japanese text, one space between Latin words."""
    if not left or not right:
        return left + right
    if is_wide(left[-1]) or is_wide(right[0]):
        return left + right
    return left + " " + right
