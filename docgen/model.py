"""The typed content model of a plan.

Field names in YAML are Japanese (what staff see on the printed page); attribute names in code are
English.  Every model forbids unknown fields and checks types strictly, so a misspelt or
misplaced field is reported rather than ignored.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from .richtext import RichText

Text = Annotated[str, StringConstraints(min_length=1)]
# Names and headings are set on one or two lines: a bound keeps every page element within a page.
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Reading = Annotated[str, StringConstraints(pattern=r"^[ぁ-ゖァ-ヺー・\s]+$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]
HALF = r"^\d{4}\S+$"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              arbitrary_types_allowed=True, populate_by_name=False)


# ---- plan.yaml ------------------------------------------------------------------------------

class PublicationDate(Model):
    year: int = Field(alias="年", ge=1868, le=2200)
    month: int | None = Field(default=None, alias="月", ge=1, le=12)


class Period(Model):
    start: int = Field(alias="開始年度", ge=1868, le=2200)
    end: int = Field(alias="終了年度", ge=1868, le=2200)

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))


class Colophon(Model):
    heading: Text = Field(default="編集・発行", alias="見出し")
    publisher: Text = Field(alias="発行者")
    contact: list[Text] = Field(default_factory=list, alias="連絡先")


class Display(Model):
    """Labels and marks printed in the booklet; every one can be changed per plan."""

    priority_mark: Text = Field(default="☆", alias="重点の印")
    priority_label: Text = Field(default="重点取組事項", alias="重点の見出し")
    continues_mark: Text = Field(default="→", alias="継続の印")
    note_mark: Text = Field(default="※", alias="注記の印")
    note_separator: Text = Field(default="・・・", alias="注記の区切り")
    halves: list[Text] = Field(default_factory=lambda: ["上期", "下期"], alias="半期", min_length=2, max_length=2)
    accent_color: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")] = Field(
        default="#1F4E79", alias="基調色")
    policy_word: Text = Field(default="基本方針", alias="基本方針の呼び名")
    vision_word: Text = Field(default="基本理念", alias="基本理念の呼び名")
    system_chapter: Text = Field(default="施策の体系", alias="体系の章")
    count_heading: Text = Field(default="項目別事業数", alias="事業数の見出し")
    cards_chapter: Text = Field(default="具体的な個別事業", alias="事業の章")
    glossary_chapter: Text = Field(default="用語集", alias="用語集の章")
    date_suffix: str = Field(default="策定", alias="奥付の日付の後")
    show_closed: bool = Field(default=True, alias="完了・廃止を体系表に表示")
    count_closed: bool = Field(default=False, alias="完了・廃止を事業数に含める")
    field_labels: dict[str, Text] = Field(default_factory=dict, alias="項目名")

    def counts(self, project: "Project") -> bool:
        """Whether 項目別事業数, {{ 事業数 }} and {{ 重点事業数 }} count ``project``."""
        return self.count_closed or not project.closed


class PlanMeta(Model):
    municipality: Text = Field(alias="自治体名")
    title: Text = Field(alias="計画名")
    slug: Slug = Field(alias="ファイル名")
    status: Literal["案", "策定"] = Field(alias="状態")
    published: PublicationDate = Field(alias="発行")
    period: Period = Field(alias="計画期間")
    colophon: Colophon = Field(alias="奥付")
    display: Display = Field(default_factory=Display, alias="表示")


# ---- policies.yaml ---------------------------------------------------------------------------

class Item(Model):
    """項目: a group of projects under one 基本方針, numbered (1), (2) … within it."""

    number: int = Field(alias="番号", ge=1)
    title: Name = Field(alias="名称")


class Policy(Model):
    """基本方針."""

    number: int = Field(alias="番号", ge=1)
    title: Name = Field(alias="名称")
    description: Text = Field(alias="説明")
    items: list[Item] = Field(alias="項目", min_length=1)


class Policies(Model):
    vision: Text = Field(alias="基本理念")
    policies: list[Policy] = Field(alias="基本方針", min_length=1)


# ---- projects/*.yaml -------------------------------------------------------------------------

class Phase(Model):
    """One phase on the half-year grid (e.g. 検討 from 2023上期)."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=12)] = Field(alias="名称")
    start: Annotated[str, StringConstraints(pattern=HALF)] = Field(alias="開始")
    end: Annotated[str, StringConstraints(pattern=HALF)] | None = Field(default=None, alias="終了")
    continues: bool = Field(default=False, alias="計画期間後も継続")


class Schedule(Model):
    phases: list[Phase] = Field(alias="工程", min_length=1)
    yearly: dict[int, list[Text]] = Field(alias="年度別")


STATUSES = ("継続", "新規", "変更", "完了", "廃止")
CLOSED = ("完了", "廃止")


