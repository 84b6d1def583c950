"""Layout invariants (tests/layout.py) on every PDF docgen makes — the bundled plan, the example plans,
generated plan shapes — and the checker itself on small PDFs made with reportlab that each have one
defect.

The normal run checks LAYOUT_SHAPES generated plans (15); ``make fuzz`` runs many more::

    LAYOUT_SHAPES=200 .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_layout.py -k generated

Each (document, kind of violation) is its own test, so a defect docgen still has is an xfail naming it
while every other invariant of that document stays checked.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from .conftest import CONTENT, ROOT
from .layout import Geometry, Violation, assert_layout, check_layout, format_violations, page_graphics, page_words

SHAPES = int(os.environ.get("LAYOUT_SHAPES", "15"))
EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "plan.yaml").exists())

KINDS = {
    "frame": ("frame",),
    "cell": ("cell",),
    "overlap": ("overlap",),
    "binding": ("binding",),
    "running-head": ("running-head",),
    "page-number": ("page-number",),
    "contents": ("toc-link", "toc-page", "toc-heading"),
}


# ---- long names and labels ---------------------------------------------------------------------------

def _long(text: str, size: int) -> str:
    """``text`` run on to ``size`` characters (a text already that long is left as it is)."""
    if not text or len(text) >= size:
        return text
    return text + (text * size)[:size - len(text)]


def stretch(files: dict) -> dict:
    """A generated plan with every name and label at the longest plan_shapes draws (group names 40,
    project names 50, labels 20 …): the shapes of the plan are kept, only its words grow."""
    files = copy.deepcopy(files)
    plan = files["plan.yaml"]
    plan["計画名"] = _long(plan["計画名"], 40)
    plan["奥付"]["発行者"] = _long(plan["奥付"]["発行者"], 20)
    for key, size in (("体系の章", 20), ("事業の章", 20), ("重点の見出し", 12)):
        plan["ラベル"][key] = _long(plan["ラベル"][key], size)
    for spec in plan["カード"]:
        if "見出し" in spec:
            spec["見出し"] = _long(spec["見出し"], 20 if spec["種類"] == "工程表" else 30)

    def groups(node):
        if isinstance(node, dict):
            if "名称" in node:
                node["名称"] = _long(node["名称"], 40)
            for value in node.values():
                groups(value)
        elif isinstance(node, list):
            for item in node:
                groups(item)
    policies = files["policies.yaml"]
    policies["基本理念"] = _long(policies["基本理念"], 40)
    groups(policies)
    kinds = {spec["名前"]: spec["種類"] for spec in plan["カード"]}
    for path, project in files.items():
        if not path.startswith("projects/"):
            continue
        project["事業名"] = _long(project["事業名"], 50)
        for key, value in project.items():
            kind = kinds.get(key)
            if kind == "所管課":
                project[key] = [_long(v, 20) for v in value]
            elif kind == "文章":
                project[key] = _long(value, 60)
            elif kind == "短文":
                project[key] = _long(value, 30) if isinstance(value, str) else [_long(v, 15) for v in value]
            elif kind == "指標":
                for kpi in value:
                    kpi["指標名"] = _long(kpi["指標名"], 30)
            elif kind == "工程表":
                for phase in value["工程"]:
                    phase["名称"] = _long(phase["名称"], 12)
                value["年度別"] = {year: [_long(v, 30) for v in items] for year, items in value["年度別"].items()}
    return files


# ---- the PDFs docgen makes -------------------------------------------------------------------------------

class Checked:
    """Each document's violations, found once per session."""

    def __init__(self, factory):
        self.factory = factory
        self.cache: dict[str, list[Violation]] = {}

    def __call__(self, name: str) -> list[Violation]:
        if name not in self.cache:
            self.cache[name] = self.factory(name)
        return self.cache[name]


@pytest.fixture(scope="session")
def docgen_pdfs(tmp_path_factory):
    """name → path of every PDF built from the bundled plan and the examples (built when first asked)."""
    from docgen.build import build

    made: dict[str, Path] = {}

    def get(name: str) -> Path:
        if name not in made:
            if name in ("booklet", "briefing"):
                booklet, briefing = build(CONTENT, tmp_path_factory.mktemp("bundled"), ("pdf",))[:2]
                made.update(booklet=booklet, briefing=briefing)
            elif name == "press":
                from docgen.compose import compose_booklet
                from docgen.load import load
                from docgen.pdf.writer import write_pdf

                made["press"] = tmp_path_factory.mktemp("press") / "press.pdf"
                write_pdf(compose_booklet(load(CONTENT)), made["press"], press=True)
            else:
                example = name.removesuffix("-briefing")
                paths = build(ROOT / "examples" / example, tmp_path_factory.mktemp(example), ("pdf",))
                made[example] = next(p for p in paths if not p.stem.endswith("-briefing"))
                for p in paths:
                    if p.stem.endswith("-briefing"):
                        made[f"{example}-briefing"] = p
        return made[name]
    return get


