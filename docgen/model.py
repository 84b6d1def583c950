"""The typed content model of a plan.

Field names in YAML are Japanese (what staff see on the printed page); attribute names in code are
English.  Every model forbids unknown fields and checks types strictly, so a misspelt or
misplaced field is reported rather than ignored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, create_model

from . import fiscal
from .richtext import RichText

if TYPE_CHECKING:
    from .organization import Organization

Text = Annotated[str, StringConstraints(min_length=1)]
# Names and headings are set on one or two lines: a bound keeps every page element within a page.
Name = Annotated[str, StringConstraints(min_length=1, max_length=120)]
Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Reading = Annotated[str, StringConstraints(pattern=r"^[ぁ-ゖァ-ヺー・\s]+$")]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$")]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True,
                              arbitrary_types_allowed=True, populate_by_name=False)


# ---- plan.yaml ------------------------------------------------------------------------------

YEAR_MIN, YEAR_MAX = 1980, 2099  # the years a plan of today can name (and a Word file can date)


class PublicationDate(Model):
    year: int = Field(alias="年", ge=YEAR_MIN, le=YEAR_MAX)
    month: int | None = Field(default=None, alias="月", ge=1, le=12)


class Period(Model):
    """計画期間 and the unit of its schedule grid (see :mod:`docgen.fiscal`)."""

    start: int = Field(alias="開始年度", ge=YEAR_MIN, le=YEAR_MAX)
    end: int = Field(alias="終了年度", ge=YEAR_MIN, le=YEAR_MAX)
    unit: Literal["年度", "半期", "四半期"] = Field(default="年度", alias="区切り")
    part_names: list[Short] | None = Field(default=None, alias="区分名", min_length=2, max_length=4)

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    @property
    def grid(self) -> fiscal.Grid:
        names = tuple(self.part_names) if self.part_names else fiscal.DEFAULT_NAMES[self.unit]
        return fiscal.Grid(self.start, self.end, self.unit, names)


class Colophon(Model):
    heading: Text = Field(default="編集・発行", alias="見出し")
    publisher: Text = Field(alias="発行者")
    contact: list[Text] = Field(default_factory=list, alias="連絡先")


class Display(Model):
    """Marks, colour and switches of the booklet; every one can be changed per plan."""

    priority_mark: Text = Field(default="☆", alias="重点の印")
    continues_mark: Text = Field(default="→", alias="継続の印")
    note_mark: Text = Field(default="※", alias="注記の印")
    note_separator: Text = Field(default="・・・", alias="注記の区切り")
    accent_color: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")] = Field(
        default="#1F4E79", alias="基調色")
    date_suffix: str = Field(default="策定", alias="奥付の日付の後")
    show_closed: bool = Field(default=True, alias="完了・廃止を体系表に表示")
    count_closed: bool = Field(default=False, alias="完了・廃止を事業数に含める")

    def counts(self, project: "Project") -> bool:
        """Whether the count table, {{ 事業数 }} and {{ 重点事業数 }} count ``project``."""
        return self.count_closed or not project.closed


class Labels(Model):
    """Every word docgen prints that is not content: one table for the booklet, the Word files,
    the briefing, the 新旧対照表 and the examples in messages.  ``{事業}`` in a default stands for
    the plan's own word for a project (体系.事業の呼び名)."""

    chapter_number: str = Field(default="{番号}. ", alias="章番号", max_length=40)
    contents: Text = Field(default="目次", alias="目次")
    vision: Text = Field(default="基本理念", alias="基本理念")
    system_chapter: Text = Field(default="施策の体系", alias="体系の章")
    system_figure: Text | None = Field(default=None, alias="体系図")  # default: <体系の章>図
    count_heading: Text | None = Field(default=None, alias="事業数の見出し")  # default: <最下層>別{事業}数
    cards_chapter: Text | None = Field(default=None, alias="事業の章")  # default: 個別{事業}
    glossary_chapter: Text = Field(default="用語集", alias="用語集の章")
    glossary_latin: Text = Field(default="A～Z", alias="用語集の英字")
    history_chapter: Text = Field(default="改訂履歴", alias="改訂履歴の章")
    number: Text | None = Field(default=None, alias="事業番号")  # default: {事業}番号
    name: Text | None = Field(default=None, alias="事業名")  # default: {事業}名
    list_name: Text | None = Field(default=None, alias="体系表の事業名")  # default: 個別{事業}名
    priority: Text = Field(default="重点取組", alias="重点取組")
    priority_heading: Text = Field(default="重点取組事項", alias="重点の見出し")
    schedule: Text = Field(default="スケジュール", alias="スケジュール")
    status: Text = Field(default="状況", alias="状況")
    continued: Text = Field(default="（続き）", alias="続き")
    count: Text | None = Field(default=None, alias="事業数")  # default: {事業}数
    subtotal: Text = Field(default="小計", alias="小計")
    total: Text = Field(default="合計", alias="合計")
    term: Text = Field(default="用語", alias="用語")
    definition: Text = Field(default="説明", alias="説明")
    cards: Text = Field(default="掲載", alias="掲載")
    page: Text = Field(default="頁", alias="頁")
    edition: Text = Field(default="版", alias="版")
    published: Text = Field(default="発行", alias="発行")
    summary: Text = Field(default="概要", alias="概要")
    reference: Text = Field(default="{番号}「{事業名}」", alias="参照")
    kpi_name: Text = Field(default="指標名", alias="指標名")
    kpi_unit: Text = Field(default="単位", alias="単位")
    kpi_base: Text = Field(default="基準値", alias="基準値")
    kpi_final: Text = Field(default="最終目標", alias="最終目標")
    kpi_targets: Text = Field(default="目標値", alias="目標値")
    kpi_method: Text = Field(default="算出方法", alias="算出方法")
    money_unit: Text = Field(default="（単位：{単位}）", alias="金額の単位")
    department_file: Text = Field(default="{所管課} 担当分", alias="担当分")
    lead_here: Text = Field(default="この事業は、この課が主担当として取りまとめます（関係課: {関係課}）。",
                            alias="主担当")
    lead_elsewhere: Text = Field(default="この事業の主担当は{主担当課}です。内容の修正は主担当課が取りまとめます。",
                                 alias="主担当は他課")
    phases_heading: Text = Field(default="工程（施策の体系の表）", alias="工程の見出し")
    phase_name: Text = Field(default="工程", alias="工程")
    phase_start: Text = Field(default="開始", alias="開始")
    phase_end: Text = Field(default="終了", alias="終了")
    phase_after: Text = Field(default="計画期間後", alias="計画期間後")
    phase_continues: Text = Field(default="継続", alias="継続")
    comparison: Text = Field(default="新旧対照表", alias="新旧対照表")
    after: Text = Field(default="改正後", alias="改正後")
    before: Text = Field(default="改正前", alias="改正前")
    omitted: Text = Field(default="（略）", alias="略")
    whole_plan: Text = Field(default="計画全体", alias="計画全体")


