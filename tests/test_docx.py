"""The Word edition: opened by python-docx and converted by LibreOffice."""

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
from pypdf import PdfReader

from docgen.build import build

from .conftest import CONTENT, MINI, ROOT
from .pdfutil import pdffonts, pdftotext, squash

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="session")
def word(tmp_path_factory, plan):
    out = tmp_path_factory.mktemp("word")
    paths = build(CONTENT, out, ("pdf", "docx"), split_by="department")
    by_name = {p.name: p for p in paths}
    slug = plan.meta.slug
    return {"docx": by_name[f"{slug}.docx"], "pdf": by_name[f"{slug}.pdf"],
            "briefing": by_name[f"{slug}-briefing.docx"], "dir": out,
            "departments": [p for p in paths if p.parent.name == "departments" and p.suffix == ".docx"]}


def all_text(document) -> str:
    body = document.element.body
    return "".join(t.text or "" for t in body.iter(f"{W}t"))


def test_reopens_and_holds_every_project(plan, word):
    document = docx.Document(word["docx"])
    text = squash(all_text(document))
    for project in plan.projects:
        assert project.number in text
        assert squash(project.name) in text, project.name


def test_headings_use_builtin_heading_styles(plan, word):
    document = docx.Document(word["docx"])
    styles = [(p.text, p.style.name) for p in document.paragraphs if p.text]
    for chapter in plan.chapters:
        assert any(t.endswith(chapter.title) and s == "Heading 1" for t, s in styles)
    for policy in plan.groups:
        assert any(policy.title in t and s == "Heading 2" for t, s in styles), policy.title
    assert any(s == "Heading 1" and "施策の体系" in t for t, s in styles)


def _east_asian_font(document, run_el, para_el) -> str | None:
    """Resolve a run's East Asian font: run → character style → paragraph style chain → defaults."""
    styles = document.styles.element

    def style_font(style_id):
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            style = styles.find(f"{W}style[@{W}styleId='{style_id}']")
            if style is None:
                return None
            rfonts = style.find(f"{W}rPr/{W}rFonts")
            if rfonts is not None and rfonts.get(qn("w:eastAsia")):
                return rfonts.get(qn("w:eastAsia"))
            based = style.find(f"{W}basedOn")
            style_id = based.get(qn("w:val")) if based is not None else None
        return None

    rfonts = run_el.find(f"{W}rPr/{W}rFonts")
    if rfonts is not None and rfonts.get(qn("w:eastAsia")):
        return rfonts.get(qn("w:eastAsia"))
    rstyle = run_el.find(f"{W}rPr/{W}rStyle")
    if rstyle is not None and (font := style_font(rstyle.get(qn("w:val")))):
        return font
    pstyle = para_el.find(f"{W}pPr/{W}pStyle")
    if (font := style_font(pstyle.get(qn("w:val")) if pstyle is not None else "Normal")):
        return font
    default = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    return default.get(qn("w:eastAsia")) if default is not None else None


@pytest.mark.parametrize("which", ["docx", "briefing"])
def test_every_run_resolves_to_a_biz_ud_font(word, which):
    document = docx.Document(word[which])
    parts = [document.element.body] + [s.header._element for s in document.sections] + \
            [s.footer._element for s in document.sections]
    count = 0
    for part in parts:
        for para in part.iter(f"{W}p"):
            for run in para.iter(f"{W}r"):
                if run.find(f"{W}t") is None:
                    continue
                count += 1
                assert _east_asian_font(document, run, para) in ("BIZ UD明朝 Medium", "BIZ UDゴシック")
    assert count > 100 or which == "briefing"


def test_every_style_names_an_east_asian_font(word):
    document = docx.Document(word["docx"])
    for style in document.styles.element.iter(f"{W}style"):
        if style.get(qn("w:type")) in ("paragraph", "character"):
            name = style.find(f"{W}name").get(qn("w:val"))
            rfonts = style.find(f"{W}rPr/{W}rFonts")
            assert rfonts is not None and rfonts.get(qn("w:eastAsia")), name


