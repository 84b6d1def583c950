"""Walk the booklet tree and write the PDF."""

from __future__ import annotations

import io
import os
from calendar import timegm
from contextlib import contextmanager
from pathlib import Path

from reportlab.lib.colors import CMYKColor, HexColor, toColor
from reportlab.platypus import BaseDocTemplate, Frame, PageBreak, PageTemplate, Spacer

from .. import booklet as b
from . import fonts
from .blocks import prose_flowables
from .card import card_flowables
from .figure import Diagram
from .fonts import string_width
from .pieces import (Deferred, FullPage, Heading, Marker, add_outline, contents_pages, link_contents, paint_colophon,
                     paint_contents, paint_cover, text_line)
from .styles import (BLACK, BODY, CAPTION, FRAME_H, FRAME_W, H1, H2, H3, MARGIN_BOTTOM, MARGIN_INNER,
                     MARGIN_OUTER, MARGIN_TOP, MIN_SIZE, MUTED, PAGE_H, PAGE_W, RULE, RUNNING_HEAD)
from .tables import count_table, glossary_table, history_table, system_tables
from .text import TextBlock

MAX_PASSES = 4  # builds of a document with cross-references, until their page numbers settle


class BookletTemplate(BaseDocTemplate):
    """A4, double-sided: the gutter alternates sides; page numbers count from the body's first page."""

    def __init__(self, filename, document: b.Document, numbered: bool, press: bool = False):
        super().__init__(filename, pagesize=(PAGE_W, PAGE_H), title=document.title, author=document.author,
                         subject=document.subject, creator="docgen", lang=document.lang, invariant=1,
                         initialFontName=fonts.PDF_NAMES["body"], initialFontSize=10.5,
                         leftMargin=MARGIN_INNER, rightMargin=MARGIN_OUTER, topMargin=MARGIN_TOP,
                         bottomMargin=MARGIN_BOTTOM, enforceColorSpace=to_cmyk if press else None)
        self.document = document
        self.numbered = numbered
        self.press = press
        self.unnumbered = False  # the pages from here on carry no folio (a press PDF's last pages)
        self.anchors: dict[str, int] = {}
        self.body_start: int | None = None if document.front else 1
        self.band: tuple[str, ...] | None = None  # the running head: the band of the card on the page
        odd = Frame(MARGIN_INNER, MARGIN_BOTTOM, FRAME_W, FRAME_H, 0, 0, 0, 0, id="odd")
        even = Frame(MARGIN_OUTER, MARGIN_BOTTOM, FRAME_W, FRAME_H, 0, 0, 0, 0, id="even")
        self.addPageTemplates([PageTemplate("odd", [odd], onPage=self._begin, onPageEnd=self._decorate),
                               PageTemplate("even", [even], onPage=self._begin, onPageEnd=self._decorate)])

    def handle_pageBegin(self):
        # the frame by the parity of the page itself (reportlab's autoNextPageTemplate lost a step at
        # the page break after the 目次, setting the body's odd pages with the gutter on the right)
        self.pageTemplate = self.pageTemplates[0 if (self.page + 1) % 2 else 1]
        super().handle_pageBegin()

    def page_label(self, physical: int | None) -> str:
        if physical is None or self.body_start is None:
            return "–"
        return str(physical - self.body_start + 1)

    def _begin(self, canv, doc):
        if self.press:  # text set without a colour of its own is black ink too, not the device's black
            canv.setFillColor(BLACK)
            canv.setStrokeColor(BLACK)

    def _decorate(self, canv, doc):
        page = canv.getPageNumber()
        if self.press:  # the printer trims to the page: no bleed is set
            canv.setTrimBox((0, 0, PAGE_W, PAGE_H))
            canv.setBleedBox((0, 0, PAGE_W, PAGE_H))
        if self.body_start is None or page < self.body_start or not self.numbered or self.unnumbered:
            return
        odd = page % 2 == 1
        left = MARGIN_INNER if odd else MARGIN_OUTER
        text_line(canv, f"- {self.page_label(page)} -", "heading", 9, left + FRAME_W / 2,
                  MARGIN_BOTTOM / 2, "center", MUTED)
        if self.band:
            y = PAGE_H - MARGIN_TOP + 10
            text, size = running_head(self.band, FRAME_W)
            text_line(canv, text, "heading", size, left + FRAME_W if odd else left, y,
                      "right" if odd else "left", MUTED)
            canv.saveState()
            canv.setStrokeColor(RULE)
            canv.setLineWidth(0.4)
            canv.line(left, y - 4, left + FRAME_W, y - 4)
            canv.restoreState()