class Level(Model):
    """One level of the plan's hierarchy above the projects (基本方針, 項目, 施策 …)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=12)] = Field(alias="名前")
    label: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(alias="番号")


class Hierarchy(Model):
    """体系: the levels above the projects, top first, and how projects are numbered."""

    levels: list[Level] = Field(alias="階層", min_length=1, max_length=3)
    project_word: Annotated[str, StringConstraints(min_length=1, max_length=12)] = Field(
        default="事業", alias="事業の呼び名")
    number: Annotated[str, StringConstraints(min_length=1, max_length=60)] = Field(alias="事業番号")


FIELD_KINDS = ("文章", "短文", "金額", "指標", "工程表", "所管課")


class FieldSpec(Model):
    """One field of a project card: its key in the project files, its label and its kind."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=20)] = Field(alias="名前")
    kind: Literal["文章", "短文", "金額", "指標", "工程表", "所管課"] = Field(alias="種類")
    label: Name | None = Field(default=None, alias="見出し")
    required: bool = Field(default=True, alias="必須")
    unit: Short | None = Field(default=None, alias="単位")  # 金額: 千円

    @property
    def shown(self) -> str:
        return self.label or self.name


MUNICIPALITY_KINDS = ("市", "町", "村", "区", "都", "道", "府", "県")


