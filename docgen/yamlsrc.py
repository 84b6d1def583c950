"""YAML reading that remembers where every key and value came from.

Only the safe subset of YAML is accepted (``yaml.SafeLoader``): no Python tags, no object
construction.  Mappings become :class:`Node` dicts and sequences :class:`Seq` lists that know the
line of each key, value and item, so that problems found later can be reported as
``file:line``.  Duplicate keys, which YAML silently collapses, are reported too.

Content is hostile-input safe: every problem is a located Japanese message, never a traceback or a
hang.

- Only regular files are read (a FIFO or a device is refused without being opened), at most
  :data:`MAX_BYTES` of them.
- Anchors, aliases (``&a`` / ``*a``) and explicit tags (``!!str``, ``!!binary``) are refused: content
  has no need for them, and aliases can make a few hundred bytes expand into billions of nodes.
- Collections nest at most :data:`MAX_DEPTH` deep; numbers have at most :data:`MAX_DIGITS` digits.
- Lines are counted as editors count them: a line ends at ``\\r\\n``, ``\\n`` or ``\\r``.  Characters
  that YAML takes for line breaks but editors do not show as such (U+0085, U+2028, U+2029), a lone
  ``\\r``, tabs and other control characters in a key or value (typed raw, or written as ``"\\f"``
  escapes) are reported at their own line, named escaped (``\\t``, ``U+2028``), and never reach the
  rest of the program (they are replaced by a space once reported).
- Dates are read as text (``2024-03-01``), not as date objects.
"""

from __future__ import annotations

import bisect
import math
import os
import re
import stat
from pathlib import Path
from typing import Any

import yaml

from .errors import Problems, visible

MAX_BYTES = 500_000  # per content file (the largest bundled file is under 10 KB)
MAX_CHARACTER_PROBLEMS = 20  # unwanted characters reported one by one per file; the rest are counted
MAX_DEPTH = 50  # nested mappings and lists (the bundled content uses 5)
MAX_DIGITS = 15  # a number must be below 10**15 (as 事業費 are)

