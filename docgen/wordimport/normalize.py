"""Text typed or pasted into Word, normalised as the content is written (see content/README.md):

* soft hyphens and zero-width characters go; a no-break space is a space; a tab is a space;
* no space between Japanese and a Latin word or number (``SNS の`` → ``SNSの``);
* half-width brackets around or next to Japanese become full-width: ``総務課(DX)`` → ``総務課（DX）``;
* spaces at the start and end of a line go (a full-width space typed as 字下げ too).
"""

from __future__ import annotations

import re

from ..jchars import is_wide

_DROP = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None)
_SPACES = str.maketrans({"\u00a0": " ", "\t": " ", "\u2002": " ", "\u2003": " ", "\u2009": " "})


def line(text: str) -> str:
    text = text.translate(_DROP).translate(_SPACES)
    text = _brackets(text)
    text = _wide_latin_spaces(text)
    return text.strip(" \u3000")


def _wide_latin_spaces(text: str) -> str:
    """Remove a run of spaces between a Japanese character and a Latin letter or digit (either
    order); elsewhere a run of spaces becomes one."""
    def replace(m: re.Match) -> str:
        start, end = m.start(), m.end()
        prev = text[start - 1] if start else ""
        nxt = text[end] if end < len(text) else ""
        if prev and nxt and is_wide(prev) != is_wide(nxt):
            return ""
        return " "
    return re.sub(r" +", replace, text)


def _brackets(text: str) -> str:
    chars = list(text)
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            start = stack.pop()
            before = chars[start - 1] if start > 0 else ""
            after = chars[i + 1] if i + 1 < len(chars) else ""
            inside = "".join(chars[start + 1:i])
            if (before and is_wide(before)) or (after and is_wide(after)) or any(is_wide(c) for c in inside):
                chars[start], chars[i] = "（", "）"
    return "".join(chars)
