"""The PDF renderer on booklet trees of other plan shapes, built by hand (not from content):
hierarchies of 1–3 levels, yearly / half-year / quarterly schedule grids of 2–10 years, cards with
tables and long schedules, prose tables, and cross-references forwards and backwards."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from docgen import booklet as b
from docgen.pdf.styles import FRAME_W, MARGIN_INNER, MARGIN_OUTER, MARGIN_TOP
from docgen.pdf.tables import _geometry
from docgen.pdf.writer import write_pdf

from .pdfutil import outline_titles, pages_text, squash

ACCENT = "#1F4E79"
PHASES = ("検討", "設計・構築", "試行", "本格運用")


# ---- building trees ---------------------------------------------------------------------------------

def _p(*parts) -> b.Para:
    """A paragraph from strings and (text, ref) pairs."""
    return b.Para(tuple(b.Span(p) if isinstance(p, str) else b.Span(p[0], ref=p[1]) for p in parts))


def _cell(text: str, align: str = "left", head: bool = False, span: int = 1, ref: str = "") -> b.TableCell:
    return b.TableCell((b.Span(text, ref=ref),), span=span, align=align, head=head)


def years(n: int) -> tuple[str, ...]:
    return tuple(f"R{5 + k}" for k in range(n))


def bars_for(cells: int, k: int) -> tuple[b.Bar, ...]:
    """Four phases spread over the grid, shifted a little per project; the last project's work
    starts in the continuation column."""
    if k % 5 == 4:
        return (b.Bar(PHASES[3], cells, cells),)
    cuts = sorted({min(cells - 1, max(0, round(cells * f) + k % 3 - 1)) for f in (0.15, 0.4, 0.7)})
    starts = [0] + [c + 1 for c in cuts if c + 1 < cells]
    out = []
    for i, start in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else cells - 1 + (k % 2)  # odd k: into R…～
        out.append(b.Bar(PHASES[i % len(PHASES)], start, end))
    return tuple(out)


def number(path: tuple[int, ...], k: int, style: str) -> str:
    return f"{'ABCDEF'[path[0] - 1]}-{k:02d}" if style == "letters" else "-".join(map(str, path + (k,)))


def system(n_years: int, parts: tuple[str, ...], depth: int = 2, groups: int = 2, per_group: int = 3,
           numbers: str = "dashes") -> b.SystemTable:
    """A system table over a hierarchy ``depth`` levels deep (each group has two subgroups)."""
    cells = n_years * max(1, len(parts))
    rows: list = []
    counter = 0

    def walk(path: tuple[int, ...], level: int):
        nonlocal counter
        label = f"基本方針{path[0]}" if level == 0 else (f"（{path[-1]}）" if level == 1 else "-".join(map(str, path)))
        title = ["市民サービスのデジタル化と窓口の利便性向上", "業務の効率化", "情報基盤の整備と人材育成"][level % 3]
        rows.append(b.GroupRow(level, label, title, "基本方針の説明文がここに入ります。" if level == 0 else ""))
        if level + 1 < depth:
            for j in (1, 2):
                walk(path + (j,), level + 1)
            return
        for k in range(1, per_group + 1):
            counter += 1
            num = number(path, k, numbers)
            rows.append(b.ProjectRow(num, k == 1, f"事業{num}の名称（オンライン申請の拡充）", bars_for(cells, counter),
                                     counter % 3 == 0, f"card-{num}", "新規" if counter == 2 else "",
                                     counter == 5))
    for g in range(1, groups + 1):
        walk((g,), 0)
    return b.SystemTable(years(n_years), parts, "☆", "継続", f"R{5 + n_years}～",
                         ("事業番号", "重点取組", "個別事業名", "スケジュール"), tuple(rows), depth)


def money_table() -> b.Table:
    head = (_cell("区分", head=True), _cell("R5", head=True), _cell("R6", head=True), _cell("R7", head=True))
    rows = ((_cell("事業費", head=True), _cell("1,200", "right"), _cell("3,450", "right"), _cell("980", "right")),
            (_cell("うち国庫補助", head=True), _cell("600", "right"), _cell("1,725", "right"), _cell("–", "right")))
    return b.Table((head,), rows, (2, 1, 1, 1), "（単位：千円）")


def kpi_table() -> b.Table:
    head = (_cell("指標", head=True), _cell("現状値（R4）", head=True), _cell("目標値（R9）", head=True))
    rows = ((_cell("オンライン申請できる手続の数"), _cell("12件", "right"), _cell("120件", "right")),
            (_cell("電子申請の利用率"), _cell("8.5%", "right"), _cell("50%", "right")))
    return b.Table((head,), rows, (3, 1, 1))


def card(num: str, band: tuple[str, ...], schedule_years: int = 3, departments: str = "情報政策課",
         heading: b.Heading | None = None, extra: tuple = ()) -> b.Card:
    labels = {"事業番号": "事業番号", "事業名": "事業名", "所管課": "所管課", "状況": "状況", "続き": "（続き）"}
    sched_years = tuple(f"R{5 + k}年度" for k in range(schedule_years)) + (f"R{5 + schedule_years}年度～",)
    yearly = tuple((f"{PHASES[k % 4]}（{y}）", "説明会の実施") for k, y in enumerate(sched_years))
    fields = (
        b.CardField("現状と課題", (_p("窓口での手続は紙の申請書によるものが多く、来庁の負担がある。"),)),
        b.CardField("事業費", (money_table(),)),
        b.CardSchedule("実施工程表", sched_years, yearly),
        b.CardField("成果指標（KPI）", (_p("次の指標で進捗を確認する。"), kpi_table())),
    ) + extra
    return b.Card(f"card-{num}", num, f"事業{num}の名称", "【重点取組事項】", band, labels, departments, fields,
                  (), "※", "・・・", heading)


def document(body: list, front: bool = True) -> b.Document:
    fr = (b.Cover("テスト計画", "（案）", "令和5(2023)年3月", "テスト市", ACCENT), b.PageBreak(),
          b.Contents("目次"), b.PageBreak()) if front else ()
    return b.Document("shapes", "テスト計画", "テスト市", "テスト", "ja-JP", 2023, 3, fr, tuple(body), ACCENT)


# ---- reading the output -------------------------------------------------------------------------------

def boxes(path: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """(xMin, yMin, xMax, yMax, text) of every word on a page (1-based), from ``pdftotext -bbox``."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
                         check=True, capture_output=True, text=True).stdout
    number = r'"([\d.]+)"'
    found = re.findall(rf'<word xMin={number} yMin={number} xMax={number} yMax={number}>([^<]*)</word>', out)
    return [(float(a), float(b_), float(c), float(d), html.unescape(t)) for a, b_, c, d, t in found]


