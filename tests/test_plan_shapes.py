"""Plans of other shapes: settings of plan.yaml, numbering schemes, grids, card fields, chapters,
cross-references — and the bugs found while making the shape data."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docgen import booklet as b
from docgen import fiscal, numbers
from docgen.compose import compose_booklet, compose_briefing
from docgen.errors import ContentError
from docgen.load import load

from .conftest import ROOT


def _edit(folder: Path, name: str, old: str | None, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if old is None:
        text += new
    else:
        assert old in text, f"{old!r} not in {name}"
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")


def _problems(folder: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ContentError) as info:
        load(folder)
    return [(Path(p.path).name, p.line, p.field, p.message) for p in info.value.problems]


# ---- calendar and numbering units ------------------------------------------------------------------

def test_grid_units():
    half = fiscal.Grid(2023, 2025, "半期", ("上期", "下期"))
    assert half.cells == 6 and half.index("2024下期") == 3 and half.index("2026上期") == 6
    assert half.index("2024春") is None and half.short(3) == "R6下期" and half.beyond_label == "R8～"
    quarter = fiscal.Grid(2026, 2027, "四半期", fiscal.DEFAULT_NAMES["四半期"])
    assert quarter.cells == 8 and quarter.index("2027第3四半期") == 6 and quarter.last_cell(2026) == 3
    year = fiscal.Grid(2025, 2029, "年度", ())
    assert year.cells == 5 and year.index(2027) == 2 and year.index("2027年度") == 2 and year.index(True) is None


def test_number_formats_render_and_parse():
    assert numbers.render("第{番号:漢数字}章", {"番号": 3}) == "第三章"
    assert numbers.render("{基本目標:英大}-{連番:02}", {"基本目標": 2, "連番": 7}) == "B-07"
    assert numbers.parse("{基本目標}-{施策}-{連番}", "1-2-13", {"基本目標": 1, "施策": 2}, "連番") == 13
    assert numbers.parse("{基本目標}-{施策}-{連番}", "1-3-1", {"基本目標": 1, "施策": 2}, "連番") is None
    assert numbers.parse("{分野:英大}-{連番:02}", "A-10", {"分野": 1}, "連番") == 10
    assert numbers.problems("{項目の通し番号}-{連番}", ["項目の通し番号", "連番"], ("連番",)) == []
    assert "「{連番}」の書き間違い" in numbers.problems("{項目の通し番号}-{連版}", ["項目の通し番号", "連番"])[0]


# ---- settings in plan.yaml ----------------------------------------------------------------------------

@pytest.mark.parametrize("old, new, field, message", [
    ("  区切り: 半期\n", "  区切り: 半期\n  区分名: [前期, 中期, 後期]\n", "計画期間.区分名", "区分名は2つ"),
    ("  終了年度: 2026", "  終了年度: 2036", "計画期間.終了年度", "10年度まで"),
    ("名前: 項目, 番号", "名前: 基本方針, 番号", "体系.階層[2].名前", "重複"),
    ('"{項目の通し番号}-{連番}"', '"{項目の通し番号}-{連版}"', "体系.事業番号", "「{連番}」の書き間違い"),
    ('番号: "（{番号}）"', '番号: "（{番号）"', "体系.階層[2].番号", "組が合っていません"),
    ("{名前: 達成目標, 種類: 文章", "{名前: 達成目標, 種類: 表", "カード[5].種類", "「文章」「短文」"),
    ("{名前: 達成目標, 種類: 文章", "{名前: 達成目標, 種類: 文章, 単位: 千円", "カード[5].単位", "金額"),
])
def test_broken_settings_are_located(mini, old, new, field, message):
    _edit(mini, "plan.yaml", old, new)
    found = [p for p in _problems(mini) if p[0] == "plan.yaml" and p[2] == field and message in p[3]]
    assert found, _problems(mini)


def test_a_misspelt_label_is_an_error_with_the_near_match(mini):
    _edit(mini, "plan.yaml", None, "ラベル:\n  体系の章: 施策の展開\n  事業の賞: 取組\n")
    lines = (mini / "plan.yaml").read_text(encoding="utf-8").splitlines()
    assert ("plan.yaml", lines.index("  事業の賞: 取組") + 1, "ラベル.事業の賞", "この項目は使えません（「事業の章」の書き間違いではありませんか）") in _problems(mini)


# ---- three levels, official numbers, a yearly grid, KPI and money ------------------------------------

THREE_LEVELS = """体系:
  階層:
    - {名前: 基本目標, 番号: "基本目標{番号}"}
    - {名前: 施策, 番号: "{基本目標}-{番号}"}
    - {名前: 取組分野, 番号: "（{番号:丸}）"}
  事業の呼び名: 取組
  事業番号: "{基本目標}-{施策}-{取組分野}-{連番}"
