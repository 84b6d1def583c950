"""Small WordprocessingML helpers python-docx does not offer: fields, shading, bookmarks, rows."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm

_bookmark_id = [0]


def field(paragraph, instruction: str, cached: str = "", style: str | None = None):
    """Append a complex field (PAGE, TOC, PAGEREF, STYLEREF …) with a cached result."""
    def run(child):
        r = OxmlElement("w:r")
        if style:
            rpr = OxmlElement("w:rPr")
            rs = OxmlElement("w:rStyle")
            rs.set(qn("w:val"), style)
            rpr.append(rs)
            r.append(rpr)
        r.append(child)
        paragraph._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run(sep)
    if cached:
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = cached
        run(t)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run(end)


def field_begin(paragraph, instruction: str) -> None:
    """Open a field whose result spans several paragraphs (the 目次); close with :func:`field_end`."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None)):
        r = OxmlElement("w:r")
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = f" {text} "
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r.append(el)
        paragraph._p.append(r)


def field_end(paragraph) -> None:
    r = OxmlElement("w:r")
    el = OxmlElement("w:fldChar")
    el.set(qn("w:fldCharType"), "end")
    r.append(el)
    paragraph._p.append(r)


def bookmark_name(anchor: str) -> str:
    """Word bookmark names take letters, digits and underscores only."""
    return anchor.replace("-", "_")


def bookmark(paragraph, name: str) -> None:
    _bookmark_id[0] += 1
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{_bookmark_id[0]}" w:name="{name}"/>')
    end = parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{_bookmark_id[0]}"/>')
    paragraph._p.insert(0, start)
    paragraph._p.append(end)


def reset_ids() -> None:
    _bookmark_id[0] = 0


def shade(cell, color: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), color.lstrip("#").upper())
    tcpr.append(shd)


def valign(cell, where: str = "center") -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    v = OxmlElement("w:vAlign")
    v.set(qn("w:val"), where)
    tcpr.append(v)


def row_flags(row, header: bool = False, cant_split: bool = False) -> None:
    trpr = row._tr.get_or_add_trPr()
    if cant_split and trpr.find(qn("w:cantSplit")) is None:
        trpr.append(OxmlElement("w:cantSplit"))
    if header and trpr.find(qn("w:tblHeader")) is None:
        trpr.append(OxmlElement("w:tblHeader"))


def keep_rows_whole(table, longest: int = 400) -> None:
    """Rows stay on one page, except a row with more text than ``longest`` characters (a long
    card field), which may run on to the next page rather than leave a page half empty."""
    for row in table.rows:
        text = sum(len(t.text or "") for t in row._tr.iter(qn("w:t")))
        if text <= longest:
            row_flags(row, cant_split=True)


def fixed_widths(table, widths_mm: list[float]) -> None:
    """Fixed table layout with the given column widths (Word and LibreOffice honour tcW)."""
    table.autofit = False
    tblpr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)
    for row in table.rows:
        for idx, width in enumerate(widths_mm):
            if idx < len(row.cells):
                row.cells[idx].width = Mm(width)
    for idx, col in enumerate(table.columns):
        col.width = Mm(widths_mm[idx])


def cell_margins(table, top=40, right=70, bottom=40, left=70) -> None:
    """Cell padding in twentieths of a point."""
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", left), ("bottom", bottom), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)


def internal_link(paragraph, lines: list[str], bookmark_name: str) -> None:
    """Append ``lines`` as a link to a bookmark in the same document (Ctrl+click in Word)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    for i, line in enumerate(lines):
        if i:
            run.append(OxmlElement("w:br"))
        t = OxmlElement("w:t")
        t.set(qn("xml:space"), "preserve")
        t.text = line
        run.append(t)
    link.append(run)
    paragraph._p.append(link)


def open_side(cell, side: str) -> None:
    """No rule on one side of a cell (inside a band of the schedule grid)."""
    tcpr = cell._tc.get_or_add_tcPr()
    borders = tcpr.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        tcpr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "nil")
    borders.append(edge)