def overlapping(words) -> list[tuple[str, str]]:
    """Pairs of words whose boxes overlap (by more than a hair: glyph boxes of neighbours touch)."""
    out = []
    for i, (x0, y0, x1, y1, t) in enumerate(words):
        for u0, v0, u1, v1, s in words[i + 1:]:
            if min(x1, u1) - max(x0, u0) > 0.3 and min(y1, v1) - max(y0, v0) > 0.5:
                out.append((t, s))
    return out


def page_of_card(pages: list[str], num: str) -> int:
    """Index of the page where the card ``num`` starts."""
    return next(i for i, p in enumerate(pages) if f"事業番号{num}" in squash(p) and "（続き）" not in p)


def label_of(path: Path, index: int) -> str:
    return PdfReader(path).page_labels[index]


def write(doc: b.Document, path: Path) -> Path:
    write_pdf(doc, path)
    return path


# ---- the system table ----------------------------------------------------------------------------------

SHAPES = {
    "5-year-yearly": dict(n_years=5, parts=()),
    "3-year-halves": dict(n_years=3, parts=("上期", "下期")),
    "2-year-quarters": dict(n_years=2, parts=("第1四半期", "第2四半期", "第3四半期", "第4四半期")),
    "10-year-quarters": dict(n_years=10, parts=("1Q", "2Q", "3Q", "4Q"), numbers="letters"),
    "10-year-yearly": dict(n_years=10, parts=()),
    "1-year-months": dict(n_years=1, parts=tuple(f"{m}月" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3))),
    "3-levels": dict(n_years=3, parts=("上期", "下期"), depth=3),
    "1-level": dict(n_years=4, parts=(), depth=1),
}