カード:
  - {名前: 所管課, 種類: 所管課}
  - {名前: 概要, 種類: 文章}
  - {名前: 事業費, 種類: 金額, 単位: 千円, 必須: false}
  - {名前: 成果指標, 種類: 指標, 必須: false}
  - {名前: 関連計画, 種類: 短文, 必須: false}
  - {名前: 工程, 種類: 工程表}
"""


def _three_level_plan(folder: Path) -> Path:
    folder.mkdir()
    (folder / "projects").mkdir()
    (folder / "plan.yaml").write_text(
        "自治体名: 架空町\n計画名: 架空町DX推進計画\nファイル名: kakuu-town\n状態: 策定\n発行: {年: 2025, 月: 3}\n"
        "計画期間: {開始年度: 2025, 終了年度: 2029, 区切り: 年度}\n" + THREE_LEVELS +
        "奥付: {発行者: 架空町総務課}\n", encoding="utf-8")
    (folder / "policies.yaml").write_text(
        "基本目標:\n  - 番号: 1\n    名称: 便利な町\n    施策:\n      - 番号: 1\n        名称: 窓口\n"
        "        取組分野:\n          - {番号: 1, 名称: 手続}\n          - {番号: 2, 名称: 相談}\n"
        "      - 番号: 2\n        名称: 情報発信\n        取組分野:\n          - {番号: 1, 名称: 広報}\n",
        encoding="utf-8")
    (folder / "glossary.yaml").write_text("- {用語: KPI, 読み: けーぴーあい, 定義: 重要業績評価指標}\n", encoding="utf-8")
    project = ("事業番号: {n}\n基本目標: 1\n施策: {s}\n取組分野: {a}\n事業名: {name}\n所管課: [総務課, 住民課, "
               "デジタル推進部デジタル行政推進課]\n概要: |\n  {body}\n工程:\n  工程:\n    - {{名称: 準備, 開始: 2025}}\n"
               "    - {{名称: 運用, 開始: 2027, 終了: 2031}}\n  年度別:\n    2025: [準備]\n    2030: [拡大]\n")
    (folder / "projects" / "1-1-1-1.yaml").write_text(project.format(
        n="1-1-1-1", s=1, a=1, name="オンライン申請", body="KPIで測る。[[1-2-1-1]]と連携する。") +
        "事業費: {2025: 1200, 2026: 800}\n成果指標:\n  - 指標名: 申請件数\n    単位: 件\n"
        "    基準値: {年度: 2024, 値: 100}\n    目標値: {2026: 300, 2028: 500}\n    最終目標: {年度: 2029, 値: 600}\n"
        "    算出方法: 申請システムの件数\n関連計画: [総合計画, DX推進方針]\n用語: [KPI]\n", encoding="utf-8")
    (folder / "projects" / "1-1-1-2.yaml").write_text(project.format(
        n="1-1-1-2", s=1, a=1, name="書かない窓口", body="窓口で書かない。"), encoding="utf-8")
    (folder / "projects" / "1-1-2-1.yaml").write_text(project.format(
        n="1-1-2-1", s=1, a=2, name="オンライン相談", body="相談する。"), encoding="utf-8")
    (folder / "projects" / "1-2-1-1.yaml").write_text(project.format(
        n="1-2-1-1", s=2, a=1, name="SNS発信", body="発信する。[[書かない窓口]]も知らせる。"), encoding="utf-8")
    return folder


def test_a_three_level_plan_with_official_numbers_loads(tmp_path):
    plan = load(_three_level_plan(tmp_path / "town"))
    assert [p.number for p in plan.projects] == ["1-1-1-1", "1-1-1-2", "1-1-2-1", "1-2-1-1"]
    assert [g.label for g in plan.walk()] == ["基本目標1", "1-1", "（①）", "（②）", "1-2", "（①）"]
    assert plan.meta.municipality_kind == "町"
    doc = compose_booklet(plan)
    card = next(el for el in doc.body if isinstance(el, b.Card) and el.number == "1-1-1-1")
    assert card.band == ("基本目標1　便利な町", "1-1　窓口", "（①）手続")
    assert [f.label for f in card.fields] == ["概要", "事業費", "成果指標", "関連計画", "工程"]
    money = card.fields[1].blocks[0]
    assert money.caption == "（単位：千円）"
    assert ["".join(s.text for s in c.spans) for c in money.rows[0]] == ["1,200", "800", "―", "―", "―", "2,000"]
    kpi = card.fields[2].blocks[0]
    assert ["".join(s.text for s in c.spans) for c in kpi.header[0]] == [
        "指標名", "単位", "基準値", "R8年度", "R10年度", "最終目標"]
    assert ["".join(s.text for s in c.spans) for c in kpi.rows[0]] == ["申請件数", "件", "100（R6）", "300", "500", "600（R11）"]
    assert "算出方法：申請システムの件数" in "".join(s.text for s in kpi.rows[1][0].spans)
    schedule = card.fields[4]
    assert schedule.years == ("R7年度", "R8年度", "R9年度", "R10年度", "R11年度", "R12年度～")
    assert schedule.yearly[-1] == ("拡大",)
    # the reference names the card and links to it
    ref = next(s for s in card.fields[0].blocks[0].spans if s.ref)
    assert ref.text == "1-2-1-1「SNS発信」" and ref.ref == "card-1-2-1-1"
    table = next(el for el in doc.body if isinstance(el, b.SystemTable))
    assert table.parts == () and table.cells == 5 and table.depth == 3
    row = next(r for r in table.rows if isinstance(r, b.ProjectRow) and r.number == "1-1-1-1")
    assert [(x.label, x.start, x.end) for x in row.bars] == [("準備", 0, 1), ("運用", 2, 5)]  # on past 2029
    counts = next(el for el in doc.body if isinstance(el, b.CountTable))
    assert counts.columns == ("基本目標", "施策", "取組分野", "取組数")
    assert [r.cells for r in counts.groups[0].rows] == [("1-1　窓口", "（①）手続"), ("", "（②）相談"), ("1-2　情報発信", "（①）広報")]


def test_a_project_number_against_the_scheme_is_located(tmp_path):
    folder = _three_level_plan(tmp_path / "town")
    path = folder / "projects" / "1-1-2-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("取組分野: 2", "取組分野: 1"), encoding="utf-8")
    assert ("1-1-2-1.yaml", 1, "事業番号",
            "基本目標11-1（①）の取組の番号は「1-1-1-連番」の形です（書式: {基本目標}-{施策}-{取組分野}-{連番}、"
            "書かれている値: 「1-1-2-1」）") in _problems(folder)


def test_an_unknown_reference_is_located(tmp_path):
    folder = _three_level_plan(tmp_path / "town")
    path = folder / "projects" / "1-1-2-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("相談する。", "相談する。\n\n  [[1-2-1-2]]を見る。"),
                    encoding="utf-8")
    assert ("1-1-2-1.yaml", 10, "概要", "参照 [[1-2-1-2]] の取組がありません（「1-2-1-1」の書き間違いではありませんか）"
            ) in _problems(folder)


def test_a_kpi_without_targets_and_a_money_year_outside_the_period_are_located(tmp_path):
    folder = _three_level_plan(tmp_path / "town")
    path = folder / "projects" / "1-1-1-1.yaml"
    text = path.read_text(encoding="utf-8").replace("    目標値: {2026: 300, 2028: 500}\n    最終目標: {年度: 2029, 値: 600}\n", "")
    path.write_text(text.replace("2026: 800}", "2031: 800}"), encoding="utf-8")
    found = _problems(folder)
    assert any(p[2] == "成果指標[1]" and "目標値（年度ごと）か最終目標" in p[3] for p in found), found
    assert any(p[2] == "事業費.2031" and "計画期間（2025～2029年度）の外" in p[3] for p in found), found


# ---- chapters anywhere, sub-headings, tables ---------------------------------------------------------

def test_chapters_after_the_cards_with_sub_headings_and_tables(mini):
    _edit(mini, "chapters.yaml", None,
          "- 差し込み: 体系\n- 差し込み: 事業\n- 見出し: 推進体制\n  本文: |\n    ## 体制\n\n    本部が進める。[[2-1]]も。\n\n"
          "    | 役割 | 担当 |\n    |---|---|\n    | 本部 | 市長 |\n\n    ### 細目\n\n    以上。\n")
    _edit(mini, "plan.yaml", None, 'ラベル:\n  章番号: "第{番号}章　"\n')
    doc = compose_booklet(load(mini))
    headings = [h.text for h in doc.headings() if h.level == 1]
    assert headings[-2:] == ["第4章　推進体制", "用語集"]
    assert headings[1:3] == ["第2章　施策の体系", "第3章　具体的な個別事業"] or headings[1].startswith("第2章")
    assert [h.text for h in doc.contents()][-2] == "体制"  # a ## sub-heading is in the 目次, ### is not
    table = next(el for el in doc.body if isinstance(el, b.Table))
    assert [["".join(s.text for s in c.spans) for c in row] for row in table.header + table.rows] == [
        ["役割", "担当"], ["本部", "市長"]]


def test_a_table_row_with_more_cells_than_its_header_is_located(mini):
    """markdown-it drops the cells past the header's; the text would be lost without a word."""
    _edit(mini, "chapters.yaml", None,
          "- 見出し: 推進体制\n  本文: |\n    前文。\n\n    | 役割 | 担当 |\n    |---|---|\n"
          "    | 本部 | 市長 |\n    | 事務局 | 総務課 |補佐\n    | a\\|b | c |\n")
    found = [p for p in _problems(mini) if p[0] == "chapters.yaml"]
    assert len(found) == 1 and "見出しの列数（2）より多く" in found[0][3] and "「補佐」" in found[0][3], found
    assert found[0][1] == (mini / "chapters.yaml").read_text(encoding="utf-8").splitlines().index(
        "    | 事務局 | 総務課 |補佐") + 1


