"""The Word writer on booklet trees of other plan shapes, built by hand (not from content, so the
loader and compose can change underneath): schedule grids of 1–10 years by year, half or quarter,
one to three levels of groups, cards with 1–11 schedule columns anywhere or nowhere among their fields,
money and KPI tables on cards, a table in prose, cross-references.  Checked in the package python-docx
reopens (grids, cell widths, merges, styles, links) and in what LibreOffice prints of it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from docgen import booklet as b
from docgen.docx import oxml
from docgen.docx.writer import FRAME_W, WordWriter, write_docx

from .conftest import ROOT
from .pdfutil import pdftotext, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
FRAME_TW = oxml.twips(FRAME_W)


# ---- building trees ---------------------------------------------------------------------------------

ACCENT = "#1F4E79"
LEVEL_WORDS = ("基本方針", "施策", "取組")
PHASES = ("検討", "導入", "運用", "拡大")
NAMES = ("行政手続のオンライン化", "マイナンバーカード交付・取得促進事業", "窓口支援システム（書かない窓口）の導入",
         "公共施設への公衆無線LANの設置", "AI-OCR、RPAの利活用の推進", "電子入札システムの導入")


def span(text: str, **kw) -> b.Span:
    return b.Span(text, **kw)


def para(*spans: b.Span, indent: bool = False) -> b.Para:
    return b.Para(tuple(spans), indent)


def years_of(count: int, first: int = 5) -> tuple[str, ...]:
    return tuple(f"R{first + k}" for k in range(count))


def cell(text: str, **kw) -> b.TableCell:
    return b.TableCell((b.Span(text),), **kw)


def group_label(level: int, n: int) -> str:
    return (f"{LEVEL_WORDS[0]}{n}", f"（{n}）", f"{n})")[level] if level < 3 else f"{n}."


def bars_for(cells: int, seed: int) -> tuple[tuple[b.Bar, ...], bool]:
    """A few kinds of schedules on a grid of ``cells``: three phases running on past the period, a
    phase of one cell, a phase that starts after the period, a whole-period one."""
    kind = seed % 5
    third = max(1, cells // 3)
    if kind == 0:
        return (b.Bar(PHASES[0], 0, third - 1), b.Bar(PHASES[1], third, 2 * third - 1),
                b.Bar(PHASES[2], 2 * third, cells)), True
    if kind == 1:
        return (b.Bar(PHASES[0], 0, 0), b.Bar(PHASES[1], 1, cells - 1)), False
    if kind == 2:
        return (b.Bar(PHASES[0], 0, cells - 1), b.Bar(PHASES[3], cells, cells)), True
    if kind == 3:
        return (b.Bar("継続", 0, cells - 1),), True
    return (b.Bar(PHASES[0], min(1, cells - 1), min(1, cells - 1)), b.Bar("試行", min(2, cells), cells - 1)), False


def system_table(years: int, parts: tuple[str, ...] = ("上期", "下期"), depth: int = 2, per_group: int = 2,
                 groups: int = 2, numbering: str = "dash") -> b.SystemTable:
    cells = years * max(1, len(parts))
    rows: list = []
    seed = 0
    leaf = 0

    def number(path: tuple[int, ...], k: int) -> str:
        """1-2 (two levels: the lowest group's running number), 1-2-3 (three), A-01 (letters)."""
        if numbering == "letter":
            return f"{chr(64 + leaf)}-{k:02d}"
        if len(path) >= 3:
            return f"{path[0]}-{path[1]}-{(path[2] - 1) * per_group + k}"
        return f"{leaf}-{k}"

    def walk(level: int, path: tuple[int, ...]):
        nonlocal seed, leaf
        for n in range(1, groups + 1):
            here = path + (n,)
            title = ("市民利用サービスのデジタル化", "スマート窓口の推進", "手続のオンライン化")[min(level, 2)]
            rows.append(b.GroupRow(level, group_label(level, n), f"{title}{n}",
                                   "窓口手続きの利便性向上と、ICT活用による災害への対応を進めます。" if level == 0 else ""))
            if level + 1 < depth:
                walk(level + 1, here)
            else:
                leaf += 1
                for k in range(1, per_group + 1):
                    bars, continues = bars_for(cells, seed)
                    num = number(here, k)
                    rows.append(b.ProjectRow(num, seed % 2 == 0, NAMES[seed % len(NAMES)], bars, continues,
                                             f"card-{num}", status="新規" if seed == 3 else "",
                                             closed=seed == 4))
                    seed += 1

    walk(0, ())
    return b.SystemTable(years_of(years), parts, "☆", "→", f"R{5 + years}～",
                         ("事業番号", "重点取組", "個別事業名", "スケジュール"), tuple(rows), depth)


def count_table(depth: int = 2) -> b.CountTable:
    words = LEVEL_WORDS[:depth] + ("事業数",)
    groups = []
    total = 0
    for g in range(1, 3):
        rows = []
        for i in range(1, 3):
            if depth == 2:
                rows.append(b.CountRow((f"（{i}）スマート窓口の推進{i}",), i + g))
            else:
                for j in range(1, 3):
                    rows.append(b.CountRow((f"（{i}）スマート窓口の推進{i}" if j == 1 else "", f"{j}) 手続のオンライン化{j}"),
                                           i + j))
        subtotal = sum(r.count for r in rows)
        total += subtotal
        groups.append(b.CountGroup(f"基本方針{g}", tuple(rows), subtotal))
    return b.CountTable(words, tuple(groups), "小計", "合計", total)


def money_table() -> b.Table:
    head = (cell("区分", head=True), cell("R5", head=True), cell("R6", head=True), cell("R7", head=True),
            cell("R8", head=True), cell("合計", head=True))
    rows = ((cell("事業費", head=True), cell("1,200", align="right"), cell("3,400", align="right"),
             cell("800", align="right"), cell("800", align="right"), cell("6,200", align="right")),
            (cell("うち国庫補助", head=True), cell("600", align="right"), cell("1,700", align="right"),
             cell("―", align="center"), cell("―", align="center"), cell("2,300", align="right")),
            (cell("備考：R6に機器更新、R8以降は保守費のみ", span=6),))
    return b.Table((head,), rows, (2.2, 1, 1, 1, 1, 1.2), "（単位：千円）")


def kpi_table() -> b.Table:
    head = (cell("指標", head=True), cell("基準値（R4）", head=True), cell("目標値（R7）", head=True))
    rows = ((cell("マイナンバーカード交付率"), cell("52.1%", align="right"), cell("100%", align="right")),
            (cell("オンライン申請件数（年間）"), cell("1,230件", align="right"), cell("5,000件", align="right")))
    return b.Table((head,), rows, (3, 1.3, 1.3))


def prose_table(rows: int = 4) -> b.Table:
    head = (cell("区分", head=True), cell("内容", head=True), cell("件数", head=True, align="right"))
    body = tuple((cell(f"区分{k}"), cell("マイナポータルからの電子申請に対応した手続" * (1 + k % 2)),
                  cell(f"{k * 120:,}", align="right")) for k in range(1, rows + 1))
    body += ((cell("合計", span=2, align="center"), cell(f"{sum(k * 120 for k in range(1, rows + 1)):,}", align="right")),)
    return b.Table((head,), body, (1, 4, 1), "（単位：件）")


def card(num: str, years: int, band: tuple[str, ...], *, heading: b.Heading | None = None,
         departments: str = "市民課、情報政策課", schedule_at: int | None = None, tables: bool = True,
         refs: tuple[str, ...] = (), beyond: bool = False, name: str = NAMES[1]) -> b.Card:
    labels = {"事業番号": "事業番号", "事業名": "事業名", "所管課": "所管課", "状況": "状況", "続き": "（続き）"}
    fields: list = [
        b.CardField("現状と課題", (para(span("（現状）", label=True)),
                                  para(span("交付や更新等の手続きは全て専用の統合端末を用いて行っており、"
                                            "令和6年度に次回機器更新を予定している。")))),
        b.CardField("取組内容", (b.ListBlock(False, (para(span("出張申請受付の実施")),
                                                    para(span("オリジナルノベルティの作成・配布")))),)),
    ]
    if refs:
        fields.append(b.CardField("関連事業", tuple(
            para(span("関連："), span(f"{r}「行政手続のオンライン化」", ref=f"card-{r}"), span("を参照。"))
            for r in refs)))
    if tables:
        fields.append(b.CardField("事業費", (money_table(),)))
        fields.append(b.CardField("成果指標", (para(span("市民の利便性の向上を図る。")), kpi_table())))
    year_labels = tuple(f"R{5 + k}年度" for k in range(years)) + (("R%d年度～" % (5 + years),) if beyond else ())
    yearly = tuple((f"{PHASES[k % 4]}の実施", "ノベルティの配布") if k % 2 == 0 else (f"{PHASES[k % 4]}",)
                   for k in range(len(year_labels)))
    schedule = b.CardSchedule("実施工程表（スケジュール）", year_labels, yearly)
    if years:
        fields.insert(len(fields) if schedule_at is None else schedule_at, schedule)
    return b.Card(anchor=f"card-{num}", number=num, name=name, priority_label="【重点取組事項】",
                  band=band, labels=labels, departments=departments, fields=tuple(fields), notes=(),
                  note_mark="※", note_separator="・・・", heading=heading)


def document(body, front=(b.Cover("テスト計画", "（案）", "令和5(2023)年〇月", "テスト市", ACCENT), b.PageBreak(),
                          b.Contents("目次"), b.PageBreak()), slug: str = "shapes") -> b.Document:
    return b.Document(slug=slug, title="テスト計画", author="テスト市", subject="テスト", lang="ja-JP",
                      year=2023, month=4, front=tuple(front), body=tuple(body), accent=ACCENT)


QUARTERS = ("第1四半期", "第2四半期", "第3四半期", "第4四半期")
HALVES = ("上期", "下期")
BAND3 = ("基本方針1　市民利用サービスのデジタル化", "（1）スマート窓口の推進", "1) 手続のオンライン化")
BAND2 = BAND3[:2]


def booklet() -> b.Document:
    """Every shape in one booklet: a prose chapter (references, a level-3 heading, a table), four
    system tables, a three-level count table, and cards of 7, 4, 3, 11, 1 and no schedule columns."""
    policy = b.Heading(2, BAND3[0], "policy-1")
    second = b.Heading(2, "基本方針2　行政事務のデジタル化", "policy-2")
    body = [
        b.Heading(1, "1. 計画の概要", "chapter-1"),
        para(span("中心となる事業は"), span("1-2「マイナンバーカード交付・取得促進事業」", ref="card-1-2"),
             span("です。"), indent=True),
        para(span("前計画の"), span("9-9「廃止した事業」", ref="card-9-9"), span("は載せていません。"), indent=True),
        b.Heading(2, "1.1 計画の位置づけ", "sec-1-1"),
        para(span("本計画は市の総合計画の個別計画です。" * 3), indent=True),
        b.Heading(3, "（1）計画期間", "sec-1-1-1", toc=False),
        para(span("計画期間と件数は次の表のとおりです。"), indent=True),
        prose_table(),
        para(span("表の後の段落です。" * 4), indent=True),
        b.PageBreak(),
        b.Heading(1, "2. 施策の体系", "chapter-2"),
        system_table(5, ()),
        b.PageBreak(),
        system_table(2, QUARTERS),
        b.PageBreak(),
        system_table(10, ("Q1", "Q2", "Q3", "Q4")),
        b.PageBreak(),
        system_table(3, HALVES, depth=3),
        b.Heading(2, "【項目別事業数】", "counts"),
        count_table(3),
        b.PageBreak(),
        b.Heading(1, "3. 個別事業", "chapter-3"),
        card("1-1", 7, BAND3, heading=policy, refs=("1-2",)),
        b.PageBreak(),
        card("1-2", 4, BAND3, departments="", schedule_at=1, tables=False),
        b.PageBreak(),
        card("1-3", 3, BAND2, tables=False, name=NAMES[0]),
        b.PageBreak(),
        card("1-4", 10, BAND3, beyond=True, tables=False),
        b.PageBreak(),
        card("1-5", 1, BAND3, tables=False),
        b.PageBreak(),
        card("2-1", 0, (second.text,), heading=second, tables=False),
    ]
    return document(body)


CARDS = ("1-1", "1-2", "1-3", "1-4", "1-5", "2-1")


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("shapes") / "shapes.docx"
    write_docx(booklet(), path)
    return path


@pytest.fixture(scope="module")
def opened(written):
    return docx.Document(written)


def _soffice(docx_path: Path, out: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is not installed (make test installs libreoffice-writer-nogui)"
    env = dict(os.environ, FONTCONFIG_FILE=str(ROOT / "fonts" / "word-names.conf"))
    subprocess.run([exe, f"-env:UserInstallation=file://{out / 'lo-profile'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx_path)], check=True, capture_output=True, env=env, timeout=300)
    pdf = out / (docx_path.stem + ".pdf")
    assert pdf.exists()
    return pdf


@pytest.fixture(scope="module")
def printed(written, tmp_path_factory) -> list[str]:
    """The text of each page LibreOffice prints of the booklet, laid out as printed."""
    return pdftotext(_soffice(written, tmp_path_factory.mktemp("lo")), layout=True).split("\f")


# ---- reading tables back ----------------------------------------------------------------------------

def grid(tbl) -> list[int]:
    return [int(c.get(qn("w:w"))) for c in tbl.find(f"{W}tblGrid").findall(f"{W}gridCol")]


def row_cells(tr):
    out, at = [], 0
    for tc in tr.findall(f"{W}tc"):
        span_el = tc.find(f"{W}tcPr/{W}gridSpan")
        span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
        out.append((tc, at, span))
        at += span
    return out


def text(el) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


def style_of(p) -> str:
    ps = p.find(f"{W}pPr/{W}pStyle")
    return ps.get(qn("w:val")) if ps is not None else ""


def fill(tc) -> str | None:
    shd = tc.find(f"{W}tcPr/{W}shd")
    return shd.get(qn("w:fill")) if shd is not None else None


def assert_widths_agree(tbl) -> None:
    """Positive grid columns; the table's width their sum; every row fills the grid; every cell's
    width the sum of the columns it spans (Word lays a fixed table out from the cells)."""
    columns = grid(tbl)
    assert columns and all(w > 0 for w in columns), columns
    tblw = tbl.find(f"{W}tblPr/{W}tblW")
    assert tblw.get(qn("w:type")) == "dxa" and int(tblw.get(qn("w:w"))) == sum(columns)
    for tr in tbl.findall(f"{W}tr"):
        row = row_cells(tr)
        assert sum(span for _, _, span in row) == len(columns), text(tr)
        for tc, at, span in row:
            tcw = tc.find(f"{W}tcPr/{W}tcW")
            assert tcw.get(qn("w:type")) == "dxa"
            assert int(tcw.get(qn("w:w"))) == sum(columns[at:at + span]), (text(tc), at, span)


def top_tables(document) -> list:
    return document.element.body.findall(f"{W}tbl")


def system_tables(document) -> list:
    return [t for t in top_tables(document) if text(t.find(f"{W}tr")).startswith("事業番号重点取組")]


def card_table(document, number: str):
    for t in top_tables(document):
        first = row_cells(t.find(f"{W}tr"))
        if len(first) == 4 and text(first[0][0]) == "事業番号" and text(first[1][0]) == number:
            return t
    raise AssertionError(f"no card {number}")


def write_one(tmp_path: Path, *elements) -> docx.document.Document:
    path = tmp_path / "one.docx"
    write_docx(document(elements, front=()), path)
    return docx.Document(path)


# ---- every table ------------------------------------------------------------------------------------

def test_every_table_has_positive_widths_that_agree(opened):
    tables = list(opened.element.body.iter(f"{W}tbl"))  # nested ones too
    assert len(tables) >= 14
    for tbl in tables:
        assert_widths_agree(tbl)


def test_full_width_tables_fill_the_frame(opened):
    full = system_tables(opened) + [card_table(opened, n) for n in CARDS] + [top_tables(opened)[0]]
    assert len(full) == 8 + len(CARDS) + 1  # ten years by quarters: five tables of two years
    for tbl in full:
        assert sum(grid(tbl)) == FRAME_TW


# ---- the system table -------------------------------------------------------------------------------

SYSTEM_SHAPES = [  # years, parts, depth
    (1, (), 2), (3, HALVES, 2), (4, HALVES, 1), (5, (), 2), (2, QUARTERS, 2), (10, ("Q1", "Q2", "Q3", "Q4"), 2),
    (10, QUARTERS, 3), (10, (), 2), (10, HALVES, 3), (7, ("4-6月", "7-9月", "10-12月", "1-3月"), 2),
]


@pytest.mark.parametrize("years,parts,depth", SYSTEM_SHAPES)
def test_system_table_grid_for_any_period(tmp_path, years, parts, depth):
    from docgen.schedule import split_by_years

    el = system_table(years, parts, depth=depth)
    split = split_by_years(el)  # a long grid is set as tables of consecutive years, as in the PDF
    tables = system_tables(write_one(tmp_path, el))
    assert len(tables) == len(split) and (len(split) == 1) == (el.cells <= (8 if len(parts) == 4 else 12))
    assert [y for part in split for y in part.years] == list(el.years)
    for tbl, part in zip(tables, split):
        columns = grid(tbl)
        assert len(columns) == 3 + part.cells + 1
        assert_widths_agree(tbl)
        assert sum(columns) == FRAME_TW
        assert columns[2] >= oxml.twips(45) - 1  # the names keep a readable column
        assert len(set(columns[3:-1])) <= 2  # the grid cells share alike (a twip of rounding apart)
        rows = tbl.findall(f"{W}tr")
        headers = [tr for tr in rows if tr.find(f"{W}trPr/{W}tblHeader") is not None]
        assert rows[:len(headers)] == headers and len(headers) in (1, 2)
        assert [text(tc) for tc, _, _ in row_cells(rows[0])][3:3 + len(part.years)] == list(part.years)
        if not parts:
            assert len(headers) == 1
        if len(headers) == 2:
            assert [text(tc) for tc, _, _ in row_cells(rows[1])][3:-1] == list(parts) * len(part.years)
        projects = [r for r in el.rows if isinstance(r, b.ProjectRow)]
        numbers = [text(row_cells(tr)[0][0]) for tr in rows if len(row_cells(tr)) > 1 and tr not in headers]
        assert numbers == [p.number for p in projects]


def test_system_table_of_three_years_by_halves_keeps_its_widths(tmp_path):
    tbl = system_tables(write_one(tmp_path, system_table(3, HALVES)))[0]
    assert grid(tbl) == oxml.widths_twips([14, 14, 51] + [13] * 6 + [11])


def test_system_table_part_row_fits_or_goes(tmp_path):
    """Two years by quarters name the quarters; ten years by quarters are set as five such tables
    of two years (forty cells of 2.5 mm would have had to go without the quarters' names)."""
    two = system_tables(write_one(tmp_path, system_table(2, QUARTERS)))[0]
    rows = two.findall(f"{W}tr")
    assert [text(tc) for tc, _, _ in row_cells(rows[1])][3:-1] == list(QUARTERS) * 2
    tens = system_tables(write_one(tmp_path, system_table(10, QUARTERS)))
    assert len(tens) == 5
    for ten in tens:
        first = row_cells(ten.findall(f"{W}tr")[0])
        assert ten.findall(f"{W}tr")[1].find(f"{W}trPr/{W}tblHeader") is not None
        assert [span for _, _, span in first] == [1, 1, 1] + [4] * 2 + [1]


def test_system_table_number_column_fits_the_longest_number(tmp_path):
    from dataclasses import replace

    el = system_table(10, HALVES)
    rows = tuple(replace(r, number=f"DX-2024-{k:03d}") if isinstance(r, b.ProjectRow) else r
                 for k, r in enumerate(el.rows))
    tbl = system_tables(write_one(tmp_path, replace(el, rows=rows)))[0]
    from docgen.docx.figure import text_width
    assert grid(tbl)[0] > (text_width("DX-2024-000", "heading", 9) + 4) * 20
    assert_widths_agree(tbl)


def test_phases_are_merged_bands_running_into_the_continuation(tmp_path):
    el = system_table(3, HALVES)
    tbl = system_tables(write_one(tmp_path, el))[0]
    by_number = {text(row_cells(tr)[0][0]): row_cells(tr) for tr in tbl.findall(f"{W}tr")}
    first = by_number["1-1"]  # 検討 0-1, 導入 2-3, 運用 4-6 (into R8～), going on
    assert [(text(tc), at, span) for tc, at, span in first[3:]] == [
        ("検討", 3, 2), ("導入", 5, 2), ("運用", 7, 2), ("→", 9, 1)]
    assert all(fill(tc) for tc, _, _ in first[3:])
    bands = [fill(tc) for tc, _, _ in first[3:]]
    assert len(set(bands)) == 1
    last_bar = first[5][0]
    assert last_bar.find(f"{W}tcPr/{W}tcBorders/{W}right").get(qn("w:val")) == "nil"
    assert first[6][0].find(f"{W}tcPr/{W}tcBorders/{W}left").get(qn("w:val")) == "nil"
    late = by_number["2-1"]  # 検討 over the whole period, 拡大 from R8 on
    assert [(text(tc), span) for tc, _, span in late[3:]] == [("検討", 6), ("拡大→", 1)]
    short = by_number["1-2"]  # 検討 one half, 導入 the rest; not going on
    assert [(text(tc), span) for tc, _, span in short[3:]] == [("検討", 1), ("導入", 5), ("", 1)]
    assert fill(short[-1][0]) is None


def test_group_rows_by_level(tmp_path):
    el = system_table(3, HALVES, depth=3)
    tbl = system_tables(write_one(tmp_path, el))[0]
    rows = [row_cells(tr) for tr in tbl.findall(f"{W}tr")]
    groups = [(text(r[0][0]), style_of(r[0][0].find(f"{W}p")), fill(r[0][0])) for r in rows if len(r) == 1]
    levels = [g for g in el.rows if isinstance(g, b.GroupRow)]
    assert len(groups) == len(levels) + sum(1 for g in levels if g.description)
    top = [g for g in groups if g[1] == "表方針"]
    assert [t for t, _, _ in top] == [f"{g.label}　{g.title}" for g in levels if g.level == 0]
    assert all(f == "1F4E79" for _, _, f in top)
    second = [t for t, s, _ in groups if s == "表項目"]
    third = [t for t, s, _ in groups if s == "表項目下位"]
    assert second == [f"{g.label}{g.title}" for g in levels if g.level == 1]
    assert third == [f"{g.label} {g.title}" for g in levels if g.level == 2]  # 1) takes a narrow space
    with zipfile.ZipFile(tmp_path / "one.docx") as z:
        styles = z.read("word/styles.xml").decode("utf-8")
    lower = re.search(r'w:styleId="[^"]*"[^>]*>\s*<w:name w:val="表項目下位"/>.*?</w:style>', styles, re.S).group(0)
    assert re.search(r'<w:ind w:left="(\d+)"', lower)  # set in under the level above


@pytest.mark.parametrize("depth,columns", [(2, 3), (3, 4)])
def test_count_table_has_a_column_per_level(tmp_path, depth, columns):
    el = count_table(depth)
    tbl = top_tables(write_one(tmp_path, el))[0]
    assert len(grid(tbl)) == columns
    assert_widths_agree(tbl)
    assert sum(grid(tbl)) <= FRAME_TW
    rows = [[text(tc) for tc, _, _ in row_cells(tr)] for tr in tbl.findall(f"{W}tr")]
    assert rows[0] == list(el.columns)
    first = el.groups[0]
    assert rows[1] == [first.label, *first.rows[0].cells, str(first.rows[0].count)]
    assert rows[2] == ["", *first.rows[1].cells, str(first.rows[1].count)]
    subtotal = rows[1 + len(first.rows)]
    assert subtotal == ["", f"{first.label} {el.subtotal_label}", str(first.subtotal)]
    assert rows[-1] == ["", el.total_label, str(el.total)]


# ---- cards ------------------------------------------------------------------------------------------

def test_a_three_year_card_keeps_its_grid(opened):
    assert grid(card_table(opened, "1-3")) == oxml.widths_twips([30, 17, 17, 12, 46, 46])[:1] + \
        [oxml.twips(17), oxml.twips(34) - oxml.twips(17)] + \
        [round((FRAME_TW - oxml.twips(30)) / 3) - oxml.twips(34),
         round((FRAME_TW - oxml.twips(30)) * 2 / 3) - round((FRAME_TW - oxml.twips(30)) / 3),
         FRAME_TW - oxml.twips(30) - round((FRAME_TW - oxml.twips(30)) * 2 / 3)]


def _schedule_rows(tbl, label="実施工程表（スケジュール）"):
    rows = tbl.findall(f"{W}tr")
    start = next(i for i, tr in enumerate(rows) if text(row_cells(tr)[0][0]) == label)
    out = [rows[start]]
    for tr in rows[start + 1:]:
        vm = row_cells(tr)[0][0].find(f"{W}tcPr/{W}vMerge")
        if vm is None or vm.get(qn("w:val"), "continue") != "continue":
            break
        out.append(tr)
    return out


@pytest.mark.parametrize("number,years,per_row", [("1-1", 7, 4), ("1-2", 4, 4), ("1-3", 3, 3), ("1-4", 11, 4),
                                                  ("1-5", 1, 1)])
def test_card_schedules_wrap_after_five_columns(opened, number, years, per_row):
    tbl = card_table(opened, number)
    rows = _schedule_rows(tbl)
    pairs = -(-years // per_row)
    assert len(rows) == 2 * pairs
    first = row_cells(rows[0])[0][0].find(f"{W}tcPr/{W}vMerge")
    assert first is not None and first.get(qn("w:val")) == "restart"
    heads = []
    for k in range(pairs):
        head = row_cells(rows[2 * k])
        filled = min(per_row, years - k * per_row)
        assert len(head) - 1 == filled + (filled < per_row)  # a short last row: one empty cell fills it
        heads += [text(tc) for tc, _, _ in head[1:] if text(tc)]
        widths = [sum(grid(tbl)[at:at + span]) for _, at, span in head[1:1 + per_row]]
        assert max(widths) - min(widths) <= 2  # equal columns, however the title row divides the grid
    expected = [f"R{5 + k}年度" for k in range(years - (1 if number == "1-4" else 0))] + \
        (["R15年度～"] if number == "1-4" else [])
    assert heads == expected
    assert text(rows[1]).startswith("検討の実施ノベルティの配布" + ("導入" if years > 1 else ""))


def test_card_without_schedule_or_departments(opened):
    none = card_table(opened, "2-1")
    labels = [text(row_cells(tr)[0][0]) for tr in none.findall(f"{W}tr")]
    assert "実施工程表（スケジュール）" not in labels and "所管課" in labels
    no_departments = card_table(opened, "1-2")
    labels = [text(row_cells(tr)[0][0]) for tr in no_departments.findall(f"{W}tr")]
    assert "所管課" not in labels
    # the schedule sits where the plan puts it: second among the fields
    assert labels[:4] == ["事業番号", "現状と課題", "実施工程表（スケジュール）", ""]


def test_card_band_has_a_line_per_level_and_the_bookmark_on_the_last(opened):
    body = opened.element.body
    paragraphs = body.findall(f"{W}p")
    for number, band, first_style in (("1-1", BAND3, "Heading2"), ("1-2", BAND3, "帯"), ("1-3", BAND2, "帯")):
        mark = next(p for p in paragraphs if any(bm.get(qn("w:name")) == f"card_{number.replace('-', '_')}"
                                                 for bm in p.findall(f"{W}bookmarkStart")))
        lines = [mark]
        while len(lines) < len(band):
            lines.insert(0, lines[0].getprevious())
        assert [text(p) for p in lines] == list(band)
        styles = [opened.styles.element.get_by_id(style_of(p)).name_val for p in lines]
        assert styles[0] == {"Heading2": "heading 2", "帯": "帯"}[first_style]
        assert styles[1:] == (["帯中間", "帯項目"] if len(band) == 3 else ["帯項目"])
    single = next(p for p in paragraphs if any(bm.get(qn("w:name")) == "card_2_1" for bm in p.findall(f"{W}bookmarkStart")))
    names = {bm.get(qn("w:name")) for bm in single.findall(f"{W}bookmarkStart")}
    assert names == {"card_2_1", "policy_2"} and style_of(single) == "Heading2"


def test_running_heads_join_the_band_lines(opened):
    heads = {s.header.paragraphs[0].text for s in opened.sections}
    assert "　".join(BAND3) in heads and "　".join(BAND2) in heads


def test_card_tables_sit_in_the_cell_at_its_width(opened):
    tbl = card_table(opened, "1-1")
    columns = grid(tbl)
    content = sum(columns[1:]) - 2 * 80
    rows = {text(row_cells(tr)[0][0]): row_cells(tr) for tr in tbl.findall(f"{W}tr")}
    money_cell = rows["事業費"][1][0]
    kpi_cell = rows["成果指標"][1][0]
    for cell, table in ((money_cell, money_table()), (kpi_cell, kpi_table())):
        nested = cell.findall(f"{W}tbl")
        assert len(nested) == 1
        inner = nested[0]
        assert sum(grid(inner)) == content
        assert len(grid(inner)) == len(table.weights)
        trs = inner.findall(f"{W}tr")
        assert len(trs) == len(table.header) + len(table.rows)
        assert trs[0].find(f"{W}trPr/{W}tblHeader") is not None
        assert all(tr.find(f"{W}trPr/{W}tblHeader") is None for tr in trs[1:])
        for tr, data in zip(trs, table.header + table.rows):
            for (tc, _, span), c in zip(row_cells(tr), data):
                assert span == c.span and text(tc) == c.spans[0].text
                p = tc.find(f"{W}p")
                if c.head:
                    assert fill(tc) and style_of(p) in ("表見出し", "表見出し左")
                else:
                    assert fill(tc) is None
                    assert style_of(p) == {"left": "表セル", "right": "表セル右", "center": "表セル中央"}[c.align]
        children = [c for c in cell if c.tag in (f"{W}p", f"{W}tbl")]
        assert children[-1].tag == f"{W}p"  # a cell ends with a paragraph
    before = money_cell.find(f"{W}tbl").getprevious()
    assert text(before) == "（単位：千円）" and style_of(before) == "表単位"
    assert text(kpi_cell.find(f"{W}tbl").getprevious()) == "市民の利便性の向上を図る。"


def test_table_columns_widen_for_what_must_not_break(tmp_path):
    """Weights that would break 12,345,678 or a header get the room from the wide text column."""
    head = (cell("内容", head=True), cell("令和5年度予算額", head=True), cell("増減", head=True))
    rows = ((cell("電子申請システムの運用保守及び機能改修に係る経費" * 2), cell("12,345,678", align="right"),
             cell("+1,234", align="right")),)
    table = b.Table((head,), rows, (10, 1, 1))
    tbl = top_tables(write_one(tmp_path, table))[0]
    from docgen.docx.figure import text_width
    columns = grid(tbl)
    assert sum(columns) == FRAME_TW
    assert columns[1] >= text_width("令和5年度予算額", "heading", 9) * 20
    assert columns[2] >= text_width("+1,234", "body", 9) * 20
    assert columns[0] > columns[1]


def test_prose_table(opened):
    tbl = top_tables(opened)[0]
    el = prose_table()
    assert sum(grid(tbl)) == FRAME_TW
    ratios = [w / FRAME_TW for w in grid(tbl)]
    assert ratios[1] > ratios[0] and ratios[1] > ratios[2]
    trs = tbl.findall(f"{W}tr")
    assert trs[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert [text(tc) for tc, _, _ in row_cells(trs[0])] == ["区分", "内容", "件数"]
    total = row_cells(trs[-1])
    assert [(text(tc), span) for tc, _, span in total] == [("合計", 2), (el.rows[-1][1].spans[0].text, 1)]
    assert style_of(total[1][0].find(f"{W}p")) == "表セル右"
    before = tbl.getprevious()
    assert text(before) == "（単位：件）" and style_of(before) == "表単位"
    after = tbl.getnext()
    assert style_of(after) == "表後" and text(after.getnext()).startswith("表の後の段落です。")


# ---- references and headings ------------------------------------------------------------------------

def test_references_link_to_the_card_and_give_its_page(opened):
    body = opened.element.body
    links = [(h.get(qn("w:anchor")), text(h)) for h in body.iter(f"{W}hyperlink")
             if h.get(qn("w:anchor")) == "card_1_2"]
    assert ("card_1_2", "1-2「マイナンバーカード交付・取得促進事業」") in links  # prose
    assert ("card_1_2", "1-2「行政手続のオンライン化」") in links  # a card's field
    for h in body.iter(f"{W}hyperlink"):
        if h.get(qn("w:anchor")) != "card_1_2" or not text(h).startswith("1-2「"):
            continue
        after = []
        for sib in h.itersiblings():
            after.append(sib)
            if len(after) == 6:
                break
        instr = "".join(i.text for s in after for i in s.iter(f"{W}instrText"))
        assert "PAGEREF card_1_2 \\h" in instr
        assert text(after[0]) == "（" and text(after[-1]) == "頁）"
    bookmarks = {bm.get(qn("w:name")) for bm in body.iter(f"{W}bookmarkStart")}
    assert "card_1_2" in bookmarks
    # a reference to a card this file does not hold is plain text, with no page number
    assert not [h for h in body.iter(f"{W}hyperlink") if h.get(qn("w:anchor")) == "card_9_9"]
    assert "前計画の9-9「廃止した事業」は載せていません。" in text(body)


def test_prose_third_level_is_a_heading_apart_from_the_cards(opened):
    styles = {p.text: p.style.name for p in opened.paragraphs if p.text}
    assert styles["（1）計画期間"] == "小見出し"
    assert styles["1.1 計画の位置づけ"] == "Heading 2"
    heading3 = [p for p in opened.element.body.iter(f"{W}p") if style_of(p) == "Heading3"]
    assert len(heading3) == len(CARDS)  # the cards' names, and nothing else
    sub = opened.styles["小見出し"].element
    assert sub.find(f"{W}pPr/{W}outlineLvl").get(qn("w:val")) == "2"  # level 3 in the navigation pane
    instr = " ".join(t.text for t in opened.element.body.iter(f"{W}instrText"))
    assert 'TOC \\o "1-2" \\h \\z \\u' in instr
    toc = [p.text for p in opened.paragraphs if p.style.name.startswith("toc")]
    assert "1.1 計画の位置づけ" in toc and "（1）計画期間" not in toc


# ---- the package ------------------------------------------------------------------------------------

def test_every_style_used_is_defined_and_properties_in_order(written):
    from lxml import etree

    with zipfile.ZipFile(written) as z:
        root = etree.fromstring(z.read("word/document.xml"))
        styles = etree.fromstring(z.read("word/styles.xml"))
    defined = {s.get(qn("w:styleId")) for s in styles.iter(f"{W}style")}
    used = {el.get(qn("w:val")) for tag in ("pStyle", "rStyle", "tblStyle") for el in root.iter(f"{W}{tag}")}
    assert used and used <= defined, used - defined
    order = {"tcPr": ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "tcMar", "vAlign"],
             "tblPr": ["tblStyle", "tblW", "jc", "tblLayout", "tblCellMar", "tblLook"]}
    for tag, names in order.items():
        for parent in root.iter(f"{W}{tag}"):
            seen = [c.tag.split("}")[1] for c in parent]
            known = [n for n in seen if n in names]
            assert known == sorted(known, key=names.index) and len(seen) == len(set(seen)), seen


def test_the_same_tree_gives_the_same_bytes(written, tmp_path):
    again = tmp_path / "again.docx"
    write_docx(booklet(), again)
    assert again.read_bytes() == written.read_bytes()


def test_widths_are_computed_not_assumed():
    """The writer's own arithmetic on extreme shapes: never a width of zero or less."""
    writer = WordWriter(document(()))
    for years in range(1, 11):
        for parts in ((), HALVES, QUARTERS, ("1", "2", "3", "4")):
            widths, _ = writer.system_widths(system_table(years, parts))
            assert min(widths) > 0 and abs(sum(widths) - FRAME_W) < 1e-6, (years, parts)
    for years in range(0, 12):
        grid_tw, edges, _ = writer.card_grid(card("9-1", years, BAND2, tables=False))
        assert min(grid_tw) > 0 and sum(grid_tw) == FRAME_TW and edges[0] == 0


# ---- what LibreOffice prints ------------------------------------------------------------------------

def _page_of(pages: list[str], needle: str) -> int:
    """The printed page number (the footer's - N -) of the first page holding ``needle``."""
    for page in pages:
        if needle in squash(page):
            return int(re.search(r"^\s*-\s*(\d+)\s*-\s*$", page, re.M).group(1))
    raise AssertionError(needle)


def test_printed_references_name_the_cards_page(printed):
    page = _page_of(printed, "1-2事業名")
    text_all = squash("".join(printed))
    assert f"1-2「マイナンバーカード交付・取得促進事業」（{page}頁）" in text_all
    assert f"1-2「行政手続のオンライン化」（{page}頁）" in text_all
    assert "9-9「廃止した事業」は" in text_all


def test_printed_system_tables_and_cards(printed):
    text_all = squash("".join(printed))
    for needle in ("R5R6R7R8R9R10～", "第1第2第3第4第1", "四半期四半期四半期", "R11～", "R13～", "R15～", "1)手続のオンライン化1", "（単位：千円）",
                   "5,000件", "R15年度～", "合計1,200", "R11年度"):
        assert needle in text_all, needle
    for number in CARDS:
        assert f"{number}事業名" in text_all, number


def test_printed_pages_hold_each_card_on_its_own(printed):
    starts = [_page_of(printed, f"{n}事業名") for n in CARDS]
    assert starts == sorted(set(starts))
