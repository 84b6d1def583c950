"""Walk the booklet tree and write the Word file."""

from __future__ import annotations

import io
import math
import re
from datetime import datetime, timezone
from pathlib import Path

import docx
from docx.blkcntnr import BlockItemContainer
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from .. import booklet as b
from .. import schedule
from . import editing, numbering, oxml, package, styles
from ..linebreak import pack_phrases
from .figure import phrase_lines, render_png, text_width

PAGE_W, PAGE_H = 210, 297
INNER, OUTER, TOP, BOTTOM = 25, 17, 22, 20
FRAME_W = PAGE_W - INNER - OUTER
LABEL_BG = "E8EEF4"
SUBLABEL_BG = "F4F7FA"  # a third-level group row of the 施策の体系, lighter than the second
PT = 25.4 / 72  # millimetres per point
# what a line never breaks inside: a run of Latin letters, digits and their punctuation (2,800, (R11), 8.5%)
_UNBREAKABLE = re.compile(r"[!-~％（）]+|\S")

# the 施策の体系 (millimetres): the columns before the schedule grid and after it, the least room
# the project names keep, and a year's width where the grid has room to spare
SYS_NUMBER, SYS_PRIORITY, SYS_TAIL, SYS_NAME_MIN, SYS_YEAR = 14.0, 14.0, 11.0, 45.0, 26.0
SYS_PAD = 2.0  # cell padding left and right, points (cell_margins 40 twips)
SYS_CELL_COMFORT = 4.0  # a grid cell narrower than this: the columns around it give up their slack
# a card: the row labels, the 事業番号 and 事業名 label cells; at most this many schedule columns a row
CARD_LABEL, CARD_NUMBER, CARD_NAME_LABEL, CARD_SCHEDULE_COLUMNS = 30.0, 17.0, 17.0, 5
CARD_PAD_TW = 80  # the card table's left and right cell padding, twips
CARD_SNAP = 2.0  # mm: a title-row rule this close to a schedule column rule moves onto it


def _tint(accent: str, amount: float) -> str:
    h = accent.lstrip("#")
    rgb = [int(h[i:i + 2], 16) for i in (0, 2, 4)]
    return "".join(f"{round(255 - (255 - c) * amount):02X}" for c in rgb)