@pytest.mark.parametrize("shape", list(SHAPES))
def test_system_table_of_any_period_has_no_overprinting(shape, tmp_path):
    table = system(**SHAPES[shape])
    path = write(document([b.Heading(1, "2. 施策の体系", "ch-2"), table]), tmp_path / "s.pdf")
    pages = pages_text(path)
    text = squash("".join(pages))
    for year in table.years + (table.beyond,):
        assert year in text, year
    names = ""  # the name column, read line by line (the bar labels beside them are not in it)
    for page in range(3, len(PdfReader(path).pages) + 1):
        words = boxes(path, page)
        widths = _geometry(table).widths
        left = (MARGIN_INNER if page % 2 else MARGIN_OUTER) + widths[0] + widths[1]
        right = left + widths[2]
        names += "".join(t for x0, _, _, _, t in sorted(words, key=lambda w: (round(w[1]), w[0]))
                         if left < x0 < right)
    for row in table.rows:
        if isinstance(row, b.GroupRow):
            assert squash(row.title) in text
        else:
            assert squash(row.name) in names, row.name
    # the body pages: no two words overprint, none is out of the frame
    for page in range(3, len(PdfReader(path).pages) + 1):
        words = boxes(path, page)
        assert overlapping(words) == [], page
        left = MARGIN_INNER if page % 2 else MARGIN_OUTER
        assert [t for x0, _, x1, _, t in words if x0 < left - 0.5 or x1 > left + FRAME_W + 0.5] == [], page


def test_parts_header_is_shown_and_a_long_grid_is_set_as_tables_of_consecutive_years(tmp_path):
    quarters = ("1Q", "2Q", "3Q", "4Q")
    wide = write(document([system(2, quarters)]), tmp_path / "w.pdf")
    narrow = write(document([system(10, quarters)]), tmp_path / "n.pdf")
    words = [t for *_, t in boxes(wide, 3)]
    assert words.count("1Q") == 2 and words.count("4Q") == 2  # under each of the two years
    # ten years by quarters would be forty 2 mm cells: five tables of two years instead, each with
    # its quarters named, each but the last ending in the next table's first year
    words = [t for page in range(3, len(PdfReader(narrow).pages) + 1) for *_, t in boxes(narrow, page)]
    assert words.count("1Q") >= 10 and "R14" in words
    ends = [w.replace(" ", "") for w in words if w.replace(" ", "").endswith("～")]
    assert sorted(set(ends), key=lambda w: int(w[1:-1])) == ["R7～", "R9～", "R11～", "R13～", "R15～"]
    # a name too long for one line breaks between its phrases (第1／四半期, not 第1四／半期)
    long_names = ("第1四半期", "第2四半期", "第3四半期", "第4四半期")
    words = boxes(write(document([system(2, long_names)]), tmp_path / "l.pdf"), 3)
    first = [((x0 + x1) / 2, y0) for x0, y0, x1, _, t in words if t == "第1"]
    below = [((x0 + x1) / 2, y0) for x0, y0, x1, _, t in words if t == "四半期"]
    assert len(first) == 2 and len(below) == 8
    assert all(any(abs(x - u) < 1 and v > y for u, v in below) for x, y in first)  # centred under it
    # ten years of such quarters: tables of two years, wide enough for 第1／四半期 under each year
    ten = write(document([system(10, long_names)]), tmp_path / "l10.pdf")
    words = [t for page in range(3, len(PdfReader(ten).pages) + 1) for *_, t in boxes(ten, page)]
    assert words.count("第1") >= 10 and {"R5", "R14"} <= set(words)


def one_project(n_years: int, parts: tuple[str, ...], bars: tuple[b.Bar, ...]) -> b.SystemTable:
    return b.SystemTable(years(n_years), parts, "☆", "継続", f"R{5 + n_years}～", ("事業番号", "重点取組", "個別事業名", ""),
                         (b.GroupRow(0, "第1章", "暮らし"), b.ProjectRow("1", False, "窓口", bars, False, "card-1")), 1)


def test_phase_labels_that_do_not_fit_their_bar_are_named_under_the_project(tmp_path):
    bars = tuple(b.Bar(label, k, k) for k, label in enumerate(PHASES))  # one cell each
    narrow = write(document([one_project(10, ("1Q", "2Q", "3Q", "4Q"), bars)]), tmp_path / "n.pdf")
    # one-cell bars (a quarter each): 設計・構築 does not fit inside its bar, so the row's phases are
    # listed under its name instead
    words = boxes(narrow, 3)
    assert "検討→設計・構築→試行→本格運用" in squash(pages_text(narrow)[2])
    grid = min(x0 for x0, _, _, _, t in words if t == "R5") - 10  # where the schedule grid starts
    assert not [t for x0, _, _, _, t in words if x0 > grid and t in ("設計・構築", "本格運用")]
    wide = tuple(b.Bar(label, 2 * k, 2 * k + 1) for k, label in enumerate(PHASES))  # a year each
    roomy = write(document([one_project(4, ("上期", "下期"), wide)]), tmp_path / "r.pdf")
    words = [t for *_, t in boxes(roomy, 3)]
    assert set(PHASES) <= set(words) and not [w for w in words if "→" in w]


