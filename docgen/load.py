"""Loading a content folder into a validated :class:`~docgen.model.Plan`.

Every problem in every file is collected before anything is reported, so staff see the whole list
at once.  The content folder layout::

    plan.yaml        計画の基本情報（自治体名、計画名、状態、発行、計画期間、奥付、表示）
    policies.yaml    基本理念、基本方針と項目
    projects/*.yaml  個別事業（1ファイル1事業）
    glossary.yaml    用語集（※注記）
    editions.yaml    現在の版と改訂履歴（docgen new-edition が書く）         optional
    chapters.yaml    本文の章（式 {{ }} が使える）          optional
    figures.yaml     図（箱と関係）                          optional
    briefing.yaml    議会説明資料                            optional
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import checks, fonts, model, richtext, templating
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


def load(content_dir: str | Path, *, check_fonts: bool = True) -> model.Plan:
    """Load and validate a content folder.  Raises :class:`~docgen.errors.ContentError`."""
    problems = Problems()
    display_root = str(content_dir).rstrip("/") or "."
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
    pol = _load_model(loaded, "policies.yaml", model.Policies, problems)
    glossary = _load_list(loaded, "glossary.yaml", model.Term, problems)
    editions = _load_model(loaded, "editions.yaml", model.Editions, problems, optional=True)
    projects = _load_projects(loaded, problems)

    chapters: list[model.Chapter] = []
    figures: list[model.Figure] = []
    briefing = None
    if meta and pol:
        ctx = templating.context(meta, pol, projects, glossary)
        chapters = _load_list(loaded, "chapters.yaml", model.Chapter, problems, ctx, optional=True,
                              rich=("本文",))
        figures = _load_list(loaded, "figures.yaml", model.Figure, problems, ctx, optional=True)
        briefing = _load_model(loaded, "briefing.yaml", model.Briefing, problems, ctx, optional=True,
                               rich=("文",))

    if pol:
        checks.check_plan(loaded, meta, pol, projects, glossary, chapters, figures, problems)
    problems.raise_if_any()
    return model.Plan(meta=meta, vision=pol.vision, policies=pol.policies,
                      projects=sorted(projects, key=lambda p: p.key), glossary=glossary,
                      chapters=chapters, figures=figures, briefing=briefing, editions=editions)


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
    _prepare(source.data, source.path, problems, ctx, rich)
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
        _prepare(entry, source.path, problems, ctx, rich, f"[{index + 1}]")
        item = validate(cls, entry, source.path, problems, prefix=f"[{index + 1}]")
        if item is not None:
            out.append(item)
    return out


def _load_projects(loaded: Loaded, problems: Problems) -> list[model.Project]:
    folder = loaded.root / "projects"
    display = f"{loaded.display_root}/projects"
    if not folder.is_dir():
        problems.add(display, 1, "(フォルダ)", "個別事業のフォルダ projects/ がありません")
        return []
    projects = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml") or path.name.startswith("."):
            continue
        relative = f"projects/{path.name}"
        source = _read(loaded, relative, problems)
        if source is None:
            continue
        if not isinstance(source.data, Node):
            problems.add(source.path, 1, "(全体)", "「名前: 値」の形で書いてください")
            continue
        _prepare(source.data, source.path, problems, None, model.PROJECT_RICH_FIELDS)
        project = validate(model.Project, source.data, source.path, problems)
        if project is not None:
            projects.append(project)
            loaded.project_sources.append((project, source.data, source.path))
    if not projects and not problems:
        problems.add(display, 1, "(フォルダ)", "個別事業のファイルが1つもありません")
    return projects


# ---- templates and rich text -----------------------------------------------------------------

def _prepare(data: Any, path: str, problems: Problems, ctx: dict | None, rich: tuple[str, ...],
             field_path: str = "") -> None:
    """Render ``{{ }}`` expressions (when ``ctx`` is given) and parse rich-text fields in place."""
    if isinstance(data, Node):
        for key in list(data):
            value = data[key]
            name = f"{field_path}.{key}" if field_path else str(key)
            if isinstance(value, str):
                line = data.text_line(key)
                if ctx is not None:
                    value = _render(value, ctx, path, line, name, problems)
                if key in rich:
                    value = _rich(value, path, line, name, problems)
                data[key] = value
            else:
                _prepare(value, path, problems, ctx, rich, name)
    elif isinstance(data, Seq):
        for index, value in enumerate(data):
            name = f"{field_path}[{index + 1}]"
            if isinstance(value, str) and ctx is not None:
                data[index] = _render(value, ctx, path, data.item_line(index), name, problems)
            else:
                _prepare(value, path, problems, ctx, rich, name)


def _render(text, ctx, path, line, name, problems) -> str:
    rendered, found = templating.render(text, ctx)
    for offset, msg in found:
        problems.add(path, line + offset, name, msg)
    return rendered


def _rich(text, path, line, name, problems) -> richtext.RichText:
    parsed, found = richtext.parse(text)
    for offset, msg in found:
        problems.add(path, line + offset, name, msg)
    if not parsed and not found:
        problems.add(path, line, name, "空にはできません")
    return parsed
