"""Small WordprocessingML helpers python-docx does not offer: fields, shading, bookmarks, rows."""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn

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


TWIPS_PER_MM = 1440 / 25.4


def twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def split_twips(total: int, weights) -> list[int]:
    """``total`` twips shared in proportion to ``weights``, in whole twips that add up to ``total``
    exactly (cumulative rounding); every share is at least one twip (a weight of 0 or less counts
    as the smallest positive one)."""
    positive = [w for w in weights if w and w > 0]
    floor = min(positive) if positive else 1.0
    weights = [w if w and w > 0 else floor for w in weights]
    whole = sum(weights)
    edges = [0]
    acc = 0.0
    for w in weights:
        acc += w
        edges.append(round(total * acc / whole))
    out = [b - a for a, b in zip(edges, edges[1:])]
    for i, w in enumerate(out):  # a share rounded to nothing borrows a twip from the widest
        if w < 1:
            widest = max(range(len(out)), key=out.__getitem__)
            out[widest] -= 1 - w
            out[i] = 1
    return out


def widths_twips(widths_mm: list[float]) -> list[int]:
    """Column widths in millimetres as whole twips whose sum is the rounded sum of the widths."""
    edges = [0]
    acc = 0.0
    for w in widths_mm:
        acc += w
        edges.append(twips(acc))
    return [b - a for a, b in zip(edges, edges[1:])]


def fixed_widths(table, widths_mm: list[float]) -> None:
    """Fixed table layout with the given column widths in millimetres (see :func:`fixed_grid`)."""
    fixed_grid(table, widths_twips(widths_mm))


def fixed_grid(table, widths: list[int]) -> None:
    """Fixed table layout on a grid of ``widths`` twips: the grid columns, the table width, and
    every cell's own width, which for a merged cell is the width of all the columns it spans (Word
    lays a fixed table out from the cells' widths, LibreOffice from the grid; both must agree)."""
    if not widths or any(w <= 0 for w in widths):
        raise ValueError(f"table column widths must be positive: {widths}")
    table.autofit = False  # w:tblLayout type="fixed"
    tbl = table._tbl
    tblpr = tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:w"), str(sum(widths)))
    tblw.set(qn("w:type"), "dxa")
    grid = tbl.tblGrid
    for col in list(grid):
        grid.remove(col)
    for w in widths:
        col = OxmlElement("w:gridCol")
        col.set(qn("w:w"), str(w))
        grid.append(col)
    for tr in tbl.iterchildren(qn("w:tr")):
        at = 0
        for tc in tr.iterchildren(qn("w:tc")):
            tcpr = child(tc, qn("w:tcPr"), first=True)
            span_el = tcpr.find(qn("w:gridSpan"))
            span = int(span_el.get(qn("w:val"))) if span_el is not None else 1
            child(tcpr, qn("w:tcW"), first=True, **{qn("w:w"): str(sum(widths[at:at + span])), qn("w:type"): "dxa"})
            at += span


def child(parent, tag: str, first: bool = False, **attrs: str):
    """``parent``'s child element ``tag`` (Clark form: qn("w:tcPr")), added when missing — at the
    front (``first``: the property elements that must lead, pPr in a paragraph, pStyle in pPr …) or
    at the end; ``attrs`` (Clark names) are set on it.  Made on the XML directly: python-docx's
    get-or-add searches the schema's successors on every call, and the package is put in schema order
    when it is saved."""
    el = parent.find(tag)
    if el is None:
        el = parent.makeelement(tag, {})
        if first:
            parent.insert(0, el)
        else:
            parent.append(el)
    for name, value in attrs.items():
        el.set(name, value)
    return el


def add_row(table, spans) -> list:
    """A new last row of cells spanning ``spans`` grid columns each; returns the cells."""
    from docx.table import _Cell

    tr = table._tbl.add_tr()
    cells = []
    for span in spans:
        tc = tr.add_tc()
        if span > 1:
            child(child(tc, qn("w:tcPr"), first=True), qn("w:gridSpan"), **{qn("w:val"): str(span)})
        cells.append(_Cell(tc, table))
    return cells


def vmerge(cell, value: str) -> None:
    """Merge a cell with the ones below (``restart``) or with the one above (``continue``)."""
    cell._tc.vMerge = value


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


def cell_padding(cell, left: int, right: int) -> None:
    """A cell's own left and right padding in twips (a narrow band of the schedule grid)."""
    tcpr = cell._tc.get_or_add_tcPr()
    mar = OxmlElement("w:tcMar")
    for side, value in (("left", left), ("right", right)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(value))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tcpr.append(mar)


def internal_link(paragraph, lines: list[str], bookmark_name: str, style: str | None = None) -> None:
    """Append ``lines`` as a link to a bookmark in the same document (Ctrl+click in Word)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("w:anchor"), bookmark_name)
    link.set(qn("w:history"), "1")
    run = OxmlElement("w:r")
    if style:
        rpr = OxmlElement("w:rPr")
        rs = OxmlElement("w:rStyle")
        rs.set(qn("w:val"), style)
        rpr.append(rs)
        run.append(rpr)
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
