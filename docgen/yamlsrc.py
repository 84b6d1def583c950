"""YAML reading that remembers where every key and value came from.

Only the safe subset of YAML is accepted (``yaml.SafeLoader``): no Python tags, no object
construction.  Mappings become :class:`Node` dicts and sequences :class:`Seq` lists that know the
line of each key, value and item, so that problems found later can be reported as
``file:line``.  Duplicate keys, which YAML silently collapses, are reported too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import Problems


class Node(dict):
    """A YAML mapping with the source line of each key and value."""

    path: str = ""
    line: int = 1
    key_lines: dict
    value_lines: dict
    value_styles: dict

    def key_line(self, key: Any) -> int:
        return self.key_lines.get(key, self.line)

    def value_line(self, key: Any) -> int:
        return self.value_lines.get(key, self.key_line(key))

    def text_line(self, key: Any) -> int:
        """Line of the first text line of a string value (block scalars start one line below)."""
        line = self.value_line(key)
        return line + 1 if self.value_styles.get(key) in ("|", ">") else line


class Seq(list):
    """A YAML sequence with the source line of each item."""

    path: str = ""
    line: int = 1
    item_lines: list

    def item_line(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds Node/Seq and records duplicate keys."""

    def __init__(self, stream, path: str, problems: Problems):
        super().__init__(stream)
        self._path = path
        self._problems = problems

    def construct_located_mapping(self, node: yaml.MappingNode) -> Node:
        self.flatten_mapping(node)
        result = Node()
        result.path, result.line = self._path, node.start_mark.line + 1
        result.key_lines, result.value_lines, result.value_styles = {}, {}, {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (list, dict)):
                self._problems.add(self._path, key_node.start_mark.line + 1, "(キー)",
                                   "キーに一覧や表は使えません")
                continue
            if key in result:
                self._problems.add(self._path, key_node.start_mark.line + 1, str(key),
                                   f"同じ項目が2回書かれています（最初は{result.key_lines[key]}行目）")
                continue
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
            result.value_lines[key] = value_node.start_mark.line + 1
            result.value_styles[key] = getattr(value_node, "style", None)
        return result

    def construct_located_sequence(self, node: yaml.SequenceNode) -> Seq:
        result = Seq(self.construct_object(child, deep=True) for child in node.value)
        result.path, result.line = self._path, node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_sequence)


def load_yaml(path: Path, display: str, problems: Problems) -> Any:
    """Parse one YAML file; on a syntax error record it (with line and column) and return None."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        problems.add(display, 1, "(ファイル)", f"UTF-8 で保存してください（{exc.start}バイト目が読めません）")
        return None
    try:
        loader = _Loader(text, display, problems)
    except yaml.reader.ReaderError as exc:
        _reader_problem(text, exc, display, problems)
        return None
    try:
        return loader.get_single_data()
    except yaml.reader.ReaderError as exc:
        _reader_problem(text, exc, display, problems)
        return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.problem or "").startswith(_OPENED_AT):
            mark = exc.context_mark
        line = mark.line + 1 if mark else 1
        column = mark.column + 1 if mark else 1
        what = _yaml_message(exc)
        problems.add(display, line, "(YAML)", f"{column}列目: YAMLの書き方に誤りがあります（{what}）")
        return None
    except yaml.YAMLError as exc:  # pragma: no cover - other parser failures carry no mark
        problems.add(display, 1, "(YAML)", f"YAMLとして読めません（{exc}）")
        return None
    finally:
        loader.dispose()


def _reader_problem(text: str, exc: yaml.reader.ReaderError, display: str, problems: Problems) -> None:
    line = text.count("\n", 0, exc.position) + 1
    problems.add(display, line, "(YAML)", f"使えない制御文字があります（U+{exc.character:04X}）")


_YAML_WORDS = {
    "could not find expected ':'": "「:」がありません",
    "mapping values are not allowed here": "ここに「キー: 値」は書けません。値に「:」を含むときは引用符で囲んでください",
    "found character '\\t' that cannot start any token": "タブ文字は使えません。字下げは半角スペースで",
    "did not find expected key": "字下げがそろっていません",
    "found undefined tag handle": "使えないタグです",
    "found unexpected end of stream": "引用符や括弧が閉じていません",
    "did not find expected '-' indicator": "一覧の「- 」の字下げがそろっていません",
    "found unknown escape character": "使えないエスケープ文字です",
    "could not find expected ':'\n": "「:」がありません",
    "expected ',' or ']'": "「[」で始めた一覧が「]」で閉じていません",
    "expected ',' or '}'": "「{」で始めた組が「}」で閉じていません",
    "expected <block end>": "字下げがそろっていません",
    "expected the node content": "値がありません（括弧や引用符が閉じていないかもしれません）",
    "found undefined alias": "「*」で始まる別名（エイリアス）は使えません",
    "could not determine a constructor for the tag": "「!」で始まるタグは使えません",
    "expected a comment or a line break": "値の後に余分な文字があります",
    "found character": "ここに書けない文字があります",
}
# unclosed brackets and quotes are reported where they were opened, not at the end of the file
_OPENED_AT = ("expected ',' or", "found unexpected end of stream", "expected the node content")


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, japanese in _YAML_WORDS.items():
        if problem.startswith(english.strip()):
            return japanese
    return problem or "不明な誤り"
