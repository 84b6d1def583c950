"""The example plans in examples/ — shapes unlike Eniwa's — pass check and build to PDF and Word."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT
from .pdfutil import pdftotext, squash

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "plan.yaml").exists())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from docgen.build import build

    out = {}
    for example in EXAMPLES:
        target = tmp_path_factory.mktemp(example.name)
        out[example.name] = build(example, target, ("pdf", "docx"))
    return out


def test_there_are_examples_of_other_shapes():
    assert {"town-5y", "ward-2y-quarterly"} <= {p.name for p in EXAMPLES}


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_passes_check(example):
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "check", str(example)], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_town_plan_pdf(built):
    pdf = next(p for p in built["town-5y"] if p.suffix == ".pdf" and "briefing" not in p.name)
    text = squash(pdftotext(pdf))
    # three-level numbers, the town's own labels, chapters after the cards, KPI and money tables
    for expected in ("みなと町", "第1章", "施策の体系", "取組の内容", "1-1-1", "施策別取組数", "推進体制",
                     "進行管理", "成果指標（KPI）", "基準値", "最終目標", "（単位：千円）", "R11年度", "R12～"):
        assert expected in text, expected
    assert text.index("取組の内容") < text.rindex("推進体制")
    assert "恵庭" not in text and "基本方針1" not in text


def test_ward_plan_pdf(built):
    pdf = next(p for p in built["ward-2y-quarterly"] if p.suffix == ".pdf")
    text = squash(pdftotext(pdf))
    for expected in ("さくら区", "分野A", "A-01", "C-01", "R8", "R9", "R10～"):
        assert expected in text, expected
    assert "恵庭" not in text


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_example_word_file_opens_with_every_card(built, example):
    import docx

    from docgen.load import load

    path = next(p for p in built[example.name] if p.suffix == ".docx" and "briefing" not in p.name)
    document = docx.Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    plan = load(example)
    for project in plan.projects:
        assert project.name in text + cells, project.number
