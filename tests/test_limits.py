"""Nothing lost, nothing hangs: hostile content is refused with a located Japanese problem.

Each case puts one hostile input into a copy of the small fixture plan and loads it in a
subprocess with a timeout, so that a hang fails the test instead of stopping the suite, and a
traceback (RecursionError, ValueError …) fails it too.  The inputs are large enough that the code
before these limits hung or crashed on them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
FONTS = ("BIZUDMincho-Regular.ttf", "BIZUDGothic-Regular.ttf", "BIZUDGothic-Bold.ttf")

_LOAD = """
import json, sys
from docgen.errors import ContentError
from docgen.load import load
try:
    load(sys.argv[1])
except ContentError as exc:
    print(json.dumps([[p.path, p.line, p.field, p.message, str(p)] for p in exc.problems]))
else:
    print("[]")
"""


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "c"
    shutil.copytree(MINI, target)
    return target


def _problems(folder: Path, env: dict | None = None) -> list[tuple[str, int, str, str]]:
    """Load ``folder`` in a subprocess; its problems as (file relative to the folder, line, field,
    message).  A hang (timeout) or a traceback fails the test."""
    result = subprocess.run([sys.executable, "-c", _LOAD, str(folder)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, env={**os.environ, **(env or {})})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]
    problems = json.loads(result.stdout)
    for *_, shown in problems:  # printed problems never carry a raw control character
        assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029" for ch in shown), shown
    return [(path[len(str(folder)) + 1:], line, field, message) for path, line, field, message, _ in problems]


def _edit(folder: Path, name: str, old: str | None, new: str) -> None:
    """Replace the first ``old`` by ``new`` in the file (``old=None``: append ``new``)."""
    path = folder / name
    text = path.read_bytes().decode("utf-8")  # not read_text: it would turn a lone CR into a line break
    if old is None:
        text += new
    else:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_bytes(text.encode("utf-8"))


def _expect(found, file: str, line: int, field: str, fragment: str) -> None:
    matches = [p for p in found if p[:3] == (file, line, field) and fragment in p[3]]
    assert matches, f"expected {file}:{line}: {field}: …{fragment}… in\n" + "\n".join(
        f"{f}:{n}: {fl}: {m}" for f, n, fl, m in found)


# ---- YAML -------------------------------------------------------------------------------------

def _bomb() -> str:
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for level in range(1, 9):
        name, prev = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_its_first_anchor(mini):
    bomb = _bomb()
    assert len(bomb.encode()) < 700  # 9**9 nodes once expanded
    _edit(mini, "projects/1-2.yaml", None, bomb)
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", 20, "(YAML)", "「&a」のアンカーは使えません")
    _expect(found, "projects/1-2.yaml", 20, "(YAML)", "それぞれに書いてください")


def test_an_alias_is_refused_and_says_how_to_write_it_instead(mini):
    _edit(mini, "projects/2-1.yaml", None, "予算: *a\n")
    found = _problems(mini)
    _expect(found, "projects/2-1.yaml", 20, "(YAML)", "「*a」の別名（エイリアス）は使えません")


def test_deep_nesting_is_refused_not_a_recursion_error(mini):
    _edit(mini, "projects/1-2.yaml", None, "深い: " + "[" * 2000 + "]" * 2000 + "\n")
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", 20, "(YAML)", "入れ子が深すぎます（一覧や「名前: 値」の組の中の組は50段まで）")


@pytest.mark.parametrize("number", ["9" * 5000, "1234567890123456", "0x" + "f" * 100, "1.0e+400"])
def test_a_number_longer_than_15_digits_is_refused(mini, number):
    _edit(mini, "projects/1-2.yaml", "基本方針: 1", f"基本方針: {number}")
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", 2, "基本方針", "数が大きすぎます（15桁まで")


def test_a_number_of_15_digits_is_read(mini):
    _edit(mini, "projects/1-2.yaml", "基本方針: 1", "基本方針: 999999999999999")
    found = _problems(mini)
    assert [p[:3] for p in found] == [("projects/1-2.yaml", 2, "基本方針")]  # out of the model's range …
    assert "数が大きすぎます" not in found[0][3]  # … but read as a number


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_being_opened(mini):
    os.mkfifo(mini / "projects" / "9-9.yaml")  # opening it for reading would wait for a writer
    found = _problems(mini)
    assert found == [("projects/9-9.yaml", 1, "(ファイル)",
                      "名前付きパイプ（FIFO）で、普通のファイルではないので読みません。内容は普通の YAML ファイルに書いてください")]


def test_a_folder_named_like_a_content_file_is_refused(mini):
    (mini / "projects" / "9-9.yaml").mkdir()
    found = _problems(mini)
    _expect(found, "projects/9-9.yaml", 1, "(ファイル)", "フォルダで、普通のファイルではないので読みません")


def test_a_file_too_large_is_refused_before_it_is_parsed(mini):
    _edit(mini, "glossary.yaml", None, ("# " + "あ" * 99 + "\n") * 2000)  # 600 KB of comments
    found = _problems(mini)
    _expect(found, "glossary.yaml", 1, "(ファイル)", "ファイルが大きすぎます")


@pytest.mark.parametrize("old, new, line, field, fragment", [
    (None, "---\n事業名: 二つ目\n", 20, "(YAML)", "1つのファイルに2つ目の文書（「---」の後）があります"),
    (None, "true: x\n", 20, "(キー)", "項目の名前「true」は true/false の意味に読まれます。名前なら引用符で囲んでください"),
    (None, "~: x\n", 20, "(キー)", "項目の名前がありません（「~」は空の意味になります）"),
    (None, "1.5: x\n", 20, "(キー)", "項目の名前「1.5」は小数に読まれます"),
    ("事業名: 窓口のキャッシュレス化", "事業名: !!binary /w==", 4, "(YAML)", "「!!binary」のような「!」で始まるタグは使えません"),
    ("事業名: 窓口のキャッシュレス化", "事業名: !!bool x", 4, "(YAML)", "タグは使えません"),
    ("事業名: 窓口のキャッシュレス化", '事業名: "窓口\\U7fffffff"', 4, "(YAML)", "文字の番号が大きすぎます"),
])
def test_yaml_level_problems_are_in_japanese(mini, old, new, line, field, fragment):
    _edit(mini, "projects/1-2.yaml", old, new)
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", line, field, fragment)
    for english in ("Keys should be strings", "another document", "Input should be", "found", "expected"):
        assert not any(english in p[3] for p in found), found


def test_a_date_is_read_as_text(mini):
    _edit(mini, "projects/1-2.yaml", "事業名: 窓口のキャッシュレス化", "事業名: 2024-03-01")
    assert _problems(mini) == []


# ---- line breaks and invisible characters ------------------------------------------------------

@pytest.mark.parametrize("character, shown", [("\x85", "U+0085"), ("\u2028", "U+2028"), ("\u2029", "U+2029")])
def test_a_line_separator_is_located_and_later_lines_stay_right(mini, character, shown):
    # YAML counts these as line breaks, editors do not: every later line would be reported late
    _edit(mini, "projects/1-2.yaml", "  現金のみ。", f"  現金{character}のみ。")
    _edit(mini, "projects/1-2.yaml", "用語: []", "用語: []\n予算: 100")
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", 7, "現状と課題", f"見えない改行文字（{shown}）があります")
    _expect(found, "projects/1-2.yaml", 20, "予算", "この項目は使えません")
    assert len(found) == 2, found


def test_a_lone_cr_is_located_and_counted_as_the_line_break_editors_show(mini):
    _edit(mini, "projects/1-2.yaml", "  現金のみ。", "  現金\r  のみ。")
    _edit(mini, "projects/1-2.yaml", "用語: []", "用語: []\n予算: 100")
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", 7, "現状と課題", "改行文字 CR（\\r）があります")
    _expect(found, "projects/1-2.yaml", 21, "予算", "この項目は使えません")


def test_crlf_line_ends_are_ordinary_line_breaks(mini):
    path = mini / "projects" / "1-2.yaml"
    _edit(mini, "projects/1-2.yaml", "  現金のみ。", "  現金\u2028のみ。")
    _edit(mini, "projects/1-2.yaml", "用語: []", "用語: []\n予算: 100")
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", 7, "現状と課題", "U+2028")
    _expect(found, "projects/1-2.yaml", 20, "予算", "この項目は使えません")
    assert len(found) == 2, found


@pytest.mark.parametrize("old, new, line, field, fragment", [
    ("  現金のみ。", "  現金\tのみ。", 7, "現状と課題", "タブ文字（\\t）は使えません"),  # pasted from Excel
    ("事業名: 窓口のキャッシュレス化", '事業名: "窓口の\tキャッシュレス化"', 4, "事業名", "タブ文字（\\t）"),
    ("事業名: 窓口のキャッシュレス化", '事業名: "窓口の\\tキャッシュレス化"', 4, "事業名", "タブ文字（\\t）"),
    ("事業名: 窓口のキャッシュレス化", '事業名: "窓口の\\rキャッシュレス化"', 4, "事業名", "改行文字 CR（\\r）"),
    ("  現金のみ。", "  現金\x0cのみ。", 7, "現状と課題", "制御文字（U+000C）は使えません"),
    ("  現金のみ。", "  現金\x1bのみ。", 7, "現状と課題", "制御文字（U+001B）は使えません"),
    ("事業名: 窓口のキャッシュレス化", '事業名: "窓口\\f"', 4, "事業名", "制御文字（U+000C）は使えません"),
    ("事業名: 窓口のキャッシュレス化", '事業名: "窓口\\ud800"', 4, "事業名", "対になっていないサロゲート（U+D800）"),
    ("所管課: [市民課]", "所管課: [市民課\x07]", 5, "所管課[1]", "制御文字（U+0007）"),
    ("用語: []", "用語: [] # 注\x0c", 19, "(YAML)", "制御文字（U+000C）"),
])
def test_control_characters_are_located_and_shown_escaped(mini, old, new, line, field, fragment):
    _edit(mini, "projects/1-2.yaml", old, new)
    found = _problems(mini)
    _expect(found, "projects/1-2.yaml", line, field, fragment)
    assert len(found) == 1, found  # reported once, and not again as a character the fonts lack


def test_the_second_line_of_a_block_value_is_located(mini):
    _edit(mini, "projects/1-1.yaml", "  （課題）来庁が必要。", "  （課題）来庁が必要。\n  二行目\u2028です。")
    found = _problems(mini)
    _expect(found, "projects/1-1.yaml", 13, "現状と課題", "U+2028")


# ---- expressions -------------------------------------------------------------------------------

@pytest.mark.parametrize("expression, fragment", [
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
     "range() で作れる数は1,000個までです"),
    ("{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}{% endfor %}{% endfor %}"
     "{% endfor %}", "繰り返しが多すぎます（1つの項目の {% for %} は合わせて10,000回まで）"),
    ("{% for i in range(1000) %}{{ 'x' * 1000 }}{% endfor %}", "式の結果が長すぎます（式が作る文字は1つの項目で20,000字まで）"),
    ("{{ 'x' * 100000000 }}", "式の結果が長すぎます"),
    ("{{ 9 ** 9 ** 9 }}", "式の計算で数が大きすぎます"),
    ("{{ [1] * 100000000 }}", "一覧は掛け算で増やせません"),
    ("{{ 'x'.center(1000000000) }}", "式の中で呼び出せるのは range() だけです"),
    ("{% set x = 1 %}", "「{% set %}」は使えません"),
    ("{{ '\\ud800' }}", "対になっていないサロゲート（U+D800）"),
    ("{{ '\\x0c' }}", "制御文字（U+000C）"),
    ("{{ '\\u2028' }}", "見えない改行文字（U+2028）"),
    ("{{ ''.__class__.__mro__ }}", "式を計算できません（「__class__」は使えません）"),  # still the sandbox
])
def test_expressions_are_bounded(mini, expression, fragment):
    _edit(mini, "chapters.yaml", "{{ 事業数 }}の事業", expression + "{{ 事業数 }}の事業")
    found = _problems(mini)
    _expect(found, "chapters.yaml", 3, "[1].本文", fragment)


def test_an_expression_problem_is_located_on_its_own_line(mini):
    _edit(mini, "chapters.yaml", "{{ 計画期間 }}に進めます。",
          "{{ 計画期間 }}に進めます。\n    二行目\n    {% for i in range(10) %}{% for j in range(2000) %}{% endfor %}{% endfor %}")
    found = _problems(mini)
    _expect(found, "chapters.yaml", 5, "[1].本文", "range() で作れる数は1,000個までです")


def test_ordinary_expressions_still_work():
    from docgen import templating

    ctx = {"事業数": 42, "開始年度": 2023, "基本方針": [{"番号": 1, "名称": "行政"}, {"番号": 2, "名称": "地域"}]}
    text = ("{{ 事業数 }}件、{{ 開始年度 | 年度 }}、{% for g in 基本方針 %}{{ loop.index }}{{ g.名称 }}{% endfor %}、"
            "{{ 基本方針 | map(attribute='名称') | join('・') }}、{{ 未定義 | default('なし') }}")
    assert templating.render(text, ctx) == ("42件、令和5年度、1行政2地域、行政・地域、なし", [])


# ---- fonts -------------------------------------------------------------------------------------

def _broken_fonts(folder: Path) -> Path:
    """A font folder that comes first, with an empty, a cut-short and a not-a-font file."""
    from docgen import fonts

    folder.mkdir()
    real = {f.spec.file: f.path for f in fonts.find_all() if f.path is not None}
    if len(real) < 3:
        pytest.skip("the BIZ UD fonts are not installed")
    (folder / FONTS[0]).write_bytes(b"")
    (folder / FONTS[1]).write_bytes(real[FONTS[1]].read_bytes()[:100_000])
    (folder / FONTS[2]).write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 200)
    return folder


def test_docgen_fonts_reports_a_broken_font_and_uses_the_next_one(tmp_path):
    broken = _broken_fonts(tmp_path / "fonts")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "fonts"], cwd=ROOT, capture_output=True, text=True,
                            timeout=60, env={**os.environ, "DOCGEN_FONT_DIR": str(broken)})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert f"{broken / FONTS[0]}  壊れています: 空のファイルです。使いません" in result.stdout
    assert f"{broken / FONTS[1]}  壊れています: 途中で切れています（100,000バイトしかなく" in result.stdout
    assert f"{broken / FONTS[2]}  壊れています:" in result.stdout
    assert result.stdout.count("マニフェストと一致") == 6  # the system's copies, and the three Latin faces


def test_content_loads_and_builds_with_a_broken_font_first(mini, tmp_path):
    broken = _broken_fonts(tmp_path / "fonts")
    assert _problems(mini, {"DOCGEN_FONT_DIR": str(broken)}) == []
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "build", str(mini), "-o", str(tmp_path / "out"),
                             "--format", "pdf"], cwd=ROOT, capture_output=True, text=True, timeout=300,
                            env={**os.environ, "DOCGEN_FONT_DIR": str(broken)})
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr[-3000:]


def test_only_broken_fonts_stop_with_a_message_naming_them(monkeypatch, tmp_path):
    from docgen import fonts

    broken = _broken_fonts(tmp_path / "fonts")
    monkeypatch.setattr(fonts, "search_dirs", lambda: [broken])
    fonts.find_all.cache_clear()
    try:
        with pytest.raises(fonts.FontsMissing) as info:
            fonts.require()
        message = str(info.value)
        assert message.startswith("使えるフォントが見つかりません")
        for name in FONTS:
            assert f"壊れたファイル: {broken / name}: " in message
        assert "空のファイルです" in message
        text, ok = fonts.report()
        assert not ok and "使えるファイルがありません" in text
    finally:
        fonts.find_all.cache_clear()
