"""Unit tests of the small building blocks: 和暦, rich text, located YAML, templates."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen import richtext, templating, wareki
from docgen.errors import Problems
from docgen.yamlsrc import Node, Seq, load_yaml


@pytest.mark.parametrize("year, short, long", [
    (2019, "R1", "令和元年度"), (2023, "R5", "令和5年度"), (2025, "R7", "令和7年度"),
    (2018, "H30", "平成30年度"), (1989, "H1", "平成元年度"),
])
def test_fiscal_year_labels(year, short, long):
    assert wareki.short_fy(year) == short
    assert wareki.fy(year) == long
    assert wareki.fy_short_nendo(year) == short + "年度"


def test_dated_labels():
    assert wareki.dated(2023, None) == "令和5(2023)年〇月"
    assert wareki.dated(2024, 3) == "令和6(2024)年3月"
    assert wareki.era_date(2022, 3) == "令和4年3月"
    assert wareki.era_date(2019, 4) == "平成31年4月"


def test_a_new_era_is_one_line(monkeypatch):
    from datetime import date

    monkeypatch.setattr(wareki, "ERAS", wareki.ERAS + (wareki.Era("新元号", "N", date(2040, 4, 1)),))
    assert wareki.fy(2041) == "新元号2年度"
    assert wareki.fy(2039) == "令和21年度"


def test_richtext_blocks_and_labels():
    text, problems = richtext.parse(
        "（現状）紙の申請が\n多い。\n\n- 一つ目\n- Information&Communication\n  Technology\n\n1. 甲\n2. 乙\n")
    assert problems == []
    para, bullets, numbered = text.blocks
    assert para == richtext.Para("紙の申請が多い。", "（現状）")
    assert [i.text for i in bullets.items] == ["一つ目", "Information&Communication Technology"]
    assert isinstance(numbered, richtext.OrderedList) and len(numbered.items) == 2


def test_richtext_keeps_angle_brackets_and_ampersand():
    text, problems = richtext.parse("A < B & C > D &amp;")
    assert problems == []
    assert text.blocks[0].text == "A < B & C > D &amp;"


@pytest.mark.parametrize("source, printed", [
    ("&#x20BB7; &copy; &lt;", "&#x20BB7; &copy; &lt;"),  # references are not decoded: as in 事業名
    ("C:\\data\\x \\* \\[1]", "C:\\data\\x \\* \\[1]"),  # a backslash is itself
    ("1行目\\\n2行目", "1行目\n2行目"),  # … except at the end of a line: a line break
    ("行末\\", "行末\\"),
])
def test_markup_characters_print_as_written(source, printed):
    text, problems = richtext.parse(source)
    assert problems == [] and text.blocks[0].text == printed


@pytest.mark.parametrize("source, fragment", [
    ("# 見出し", "見出し"), ("> 引用", "引用"), ("`code`", "コード"), ("[a](b)", "リンク"),
    ("<b>x</b>", "HTML"), ("**太字**", "強調"), ("- a\n  - b", "入れ子"), ("・点", "・"),
])
def test_richtext_rejects_what_is_outside_the_subset(source, fragment):
    _, problems = richtext.parse(source)
    assert any(fragment in message for _, message in problems), problems


def test_yaml_lines(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_text("a: 1\nb:\n  - x\n  - y\nc: |\n  text\n", encoding="utf-8")
    problems = Problems()
    data = load_yaml(path, "a.yaml", problems)
    assert isinstance(data, Node) and isinstance(data["b"], Seq)
    assert data.key_line("b") == 2 and data["b"].item_line(1) == 4
    assert data.text_line("c") == 6
    assert not problems


def test_yaml_refuses_python_tags(tmp_path: Path):
    path = tmp_path / "a.yaml"
    path.write_text("a: !!python/object/apply:os.system ['echo hi']\n", encoding="utf-8")
    problems = Problems()
    assert load_yaml(path, "a.yaml", problems) is None
    assert problems.items[0].line == 1


def test_templates_run_in_the_sandbox():
    out, problems = templating.render("{{ ''.__class__.__mro__ }}", {})
    assert problems and "計算できません" in problems[0][1]
    out, problems = templating.render("{{ 事業数 }}件", {"事業数": 42})
    assert (out, problems) == ("42件", [])


@pytest.mark.parametrize("src, dst", [
    ((0, 100, 80, 40), (0, 0, 80, 40)),  # stacked
    ((0, 0, 80, 40), (200, 10, 80, 40)),  # side by side
    ((0, 200, 80, 40), (200, 0, 80, 40)),  # sharing no row or column: one bend
    ((200, 0, 80, 40), (0, 200, 80, 40)),
])
def test_arrows_are_orthogonal_and_touch_both_boxes(src, dst):
    from docgen import diagram

    shape = diagram.arrow(src, dst, (src, dst), (40.0, 10.0))

    def on_edge(point, rect):
        x, y = point
        rx, ry, rw, rh = rect
        inside_x, inside_y = rx - 0.01 <= x <= rx + rw + 0.01, ry - 0.01 <= y <= ry + rh + 0.01
        return (inside_x and (abs(y - ry) < 0.01 or abs(y - ry - rh) < 0.01)) or (
            inside_y and (abs(x - rx) < 0.01 or abs(x - rx - rw) < 0.01))

    assert on_edge(shape.path[0], src) and on_edge(shape.head[0], dst)
    for (x0, y0), (x1, y1) in shape.segments + [(shape.path[-1], shape.head[0])]:
        assert x0 == x1 or y0 == y1  # every run is vertical or horizontal
    lx, ly = shape.label_at
    label = (lx - 1, ly - 1, 42.0, 12.0)
    assert not any(diagram._overlap(label, box) for box in (src, dst))  # the label touches no box


def test_a_long_grid_is_split_into_tables_of_consecutive_years():
    from docgen import booklet as b
    from docgen.schedule import split_by_years

    rows = (b.ProjectRow("1", False, "x", (b.Bar("検討", 0, 3), b.Bar("実施", 4, 39)), True, "a"),
            b.ProjectRow("2", False, "y", (b.Bar("準備", 10, 12),), False, "a"))
    table = b.SystemTable(tuple(f"R{y}" for y in range(7, 17)), ("1Q", "2Q", "3Q", "4Q"), "☆", "→", "R17～",
                          ("番号", "重点", "名称", "工程"), rows)
    parts = split_by_years(table)
    assert [p.years for p in parts] == [("R7", "R8"), ("R9", "R10"), ("R11", "R12"), ("R13", "R14"), ("R15", "R16")]
    assert [p.beyond for p in parts] == ["R9～", "R11～", "R13～", "R15～", "R17～"]
    first, second = parts[0].rows, parts[1].rows
    assert [(x.label, x.start, x.end) for x in first[0].bars] == [("検討", 0, 3), ("実施", 4, 7)]
    assert first[0].continues and first[1].bars == () and not first[1].continues
    assert [(x.label, x.start, x.end) for x in second[1].bars] == [("準備", 2, 4)]  # cells 10–12 of R9–R10
    assert [(x.label, x.start, x.end) for x in parts[-1].rows[0].bars] == [("実施", 0, 7)]
    assert split_by_years(replace_years(table, 2)) == [replace_years(table, 2)]  # two years: one table


def replace_years(table, n):
    from dataclasses import replace

    return replace(table, years=table.years[:n], rows=())
