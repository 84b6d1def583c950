"""Loading a content folder into a validated :class:`~docgen.model.Plan`.

Every problem in every file is collected before anything is reported, so staff see the whole list
at once.  The content folder layout::

    plan.yaml        計画の基本情報（自治体名、計画名、状態、発行、計画期間、体系、カード、奥付、表示、ラベル）
    policies.yaml    基本理念と体系（plan.yaml の 体系.階層 の名前で書く: 基本方針 → 項目 …）
    projects/*.yaml  個別事業（1ファイル1事業）
    glossary.yaml    用語集（※注記）
    editions.yaml    現在の版と改訂履歴（docgen new-edition が書く）         optional
    departments.yaml 部と課、所管課の別名、まとめの名前（各課など）           optional
    chapters.yaml    本文の章（式 {{ }} が使える）          optional
    figures.yaml     図（箱と関係）                          optional
    briefing.yaml    議会説明資料                            optional
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks, fonts, model, organization, richtext, settings, templating
from .errors import Problems
from .validation import validate
from .yamlsrc import Node, Seq, load_yaml


@dataclass
class Source:
    """One loaded YAML file: its display path and its located data."""

    path: str
    data: Any


@dataclass
class Loaded:
    """Everything read from the folder, with the located YAML kept for line numbers."""

    root: Path
    display_root: str
    sources: dict[str, Source] = field(default_factory=dict)
    project_sources: list[tuple[model.Project, Node, str]] = field(default_factory=list)
    cover: frozenset[int] | None = None  # code points the fonts can draw (None: not checked)
    entries: dict[str, list] = field(default_factory=dict)  # list files: validated entry or None, by index
    invalid_projects: int = 0  # project files that failed validation
    refs: list[tuple[str, int, str, str]] = field(default_factory=list)  # [[…]]: path, line, field, target


def load(content_dir: str | Path, *, check_fonts: bool = True, display: str | None = None) -> model.Plan:
    """Load and validate a content folder.  Raises :class:`~docgen.errors.ContentError`.

    ``display`` names the folder in messages when it is not where staff keep it (a git revision
    unpacked into a temporary folder is shown as ``HEAD~1:content``)."""
    problems = Problems()
    display_root = display or str(content_dir).rstrip("/") or "."
    root = Path(content_dir)
    if not root.is_dir():
        problems.add(display_root, 1, "(フォルダ)", "内容のフォルダがありません")
        problems.raise_if_any()
    loaded = Loaded(root.resolve(), display_root)
    if check_fonts:
        loaded.cover = checks.drawable()
        if loaded.cover is None:
            problems.add(str(fonts.MANIFEST), 1, "書体",
                         "フォントが見つからないため文字を確かめられません（docgen fonts で確認してください）")

    meta = _load_model(loaded, "plan.yaml", model.PlanMeta, problems)
    shape = meta
    if meta is not None and not settings.check(meta, loaded.sources["plan.yaml"], problems):
        meta = shape = None  # the shape of the plan is wrong: projects cannot be read against it
    elif meta is None and "plan.yaml" in loaded.sources:
        shape = validate(model.PlanShape, loaded.sources["plan.yaml"].data, "", Problems())
        if shape is not None and not settings.check(shape, loaded.sources["plan.yaml"], problems):
            shape = None
    hierarchy = None
    if shape is not None:
        hierarchy = _load_model(loaded, "policies.yaml", model.hierarchy_model(shape.levels), problems)
    glossary = _load_list(loaded, "glossary.yaml", model.Term, problems)
    editions = _load_model(loaded, "editions.yaml", model.Editions, problems, optional=True)
    departments = _load_model(loaded, "departments.yaml", organization.Departments, problems, optional=True)
    if departments is not None:
        organization.check(departments, loaded.sources["departments.yaml"].path,
                           loaded.sources["departments.yaml"].data, problems)
    projects = _load_projects(loaded, shape, problems) if shape is not None else []

    chapters: list = []
    figures: list[model.Figure] = []
    briefing = None
    groups: tuple[model.Group, ...] = ()
    if meta and hierarchy:
        groups = model.groups_from(hierarchy, meta)
        ctx = templating.context(meta, hierarchy.vision, groups, projects, glossary)
        chapters = _load_list(loaded, "chapters.yaml", _chapter_model, problems, ctx, optional=True,
                              rich=("本文",))
        figures = _load_list(loaded, "figures.yaml", model.Figure, problems, ctx, optional=True)
        briefing = _load_model(loaded, "briefing.yaml", model.Briefing, problems, ctx, optional=True,
                               rich=("文",))

    plan = None
    if shape and hierarchy:  # with only the shape of a broken plan.yaml, its projects are still checked
        groups = groups or model.groups_from(hierarchy, shape)
        plan = model.Plan(meta=shape, vision=hierarchy.vision, groups=groups, projects=projects,
                          glossary=glossary, chapters=chapters, figures=figures, briefing=briefing,
                          editions=editions, organization=organization.Organization(departments))
        plan = checks.check_plan(loaded, plan, problems)
        organization.check_projects(plan, loaded.project_sources, problems)
    problems.raise_if_any()
    return plan


def _chapter_model(entry: Any) -> type:
    """A chapters.yaml entry is a prose chapter, or the place of a generated one (差し込み)."""
    return model.Inserted if isinstance(entry, Node) and "差し込み" in entry else model.Chapter


# ---- reading files ---------------------------------------------------------------------------

def _read(loaded: Loaded, relative: str, problems: Problems, optional: bool = False) -> Source | None:
    path = loaded.root / relative
    display = f"{loaded.display_root}/{relative}"
    if not path.exists():
        if not optional:
            problems.add(display, 1, "(ファイル)", "ファイルがありません")
        return None
    if not path.resolve().is_relative_to(loaded.root):
        problems.add(display, 1, "(ファイル)", "内容のフォルダの外を指すファイルは読めません")
        return None
    before = len(problems.items)
    data = load_yaml(path, display, problems)
    if data is None:
        if len(problems.items) == before:
            problems.add(display, 1, "(ファイル)", "ファイルが空です")
        return None
    if loaded.cover is not None:
        checks.check_characters(data, display, problems, loaded.cover)
    source = Source(display, data)
    loaded.sources[relative] = source
    return source


def _load_model(loaded, relative, cls, problems, ctx=None, optional=False, rich=()):
    source = _read(loaded, relative, problems, optional)
    if source is None:
        return None
    _prepare(source.data, source.path, problems, ctx, rich, refs=loaded.refs, cover=loaded.cover)
    return validate(cls, source.data, source.path, problems)


def _load_list(loaded, relative, cls, problems, ctx=None, optional=False, rich=()):
    source = _read(loaded, relative, problems, optional)
    if source is None:
        return []
    if not isinstance(source.data, Seq):
        problems.add(source.path, getattr(source.data, "line", 1), "(全体)",
                     "一覧（「- 」で始まる項目の並び）で書いてください")
        return []
    out = []
    for index, entry in enumerate(source.data):
        kind = cls if isinstance(cls, type) else cls(entry)
        _prepare(entry, source.path, problems, ctx, rich, f"[{index + 1}]", prose=kind is model.Chapter,
                 refs=loaded.refs, cover=loaded.cover)
        item = validate(kind, entry, source.path, problems, prefix=f"[{index + 1}]")
        loaded.entries.setdefault(relative, []).append(item)  # None where invalid: indexes stay aligned
        if item is not None:
            out.append(item)
    return out


def _load_projects(loaded: Loaded, meta: model.PlanShape | model.PlanMeta, problems: Problems) -> list[model.Project]:
    folder = loaded.root / "projects"
    display = f"{loaded.display_root}/projects"
    if not folder.is_dir():
        problems.add(display, 1, "(フォルダ)", "個別事業のフォルダ projects/ がありません")
        return []
    projects = []
    project_model = model.project_model(meta)
    rich = tuple(spec.name for spec in meta.card if spec.kind == "文章")
    try:
        paths = sorted(folder.iterdir())
    except OSError as exc:
        problems.add(display, 1, "(フォルダ)", f"フォルダを読めません（{exc.strerror or exc}）")
        return []
    for path in paths:
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        relative = f"projects/{path.name}"
        source = _read(loaded, relative, problems)
        if source is None:
            continue
        if not isinstance(source.data, Node):
            problems.add(source.path, 1, "(全体)", "「名前: 値」の形で書いてください")
            continue
        _prepare(source.data, source.path, problems, None, rich, refs=loaded.refs)
        validated = validate(project_model, source.data, source.path, problems)
        if validated is None:
            loaded.invalid_projects += 1
            continue
        project = model.project_from(validated, meta)
        projects.append(project)
        loaded.project_sources.append((project, source.data, source.path))
    if not projects and not problems:
        problems.add(display, 1, "(フォルダ)", f"{meta.word}のファイルが1つもありません")
    return projects


# ---- templates and rich text -----------------------------------------------------------------

def _prepare(data: Any, path: str, problems: Problems, ctx: dict | None, rich: tuple[str, ...],
             field_path: str = "", prose: bool = False, refs: list | None = None,
             cover: frozenset[int] | None = None) -> None:
    """Render ``{{ }}`` expressions (when ``ctx`` is given) and parse rich-text fields in place."""
    if isinstance(data, Node):
        for key in list(data):
            value = data[key]
            name = f"{field_path}.{key}" if field_path else str(key)
            if isinstance(value, str):
                line = data.text_line(key)
                # a line within the text is a line of the file only in a literal block (|); a quoted
                # or folded value's line breaks are not the file's
                literal = data.lines_kept(key)
                if ctx is not None:
                    value = _render(value, ctx, path, line, name, problems, cover, literal)
                if key in rich:
                    value = _rich(value, path, line, name, problems, prose, literal)
                    if refs is not None:
                        refs += [(path, line + (offset if literal else 0), name, target)
                                 for offset, row in enumerate(data[key].split("\n"))
                                 for target in richtext.refs(row)]
                data[key] = value
            else:
                _prepare(value, path, problems, ctx, rich, name, prose, refs, cover)
    elif isinstance(data, Seq):
        for index, value in enumerate(data):
            name = f"{field_path}[{index + 1}]"
            if isinstance(value, str) and ctx is not None:
                data[index] = _render(value, ctx, path, data.item_line(index), name, problems, cover,
                                      data.lines_kept(index))
            else:
                _prepare(value, path, problems, ctx, rich, name, prose, refs, cover)


def _render(text, ctx, path, line, name, problems, cover=None, literal=True) -> str:
    rendered, found = templating.render(text, ctx)
    for offset, msg in found:
        problems.add(path, line + (offset if literal else 0), name, msg)
    if cover is not None and rendered != text and not found:  # what an expression gives is printed too
        checks.check_characters(rendered, path, problems, cover, name, line, literal)
    return rendered


def _rich(text, path, line, name, problems, prose=False, literal=True) -> richtext.RichText:
    parsed, found = richtext.parse(text, prose)
    for offset, msg in found:
        problems.add(path, line + (offset if literal else 0), name, msg)
    if not parsed and not found:
        problems.add(path, line, name, "空にはできません")
    return parsed
