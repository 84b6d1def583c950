"""Japanese character classes (JLReq, https://www.w3.org/TR/jlreq/), in one place.

Line breaking, justification and text joining all ask this module what a character is.
"""

from __future__ import annotations

import unicodedata

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


def is_wide(ch: str) -> bool:
    """True for characters set on the full-width (em) grid: kana, kanji, full-width forms.

    East Asian "ambiguous" characters (※ ① ☆ → ⇒ ○ …) are full-width in Japanese text; the
    ambiguous letters of the Latin, Greek and Cyrillic blocks stay narrow.
    """
    kind = unicodedata.east_asian_width(ch)
    return kind in ("W", "F") or (kind == "A" and ord(ch) >= 0x2000)


def is_alnum(ch: str) -> bool:
    """A narrow letter or digit (the Latin side of 和欧間 spacing)."""
    return not is_wide(ch) and ch.isalnum()


def break_allowed(prev: str, cur: str) -> bool:
    """May a line break fall between ``prev`` and ``cur``?  (JLReq 禁則 + UAX #14 for Latin runs.)

    * never before a character forbidden at a line start, never after one forbidden at a line end;
    * never inside a run of narrow characters (a Latin word, ``AI-OCR``, ``76.9%``, an address);
      after a space, always;
    * never between a number and the unit that follows it (``2023年``, ``100件``);
    * never between two inseparable characters (``……``).
    """
    if prev == " ":
        return cur != " "
    if cur == " ":
        return False
    if cur in NOT_AT_LINE_START or prev in NOT_AT_LINE_END:
        return False
    if prev in INSEPARABLE and cur in INSEPARABLE:
        return False
    prev_wide, cur_wide = is_wide(prev), is_wide(cur)
    if not prev_wide and not cur_wide:
        return False
    if prev.isdigit() and not prev_wide:
        return False
    return True


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


def gap_em(prev: str, cur: str) -> float:
    """Extra space (in em) JLReq puts between two adjacent characters before justification.

    和欧間: a quarter em between Japanese and a Latin letter or digit (not next to punctuation).
    Consecutive punctuation (``）、`` ``。」``) is set at full width: compressing it would make the
    em boxes overlap, and text extracted from the PDF (search, copy, screen readers) would break
    the line there.
    """
    punctuation = OPENING | CLOSING | COMMAS | FULL_STOPS | MIDDLE_DOTS
    if (is_wide(prev) and is_alnum(cur)) or (is_alnum(prev) and is_wide(cur)):
        if prev not in punctuation and cur not in punctuation:
            return 0.25
    return 0.0


def join_lines(left: str, right: str) -> str:
    """Join two source lines: no space between Japanese text, one space between Latin words."""
    if not left or not right:
        return left + right
    if is_wide(left[-1]) or is_wide(right[0]):
        return left + right
    return left + " " + right