class PlanShape(BaseModel):
    """The part of plan.yaml that projects and policies.yaml are read against; read on its own when
    another part of plan.yaml is wrong, so that every file's problems are still listed."""

    model_config = ConfigDict(extra="ignore", strict=True, frozen=True, arbitrary_types_allowed=True)
    period: Period = Field(alias="計画期間")
    hierarchy: Hierarchy = Field(alias="体系")
    card: list[FieldSpec] = Field(alias="カード", min_length=1, max_length=30)

    @property
    def levels(self) -> list[Level]:
        return self.hierarchy.levels

    @property
    def word(self) -> str:
        """The plan's word for a project: 事業, 取組, 事務事業 …"""
        return self.hierarchy.project_word

    def field(self, kind: str) -> FieldSpec | None:
        return next((f for f in self.card if f.kind == kind), None)


class PlanMeta(PlanShape):
    model_config = Model.model_config
    municipality: Annotated[str, StringConstraints(min_length=1, max_length=40)] = Field(alias="自治体名")
    kind: Literal["市", "町", "村", "区", "都", "道", "府", "県"] | None = Field(default=None, alias="自治体の種類")
    title: Name = Field(alias="計画名")
    slug: Slug = Field(alias="ファイル名")
    status: Literal["案", "策定"] = Field(alias="状態")
    published: PublicationDate = Field(alias="発行")
    colophon: Colophon = Field(alias="奥付")
    display: Display = Field(default_factory=Display, alias="表示")
    labels: Labels = Field(default_factory=Labels, alias="ラベル")

    @property
    def municipality_kind(self) -> str:
        """市／町／村／区／都・道・府・県: as written, or the last character of the name."""
        if self.kind:
            return self.kind
        last = self.municipality[-1]
        return last if last in MUNICIPALITY_KINDS else "市"

    def label(self, key: str) -> str:
        """A label with its default filled in from the plan's own words."""
        value = getattr(self.labels, key)
        if value is not None:
            return value
        word = self.word
        return {
            "system_figure": f"{self.labels.system_chapter}図",
            "count_heading": f"{self.levels[-1].name}別{word}数",
            "cards_chapter": f"個別{word}",
            "number": f"{word}番号",
            "name": f"{word}名",
            "list_name": f"個別{word}名",
            "count": f"{word}数",
        }[key]


# ---- policies.yaml (the hierarchy: its keys are the plan's level names) -----------------------

@dataclass(frozen=True, eq=False)
class Group:
    """A group of the hierarchy (基本方針1, its 項目（2）…)."""

    level: int  # 0 = top
    number: int  # within its parent
    title: str
    description: str
    path: tuple[int, ...]  # numbers from the top down to this group
    ordinal: int  # position among all groups of its level across the plan, from 1
    label: str  # 基本方針1 / （2） / 1-2, from the level's 番号 format
    children: tuple["Group", ...] = ()

    @property
    def heading(self) -> str:
        """Label and title as printed in a band or row: 「基本方針1　市民…」「（1）スマート窓口の推進」."""
        return group_heading(self.label, self.title)


CLOSING = "）」』】〕〉》］"


def group_heading(label: str, title: str) -> str:
    """A group's label and title as every renderer prints them: a full-width closing bracket carries
    its own space (（1）スマート窓口), a narrow one takes a narrow space (1) 窓口), anything else a
    full-width one (基本方針1　市民…, 1-2　窓口)."""
    if not label or not title:
        return label or title
    gap = "" if label[-1] in CLOSING else " " if label[-1] in ")]" else "　"
    return f"{label}{gap}{title}"


