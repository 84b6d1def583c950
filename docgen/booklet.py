"""The booklet tree: a format-neutral description of every page element.

:mod:`docgen.compose` builds it once from the validated plan; the PDF and Word renderers only walk
it.  Nothing here knows about YAML, fonts or page sizes, and no renderer recomputes a count.
"""

from __future__ import annotations

from dataclasses import dataclass


# ---- text -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A run of text; ``label`` runs (（現状）, 【①交付】) are set in the heading typeface."""

    text: str
    label: bool = False
    underline: bool = False  # a changed passage in a 新旧対照表
    ref: str = ""  # a cross-reference: the anchor of the card it names; linked, and followed by
    #                the page number in print (「6-1「オープンデータの推進」（12頁）」)


@dataclass(frozen=True)
class Para:
    spans: tuple[Span, ...]
    indent: bool = False  # 字下げ of the first line (prose paragraphs)

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[Para, ...]
    start: int = 1
    plain: bool = False  # no marks, set in under the item before (the 基本方針 a sentence names)


@dataclass(frozen=True)
class TableCell:
    spans: tuple[Span, ...]
    span: int = 1  # columns this cell covers
    align: str = "left"  # left / center / right
    head: bool = False  # a header cell: heading typeface on a tinted ground


@dataclass(frozen=True)
class Table:
    """A table in prose (a Markdown pipe table) or on a card (事業費, 成果指標).

    ``weights`` are relative column widths; a renderer scales them to the width it has.  Header rows
    repeat on every page the table runs onto."""

    header: tuple[tuple[TableCell, ...], ...]
    rows: tuple[tuple[TableCell, ...], ...]
    weights: tuple[float, ...]
    caption: str = ""  # printed above the table, right-aligned (（単位：千円）)
    edit: EditSlot | None = None  # in a file made for editing: the body rows are one field (工程)


Block = Para | ListBlock | Table


# ---- structure ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Heading:
    level: int  # 1 chapter, 2 基本方針, 3 項目
    text: str  # e.g. "1. 実施計画の概要"
    anchor: str
    toc: bool = True  # listed in the 目次
    outline: bool = True  # listed in the PDF outline / Word navigation pane


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Cover:
    title: str
    status: str  # "（案）" or ""
    date: str  # 令和5(2023)年〇月
    municipality: str
    accent: str
    edition: str = ""  # 令和6(2024)年3月改訂


@dataclass(frozen=True)
class Contents:
    title: str  # 目次


@dataclass(frozen=True)
class Box:
    id: str
    lines: tuple[str, ...]
    column: int
    row: int
    width: int
    height: int
    kind: str  # plan (本計画, accent) / local (the municipality's own) / outer (国・都道府県) / item (a leaf of the 体系図)
    label: str = ""  # set before the first line, which wraps under its own start (（2）暮らしや…)


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    label: str
    dashed: bool


@dataclass(frozen=True)
class Figure:
    anchor: str
    caption: str  # 図1 実施計画の位置づけ
    boxes: tuple[Box, ...]
    arrows: tuple[Arrow, ...]
    alt: str  # a sentence describing the figure (Word alt text, PDF /Alt)
    gap_x: float = 64.0  # space between grid columns / rows, in points
    gap_y: float = 40.0


# ---- the system table (施策の体系) --------------------------------------------------------------

