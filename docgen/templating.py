"""Jinja2 expressions in prose, evaluated in Jinja2's sandbox.

Prose may write ``{{ 事業数 }}`` or ``{{ 開始年度 | 年度 }}`` so that figures derived from the data
never go stale.  The names available are built by :func:`context` from the loaded data.
"""

from __future__ import annotations

import re

from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from . import wareki

_ENV = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True)
_ENV.filters.update({
    "年度": wareki.fy,  # 2023 → 令和5年度
    "R年度": wareki.fy_short_nendo,  # 2023 → R5年度
    "和暦": wareki.year_with_western,  # 2023 → 令和5(2023)年
})


def context(meta, vision: str, groups, projects, glossary) -> dict:
    """The names prose may use.  Counts of groups are named after the plan's own levels
    (基本方針数, 項目数 / 基本目標数, 施策数 …), the project counts after its word for a project."""
    period = meta.period
    counted = [p for p in projects if meta.display.counts(p)]
    levels: list[list] = [[] for _ in meta.levels]

    def visit(group) -> None:
        levels[group.level].append(group)
        for child in group.children:
            visit(child)
    for group in groups:
        visit(group)
    ctx = {
        "自治体名": meta.municipality,
        "自治体の種類": meta.municipality_kind,
        "計画名": meta.title,
        "状態": meta.status,
        "基本理念": vision,
        "事業数": len(counted),
        "全事業数": len(projects),
        "重点事業数": sum(1 for p in counted if p.priority),
        "用語数": len(glossary),
        "開始年度": period.start,
        "終了年度": period.end,
        "計画年数": period.end - period.start + 1,
        "計画期間": f"{period.start}年度～{period.end}年度",
    }
    word = meta.word
    ctx.update({f"{word}数": ctx["事業数"], f"全{word}数": ctx["全事業数"], f"重点{word}数": ctx["重点事業数"]})
    for level, found in zip(meta.levels, levels):
        ctx[f"{level.name}数"] = len(found)
    top = meta.levels[0].name
    ctx[top] = [{"番号": g.number, "名称": g.title, "見出し": g.label} for g in groups]
    return ctx


def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text or "{#" in text


def render(text: str, ctx: dict) -> tuple[str, list[tuple[int, str]]]:
    """Render one text.  Returns the result and ``(line offset, message)`` problems."""
    if not has_template(text):
        return text, []
    try:
        return _ENV.from_string(text).render(ctx), []
    except TemplateSyntaxError as exc:
        return text, [((exc.lineno or 1) - 1, f"式の書き方に誤りがあります（{_syntax(exc)}）")]
    except UndefinedError as exc:
        name = _undefined_name(str(exc))
        known = "、".join(k for k in ctx if not k.startswith("_"))
        return text, [(_line_of(text, name), f"「{name}」という名前はありません（使える名前: {known}）")]
    except TemplateError as exc:
        return text, [(0, f"式を計算できません（{exc}）")]
    except Exception as exc:  # arithmetic on the wrong type etc. inside the sandbox
        return text, [(0, f"式を計算できません（{type(exc).__name__}: {exc}）")]


def _undefined_name(message: str) -> str:
    match = re.search(r"'([^']+)' is undefined", message) or re.search(r"attribute '([^']+)'", message)
    return match.group(1) if match else message


def _line_of(text: str, name: str) -> int:
    for offset, line in enumerate(text.splitlines()):
        if name in line:
            return offset
    return 0


def _syntax(exc: TemplateSyntaxError) -> str:
    message = exc.message or ""
    if "unexpected end of template" in message:
        return "{{ や {% が閉じていません"
    if "expected token" in message:
        return "{{ }} の中は名前か計算式だけにしてください"
    if "unexpected '}'" in message:
        return "「{{」と「}}」の数が合っていません"
    if "unexpected" in message:
        return f"思いがけない文字があります: {message}"
    return message
