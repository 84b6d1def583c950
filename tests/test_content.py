"""The bundled Eniwa plan loads completely and matches the source's own counts."""

from __future__ import annotations

import subprocess
import sys

from .conftest import CONTENT, ROOT

# 【項目別事業数】 of the source, per (基本方針, 項目)
SOURCE_COUNTS = {(1, 1): 5, (1, 2): 7, (1, 3): 3, (2, 1): 15, (2, 2): 3, (3, 1): 1, (3, 2): 1, (3, 3): 1,
                 (4, 1): 2, (5, 1): 1, (5, 2): 3}


def test_bundled_plan_shape(plan):
    assert len(plan.groups) == 5
    assert len(plan.leaves()) == 11
    assert len(plan.projects) == 42
    assert len(plan.glossary) == 38


def test_counts_per_item_equal_the_source_table(plan):
    counts = {leaf.path: len(plan.projects_in(leaf)) for leaf in plan.leaves()}
    assert counts == SOURCE_COUNTS


def test_projects_are_in_booklet_order(plan):
    """Within a 項目, by the 連番 the number carries: 4-9 before 4-10 (not by text)."""
    numbers = [p.number for p in plan.projects]
    assert numbers.index("4-9") + 1 == numbers.index("4-10")
    assert [p.sequence for p in plan.projects if p.number.startswith("4-")] == list(range(1, 16))


def test_priority_projects(plan):
    assert {p.number for p in plan.projects if p.priority} == {
        "1-1", "1-4", "2-1", "4-1", "4-4", "4-6", "4-7", "4-10", "5-1", "9-2"}


def test_project_4_10_fields(plan):
    p = next(x for x in plan.projects if x.number == "4-10")
    assert p.name == "電子入札システムの導入" and p.priority
    assert p.departments == ("管財・契約課",)
    assert p.groups == (2, 1)
    assert p.values["現状と課題"].blocks[0].label == "（現状）"
    assert "年間で工事約100件、設計約30件の入札を執行している" in p.values["現状と課題"].plain()
    assert [x.label for x in p.schedule.phases] == ["検討", "導入", "試行", "実施"]
    assert p.schedule.phases[-1].continues
    assert p.schedule.yearly[2024] == ["通年でのシステム運用", "※発注規模の大きい案件"]


def test_every_project_has_every_year_of_the_period_or_a_reason(plan):
    years = set(plan.meta.period.years)
    for p in plan.projects:
        assert set(p.schedule.yearly) <= years


def test_glossary_terms_are_each_footnoted_once(plan):
    used = [t for p in plan.projects for t in p.terms]
    assert sorted(used) == sorted(t.term for t in plan.glossary)


def test_docgen_check_prints_the_summary():
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "check", str(CONTENT)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "基本方針 5 / 項目 11 / 事業 42 / 用語 38"


def test_docgen_check_lists_problems_in_japanese(mini):
    (mini / "projects" / "1-2.yaml").write_text("事業番号: 1-2\n事業名: x\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "check", str(mini)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert any(line.startswith(f"{mini}/projects/1-2.yaml:1: 所管課: 必須の項目がありません") for line in lines)
    assert lines[-1].startswith("誤りが")
    assert "Traceback" not in result.stderr


def test_docgen_fonts_reports_every_role():
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "fonts"], cwd=ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0
    for role in ("body", "heading", "heading-bold"):
        assert role in result.stdout
    assert "マニフェストと一致" in result.stdout


def test_missing_fonts_stop_with_a_clear_message(monkeypatch, tmp_path):
    from docgen import fonts

    monkeypatch.setattr(fonts, "search_dirs", lambda: [tmp_path])
    fonts.find_all.cache_clear()
    try:
        text, ok = fonts.report()
        assert not ok
        assert "apt-get install fonts-morisawa-bizud-mincho" in text
        assert "github.com/googlefonts/morisawa-biz-ud-mincho" in text
    finally:
        fonts.find_all.cache_clear()


def test_unwritable_output_is_reported_without_a_traceback(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "build", str(ROOT / "tests" / "fixtures" / "mini"),
                             "-o", str(blocker / "out")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 1
    assert "ファイルを書けません" in result.stderr and "Traceback" not in result.stderr


def test_another_city_builds_by_changing_content_only(mini, tmp_path):
    """The mini fixture is a different city, period (2024–2026) and count; labels come from content."""
    from pypdf import PdfReader

    from docgen.build import build

    for path in mini.rglob("*.yaml"):  # the town calls its top level 基本目標 and its halves 前期・後期
        path.write_text(path.read_text(encoding="utf-8").replace("基本方針", "基本目標")
                        .replace("上期", "前期").replace("下期", "後期"), encoding="utf-8")
    plan_file = mini / "plan.yaml"
    text = plan_file.read_text(encoding="utf-8").replace("区切り: 半期", "区切り: 半期\n  区分名: [前期, 後期]")
    plan_file.write_text(text + "表示:\n  基調色: \"#7A1F3D\"\nラベル:\n  体系の章: 施策の展開\n", encoding="utf-8")
    pdf = build(mini, tmp_path, ("pdf",))[0]
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "架空市" in text and "基本目標1" in text and "施策の展開" in text
    assert "R6" in text and "前期" in text and "R9～" in text.replace(" ", "")
    assert "基本方針1" not in text and "恵庭" not in text
