"""Walk the booklet tree and write the Word file."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import booklet as b
from . import numbering, oxml, package, styles
from .figure import phrase_lines, render_png

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
        self.metrics = styles.define(self.doc, document.accent, round(FRAME_W / 25.4 * 1440))
        self.doc.settings.odd_and_even_pages_header_footer = True  # running heads mirror like the print
        self.lists = numbering.Lists(self.doc)
        self.accent = document.accent.lstrip("#").upper()
        self._setup_section(self.doc.sections[0])
        body = self.doc.element.body
        for child in list(body):  # the template's empty first paragraph
            if child.tag == qn("w:p"):
                body.remove(child)
        self._numbered = False  # a section with page numbers exists: later ones share its footer

    # -- page setup -------------------------------------------------------------------------------
    def _setup_section(self, section, restart: bool = False):
        section.page_width, section.page_height = Mm(PAGE_W), Mm(PAGE_H)
        section.left_margin, section.right_margin = Mm(INNER), Mm(OUTER)  # mirrored: inside / outside
        section.top_margin, section.bottom_margin = Mm(TOP), Mm(BOTTOM)
        section.header_distance, section.footer_distance = Mm(10), Mm(8)
        for tag in ("w:pgNumType", "w:vAlign"):  # add_section copies the previous section's
            for old in section._sectPr.findall(qn(tag)):
                section._sectPr.remove(old)
        if restart:
            pg = OxmlElement("w:pgNumType")
            pg.set(qn("w:start"), "1")
            section._sectPr.append(pg)

    def _new_section(self, footer: bool, header: str = "", restart: bool = False, bottom: bool = False):
        """Start a new page in a new section; the previous section's break rides on its last
        paragraph, so a full last page is never followed by a blank one."""
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        self._tuck_section_break()
        self._setup_section(section, restart)
        if bottom:  # the colophon sits at the foot of its page
            valign = OxmlElement("w:vAlign")
            valign.set(qn("w:val"), "bottom")
            section._sectPr.append(valign)
        self._decorate(section, footer, header)
        return section

    def _tuck_section_break(self) -> None:
        carrier = self.doc.element.body.findall(qn("w:p"))[-1]
        previous = carrier.getprevious()
        if previous is not None and previous.tag == qn("w:p") and previous.find(f"{qn('w:pPr')}/{qn('w:sectPr')}") is None:
            sect = carrier.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
            previous.get_or_add_pPr().append(sect)
            carrier.getparent().remove(carrier)
        else:  # after a table: Word needs a paragraph there; make it as small as a paragraph can be
            carrier.get_or_add_pPr().style = self._style_id("区切り")

    def _head(self, section, header: str) -> None:
        for part, style in ((section.header, "柱"), (section.even_page_header, "柱偶数")):
            part.is_linked_to_previous = False
            p = part.paragraphs[0]
            self._pstyle(p, style if header else "Header")
            for run in list(p.runs):
                run._r.getparent().remove(run._r)
            if header:
                p.add_run(header)

    def _decorate(self, section, footer: bool, header: str) -> None:
        """Running head (mirrored on even pages) and page number of a section.  Every numbered
        section shares the first one's footer, so a clerk changes the page number format once."""
        self._head(section, header)
        for part in (section.footer, section.even_page_footer):
            if footer and self._numbered:
                part.is_linked_to_previous = True
                continue
            part.is_linked_to_previous = False
            p = part.paragraphs[0]
            self._pstyle(p, "Footer")
            if footer:
                p.add_run("- ")
                oxml.field(p, "PAGE", "1")
                p.add_run(" -")
        self._numbered = self._numbered or footer

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
        if block.plain:
            return [self.para(container, item.spans, "箇条書き下位") for item in block.items]
        size = self.metrics[list_style][1]
        num = self.lists.numbered(size, block.start) if block.ordered else self.lists.bullet(size)
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
        self._p(self.doc, "表紙日付", el.date)
        self._p(self.doc, "表紙自治体", el.municipality)

    def contents(self, el: b.Contents, entries):
        self._p(self.doc, "目次見出し", el.title)
        first = self._p(self.doc, "toc 1")
        oxml.field_begin(first, 'TOC \\o "1-2" \\h \\z \\u')
        paragraphs = [first]
        for i, (level, text, _) in enumerate(entries):
            p = first if i == 0 else self._p(self.doc, f"toc {min(level, 2)}")
            if i == 0:
                self._pstyle(p, f"toc {min(level, 2)}")
            p.add_run(text)  # Word writes the page numbers, after a dotted leader, when it updates
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
        return p

    def system_table(self, el: b.SystemTable):
        halves = len(el.years) * 2
        name_w = FRAME_W - 14 - 14 - 13 * halves - 11
        widths = [14, 14, name_w] + [13] * halves + [11]
        table = self.doc.add_table(rows=2, cols=len(widths))
        table.style = self.doc.styles["Table Grid"]
        head_bg = _tint(self.accent, 0.18)
        r0, r1 = table.rows
        for i, text in enumerate(el.columns[:3]):
            cell = table.cell(0, i).merge(table.cell(1, i))
            self._narrow(cell, text, "表見出し小", widths[i], head_bg)
        for k, year in enumerate(el.years):
            cell = table.cell(0, 3 + 2 * k).merge(table.cell(0, 4 + 2 * k))
            self._cell_text(cell, year, "表見出し小", head_bg)
            self._cell_text(table.cell(1, 3 + 2 * k), el.halves[0], "表見出し小", head_bg)
            self._cell_text(table.cell(1, 4 + 2 * k), el.halves[1], "表見出し小", head_bg)
        last = table.cell(0, len(widths) - 1).merge(table.cell(1, len(widths) - 1))
        self._narrow(last, el.beyond, "表見出し小", widths[-1], head_bg)
        oxml.row_flags(r0, header=True, cant_split=True)
        oxml.row_flags(r1, header=True, cant_split=True)
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
                number_style = "表見出し" if not row.closed else "表見出し終了"
                self._cell_text(cells[0], row.number, number_style)
                self._cell_text(cells[1], el.priority_mark if row.priority else "", number_style)
                name_style = "表小" if not row.closed else "表小終了"
                name = self._narrow(cells[2], row.name, name_style, name_w, link=oxml.bookmark_name(row.anchor))
                if row.status:
                    self._run(name, f"【{row.status}】", "ラベル")
                self._schedule(row, cells[3:], el.continues_mark)
        oxml.fixed_widths(table, widths)
        oxml.cell_margins(table, 20, 40, 20, 40)
        oxml.keep_rows_whole(table)
        return table

    def _schedule(self, row: b.ProjectRow, cells, continues_mark: str) -> None:
        """The half-year grid as a Gantt chart: each phase a band of shaded cells with its label in
        the first, no rule inside a band, the rule between two phases kept; work continuing past
        the plan period runs into the last column with → ."""
        band = _tint("808080", 0.35) if row.closed else _tint(self.accent, 0.30)
        for bar in row.bars:
            end = len(cells) - 1 if (row.continues and bar is row.bars[-1]) else bar.end
            for k in range(bar.start, end + 1):
                oxml.shade(cells[k], band)
                if k > bar.start:
                    oxml.open_side(cells[k], "left")
                if k < end:
                    oxml.open_side(cells[k], "right")
            self._cell_text(cells[bar.start], bar.label, "表工程" if not row.closed else "表小終了")
        if row.continues:
            self._cell_text(cells[-1], continues_mark, "表継続")

    def _keep_with_next(self, row):
        for cell in row.cells:
            for p in cell.paragraphs:
                p.paragraph_format.keep_with_next = True

    def _narrow(self, cell, text: str, style: str, width_mm: float, background: str | None = None,
                link: str | None = None, padding_pt: float = 2.0):
        """Text of a narrow cell, broken at phrase boundaries (事業番号 → 事業/番号, not 事業番/号)."""
        role, size = self.metrics[style]
        room = width_mm * 72 / 25.4 - 2 * padding_pt - 1.5  # Word's own wrapping needs a little slack
        lines = phrase_lines(text, role, size, room)
        p = self._cell_text(cell, "", style, background)
        if link:
            oxml.internal_link(p, lines, link)
        else:
            for i, line in enumerate(lines):
                run = p.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
        return p

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
        oxml.keep_rows_whole(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        return table

    def card(self, el: b.Card):
        policy_line = self._p(self.doc, "Heading 2" if el.heading else "帯", el.band[0])
        if el.heading:
            oxml.bookmark(policy_line, oxml.bookmark_name(el.heading.anchor))
        item_line = self._p(self.doc, "帯項目", el.band[1])
        oxml.bookmark(item_line, oxml.bookmark_name(el.anchor))
        year = (FRAME_W - 30) / 3
        widths = [30, 17, 17, year - 34, year, year]
        table = self.doc.add_table(rows=0, cols=6)
        table.style = self.doc.styles["Table Grid"]
        cells = table.add_row().cells
        self._label(cells[0], el.labels["事業番号"], widths[0])
        self._cell_text(cells[1], el.number, "表番号")
        self._label(cells[2], el.labels["事業名"], widths[2])
        name = self._cell_text(cells[3].merge(cells[5]), "", "Heading 3")  # the navigation pane lists cards
        if el.status:
            self._run(name, el.status, "ラベル")
        if el.priority_label:
            self._run(name, el.priority_label, "ラベル")
        name.add_run(el.name)
        oxml.row_flags(table.rows[-1], header=True, cant_split=True)
        cells = table.add_row().cells
        self._label(cells[0], el.labels["所管課"], widths[0])
        self._cell_text(cells[1].merge(cells[5]), el.departments, "表本文", middle=False)
        oxml.row_flags(table.rows[-1], cant_split=True)
        if el.status and el.status_note:
            cells = table.add_row().cells
            self._label(cells[0], el.labels["状況"], widths[0])
            p = self._cell_text(cells[1].merge(cells[5]), "", "表本文", middle=False)
            self._run(p, el.status, "ラベル")
            p.add_run(el.status_note)
            oxml.row_flags(table.rows[-1], cant_split=True)
        for field in el.fields:
            cells = table.add_row().cells
            self._label(cells[0], field.label, widths[0])
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
        self._label(label, el.labels["実施工程表"], widths[0])
        year_cells = [cells[1].merge(cells[3])] + [cells[3 + i] for i in range(1, len(el.years))]
        for cell, lines in zip(year_cells, el.yearly):
            first = cell.paragraphs[0]
            self._pstyle(first, "表工程表")
            for i, line in enumerate(lines):
                p = first if i == 0 else self._p(cell, "表工程表")
                p.add_run(line)
        oxml.row_flags(table.rows[-1], cant_split=True)
        oxml.fixed_widths(table, widths)
        oxml.cell_margins(table, 50, 80, 50, 80)
        oxml.keep_rows_whole(table)
        for note in el.notes:
            p = self._p(self.doc, "注記")
            p.add_run(el.note_mark)
            self._run(p, note.term, "ラベル")
            p.add_run(el.note_separator + note.definition)

    def _label(self, cell, text: str, width_mm: float):
        """A card's row label (達成目標 / （評価指標）, broken where the phrase breaks)."""
        return self._narrow(cell, text, "表見出し", width_mm, LABEL_BG, padding_pt=4.0)

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
        return table

    def history(self, el: b.History):
        table, _ = self._headed_table(el.columns)
        for row in el.rows:
            cells = table.add_row().cells
            for cell, text in zip(cells, row):
                self._cell_text(cell, text, "表本文", middle=False)
            oxml.row_flags(table.rows[-1], cant_split=True)
        oxml.fixed_widths(table, [50, 40, FRAME_W - 90])
        oxml.keep_rows_whole(table)
        return table

    def colophon(self, el: b.Colophon):
        """The 奥付 box at the foot of the last page (its section aligns the page's content to the bottom)."""
        table = self.doc.add_table(rows=1, cols=1)
        table.style = self.doc.styles["Table Grid"]
        cell = table.cell(0, 0)
        self._cell_text(cell, el.title, "奥付題", middle=False)
        self._p(cell, "奥付", el.date)
        p = self._p(cell, "奥付")
        self._run(p, f"【{el.heading}】", "ラベル")
        p.add_run(el.publisher)
        for line in el.contact:
            self._p(cell, "奥付", line)
        oxml.fixed_widths(table, [100])
        oxml.keep_rows_whole(table)
        oxml.cell_margins(table, 120, 160, 120, 160)
        self._p(self.doc, "区切り")  # a document ends with a paragraph
        return table

    # -- the walk ---------------------------------------------------------------------------------
    def write(self, kind: str = "booklet") -> None:
        """Cover and 目次 in sections without page numbers, then the body numbered from 1.  A new
        section starts where the running head changes (the cards of each 項目) and for the
        colophon; within a section a card starts its page through the 帯 style."""
        tree = self.tree
        entries = [(h.level, h.text, h.anchor) for h in tree.contents()]
        started = False
        for el in tree.front:
            if isinstance(el, b.Cover):
                self._decorate(self.doc.sections[0], False, "")
                self.cover(el)
                started = True
            elif isinstance(el, b.Contents):
                self._start(started, footer=False)
                self.contents(el, entries)
                started = True
        numbered = kind != "briefing"
        if started:
            self._new_section(footer=numbered, restart=True)
        else:
            self._decorate(self.doc.sections[0], numbered, "")
        body = list(tree.body)
        header = ""
        pending_break = False
        for i, el in enumerate(body):
            if isinstance(el, b.PageBreak):
                pending_break = True
                continue
            following = next((x for x in body[i + 1:] if not isinstance(x, b.PageBreak)), None)
            card = el if isinstance(el, b.Card) else (
                following if isinstance(el, b.Heading) and isinstance(following, b.Card) else None)
            wanted = "　".join(card.band) if card else ""
            if isinstance(el, b.Colophon):
                self._new_section(footer=numbered, bottom=True)
                pending_break = False
            elif wanted != header and started:
                self._new_section(footer=numbered, header=wanted)
                pending_break = False
            elif wanted and not started:  # a file that opens with a card (a department's)
                self._head(self.doc.sections[0], wanted)
            header = wanted
            if isinstance(el, b.Card):
                self.card(el)
                pending_break = False
            else:
                added = self._element(el, kind)
                if pending_break:
                    self._page_break_before(added)
                pending_break = False
            started = True

    def _start(self, started: bool, footer: bool, header: str = "") -> None:
        """A new section (new page), or the first section itself when nothing is written yet."""
        if started:
            self._new_section(footer=footer, header=header)
        else:
            self._decorate(self.doc.sections[0], footer, header)

    def _page_break_before(self, added) -> None:
        """A paragraph starts a page through its own property; a table through a page break at the
        end of the paragraph before it (Word has no page break property for tables)."""
        if added is None:
            return
        if hasattr(added, "paragraph_format"):
            added.paragraph_format.page_break_before = True
            return
        previous = added._tbl.getprevious()
        if previous is None or previous.tag != qn("w:p"):
            previous = OxmlElement("w:p")
            added._tbl.addprevious(previous)
            previous.get_or_add_pPr().style = self._style_id("区切り")
        run = OxmlElement("w:r")
        br = OxmlElement("w:br")
        br.set(qn("w:type"), "page")
        run.append(br)
        previous.append(run)

    def _element(self, el, kind):
        """Write one element; returns its first paragraph or table (to start a page before it)."""
        if isinstance(el, b.Heading):
            p = self.heading(el)
            if kind == "briefing" and el.level == 1:
                self._pstyle(p, "表紙")
            return p
        if isinstance(el, (b.Para, b.ListBlock)):
            made = self.block(self.doc, el, "本文", "箇条書き")
            return made[0] if made else None
        if isinstance(el, b.Figure):
            return self.figure(el)
        if isinstance(el, b.SystemTable):
            return self.system_table(el)
        if isinstance(el, b.CountTable):
            return self.count_table(el)
        if isinstance(el, b.Glossary):
            return self.glossary(el)
        if isinstance(el, b.History):
            return self.history(el)
        if isinstance(el, b.Colophon):
            return self.colophon(el)
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
        save_package(buffer.getvalue(), path, (tree.year, tree.month, 1, 0, 0, 0), tree.author)


def save_package(data: bytes, target: Path, when: tuple, company: str = "") -> None:
    """Write the finished package of a python-docx save (schema order, no template leftovers,
    fixed timestamps: the same content gives the same bytes)."""
    target.write_bytes(package.finish(data, when, styles.font_table(), company))


def write_docx(document: b.Document, path: Path, kind: str = "booklet") -> None:
    """Write ``document`` to ``path`` (the build writes into a staging folder, then moves)."""
    writer = WordWriter(document)
    writer.write(kind)
    writer.save(path)
