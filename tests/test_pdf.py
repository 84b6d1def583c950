"""The printed booklet, checked on the built PDF itself."""

from __future__ import annotations

import hashlib
import re

import pytest
from pypdf import PdfReader

from docgen import jchars
from docgen.build import build
from docgen.errors import ContentError

from .conftest import CONTENT, MINI
from .pdfutil import column_texts, outline_titles, pages_text, pdffonts, pdftotext, squash


@pytest.fixture(scope="session")
def built(tmp_path_factory, plan):
    out = tmp_path_factory.mktemp("booklet")
    paths = build(CONTENT, out, ("pdf",))
    return {"booklet": paths[0], "briefing": paths[1], "dir": out}


@pytest.fixture(scope="session")
def pages(built):
    return pages_text(built["booklet"])


def test_only_embedded_biz_ud_fonts(built):
    for path in (built["booklet"], built["briefing"]):
        fonts = pdffonts(path)
        assert fonts, "no fonts listed"
        for font in fonts:
            assert font["emb"] == "yes" and font["sub"] == "yes", font
            assert re.match(r"^[A-Z]{6}\+BIZUDP?(Mincho|Gothic)", font["name"]), font


def test_every_project_number_and_name_is_in_the_text(plan, pages):
    body = squash("".join(pages))
    for project in plan.projects:
        assert squash(project.name) in body, project.name
        assert re.search(rf"(?<![\d-]){re.escape(project.number)}(?![\d-])", "".join(pages)), project.number


def test_every_glossary_term_is_in_the_text(plan, pages):
    body = squash("".join(pages))
    for term in plan.glossary:
        assert squash(term.term) in body, term.term
        assert squash(term.definition)[:30] in body, term.term


def test_ampersand_text_renders_as_written(pages):
    assert "Information&Communication Technology" in "".join(pages).replace("\n", " ")


def test_contents_pages_match_headings(built, pages):
    reader = PdfReader(built["booklet"])
    labels = reader.page_labels
    # in layout mode pdftotext keeps each entry and its page number on one line (the leaders are drawn)
    layout = pdftotext(built["booklet"], 2, 2, layout=True)
    entries = [(title.strip(), num) for title, num in re.findall(r"^\s*(\S.*?)\s+(\d+)$", layout, flags=re.M)]
    assert len(entries) >= 9, layout
    for title, number in entries:
        index = labels.index(number)
        lines = [line for line in pages[index].splitlines() if line.strip()]
        if not squash(title).startswith("【"):  # chapters and 基本方針 open their page
            top = squash("".join(lines[:4]))
            assert squash(title) in top, f"{title} is not at the top of page {number}: {lines[:4]}"
        else:
            assert squash(title) in squash(pages[index]), f"{title} not on page {number}"


def test_outline_has_chapters_policies_and_every_project(plan, built):
    titles = outline_titles(PdfReader(built["booklet"]))
    assert len(titles) >= 4 + len(plan.projects)
    for project in plan.projects:
        assert f"{project.number} {project.name}" in titles


def test_metadata_and_page_labels(plan, built):
    reader = PdfReader(built["booklet"])
    info = reader.metadata
    assert info.title.startswith(plan.meta.title)
    assert info.author == plan.meta.municipality
    assert plan.meta.title in info.subject
    assert reader.trailer["/Root"]["/Lang"] == "ja-JP"
    labels = reader.page_labels
    assert labels[0] == "i" and labels[2] == "1"


def test_printed_page_numbers_match_page_labels(built, pages):
    labels = PdfReader(built["booklet"]).page_labels
    for index in range(2, len(pages) - 1):
        assert f"- {labels[index]} -" in pages[index], index


def _lines(pages):
    for page in pages:
        for line in page.splitlines():
            line = line.strip()
            if line:
                yield line


def test_no_line_starts_or_ends_against_kinsoku(pages):
    # a line may start with ・ only as a bullet marker (a middle dot in running text never starts a line)
    bad = [line for line in _lines(pages)
           if line[0] in jchars.NOT_AT_LINE_START - {"・"} or line[-1] in jchars.NOT_AT_LINE_END]
    assert bad == []