def test_a_table_in_a_card_field_is_an_error(mini):
    _edit(mini, "projects/1-1.yaml", "  （課題）来庁が必要。", "  | a | b |\n  |---|---|\n  | 1 | 2 |")
    assert any(p[0] == "1-1.yaml" and "表は本文の章" in p[3] for p in _problems(mini))


def test_a_generated_chapter_placed_twice_is_an_error(mini):
    _edit(mini, "chapters.yaml", None, "- 差し込み: 事業\n- 差し込み: 事業\n")
    assert any(p[0] == "chapters.yaml" and "1回だけ" in p[3] for p in _problems(mini))


# ---- bugs found on the way -----------------------------------------------------------------------------

def test_an_invalid_figure_before_a_valid_one_is_reported_not_a_crash(mini):
    figures = (mini / "figures.yaml").read_text(encoding="utf-8")
    (mini / "figures.yaml").write_text("- 識別子: 壊れた図\n  番号: 0\n  題: x\n  要素: []\n" + figures, encoding="utf-8")
    found = _problems(mini)
    assert found and all(p[0] == "figures.yaml" for p in found), found


def test_a_broken_project_does_not_make_every_term_unused(mini):
    _edit(mini, "projects/2-1.yaml", "事業名:", "事業の名前:")
    found = _problems(mini)
    assert not any("どの事業からも参照されていません" in p[3] for p in found), found


