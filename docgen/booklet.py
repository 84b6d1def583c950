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


Block = Para | ListBlock


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
    kind: str  # 本計画 / 市 / 国 / 項目
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
    """One phase on the half-year grid: label in cell ``start``, bar to cell ``end`` (inclusive)."""

    label: str
    start: int
    end: int


@dataclass(frozen=True)
class PolicyRow:
    label: str  # 基本方針1
    title: str
    description: str


@dataclass(frozen=True)
class ItemRow:
    label: str  # （1）
    title: str


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
    years: tuple[str, ...]  # R5, R6, R7
    halves: tuple[str, str]  # 上期, 下期
    priority_mark: str
    continues_mark: str
    beyond: str  # header of the column past the plan period: R8～
    columns: tuple[str, ...]  # 事業番号, 重点, 個別事業名, スケジュール
    rows: tuple[PolicyRow | ItemRow | ProjectRow, ...]


@dataclass(frozen=True)
class CountRow:
    policy: str  # "基本方針1" on the first row of its group, else ""
    item: str  # （1）スマート窓口の推進
    count: int


@dataclass(frozen=True)
class CountGroup:
    policy: str
    rows: tuple[CountRow, ...]
    subtotal: int


@dataclass(frozen=True)
class CountTable:
    columns: tuple[str, ...]  # 基本方針, 項目, 事業数
    groups: tuple[CountGroup, ...]
    subtotal_label: str
    total_label: str
    total: int


# ---- cards ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CardField:
    label: str
    blocks: tuple[Block, ...]


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
    band: tuple[str, str]  # (基本方針1 市民利用サービスのデジタル化, （1）スマート窓口の推進)
    labels: dict  # number/name/departments/schedule/continued labels
    departments: str
    fields: tuple[CardField, ...]
    years: tuple[str, ...]  # R5年度 …
    yearly: tuple[tuple[str, ...], ...]  # lines per year
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