def test_no_latin_word_is_split(plan, pages):
    words = set()
    for project in plan.projects:
        for text in (project.name, *(v.plain() for v in project.values.values() if hasattr(v, "plain")),
                     " ".join(sum(project.schedule.yearly.values(), []))):
            words |= set(re.findall(r"[A-Za-z][A-Za-z0-9&\-]*", text))
    for term in plan.glossary:
        words |= set(re.findall(r"[A-Za-z][A-Za-z0-9&\-]*", term.term + " " + term.definition))
    found = set()
    for line in _lines(pages):
        found |= set(re.findall(r"[A-Za-z][A-Za-z0-9&\-]*", line))
    fragments = sorted(w for w in found if w not in words and not any(w in v for v in ("ROMAN",)))
    # every Latin token on the page is a whole word of the content (or of a fixed label)
    assert [w for w in fragments if any(w != v and (v.startswith(w) or v.endswith(w)) for v in words)] == []


def test_same_content_gives_byte_identical_pdf(tmp_path):
    a = build(MINI, tmp_path / "a", ("pdf",))
    b = build(MINI, tmp_path / "b", ("pdf",))
    for x, y in zip(a, b):
        assert hashlib.sha256(x.read_bytes()).digest() == hashlib.sha256(y.read_bytes()).digest()


def test_long_field_continues_on_next_page(mini, tmp_path):
    path = mini / "projects" / "1-2.yaml"
    long = "。".join(["窓口での支払いは現金のみで、利用者の利便性に課題がある"] * 230)
    assert len(long) >= 6000
    text = path.read_text(encoding="utf-8").replace("  現金のみ。", "  " + long + "。")
    path.write_text(text, encoding="utf-8")
    out = build(mini, tmp_path, ("pdf",))[0]
    text = pdftotext(out)
    assert text.count("窓口のキャッシュレス化（続き）") >= 2
    assert squash(long)[-200:] in squash(text)
    # the card starts on the page of its band: the band is never left alone on a page
    pages = [squash(p) for p in pages_text(out)]
    start = next(p for p in pages if "事業番号1-2" in p and "（続き）" not in p)
    assert "（1）" in start and squash(long)[:40] in start


def test_failed_build_leaves_previous_output(mini, tmp_path):
    out = build(mini, tmp_path, ("pdf",))[0]
    before = out.read_bytes()
    (mini / "plan.yaml").write_text("状態: [\n", encoding="utf-8")
    with pytest.raises(ContentError):
        build(mini, tmp_path, ("pdf",))
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".staging-*"))


def test_failure_while_writing_leaves_previous_output(mini, tmp_path, monkeypatch):
    out = build(mini, tmp_path, ("pdf",))[0]
    before = out.read_bytes()
    from docgen.pdf import writer

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(writer, "story", explode)
    with pytest.raises(RuntimeError):
        build(mini, tmp_path, ("pdf",))
    assert out.read_bytes() == before
    assert not list(tmp_path.glob(".staging-*"))


def test_briefing_is_one_page_with_derived_counts(plan, built):
    reader = PdfReader(built["briefing"])
    assert len(reader.pages) == 1
    text = squash(pdftotext(built["briefing"]))
    assert f"{len(plan.projects)}の具体的な個別事業" in text
    for policy in plan.groups:
        assert squash(policy.title) in text
    lines = [squash(line) for line in pdftotext(built["briefing"], layout=True).splitlines() if "基本方針" in line]
    named = [line for line in lines if any(line.endswith(squash(p.title)) for p in plan.groups)]
    assert len(named) == len(plan.groups) and not [line for line in named if line.startswith("・")]


def test_policy_and_item_rows_are_never_left_alone_at_a_page_bottom():
    from docgen.pdf.fonts import register
    from docgen.pdf.styles import CELL
    from docgen.pdf.table import Cell, Grid, Row
    from docgen.pdf.text import TextBlock
    from docgen import booklet as bk

    register()

    def row(text, keep):
        return Row([Cell([TextBlock((bk.Span(text),), CELL)])], keep_with_next=keep, splittable=False)

    rows = [row("基本方針1", True), row("（1）項目", True)] + [row(f"事業{i}", False) for i in range(3)]
    rows += [row("基本方針2", True), row("（1）項目", True)] + [row(f"事業{i}", False) for i in range(3)]
    grid = Grid([200.0], rows, header=[row("見出し", False)])
    _, height = grid.wrap(200, 1e9)
    pitch = height / (len(rows) + 1)
    for room_rows in range(3, len(rows)):
        parts = grid.split(200, pitch * (room_rows + 1) + 0.1)
        if len(parts) == 2:
            assert not parts[0].rows[-1].keep_with_next, room_rows
            assert parts[1].header, "the header repeats on the next page"


