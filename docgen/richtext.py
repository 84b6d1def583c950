"""Rich-text fields: a small Markdown subset parsed by markdown-it-py.

The subset (documented for staff in ``content/README.md``):

* paragraphs, separated by a blank line;
* bullet lists ``- 項目`` (printed with ・);
* numbered lists ``1. 項目`` (printed ①②③…);
* a forced line break: a line ending in ``\\``;
* labels such as ``（現状）`` or ``【①交付】`` at the start of a paragraph or list item, written
  plainly; they are printed in the heading typeface.

* a cross-reference to a project: ``[[4-10]]`` (its number) or ``[[電子入札システムの導入]]`` (its
  name), printed as the number and name with a link to the card (and its page in print).

Prose chapters may also use:

* sub-headings ``## 見出し`` and ``### 見出し``;
* tables, GitHub-style (``| 列 | 列 |`` with a ``|---|---|`` line under the header row).

Anything else Markdown would recognise (emphasis, links, code, quotes, HTML, nested lists, …) is
reported as a content error, as is a line starting with ``・`` (write ``- `` instead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from .jchars import join_lines

_MD = MarkdownIt("commonmark").enable("table")

REF = re.compile(r"\[\[([^\[\]\n]{1,120})\]\]")

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


@dataclass(frozen=True)
class SubHeading:
    """A sub-heading of a prose chapter: level 2 (``##``) or 3 (``###``)."""

    level: int
    text: str


@dataclass(frozen=True)
class TableData:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    aligns: tuple[str, ...]  # left / center / right per column


Block = Para | BulletList | OrderedList | SubHeading | TableData


def _literal(source: str) -> str:
    """One meaning for markup characters in every field: what staff type is what prints.
    Markdown would read ``&amp;`` or ``&#x20BB7;`` as character references and ``\\*`` as an
    escape; here ``&`` and ``\\`` stand for themselves (as they do in 事業名 and every other
    field), except that a backslash at the end of a line breaks the line."""
    return re.sub(r"\\(?!\n)", r"\\\\", source.replace("&", "&amp;"))


def refs(text: str) -> list[str]:
    """The targets of the ``[[…]]`` references in a text."""
    return [m.group(1).strip() for m in REF.finditer(text)]


@dataclass(frozen=True)
class RichText:
    blocks: tuple[Block, ...]

    def plain(self) -> str:
        """All the text, labels included, one block or item per line (for search and checks)."""
        out: list[str] = []
        for block in self.blocks:
            if isinstance(block, (BulletList, OrderedList)):
                out.extend(item.label + item.text for item in block.items)
            elif isinstance(block, SubHeading):
                out.append(block.text)
            elif isinstance(block, TableData):
                out.extend("\t".join(row) for row in (block.header, *block.rows))
            else:
                out.append(block.label + block.text)
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
    "em_open": "強調（*…* や _…_）は使えません",
    "strong_open": "強調（**…**）は使えません",
    "link_open": "リンクは使えません",
    "image": "画像は使えません",
    "code_inline": "コード（`…`）は使えません",
    "html_inline": "HTMLタグは使えません",
}


_PROSE_ONLY = {
    "heading_open": "見出し（##）は本文の章（chapters.yaml）でだけ使えます",
    "table_open": "表は本文の章（chapters.yaml）でだけ使えます",
}


_CELL_BAR = re.compile(r"(?<!\\)\|")


def _extra_cells(row: str, width: int) -> str:
    """The text of a table row's cells past the header's ``width`` (markdown-it drops them)."""
    body = row.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells = _CELL_BAR.split(body)
    return "|".join(c.strip() for c in cells[width:]).strip("| ")


def parse(source: str, prose: bool = False) -> tuple[RichText, list[tuple[int, str]]]:
    """Parse a rich-text field; ``prose`` (a chapter's 本文) also allows sub-headings and tables.

    Returns the text and a list of ``(line offset within the field, message)`` problems.
    """
    problems: list[tuple[int, str]] = []
    for offset, line in enumerate(source.splitlines()):
        if line.lstrip().startswith("・"):
            problems.append((offset, "行頭の「・」は使えません。箇条書きは「- 」で書いてください"))
    literal = _literal(source)
    tokens = _MD.parse(literal)
    blocks: list[Block] = []
    stack: list[tuple[str, list[Para], int]] = []  # open lists: (type, items, start)
    depth = 0
    table: list | None = None  # rows of the table being read: [cells], the header first
    aligns: list[str] = []
    heading: int | None = None
    for tok in tokens:
        line = tok.map[0] if tok.map else 0
        if tok.type == "heading_open" and prose:
            level = int(tok.tag[1])
            if level == 1:
                problems.append((line, "見出し「#」は使えません（章の見出しは「見出し」に書き、本文では ## と ### を使います）"))
            elif level > 3:
                problems.append((line, "見出しは ## と ### までです"))
            heading = min(max(level, 2), 3)
            continue
        if tok.type == "heading_close" and prose:
            heading = None
            continue
        if tok.type == "table_open" and prose:
            table, aligns = [], []
            continue
        if tok.type == "table_close" and prose:
            header, *rows = table or [[]]
            width = len(header)
            blocks.append(TableData(tuple(header), tuple(tuple((r + [""] * width)[:width]) for r in rows),
                                    tuple((aligns + ["left"] * width)[:width])))
            table = None
            continue
        if table is not None:
            if tok.type == "tr_open":
                table.append([])
                if len(table) > 1 and tok.map:
                    extra = _extra_cells(literal.splitlines()[tok.map[0]], len(table[0]))
                    if extra:
                        problems.append((line, f"表の行のセルが見出しの列数（{len(table[0])}）より多く、"
                                               f"はみ出した「{extra}」が載りません。列を見出しにも足すか、"
                                               "セルの中の「|」を「\\|」と書いてください"))
            elif tok.type in ("th_open", "td_open") and len(table) == 1:
                style = tok.attrGet("style") or ""
                aligns.append("right" if "right" in style else "center" if "center" in style else "left")
            elif tok.type == "inline":
                para = _inline(tok, line, problems)
                table[-1].append(para.label + para.text)
            continue
        if tok.type in _PROSE_ONLY and not prose:
            problems.append((line, _PROSE_ONLY[tok.type]))
            continue
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
        elif tok.type == "inline" and heading is not None:
            para = _inline(tok, line, problems)
            blocks.append(SubHeading(heading, para.label + para.text))
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