# characters never wanted in the text of a file: control characters (tab and line ends apart),
# NEL and the Unicode line and paragraph separators, the non-characters U+FFFE/U+FFFF, a lone CR
_RAW_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]|\r(?!\n)")
# characters never wanted in a key or a value, however written (raw or as a "\…" escape)
_VALUE_BAD = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_BREAK = re.compile("\r\n|\r|\n")
_ESCAPE = re.compile(r"\\(?:x([0-9A-Fa-f]{2})|u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.S)


def describe_character(ch: str) -> str:
    """A character that cannot be shown, named so that staff can find it (``タブ文字（\\t）``)."""
    code = ord(ch)
    if ch == "\t":
        return "タブ文字（\\t）"
    if ch == "\r":
        return "改行文字 CR（\\r）"
    if ch == "\n":
        return "改行（\\n）"
    if ch in "\x85\u2028\u2029":
        return f"見えない改行文字（U+{code:04X}）"
    if 0xD800 <= code <= 0xDFFF:
        return f"対になっていないサロゲート（U+{code:04X}）"
    if ch in "\ufffe\uffff":
        return f"文字でない符号（U+{code:04X}）"
    return f"制御文字（U+{code:04X}）"


def character_message(ch: str) -> str:
    """The Japanese message for an invisible or control character in content."""
    what = describe_character(ch)
    if ch == "\t":
        return f"{what}は使えません（Excel などから貼り付けると入ります）。半角スペースにするか消してください"
    if ch in "\r\x85\u2028\u2029":
        return f"{what}があります（Excel などから貼り付けると入ります）。消して、改行するなら Enter で改行し直してください"
    return f"{what}は使えません（見えない文字で、印刷できません）。消してください"


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

    def lines_kept(self, key: Any) -> bool:
        """Whether the value's lines are the file's lines (a literal block ``|``, or one line): a quoted
        or folded value's line breaks are not, so a place in it is given as the value's first line."""
        value = self.get(key)
        return self.value_styles.get(key) == "|" or not isinstance(value, str) or "\n" not in value


class Seq(list):
    """A YAML sequence with the source line of each item."""

    path: str = ""
    line: int = 1
    item_lines: list
    item_styles: list = []

    def item_line(self, index: int) -> int:
        return self.item_lines[index] if 0 <= index < len(self.item_lines) else self.line

    def lines_kept(self, index: int) -> bool:
        """As :meth:`Node.lines_kept`, for an item."""
        style = self.item_styles[index] if 0 <= index < len(self.item_styles) else None
        value = self[index] if 0 <= index < len(self) else None
        return style == "|" or not isinstance(value, str) or "\n" not in value


class _Refused(Exception):
    """Something content may not contain: reading the file stops here."""

    def __init__(self, index: int, field: str, message: str):
        super().__init__(message)
        self.index, self.field, self.message = index, field, message


class _Source:
    """The text of one file, its line starts (``\\r\\n``, ``\\n`` and ``\\r`` end a line) and the
    characters that must be reported (index → character)."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]
        self.bad = {m.start(): m.group()[0] for m in _RAW_BAD.finditer(text)}
        self.bad_indexes = sorted(self.bad)
        # the text PyYAML reads: reported characters become a space (a lone CR a line break, as
        # editors show it), so that its marks stay at the same index and its lines agree with ours
        self.for_yaml = _RAW_BAD.sub(lambda m: "\n" if m.group() == "\r" else " ", text) if self.bad else text

    def line(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index)

    def column(self, index: int) -> int:
        return index - self.starts[self.line(index) - 1] + 1


class _Loader(yaml.SafeLoader):
    """SafeLoader that builds Node/Seq, records duplicate keys and keeps the limits above."""

    def __init__(self, source: _Source, path: str, problems: Problems):
        super().__init__(source.for_yaml)
        self._source = source
        self._path = path
        self._problems = problems
        self._depth = 0
        self._field = ""  # the field whose value is being constructed (for messages)
        self._characters = 0  # unwanted characters found

    # ---- reporting ------------------------------------------------------------------------

    def _line(self, mark: yaml.Mark) -> int:
        return self._source.line(mark.index)

    def _add(self, index: int, field: str, message: str) -> None:
        self._problems.add(self._path, self._source.line(index), field or "(全体)", message)

    def _add_character(self, index: int, field: str, ch: str) -> None:
        self._characters += 1
        if self._characters <= MAX_CHARACTER_PROBLEMS:
            self._add(index, field, character_message(ch))

    # ---- composing: anchors, aliases, tags and depth ----------------------------------------

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(event.start_mark.index, "(YAML)",
                           f"「*{visible(str(event.anchor))}」の別名（エイリアス）は使えません。"
                           "同じ内容が要るところには、それぞれに書いてください")
        if event.anchor is not None:
            raise _Refused(event.start_mark.index, "(YAML)",
                           f"「&{visible(str(event.anchor))}」のアンカーは使えません。"
                           "「&名前」を消して、同じ内容が要るところには、それぞれに書いてください")
        if getattr(event, "tag", None) is not None:
            raise _Refused(event.start_mark.index, "(YAML)",
                           f"「{_written_tag(event.tag)}」のような「!」で始まるタグは使えません。"
                           "文字として書くなら引用符で囲んでください")
        nested = isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent))
        if nested:
            self._depth += 1
            if self._depth > MAX_DEPTH:
                raise _Refused(event.start_mark.index, "(YAML)",
                               f"入れ子が深すぎます（一覧や「名前: 値」の組の中の組は{MAX_DEPTH}段まで）。"
                               "括弧「[」「{」が閉じているか確かめてください")
        try:
            return super().compose_node(parent, index)
        finally:
            if nested:
                self._depth -= 1

    # ---- constructing ---------------------------------------------------------------------

    def construct_document(self, node):
        if isinstance(node, yaml.ScalarNode):
            self._check_scalar(node, "(全体)")
        data = super().construct_document(node)
        return _clean(data)

    def construct_located_mapping(self, node: yaml.MappingNode) -> Node:
        self.flatten_mapping(node)
        result = Node()
        result.path, result.line = self._path, self._line(node.start_mark)
        result.key_lines, result.value_lines, result.value_styles = {}, {}, {}
        parent = self._field
        try:
            for key_node, value_node in node.value:
                self._field = parent
                key = self.construct_object(key_node, deep=True)
                if isinstance(key, (list, dict)):
                    self._problems.add(self._path, self._line(key_node.start_mark), "(キー)",
                                       "キーに一覧や表は使えません")
                    continue
                if isinstance(key_node, yaml.ScalarNode) and not self._key_usable(key, key_node):
                    continue
                name = f"{parent}.{key}" if parent else str(key)
                if isinstance(key_node, yaml.ScalarNode):
                    self._check_scalar(key_node, name)
                    key = _clean(key)
                if key in result:
                    self._problems.add(self._path, self._line(key_node.start_mark), str(key),
                                       f"同じ項目が2回書かれています（最初は{result.key_lines[key]}行目）")
                    continue
                self._field = name
                value = self.construct_object(value_node, deep=True)
                if isinstance(value_node, yaml.ScalarNode):
                    self._check_scalar(value_node, name)
                    value = _clean(value)
                result[key] = value
                result.key_lines[key] = self._line(key_node.start_mark)
                result.value_lines[key] = self._line(value_node.start_mark)
                result.value_styles[key] = getattr(value_node, "style", None)
        finally:
            self._field = parent
        return result

    def construct_located_sequence(self, node: yaml.SequenceNode) -> Seq:
        result = Seq()
        parent = self._field
        try:
            for index, child in enumerate(node.value):
                name = f"{parent}[{index + 1}]"
                self._field = name
                value = self.construct_object(child, deep=True)
                if isinstance(child, yaml.ScalarNode):
                    self._check_scalar(child, name)
                    value = _clean(value)
                result.append(value)
        finally:
            self._field = parent
        result.path, result.line = self._path, self._line(node.start_mark)
        result.item_lines = [self._line(child.start_mark) for child in node.value]
        result.item_styles = [getattr(child, "style", None) for child in node.value]
        return result

    def _key_usable(self, key: Any, node: yaml.ScalarNode) -> bool:
        """Keys are names (text) or years (integers); YAML reads some words as something else."""
        if isinstance(key, str) or (isinstance(key, int) and not isinstance(key, bool)):
            return True
        raw = visible(node.value)
        if key is None:
            message = (f"項目の名前がありません（「{raw}」は空の意味になります）" if raw
                       else "項目の名前がありません（「: 」の前に名前を書いてください）")
        elif isinstance(key, bool):
            message = f"項目の名前「{raw}」は true/false の意味に読まれます。名前なら引用符で囲んでください（\"{raw}\"）"
        elif isinstance(key, float):
            message = f"項目の名前「{raw}」は小数に読まれます。年度なら整数で、名前なら引用符で囲んでください"
        else:  # pragma: no cover - other types need tags, which are refused
            message = f"項目の名前「{raw}」は名前として読めません。引用符で囲んでください"
        self._problems.add(self._path, self._line(node.start_mark), "(キー)", message)
        return False

    def _check_scalar(self, node: yaml.ScalarNode, field: str) -> None:
        """Report the characters never wanted in a key or value, each at its own line."""
        source, start, end = self._source, node.start_mark.index, node.end_mark.index
        claim = end  # a plain value ends before trailing blanks, which may be replaced characters
        while node.style is None and claim < len(source.for_yaml) and source.for_yaml[claim] == " ":
            claim += 1
        found: dict[int, str] = {}
        low = bisect.bisect_left(source.bad_indexes, start)
        high = bisect.bisect_left(source.bad_indexes, claim)
        for index in source.bad_indexes[low:high]:
            found[index] = source.bad.pop(index)  # reported here, with the field, not again below
        del source.bad_indexes[low:high]
        piece = source.text[start:end]
        for match in re.finditer("\t", piece):
            found.setdefault(start + match.start(), "\t")
        if node.style == '"':  # "\f", "\x0c", "\u2028", "\ud800" … give the same characters
            for match in _ESCAPE.finditer(piece):
                ch = _unescape(match)
                if ch and _VALUE_BAD.match(ch):
                    found.setdefault(start + match.start(), ch)
        for index, ch in sorted(found.items()):
            self._add_character(index, field, ch)

    def report_rest(self) -> None:
        """Characters reported by no key or value (between them, in comments): located all the same."""
        for index in self._source.bad_indexes:
            self._add_character(index, "(YAML)", self._source.bad[index])
        self._source.bad_indexes = []
        if self._characters > MAX_CHARACTER_PROBLEMS:
            self._problems.add(self._path, 1, "(ファイル)",
                               f"見えない文字や制御文字がほかに{self._characters - MAX_CHARACTER_PROBLEMS}か所あります"
                               f"（最初の{MAX_CHARACTER_PROBLEMS}か所だけ示しました）")

    # ---- numbers -------------------------------------------------------------------------

    def construct_yaml_int(self, node):
        value = self.construct_scalar(node)
        digits = value.replace("_", "").lstrip("+-")
        if len(digits) <= MAX_DIGITS + 25:  # 0x…, 0b…, 1:30:00 … are converted, then bounded
            number = super().construct_yaml_int(node)
            if abs(number) < 10 ** MAX_DIGITS:
                return number
        return self._too_big(node, value)

    def construct_yaml_float(self, node):
        value = self.construct_scalar(node)
        if len(value.replace("_", "")) <= MAX_DIGITS + 25:
            number = super().construct_yaml_float(node)
            if math.isfinite(number) and abs(number) < 10 ** MAX_DIGITS:
                return number
            if not math.isfinite(number) and not any(ch.isdigit() for ch in value):  # .inf, .nan
                self._add(node.start_mark.index, self._field,
                          f"「{visible(value)}」（無限大・非数）は使えません。文字なら引用符で囲んでください")
                return value
        return self._too_big(node, value)

    def _too_big(self, node, value: str) -> str:
        shown = visible(value if len(value) <= 24 else value[:20] + "…")
        self._add(node.start_mark.index, self._field,
                  f"数が大きすぎます（{MAX_DIGITS}桁まで、書かれている値: {shown}、{len(value)}文字）。"
                  "番号などの文字なら引用符で囲んでください")
        return value


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_located_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_located_sequence)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)
_Loader.add_constructor("tag:yaml.org,2002:float", _Loader.construct_yaml_float)
# dates are text: content writes years and months as numbers, and a date object is no use anywhere
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _written_tag(tag: str) -> str:
    """``tag:yaml.org,2002:binary`` as it was written: ``!!binary``."""
    tag = str(tag)
    return visible("!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag)


def _unescape(match: re.Match) -> str:
    hex_code = match.group(1) or match.group(2) or match.group(3)
    if hex_code:
        code = int(hex_code, 16)
        return chr(code) if code <= 0x10FFFF else ""
    return yaml.scanner.Scanner.ESCAPE_REPLACEMENTS.get(match.group(4), "")


def _clean(value: Any) -> Any:
    """A reported character is replaced by a space, so that it reaches no renderer or message."""
    if isinstance(value, str) and _VALUE_BAD.search(value):
        return _VALUE_BAD.sub(" ", value)
    return value


_KINDS = ((stat.S_ISDIR, "フォルダ"), (stat.S_ISFIFO, "名前付きパイプ（FIFO）"), (stat.S_ISSOCK, "ソケット"),
          (stat.S_ISCHR, "デバイス"), (stat.S_ISBLK, "デバイス"))


def _read_bytes(path: Path, display: str, problems: Problems) -> bytes | None:
    """The bytes of a regular file of at most MAX_BYTES; anything else is reported, not opened."""
    def refuse(message: str) -> None:
        problems.add(display, 1, "(ファイル)", message)

    try:
        info = os.stat(path)
    except OSError as exc:
        refuse(f"ファイルを読めません（{exc.strerror or exc}）")
        return None
    for test, kind in _KINDS:
        if test(info.st_mode):
            refuse(f"{kind}で、普通のファイルではないので読みません。内容は普通の YAML ファイルに書いてください")
            return None
    if not stat.S_ISREG(info.st_mode):
        refuse("普通のファイルではないので読みません。内容は普通の YAML ファイルに書いてください")
        return None
    if info.st_size > MAX_BYTES:
        refuse(f"ファイルが大きすぎます（{info.st_size:,}バイト、1ファイル {MAX_BYTES:,}バイトまで）。"
               "ファイルを分けてください")
        return None
    try:  # O_NONBLOCK: should the file have been swapped for a FIFO since, opening it does not wait
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                refuse("普通のファイルではないので読みません。内容は普通の YAML ファイルに書いてください")
                return None
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        refuse(f"ファイルを読めません（{exc.strerror or exc}）")
        return None
    if len(data) > MAX_BYTES:
        refuse(f"ファイルが大きすぎます（1ファイル {MAX_BYTES:,}バイトまで）。ファイルを分けてください")
        return None
    return data


def load_yaml(path: Path, display: str, problems: Problems) -> Any:
    """Parse one YAML file; on a syntax error record it (with line and column) and return None."""
    data = _read_bytes(path, display, problems)
    if data is None:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = len(_BREAK.findall(data[:exc.start].decode("utf-8", "replace"))) + 1
        problems.add(display, line, "(ファイル)", f"UTF-8 で保存してください（{exc.start}バイト目が読めません）")
        return None
    source = _Source(text)
    loader = _Loader(source, display, problems)
    try:
        result = loader.get_single_data()
        loader.report_rest()
        return result
    except _Refused as exc:
        loader.report_rest()
        problems.add(display, source.line(exc.index), exc.field, exc.message)
        return None
    except yaml.reader.ReaderError as exc:  # pragma: no cover - such characters are replaced beforehand
        loader.report_rest()
        problems.add(display, source.line(exc.position), "(YAML)", character_message(chr(exc.character)))
        return None
    except yaml.MarkedYAMLError as exc:
        loader.report_rest()
        mark = exc.problem_mark or exc.context_mark
        if exc.context_mark and (exc.problem or "").startswith(_OPENED_AT):
            mark = exc.context_mark
        index = mark.index if mark else 0
        what = _yaml_message(exc)
        problems.add(display, source.line(index), "(YAML)",
                     f"{source.column(index)}列目: YAMLの書き方に誤りがあります（{what}）")
        return None
    except (yaml.YAMLError, ValueError, OverflowError, RecursionError, MemoryError) as exc:
        # "\U7fffffff" (no such character) and other failures PyYAML does not locate itself
        loader.report_rest()
        index = loader.get_mark().index
        what = ("「\\U」などで書いた文字の番号が大きすぎます" if isinstance(exc, (ValueError, OverflowError))
                else "この辺りの書き方を読めません")
        problems.add(display, source.line(index), "(YAML)",
                     f"{source.column(index)}列目: YAMLの書き方に誤りがあります（{what}）")
        return None
    finally:
        loader.dispose()


# PyYAML's problems, in Japanese: (start of the English problem, Japanese); the first match wins
_YAML_WORDS = (
    ("could not find expected ':'", "「:」がありません"),
    ("mapping values are not allowed here",
     "ここに「キー: 値」は書けません。値に「:」を含むときは引用符で囲んでください"),
    ("found character '\\t' that cannot start any token", "タブ文字は使えません。字下げは半角スペースで"),
    ("found character", "この文字で値を始めることはできません。引用符で囲んでください"),
    ("did not find expected key", "字下げがそろっていません"),
    ("did not find expected '-' indicator", "一覧の「- 」の字下げがそろっていません"),
    ("did not find expected", "字下げがそろっていません"),
    ("found undefined tag handle", "使えないタグです"),
    ("found unexpected end of stream", "引用符や括弧が閉じていません"),
    ("found unexpected document separator", "引用符が閉じていません"),
    ("found unknown escape character",
     "使えないエスケープ文字です。「\\」を文字として書くなら、単一引用符（'）で囲んでください"),
    ("expected escape sequence", "「\\x」「\\u」「\\U」の後の16進数の桁が足りません"),
    ("expected ',' or ']'", "「[」で始めた一覧が「]」で閉じていません"),
    ("expected ',' or '}'", "「{」で始めた組が「}」で閉じていません"),
    ("expected <block end>", "字下げがそろっていません"),
    ("expected the node content", "値がありません（括弧や引用符が閉じていないかもしれません）"),
    ("found undefined alias", "「*」で始まる別名（エイリアス）は使えません"),
    ("found duplicate anchor", "「&」で始まるアンカーは使えません"),
    ("could not determine a constructor for the tag", "「!」で始まるタグは使えません"),
    ("expected a comment or a line break", "値の後に余分な文字があります"),
    ("sequence entries are not allowed here", "ここに「- 」の一覧は書けません（字下げを確かめてください）"),
    ("mapping keys are not allowed here", "ここに「? 」は書けません"),
    ("invalid indentation or unclosed", "字下げがそろっていないか、「[」「{」が閉じていません"),
    ("expected alphabetic or numeric character",
     "「&」「*」「!」「%」で値を始めることはできません。文字なら引用符で囲んでください"),
    ("expected indentation indicator", "「|」「>」の後の数字は1～9にしてください"),
    ("expected chomping or indentation indicators", "「|」「>」の後に書けるのは「+」「-」か1～9の数字だけです"),
    ("but found another document",
     "1つのファイルに2つ目の文書（「---」の後）があります。「---」の行を消すか、別のファイルに分けてください"),
    ("expected '<document start>'", "文書の区切り（「---」「...」）の前後に余分な文字があります"),
    ("expected '!'", "「!」で始まるタグは使えません"),
    ("expected URI", "「!」で始まるタグは使えません"),
    ("expected '>'", "「!」で始まるタグは使えません"),
    ("found non-specific tag", "「!」で始まるタグは使えません"),
    ("duplicate tag handle", "「%TAG」の指示は使えません"),
    ("found incompatible YAML document", "「%YAML」の指示は使えません（その行を消してください）"),
    ("found duplicate YAML directive", "「%YAML」の指示は使えません（その行を消してください）"),
    ("expected a digit", "「%YAML」の指示は使えません（その行を消してください）"),
    ("expected ' '", "「!」や「%」の後に空白がありません（文字なら引用符で囲んでください）"),
)
# unclosed brackets and quotes are reported where they were opened, not at the end of the file
_OPENED_AT = ("expected ',' or", "found unexpected end of stream", "expected the node content")


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    for english, japanese in _YAML_WORDS:
        if problem.startswith(english):
            return japanese
    return "引用符・括弧・字下げを確かめてください"