# ---- projects/*.yaml (validated against a model made from plan.yaml's カード and 体系) ----------

class Phase(Model):
    """One phase on the schedule grid (e.g. 検討 from 2023上期)."""

    label: Annotated[str, StringConstraints(min_length=1, max_length=12)] = Field(alias="名称")
    start: Annotated[str, StringConstraints(min_length=1, max_length=20)] | int = Field(alias="開始")
    end: Annotated[str, StringConstraints(min_length=1, max_length=20)] | int | None = Field(
        default=None, alias="終了")
    continues: bool = Field(default=False, alias="計画期間後も継続")


class Schedule(Model):
    phases: list[Phase] = Field(default_factory=list, alias="工程")
    yearly: dict[int, list[Text]] = Field(default_factory=dict, alias="年度別")


Value = Annotated[int, Field(ge=-10**15, le=10**15)] | Annotated[float, Field(ge=-1e15, le=1e15)] | Short


class YearValue(Model):
    year: int = Field(alias="年度", ge=YEAR_MIN, le=YEAR_MAX)
    value: Value = Field(alias="値")


class Indicator(Model):
    """成果指標 (KPI): 指標名, 単位, 基準値 with its year, 目標値 per year and/or a final target."""

    name: Name = Field(alias="指標名")
    unit: str = Field(default="", alias="単位", max_length=20)
    baseline: YearValue | None = Field(default=None, alias="基準値")
    targets: dict[int, Value] = Field(default_factory=dict, alias="目標値")
    final: YearValue | None = Field(default=None, alias="最終目標")
    method: str = Field(default="", alias="算出方法", max_length=400)


Money = dict[int, Annotated[int, Field(ge=0, le=10**15)] | Annotated[float, Field(ge=0, le=1e15)]]

FIELD_TYPES = {
    "文章": RichText,
    "短文": Short | Annotated[list[Short], Field(min_length=1, max_length=20)],
    "金額": Money,
    "指標": Annotated[list[Indicator], Field(min_length=1, max_length=20)],
    "工程表": Schedule,
    "所管課": Annotated[list[Name], Field(min_length=1, max_length=20)],
}

STATUSES = ("継続", "新規", "変更", "完了", "廃止")
CLOSED = ("完了", "廃止")


class Status(Model):
    """Where a project stands after the annual review."""

    kind: Literal["継続", "新規", "変更", "完了", "廃止"] = Field(alias="区分")
    year: int | None = Field(default=None, alias="年度", ge=YEAR_MIN, le=YEAR_MAX)
    reason: str = Field(default="", alias="理由")


ProjectNumber = Annotated[str, StringConstraints(min_length=1, max_length=40)]


def project_model(meta: PlanMeta) -> type[BaseModel]:
    """The model a project file is validated against: fixed keys, one per level of the hierarchy
    (the group it belongs to) and one per card field, each of its kind."""
    fields: dict = {
        "number": (ProjectNumber, Field(alias="事業番号")),
        "name": (Name, Field(alias="事業名")),
        "priority": (bool, Field(default=False, alias="重点取組")),
        "terms": (list[Text], Field(default_factory=list, alias="用語")),
        "status": (Status | None, Field(default=None, alias="状況")),
        "lead": (Name | None, Field(default=None, alias="主担当課")),  # see docgen.organization
    }
    for i, level in enumerate(meta.levels):
        fields[f"level_{i}"] = (int, Field(alias=level.name, ge=1, le=10**6))
    for j, spec in enumerate(meta.card):
        kind = FIELD_TYPES[spec.kind]
        fields[f"field_{j}"] = ((kind, Field(alias=spec.name)) if spec.required
                                else (kind | None, Field(default=None, alias=spec.name)))
    return create_model("Project", __base__=Model, **fields)


