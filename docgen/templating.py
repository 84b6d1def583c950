"""Jinja2 expressions in prose, evaluated in Jinja2's sandbox.

Prose may write ``{{ 事業数 }}`` or ``{{ 開始年度 | 年度 }}`` so that figures derived from the data
never go stale.  The names available are built by :func:`context` from the loaded data.

What an expression may do is bounded, so that no text can hang or exhaust the build; each bound
is a located Japanese problem:

- the tags are ``{{ }}``, ``{% if %}`` and ``{% for %}`` (no ``set``, ``macro``, ``include`` …); the
  only function is ``range()``, of at most :data:`MAX_RANGE` numbers; the filters are the plan's
  (``年度``, ``R年度``, ``和暦``) and a list of harmless Jinja ones;
- all loops of one text together run at most :data:`MAX_ITERATIONS` times;
- one text's expressions produce at most :data:`MAX_OUTPUT` characters, and no value (a string
  made by ``*``, ``+`` or ``~``, a joined list) grows beyond that; lists cannot be multiplied;
- numbers stay below 10**15, as in the content;
- the result contains no control characters, line or paragraph separators or lone surrogates
  (``{{ '\\x0c' }}``, ``{{ '\\ud800' }}``): they cannot be printed.
"""

from __future__ import annotations

import contextvars
import functools
import re
from types import TracebackType
from typing import Any

from jinja2 import StrictUndefined, TemplateSyntaxError, UndefinedError, nodes, pass_context
from jinja2.exceptions import SecurityError, TemplateAssertionError
from jinja2.nodes import EvalContext
from jinja2.runtime import Context, LoopContext
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from . import wareki
from .yamlsrc import describe_character

MAX_RANGE = 1_000  # numbers one range() may give
MAX_ITERATIONS = 10_000  # loop turns in one text, all loops together
MAX_OUTPUT = 20_000  # characters the expressions of one text may produce
MAX_NUMBER = 10 ** 15  # as in the content (yamlsrc.MAX_DIGITS)

_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


class _Limit(Exception):
    """A bound was reached: the message says which, in Japanese."""


class _Budget:
    """What one render has used so far."""

    def __init__(self, limit: int):
        self.limit = limit  # characters of any one value
        self.output = limit  # characters of output still allowed
        self.iterations = 0
        self.repeated = 0  # characters made by 'x' * n


_BUDGET: contextvars.ContextVar[_Budget] = contextvars.ContextVar("docgen_template_budget")


def _budget() -> _Budget:
    try:
        return _BUDGET.get()
    except LookupError:  # a template rendered outside render() (not done in docgen)
        budget = _Budget(MAX_OUTPUT)
        _BUDGET.set(budget)
        return budget


def _size(value: Any, cap: int) -> int:
    """Characters ``str(value)`` would have, counted only up to just past ``cap`` (nested lists that
    share items can be far larger than they look, so nothing is converted before it is measured)."""
    total, stack = 0, [value]
    while stack and total <= cap:
        item = stack.pop()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            for key, val in item.items():
                stack.extend((key, val))
        elif isinstance(item, bool) or item is None:
            total += 5
        elif isinstance(item, int):
            if abs(item) >= MAX_NUMBER:
                raise _Limit(_TOO_BIG)
            total += 16
        else:
            total += 24
    return total


def _bounded(value: Any) -> Any:
    limit = _budget().limit
    if _size(value, limit) > limit:
        raise _Limit(_TOO_LONG)
    return value


_TOO_LONG = f"式の結果が長すぎます（式が作る文字は1つの項目で{MAX_OUTPUT:,}字まで）"
_TOO_BIG = f"式の計算で数が大きすぎます（{len(str(MAX_NUMBER)) - 1}桁まで）"


def _range(*args: Any) -> range:
    numbers = range(*args)
    try:
        count = len(numbers)
    except OverflowError:
        count = MAX_RANGE + 1
    if count > MAX_RANGE:
        raise _Limit(f"range() で作れる数は{MAX_RANGE:,}個までです")
    return numbers


