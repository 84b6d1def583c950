"""Word styles, fonts and document settings: styles, not direct formatting.

Every style names its East Asian font (``w:eastAsia``) as Windows 10/11 ship it, so a stock Word
substitutes nothing; 禁則 (kinsoku), 和欧間 spacing (autoSpaceDE/DN) and justification are on in the
document defaults.
"""

from __future__ import annotations

from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from .. import fonts

MINCHO = "BIZ UD明朝 Medium"
GOTHIC = "BIZ UDゴシック"


def word_names() -> tuple[str, str]:
    specs = fonts.manifest()
    return specs["body"].word_name, specs["heading"].word_name


def font_table() -> list[tuple[str, str, str]]:
    """(Word name, Latin family name, font family class) of the fonts the document names."""
    specs = fonts.manifest()
    return [(specs["body"].word_name, specs["body"].family, "roman"),
            (specs["heading"].word_name, specs["heading"].family, "modern")]


def set_fonts(rpr_parent, name: str) -> None:
    """Set every script's font (ascii, hAnsi, eastAsia, cs) of a style or run to ``name``."""
    rpr = rpr_parent.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), name)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)


def _on(parent, tag: str, val: str | None = None):
    from .oxml import child

    return child(parent, qn(tag), **({qn("w:val"): val} if val is not None else {}))