def test_toc_field_kinsoku_and_properties(plan, word):
    document = docx.Document(word["docx"])
    instructions = " ".join(t.text for t in document.element.body.iter(f"{W}instrText"))
    assert "TOC" in instructions
    settings = document.settings.element
    assert settings.find(f"{W}updateFields") is None  # the cached page numbers are the booklet's
    defaults = document.styles.element.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    for tag in ("kinsoku", "autoSpaceDE", "autoSpaceDN"):
        assert defaults.find(f"{W}{tag}") is not None
    toc_paras = [p.text for p in document.paragraphs if p.style.name.startswith("toc")]
    for chapter in plan.chapters:
        assert any(chapter.title in t for t in toc_paras)
    props = document.core_properties
    assert props.title.startswith(plan.meta.title) and props.author == plan.meta.municipality
    assert props.language == "ja-JP"


def test_figure_has_alt_text(word):
    with zipfile.ZipFile(word["docx"]) as z:
        xml = z.read("word/document.xml").decode("utf-8")
        assert any(n.startswith("word/media/") for n in z.namelist())
    assert 'descr="図1' in xml


def test_tables_repeat_header_rows(word):
    document = docx.Document(word["docx"])
    headers = document.element.body.findall(f".//{W}tblHeader")
    assert len(headers) >= 42


def _pdf_contents(pdf: Path) -> dict[str, str]:
    """目次 entry → page number, as printed on the PDF's 目次 page."""
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    found = {}
    for line in text.splitlines():
        match = re.match(r"\s*(.+?)[\s.…・]+(\d+)\s*$", line)
        if match:
            found[re.sub(r"\s+", "", match.group(1))] = match.group(2)
    return found


def test_the_word_contents_and_page_references_carry_the_booklets_pages(word):
    """Cached results from the booklet's layout: the 目次 reads right as the file opens, and Word is
    not asked to update fields."""
    document = docx.Document(word["docx"])
    entries = [p.text.split("\t") for p in document.paragraphs if p.style.name.startswith("toc")]
    assert entries and all(len(e) == 2 and e[1].isdigit() for e in entries), entries
    printed = _pdf_contents(word["pdf"])
    assert {re.sub(r"\s+", "", e[0]): e[1] for e in entries} == printed
    body = document.element.body
    refs = [r for r in body.iter(f"{W}instrText") if "PAGEREF" in (r.text or "")]
    assert refs
    results = []
    for instr in refs:  # the run after the field's separate holds the cached page
        run = instr.getparent().getnext().getnext()
        results.append("".join(t.text or "" for t in run.iter(f"{W}t")))
    assert all(r.isdigit() for r in results), results
    printed_text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(word["pdf"]), "-"], capture_output=True,
                                                     text=True, check=True).stdout)
    glossary_refs = {c.text for t in document.tables for r in t.rows for c in r.cells[2:3]
                     if re.fullmatch(r"(\d+-\d+（\d+頁）\n?)+", c.text)}
    assert len(glossary_refs) > 10
    for refs_text in glossary_refs:  # the same pages as the booklet's 用語集 prints
        for ref in refs_text.split("\n"):
            assert ref in printed_text, ref
    for path in word["departments"]:  # a file to edit asks for nothing on open either
        assert docx.Document(path).settings.element.find(f"{W}updateFields") is None, path.stem


def test_word_is_asked_to_update_fields_only_where_it_must(word, tmp_path):
    """The briefing has no 目次 or page reference: it asks nothing.  A booklet written without the
    booklet's page numbers (the Word writer alone) must ask, to fill its 目次."""
    from docgen.compose import compose_booklet
    from docgen.docx.writer import write_docx
    from docgen.load import load

    assert docx.Document(word["briefing"]).settings.element.find(f"{W}updateFields") is None
    alone = tmp_path / "alone.docx"
    write_docx(compose_booklet(load(CONTENT)), alone)
    assert docx.Document(alone).settings.element.find(f"{W}updateFields").get(qn("w:val")) == "true"