def test_three_level_rows_are_set_in_by_level(tmp_path):
    path = write(document([system(3, ("上期", "下期"), depth=3, groups=1)]), tmp_path / "s.pdf")
    words = boxes(path, 3)
    x = {}
    for x0, _, _, _, t in words:
        x.setdefault(t, x0)
    # 基本方針 1 / （1）業務の効率化 / 1-1-1 情報基盤…: the third level is set in
    assert x["基本方針"] == pytest.approx(x["（1）業務の効率化"], abs=1)
    assert x["1-1-1"] > x["（1）業務の効率化"] + 5


# ---- the count table --------------------------------------------------------------------------------------

def test_count_table_has_a_column_per_level(tmp_path):
    groups = (b.CountGroup("基本方針1", (b.CountRow(("（1）窓口", "1-1-1 申請"), 3), b.CountRow(("", "1-1-2 納付"), 2)), 5),
              b.CountGroup("基本方針2", (b.CountRow(("（1）業務", "2-1-1 電子決裁"), 4),), 4))
    table = b.CountTable(("基本方針", "項目", "小項目", "事業数"), groups, "小計", "合計", 9)
    path = write(document([table]), tmp_path / "c.pdf")
    words = boxes(path, 3)
    left, top = {}, {}
    for x0, y0, _, _, t in words:
        left.setdefault(t, x0)
        top.setdefault(t, y0)
    # four columns side by side, the labels of the levels below the top in their own columns
    assert left["基本方針"] < left["項目"] < left["小項目"] < left["事業数"]
    assert top["基本方針"] == top["項目"] == top["小項目"] == top["事業数"]
    assert left["（1）窓口"] == pytest.approx(left["（1）業務"]) and left["（1）窓口"] < left["1-1-1"]
    assert left["1-1-1"] == pytest.approx(left["2-1-1"]) and left["1-1-1"] < left["5"]
    assert overlapping(words) == []
    def beside(label):  # the word right of ``label`` on its line
        y = top[label]
        return min((x0, t) for x0, y0, _, _, t in words if abs(y0 - y) < 2 and x0 > left[label])[1]
    assert beside("小計") == "5" and beside("合計") == "9"


# ---- cards ----------------------------------------------------------------------------------------------

def test_card_with_tables_and_a_seven_year_schedule(tmp_path):
    band = ("第1章　暮らし", "（1）窓口のデジタル化", "1-1-2 申請のオンライン化")
    c = card("1-1-2-3", band, schedule_years=7, departments="")
    path = write(document([b.Heading(1, "3. 個別事業", "ch-3"), c]), tmp_path / "c.pdf")
    pages = pages_text(path)
    text = squash("".join(pages))
    for cell in ("（単位：千円）", "1,200", "3,450", "うち国庫補助", "電子申請の利用率", "50%", "目標値（R9）"):
        assert squash(cell) in text, cell
    assert "所管課" not in text  # the plan's cards have no 所管課 row
    # 8 columns (7 years and R12年度～) in two rows of four
    words = boxes(path, 3)
    heads = {}  # R5 → (x, y) of a year header: "R5" followed by "年度" on the same line
    for (x0, y0, _, _, t), (_, v0, _, _, u) in zip(words, words[1:]):
        if re.fullmatch(r"R\d+", t) and u in ("年度", "年度～") and v0 == y0:
            heads[t] = (x0, y0)
    assert len(heads) == 8, heads
    assert heads["R5"][1] == heads["R8"][1] < heads["R9"][1] == heads["R12"][1]
    assert heads["R5"][0] == pytest.approx(heads["R9"][0], abs=1)  # the columns line up
    assert heads["R5"][0] < heads["R6"][0] < heads["R7"][0] < heads["R8"][0]
    # the running head (above the frame): the band's three lines
    head = "".join(t for _, y0, _, _, t in words if y0 < MARGIN_TOP)
    assert head == "第1章暮らし（1）窓口のデジタル化1-1-2申請のオンライン化"
    assert overlapping(words) == []


def test_money_table_numbers_are_right_aligned(tmp_path):
    path = write(document([card("1-1", ("基本方針1　暮らし", "（1）窓口"))]), tmp_path / "c.pdf")
    words = boxes(path, 3)
    right = {t: x1 for _, _, x1, _, t in words}
    assert right["1,200"] == pytest.approx(right["600"], abs=0.5)  # one column, flush right
    assert right["3,450"] == pytest.approx(right["1,725"], abs=0.5)


