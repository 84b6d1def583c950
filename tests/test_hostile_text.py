"""Texts are never silently lost or changed: markup characters mean one thing in every field, and
what an expression gives is checked like what staff typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import booklet as b
from docgen.compose import compose_booklet
from docgen.errors import ContentError, Problem
from docgen.load import load


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _texts(doc) -> str:
    out = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, (tuple, list)):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))
    walk(doc)
    return "\n".join(out)


def test_references_and_escapes_print_as_written_in_names_and_text_alike(mini):
    _edit(mini, "projects/1-1.yaml", "事業名: ", "事業名: A&amp;B &#x20BB7; C\\D ")
    _edit(mini, "projects/1-1.yaml", "  （課題）来庁が必要。", "  （課題）A&amp;B &#x20BB7; C\\D")
    doc = compose_booklet(load(mini))
    card = next(el for el in doc.body if isinstance(el, b.Card) and el.number == "1-1")
    assert card.name.startswith("A&amp;B &#x20BB7; C\\D ")  # the same text in 事業名 …
    assert "A&amp;B &#x20BB7; C\\D" in _texts(card.fields[0])  # … and in 現状と課題
    assert "𠮷" not in _texts(doc)


@pytest.mark.parametrize("expression, character", [
    ("{{ '\\U00020BB7' }}", "U+20BB7"),  # a character the fonts lack, made by an expression
    ("{{ '😀' }}", "U+1F600"),
])
def test_what_an_expression_gives_is_font_checked(mini, expression, character):
    _edit(mini, "chapters.yaml", "{{ 事業数 }}の事業", expression + "{{ 事業数 }}の事業")
    with pytest.raises(ContentError) as info:
        load(mini)
    (problem,) = info.value.problems
    assert (Path(problem.path).name, problem.line, problem.field) == ("chapters.yaml", 3, "[1].本文")
    assert character in problem.message


def test_a_character_in_a_quoted_value_of_many_lines_is_located_at_the_value(mini):
    """A double-quoted value's \\n are not the file's lines (found by the fuzz suite: case 4524 of
    seed 3614024 was reported at line 12 of a 5-line file)."""
    (mini / "chapters.yaml").write_text(
        '- 見出し: 計画の概要\n  本文: "一行目\\n\\n二行目\\n\\n三行目\\n\\n四\ufeff行目{{ 事業数 }}"\n',
        encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load(mini)
    found = [(Path(p.path).name, p.line, p.field) for p in info.value.problems if "U+FEFF" in p.message]
    assert found and set(found) == {("chapters.yaml", 2, "[1].本文")}, info.value.problems


def test_a_figure_box_with_a_character_the_fonts_lack_is_located(mini):
    _edit(mini, "figures.yaml", "文: [総合計画]", "文: [総合計画𠮷]")
    with pytest.raises(ContentError) as info:
        load(mini)
    assert [(Path(p.path).name, p.field) for p in info.value.problems] == [("figures.yaml", "[1].要素[1].文[1]")]


@pytest.mark.parametrize("old, new, field", [
    ("列: 0, 行: 0}", "列: 30, 行: 0}", "[1].要素[1].列"),
    ("列: 0, 行: 0}", "列: 0, 行: 900000}", "[1].要素[1].行"),
    ("列: 0, 行: 0}", "列: 4, 行: 0, 幅: 4}", "[1].要素[1].幅"),
])
def test_figure_geometry_out_of_range_is_located(mini, old, new, field):
    _edit(mini, "figures.yaml", old, new)
    with pytest.raises(ContentError) as info:
        load(mini)
    assert field in [p.field for p in info.value.problems]


def test_control_characters_in_messages_are_shown_escaped():
    shown = str(Problem("a.yaml", 1, "名称", "「\x0c」と「\t」と「\u2028」"))
    assert shown == "a.yaml:1: 名称: 「U+000C」と「\\t」と「U+2028」"


def test_check_reports_departments_whose_files_would_have_one_name(mini):
    import subprocess
    import sys

    from .conftest import ROOT

    _edit(mini, "projects/1-1.yaml", "所管課:\n  - ", "所管課:\n  - 管財/契約課\n  - ")
    _edit(mini, "projects/1-2.yaml", "所管課: [市民課]", "所管課: [管財_契約課, 市民課]")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "check", str(mini)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "1-1.yaml:" in result.stderr and "1-2.yaml:" in result.stderr
    assert "管財/契約課" in result.stderr and "管財_契約課" in result.stderr


def test_a_year_key_is_named_as_written_not_as_a_position(mini):
    _edit(mini, "projects/1-1.yaml", "    2024: [", "    2024: 5\n    2099: [")
    with pytest.raises(ContentError) as info:
        load(mini)
    fields = [p.field for p in info.value.problems]
    assert "実施工程表.年度別.2024" in fields and not [f for f in fields if "[2025]" in f]


def test_a_number_as_a_key_is_a_japanese_message(mini):
    _edit(mini, "plan.yaml", "計画名:", "123: x\n計画名:")
    with pytest.raises(ContentError) as info:
        load(mini)
    assert all(not any(word in p.message for word in ("should", "Input", "valid")) for p in info.value.problems)