def test_every_field_at_its_longest_builds(mini, tmp_path):
    """Long text in every field of a card: the card continues over pages, nothing is cut, no error."""
    path = mini / "projects" / "1-2.yaml"
    long = "。".join(["窓口での支払いは現金のみで、利用者の利便性に課題がある"] * 230) + "。"
    name = "窓" * 120
    text = path.read_text(encoding="utf-8")
    for old in ("現金のみ。", "キャッシュレス決済を導入する。", "待ち時間の短縮。"):
        text = text.replace(old, long)
    text = text.replace("事業名: 窓口のキャッシュレス化", f"事業名: {name}")
    text = text.replace("所管課: [市民課]", "所管課: [" + ", ".join(f"課{i}" * 10 for i in range(20)) + "]")
    text = text.replace("    2024: [導入]", "    2024: [" + ", ".join([long[:300]] * 20) + "]")
    path.write_text(text, encoding="utf-8")
    out = build(mini, tmp_path, ("pdf", "docx"))[0]
    body = squash(pdftotext(out))
    assert squash(long)[-100:] in body and name in body


def test_glossary_is_in_gojuon_order_with_card_pages(plan, built, pages):
    from docgen.glossary import in_reading_order

    reader = PdfReader(built["booklet"])
    labels = reader.page_labels
    start = next(i for i, text in enumerate(pages) if text.lstrip().startswith("用語集"))
    lines = [squash(line) for page in pages[start:] for line in page.splitlines()]
    terms = {squash(t.term): t.term for t in plan.glossary}
    order = [terms[line] for line in lines if line in terms]
    assert order == [t.term for t in in_reading_order(plan.glossary)]
    card_pages = {}

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                card_pages[item.title.split(" ")[0]] = labels[reader.get_destination_page_number(item)]
    walk(reader.outline)
    text = squash("".join(pages[start:]))
    for term in plan.glossary:
        card = next(p for p in plan.projects if term.term in p.terms)
        assert f"{card.number}（{card_pages[card.number]}頁）" in text, term.term


def test_system_table_rows_link_to_their_cards(plan, built):
    reader = PdfReader(built["booklet"])
    linked = set()
    for page in reader.pages[:10]:
        for annot in page.get("/Annots") or []:
            dest = annot.get_object().get("/Dest")
            if dest is not None:
                linked.add(reader.get_page_number(dest[0].get_object()))
    card_pages = set()

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            elif item.title.split(" ")[0] in {p.number for p in plan.projects}:
                card_pages.add(reader.get_destination_page_number(item))
    walk(reader.outline)
    assert len(card_pages) == len(plan.projects) and card_pages <= linked


def test_glossary_rows_are_kept_whole_on_one_page_and_inside_their_cells(plan, built, pages):
    start = next(i for i, text in enumerate(pages) if text.lstrip().startswith("用語集"))
    columns = [column_texts(built["booklet"], n + 1, 3) for n in range(start, len(pages)) if "掲載" in pages[n]]
    for term in plan.glossary:
        # the page whose first column holds the term holds the whole definition in its second
        page = next(c for c in columns if squash(term.term) in c[0])
        assert squash(term.definition) in page[1], term.term


def test_a_long_card_starts_on_the_page_of_its_band(tmp_path):
    import shutil

    content = tmp_path / "c"
    shutil.copytree(CONTENT, content)
    path = content / "projects" / "1-2.yaml"
    long = "市民の利便性向上のため、窓口での手続きを見直し、Information&Communication Technologyを活用する。" * 60
    path.write_text(path.read_text(encoding="utf-8").replace("取組内容: |\n", "取組内容: |\n  " + long + "\n\n", 1),
                    encoding="utf-8")
    out = build(content, tmp_path / "out", ("pdf",))[0]
    pages = [squash(p) for p in pages_text(out)]
    first_card = next(i for i, p in enumerate(pages) if "事業番号1-1" in p or ("1-1" in p and "所管課" in p))
    glossary = next(i for i, p in enumerate(pages) if p.startswith("用語集"))
    for page in pages[first_card:glossary]:  # every card page holds a card, none only a band
        assert "事業番号" in page, page[:80]


# ---- reader aids ----------------------------------------------------------------------------------

def _annotations(reader: PdfReader, index: int) -> list:
    return [a.get_object() for a in (reader.pages[index].get("/Annots") or [])]


def test_the_pdf_opens_with_the_bookmarks_panel(built):
    assert PdfReader(built["booklet"]).trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_every_contents_entry_links_to_its_heading(built):
    from docgen.compose import compose_booklet
    from docgen.load import load

    reader = PdfReader(built["booklet"])
    entries = compose_booklet(load(CONTENT)).contents()
    links = [a for a in _annotations(reader, 1) if a.get("/Subtype") == "/Link"]
    assert len(links) == len(entries)
    for link in links:  # each jumps to a page of the booklet
        target = link["/Dest"][0] if "/Dest" in link else link["/A"]["/D"][0]
        assert reader.get_page_number(target.get_object()) >= 2


