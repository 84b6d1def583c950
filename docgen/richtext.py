"""Rich-text fields: a small Markdown subset parsed by markdown-it-py.

The subset (documented for staff in ``content/README.md``):

* paragraphs, separated by a blank line;
* bullet lists ``- 項目`` (printed with ・);
* numbered lists ``1. 項目`` (printed ①②③…);
* a forced line break: a line ending in ``\\``;
* labels such as ``（現状）`` or ``【①交付】`` at the start of a paragraph or list item, written
  plainly; they are printed in the heading typeface.

Anything else Markdown would recognise (headings, emphasis, links, code, quotes, HTML, nested
lists, …) is reported as a content error, as is a line starting with ``・`` (write ``- `` instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .jchars import join_lines

_MD = MarkdownIt("commonmark")

# A label: a bracketed word at the start of a paragraph or list item.
_LABEL = re.compile(r"^(（[^（）]{1,12}）|【[^【】]{1,16}】)")


@dataclass(frozen=True)
class Para:
    """A paragraph or list item.  ``label`` is the leading （現状）/【…】 label, if any."""

    text: str
    label: str = ""


@dataclass(frozen=True)
class BulletList:
    items: tuple[Para, ...]


@dataclass(frozen=True)
class OrderedList:
    items: tuple[Para, ...]
    start: int = 1


Block = Para | BulletList | OrderedList


@dataclass(frozen=True)
class RichText:
    blocks: tuple[Block, ...]

    def plain(self) -> str:
        """All the text, labels included, one block or item per line (for search and checks)."""
        out: list[str] = []
        for block in self.blocks:
            items = block.items if isinstance(block, (BulletList, OrderedList)) else (block,)
            out.extend(item.label + item.text for item in items)
        return "\n".join(out)

    def __bool__(self) -> bool:
        return bool(self.blocks)


_NOT_ALLOWED = {
    "heading_open": "見出し（#）は使えません",
    "lheading_open": "見出し（下線）は使えません",
    "blockquote_open": "引用（>）は使えません",
    "code_block": "字下げしたコードは使えません（行頭の空白を4つ未満に）",
    "fence": "コードブロック（```）は使えません",
    "hr": "区切り線（---）は使えません",
    "html_block": "HTMLタグは使えません。段落は空行で、箇条書きは「- 」で書いてください",
    "table_open": "表は使えません",
    "em_open": "強調（*…* や _…_）は使えません",
    "strong_open": "強調（**…**）は使えません",
    "link_open": "リンクは使えません",
    "image": "画像は使えません",
    "code_inline": "コード（`…`）は使えません",
    "html_inline": "HTMLタグは使えません",
}


def parse(source: str) -> tuple[RichText, list[tuple[int, str]]]:
    """Parse a rich-text field.

    Returns the text and a list of ``(line offset within the field, message)`` problems.
    """
    problems: list[tuple[int, str]] = []
    for offset, line in enumerate(source.splitlines()):
        if line.lstrip().startswith("・"):
            problems.append((offset, "行頭の「・」は使えません。箇条書きは「- 」で書いてください"))
    tokens = _MD.parse(source)
    blocks: list[Block] = []
    stack: list[tuple[str, list[Para], int]] = []  # open lists: (type, items, start)
    depth = 0
    for tok in tokens:
        line = tok.map[0] if tok.map else 0
        if tok.type in _NOT_ALLOWED:
            problems.append((line, _NOT_ALLOWED[tok.type]))
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth > 1:
                problems.append((line, "入れ子の箇条書きは使えません"))
            start = int(tok.attrGet("start") or 1)
            stack.append((tok.type, [], start))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
            kind, items, start = stack.pop()
            if stack:  # nested list: flatten into the parent so no text is lost
                stack[-1][1].extend(items)
            elif kind == "bullet_list_open":
                blocks.append(BulletList(tuple(items)))
            else:
                blocks.append(OrderedList(tuple(items), start))
        elif tok.type == "inline":
            para = _inline(tok, line, problems)
            if stack:
                stack[-1][1].append(para)
            else:
                blocks.append(para)
    return RichText(tuple(blocks)), problems


def _inline(tok, line: int, problems: list[tuple[int, str]]) -> Para:
    segments = [""]  # source lines of the paragraph, split at soft line breaks
    for child in tok.children or []:
        if child.type in ("text", "text_special"):
            segments[-1] += child.content
        elif child.type == "softbreak":
            line += 1
            segments.append("")
        elif child.type == "hardbreak":
            line += 1
            segments[-1] += "\n"
        elif child.type in _NOT_ALLOWED:
            problems.append((line, _NOT_ALLOWED[child.type]))
        elif not child.type.endswith("_close"):  # pragma: no cover - a token the subset does not list
            problems.append((line, f"使えない書式です（{child.type}）"))
    # soft line breaks: joined without a space in Japanese, with one between Latin words
    joined = segments[0]
    for segment in segments[1:]:
        joined = join_lines(joined, segment)
    match = _LABEL.match(joined)
    if match:
        return Para(joined[match.end():], match.group(1))
    return Para(joined)