@dataclass(frozen=True, eq=False)
class Project:
    """個別事業: one card of the booklet."""

    number: str
    groups: tuple[int, ...]  # the number of its group at each level, top first
    name: str
    priority: bool
    departments: tuple[str, ...]
    values: dict  # card field name → value (RichText, str, tuple[str], money dict, indicators, Schedule)
    schedule: Schedule
    terms: tuple[str, ...]
    status: Status | None
    sequence: int = 0  # 連番 read from the number (0 when it does not follow the scheme)
    lead: str = ""  # 主担当課 as the project file names it ("" when it does not)

    @property
    def kind(self) -> str:
        return self.status.kind if self.status else "継続"

    @property
    def closed(self) -> bool:
        return self.kind in CLOSED


def project_from(validated: BaseModel, meta: PlanMeta) -> Project:
    values = {}
    schedule, departments = Schedule(), ()
    for j, spec in enumerate(meta.card):
        value = getattr(validated, f"field_{j}")
        if value is None:
            continue
        if spec.kind == "工程表":
            schedule = value
        elif spec.kind == "所管課":
            departments = tuple(value)
        values[spec.name] = tuple(value) if isinstance(value, list) else value
    return Project(number=validated.number,
                   groups=tuple(getattr(validated, f"level_{i}") for i in range(len(meta.levels))),
                   name=validated.name, priority=validated.priority, departments=departments,
                   values=values, schedule=schedule, terms=tuple(validated.terms), status=validated.status,
                   lead=validated.lead or "")


# ---- glossary.yaml ---------------------------------------------------------------------------

class Term(Model):
    term: Name = Field(alias="用語")
    reading: Reading = Field(alias="読み")
    definition: Text = Field(alias="定義")


# ---- chapters.yaml, figures.yaml, briefing.yaml (text may use Jinja2 expressions) -------------

class Chapter(Model):
    """A prose chapter (実施計画の概要, 推進体制, 参考資料 …), before or after the generated ones."""

    title: Name = Field(alias="見出し")
    body: RichText = Field(alias="本文")
    figures: list[Text] = Field(default_factory=list, alias="図", max_length=30)
    numbered: bool = Field(default=True, alias="章番号")


GENERATED = ("体系", "事業", "用語集")


class Inserted(Model):
    """The place of a generated chapter among the prose chapters: 体系 (施策の体系 and the count
    table), 事業 (the cards) or 用語集."""

    chapter: Literal["体系", "事業", "用語集"] = Field(alias="差し込み")


FIGURE_COLUMNS = 6  # a figure's grid fits the text width: six columns at most
FIGURE_ROWS = 16  # and a page's height: sixteen rows at most


class Box(Model):
    """A box of a figure, placed on a grid of columns and rows."""

    id: Text = Field(alias="識別子")
    lines: list[Short] = Field(alias="文", min_length=1, max_length=8)
    column: int = Field(alias="列", ge=0, le=FIGURE_COLUMNS - 1)
    row: int = Field(alias="行", ge=0, le=FIGURE_ROWS - 1)
    width: int = Field(default=1, alias="幅", ge=1, le=FIGURE_COLUMNS)
    height: int = Field(default=1, alias="高さ", ge=1, le=FIGURE_ROWS)
    kind: Short = Field(default="自治体", alias="種類")  # 本計画 / 自治体 (or 市・町・村・区) / 国 / 都道府県


class Relation(Model):
    source: Text = Field(alias="から")
    target: Text = Field(alias="へ")
    label: str = Field(default="", alias="文")
    line: Literal["実線", "破線"] = Field(default="実線", alias="線")


class Figure(Model):
    id: Text = Field(alias="識別子")
    number: int = Field(alias="番号", ge=1)
    title: Text = Field(alias="題")
    boxes: list[Box] = Field(alias="要素", min_length=1, max_length=60)
    relations: list[Relation] = Field(default_factory=list, alias="関係", max_length=120)


class BriefingBlock(Model):
    """One block of a briefing section: text, or a list generated from the data."""

    text: RichText | None = Field(default=None, alias="文")
    generated: Name | None = Field(default=None, alias="一覧")  # a level's name: its groups, listed