def running_head(band: tuple[str, ...], width: float) -> tuple[str, float]:
    """The band's lines on one line: smaller down to the minimum size, then cut short with …"""
    text = "　".join(line for line in band if line)
    for size in (RUNNING_HEAD, MIN_SIZE):
        if string_width(text, "heading", size) <= width:
            return text, size
    while text and string_width(text + "…", "heading", MIN_SIZE) > width:
        text = text[:-1]
    return text + "…", MIN_SIZE


class PageNumbers:
    """The page label of each anchor a cross-reference names, as the previous pass found it ("–"
    in the first), or None for an anchor this document does not have (a card of another
    department's file); records which anchors were asked for."""

    def __init__(self, known: dict[str, str], targets: set[str]):
        self.known, self.targets = known, targets
        self.asked: set[str] = set()

    def __call__(self, anchor: str) -> str | None:
        if anchor not in self.targets:
            return None
        self.asked.add(anchor)
        return self.known.get(anchor, "–")


def targets(document: b.Document) -> set[str]:
    """The anchors a link may point to: the document's headings and cards."""
    return {h.anchor for h in document.headings()} | {el.anchor for el in document.body if isinstance(el, b.Card)}


def to_cmyk(color):
    """Colours of a press PDF: greys (all text) as black ink alone (100 % K at full black), the
    accent and tints converted to CMYK."""
    rgb = toColor(color)
    if isinstance(rgb, CMYKColor):
        return rgb
    r, g, b_ = rgb.red, rgb.green, rgb.blue
    if r == g == b_:
        return CMYKColor(0, 0, 0, 1 - r, alpha=rgb.alpha)
    k = 1 - max(r, g, b_)
    return CMYKColor(*((1 - v - k) / (1 - k) for v in (r, g, b_)), k, alpha=rgb.alpha)


def _unnumber(canv, doc):
    doc.unnumbered = True


def _start_body(canv, doc):
    doc.body_start = canv.getPageNumber()


def _set_band(canv, doc, band):
    doc.band = band


def _card_anchor(canv, doc, card: b.Card):
    canv.bookmarkPage(card.anchor)
    add_outline(canv, f"{card.number} {card.name}", card.anchor, 2, closed=True)
    doc.anchors[card.anchor] = canv.getPageNumber()


def _finish(canv, doc, contents_title, contents):
    """At the end: draw the 目次 (now that every page is known), set the page labels, and open the
    file with the bookmarks panel shown."""
    canv.showOutline()
    for k, placed in enumerate(contents):
        # each page of the 目次 is a form its page shows (FullPage), drawn in the frame's coordinates
        canv.beginForm(f"contents-{k}")
        paint_contents(contents_title if k == 0 else "", placed, doc.anchors, doc.page_label,
                       doc.document.accent)(canv, FRAME_W, FRAME_H - 1)
        canv.endForm()
    if doc.body_start and doc.body_start > 1:
        canv.addPageLabel(0, "ROMAN_LOWER", 1)
        canv.addPageLabel(doc.body_start - 1, "ARABIC", 1)
    else:
        canv.addPageLabel(0, "ARABIC", 1)


def story(document: b.Document, doc: BookletTemplate, briefing: bool = False, page_of=None) -> list:
    out: list = []
    entries = [(h.level, h.text, h.anchor) for h in document.contents()]
    contents_title, contents = "", []
    accent = document.accent
    for el in document.front:
        if isinstance(el, b.Cover):
            out.append(FullPage(paint_cover(el)))
        elif isinstance(el, b.Contents):
            contents_title, contents = el.title, contents_pages(entries, FRAME_H - 1, FRAME_W)
            for k in range(len(contents)):
                out += [PageBreak()] if k else []
                out.append(FullPage(lambda canv, w, h, k=k: (canv.doForm(f"contents-{k}"),
                                                             link_contents(canv, w, contents[k]))))
            if len(contents) % 2 == 0:  # a blank page keeps what follows on the side it starts on
                out += [PageBreak(), FullPage(lambda canv, w, h: None)]
        elif isinstance(el, b.PageBreak):
            out.append(PageBreak())
    out.append(Marker(_start_body, doc))
    h1 = H1 if not briefing else H1.__class__(**{**H1.__dict__, "align": "center", "size": 15})
    for el in document.body:
        out.extend(_flowables(el, doc, accent, h1, page_of))
    out.append(Marker(_finish, doc, contents_title, contents))
    return out