@pytest.fixture(scope="session")
def checked(docgen_pdfs):
    return Checked(lambda name: check_layout(docgen_pdfs(name)))


# (document, kind) → the defect docgen still has there; each is an xfail(strict=True) below, so the
# test fails (XPASS) the day the defect is fixed and the entry must go
KNOWN: dict[tuple[str, str], str] = {}  # (document, kind) → a defect still in docgen, as a strict xfail

# the bundled plan's booklet, briefing sheet and press edition; each example's booklet and briefing sheet
DOCUMENTS = ("booklet", "briefing", "press") + tuple(
    name for p in EXAMPLES for name in (p.name, f"{p.name}-briefing") if name == p.name or (p / "briefing.yaml").exists())


def _cases(documents):
    for document in documents:
        for kind in KINDS:
            reason = KNOWN.get((document, kind))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(document, kind, marks=marks, id=f"{document}-{kind}")


def _of_kind(violations: list[Violation], kind: str) -> list[Violation]:
    return [v for v in violations if v.kind in KINDS[kind]]


@pytest.mark.parametrize("document,kind", list(_cases(DOCUMENTS)))
def test_docgen_pdf_layout(checked, document, kind):
    found = _of_kind(checked(document), kind)
    assert not found, f"{len(found)} {kind} violations in {document}:\n" + format_violations(found)


def test_every_example_is_checked():
    assert {"town-5y", "ward-2y-quarterly"} <= set(DOCUMENTS) and "town-5y-briefing" in DOCUMENTS


def test_glyph_boxes_agree_with_pdftotext(docgen_pdfs):
    """The checker's own glyph placing (content streams, the fonts' widths) finds pdftotext's words:
    the same characters, starting where each word starts, on its line, ending where it ends (give or
    take the character spacing, which pdftotext counts into a character's box and the checker does not)."""
    from pypdf import PdfReader

    path = docgen_pdfs("ward-2y-quarterly")
    graphics = page_graphics(PdfReader(str(path)))
    compared = 0
    for page, words in zip(graphics, page_words(path)):
        for word in words:
            inside = sorted((g for g in page.glyphs if word.box.x0 - 0.05 <= g.box.x0 < word.box.x1 - 0.05
                             and word.box.y0 < g.box.cy < word.box.y1), key=lambda g: g.box.x0)
            assert "".join(g.char for g in inside).replace(" ", "") == word.text.replace(" ", ""), word
            first, last = inside[0].box, inside[-1].box
            assert abs(first.x0 - word.box.x0) < 0.05 and abs(first.y0 - word.box.y0) < 0.05, (word, first)
            assert abs(first.y1 - word.box.y1) < 0.05 and abs(last.x1 - word.box.x1) < last.h / 2, (word, last)
            compared += 1
    assert compared > 500


# ---- generated plan shapes ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def generated(tmp_path_factory):
    """Build SHAPES generated plans (the same ones every run: derandomized), half of them with every
    name and label at its longest, and check every PDF: {"built", "refused", "crashed", "violations"}."""
    from docgen.build import build
    from docgen.errors import ContentError

    from .plan_shapes import plan_shapes, write

    root = tmp_path_factory.mktemp("layout-shapes")
    found: dict = {"built": 0, "refused": 0, "crashed": [], "violations": []}

    @settings(max_examples=SHAPES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(files=plan_shapes(), long=st.booleans())
    def run(files, long):
        if long:
            files = stretch(files)
        n = found["built"] + found["refused"] + len(found["crashed"]) + 1
        period = files["plan.yaml"]["計画期間"]
        shape = (f"shape {n} ({period['開始年度']}–{period['終了年度']} {period['区切り']}, "
                 f"{'long' if long else 'drawn'} names)")
        folder = write(root / f"shape-{n}" / "c", files)
        try:
            paths = build(folder, folder.parent / "out", ("pdf",))
        except ContentError:
            found["refused"] += 1  # test_fuzz_shapes checks these are located
            return
        except Exception as exc:  # noqa: BLE001 - a build that breaks is a finding, not the end of the run
            found["crashed"].append(f"{shape}: {type(exc).__name__}: {str(exc)[:300]} ({folder})")
            return
        found["built"] += 1
        for path in paths:
            found["violations"] += [(f"{shape} {path.name}", v) for v in check_layout(path)]
    run()
    return found


KNOWN_GENERATED: dict[str, str] = {}  # kind → a defect still in docgen, as a strict xfail


@pytest.mark.parametrize("kind", [
    pytest.param(kind, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GENERATED[kind])]
                 if kind in KNOWN_GENERATED else [], id=kind) for kind in KINDS])