# ---- prose: tables, headings, cross-references --------------------------------------------------------

def prose_table(rows: int) -> b.Table:
    head = ((_cell("区分", head=True), _cell("内容", head=True), _cell("件数", head=True)),)
    body = tuple((_cell(f"区分{k}"), _cell("オンラインで申請できる手続を増やし、来庁しなくても済むようにする。"),
                  _cell(f"{k * 7}件", "right")) for k in range(rows))
    return b.Table(head, body, (1, 4, 1), "（単位：件）")


def test_prose_table_repeats_its_header_on_each_page(tmp_path):
    path = write(document([b.Heading(1, "1. 概要", "ch-1"), _p("次の表のとおり。"), prose_table(60)]), tmp_path / "t.pdf")
    pages = pages_text(path)
    assert len(pages) > 4
    body = [squash(p) for p in pages[2:] if p.strip()]
    assert all("区分内容件数" in p for p in body), body
    assert "区分59" in body[-1] and "413件" in body[-1] and "（単位：件）" in body[0]


def test_refs_print_the_page_of_the_card_forwards_and_backwards(tmp_path):
    cards = [card(f"2-{k}", ("基本方針2　業務", f"（{k}）効率化"), extra=(
        b.CardField("関連", (_p("あわせて", ("1-1「窓口」", "card-1-1"), "を参照。"),)),) if k == 3 else ())
        for k in (1, 2, 3)]
    body = [b.Heading(1, "1. 概要", "ch-1"),
            _p("詳しくは", ("2-3「業務」", "card-2-3"), "のとおり。"),  # forwards
            b.Table(((_cell("事業", head=True),),), ((_cell("2-2「業務」", ref="card-2-2"),),), (1,)),
            b.PageBreak(), b.Heading(1, "2. 個別事業", "ch-2"),
            card("1-1", ("基本方針1　暮らし", "（1）窓口")), b.PageBreak()]
    for c in cards:
        body += [c, b.PageBreak()]
    body += [b.Heading(1, "3. 資料", "ch-3"), _p("前掲の", ("2-1「業務」", "card-2-1"), "を参照。")]  # backwards
    path = write(document(body), tmp_path / "r.pdf")
    pages = pages_text(path)
    label = {num: label_of(path, page_of_card(pages, num)) for num in ("1-1", "2-1", "2-2", "2-3")}
    assert len(set(label.values())) == 4
    text = squash("".join(pages))
    assert f"2-3「業務」（{label['2-3']}頁）" in text
    assert f"2-2「業務」（{label['2-2']}頁）" in text
    assert f"1-1「窓口」（{label['1-1']}頁）" in text
    assert f"2-1「業務」（{label['2-1']}頁）" in text
    # and they are links to the card's page
    reader = PdfReader(path)
    targets = set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                targets.add(reader.get_destination_page_number(reader.named_destinations[dest])
                            if isinstance(dest, str) else reader.get_page_number(dest[0].get_object()))
    assert {page_of_card(pages, n) for n in label} <= targets
    # the same tree gives the same bytes
    again = write(document(body), tmp_path / "r2.pdf")
    assert hashlib.sha256(path.read_bytes()).digest() == hashlib.sha256(again.read_bytes()).digest()


def test_forward_refs_from_many_pages_print_the_final_page(tmp_path):
    """Forward references over several pages of prose to a card on page 15: the first pass's
    placeholder is narrower than the number, and the pass that prints it still finds the card there."""
    filler = [_p("本文" * 40) for _ in range(12)]
    body = [b.Heading(1, "1. 概要", "ch-1")] + filler
    body += [_p("本文" * 30, ("9-9「事業」", "card-9-9")) for _ in range(14)]
    body += [b.PageBreak()] + [x for k in range(12) for x in (card(f"8-{k}", ("基本方針8　a", "（1）b")), b.PageBreak())]
    body += [card("9-9", ("基本方針9　a", "（1）b"))]
    path = write(document(body), tmp_path / "m.pdf")
    pages = pages_text(path)
    label = label_of(path, page_of_card(pages, "9-9"))
    assert label == "15"
    assert squash("".join(pages)).count(f"9-9「事業」（{label}頁）") == 14