def test_the_count_table_starts_a_page_in_word_as_in_print(converted, word):
    def page_of(pdf: Path, text: str) -> int:
        pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        return next(i for i, page in enumerate(pages.split("\f"), start=1) if text in page)
    assert page_of(converted, "【項目別事業数】") == page_of(word["pdf"], "【項目別事業数】")


def _card_pages(pdf: Path) -> dict[str, int]:
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    found: dict[str, int] = {}
    for i, page in enumerate(pages, start=1):
        for match in re.finditer(r"事業番号\s+(\d+-\d+)\s+事業名", page):
            found.setdefault(match.group(1), i)
        if page.lstrip().startswith("用語集"):
            found.setdefault("用語集", i)
    return found


def test_every_card_starts_on_the_page_it_starts_on_in_print(converted, word, plan):
    """Page breaks as in the PDF: LibreOffice's rendering of the Word file puts each card, and the
    用語集, on the page the booklet does (so the cached page numbers hold)."""
    printed, in_word = _card_pages(word["pdf"]), _card_pages(converted)
    assert len(printed) == len(plan.projects) + 1
    assert in_word == printed


def test_card_titles_break_at_phrases_as_in_print(converted):
    """Word wraps between any two kana (ワンストッ|プ化); the title carries the PDF's phrase breaks."""
    lines = [line.strip() for line in pdftotext(converted).splitlines()]
    for title_line in ("マイナンバーカード所有者の転出・転入手続の", "ワンストップ化", "（書かない窓口）の導入",
                       "工事及び設計に関する", "競争入札参加資格審査申請受付事務のデジタル化"):
        assert title_line in lines, title_line


def test_department_files_cover_every_project(plan, word):
    """One file per real department of departments.yaml: 総務課（DX） is 総務課, 各課 and its kind go
    to the coordinating 総務課, 消防 to 防火推進課."""
    stems = {p.stem for p in word["departments"]}
    assert {"総務課（DX）", "各課", "各担当課", "各施設管理課", "窓口担当課", "各窓口担当課", "消防",
            "社会教育課（島松公民館）", "（消防署）島松出張所"}.isdisjoint(stems)
    assert {"総務課", "防火推進課", "社会教育課", "島松出張所"} <= stems
    assert stems == {d for p in plan.projects for d in plan.owners(p)}
    covered = set()
    for path in word["departments"]:
        with zipfile.ZipFile(path) as z:
            xml = z.read("word/document.xml").decode("utf-8")
        cards = set(re.findall(r'w:name="card_(\d+)_(\d+)"', xml))
        numbers = {f"{a}-{b}" for a, b in cards}
        assert numbers == {p.number for p in plan.projects if path.stem in plan.owners(p)}, path.stem
        covered |= numbers
    assert covered == {p.number for p in plan.projects}
    general = next(p for p in word["departments"] if p.stem == "総務課")
    with zipfile.ZipFile(general) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert {"card_4_5", "card_1_1", "card_5_2"} <= set(re.findall(r'w:name="(card_\d+_\d+)"', xml))


def test_same_content_gives_byte_identical_docx(tmp_path):
    a = [p for p in build(MINI, tmp_path / "a", ("docx",)) if p.suffix == ".docx"]
    b = [p for p in build(MINI, tmp_path / "b", ("docx",)) if p.suffix == ".docx"]
    assert a and all(x.read_bytes() == y.read_bytes() for x, y in zip(a, b))


def _soffice(docx_path: Path, out: Path) -> Path:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe, "LibreOffice is not installed (make test installs libreoffice-writer-nogui)"
    env = dict(os.environ, FONTCONFIG_FILE=str(ROOT / "fonts" / "word-names.conf"))
    profile = out / "lo-profile"
    subprocess.run([exe, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(docx_path)], check=True, capture_output=True, env=env,
                   timeout=300)
    pdf = out / (docx_path.stem + ".pdf")
    assert pdf.exists()
    return pdf


@pytest.fixture(scope="session")
def converted(word, tmp_path_factory):
    return _soffice(word["docx"], tmp_path_factory.mktemp("lo"))