def test_colophon_addresses_are_links(built):
    reader = PdfReader(built["booklet"])
    uris = [a["/A"]["/URI"] for a in _annotations(reader, len(reader.pages) - 1) if "/A" in a]
    assert uris == ["mailto:jyohojimu@city.eniwa.hokkaido.jp", "http://www.city.eniwa.hokkaido.jp"]


def test_glossary_has_a_latin_block_then_kana_rows(pages):
    glossary = next(i for i, p in enumerate(pages) if "用語集" in p and "掲載" in p)
    text = squash("".join(pages[glossary:glossary + 6]))
    heads = [h for h in ("A～Z", "あ行", "か行", "さ行", "た行", "な行", "は行", "ま行", "や行", "ら行", "わ行") if h in text]
    assert heads[0] == "A～Z" and "あ行" in heads
    assert [text.index(h) for h in heads] == sorted(text.index(h) for h in heads)
    assert text.index("A～Z") < text.index("BPR") < text.index("あ行")  # a Latin term in the A–Z block


def test_glossary_page_references_are_links(built, pages):
    reader = PdfReader(built["booklet"])
    glossary = next(i for i, p in enumerate(pages) if "用語集" in p and "掲載" in p)
    links = [a for a in _annotations(reader, glossary) if a.get("/Subtype") == "/Link" and "/Dest" in a]
    assert len(links) >= 5


def test_a_group_heading_is_repeated_on_a_page_the_system_table_runs_onto(pages):
    continued = [p for p in pages if "（続き）" in p and "個別事業名" in p]
    assert continued and squash(continued[0]).index("（続き）") < squash(continued[0]).index("4-14")


def test_the_press_pdf_is_cmyk_trimmed_padded_with_the_colophon_last(tmp_path, plan):
    from docgen.compose import compose_booklet
    from docgen.pdf.writer import write_pdf

    screen, press = tmp_path / "screen.pdf", tmp_path / "press.pdf"
    document = compose_booklet(plan)
    write_pdf(document, screen)
    write_pdf(document, press, press=True)
    reader = PdfReader(press)
    count = len(reader.pages)
    assert count % 4 == 0 and count >= len(PdfReader(screen).pages)
    assert all(p.get("/TrimBox") is not None for p in reader.pages)
    last = pdftotext(press, count, count)
    assert plan.meta.colophon.publisher in last and not re.search(r"- \d+ -", last)  # no folio
    assert count % 2 == 0  # the colophon is a left-hand page
    for page in (3, 10, count):
        ops = reader.pages[page - 1].get_contents().get_data().decode("latin-1")
        assert " rg" not in ops and " RG" not in ops  # no RGB colour at all
        assert "0 0 0 1 k" in ops  # text in black ink alone
    assert "0 0 0 1 k" not in PdfReader(screen).pages[9].get_contents().get_data().decode("latin-1")


def test_latin_words_are_set_in_the_proportional_face(built):
    from pypdf import PdfReader as Reader

    used = {font["name"].split("+")[1] for font in pdffonts(built["booklet"])}
    assert {"BIZUDPMincho-Regular", "BIZUDMincho-Regular"} <= used
    # 「RPA」 on 4-4's card is drawn with the proportional face, its digits (R2) with the fixed one
    reader = Reader(built["booklet"])
    page = next(p for p in reader.pages if "RPAを導入し" in squash(p.extract_text()))
    ops = page.get_contents().get_data().decode("latin-1")
    fonts = page["/Resources"]["/Font"]
    latin = [name for name, ref in fonts.items() if "BIZUDPMincho" in ref.get_object()["/BaseFont"]]
    assert latin and any(f"{name} " in ops for name in latin)


def test_build_print_adds_the_press_pdf_beside_the_screen_one(tmp_path):
    import subprocess
    import sys

    from .conftest import ROOT

    result = subprocess.run([sys.executable, "-m", "docgen.cli", "build", str(MINI), "-o", str(tmp_path / "o"),
                             "--format", "pdf", "--print"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    press = tmp_path / "o" / "kakuu-dx-print.pdf"
    assert press.exists() and len(PdfReader(press).pages) % 4 == 0
    assert (tmp_path / "o" / "kakuu-dx.pdf").exists()