class BriefingSection(Model):
    title: Text = Field(alias="見出し")
    blocks: list[BriefingBlock] = Field(alias="内容", min_length=1)


class Briefing(Model):
    title: Name = Field(alias="題")
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

def hierarchy_model(levels: list[Level]) -> type[BaseModel]:
    """The model policies.yaml is validated against: the top level's name holds its groups, each
    with 番号, 名称, 説明 (optional) and, but for the lowest level, the next level's name."""
    child = None
    for i in reversed(range(len(levels))):
        fields: dict = {"number": (int, Field(alias="番号", ge=1, le=10**6)),
                        "title": (Name, Field(alias="名称")),
                        "description": (str, Field(default="", alias="説明", max_length=2000))}
        if child is not None:
            fields["children"] = (list[child], Field(alias=levels[i + 1].name, min_length=1, max_length=200))
        child = create_model(f"Level{i}", __base__=Model, **fields)
    return create_model("Hierarchy", __base__=Model,
                        vision=(str, Field(default="", alias="基本理念", max_length=400)),
                        groups=(list[child], Field(alias=levels[0].name, min_length=1, max_length=200)))


def groups_from(validated: BaseModel, meta: PlanMeta) -> tuple[Group, ...]:
    """The hierarchy as :class:`Group` trees, labelled with each level's 番号 format."""
    from . import numbers

    ordinals = [0] * len(meta.levels)

    def make(node, level: int, path: tuple[int, ...]) -> Group:
        ordinals[level] += 1
        path = path + (node.number,)
        values = {meta.levels[k].name: n for k, n in enumerate(path)}
        values["番号"] = node.number
        values["通し番号"] = ordinals[level]
        label = numbers.render(meta.levels[level].label, values)
        kids = tuple(make(c, level + 1, path) for c in getattr(node, "children", ()))
        return Group(level, node.number, node.title, node.description, path, ordinals[level], label, kids)

    return tuple(make(g, 0, ()) for g in validated.groups)


@dataclass(frozen=True, eq=False)
class Plan:
    meta: PlanMeta
    vision: str
    groups: tuple[Group, ...]  # the top level of the hierarchy
    projects: list[Project]  # in booklet order
    glossary: list[Term]
    chapters: list[Chapter | Inserted]
    figures: list[Figure]
    briefing: Briefing | None = None
    editions: Editions | None = None
    organization: "Organization | None" = None  # departments.yaml (see docgen.organization)

    @property
    def org(self) -> "Organization":
        from .organization import Organization

        return self.organization if self.organization is not None else Organization(None)

    def owners(self, project: Project) -> tuple[str, ...]:
        """The departments whose files hold ``project`` (collectives give way to their coordinator)."""
        return self.org.departments_of(project.departments)

    def lead(self, project: Project) -> str:
        """The department that edits ``project`` (主担当)."""
        return self.org.lead(project.departments, project.lead)

    @property
    def published(self) -> PublicationDate:
        """Date of the edition in force: the current edition's, else the plan's first publication."""
        return self.editions.current.published if self.editions else self.meta.published

    def walk(self) -> list[Group]:
        """Every group, depth first (a group before its children)."""
        out: list[Group] = []

        def visit(group: Group) -> None:
            out.append(group)
            for child in group.children:
                visit(child)
        for group in self.groups:
            visit(group)
        return out

    def leaves(self) -> list[Group]:
        """The lowest groups, the ones projects belong to, in order."""
        return [g for g in self.walk() if not g.children]

    def group(self, path: tuple[int, ...]) -> Group | None:
        found = None
        options = self.groups
        for number in path:
            found = next((g for g in options if g.number == number), None)
            if found is None:
                return None
            options = found.children
        return found

    def ancestry(self, project: Project) -> tuple[Group, ...]:
        """The groups a project belongs to, top first."""
        return tuple(self.group(project.groups[:k + 1]) for k in range(len(project.groups)))

    def projects_in(self, group: Group) -> list[Project]:
        depth = len(group.path)
        return [p for p in self.projects if p.groups[:depth] == group.path]