def test_libreoffice_renders_only_biz_ud(converted):
    fonts = pdffonts(converted)
    assert fonts
    for font in fonts:
        assert "BIZUD" in font["name"] and font["emb"] == "yes", font


def test_libreoffice_page_count_near_the_pdf(word, converted):
    ours = len(PdfReader(word["pdf"]).pages)
    theirs = len(PdfReader(converted).pages)
    assert abs(theirs - ours) <= 0.15 * ours, (ours, theirs)


def test_libreoffice_text_holds_every_project(plan, converted):
    text = squash(pdftotext(converted))
    for project in plan.projects:
        assert squash(project.name) in text, project.name


def _xml(path: Path, part: str):
    from lxml import etree

    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


# The schema's order for the elements the writer sets (ECMA-376 Part 1, §17), typed here on its own.
SCHEMA_ORDER = {
    "pPr": ["pStyle", "keepNext", "pageBreakBefore", "numPr", "pBdr", "tabs", "kinsoku", "wordWrap",
            "overflowPunct", "autoSpaceDE", "autoSpaceDN", "spacing", "ind", "jc", "rPr", "sectPr"],
    "tblPr": ["tblStyle", "tblW", "jc", "tblLayout", "tblCellMar", "tblLook"],
    "tcPr": ["tcW", "gridSpan", "vMerge", "tcBorders", "shd", "vAlign"],
    "sectPr": ["headerReference", "footerReference", "type", "pgSz", "pgMar", "pgNumType", "cols", "vAlign",
               "titlePg", "docGrid"],
    "settings": ["zoom", "mirrorMargins", "proofState", "defaultTabStop", "evenAndOddHeaders",
                 "characterSpacingControl", "updateFields", "compat", "rsids", "themeFontLang"],
}


@pytest.mark.parametrize("which", ["docx", "briefing"])
def test_xml_follows_the_schema_order(word, which):
    """Word refuses or misreads properties out of order; LibreOffice and python-docx do not care."""
    for part in ("word/document.xml", "word/styles.xml", "word/settings.xml"):
        root = _xml(word[which], part)
        for tag, order in SCHEMA_ORDER.items():
            for parent in root.iter(f"{W}{tag}"):
                names = [c.tag.split("}")[1] for c in parent if isinstance(c.tag, str)]
                known = [n for n in names if n in order]
                assert known == sorted(known, key=order.index), (part, tag, names)
                singles = [n for n in names if n not in ("headerReference", "footerReference")]
                assert len(singles) == len(set(singles)), (part, tag, names)
        for p in root.iter(f"{W}p"):
            ppr = p.find(f"{W}pPr")
            assert ppr is None or p.index(ppr) == 0, part


def test_no_template_leftovers(word):
    with zipfile.ZipFile(word["docx"]) as z:
        names = z.namelist()
        app = z.read("docProps/app.xml").decode("utf-8")
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n or n.startswith("customXml")]
    assert "Word" not in app and "恵庭市" in app
    assert 'w:name="BIZ UD明朝 Medium"' in fonts and 'w:name="BIZ UDゴシック"' in fonts
    settings = _xml(word["docx"], "word/settings.xml")
    modes = [s.get(qn("w:val")) for s in settings.iter(f"{W}compatSetting")
             if s.get(qn("w:name")) == "compatibilityMode"]
    assert modes == ["15"]
    assert len(list(_xml(word["docx"], "word/styles.xml").iter(f"{W}style"))) < 80