def _flowables(el, doc: BookletTemplate, accent: str, h1, page_of) -> list:
    accent_c = HexColor(accent)
    if isinstance(el, b.Heading):
        if el.level == 1:  # a chapter: no running head until the next card
            return [Marker(_set_band, doc, None), Heading(el, h1, doc.anchors, 0, accent_c)]
        # a section (##) or sub-section (###) leaves the running head as it is
        if el.level == 2:
            return [Heading(el, H2, doc.anchors, 1, None)]
        return [Heading(el, H3, doc.anchors, 2, None)]
    if isinstance(el, (b.Para, b.ListBlock, b.Table)):
        return prose_flowables(el, BODY, accent, page_of)
    if isinstance(el, b.PageBreak):
        return [PageBreak()]
    if isinstance(el, b.Figure):
        caption = TextBlock((b.Span(el.caption),), CAPTION)
        return [Spacer(1, 8), Diagram(el, accent), caption]
    if isinstance(el, b.SystemTable):
        return system_tables(el, accent, page_of.targets if page_of else None)
    if isinstance(el, b.CountTable):
        return [count_table(el, accent)]
    if isinstance(el, b.Card):
        return [Marker(_set_band, doc, tuple(el.band))] + card_flowables(
            el, accent, doc.anchors, Marker(_card_anchor, doc, el), page_of)
    if isinstance(el, b.Glossary):
        page_of = lambda anchor: doc.page_label(doc.anchors.get(anchor))  # noqa: E731
        return [Marker(_set_band, doc, None), Deferred(lambda: glossary_table(el, accent, page_of))]
    if isinstance(el, b.History):
        return [history_table(el, accent)]
    if isinstance(el, b.Colophon):
        if not doc.press:
            return [Marker(_set_band, doc, None), FullPage(paint_colophon(el, accent_c))]
        # press: blank pages first, so that the colophon is the last page of a whole number of
        # sheets (4 pages each) and so a left-hand page; neither they nor it carry a folio
        blank = [FullPage(lambda canv, w, h: None), PageBreak()] * doc.pad
        return [Marker(_set_band, doc, None), Marker(_unnumber, doc)] + blank + [FullPage(paint_colophon(el, accent_c))]
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


def write_pdf(document: b.Document, path: Path | None, numbered: bool = True, briefing: bool = False,
              press: bool = False) -> dict[str, str]:
    """Write ``document`` to ``path`` (the build writes into a staging folder, then moves).

    A cross-reference prints the page of the card it names, which may come later: the document is
    built again with the pages the pass before found, until a pass finds the pages it printed (as
    LaTeX does; two passes, three when a page number's width moved a page break).  Every pass is
    deterministic, so the same content still gives the same bytes.  A document without
    cross-references is built once.

    ``press`` makes the print shop's file: colours in CMYK with text in black ink alone, the trim
    box set, and the pages padded with blanks to a multiple of four with the colophon last, on a
    left-hand page without a folio.

    Returns the printed page label of every anchor (heading, card) — what the Word file caches for its
    目次 and page references.  ``path`` None lays the document out without writing it."""
    fonts.register()
    known: dict[str, str] = {}
    anchors = targets(document)
    with _source_date(document.year, document.month):
        for _ in range(MAX_PASSES):
            pages = PageNumbers(known, anchors)
            out, doc = _build(document, numbered, briefing, pages, press, 0)
            found = {anchor: doc.page_label(doc.anchors.get(anchor)) for anchor in pages.asked}
            if all(found[anchor] == known.get(anchor, "–") for anchor in pages.asked):
                break
            known = {anchor: doc.page_label(page) for anchor, page in doc.anchors.items()}
        pad = (-doc.page) % 4 if press and any(isinstance(el, b.Colophon) for el in document.body) else 0
        if pad:  # blank pages before the colophon move nothing a page number names
            out, doc = _build(document, numbered, briefing, pages, press, pad)
    if path is not None:
        Path(path).write_bytes(out.getvalue())
    return {anchor: doc.page_label(page) for anchor, page in doc.anchors.items()}


def _build(document, numbered, briefing, pages, press, pad):
    out = io.BytesIO()
    doc = BookletTemplate(out, document, numbered, press)
    doc.pad = pad
    doc.build(story(document, doc, briefing, pages))
    return out, doc
