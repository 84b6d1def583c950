"""Walk the booklet tree and write the Word file."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import booklet as b
from . import numbering, oxml, styles
from .figure import render_png

PAGE_W, PAGE_H = 210, 297
INNER, OUTER, TOP, BOTTOM = 25, 17, 22, 20
FRAME_W = PAGE_W - INNER - OUTER
LABEL_BG = "E8EEF4"


def _tint(accent: str, amount: float) -> str:
    h = accent.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * amount):02X}" for c in rgb)


class WordWriter:
    def __init__(self, document: b.Document):
        self.tree = document
        self.doc = docx.Document()
        oxml.reset_ids()
        styles.define(self.doc, document.accent)
        self.lists = numbering.Lists(self.doc)
        self.accent = document.accent.lstrip("#").upper()
        self._setup_section(self.doc.sections[0])
        body = self.doc.element.body
        for child in list(body):  # the template's empty first paragraph
            if child.tag == qn("w:p"):
                body.remove(child)

    # -- page setup -------------------------------------------------------------------------------
    def _setup_section(self, section, restart: bool = False):
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.left_margin, section.right_margin = Mm(INNER), Mm(OUTER)  # mirrored: inside / outside
        section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
        section.header_distance, section.footer_distance = Mm(10), Mm(8)
        for old in section._sectPr.findall(qn("w:pgNumType")):  # add_section copies the previous one
            section._sectPr.remove(old)
        if restart:
            pg = OxmlElement("w:pgNumType")
            pg.set(qn("w:start"), "1")
            section._sectPr.append(pg)

    def _new_section(self, footer: bool, header: str = "", restart: bool = False):
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._setup_section(section, restart)
        self._decorate(section, footer, header)
        return section

    def _decorate(self, section, footer: bool, header: str) -> None:
        section.footer.is_linked_to_previous = False
        section.header.is_linked_to_previous = False
        fp = section.footer.paragraphs[0]
        self._pstyle(fp, "Footer")
        if footer:
            fp.add_run("- ")
            oxml.field(fp, "PAGE", "1")
            fp.add_run(" -")
        hp = section.header.paragraphs[0]
        self._pstyle(hp, "Header")
        if header:
            hp.add_run(header)

    # -- styles by id (python-docx looks a style up by scanning every style on each assignment) ----
    def _style_id(self, name: str) -> str:
        ids = self.__dict__.setdefault("_ids", {})
        if name not in ids:
            ids[name] = self.doc.styles[name].style_id
        return ids[name]

    def _p(self, container, style: str, text: str = ""):
        p = container.add_paragraph(text)
        p._p.style = self._style_id(style)
        return p

    def _pstyle(self, paragraph, style: str) -> None:
        paragraph._p.style = self._style_id(style)

    def _run(self, paragraph, text: str, style: str | None = None):
        run = paragraph.add_run(text)
        if style:
            run._r.style = self._style_id(style)
        return run

    # -- text --------------------------------------------------------------------------------------
    def para(self, container, spans, style: str):
        p = self._p(container, style)
        for span in spans:
            run = p.add_run(span.text)
            if span.label:
                run._r.style = self._style_id("ラベル")
        return p

    def block(self, container, block: b.Block, style: str, list_style: str):
        if isinstance(block, b.Para):
            return [self.para(container, block.spans, style if block.indent or style != "本文" else "Normal")]
        num = self.lists.numbered(block.start) if block.ordered else self.lists.bullet
        out = []
        for item in block.items:
            p = self.para(container, item.spans, list_style)
            numbering.apply(p, num)
            out.append(p)
        return out

    # -- elements ----------------------------------------------------------------------------------
    def cover(self, el: b.Cover):
        self._p(self.doc, "表紙題名", el.title)
        if el.status:
            self._p(self.doc, "表紙", el.status)
        if el.edition:
            self._p(self.doc, "表紙", el.edition)
        p = self._p(self.doc, "表紙", el.date)
        p.paragraph_format.space_before = Pt(260)
        self._p(self.doc, "表紙", el.municipality)

    def contents(self, el: b.Contents, entries):
        self._p(self.doc, "目次見出し", el.title)
        first = self._p(self.doc, "toc 1")
        oxml.field_begin(first, 'TOC \\o "1-2" \\h \\z \\u')
        paragraphs = [first]
        for i, (level, text, _) in enumerate(entries):
            p = first if i == 0 else self._p(self.doc, f"toc {min(level, 2)}")
            if i == 0:
                self._pstyle(p, f"toc {min(level, 2)}")
            p.add_run(text)
            paragraphs.append(p)
        oxml.field_end(paragraphs[-1])

    def heading(self, el: b.Heading):
        p = self._p(self.doc, f"Heading {min(el.level, 3)}", el.text)
        oxml.bookmark(p, oxml.bookmark_name(el.anchor))
        return p

    def figure(self, el: b.Figure):
        png, w, h = render_png(el, "#" + self.accent, FRAME_W * 72 / 25.4 * 0.94)
        p = self._p(self.doc, "図")
        run = p.add_run()
        shape = run.add_picture(io.BytesIO(png), width=Pt(w))
        doc_pr = shape._inline.docPr
        doc_pr.set("descr", el.alt)
        doc_pr.set("title", el.caption)
        self._p(self.doc, "Caption", el.caption)

    def system_table(self, el: b.SystemTable):
        halves = len(el.years) * 2
        widths = [13, 13, FRAME_W - 13 - 13 - 13 * halves - 11] + [13] * halves + [11]
        table = self.doc.add_table(rows=2, cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        head_bg = _tint(self.accent, 0.18)
        r0, r1 = table.rows
        for i, text in enumerate(el.columns[:3]):
            cell = table.cell(0, i).merge(table.cell(1, i))
            self._cell_text(cell, text, "表見出し", head_bg)
        for k, year in enumerate(el.years):
            cell = table.cell(0, 3 + 2 * k).merge(table.cell(0, 4 + 2 * k))
            self._cell_text(cell, year, "表見出し", head_bg)
            self._cell_text(table.cell(1, 3 + 2 * k), el.halves[0], "表見出し", head_bg)
            self._cell_text(table.cell(1, 4 + 2 * k), el.halves[1], "表見出し", head_bg)
        last = table.cell(0, len(widths) - 1).merge(table.cell(1, len(widths) - 1))
        self._cell_text(last, el.beyond, "表見出し", head_bg)
        oxml.row_flags(r0, header=True, cant_split=True)
        oxml.row_flags(r1, header=True, cant_split=True)
        bar_bg = _tint(self.accent, 0.22)
        for row in el.rows:
            cells = table.add_row().cells
            tr = table.rows[-1]
            oxml.row_flags(tr, cant_split=True)
            if isinstance(row, b.PolicyRow):
                merged = cells[0].merge(cells[-1])
                self._cell_text(merged, f"{row.label}　{row.title}", "表方針", self.accent)
                cells = table.add_row().cells
                merged = cells[0].merge(cells[-1])
                self._cell_text(merged, row.description, "表小", _tint(self.accent, 0.06))
                self._keep_with_next(table.rows[-2])
                self._keep_with_next(table.rows[-1])
            elif isinstance(row, b.ItemRow):
                merged = cells[0].merge(cells[-1])
                self._cell_text(merged, f"{row.label}{row.title}", "表項目", LABEL_BG)
                self._keep_with_next(tr)
            else:
                self._cell_text(cells[0], row.number, "表見出し")
                self._cell_text(cells[1], el.priority_mark if row.priority else "", "表見出し")
                name = self._cell_text(cells[2], "", "表小" if not row.closed else "表小終了")
                oxml.internal_link(name, row.name, oxml.bookmark_name(row.anchor))
                if row.status:
                    self._run(name, f"【{row.status}】", "ラベル")
                for bar in row.bars:
                    for k in range(bar.start, bar.end + 1):
                        oxml.shade(cells[3 + k], bar_bg)
                    self._cell_text(cells[3 + bar.start], bar.label, "表工程")
                if row.continues:
                    oxml.shade(cells[-1], bar_bg)
                    self._cell_text(cells[-1], el.continues_mark, "表工程")
        oxml.fixed_widths(table, widths)
        oxml.cell_margins(table, 20, 40, 20, 40)
        return table

    def _keep_with_next(self, row):
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True

    def _cell_text(self, cell, text: str, style: str, background: str | None = None, middle: bool = True):
        p = cell.paragraphs[0]
        self._pstyle(p, style)
        if text:
            p.add_run(text)
        if background:
            oxml.shade(cell, background)
        if middle:
            oxml.valign(cell)
        return p

    def _headed_table(self, columns):
        """A grid table whose first row holds the column titles and repeats on every page."""
        table = self.doc.add_table(rows=1, cols=len(columns))
        table.style = self.doc.styles["Table Grid"]
        head_bg = _tint(self.accent, 0.18)
        for i, text in enumerate(columns):
            self._cell_text(table.cell(0, i), text, "表見出し", head_bg)
        oxml.row_flags(table.rows[0], header=True, cant_split=True)
        return table, head_bg

    def count_table(self, el: b.CountTable):
        table, head_bg = self._headed_table(el.columns)
        for group in el.groups:
            for row in group.rows:
                cells = table.add_row().cells
                self._cell_text(cells[0], row.policy, "表本文")
                self._cell_text(cells[1], row.item, "表本文")
                self._cell_text(cells[2], str(row.count), "表数")
            cells = table.add_row().cells
            self._cell_text(cells[0], "", "表本文", LABEL_BG)
            self._cell_text(cells[1], f"{group.policy} {el.subtotal_label}", "表数", LABEL_BG)
            self._cell_text(cells[2], str(group.subtotal), "表数", LABEL_BG)
        cells = table.add_row().cells
        self._cell_text(cells[0], "", "表本文", head_bg)
        self._cell_text(cells[1], el.total_label, "表数", head_bg)
        self._cell_text(cells[2], str(el.total), "表数", head_bg)
        oxml.fixed_widths(table, [32, 80, 24])
        return table

    def card(self, el: b.Card):
        policy_line = self._p(self.doc, "Heading 2" if el.heading else "帯", el.band[0])
        if el.heading:
            oxml.bookmark(policy_line, oxml.bookmark_name(el.heading.anchor))
        item_line = self._p(self.doc, "帯項目", el.band[1])
        oxml.bookmark(item_line, oxml.bookmark_name(el.anchor))
        year = (FRAME_W - 29) / 3
        widths = [29, 17, 17, year - 34, year, year]
        table = self.doc.add_table(rows=0, cols=6)
        table.style = self.doc.styles["Table Grid"]
        cells = table.add_row().cells
        self._cell_text(cells[0], el.labels["事業番号"], "表見出し", LABEL_BG)
        self._cell_text(cells[1], el.number, "表番号")
        self._cell_text(cells[2], el.labels["事業名"], "表見出し", LABEL_BG)
        name = self._cell_text(cells[3].merge(cells[5]), "", "表事業名")
        if el.status:
            self._run(name, el.status, "ラベル")
        if el.priority_label:
            self._run(name, el.priority_label, "ラベル")
        name.add_run(el.name)
        oxml.row_flags(table.rows[-1], header=True, cant_split=True)
        cells = table.add_row().cells
        self._cell_text(cells[0], el.labels["所管課"], "表見出し", LABEL_BG)
        self._cell_text(cells[1].merge(cells[5]), el.departments, "表本文", middle=False)
        oxml.row_flags(table.rows[-1], cant_split=True)
        if el.status and el.status_note:
            cells = table.add_row().cells
            self._cell_text(cells[0], el.labels["状況"], "表見出し", LABEL_BG)
            p = self._cell_text(cells[1].merge(cells[5]), "", "表本文", middle=False)
            self._run(p, el.status, "ラベル")
            p.add_run(el.status_note)
            oxml.row_flags(table.rows[-1], cant_split=True)
        for field in el.fields:
            cells = table.add_row().cells
            self._cell_text(cells[0], field.label, "表見出し", LABEL_BG)
            target = cells[1].merge(cells[5])
            first = target.paragraphs[0]
            made = []
            for block in field.blocks:
                made += self.block(target, block, "表本文", "表箇条書き")
            if made:  # the cell's initial empty paragraph goes
                first._p.getparent().remove(first._p)
        cells = table.add_row().cells
        head_bg = _tint(self.accent, 0.10)
        label = cells[0]
        self._cell_text(cells[1].merge(cells[3]), el.years[0], "表見出し", head_bg)
        for i, y in enumerate(el.years[1:], 1):
            self._cell_text(cells[3 + i], y, "表見出し", head_bg)
        oxml.row_flags(table.rows[-1], cant_split=True)
        self._keep_with_next(table.rows[-1])
        cells = table.add_row().cells
        label = label.merge(cells[0])
        self._cell_text(label, el.labels["実施工程表"], "表見出し", LABEL_BG)
        year_cells = [cells[1].merge(cells[3])] + [cells[3 + i] for i in range(1, len(el.years))]
        for cell, lines in zip(year_cells, el.yearly):
            first = cell.paragraphs[0]
            self._pstyle(first, "表工程表")
            for i, line in enumerate(lines):
                p = first if i == 0 else self._p(cell, "表工程表")
                p.add_run(line)
        oxml.row_flags(table.rows[-1], cant_split=True)
        oxml.fixed_widths(table, widths)
        oxml.cell_margins(table, 50, 100, 50, 100)
        for note in el.notes:
            p = self._p(self.doc, "注記")
            p.add_run(el.note_mark)
            self._run(p, note.term, "ラベル")
            p.add_run(el.note_separator + note.definition)

    def glossary(self, el: b.Glossary):
        table, head_bg = self._headed_table(el.columns)
        for entry in el.entries:
            cells = table.add_row().cells
            p = self._cell_text(cells[0], "", "表本文", middle=False)
            self._run(p, entry.term, "ラベル")
            if entry.reading:
                self._p(cells[0], "表小", entry.reading)
            self._cell_text(cells[1], entry.definition, "表本文", middle=False)
            first = True
            for number, anchor in entry.cards:
                p = cells[2].paragraphs[0] if first else cells[2].add_paragraph()
                self._pstyle(p, "表小")
                p.add_run(f"{number}（")
                oxml.field(p, f"PAGEREF {oxml.bookmark_name(anchor)} \\h", "")
                p.add_run("頁）")
                first = False
            oxml.row_flags(table.rows[-1], cant_split=True)
        oxml.fixed_widths(table, [38, FRAME_W - 38 - 30, 30])

    def history(self, el: b.History):
        table, _ = self._headed_table(el.columns)
        for row in el.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row):
                self._cell_text(cell, text, "表本文", middle=False)
            oxml.row_flags(table.rows[-1], cant_split=True)
        oxml.fixed_widths(table, [50, 40, FRAME_W - 90])

    def colophon(self, el: b.Colophon):
        p = self._p(self.doc, "奥付", el.title)
        p.paragraph_format.page_break_before = True
        p.paragraph_format.space_before = Pt(480)
        p.runs[0]._r.style = self._style_id("ラベル")
        self._p(self.doc, "奥付", el.date)
        p = self._p(self.doc, "奥付")
        p.paragraph_format.space_before = Pt(8)
        self._run(p, f"【{el.heading}】", "ラベル")
        p.add_run(el.publisher)
        for line in el.contact:
            self._p(self.doc, "奥付", line)

    # -- the walk ---------------------------------------------------------------------------------
    def write(self, kind: str = "booklet") -> None:
        tree = self.tree
        entries = [(h.level, h.text, h.anchor) for h in tree.contents()]
        for el in tree.front:
            if isinstance(el, b.Cover):
                self.cover(el)
            elif isinstance(el, b.Contents):
                self._new_section(footer=False)
                self.contents(el, entries)
        if tree.front:
            self._new_section(footer=True, restart=True)
        body = list(tree.body)
        in_cards = False
        pending_break = False
        started = bool(tree.front)
        previous_led = False
        for i, el in enumerate(body):
            if isinstance(el, b.PageBreak):
                pending_break = True
                continue
            following = next((x for x in body[i + 1:] if not isinstance(x, b.PageBreak)), None)
            leads_card = isinstance(el, b.Heading) and isinstance(following, b.Card)
            if isinstance(el, b.Card) or leads_card:
                card = el if isinstance(el, b.Card) else following
                if not (in_cards and isinstance(el, b.Card) and previous_led):
                    # every card page gets a section of its own, whose header names its 基本方針 and 項目
                    self._start(started, footer=kind != "briefing", header="　".join(card.band))
                started, in_cards, pending_break = True, True, False
            elif in_cards:
                self._start(started, footer=kind != "briefing")
                in_cards, pending_break = False, False
            previous_led = leads_card
            added = self.card(el) if isinstance(el, b.Card) else self._element(el, kind)
            if pending_break and added is not None:
                added.paragraph_format.page_break_before = True
            pending_break = False
            started = True

    def _start(self, started: bool, footer: bool, header: str = "") -> None:
        """A new section (new page), or the first section itself when nothing is written yet."""
        if started:
            self._new_section(footer=footer, header=header)
        else:
            self._decorate(self.doc.sections[0], footer, header)

    def _element(self, el, kind):
        if isinstance(el, b.Heading):
            style = "briefing" if kind == "briefing" else None
            p = self.heading(el)
            if style and el.level == 1:
                self._pstyle(p, "表紙")
            return p
        if isinstance(el, (b.Para, b.ListBlock)):
            made = self.block(self.doc, el, "本文", "箇条書き")
            return made[0] if made else None
        if isinstance(el, b.Figure):
            self.figure(el)
        elif isinstance(el, b.SystemTable):
            self.system_table(el)
        elif isinstance(el, b.CountTable):
            self.count_table(el)
        elif isinstance(el, b.Card):
            self.card(el)
        elif isinstance(el, b.Glossary):
            self.glossary(el)
        elif isinstance(el, b.History):
            self.history(el)
        elif isinstance(el, b.Colophon):
            self.colophon(el)
        return None

    # -- saving ---------------------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        tree = self.tree
        props = self.doc.core_properties
        stamp = datetime(tree.year, tree.month, 1, tzinfo=timezone.utc).replace(tzinfo=None)
        props.title, props.author, props.subject = tree.title, tree.author, tree.subject
        props.language, props.last_modified_by = tree.lang, tree.author
        props.created = props.modified = stamp
        props.revision = 1
        props.comments = ""
        buffer = io.BytesIO()
        self.doc.save(buffer)
        _deterministic_zip(buffer.getvalue(), path, (tree.year, tree.month, 1, 0, 0, 0))


def _deterministic_zip(data: bytes, target: Path, when: tuple) -> None:
    """Rewrite the package with fixed timestamps so the same content gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(target, "w") as out:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=when)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            out.writestr(fixed, source.read(info.filename))


def write_docx(document: b.Document, path: Path, kind: str = "booklet") -> None:
    """Write ``document`` to ``path`` (the build writes into a staging folder, then moves)."""
    writer = WordWriter(document)
    writer.write(kind)
    writer.save(path)