@dataclass(frozen=True)
class Bar:
    """One phase on the schedule grid: label in cell ``start``, bar to cell ``end`` (inclusive).

    Cells count from 0 at the first cell of the plan period; the cell one past the period's last
    is the continuation column (R8～)."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class GroupRow:
    """A row naming a group of the plan's hierarchy: level 0 is the top (基本方針1), deeper levels
    (（1）, 1-2 …) follow.  Only the top level carries a description."""

    level: int
    label: str  # 基本方針1 / （1） / 第1章 / 1-2
    title: str
    description: str = ""
    heading: str = ""  # label and title as printed (model.group_heading, made from them when not given)

    def __post_init__(self) -> None:
        if not self.heading:
            from .model import group_heading

            object.__setattr__(self, "heading", group_heading(self.label, self.title))


@dataclass(frozen=True)
class ProjectRow:
    number: str
    priority: bool
    name: str
    bars: tuple[Bar, ...]
    continues: bool
    anchor: str  # the card, for links
    status: str = ""  # 廃止（R6） / 完了（R6） / 新規 / 変更, printed beside the name
    closed: bool = False  # 完了・廃止: printed greyed


@dataclass(frozen=True)
class SystemTable:
    """施策の体系.  The grid has ``len(years) * len(parts)`` cells (one per year when ``parts`` is
    empty: a 年度 grid), then one continuation column headed ``beyond``."""

    years: tuple[str, ...]  # R5, R6, R7 …
    parts: tuple[str, ...]  # the cells of one year: (上期, 下期), (第1四半期 …), or () for a 年度 grid
    priority_mark: str
    continues_mark: str
    beyond: str  # header of the column past the plan period: R8～
    columns: tuple[str, ...]  # 事業番号, 重点取組, 個別事業名, スケジュール
    rows: tuple[GroupRow | ProjectRow, ...]
    depth: int = 2  # levels of groups above the projects
    continued: str = "（続き）"  # after a group's heading repeated on a page its rows run onto

    @property
    def cells(self) -> int:
        """Grid cells inside the plan period."""
        return len(self.years) * max(1, len(self.parts))


@dataclass(frozen=True)
class CountRow:
    cells: tuple[str, ...]  # one per level below the top: a label on its group's first row, else ""
    count: int


@dataclass(frozen=True)
class CountGroup:
    label: str  # the top-level group: 基本方針1
    rows: tuple[CountRow, ...]
    subtotal: int


@dataclass(frozen=True)
class CountTable:
    """項目別事業数: projects counted per lowest group, subtotalled per top-level group.
    ``columns`` names the top level, each lower level, then the count."""

    columns: tuple[str, ...]  # 基本方針, 項目, 事業数
    groups: tuple[CountGroup, ...]
    subtotal_label: str
    total_label: str
    total: int


# ---- cards ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EditSlot:
    """Where a field a department edits sits in a file made for editing (see :mod:`docgen.fieldtext`):
    a Word writer makes it a content control tagged with the project and key, with a bookmark
    ``dg_<id>`` as the fallback a LibreOffice re-save keeps."""

    id: str  # f001, f002 … in document order
    project: str  # 事業番号
    key: str  # 取組内容, 実施工程表/年度別/2024, 実施工程表/工程
    label: str  # the control's title
    kind: str  # 文章 / 短文 / 年度別 / 工程
    original: str  # the canonical text the file was made with (kept in the file, for merging)


@dataclass(frozen=True)
class CardField:
    """A labelled row of a card: text, or a table (事業費, 成果指標) as a :class:`Table` block."""

    label: str
    blocks: tuple[Block, ...]
    edit: EditSlot | None = None  # in a file made for editing: the field's slot


@dataclass(frozen=True)
class CardSchedule:
    """The card's year-by-year schedule (実施工程表): one column per fiscal year of the plan period,
    and a last column (R8～) when entries reach past it."""

    label: str
    years: tuple[str, ...]  # R5年度 … (R8年度～)
    yearly: tuple[tuple[str, ...], ...]  # lines per column
    edits: tuple[EditSlot | None, ...] = ()  # in a file made for editing: each column's slot


@dataclass(frozen=True)
class Note:
    term: str
    definition: str


@dataclass(frozen=True)
class Card:
    anchor: str
    number: str
    name: str
    priority_label: str  # 【重点取組事項】 or ""
    band: tuple[str, ...]  # one line per level: (基本方針1 市民利用…, （1）スマート窓口の推進)
    labels: dict  # keys 事業番号, 事業名, 所管課, 状況, 続き: the words of the fixed rows
    departments: str  # "" when the plan's cards have no 所管課 row
    fields: tuple[CardField | CardSchedule, ...]  # in the order the plan defines
    notes: tuple[Note, ...]
    note_mark: str
    note_separator: str
    heading: Heading | None = None  # the 基本方針 heading, on the first card of each 基本方針
    status: str = ""  # 【新規】, 【廃止（令和6年度）】 … shown with the name
    status_note: str = ""  # the reason, printed under the card title


# ---- back matter -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    reading: str  # printed under the term where it has kanji (基幹系システム), else ""
    definition: str
    cards: tuple[tuple[str, str], ...]  # (事業番号, card anchor)
    group: str = ""  # the heading it is listed under: A～Z, あ行, か行 … (a row starts each group)


@dataclass(frozen=True)
class Glossary:
    columns: tuple[str, ...]  # 用語, 説明, 掲載
    entries: tuple[GlossaryEntry, ...]


@dataclass(frozen=True)
class History:
    """改訂履歴: every edition, oldest first."""

    columns: tuple[str, ...]  # 版, 発行, 概要
    rows: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Colophon:
    title: str
    date: str
    heading: str
    publisher: str
    contact: tuple[str, ...]


Element = (Heading | Block | PageBreak | Cover | Contents | Figure | SystemTable | CountTable | Card
           | Glossary | History | Colophon)


@dataclass(frozen=True)
class Editing:
    """What a file made for editing records about itself, and the page that tells the clerk what to do."""

    plan: str  # the plan's file name (slug): a file is imported only into its own plan
    title: str  # the plan's title
    edition: str  # the edition the file was made from
    digest: str  # of every editable field of the plan (docgen.fieldtext.digest)
    department: str
    instructions: tuple[Element, ...]  # the first page
    slots: tuple[EditSlot, ...]  # every slot of the file, in order


@dataclass(frozen=True)
class Document:
    """One output document: the booklet, or the briefing sheet."""

    slug: str
    title: str
    author: str
    subject: str
    lang: str
    year: int
    month: int
    front: tuple[Element, ...]  # unnumbered pages (cover, 目次)
    body: tuple[Element, ...]  # numbered from 1
    accent: str = "#1F4E79"
    editing: Editing | None = None  # a department's file made for editing in Word

    def headings(self) -> list[Heading]:
        """Every heading in reading order, the 基本方針 headings carried by cards included."""
        out: list[Heading] = []
        for el in self.body:
            if isinstance(el, Heading):
                out.append(el)
            elif isinstance(el, Card) and el.heading is not None:
                out.append(el.heading)
        return out

    def contents(self) -> list[Heading]:
        """The 目次 entries."""
        return [h for h in self.headings() if h.toc]