@pass_context
def _iterate(context: Any, iterable: Any) -> Any:
    """Every {% for %} goes through here: the loop turns of one text are counted."""
    budget = _budget()
    for item in iterable:
        budget.iterations += 1
        if budget.iterations > MAX_ITERATIONS:
            raise _Limit(f"繰り返しが多すぎます（1つの項目の {{% for %}} は合わせて{MAX_ITERATIONS:,}回まで）")
        yield item


@pass_context
def _emit(context: Any, value: Any) -> str:
    """Every piece of output goes through here: the output of one text is measured."""
    budget = _budget()
    _bounded(value)
    text = str(value)
    budget.output -= len(text)
    if budget.output < 0:
        raise _Limit(_TOO_LONG)
    return text


@pass_context
def _concat(context: Any, values: list) -> str:
    """``a ~ b``: measured before it is built."""
    for value in values:
        _bounded(value)
    return _bounded("".join(str(v) for v in values))


_ITERATE, _EMIT, _CONCAT = "\x00iterate", "\x00emit", "\x00concat"  # names no text can write


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals) with every operator and call bounded."""

    intercepted_binops = frozenset({"+", "-", "*", "/", "//", "%", "**"})

    def call_binop(self, context, operator, left, right):
        numbers = all(isinstance(v, (int, float)) for v in (left, right))
        if operator == "*":
            if isinstance(left, (list, tuple)) or isinstance(right, (list, tuple)):
                raise _Limit("一覧は掛け算で増やせません")
            if isinstance(left, str) or isinstance(right, str):
                text, times = (left, right) if isinstance(left, str) else (right, left)
                if isinstance(times, int) and times > 0:
                    budget = _budget()
                    budget.repeated += len(text) * times
                    if budget.repeated > budget.limit:
                        raise _Limit(_TOO_LONG)
            elif numbers and isinstance(left, int) and isinstance(right, int) and (
                    abs(left) >= MAX_NUMBER or abs(right) >= MAX_NUMBER):
                raise _Limit(_TOO_BIG)
        elif operator == "**" and numbers:
            if abs(right) > 64 and abs(left) not in (0, 1):
                raise _Limit(_TOO_BIG)
        elif operator == "%" and isinstance(left, str):
            raise _Limit("文字の「%」書式は使えません")
        elif operator == "+" and not numbers:
            limit = _budget().limit
            if _size(left, limit) + _size(right, limit) > limit:
                raise _Limit(_TOO_LONG)
        result = super().call_binop(context, operator, left, right)
        if isinstance(result, (int, float)) and not isinstance(result, bool) and abs(result) >= MAX_NUMBER:
            raise _Limit(_TOO_BIG)
        return result

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        allowed = __obj is _range or (getattr(__obj, "__self__", None).__class__ is LoopContext
                                      and getattr(__obj, "__name__", "") in ("cycle", "changed"))
        if not allowed:
            raise SecurityError("call")
        return super().call(__context, __obj, *args, **kwargs)


def _plan_filter(func, what: str):
    @functools.wraps(func)
    def wrapper(value):
        try:
            return func(value)
        except (TypeError, ValueError, OverflowError, KeyError, IndexError):
            raise _Limit(f"「{what}」には 2024 のような西暦の年を渡してください") from None
    return wrapper


def _guarded(func):
    """A Jinja filter whose arguments and result are measured (a filter keeps Jinja's pass_… mark)."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        for value in (*args, *kwargs.values()):
            if not isinstance(value, (Context, EvalContext)):  # what Jinja passes first to some filters
                _bounded(value)
        return _bounded(func(*args, **kwargs))
    return wrapper


# Jinja filters that cannot make a value much larger than what they are given
_JINJA_FILTERS = ("abs", "batch", "capitalize", "count", "d", "default", "dictsort", "first", "float", "int",
                  "items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr",
                  "reverse", "round", "select", "selectattr", "sort", "string", "sum", "title", "trim",
                  "truncate", "unique", "upper", "wordcount")
PLAN_FILTERS = {
    "年度": wareki.fy,  # 2023 → 令和5年度
    "R年度": wareki.fy_short_nendo,  # 2023 → R5年度
    "和暦": wareki.year_with_western,  # 2023 → 令和5(2023)年
}

_ENV = _Sandbox(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=True, optimized=False)
_ENV.filters = {
    **{name: _guarded(_ENV.filters[name]) for name in _JINJA_FILTERS},
    **{name: _plan_filter(func, name) for name, func in PLAN_FILTERS.items()},
    _ITERATE: _iterate, _EMIT: _emit, _CONCAT: _concat,
}
_ENV.globals = {"range": _range}

_STATEMENTS = {  # the tags a text may not use, by the node Jinja makes of them
    nodes.Assign: "set", nodes.AssignBlock: "set", nodes.Macro: "macro", nodes.CallBlock: "call",
    nodes.FilterBlock: "filter", nodes.With: "with", nodes.Include: "include", nodes.Import: "import",
    nodes.FromImport: "from", nodes.Extends: "extends", nodes.Block: "block", nodes.Scope: "with",
    nodes.ExprStmt: "do", nodes.Continue: "continue", nodes.Break: "break",
    nodes.ScopedEvalContextModifier: "autoescape", nodes.EvalContextModifier: "autoescape",
}
_ALLOWED_TAGS = "{{ }}、{% if %}、{% for %}"


def _check(tree: nodes.Template) -> list[tuple[int, str]]:
    """What the text may not use, with the line offset of each."""
    found = []
    for node in tree.find_all(nodes.Node):
        line = max((node.lineno or 1) - 1, 0)
        kind = type(node)
        if kind in _STATEMENTS:
            found.append((line, f"「{{% {_STATEMENTS[kind]} %}}」は使えません（使えるのは {_ALLOWED_TAGS} です）"))
        elif isinstance(node, nodes.For) and node.recursive:
            found.append((line, f"「recursive」の繰り返しは使えません（使えるのは {_ALLOWED_TAGS} です）"))
        elif isinstance(node, nodes.Call) and not (
                (isinstance(node.node, nodes.Name) and node.node.name == "range")
                or (isinstance(node.node, nodes.Getattr) and isinstance(node.node.node, nodes.Name)
                    and node.node.node.name == "loop" and node.node.attr in ("cycle", "changed"))):
            found.append((line, "式の中で呼び出せるのは range() だけです"))
        elif isinstance(node, nodes.Filter) and node.name not in _ENV.filters:
            found.append((line, f"「{node.name}」というフィルターはありません（使えるフィルター: "
                                + "、".join(list(PLAN_FILTERS) + list(_JINJA_FILTERS)) + "）"))
        elif isinstance(node, nodes.Test) and node.name not in _ENV.tests:
            found.append((line, f"「is {node.name}」という確かめ方はありません"))
        elif isinstance(node, nodes.Const) and isinstance(node.value, str) and _BAD.search(node.value):
            ch = _BAD.search(node.value).group()
            found.append((line, f"式の中の文字列に{describe_character(ch)}があります。見えない文字で、"
                                "印刷できません"))
        elif isinstance(node, nodes.Const) and isinstance(node.value, int) and abs(node.value) >= MAX_NUMBER:
            found.append((line, _TOO_BIG))
    return found


class _Guard(NodeTransformer):
    """Routes every loop, output and ``~`` through the counting filters above."""

    @staticmethod
    def _filter(node: nodes.Node, name: str, lineno: int) -> nodes.Filter:
        return nodes.Filter(node, name, [], [], None, None, lineno=lineno)

    def visit_For(self, node: nodes.For) -> nodes.For:
        node = self.generic_visit(node)
        node.iter = self._filter(node.iter, _ITERATE, node.lineno)
        return node

    def visit_Output(self, node: nodes.Output) -> nodes.Output:
        node = self.generic_visit(node)
        node.nodes = [self._filter(nodes.Const(child.data, lineno=child.lineno) if isinstance(child, nodes.TemplateData)
                                   else child, _EMIT, child.lineno) for child in node.nodes]
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Filter:
        node = self.generic_visit(node)
        return self._filter(nodes.List(node.nodes, lineno=node.lineno), _CONCAT, node.lineno)


def _compile(text: str):
    tree = _ENV.parse(text)
    problems = _check(tree)
    if problems:
        return None, problems
    tree = _Guard().visit(tree)
    tree.set_environment(_ENV)
    code = _ENV.compile(tree)
    return _ENV.template_class.from_code(_ENV, code, _ENV.make_globals(None)), []


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
    """Render one text.  Returns the result (the text itself when it cannot be rendered) and
    ``(line offset, message)`` problems."""
    if not has_template(text):
        return text, []
    token = _BUDGET.set(_Budget(len(text) + MAX_OUTPUT))
    try:
        template, problems = _compile(text)
        if problems:
            return text, problems
        rendered = "".join(template.generate(ctx))
    except TemplateSyntaxError as exc:
        return text, [((exc.lineno or 1) - 1, f"式の書き方に誤りがあります（{_syntax(exc)}）")]
    except UndefinedError as exc:
        name = _undefined_name(str(exc))
        known = "、".join(k for k in ctx if not k.startswith("_"))
        line = _template_line(exc)
        return text, [(_line_of(text, name) if line is None else line,
                       f"「{name}」という名前はありません（使える名前: {known}）")]
    except Exception as exc:  # a bound, the sandbox, arithmetic on the wrong type …
        return text, [(_template_line(exc) or 0, _failure(exc))]
    finally:
        _BUDGET.reset(token)
    bad = _BAD.search(rendered)
    if bad:  # a string constant was checked already: this is a backstop
        return text, [(0, f"式の結果に{describe_character(bad.group())}があります。見えない文字で、印刷できません")]
    return rendered, []


def _failure(exc: BaseException) -> str:
    if isinstance(exc, _Limit):
        return str(exc)
    if isinstance(exc, SecurityError):
        match = re.search(r"attribute '([^']+)'", str(exc))
        what = f"「{match.group(1)}」は使えません" if match else "この書き方は使えません（呼び出せるのは range() だけです）"
        return f"式を計算できません（{what}）"
    if isinstance(exc, TemplateAssertionError):
        return "式を計算できません（使えないフィルターか確かめ方があります）"
    if isinstance(exc, ZeroDivisionError):
        return "式を計算できません（0 で割っています）"
    if isinstance(exc, TypeError):
        return "式を計算できません（数と文字のように、組み合わせられない値を計算しています）"
    if isinstance(exc, (RecursionError, MemoryError)):
        return "式を計算できません（式が深く入れ子になりすぎているか、大きすぎます）"
    if isinstance(exc, (ValueError, OverflowError)):
        return "式を計算できません（値が大きすぎるか、正しくありません）"
    return "式を計算できません（この書き方は使えません）"


def _template_line(exc: BaseException) -> int | None:
    """Line offset in the text of the expression that failed (Jinja rewrites tracebacks so that
    template frames carry the template's lines)."""
    line = None
    tb: TracebackType | None = exc.__traceback__
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno - 1
        tb = tb.tb_next
    return line


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
    if "unexpected end of template" in message.lower():
        ending = re.search(r"'(end\w+)'", message)
        return f"{{% {ending.group(1)} %}} がありません" if ending else "{{ や {% が閉じていません"
    if "unknown tag" in message:
        tag = re.search(r"tag '([^']+)'", message)
        return f"「{{% {tag.group(1) if tag else ''} %}}」は使えません（使えるのは {_ALLOWED_TAGS} です）"
    if "expected token" in message:
        return "{{ }} の中は名前か計算式だけにしてください"
    if "unexpected '}'" in message:
        return "「{{」と「}}」の数が合っていません"
    if "unexpected char" in message:
        char = re.search(r"unexpected char '(.+)'", message)
        return f"式の中に使えない文字「{char.group(1) if char else ''}」があります"
    if "unexpected" in message:
        what = re.search(r"unexpected '([^']+)'", message)
        return f"思いがけない「{what.group(1)}」があります" if what else "思いがけない書き方があります"
    return "{{ }} や {% %} の中の書き方を確かめてください"
