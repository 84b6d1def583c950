"""The text of a composed booklet tree, and the lost-text and drawable checks.

Lost text: an inserted string is lost when a run of its visible characters (letters, kanji, kana,
digits — after NFKC) is missing from the tree under the documented reading (content/README.md,
"記号はすべての項目で書いたとおりに印刷されます"): symbols print as written — ``&amp;`` and
``&#x20BB7;`` are not character references, ``\\`` is not an escape — but ``{{ }}`` / ``{% %}`` are
evaluated in the files that have expressions, and a 文章 field's list marks (``1.`` → ①) are not text.
Readings that decode references or escapes are tried too, only to say so in the report.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import fields, is_dataclass
from typing import Any, Iterator

from docgen import booklet as b

# fields that are never drawn: link targets, ids, file names, colours, alignment, alt text
SKIP_FIELDS = {"anchor", "ref", "id", "source", "target", "slug", "lang", "accent", "kind", "align", "alt"}
DOCUMENT_META = {"title", "author", "subject"}  # PDF / Word properties of a Document, not drawn


def texts(node: Any) -> Iterator[str]:
    """Every drawn string of a booklet tree, in document order."""
    if isinstance(node, str):
        yield node
    elif is_dataclass(node) and not isinstance(node, type):
        for f in fields(node):
            if f.name in SKIP_FIELDS or (isinstance(node, b.Document) and f.name in DOCUMENT_META):
                continue
            value = getattr(node, f.name)
            if isinstance(node, b.GlossaryEntry) and f.name == "cards":
                yield from (number for number, _ in value)
            else:
                yield from texts(value)
    elif isinstance(node, (tuple, list)):
        for item in node:
            yield from texts(item)
    elif isinstance(node, dict):
        for item in node.values():
            yield from texts(item)


def _is_visible(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LN"


def visible(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if _is_visible(ch))


def runs(text: str) -> list[str]:
    """Maximal runs of visible characters (after NFKC)."""
    out, current = [], []
    for ch in unicodedata.normalize("NFKC", text):
        if _is_visible(ch):
            current.append(ch)
        elif current:
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out


_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_JINJA_BLOCKS = re.compile(r"\{%.*%\}", re.S)
_JINJA_EXPR = re.compile(r"\{\{.*?\}\}|\{#.*?#\}", re.S)
_ORDERED = re.compile(r"(?m)^[ \t]*\d{1,9}[.)](?=[ \t]|$)")


def readings(text: str, rich: bool = True, templated: bool = True, decoded: bool = False) -> list[str]:
    """The printed forms of a string as written in the content: as written, with expressions taken out
    (``templated``), with ordered-list numbers taken out (``rich``); ``decoded`` adds the forms with
    character references and backslash escapes decoded (not what the README documents)."""
    out = [text]
    if decoded:
        out += [html.unescape(text), _ESCAPE.sub(r"\1", text), html.unescape(_ESCAPE.sub(r"\1", text))]
    if templated:
        out += [_JINJA_EXPR.sub(" ", _JINJA_BLOCKS.sub(" ", t)) for t in out]
    if rich:
        out += [_ORDERED.sub("", t) for t in out]
    return list(dict.fromkeys(out))


def missing_runs(text: str, haystack: str, rich: bool = True, templated: bool = True,
                 decoded: bool = False) -> list[str] | None:
    """None when a reading of ``text`` has every visible run in ``haystack`` (the tree's
    :func:`visible` text); else the runs of the as-written reading that are missing."""
    for reading in readings(text, rich, templated, decoded):
        if all(run in haystack for run in runs(reading)):
            return None
    return [run for run in runs(text) if run not in haystack] or runs(text)


def undrawable(documents: list[b.Document], cover: frozenset[int]) -> dict[str, str]:
    """Characters in the trees the fonts cannot draw: {"U+XXXX": a sample of the text around it}."""
    found: dict[str, str] = {}
    for document in documents:
        for text in texts(document):
            for ch in set(text):
                if ch == "\n" or ord(ch) in cover:
                    continue
                key = f"U+{ord(ch):04X}"
                if key not in found:
                    index = text.index(ch)
                    found[key] = text[max(0, index - 12): index + 12]
    return found