def test_a_revised_editions_briefing_carries_the_current_date(mini):
    _edit(mini, "editions.yaml", None, "現在の版:\n  版名: 令和7(2025)年3月改訂\n  発行: {年: 2025, 月: 3}\n"
                                        "改訂履歴:\n  - {版名: 令和6(2024)年3月策定, 発行: {年: 2024, 月: 3}}\n")
    briefing = compose_briefing(load(mini))
    assert (briefing.year, briefing.month) == (2025, 3)


def test_department_files_are_written_for_pdf_too(mini, tmp_path):
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "build", str(mini), "-o", str(tmp_path / "out"),
                             "--format", "pdf", "--split-by", "department"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.suffix for p in (tmp_path / "out" / "departments").iterdir()) and all(
        p.suffix == ".pdf" for p in (tmp_path / "out" / "departments").iterdir())


def test_a_town_names_itself_in_figures(mini):
    _edit(mini, "plan.yaml", "自治体名: 架空市", "自治体名: 架空町")
    text = (mini / "figures.yaml").read_text(encoding="utf-8")
    box = "文: [総合計画], 列: 0, 行: 0"
    (mini / "figures.yaml").write_text(text.replace(box, box + ", 種類: 町"), encoding="utf-8")
    load(mini)
    (mini / "figures.yaml").write_text(text.replace(box, box + ", 種類: 村役場"), encoding="utf-8")
    assert any("「本計画」「自治体」「町」「国」「都道府県」のどれか" in p[3] for p in _problems(mini))


