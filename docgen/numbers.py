"""Numbering formats written in content: 「基本方針{番号}」「（{番号}）」「第{番号:漢数字}章」
「{項目の通し番号}-{連番}」「{基本目標:英大}-{連番:02}」.

A format is text with placeholders ``{名前}`` or ``{名前:書き方}``.  The names a format may use are
given by the caller (the level's own 番号, its parents' numbers by level name, 通し番号 across the
plan, a project's 連番).  The 書き方 (style) of a number:

====== =================== ======
書き方  例 (3)             読める形
====== =================== ======
(なし)  3                   3
02     03 (桁を0で埋める)   03
全角   ３
丸     ③ (1–20)
漢数字 三
英大   C
英小   c
ローマ Ⅲ (1–12)
====== =================== ======

:func:`parse` reads a number back out of a written text (a project's own 事業番号), so that
``docgen check`` can enforce the scheme instead of one regular expression.
"""

from __future__ import annotations

import difflib
import re

PLACEHOLDER = re.compile(r"\{([^{}:]*)(?::([^{}]*))?\}")
STYLES = ("全角", "丸", "漢数字", "英大", "英小", "ローマ")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ"
_KANJI = "〇一二三四五六七八九"
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")
_NARROW = str.maketrans("０１２３４５６７８９", "0123456789")


def style_ok(style: str) -> bool:
    return style == "" or style in STYLES or (style.isascii() and style.isdigit() and 1 <= len(style) <= 2)


def problems(fmt: str, allowed: list[str], required: tuple[str, ...] = ()) -> list[str]:
    """What is wrong with a format, as Japanese messages (empty when it is fine)."""
    out = []
    stripped = PLACEHOLDER.sub("", fmt)
    if "{" in stripped or "}" in stripped:
        out.append("「{」と「}」の組が合っていません（{番号} のように書きます）")
    used = set()
    for name, style in PLACEHOLDER.findall(fmt):
        used.add(name)
        if name not in allowed:
            near = difflib.get_close_matches(name, allowed, n=1, cutoff=0.3)
            hint = f"「{{{near[0]}}}」の書き間違いではありませんか" if near else "使える名前: " + "、".join(
                f"{{{a}}}" for a in allowed)
            out.append(f"{{{name}}} という名前は使えません（{hint}）")
        if not style_ok(style):
            out.append(f"書き方「{style}」は使えません（使える書き方: 02 など桁数、" + "、".join(STYLES) + "）")
    for name in required:
        if name not in used:
            out.append(f"{{{name}}} を含めてください")
    return out


def show(n: int, style: str = "") -> str:
    """A number in a style; a number the style cannot show falls back to arabic digits."""
    if style == "":
        return str(n)
    if style.isdigit():
        return str(n).zfill(int(style))
    if style == "全角":
        return str(n).translate(_WIDE)
    if style == "丸":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if style == "ローマ":
        return _ROMAN[n - 1] if 1 <= n <= len(_ROMAN) else str(n)
    if style == "漢数字":
        return _kanji(n)
    if style in ("英大", "英小"):
        letters = ""
        k = n
        while k > 0:
            k, r = divmod(k - 1, 26)
            letters = chr(65 + r) + letters
        return (letters or str(n)) if style == "英大" else (letters.lower() or str(n))
    return str(n)


def _kanji(n: int) -> str:
    if n <= 0 or n >= 10000:
        return str(n)
    out = ""
    for value, word in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else _KANJI[digit]) + word
    return out + (_KANJI[n] if n else "")


def _read(text: str, style: str) -> int | None:
    """The number a styled text shows (the inverse of :func:`show`)."""
    if style == "" or style.isdigit():
        return int(text) if text.isascii() and text.isdigit() else None
    if style == "全角":
        return int(text.translate(_NARROW))
    if style == "丸":
        return _CIRCLED.index(text) + 1
    if style == "ローマ":
        return _ROMAN.index(text) + 1
    if style in ("英大", "英小"):
        n = 0
        for ch in text.upper():
            n = n * 26 + ord(ch) - 64
        return n
    if style == "漢数字":
        for n in range(1, 10000):
            if _kanji(n) == text:
                return n
    return None


_PATTERNS = {"": r"\d+", "全角": "[０-９]+", "丸": f"[{_CIRCLED}]", "ローマ": f"[{_ROMAN}]",
             "英大": "[A-Z]+", "英小": "[a-z]+", "漢数字": "[〇一二三四五六七八九十百千]+"}


def render(fmt: str, values: dict[str, int]) -> str:
    """The format with every placeholder replaced by its number."""
    return PLACEHOLDER.sub(lambda m: show(values.get(m.group(1), 0), m.group(2) or ""), fmt)


def parse(fmt: str, text: str, known: dict[str, int], free: str) -> int | None:
    """Read the ``free`` placeholder's number out of ``text`` written in ``fmt``, the other
    placeholders standing for the ``known`` numbers.  None when ``text`` is not so written."""
    pattern, styles = "", []
    last = 0
    for match in PLACEHOLDER.finditer(fmt):
        pattern += re.escape(fmt[last:match.start()])
        name, style = match.group(1), match.group(2) or ""
        if name == free:
            pattern += "(" + _PATTERNS.get("" if style.isdigit() else style, r"\d+") + ")"
            styles.append(style)
        else:
            pattern += re.escape(show(known.get(name, 0), style))
        last = match.end()
    pattern += re.escape(fmt[last:])
    match = re.fullmatch(pattern, text)
    if not match:
        return None
    read = {_read(group, style) for group, style in zip(match.groups(), styles)
            if show(_read(group, style) or 0, style) == group}  # 02 is not how {連番} writes 2
    return read.pop() if len(read) == 1 and len(match.groups()) == len(styles) else None


def fill(fmt: str, values: dict[str, str]) -> str:
    """A label format with text for its placeholders (「{番号}「{事業名}」」, 「{所管課} 担当分」)."""
    return PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), fmt)