def test_sub_headings_in_prose_are_bookmarked_and_keep_the_running_head(tmp_path):
    body = [b.Heading(1, "1. 概要", "ch-1"), _p("本文。"),
            b.Heading(2, "1.1 計画の目的", "s-1"), _p("本文。"),
            b.Heading(3, "（1）背景", "s-1-1", toc=False), _p("本文。"),
            b.PageBreak(), card("1-1", ("基本方針1　暮らしの窓口", "（1）窓口")),
            b.Heading(2, "この事業の補足", "s-2"), _p("補足の本文。" * 600),
            b.PageBreak(), b.Heading(1, "2. 資料", "ch-2"), b.Heading(3, "（1）用語", "s-2-1", toc=False),
            _p("本文。")]
    path = write(document(body), tmp_path / "h.pdf")
    titles = outline_titles(PdfReader(path))
    assert {"1.1 計画の目的", "（1）背景", "（1）用語", "1-1 事業1-1の名称"} <= set(titles)
    pages = pages_text(path)
    assert "1.1 計画の目的" in pages[1]  # in the 目次, the ### is not
    assert "（1）背景" not in pages[1]
    # the ## after the card leaves the card's band as the running head of the pages it runs onto;
    # the next chapter clears it
    after = [squash(p) for p in pages if "補足の本文" in p]
    assert len(after) >= 2 and all(p.startswith("基本方針1暮らしの窓口（1）窓口") for p in after)
    assert "基本方針1" not in pages[-2]  # (the last is empty: pdftotext ends with a form feed)
    # a ### is set smaller than a ##
    words = boxes(path, 3)
    height = {t: y1 - y0 for _, y0, _, y1, t in words}
    assert height["（1）背景"] < height["1.1"]


def test_a_long_contents_runs_onto_further_pages_and_the_body_still_starts_on_a_right_page(tmp_path):
    body = []
    for c in range(1, 9):
        body += [b.Heading(1, f"{c}. 章{c}", f"ch-{c}"), _p("本文。")]
        for k in range(1, 7):
            body += [b.Heading(2, f"{c}.{k} 節{c}-{k}", f"s-{c}-{k}"), _p("本文。" * 50)]
        body.append(b.PageBreak())
    path = write(document(body), tmp_path / "t.pdf")
    pages = pages_text(path)
    labels = PdfReader(path).page_labels
    assert labels[:5] == ["i", "ii", "iii", "iv", "1"]  # cover, 目次 ×2, a blank page, then page 1 (odd)
    assert "1.1節1-1" in squash(pages[1]) and "8.6節8-6" in squash(pages[2]) and pages[3].strip() == ""
    last = next(i for i, p in enumerate(pages) if i > 3 and "8.6節8-6" in squash(p))
    layout = subprocess.run(["pdftotext", "-layout", "-f", "3", "-l", "3", str(path), "-"], capture_output=True,
                            text=True, check=True).stdout
    assert re.search(rf"^\s*8\.6 節 ?8-6\s+{labels[last]}$", layout, flags=re.M), layout
    words = boxes(path, 3)  # the continued 目次 stays in the frame of its (odd) page
    assert min(x0 for x0, *_ in words) >= MARGIN_INNER - 0.5
    assert max(x1 for _, _, x1, _, _ in words) <= MARGIN_INNER + FRAME_W + 0.5


def test_a_row_whose_repeated_label_is_taller_than_the_room_left_is_not_split_there():
    """A card row split across pages shows its label again on both parts.  When the label alone is
    taller than the room left on the page, the row moves to the next page whole instead: the first
    part must fit (found by the generated layouts of make fuzz: a 10-year 半期 plan with long names
    stopped with reportlab's LayoutError, Splitting error(n==2))."""
    from docgen.pdf.fonts import register
    from docgen.pdf.styles import CELL, CELL_LABEL
    from docgen.pdf.table import Cell, Grid, Row
    from docgen.pdf.text import TextBlock

    register()
    label = TextBlock((b.Span("実施工程表（スケジュール）の長い見出しが幾行にも渡る場合" * 2),), CELL_LABEL)
    body = TextBlock((b.Span("本文の行がいくつも続きます。" * 400),), CELL)
    row = Row([Cell([label], repeat=True), Cell([body])])
    grid = Grid([40.0, 400.0], [row])
    label_h = label.wrap(40.0 - 8.0, 1e9)[1] + 6.0
    room = label_h - 10.0  # enough for some body lines, not for the label
    parts = grid.split(440.0, room)
    for part in parts[:1]:
        assert part.wrap(440.0, room)[1] <= room + 1e-6
    assert parts == [] or len(parts) == 2