def test_every_card_is_a_heading_3(plan, word):
    document = docx.Document(word["docx"])
    body = document.element.body
    names = ["".join(t.text for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")
             if p.find(f"{W}pPr/{W}pStyle") is not None
             and p.find(f"{W}pPr/{W}pStyle").get(qn("w:val")) == "Heading3"]
    assert len(names) == len(plan.projects)
    for project, name in zip(plan.projects, names):
        assert name.endswith(project.name)


def test_page_setup_sections_and_running_heads(plan, word):
    document = docx.Document(word["docx"])
    sections = document.sections
    for section in sections:  # A4, the PDF's margins (mirrored: left is the inside)
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert [round(x.mm) for x in (section.left_margin, section.right_margin, section.top_margin,
                                      section.bottom_margin)] == [25, 17, 22, 20]
    items = len(plan.leaves())
    assert len(sections) <= items + 6  # a section where the running head changes, not one per card
    with zipfile.ZipFile(word["docx"]) as z:
        footers = [n for n in z.namelist() if re.fullmatch(r"word/footer\d+\.xml", n)]
        numbered = [n for n in footers if "PAGE" in z.read(n).decode("utf-8")]
        heads = {z.read(n).decode("utf-8") for n in z.namelist() if re.fullmatch(r"word/header\d+\.xml", n)}
    assert len(numbered) == 2  # odd and even pages: every numbered section links to them
    first = sections[0]
    assert first.footer.is_linked_to_previous is False and "PAGE" not in first.footer._element.xml
    body = [s for s in sections if s._sectPr.find(qn("w:pgNumType")) is not None]
    assert body and body[0]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    heads_text = " ".join(heads)
    for item in plan.leaves():
        assert item.title in heads_text
    last = sections[-1]._sectPr.find(qn("w:vAlign"))
    assert last is not None and last.get(qn("w:val")) == "bottom"  # the colophon at the page foot


def test_table_rows_are_kept_whole(word):
    """Every row stays on one page but a long card field, which may continue on the next."""
    document = docx.Document(word["docx"])
    rows = list(document.element.body.iter(f"{W}tr"))
    split = [r for r in rows if r.find(f"{W}trPr/{W}cantSplit") is None]
    assert len(split) < len(rows) / 10
    for row in split:
        assert sum(len(t.text or "") for t in row.iter(f"{W}t")) > 400


def test_list_markers_hang_without_a_tab(word):
    root = _xml(word["briefing"], "word/numbering.xml")
    ours = [a for a in root.iter(f"{W}abstractNum") if int(a.get(qn("w:abstractNumId"))) > 9000]
    assert ours
    for abstract in ours:
        lvl = abstract.find(f"{W}lvl")
        assert lvl.find(f"{W}suff").get(qn("w:val")) == "nothing"
        ind = lvl.find(f"{W}pPr/{W}ind")
        assert ind.get(qn("w:left")) == ind.get(qn("w:hanging")) and int(ind.get(qn("w:left"))) in (190, 210)


def test_narrow_labels_break_between_phrases(converted):
    """LibreOffice's rendering: labels break where the phrase breaks, never inside a word."""
    lines = [line.strip() for line in pdftotext(converted).splitlines()]
    for label in ("（評価指標）", "（スケジュール）", "事業番号"):
        assert label in lines or any(label in line for line in lines), label
    for broken in ("（評価指", "（スケジュ", "事業番"):
        assert broken not in lines, broken


def test_the_full_booklet_is_byte_identical(word, tmp_path):
    again = build(CONTENT, tmp_path, ("docx",), split_by="department")
    by_name = {p.relative_to(tmp_path): p.read_bytes() for p in again}
    first = {p.relative_to(word["dir"]): p.read_bytes() for p in
             [word["docx"], word["briefing"], *word["departments"]]}
    assert first and all(by_name[name] == data for name, data in first.items())


def test_a_department_file_has_its_running_head_from_its_first_card(word):
    """The page that says what to edit has no running head; the cards' pages have theirs."""
    for path in word["departments"]:
        sections = docx.Document(path).sections
        assert "".join(p.text for p in sections[0].header.paragraphs) == "", path.stem
        assert sections[1].header.paragraphs[0].text.startswith("基本方針"), path.stem


def test_glossary_rows_are_grouped_and_count_labels_merged(word):
    document = docx.Document(word["docx"])
    texts = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "A～Z" in texts and "あ行" in texts and texts.index("A～Z") < texts.index("あ行")
    xml = document.element.xml
    # 項目別事業数: a 基本方針 label runs down over its 項目 rows as one merged cell
    assert xml.count('w:vMerge w:val="restart"') >= 5
