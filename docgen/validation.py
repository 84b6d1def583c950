"""Turning pydantic's findings into Japanese ``file:line: field: message`` problems."""

from __future__ import annotations

import difflib
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from .errors import Problems
from .yamlsrc import Node, Seq

M = TypeVar("M", bound=BaseModel)


def aliases(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def validate(model: type[M], data: Any, path: str, problems: Problems, prefix: str = "") -> M | None:
    """Validate ``data`` (read by :mod:`yamlsrc`) against ``model``; record every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        chosen: dict[tuple, tuple[dict, bool]] = {}  # one error per place, of the union branch that fits
        for err in exc.errors():
            loc, tags = _strip_union_tags(data, tuple(err["loc"]), err["type"])
            fits = not tags or _branch_fits(tags[-1], err.get("input"))
            if loc not in chosen or (fits and not chosen[loc][1]):
                chosen[loc] = ({**err, "loc": loc}, fits)
        for loc, (err, _) in chosen.items():
            line = locate(data, loc, err["type"])
            field = field_name(prefix, loc, data)
            problems.add(path, line, field, message(model, data, loc, err))
        return None


def _strip_union_tags(data: Any, loc: tuple, kind: str) -> tuple[tuple, list[str]]:
    """pydantic names the branch of a union in the location (「関連計画.list[constrained-str]」):
    staff see only the places in their file."""
    out, tags, current = [], [], data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, Node) and _node_key(current, part) is not None:
            current = current[_node_key(current, part)]
        elif isinstance(current, (Seq, list)) and isinstance(part, int):
            current = current[part] if 0 <= part < len(current) else None
        elif isinstance(part, str) and not (last and kind in ("missing", "extra_forbidden")) and not (
                isinstance(current, Node) and kind == "extra_forbidden"):
            tags.append(part)
            continue
        out.append(part)
    return tuple(out), tags


def _branch_fits(tag: str, value: Any) -> bool:
    """Whether the union branch ``tag`` is the one meant for ``value`` (a list for a list branch …)."""
    if isinstance(value, (list, Seq)):
        return tag.startswith(("list", "tuple"))
    if isinstance(value, (dict, Node)):
        return tag.startswith("dict") or tag[:1].isupper()
    return not tag.startswith(("list", "tuple", "dict"))


def field_name(prefix: str, loc: tuple, data: Any = None) -> str:
    """「実施工程表.工程[2].開始」: list positions counted from 1, mapping keys (a year 2024) as written."""
    out, current = prefix, data
    for part in loc:
        listed = isinstance(current, (Seq, list)) if data is not None else isinstance(part, int)
        if listed and isinstance(part, int) and not isinstance(part, bool) and out:
            out += f"[{part + 1}]"  # staff count from 1
        else:
            out += ("." if out else "") + str(part)
        if isinstance(current, Node):
            key = _node_key(current, part)
            current = current[key] if key is not None else None
        elif isinstance(current, (Seq, list)) and isinstance(part, int) and 0 <= part < len(current):
            current = current[part]
        else:
            current = None
    return out or "(全体)"


def locate(data: Any, loc: tuple, kind: str) -> int:
    """Line of the value at ``loc``; for a missing field, the line of the mapping that lacks it."""
    current, line = data, getattr(data, "line", 1)
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(current, Node):
            key = _node_key(current, part)
            if key is None:
                return current.line if kind == "missing" else line
            line = current.key_line(key) if (last and kind == "extra_forbidden") else current.value_line(key)
            current = current[key]
        elif isinstance(current, Seq) and isinstance(part, int) and 0 <= part < len(current):
            line = current.item_line(part)
            current = current[part]
        else:
            return line
    return line


def _node_key(node: Node, part: Any) -> Any:
    if part in node:
        return part
    for key in node:  # dict[int, …] keys come back from pydantic as given, or as str
        if str(key) == str(part):
            return key
    return None


_TYPE_WORDS = {
    "missing": "必須の項目がありません",
    "string_type": "文字列で書いてください",
    "int_type": "整数で書いてください",
    "int_parsing": "整数で書いてください",
    "int_from_float": "整数で書いてください",
    "bool_type": "true か false で書いてください",
    "bool_parsing": "true か false で書いてください",
    "list_type": "一覧（「- 」で始まる行）で書いてください",
    "tuple_type": "一覧（「- 」で始まる行）で書いてください",
    "dict_type": "「名前: 値」の形で書いてください",
    "model_type": "「名前: 値」の形で書いてください",
    "model_attributes_type": "「名前: 値」の形で書いてください",
    "is_instance_of": "文章で書いてください",
    "none_required": "空にしてください",
    "invalid_key": "項目の名前は文字で書いてください（数だけの名前は引用符で囲みます）",
    "dataclass_exact_type": "文章で書いてください",
}


def message(model: type[BaseModel], data: Any, loc: tuple, err: dict) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        owner = _owner_model(model, loc[:-1])
        allowed = aliases(owner) if owner else []
        near = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.4)
        hint = f"「{near[0]}」の書き間違いではありませんか" if near else "使える項目: " + "、".join(allowed)
        return f"この項目は使えません（{hint}）"
    if kind in _TYPE_WORDS:
        got = err.get("input")
        suffix = "" if kind == "missing" else f"（書かれている値: {_show(got)}）"
        return _TYPE_WORDS[kind] + suffix
    if kind == "string_too_short":
        return "空にはできません"
    if kind == "string_too_long":
        return f"{ctx.get('max_length')}文字以内にしてください（いまは{len(str(err.get('input', '')))}文字）"
    if kind == "too_short":
        return f"{ctx.get('min_length', 1)}つ以上書いてください"
    if kind == "too_long":
        return f"{ctx.get('max_length')}つまでにしてください"
    if kind in ("greater_than_equal", "greater_than"):
        return f"{ctx.get('ge', ctx.get('gt'))}以上の数にしてください（書かれている値: {_show(err.get('input'))}）"
    if kind in ("less_than_equal", "less_than"):
        return f"{ctx.get('le', ctx.get('lt'))}以下の数にしてください（書かれている値: {_show(err.get('input'))}）"
    if kind == "literal_error":
        choices = "".join(f"「{c}」" for c in _choices(str(ctx.get("expected", ""))))
        return f"{choices}のどれかにしてください（書かれている値: {_show(err.get('input'))}）"
    if kind == "string_pattern_mismatch":
        return _pattern_message(loc, err.get("input"))
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return f"値が正しくありません（{kind}）"


def _choices(expected: str) -> list[str]:
    """pydantic's "'案' or '策定'" as ['案', '策定']."""
    parts = re.split(r",\s*|\s+or\s+", expected)
    return [p.strip().strip("'\"") for p in parts if p.strip()]


def _pattern_message(loc: tuple, value: Any) -> str:
    name = str(loc[-1]) if loc else ""
    examples = {
        "読み": "ひらがな（またはカタカナ）で書いてください",
        "ファイル名": "半角英小文字・数字・「-」で書いてください（例: city-dx-plan）",
        "基調色": "「#1F4E79」のように # と16進6桁で書いてください",
    }
    return examples.get(name, "書き方が正しくありません") + f"（書かれている値: {_show(value)}）"


def _owner_model(model: type[BaseModel], loc: tuple) -> type[BaseModel] | None:
    """The model class that owns the field at ``loc`` (to suggest a near field name)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = {(f.alias or n): f for n, f in current.model_fields.items()}
        if part not in fields:
            return None
        current = _inner_model(fields[part].annotation)
        if current is None:
            return None
    return current


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found:
            return found
    return None


def _show(value: Any) -> str:
    if isinstance(value, (Node, dict)):
        return "「名前: 値」の組"
    if isinstance(value, (Seq, list)):
        return "一覧"
    text = repr(value) if not isinstance(value, str) else f"「{value}」"
    return text if len(text) <= 40 else text[:38] + "…"