class WordWriter:
    def __init__(self, document: b.Document, pages: dict[str, str] | None = None):
        self.tree = document
        self.pages = pages
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
        self.targets = _bookmarks(document)  # what a link or a page reference may point to
        self.marks = editing.Marks()  # ids of the edit slots' controls, bookmarks and ranges

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
                _add_run(p, header)

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
                _add_run(p, "- ")
                oxml.field(p, "PAGE", "1")
                _add_run(p, " -")
        self._numbered = self._numbered or footer

    # -- styles by id (python-docx looks a style up by scanning every style on each assignment) ----
    def _style_id(self, name: str) -> str:
        ids = self.__dict__.setdefault("_ids", {})
        if name not in ids:
            ids[name] = self.doc.styles[name].style_id
        return ids[name]

    def _p(self, container, style: str, text: str = ""):
        p = container.add_paragraph(text)
        _set_pstyle(p._p, self._style_id(style))
        return p

    def _pstyle(self, paragraph, style: str) -> None:
        _set_pstyle(paragraph._p, self._style_id(style))

    def _run(self, paragraph, text: str, style: str | None = None):
        return _add_run(paragraph, text, self._style_id(style) if style else None)

    # -- text --------------------------------------------------------------------------------------
    def spans(self, p, spans) -> None:
        """Append runs; a cross-reference links to the card's bookmark and is followed by its page
        number, as the glossary's references are: 6-1「オープンデータの推進」（12頁）.  A reference
        to a card this file does not hold (a department's file) is plain text."""
        for span in spans:
            target = oxml.bookmark_name(span.ref) if span.ref else ""
            if target and target in self.targets:
                oxml.internal_link(p, [span.text], target, self._style_id("ラベル") if span.label else None)
                _add_run(p, "（")
                oxml.field(p, f"PAGEREF {target} \\h", self._page(span.ref))
                _add_run(p, "頁）")
                continue
            run = _add_run(p, span.text)
            if span.label:
                run._r.style = self._style_id("ラベル")

    def _page(self, anchor: str) -> str:
        """The cached result of a page reference: the anchor's page in the booklet's PDF layout."""
        return (self.pages or {}).get(anchor, "")

    def para(self, container, spans, style: str):
        p = self._p(container, style)
        self.spans(p, spans)
        return p

    def block(self, container, block: b.Block, style: str, list_style: str, width_tw: int | None = None,
              head_bg: str | None = None):
        if isinstance(block, b.Table):
            return self.table(container, block, width_tw or oxml.twips(FRAME_W), head_bg)
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

    def table_widths(self, rows, cols: int, weights, total: int) -> list[int]:
        """Column widths in twips: in proportion to ``weights``, then widened where a column's content
        would break badly — a number, a header or a centred or right-aligned cell is wanted on one
        line, and nothing narrower than its longest unbreakable piece (170, (R11), 2,800) — taking the
        room from the columns that have more than they want.  If the wants do not fit, only the
        unbreakable pieces are kept whole; if even those do not fit, the weights stand."""
        widths = oxml.split_twips(total, weights)
        pad = 2 * 60 + 60  # the cells' padding and a little slack, twips
        want, least = [pad] * cols, [pad] * cols
        for row in rows:
            at = 0
            for data in row:
                span = max(1, data.span)
                if span == 1 and at < cols:
                    role, size = self.metrics["表見出し" if data.head else "表セル"]
                    text = "".join(sp.text for sp in data.spans)
                    pieces = _UNBREAKABLE.findall(text) or [""]
                    piece = max(text_width(t, role, size) for t in pieces) * 20 + pad
                    whole = text_width(text, role, size) * 20 + pad
                    least[at] = max(least[at], piece)
                    one_line = data.head or data.align != "left" or len(pieces) == 1
                    want[at] = max(want[at], whole if one_line else piece)
                at += span
        for goal in (want, least):
            if sum(goal) > total:
                continue
            short = [c for c in range(cols) if widths[c] < goal[c]]
            if not short:
                break
            need = sum(goal[c] - widths[c] for c in short)
            spare = {c: widths[c] - goal[c] for c in range(cols) if widths[c] > goal[c]}
            room = sum(spare.values())
            shares = [float(goal[c]) if c in short else widths[c] - need * spare.get(c, 0) / room
                      for c in range(cols)]
            return oxml.split_twips(total, shares)
        return widths

    def _new_table(self, container, cols: int):
        """An empty table at the end of the body or of a cell (a card's 事業費 table)."""
        host = self.doc._body if container is self.doc else container
        table = BlockItemContainer.add_table(host, 0, cols, Mm(10))
        _table_style(table, self._style_id("Table Grid"))
        return table

    def table(self, container, el: b.Table, width_tw: int, head_bg: str | None = None):
        """A table of prose or of a card: the caption (（単位：千円）) above it flush right, header rows
        repeating on every page, column widths in proportion to ``weights`` over ``width_tw``."""
        made = []
        if el.caption:
            made.append(self._p(container, "表単位", el.caption))
        rows = [*el.header, *el.rows]
        cols = max([len(el.weights)] + [sum(max(1, c.span) for c in row) for row in rows]) or 1
        weights = list(el.weights) + [max(el.weights, default=1.0) or 1.0] * (cols - len(el.weights))
        widths = self.table_widths(rows, cols, weights, max(width_tw, cols * 60))
        table = self._new_table(container, cols)
        head_bg = head_bg or _tint(self.accent, 0.18)
        for r, row in enumerate(rows):
            header = r < len(el.header)
            spans = []
            for cell in row:
                room = cols - sum(spans)
                if room <= 0:
                    break
                spans.append(min(max(1, cell.span), room))
            if sum(spans) < cols:  # a short row: its last cell (or an empty one) fills the rest
                if spans and len(spans) == len(row):
                    spans[-1] += cols - sum(spans)
                else:
                    spans.append(cols - sum(spans))
            cells = oxml.add_row(table, spans)
            for cell, data in zip(cells, row):
                if data.head:
                    # header rows centre their titles; a row's own head (a KPI's name) aligns as told
                    style = "表見出し" if header or data.align == "center" else "表見出し左"
                else:
                    style = {"center": "表セル中央", "right": "表セル右"}.get(data.align, "表セル")
                p = self._cell_text(cell, "", style, head_bg if data.head else None)
                self.spans(p, data.spans)
            for cell in cells[len(row):]:
                self._cell_text(cell, "", "表セル")
            oxml.row_flags(table.rows[-1], header=header, cant_split=True)
        oxml.fixed_grid(table, widths)
        oxml.cell_margins(table, 20, 60, 20, 60)
        if el.edit is not None:
            editing.wrap_table(table, el.edit, len(el.header), self.marks)
        if container is not self.doc:
            # a cell ends with a paragraph: make the one after a table as small as a paragraph can be
            self._p(container, "区切り")
        else:  # the text after a table in prose keeps a little distance
            self._p(container, "表後")
        return made + [table]

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
        for i, (level, text, anchor) in enumerate(entries):
            p = first if i == 0 else self._p(self.doc, f"toc {min(level, 2)}")
            if i == 0:
                self._pstyle(p, f"toc {min(level, 2)}")
            _add_run(p, text)
            page = (self.pages or {}).get(anchor, "")
            if page:  # the booklet's page, after the dotted leader of the toc styles' right tab
                _add_run(p, "\t" + page)
            paragraphs.append(p)
        oxml.field_end(paragraphs[-1])

    def heading(self, el: b.Heading):
        """Levels 1 and 2 as Word's Heading 1 and 2 (the 目次 takes them); a prose chapter's third
        level as 小見出し, a heading at outline level 3 outside the 目次 — "Heading 3" is the cards'
        事業名, so the navigation pane lists a card's name and a prose sub-heading alike at level 3
        under their level-2 heading, and nothing else counts as a card."""
        p = self._p(self.doc, f"Heading {max(1, el.level)}" if el.level < 3 else "小見出し", el.text)
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

    # -- the 施策の体系 ------------------------------------------------------------------------------
    def _need(self, text: str, style: str, pad_pt: float = SYS_PAD) -> float:
        """Millimetres a cell needs to hold ``text`` on one line in ``style``: its width, the 和欧間
        space Word and LibreOffice put between Latin and Japanese letters (R8～), the padding, and a
        little slack for their own wrapping."""
        role, size = self.metrics[style]
        latin = [ch.isascii() and ch.isalnum() for ch in text]
        gaps = sum(1 for a, b_ in zip(latin, latin[1:]) if a != b_)
        return (text_width(text, role, size) + gaps * size / 4 + 2 * pad_pt + 3.0) * PT

    def _need_two_lines(self, text: str, style: str, pad_pt: float = SYS_PAD) -> float:
        """Millimetres a cell needs to hold ``text`` on at most two lines broken between phrases."""
        key = (text, style, pad_pt)
        memo = self.__dict__.setdefault("_two_lines", {})
        if key not in memo:
            memo[key] = self._measure_two_lines(text, style, pad_pt)
        return memo[key]

    def _measure_two_lines(self, text: str, style: str, pad_pt: float) -> float:
        role, size = self.metrics[style]
        whole = text_width(text, role, size)
        room = max(size, whole / 2)
        while room < whole and len(phrase_lines(text, role, size, room)) > 2:
            room += 1.0
        return (min(room, whole) + 2 * pad_pt + 3.0) * PT

    def _part_style(self, parts, cell_mm: float) -> str | None:
        """The style the part names (上期 / 第1四半期) fit a grid cell in on at most two lines: the
        small header style, a smaller one, or None when even that does not fit (then the grid goes
        without its part row: the years above and the cell rules still show where each part is)."""
        for style in ("表見出し小", "表見出し極小"):
            if all(self._need_two_lines(part, style) <= cell_mm for part in parts):
                return style
        return None

    def system_widths(self, el: b.SystemTable) -> tuple[list[float], str | None]:
        """Column widths in millimetres (number, priority, name, every grid cell, continuation) and
        the style of the part row (None: no part row).

        The frame is shared so: the number, priority and continuation columns take their usual width
        (wider when a number or the continuation header needs it), the grid cells up to a year of
        ``SYS_YEAR`` (or what the part names need on two lines), the project names the rest but never
        less than ``SYS_NAME_MIN``.  When that leaves grid cells narrower than ``SYS_CELL_COMFORT`` (a
        ten-year plan by quarters: 40 cells), the columns around the grid shrink to their content,
        every millimetre going to the cells, and the part names shrink or go (see _part_style): a
        typesetter would rather lose the 第1四半期 labels than set them vertically."""
        cells = el.cells
        per_year = max(1, len(el.parts))
        number_need = max([self._need(row.number, "表見出し") for row in el.rows if isinstance(row, b.ProjectRow)]
                          + [0.0])
        beyond_need = self._need(el.beyond, "表見出し小")

        def share(number: float, priority: float, tail: float) -> list[float]:
            avail = FRAME_W - number - priority - tail
            prefer = SYS_YEAR / per_year
            if el.parts:
                prefer = max(prefer, max(self._need_two_lines(part, "表見出し小") for part in el.parts))
            cell = max(0.5, min(prefer, (avail - SYS_NAME_MIN) / cells))
            name = max(avail - cell * cells, 10.0)
            return [number, priority, name] + [cell] * cells + [tail]

        widths = share(max(SYS_NUMBER, number_need), SYS_PRIORITY, max(SYS_TAIL, beyond_need))
        if widths[3] < SYS_CELL_COMFORT:
            heads = list(el.columns[:2]) + [""] * (2 - len(el.columns[:2]))
            widths = share(max(number_need, self._need_two_lines(heads[0], "表見出し小")),
                           max(self._need(el.priority_mark, "表見出し"), self._need_two_lines(heads[1], "表見出し小")),
                           max(beyond_need, self._need(el.continues_mark, "表継続")))
        return widths, (self._part_style(el.parts, widths[3]) if el.parts else None)

    def system_tables(self, el: b.SystemTable):
        """施策の体系 as one table, or, when its grid would be too narrow to read, as several tables
        of consecutive years, as the PDF sets it (see :func:`docgen.schedule.split_by_years`)."""
        parts = schedule.split_by_years(el)
        table = None
        for k, part in enumerate(parts):
            if k:
                self._p(self.doc, "表後")  # a little space between the tables
            table = self.system_table(part)
        return table

    def system_table(self, el: b.SystemTable):
        cells = el.cells
        widths, part_style = self.system_widths(el)
        cell_w = widths[3]
        per_year = max(1, len(el.parts))
        columns = list(el.columns[:3]) + [""] * (3 - len(el.columns[:3]))
        table = self._new_table(self.doc, len(widths))
        head_bg = _tint(self.accent, 0.18)
        two_rows = part_style is not None
        top = oxml.add_row(table, [1, 1, 1] + [per_year] * len(el.years) + [1])
        for i, text in enumerate(columns):
            self._narrow(top[i], text, "表見出し小", widths[i], head_bg)
        for k, year in enumerate(el.years):
            self._narrow(top[3 + k], year, "表見出し小", cell_w * per_year, head_bg)
        self._narrow(top[-1], el.beyond, "表見出し小", widths[-1], head_bg)
        oxml.row_flags(table.rows[-1], header=True, cant_split=True)
        if two_rows:  # the part row; the columns beside it merge down over both header rows
            second = oxml.add_row(table, [1] * len(widths))
            for i in (0, 1, 2, -1):
                oxml.vmerge(top[i], "restart")
                oxml.vmerge(second[i], "continue")
                self._cell_text(second[i], "", "表見出し小", head_bg)
            for k in range(cells):
                self._narrow(second[3 + k], el.parts[k % len(el.parts)], part_style, cell_w, head_bg,
                             whole_phrases=True)
            oxml.row_flags(table.rows[-1], header=True, cant_split=True)
        for row in el.rows:
            if isinstance(row, b.GroupRow):
                self._group_row(table, row, len(widths))
            else:
                self._project_row(table, el, row, widths)
        oxml.fixed_widths(table, widths)
        oxml.cell_margins(table, 20, 40, 20, 40)
        oxml.keep_rows_whole(table)
        return table

    def _group_row(self, table, row: b.GroupRow, cols: int) -> None:
        """A group of the hierarchy across the whole table: the top level (基本方針1) on the accent
        with its description under it, the second level (（1）…) on the label ground, deeper levels
        set in under it on a lighter ground; each kept with the row after it."""
        cell = oxml.add_row(table, [cols])[0]
        if row.level <= 0:
            self._cell_text(cell, row.heading, "表方針", self.accent)
            self._keep_with_next(table.rows[-1])
            if row.description:
                cell = oxml.add_row(table, [cols])[0]
                self._cell_text(cell, row.description, "表小", _tint(self.accent, 0.06))
                self._keep_with_next(table.rows[-1])
        elif row.level == 1:
            self._cell_text(cell, row.heading, "表項目", LABEL_BG)
            self._keep_with_next(table.rows[-1])
        else:
            p = self._cell_text(cell, row.heading, "表項目下位", SUBLABEL_BG)
            if row.level > 2:  # a fourth level and deeper: one more em in each
                p.paragraph_format.left_indent = Pt(9 * (row.level - 0.5))
            self._keep_with_next(table.rows[-1])
        oxml.row_flags(table.rows[-1], cant_split=True)

    def _project_row(self, table, el: b.SystemTable, row: b.ProjectRow, widths: list[float]) -> None:
        """A project: number, priority mark, linked name, and its phases as a Gantt chart — each phase
        one shaded cell merged over the grid cells it covers, its label inside, the rule between two
        phases kept; work going on past the plan period runs into the last column with → ."""
        cells_n = el.cells
        segments = self._bar_segments(row, cells_n)
        spans = [1, 1, 1]
        for start, end, _ in segments:
            spans.append(min(end, cells_n - 1) - start + 1 if start < cells_n else 0)
        spans = [s for s in spans if s] + [1]
        cells = oxml.add_row(table, spans)
        number_style = "表見出し" if not row.closed else "表見出し終了"
        self._cell_text(cells[0], row.number, number_style)
        self._cell_text(cells[1], el.priority_mark if row.priority else "", number_style)
        name_style = "表小" if not row.closed else "表小終了"
        link = oxml.bookmark_name(row.anchor)
        name = self._narrow(cells[2], row.name, name_style, widths[2],
                            link=link if link in self.targets else None)
        if row.status:
            self._run(name, f"【{row.status}】", "ラベル")
        band = _tint("808080", 0.35) if row.closed else _tint(self.accent, 0.30)
        tail = cells[-1]
        grid = iter(cells[3:-1])
        tail_label = ""
        for start, end, bar in segments:
            if start >= cells_n:  # a phase that starts after the plan period
                if bar is not None:
                    oxml.shade(tail, band)
                    tail_label = bar.label
                continue
            cell = next(grid)
            if bar is None:
                continue
            oxml.shade(cell, band)
            span_mm = (min(end, cells_n - 1) - start + 1) * widths[3]
            self._bar_label(cell, bar.label, span_mm, row.closed)
            if end >= cells_n:  # into the continuation column: no rule between
                oxml.open_side(cell, "right")
                oxml.shade(tail, band)
                oxml.open_side(tail, "left")
        mark = el.continues_mark if row.continues else ""
        if tail_label:
            self._cell_text(tail, tail_label + mark, "表工程" if not row.closed else "表小終了")
        elif mark:
            self._cell_text(tail, mark, "表継続")
        else:
            self._cell_text(tail, "", "表継続")

    @staticmethod
    def _bar_segments(row: b.ProjectRow, cells: int):
        """(first cell, last cell, bar or None) covering the grid and the continuation column (cell
        ``cells``) left to right: each bar clipped to the grid and to the bar before it; a project
        going on past the period carries its last bar into the continuation column; cells no bar
        covers are segments of one cell each."""
        bars = sorted(row.bars, key=lambda bar: bar.start)
        out, at = [], 0
        for i, bar in enumerate(bars):
            start = max(bar.start, at, 0)
            end = min(max(bar.end, start), cells)
            if row.continues and i == len(bars) - 1 and start < cells:
                end = cells
            if start > cells:
                break
            out += [(k, k, None) for k in range(at, start)]
            out.append((start, end, bar))
            at = end + 1
        out += [(k, k, None) for k in range(at, cells + 1)]
        return [seg for seg in out if seg[0] <= cells]

    def _bar_label(self, cell, label: str, width_mm: float, closed: bool) -> None:
        """A phase's label in its band: the schedule style on one line, or on two broken between
        phrases; where that does not fit, a smaller style on one line; a band of a cell or two in a
        crowded grid takes its label a character a line, the cell's padding given up."""
        style, small = ("表工程", "表工程小") if not closed else ("表小終了", "表工程小終了")
        if not label or self._need(label, style) <= width_mm:
            self._cell_text(cell, label, style)
            return
        role, size = self.metrics[style]
        if len(phrase_lines(label, role, size, width_mm / PT - 2 * SYS_PAD - 3.0)) <= 2:
            self._narrow(cell, label, style, width_mm)
        elif self._need(label, small) <= width_mm:
            self._cell_text(cell, label, small)
        else:
            oxml.cell_padding(cell, 0, 0)
            self._narrow(cell, label, small, width_mm, padding_pt=0.0)

    def _keep_with_next(self, row):
        """Every paragraph of the row kept with the next (on the XML: the row's cells as they are,
        merged ones once)."""
        for p in row._tr.iter(_P):
            oxml.child(oxml.child(p, _PPR, first=True), _KEEP_NEXT)

    def _narrow(self, cell, text: str, style: str, width_mm: float, background: str | None = None,
                link: str | None = None, padding_pt: float = 2.0, whole_phrases: bool = False):
        """Text of a narrow cell, broken at phrase boundaries (事業番号 → 事業/番号, not 事業番/号);
        ``whole_phrases``: a short name packed by whole phrases as the PDF packs it (第1／四半期)."""
        role, size = self.metrics[style]
        room = width_mm * 72 / 25.4 - 2 * padding_pt - 1.5  # Word's own wrapping needs a little slack
        lines = None
        if whole_phrases:
            lines = pack_phrases(text, lambda line: text_width(line, role, size) <= room)
        lines = lines or phrase_lines(text, role, size, room)
        p = self._cell_text(cell, "", style, background)
        if link:
            oxml.internal_link(p, lines, link)
        else:
            for i, line in enumerate(lines):
                run = _add_run(p, line)
                if i < len(lines) - 1:
                    run.add_break()
        return p

    def _phrased(self, p, parts: list[tuple[str, str | None]], style: str, width_mm: float) -> None:
        """Runs (text, character style) broken into lines where the PDF breaks them, at phrase
        boundaries (ワンストップ化, not ワンストッ|プ化): Word would wrap between any two kana."""
        full = "".join(text for text, _ in parts)
        role, size = self.metrics[style]
        lines = phrase_lines(full, role, size, width_mm * 72 / 25.4 - 1.5)
        breaks, at = set(), 0
        for line in lines[:-1]:
            at = full.index(line, at) + len(line) if line else at
            breaks.add(at)
        offset = 0
        for text, char_style in parts:
            start = 0
            for cut in sorted(b_ - offset for b_ in breaks if offset < b_ <= offset + len(text)):
                run = self._run(p, text[start:cut], char_style)
                run.add_break()
                start = cut
            if text[start:]:
                self._run(p, text[start:], char_style)
            offset += len(text)

    def _cell_text(self, cell, text: str, style: str, background: str | None = None, middle: bool = True):
        p = cell.paragraphs[0]
        self._pstyle(p, style)
        if text:
            _add_run(p, text)
        if background:
            oxml.shade(cell, background)
        if middle:
            oxml.valign(cell)
        return p

    def _headed_table(self, columns):
        """A grid table whose first row holds the column titles and repeats on every page."""
        table = self.doc.add_table(rows=1, cols=len(columns))
        _table_style(table, self._style_id("Table Grid"))
        head_bg = _tint(self.accent, 0.18)
        for i, text in enumerate(columns):
            self._cell_text(table.cell(0, i), text, "表見出し", head_bg)
        oxml.row_flags(table.rows[0], header=True, cant_split=True)
        return table, head_bg

    def count_table(self, el: b.CountTable):
        """項目別事業数: the top-level group on its first row, one column per lower level (the labels
        on their group's first row), the count; a subtotal row per top-level group, the total."""
        lower = max(0, len(el.columns) - 2)
        widths = self.count_widths(el)
        table, head_bg = self._headed_table(el.columns)
        for group in el.groups:
            started = [None] * (lower + 1)  # per label column: the cell a merged label starts in
            for i, row in enumerate(group.rows):
                texts = [group.label if i == 0 else ""] + (list(row.cells) + [""] * lower)[:lower]
                cells = oxml.add_row(table, [1] * (lower + 2))
                for col, (cell, text) in enumerate(zip(cells, texts)):
                    if text or started[col] is None or col == lower:
                        self._cell_text(cell, text, "表本文")
                        started[col] = cell
                    else:  # the label of the group above runs down over this row: one merged cell
                        started[col] = started[col].merge(cell)
                self._cell_text(cells[-1], str(row.count), "表数")
                if lower:  # a group stays with its subtotal
                    self._keep_with_next(table.rows[-1])
            if lower:  # without lower levels a group's one row is its count already
                cells = oxml.add_row(table, [1, lower, 1])
                self._cell_text(cells[0], "", "表本文", LABEL_BG)
                self._cell_text(cells[1], f"{group.label} {el.subtotal_label}", "表数", LABEL_BG)
                self._cell_text(cells[2], str(group.subtotal), "表数", LABEL_BG)
        if el.groups:  # and the total with the last group
            self._keep_with_next(table.rows[-1])
        if lower:
            cells = oxml.add_row(table, [1, lower, 1])
            self._cell_text(cells[0], "", "表本文", head_bg)
        else:
            cells = oxml.add_row(table, [1, 1])
            cells = [None] + cells
        self._cell_text(cells[1], el.total_label, "表数", head_bg)
        self._cell_text(cells[2], str(el.total), "表数", head_bg)
        oxml.fixed_widths(table, widths)
        oxml.keep_rows_whole(table)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        return table

    def count_widths(self, el: b.CountTable) -> list[float]:
        """Millimetres per column: the top level and the count as wide as their longest text needs
        (at least 32 and 24, as a two-level plan has them), the lower levels sharing 80 mm, and 40 more
        for each level past the first, in proportion to their longest text, within the frame."""
        lower = max(0, len(el.columns) - 2)
        heads = list(el.columns) + [""] * (2 - len(el.columns))
        top = max([32.0, self._need(heads[0], "表見出し", 3.5)]
                  + [self._need(g.label, "表本文", 3.5) for g in el.groups])
        count = max(24.0, self._need(heads[-1], "表見出し", 3.5), self._need(str(el.total), "表数", 3.5))
        # a label or count too long for its share of the frame wraps rather than squeezing the rest
        top, count = min(top, FRAME_W * 0.4), min(count, FRAME_W * 0.2)
        if not lower:
            return [top, count]
        room = min(FRAME_W - top - count, 80.0 + 40.0 * (lower - 1))
        needs = []
        for k in range(lower):
            texts = [el.columns[1 + k]] + [r.cells[k] for g in el.groups for r in g.rows if k < len(r.cells)]
            needs.append(max(self._need(t, "表本文", 3.5) for t in texts))
        floor = min(30.0, room / lower)
        shares = [max(floor, n) for n in needs]
        scale = room / sum(shares)
        return [top] + [w * scale for w in shares] + [count]

    def card(self, el: b.Card):
        lines = el.band or ((el.heading.text,) if el.heading else ("",))
        for i, line in enumerate(lines):
            style = ("Heading 2" if el.heading else "帯") if i == 0 else "帯項目" if i == len(lines) - 1 else "帯中間"
            p = self._p(self.doc, style, line)
            if i == 0 and el.heading:
                oxml.bookmark(p, oxml.bookmark_name(el.heading.anchor))
            if i == len(lines) - 1:
                oxml.bookmark(p, oxml.bookmark_name(el.anchor))
        grid, edges, (number_rule, name_rule) = self.card_grid(el)
        content = edges[-1]

        def spans(*rules):
            """Grid columns of each cell of a row whose cells end at ``rules`` (twips from the
            content's left edge)."""
            out, at = [1], 1
            for rule in rules:
                k = edges.index(rule)
                out.append(k - at + 1)
                at = k + 1
            return out

        table = self._new_table(self.doc, len(grid))
        label_mm = grid[0] / oxml.TWIPS_PER_MM
        cells = oxml.add_row(table, spans(number_rule, name_rule, content))
        self._label(cells[0], el.labels.get("事業番号", ""), label_mm)
        self._cell_text(cells[1], el.number, "表番号")
        self._label(cells[2], el.labels.get("事業名", ""), (name_rule - number_rule) / oxml.TWIPS_PER_MM)
        name = self._cell_text(cells[3], "", "Heading 3")  # the navigation pane lists cards
        self._phrased(name, [(el.status, "ラベル"), (el.priority_label, "ラベル"), (el.name, None)], "Heading 3",
                      (content - name_rule) / oxml.TWIPS_PER_MM - 2 * CARD_PAD_TW / oxml.TWIPS_PER_MM)
        oxml.row_flags(table.rows[-1], header=True, cant_split=True)
        if el.departments:
            cells = oxml.add_row(table, spans(content))
            self._label(cells[0], el.labels.get("所管課", ""), label_mm)
            self._cell_text(cells[1], el.departments, "表本文", middle=False)
            oxml.row_flags(table.rows[-1], cant_split=True)
        if el.status and el.status_note:
            cells = oxml.add_row(table, spans(content))
            self._label(cells[0], el.labels.get("状況", ""), label_mm)
            p = self._cell_text(cells[1], "", "表本文", middle=False)
            self._run(p, el.status, "ラベル")
            _add_run(p, el.status_note)
            oxml.row_flags(table.rows[-1], cant_split=True)
        for field in el.fields:
            if isinstance(field, b.CardSchedule):
                self._card_schedule(table, field, spans, content, label_mm)
                continue
            cells = oxml.add_row(table, spans(content))
            self._label(cells[0], field.label, label_mm)
            target = cells[1]
            first = target.paragraphs[0]
            made = []
            for block in field.blocks:
                made += self.block(target, block, "表本文", "表箇条書き", content - 2 * CARD_PAD_TW,
                                   _tint(self.accent, 0.10))
            if made:  # the cell's initial empty paragraph goes
                first._p.getparent().remove(first._p)
            if field.edit is not None:
                editing.wrap_cell(target, field.edit, self.marks)
        oxml.fixed_grid(table, grid)
        oxml.cell_margins(table, 50, CARD_PAD_TW, 50, CARD_PAD_TW)
        oxml.keep_rows_whole(table)
        for note in el.notes:
            p = self._p(self.doc, "注記")
            _add_run(p, el.note_mark)
            self._run(p, note.term, "ラベル")
            _add_run(p, el.note_separator + note.definition)

    @staticmethod
    def _schedule_rows(schedule: b.CardSchedule) -> tuple[int, int]:
        """(rows, columns a row) of a card's schedule: all in one row up to CARD_SCHEDULE_COLUMNS,
        else wrapped into rows as even as they can be (7 → 4 + 3, 11 → 4 + 4 + 3)."""
        n = max(1, len(schedule.years))
        rows = math.ceil(n / CARD_SCHEDULE_COLUMNS)
        return rows, math.ceil(n / rows)

    def card_grid(self, el: b.Card) -> tuple[list[int], list[int], tuple[int, int]]:
        """The card table's grid in twips, from its content: the label column, then the least grid
        that holds both the title row (事業番号 | number | 事業名 | name) and every schedule row's equal
        columns.  A title-row rule within CARD_SNAP of a schedule rule moves onto it, so no sliver
        column is made; a three-year schedule gives today's 30 | 17 | 17 | 12 | 46 | 46.  Returns the
        widths (label column first), the rules of the content part (0 … content) and the title
        row's two inner rules (after the number, after the 事業名 label)."""
        frame = oxml.twips(FRAME_W)
        label = oxml.twips(CARD_LABEL)
        content = frame - label
        rules = {0, content}
        for field in el.fields:
            if isinstance(field, b.CardSchedule):
                _, per_row = self._schedule_rows(field)
                rules |= {round(content * k / per_row) for k in range(1, per_row)}
        number_w = max(CARD_NUMBER, self._need(el.number, "表番号", 4.0))
        name_label_w = max(CARD_NAME_LABEL, self._need_two_lines(el.labels.get("事業名", ""), "表見出し", 4.0))
        snap = oxml.twips(CARD_SNAP)

        def snapped(rule: int, after: int) -> int:
            near = [r for r in rules if after < r < content and abs(r - rule) <= snap]
            return min(near, key=lambda r: (abs(r - rule), r)) if near else rule

        number_rule = snapped(min(oxml.twips(number_w), content // 3), 0)
        name_rule = snapped(min(number_rule + oxml.twips(name_label_w), content * 2 // 3), number_rule)
        edges = sorted(rules | {number_rule, name_rule})
        return [label] + [b_ - a for a, b_ in zip(edges, edges[1:])], edges, (number_rule, name_rule)

    def _card_schedule(self, table, schedule: b.CardSchedule, spans, content: int, label_mm: float) -> None:
        """The card's schedule: pairs of rows (years, then what happens in each), wrapped after
        CARD_SCHEDULE_COLUMNS columns; the label merged down over all of them."""
        head_bg = _tint(self.accent, 0.10)
        rows, per_row = self._schedule_rows(schedule)
        columns = list(zip(schedule.years, list(schedule.yearly) + [()] * len(schedule.years)))
        rules = [round(content * k / per_row) for k in range(1, per_row + 1)]
        first_label = None
        for r in range(rows):
            chunk = columns[r * per_row:(r + 1) * per_row]
            ends = rules[:len(chunk)]
            if ends[-1] != content:  # a short last row: one empty cell fills it
                ends.append(content)
            for part in ("years", "entries"):
                cells = oxml.add_row(table, spans(*ends))
                if first_label is None:
                    first_label = cells[0]
                    oxml.vmerge(cells[0], "restart")
                else:
                    oxml.vmerge(cells[0], "continue")
                    self._cell_text(cells[0], "", "表見出し", LABEL_BG)
                for k, cell in enumerate(cells[1:]):
                    if k >= len(chunk):
                        self._cell_text(cell, "", "表工程表", head_bg if part == "years" else None)
                    elif part == "years":
                        self._cell_text(cell, chunk[k][0], "表見出し", head_bg)
                    else:
                        lines = chunk[k][1] or ("",)
                        first = cell.paragraphs[0]
                        self._pstyle(first, "表工程表")
                        for i, line in enumerate(lines):
                            q = first if i == 0 else self._p(cell, "表工程表")
                            _add_run(q, line)
                        slot = schedule.edits[r * per_row + k] if schedule.edits else None
                        if slot is not None:
                            editing.wrap_cell(cell, slot, self.marks)
                oxml.row_flags(table.rows[-1], cant_split=True)
                if part == "years" or r < rows - 1:
                    self._keep_with_next(table.rows[-1])
        self._label(first_label, schedule.label, label_mm)

    def _label(self, cell, text: str, width_mm: float):
        """A card's row label (達成目標 / （評価指標）, broken where the phrase breaks)."""
        return self._narrow(cell, text, "表見出し", width_mm, LABEL_BG, padding_pt=4.0)

    def glossary(self, el: b.Glossary):
        table, head_bg = self._headed_table(el.columns)
        group = None
        for entry in el.entries:
            if entry.group and entry.group != group:  # A～Z, あ行 …: a heading row kept with its first term
                group = entry.group
                cells = table.add_row().cells
                merged = cells[0].merge(cells[-1])
                self._cell_text(merged, group, "表項目", LABEL_BG)
                oxml.row_flags(table.rows[-1], cant_split=True)
                self._keep_with_next(table.rows[-1])
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
                _add_run(p, f"{number}（")
                oxml.field(p, f"PAGEREF {oxml.bookmark_name(anchor)} \\h", self._page(anchor))
                _add_run(p, "頁）")
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
        _table_style(table, self._style_id("Table Grid"))
        cell = table.cell(0, 0)
        self._cell_text(cell, el.title, "奥付題", middle=False)
        self._p(cell, "奥付", el.date)
        p = self._p(cell, "奥付")
        self._run(p, f"【{el.heading}】", "ラベル")
        _add_run(p, el.publisher)
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
        if tree.editing is not None:  # a file made for editing opens with what to do, on a page of its own
            for el in tree.editing.instructions:
                self._element(el, kind)
            editing.protect(self.doc.settings.element)
            started = True
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
        fresh = started  # the body's first section holds nothing yet: a card there takes its head
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
            elif wanted != header and fresh:
                self._head(self.doc.sections[-1], wanted)
            elif wanted != header and started:
                self._new_section(footer=numbered, header=wanted)
                pending_break = False
            elif wanted and not started:  # a file that opens with a card (a department's)
                self._head(self.doc.sections[0], wanted)
            header = wanted
            fresh = False
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
        if isinstance(el, (b.Para, b.ListBlock, b.Table)):
            made = self.block(self.doc, el, "本文", "箇条書き")
            return made[0] if made else None
        if isinstance(el, b.Figure):
            return self.figure(el)
        if isinstance(el, b.SystemTable):
            return self.system_tables(el)
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
    def _ask_to_update_fields(self) -> None:
        """Word is asked to update fields on open only where it must: a 目次 or a page reference whose
        page was not cached from the booklet's layout.  (Running heads and folios update anyway; a
        file made for editing never asks.)"""
        needs = self.pages is None and self.tree.editing is None and any(
            "TOC" in (t.text or "") or "PAGEREF" in (t.text or "") for t in self.doc.element.body.iter(qn("w:instrText")))
        settings = self.doc.settings.element
        update = settings.find(qn("w:updateFields"))
        if needs:
            oxml.child(settings, qn("w:updateFields"), **{qn("w:val"): "true"})
        elif update is not None:
            settings.remove(update)

    def save(self, path: Path) -> None:
        tree = self.tree
        props = self.doc.core_properties
        stamp = datetime(tree.year, tree.month, 1, tzinfo=timezone.utc).replace(tzinfo=None)
        # Word's core properties hold at most 255 characters each (a title is printed whole in the file)
        props.title, props.author, props.subject = tree.title[:255], tree.author[:255], tree.subject[:255]
        props.language, props.last_modified_by = tree.lang, tree.author
        props.created = props.modified = stamp
        props.revision = 1
        props.comments = ""
        self._ask_to_update_fields()
        buffer = io.BytesIO()
        _save_stored(self.doc, buffer)
        parts = None
        if tree.editing is not None:
            fixed = editing.fixed_texts(self.doc.element.body, editing.in_slot_of_writer)
            parts = (editing.custom_properties(tree.editing), editing.originals(tree.editing, fixed),
                     editing.ITEM_PROPS)
        save_package(buffer.getvalue(), path, (tree.year, tree.month, 1, 0, 0, 0), tree.author, parts)


_PPR, _PSTYLE, _VAL = qn("w:pPr"), qn("w:pStyle"), qn("w:val")
_P, _KEEP_NEXT = qn("w:p"), qn("w:keepNext")
_R, _RPR, _RSTYLE, _T, _TAB, _BR = qn("w:r"), qn("w:rPr"), qn("w:rStyle"), qn("w:t"), qn("w:tab"), qn("w:br")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _add_run(paragraph, text: str, style_id: str | None = None):
    """A run of ``text`` at the end of a paragraph (a python-docx Paragraph), made on the XML directly
    as python-docx's add_run makes it: a tab is w:tab, a newline w:br.  Returns python-docx's Run."""
    from docx.text.run import Run

    p = paragraph._p
    r = p.makeelement(_R, {})
    if style_id:
        rpr = r.makeelement(_RPR, {})
        rpr.append(rpr.makeelement(_RSTYLE, {_VAL: style_id}))
        r.append(rpr)
    for k, piece in enumerate(re.split(r"([\t\n])", text)):
        if piece == "\t":
            r.append(r.makeelement(_TAB, {}))
        elif piece == "\n":
            r.append(r.makeelement(_BR, {}))
        elif piece:
            t = r.makeelement(_T, {})
            t.text = piece
            if piece != piece.strip():
                t.set(_SPACE, "preserve")
            r.append(t)
    p.append(r)
    return Run(r, paragraph)


def _save_stored(document, buffer) -> None:
    """python-docx's save, its zip left uncompressed: :func:`package.finish` reads it back at once and
    writes the finished, compressed file (deflating twice only cost time)."""
    from zipfile import ZIP_STORED, ZipFile

    from docx.opc import phys_pkg

    made = phys_pkg._ZipPkgWriter.__init__

    def stored(self, pkg_file):
        phys_pkg.PhysPkgWriter.__init__(self)
        self._zipf = ZipFile(pkg_file, "w", compression=ZIP_STORED)

    phys_pkg._ZipPkgWriter.__init__ = stored
    try:
        document.save(buffer)
    finally:
        phys_pkg._ZipPkgWriter.__init__ = made


def _table_style(table, style_id: str) -> None:
    """A table's style by its id (python-docx's setter looks up the default table style each time)."""
    oxml.child(table._tbl.tblPr, qn("w:tblStyle"), first=True, **{_VAL: style_id})


def _set_pstyle(p, style_id: str) -> None:
    """A paragraph's style, set on the XML directly (python-docx's setter searches the schema's
    successors of pPr on every call; the package is put in schema order when it is saved)."""
    oxml.child(oxml.child(p, _PPR, first=True), _PSTYLE, first=True, **{_VAL: style_id})


def _bookmarks(document: b.Document) -> set[str]:
    """The bookmark names the writer makes: headings and cards."""
    names = set()
    for el in (*document.front, *document.body):
        if isinstance(el, b.Heading):
            names.add(oxml.bookmark_name(el.anchor))
        elif isinstance(el, b.Card):
            names.add(oxml.bookmark_name(el.anchor))
            if el.heading is not None:
                names.add(oxml.bookmark_name(el.heading.anchor))
    return names


def save_package(data: bytes, target: Path, when: tuple, company: str = "", edit_parts=None) -> None:
    """Write the finished package of a python-docx save (schema order, no template leftovers,
    fixed timestamps: the same content gives the same bytes)."""
    target.write_bytes(package.finish(data, when, styles.font_table(), company, edit_parts))


def write_docx(document: b.Document, path: Path, kind: str = "booklet", pages: dict[str, str] | None = None) -> None:
    """Write ``document`` to ``path`` (the build writes into a staging folder, then moves).

    ``pages``: the page label of each anchor in the booklet's PDF layout.  The 目次 and every page
    reference then carry it as their cached result, so the file reads right as it opens, and Word is
    not asked to update fields on open (without ``pages`` it is, to fill them)."""
    writer = WordWriter(document, pages)
    writer.write(kind)
    writer.save(path)
