"""Changing one value of a YAML file in place, leaving every other byte as it was.

``docgen import`` writes a department's edits back into projects/*.yaml so that ``git diff`` shows
only the fields that changed: comments, key order, quoting and the text of untouched fields stay.
The file is parsed with PyYAML's composer (nodes with their character positions, no objects made),
and only the span of the changed key and its value is replaced with newly written YAML at the same
indentation:

* a 文章 (Markdown) value as a literal block (``|``);
* a short text as a plain or quoted scalar, a list of texts one ``- `` item a line;
* a list of 工程 as one flow mapping a line (``- {名称: 継続, 開始: 2023上期}``), as the files write them.

A key that is not there yet is added after the last key of its mapping; a value set to None removes
its key.  The caller re-reads the result with the normal loader: what is written is checked like
anything staff write.
"""

from __future__ import annotations

import yaml

Path_ = tuple  # keys from the document's root, e.g. ("実施工程表", "年度別", 2024)


class EditError(Exception):
    """The file does not have the shape the edit needs (message in Japanese)."""


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=10 ** 9)
    text = text.rstrip("\n")
    if text.endswith("\n..."):
        text = text[:-4]
    return text.rstrip("\n")


def _key(value) -> str:
    return _scalar(value)


def render(key, value, indent: int) -> str:
    """``key: value`` as YAML lines at ``indent`` (no final newline)."""
    pad = " " * indent
    head = f"{pad}{_key(key)}:"
    if isinstance(value, Literal):
        lines = str(value).split("\n")
        body = "\n".join(f"{pad}  {line}" if line else "" for line in lines)
        return f"{head} |\n{body}"
    if isinstance(value, list):
        if not value:
            return f"{head} []"
        items = []
        for item in value:
            if isinstance(item, dict):
                inner = ", ".join(f"{_key(k)}: {_scalar(v)}" for k, v in item.items())
                items.append(f"{pad}  - {{{inner}}}")
            else:
                items.append(f"{pad}  - {_scalar(item)}")
        return head + "\n" + "\n".join(items)
    if isinstance(value, dict):
        return head + "\n" + "\n".join(render(k, v, indent + 2) for k, v in value.items())
    return f"{head} {_scalar(value)}"


class Literal(str):
    """A text to be written as a literal block (``|``)."""


def _find(mapping: yaml.MappingNode, key):
    for k, v in mapping.value:
        if isinstance(k, yaml.ScalarNode) and (k.value == str(key)):
            return k, v
    return None


def _content_end(text: str, index: int, floor: int) -> int:
    """Back from ``index`` over blank lines and comment lines to just after the last content
    character (not before ``floor``)."""
    end = index
    while end > floor:
        nl = text.rfind("\n", floor, end - 1)
        line_start = nl + 1 if nl >= 0 else floor
        line = text[line_start:end]
        stripped = line.strip()
        if stripped == "" or stripped.startswith("#"):
            end = line_start
            continue
        break
    while end > floor and text[end - 1] in "\n\r":
        end -= 1
    return end


def set_value(text: str, path: Path_, value) -> str:
    """``text`` with the value at ``path`` replaced by ``value`` (None: the key removed)."""
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, yaml.MappingNode):
        raise EditError("ファイルの一番上が「項目: 値」の形ではありません")
    node = root
    for depth, key in enumerate(path[:-1]):
        found = _find(node, key)
        if found is None:
            # the parent mapping is missing: write the rest as a new nested mapping
            nested: dict = {}
            cursor = nested
            for k in path[depth + 1:-1]:
                cursor[k] = {}
                cursor = cursor[k]
            cursor[path[-1]] = value
            if value is None:
                return text
            return _add(text, node, key, nested)
        _, child = found
        if not isinstance(child, yaml.MappingNode) or child.flow_style:
            raise EditError(f"「{key}」が「項目: 値」の並び（ブロック形式）になっていません")
        node = child
    found = _find(node, path[-1])
    if found is None:
        return text if value is None else _add(text, node, path[-1], value)
    key_node, value_node = found
    start = key_node.start_mark.index
    line_start = text.rfind("\n", 0, start) + 1
    indent = start - line_start
    end = _content_end(text, value_node.end_mark.index, value_node.start_mark.index)
    if value is None:
        after = end + 1 if end < len(text) and text[end] == "\n" else end
        return text[:line_start] + text[after:]
    return text[:start] + render(path[-1], value, indent).lstrip(" ") + text[end:]


def _add(text: str, mapping: yaml.MappingNode, key, value) -> str:
    last_key, last_value = mapping.value[-1]
    start = last_key.start_mark.index
    indent = start - (text.rfind("\n", 0, start) + 1)
    end = _content_end(text, last_value.end_mark.index, last_value.start_mark.index)
    return text[:end] + "\n" + render(key, value, indent) + text[end:]