def document_defaults(document, body_font: str) -> None:
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault"))
    rpr = rpr_default.find(qn("w:rPr"))
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), body_font)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = OxmlElement("w:pPrDefault")
        defaults.append(ppr_default)
    ppr = ppr_default.find(qn("w:pPr"))
    if ppr is None:
        ppr = OxmlElement("w:pPr")
        ppr_default.append(ppr)
    for tag in ("w:kinsoku", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN"):
        _on(ppr, tag, "1")
    _on(ppr, "w:wordWrap", "1")  # never break a Latin word in the middle


def settings(document) -> None:
    el = document.settings.element
    _on(el, "w:mirrorMargins")
    _on(el, "w:characterSpacingControl", "compressPunctuation")
    lang = _on(el, "w:themeFontLang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "ja-JP")


_INDEX = None  # a WeakKeyDictionary: document part → {style name: style}, made on first use


def _style(document, name: str, kind=WD_STYLE_TYPE.PARAGRAPH, base: str | None = "Normal"):
    """A style by its name, made when the template lacks it.  Names are looked up in an index made
    once per document: python-docx scans every style of the template on each lookup and addition."""
    from weakref import WeakKeyDictionary

    from docx.styles import BabelFish
    from docx.styles.style import StyleFactory

    global _INDEX
    if _INDEX is None:
        _INDEX = WeakKeyDictionary()
    index = _INDEX.get(document.part)
    if index is None:
        index = _INDEX[document.part] = {style.name: style for style in document.styles}
    style = index.get(name)
    if style is None:
        element = document.styles.element.add_style_of_type(BabelFish.ui2internal(name), kind, False)
        style = index[name] = StyleFactory(element)
        if base and kind == WD_STYLE_TYPE.PARAGRAPH:
            style.base_style = index[base]
    return style


def border(style, side: str, kind: str, eighths: int, color: str) -> None:
    """A paragraph border of a style (the rule under the cover title and the running header)."""
    ppr = style.element.get_or_add_pPr()
    pbdr = _on(ppr, "w:pBdr")
    edge = _on(pbdr, f"w:{side}", kind)
    edge.set(qn("w:sz"), str(eighths))
    edge.set(qn("w:space"), "4")
    edge.set(qn("w:color"), color.lstrip("#").upper())


def tab_stops(style, stops: list[tuple[str, int, str]]) -> None:
    """Replace a style's tab stops with ``(alignment, position in twips, leader)``; the template's
    Header and Footer carry stops for US Letter."""
    ppr = style.element.get_or_add_pPr()
    old = ppr.find(qn("w:tabs"))
    if old is not None:
        ppr.remove(old)
    if not stops:
        return
    tabs = _on(ppr, "w:tabs")
    for align, pos, leader in stops:
        tab = OxmlElement("w:tab")
        tab.set(qn("w:val"), align)
        tab.set(qn("w:pos"), str(pos))
        tab.set(qn("w:leader"), leader)
        tabs.append(tab)


def define(document, accent: str, frame_width_twips: int = 9520) -> dict[str, tuple[str, float]]:
    """Create or restyle every style the booklet uses; returns each paragraph style's font role
    (body / heading) and size, for the text the writer measures itself."""
    mincho, gothic = word_names()
    document_defaults(document, mincho)
    settings(document)
    accent_rgb = RGBColor.from_string(accent.lstrip("#"))

    normal = document.styles["Normal"]
    set_fonts(normal.element, mincho)
    normal.font.size = Pt(10.5)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.line_spacing = 1.25
    normal.paragraph_format.space_after = Pt(0)
    metrics: dict[str, tuple[str, float]] = {}

    def para(name, font, size, *, bold=False, color=None, align=None, before=0, after=0, keep=False,
             base="Normal", first_line_chars=0, left_mm=0.0, hanging_mm=0.0, page_break=False):
        st = _style(document, name, base=base)
        set_fonts(st.element, font)
        st.font.size = Pt(size)
        st.font.bold = bold
        if color is not None:
            st.font.color.rgb = color
        pf = st.paragraph_format
        if align is not None:
            pf.alignment = align
        pf.space_before, pf.space_after = Pt(before), Pt(after)
        pf.keep_with_next = keep or None
        if first_line_chars:  # in characters for Word, and in twips for LibreOffice
            ind = _on(st.element.get_or_add_pPr(), "w:ind")
            ind.set(qn("w:firstLineChars"), str(first_line_chars * 100))
            ind.set(qn("w:firstLine"), str(round(first_line_chars * size * 20)))
        if left_mm:
            pf.left_indent = Mm(left_mm)
        if hanging_mm:
            pf.first_line_indent = Mm(-hanging_mm)
        if page_break:
            pf.page_break_before = True
        metrics[name] = ("body" if font == mincho else "heading", size)
        return st

    para("Heading 1", gothic, 16, bold=True, color=accent_rgb, before=0, after=12, keep=True)
    para("Heading 2", gothic, 12.5, bold=True, color=accent_rgb, before=8, after=6, keep=True)
    para("Heading 3", gothic, 11, bold=True, color=RGBColor(0, 0, 0), keep=True)  # a card's 事業名
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        document.styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    # a prose chapter's third level (Markdown ###): a heading of its own, so "Heading 3" stays the
    # cards' 事業名 (set tight inside the card table); outline level 3 for the navigation pane, out of
    # the 目次 (its TOC field takes levels 1-2)
    para("小見出し", gothic, 11, bold=True, color=RGBColor(0, 0, 0), before=6, after=3, keep=True,
         base="Heading 3", align=WD_ALIGN_PARAGRAPH.LEFT)
    _on(document.styles["小見出し"].element.get_or_add_pPr(), "w:outlineLvl", "2")
    para("本文", mincho, 10.5, first_line_chars=1, after=3)
    para("表本文", mincho, 9.5, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    para("表見出し", gothic, 9, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("表小", mincho, 8.5, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表小終了", mincho, 8.5, color=RGBColor(0x80, 0x80, 0x80), align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表見出し終了", gothic, 9, color=RGBColor(0x80, 0x80, 0x80), align=WD_ALIGN_PARAGRAPH.CENTER)
    para("表方針", gothic, 10, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF), align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表項目", gothic, 9, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表数", gothic, 9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("表番号", gothic, 11, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("表事業名", gothic, 11, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表工程", gothic, 8, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表継続", gothic, 8, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("表見出し小", gothic, 8, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("表工程表", mincho, 9.5, align=WD_ALIGN_PARAGRAPH.LEFT)
    # the schedule grid of many cells (a 10-year plan by quarters): smaller header and bar labels
    para("表見出し極小", gothic, 6.5, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("表工程小", gothic, 6.5, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表工程小終了", gothic, 6.5, color=RGBColor(0x80, 0x80, 0x80), align=WD_ALIGN_PARAGRAPH.LEFT)
    # a group row of the third level of the 施策の体系, set in under the second
    para("表項目下位", gothic, 9, align=WD_ALIGN_PARAGRAPH.LEFT, left_mm=1.5 * 9 * 25.4 / 72)
    # tables in prose and on cards (事業費, 成果指標): cells as their column aligns, a unit above
    para("表セル", mincho, 9, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表セル中央", mincho, 9, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("表セル右", mincho, 9, align=WD_ALIGN_PARAGRAPH.RIGHT)
    para("表見出し左", gothic, 9, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("表単位", mincho, 8.5, align=WD_ALIGN_PARAGRAPH.RIGHT, keep=True)
    para("箇条書き", mincho, 10.5)  # the list's numbering hangs the ・ one em
    para("表箇条書き", mincho, 9.5)
    para("箇条書き下位", mincho, 10.5, left_mm=10.5 * 3 * 25.4 / 72)  # set in under a ・ item, unmarked
    para("注記", mincho, 8.5, left_mm=3.0, hanging_mm=3.0, before=2)
    para("帯", gothic, 10.5, bold=True, color=accent_rgb, keep=True, page_break=True)  # a card starts a page
    para("帯項目", gothic, 10, after=4, keep=True)
    para("帯中間", gothic, 10, keep=True)  # a band line between the first and the last (three levels)
    para("図", mincho, 10.5, align=WD_ALIGN_PARAGRAPH.CENTER, keep=True)
    para("Caption", gothic, 9.5, color=RGBColor(0, 0, 0), align=WD_ALIGN_PARAGRAPH.CENTER, after=8)
    para("表紙題名", gothic, 24, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=200, after=24)
    border(document.styles["表紙題名"], "bottom", "double", 12, accent)
    para("表紙", gothic, 14, align=WD_ALIGN_PARAGRAPH.CENTER, after=12)
    para("表紙日付", gothic, 12, align=WD_ALIGN_PARAGRAPH.CENTER, before=240, after=24)
    para("表紙自治体", gothic, 16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("区切り", mincho, 1)  # the paragraph Word needs after a card table that ends a section
    document.styles["区切り"].paragraph_format.line_spacing = Pt(1)
    para("表後", mincho, 1, after=6)  # the space between a table in prose and the text after it
    document.styles["表後"].paragraph_format.line_spacing = Pt(1)
    para("目次見出し", gothic, 18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=24)
    para("toc 1", gothic, 12, bold=True, before=8, after=2)
    para("toc 2", gothic, 10.5, left_mm=7, after=2)
    for name in ("toc 1", "toc 2"):  # page numbers flush right after a dotted leader
        tab_stops(document.styles[name], [("right", frame_width_twips, "dot")])
    para("奥付", mincho, 10.5, align=WD_ALIGN_PARAGRAPH.LEFT)
    para("奥付題", gothic, 11, bold=True, align=WD_ALIGN_PARAGRAPH.LEFT, after=2)
    para("Footer", gothic, 9, align=WD_ALIGN_PARAGRAPH.CENTER, base=None)
    para("Header", gothic, 8.5, align=WD_ALIGN_PARAGRAPH.RIGHT, base=None)
    para("柱", gothic, 8.5, align=WD_ALIGN_PARAGRAPH.RIGHT, base="Header")  # running head of card pages
    para("柱偶数", gothic, 8.5, align=WD_ALIGN_PARAGRAPH.LEFT, base="柱")
    border(document.styles["柱"], "bottom", "single", 4, "4D4D4D")
    for name in ("Header", "Footer"):
        tab_stops(document.styles[name], [])
    label = _style(document, "ラベル", WD_STYLE_TYPE.CHARACTER, base=None)
    set_fonts(label.element, gothic)
    for name in ("Title", "Subtitle", "Heading 4", "Heading 1 Char", "Heading 2 Char", "Heading 3 Char",
                 "Title Char"):
        try:
            set_fonts(document.styles[name].element, gothic)
        except KeyError:
            pass
    for style in document.styles:  # every style names the BIZ UD family for East Asian text
        if style.type in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            rpr = style.element.rPr
            rfonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
            if rfonts is None or rfonts.get(qn("w:eastAsia")) is None:
                set_fonts(style.element, gothic if "Heading" in (style.name or "") else mincho)
    return metrics
