"""Walk the booklet tree and write the PDF."""

from __future__ import annotations

import os
from calendar import timegm
from contextlib import contextmanager
from pathlib import Path

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer

from .. import booklet as b
from . import fonts
from .card import card_flowables
from .figure import Diagram
from .pieces import (Deferred, FullPage, Heading, Marker, paint_colophon, paint_contents, paint_cover,
                     text_line)
from .styles import (BODY, CAPTION, FRAME_H, FRAME_W, H1, H2, MARGIN_BOTTOM, MARGIN_INNER,
                     MARGIN_OUTER, MARGIN_TOP, MUTED, PAGE_H, PAGE_W, RULE)
from .tables import count_table, glossary_table, history_table, system_table
from .text import TextBlock, block_flowables


class BookletTemplate(BaseDocTemplate):
    """A4, double-sided: the gutter alternates sides; page numbers count from the body's first page."""

    def __init__(self, filename, document: b.Document, numbered: bool):
        super().__init__(filename, pagesize=(PAGE_W, PAGE_H), title=document.title, author=document.author,
                         subject=document.subject, creator="docgen", lang=document.lang, invariant=1,
                         initialFontName=fonts.PDF_NAMES["body"], initialFontSize=10.5,
                         leftMargin=MARGIN_INNER, rightMargin=MARGIN_OUTER, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM)
        self.document = document
        self.numbered = numbered
        self.anchors: dict[str, int] = {}
        self.body_start: int | None = None if document.front else 1
        self.band: tuple[str, str] | None = None
        odd = Frame(MARGIN_INNER, MARGIN_BOTTOM, FRAME_W, FRAME_H, 0, 0, 0, 0, id="odd")
        even = Frame(MARGIN_OUTER, MARGIN_BOTTOM, FRAME_W, FRAME_H, 0, 0, 0, 0, id="even")
        self.addPageTemplates([
            PageTemplate("odd", [odd], onPageEnd=self._decorate, autoNextPageTemplate="even"),
            PageTemplate("even", [even], onPageEnd=self._decorate, autoNextPageTemplate="odd"),
        ])

    def page_label(self, physical: int | None) -> str:
        if physical is None or self.body_start is None:
            return "–"
        return str(physical - self.body_start + 1)

    def _decorate(self, canv, doc):
        page = canv.getPageNumber()
        if self.body_start is None or page < self.body_start or not self.numbered:
            return
        odd = page % 2 == 1
        left = MARGIN_INNER if odd else MARGIN_OUTER
        text_line(canv, f"- {self.page_label(page)} -", "heading", 9, left + FRAME_W / 2,
                  MARGIN_BOTTOM / 2, "center", MUTED)
        if self.band:
            y = PAGE_H - MARGIN_TOP + 10
            text = f"{self.band[0]}　{self.band[1]}"
            text_line(canv, text, "heading", 8.5, left + FRAME_W if odd else left, y,
                      "right" if odd else "left", MUTED)
            canv.saveState()
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.4)
            canv.line(left, y - 4, left + FRAME_W, y - 4)
            canv.restoreState()


def _start_body(canv, doc):
    doc.body_start = canv.getPageNumber()


def _set_band(canv, doc, band):
    doc.band = band


def _card_anchor(canv, doc, card: b.Card):
    canv.bookmarkPage(card.anchor)
    canv.addOutlineEntry(f"{card.number} {card.name}", card.anchor, 2, closed=True)
    doc.anchors[card.anchor] = canv.getPageNumber()


def _finish(canv, doc, entries, contents_title):
    """At the end: draw the 目次 (now that every page is known) and set the page labels."""
    if contents_title is not None:
        canv.beginForm("contents")
        paint = paint_contents(contents_title, entries, doc.anchors, doc.page_label, doc.document.accent)
        canv.saveState()
        canv.translate(MARGIN_OUTER, MARGIN_BOTTOM)  # the 目次 is on page 2, an even page
        paint(canv, FRAME_W, FRAME_H - 1)
        canv.restoreState()
        canv.endForm()
    if doc.body_start and doc.body_start > 1:
        canv.addPageLabel(0, "ROMAN_LOWER", 1)
        canv.addPageLabel(doc.body_start - 1, "ARABIC", 1)
    else:
        canv.addPageLabel(0, "ARABIC", 1)


def story(document: b.Document, doc: BookletTemplate, briefing: bool = False) -> list:
    out: list = []
    entries = [(h.level, h.text, h.anchor) for h in document.contents()]
    contents_title = None
    accent = document.accent
    for el in document.front:
        if isinstance(el, b.Cover):
            out.append(FullPage(paint_cover(el)))
        elif isinstance(el, b.Contents):
            contents_title = el.title
            out.append(FullPage(lambda canv, w, h: canv.doForm("contents")))
        elif isinstance(el, b.PageBreak):
            out.append(PageBreak())
    out.append(Marker(_start_body, doc))
    h1 = H1 if not briefing else H1.__class__(**{**H1.__dict__, "align": "center", "size": 15})
    for el in document.body:
        out.extend(_flowables(el, doc, accent, h1))
    out.append(Marker(_finish, doc, entries, contents_title))
    return out


def _flowables(el, doc: BookletTemplate, accent: str, h1) -> list:
    accent_c = HexColor(accent)
    if isinstance(el, b.Heading):
        if el.level == 1:
            return [Marker(_set_band, doc, None), Heading(el, h1, doc.anchors, 0, accent_c)]
        return [Heading(el, H2, doc.anchors, 1, None)]
    if isinstance(el, (b.Para, b.ListBlock)):
        return block_flowables(el, BODY)
    if isinstance(el, b.PageBreak):
        return [PageBreak()]
    if isinstance(el, b.Figure):
        caption = TextBlock((b.Span(el.caption),), CAPTION)
        return [Spacer(1, 8), Diagram(el, accent), caption]
    if isinstance(el, b.SystemTable):
        return [system_table(el, accent), Spacer(1, 16)]
    if isinstance(el, b.CountTable):
        return [count_table(el, accent)]
    if isinstance(el, b.Card):
        return [Marker(_set_band, doc, el.band)] + card_flowables(el, accent, doc.anchors, Marker(_card_anchor, doc, el))
    if isinstance(el, b.Glossary):
        page_of = lambda anchor: doc.page_label(doc.anchors.get(anchor))  # noqa: E731
        return [Marker(_set_band, doc, None), Deferred(lambda: glossary_table(el, accent, page_of))]
    if isinstance(el, b.History):
        return [history_table(el, accent)]
    if isinstance(el, b.Colophon):
        return [Marker(_set_band, doc, None), FullPage(paint_colophon(el, accent_c))]
    raise TypeError(f"no PDF rendering for {type(el).__name__}")  # pragma: no cover


@contextmanager
def _source_date(year: int, month: int):
    """Creation date from the content (or SOURCE_DATE_EPOCH when set), for byte-identical output."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if not saved:
        os.environ["SOURCE_DATE_EPOCH"] = str(timegm((year, month, 1, 0, 0, 0)))
    try:
        yield
    finally:
        if not saved:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


def write_pdf(document: b.Document, path: Path, numbered: bool = True, briefing: bool = False) -> None:
    """Write ``document`` to ``path`` (the build writes into a staging folder, then moves)."""
    fonts.register()
    with _source_date(document.year, document.month):
        doc = BookletTemplate(str(path), document, numbered)
        doc.build(story(document, doc, briefing))