def test_generated_plan_layout(generated, kind):
    found = [(shape, v) for shape, v in generated["violations"] if v.kind in KINDS[kind]]
    shown = "\n".join(f"{shape}: {v}" for shape, v in found[:40])
    assert not found, f"{len(found)} {kind} violations in generated plans:\n{shown}"


@pytest.mark.parametrize("kind", [
    pytest.param("build", marks=[pytest.mark.xfail(strict=True, reason=KNOWN_GENERATED["build"])]
                 if "build" in KNOWN_GENERATED else [], id="build")])
def test_generated_plans_build(generated, kind):
    assert generated["built"] >= SHAPES // 3, generated
    assert not generated["crashed"], "\n".join(generated["crashed"])


# ---- the checker on PDFs with one defect each -------------------------------------------------------------

FONT = "LayoutTestMincho"
BODY_LINE = "市民の利便性の向上と行政運営の効率化を図るため、手続のオンライン化を進めます。" * 2


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from docgen import fonts  # only to find the BIZ UD Mincho file on this machine

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(fonts.require()["body"])))


def sample_booklet(path: Path, defect: str | None = None) -> Path:
    """A four-page booklet drawn with reportlab's canvas alone, on docgen's page geometry: a cover (i),
    the 目次 (ii) with two linked entries, page 1 (a chapter: heading, rule, paragraph) and page 2 (a
    table); running heads and page numbers on pages 1 and 2.  ``defect`` puts one fault in."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    _register_font()
    g = Geometry.from_styles()
    width = g.page_w - g.inner - g.outer
    canvas = Canvas(str(path), pagesize=(g.page_w, g.page_h), invariant=1)

    def left(page: int, mirrored: bool = False) -> float:
        return g.inner if (page % 2 == 1) != mirrored else g.outer

    top, bottom = g.page_h - g.top, g.bottom

    def text(s: str, x: float, y: float, size: float = 10.5, align: str = "left") -> float:
        w = stringWidth(s, FONT, size)
        x -= {"left": 0, "center": w / 2, "right": w}[align]
        canvas.setFont(FONT, size)
        canvas.drawString(x, y, s)
        return w

    def head_and_number(page: int, head: str, label: str, head_shift: float = 0.0, number_shift: float = 0.0):
        x0 = left(page)
        y = top + 10
        if page % 2:
            text(head, x0 + width + head_shift, y, 8.5, "right")
        else:
            text(head, x0 + head_shift, y, 8.5, "left")
        canvas.setLineWidth(0.4)
        canvas.line(x0, y - 4, x0 + width, y - 4)
        text(f"- {label} -", x0 + width / 2 + number_shift, bottom / 2, 9, "center")

    def chapter(x0: float, title: str, key: str):
        canvas.bookmarkPage(key)
        text(title, x0, top - 16, 16)
        canvas.setLineWidth(1.2)
        canvas.line(x0, top - 22, x0 + width, top - 22)

    # i: the cover
    text("サンプル市デジタル化推進計画", left(1) + width / 2, top - 250, 20, "center")
    canvas.showPage()

    # ii: the 目次
    x0 = left(2)
    text("目次", x0 + width / 2, top - 24, 18, "center")
    entries = [("1. はじめに", "1", "page-1"), ("2. 事業の一覧", "2", "page-2")]
    if defect == "toc-page":
        entries[1] = ("2. 事業の一覧", "3", "page-2")
    if defect == "toc-link":
        entries[1] = ("2. 事業の一覧", "2", "page-1")
    for k, (title, number, key) in enumerate(entries):
        y = top - 72 - 26 * k
        text(title, x0, y, 12)
        text(number, x0 + width, y, 12, "right")
        canvas.linkRect("", key, (x0, y - 4, x0 + width, y + 13), thickness=0)
    canvas.showPage()
    extra = 0
    if defect == "parity":  # a blank page more in front: page 1 falls on a left-hand page
        canvas.showPage()
        extra = 1
    one, two = 3 + extra, 4 + extra

    # 1 (an odd page: the wide margin on the left)
    x0 = left(one)
    chapter(x0, "1. はじめに", "page-1")
    chars = int(width // 10.5)
    for k in range(6):
        y = top - 60 - 19 * k
        text(BODY_LINE[k:k + chars], x0, y)
    if defect == "frame":
        text("はみ出し", x0 + width + 4, top - 300)
    if defect == "overlap":
        text("重なり", x0 + 100, top - 60 - 19 * 3 + 4)
    head_and_number(one, "1. はじめに", "1", head_shift=15 if defect == "running-head" else 0)
    canvas.showPage()

    # 2 (an even page: the wide margin on the right)
    x0 = left(two, mirrored=defect == "binding")
    chapter(x0, "2. 事業の一覧", "page-2")
    widths = [90, 150, width - 240]
    rows = [("番号", "事業名", "所管課"), ("1-1", "電子申請の拡充", "デジタル推進課"),
            ("1-2", "窓口のキャッシュレス化", "市民課"), ("2-1", "", "情報システム課")]
    if defect == "cell":
        rows[3] = ("電子申請システムの導入", "", "情報システム課")  # 11 characters in a 90 pt column
    y = top - 50
    canvas.setLineWidth(0.5)
    for row in rows:
        canvas.line(x0, y, x0 + width, y)
        x = x0
        for cell, w in zip(row, widths):
            canvas.line(x, y, x, y - 20)
            if cell:
                text(cell, x + 4, y - 14, 9)
            x += w
        canvas.line(x, y, x, y - 20)
        y -= 20
    canvas.line(x0, y, x0 + width, y)
    head_and_number(two, "2. 事業の一覧", "2", number_shift=20 if defect == "page-number" else 0)
    canvas.showPage()

    canvas.addPageLabel(0, "ROMAN_LOWER", 1)
    canvas.addPageLabel(2 + extra, "ARABIC", 1)
    canvas.save()
    return path


def test_the_sample_booklet_passes(tmp_path):
    violations = check_layout(sample_booklet(tmp_path / "clean.pdf"))
    assert violations == [], format_violations(violations)
    assert_layout(tmp_path / "clean.pdf")


DEFECTS = {  # defect → (the kinds reported, the pages, text a violation names)
    "frame": ({"frame"}, {3}, "はみ出し"),
    "cell": ({"cell"}, {4}, "電子申請システムの導入"),
    "overlap": ({"overlap"}, {3}, "重"),
    "binding": ({"binding"}, {4}, "(page)"),
    "parity": ({"binding"}, {4, 5}, "1"),
    "running-head": ({"running-head"}, {3}, "1. はじめに"),
    "page-number": ({"page-number"}, {4}, "- 2 -"),
    "toc-link": ({"toc-link"}, {2}, "2.事業の一覧"),
    "toc-page": ({"toc-page"}, {2}, "2.事業の一覧"),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_the_checker_reports_each_defect_and_only_it(tmp_path, defect):
    kinds, pages, text = DEFECTS[defect]
    violations = check_layout(sample_booklet(tmp_path / f"{defect}.pdf", defect))
    assert {v.kind for v in violations} == kinds, format_violations(violations)
    assert {v.page for v in violations} == pages, format_violations(violations)
    assert any(text in v.text for v in violations), format_violations(violations)
    with pytest.raises(AssertionError, match=next(iter(kinds))):
        assert_layout(tmp_path / f"{defect}.pdf")


def test_a_toc_link_to_the_wrong_page_names_both_pages(tmp_path):
    [violation] = check_layout(sample_booklet(tmp_path / "toc.pdf", "toc-link"))
    assert "links to page 1 (p.3)" in violation.detail and "heading is on page 2 (p.4)" in violation.detail


def test_a_toc_entry_without_a_link_is_reported(tmp_path):
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject

    path = sample_booklet(tmp_path / "clean.pdf")
    writer = PdfWriter(clone_from=PdfReader(str(path)))
    del writer.pages[1][NameObject("/Annots")]
    writer.write(tmp_path / "unlinked.pdf")
    violations = check_layout(tmp_path / "unlinked.pdf")
    assert [v.kind for v in violations] == ["toc-link", "toc-link"], format_violations(violations)
    assert all("no link" in v.detail for v in violations)


def test_the_frame_is_measured_on_the_trim_box(tmp_path):
    """A press PDF with bleed: the media box is larger than the page; the frame is the trimmed page's."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import RectangleObject

    g = Geometry.from_styles()
    writer = PdfWriter(clone_from=PdfReader(str(sample_booklet(tmp_path / "clean.pdf"))))
    for page in writer.pages:
        page.mediabox = RectangleObject([-9, -9, g.page_w + 9, g.page_h + 9])
        page.trimbox = RectangleObject([0, 0, g.page_w, g.page_h])
    writer.write(tmp_path / "bleed.pdf")
    violations = check_layout(tmp_path / "bleed.pdf")
    assert violations == [], format_violations(violations)