def test_a_final_target_before_the_period_and_an_empty_short_list_are_located(tmp_path):
    folder = _three_level_plan(tmp_path / "town")
    path = folder / "projects" / "1-1-1-1.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("最終目標: {年度: 2029", "最終目標: {年度: 2020"), encoding="utf-8")
    found = _problems(folder)
    assert [p for p in found if p[2] == "成果指標[1].最終目標.年度" and "より前です" in p[3]], found
    assert not any("基準値の年度" in p[3] for p in found), found
    path.write_text(text.replace("関連計画: [総合計画, DX推進方針]", "関連計画: []"), encoding="utf-8")
    assert _problems(folder) == [("1-1-1-1.yaml", 24, "関連計画", "1つ以上書いてください")]


def test_a_new_edition_of_another_shape_compares_kpis_and_money(tmp_path):
    import shutil

    from docgen.editions import diff

    old = _three_level_plan(tmp_path / "old")
    new = tmp_path / "new"
    shutil.copytree(old, new)
    path = new / "projects" / "1-1-1-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("目標値: {2026: 300", "目標値: {2026: 350")
                    .replace("事業費: {2025: 1200", "事業費: {2025: 1500"), encoding="utf-8")
    comparison, written = diff(str(old), str(new), tmp_path / "out")
    assert comparison.summary() == "追加 0 / 完了 0 / 廃止 0 / 変更 1 取組"
    (group,) = comparison.groups
    assert group.title == "1-1-1-1 オンライン申請"
    assert [row.label for row in group.rows] == ["事業費", "成果指標"]
    assert "350" in "".join(s.text for s in group.rows[1].new if s.underline) + "".join(
        s.text for s in group.rows[1].new)
    assert sorted(p.suffix for p in written) == [".docx", ".pdf"]


def test_check_warns_about_a_phase_name_too_long_for_its_bar(mini):
    import subprocess
    import sys

    _edit(mini, "projects/1-2.yaml", "{名称: 実施, 開始: 2024上期}",
          "{名称: 関係者との協議と調整, 開始: 2024上期, 終了: 2024上期}\n    - {名称: 実施, 開始: 2024下期}")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "check", str(mini)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr  # a warning: the booklet is still made
    assert "1-2.yaml:16: 実施工程表.工程[1].名称: 警告: 「関係者との協議と調整」は施策の体系の線に収まりません" in result.stderr


def test_a_group_label_wider_than_the_page_builds_in_word_too(mini, tmp_path):
    """A number format padded to 99 digits makes labels wider than any column: the Word count table
    wraps them instead of giving the other columns a negative width (found by the fuzz suite: case
    5966 of seed 1744)."""
    from docgen.build import build

    _edit(mini, "plan.yaml", '番号: "基本方針{番号}"', '番号: "{番号:99}"')
    written = build(mini, tmp_path / "out", ("docx",))
    assert written and all(p.stat().st_size > 0 for p in written)