class Status(Model):
    """Where a project stands after the annual review."""

    kind: Literal["継続", "新規", "変更", "完了", "廃止"] = Field(alias="区分")
    year: int | None = Field(default=None, alias="年度", ge=1868, le=2200)
    reason: str = Field(default="", alias="理由")


class Project(Model):
    """個別事業: one card of the booklet."""

    number: Annotated[str, StringConstraints(pattern=r"^\d+-\d+$")] = Field(alias="事業番号")
    policy: int = Field(alias="基本方針", ge=1)
    item: int = Field(alias="項目", ge=1)
    name: Name = Field(alias="事業名")
    priority: bool = Field(default=False, alias="重点取組")
    departments: list[Name] = Field(alias="所管課", min_length=1, max_length=20)
    issues: RichText = Field(alias="現状と課題")
    actions: RichText = Field(alias="取組内容")
    effects: RichText = Field(alias="期待される効果")
    targets: RichText = Field(alias="達成目標")
    schedule: Schedule = Field(alias="実施工程表")
    terms: list[Text] = Field(default_factory=list, alias="用語")
    status: Status | None = Field(default=None, alias="状況")

    @property
    def kind(self) -> str:
        return self.status.kind if self.status else "継続"

    @property
    def closed(self) -> bool:
        return self.kind in CLOSED

    @property
    def key(self) -> tuple[int, int]:
        a, b = self.number.split("-")
        return int(a), int(b)


PROJECT_RICH_FIELDS = ("現状と課題", "取組内容", "期待される効果", "達成目標")


# ---- glossary.yaml ---------------------------------------------------------------------------

class Term(Model):
    term: Name = Field(alias="用語")
    reading: Reading = Field(alias="読み")
    definition: Text = Field(alias="定義")


# ---- chapters.yaml, figures.yaml, briefing.yaml (text may use Jinja2 expressions) -------------

class Chapter(Model):
    """A prose chapter (e.g. 実施計画の概要), printed before the generated chapters."""

    title: Name = Field(alias="見出し")
    body: RichText = Field(alias="本文")
    figures: list[Text] = Field(default_factory=list, alias="図")


class Box(Model):
    """A box of a figure, placed on a grid of columns and rows."""

    id: Text = Field(alias="識別子")
    lines: list[Short] = Field(alias="文", min_length=1, max_length=8)
    column: int = Field(alias="列", ge=0)
    row: int = Field(alias="行", ge=0)
    width: int = Field(default=1, alias="幅", ge=1)
    height: int = Field(default=1, alias="高さ", ge=1)
    kind: Literal["本計画", "市", "国"] = Field(default="市", alias="種類")


class Relation(Model):
    source: Text = Field(alias="から")
    target: Text = Field(alias="へ")
    label: str = Field(default="", alias="文")
    line: Literal["実線", "破線"] = Field(default="実線", alias="線")


class Figure(Model):
    id: Text = Field(alias="識別子")
    number: int = Field(alias="番号", ge=1)
    title: Text = Field(alias="題")
    boxes: list[Box] = Field(alias="要素", min_length=1)
    relations: list[Relation] = Field(default_factory=list, alias="関係")


class BriefingBlock(Model):
    """One block of a briefing section: text, or a list generated from the data."""

    text: RichText | None = Field(default=None, alias="文")
    generated: Literal["基本方針"] | None = Field(default=None, alias="一覧")


class BriefingSection(Model):
    title: Text = Field(alias="見出し")
    blocks: list[BriefingBlock] = Field(alias="内容", min_length=1)


class Briefing(Model):
    title: Text = Field(alias="題")
    sections: list[BriefingSection] = Field(alias="節", min_length=1)


# ---- editions.yaml (written by docgen new-edition) ---------------------------------------------

class Edition(Model):
    label: Text = Field(alias="版名")  # 令和6(2024)年3月改訂
    published: PublicationDate = Field(alias="発行")
    summary: str = Field(default="", alias="概要")


class Editions(Model):
    current: Edition = Field(alias="現在の版")
    history: list[Edition] = Field(default_factory=list, alias="改訂履歴")


# ---- the whole plan --------------------------------------------------------------------------

class Plan(Model):
    meta: PlanMeta
    vision: str
    policies: list[Policy]
    projects: list[Project]
    glossary: list[Term]
    chapters: list[Chapter]
    figures: list[Figure]
    briefing: Briefing | None = None
    editions: Editions | None = None

    @property
    def published(self) -> PublicationDate:
        """Date of the edition in force: the current edition's, else the plan's first publication."""
        return self.editions.current.published if self.editions else self.meta.published

    def projects_of(self, policy: int, item: int) -> list[Project]:
        return [p for p in self.projects if p.policy == policy and p.item == item]
