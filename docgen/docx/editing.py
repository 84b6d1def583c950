"""Word markup of a file made for editing (see :mod:`docgen.editfile`), and what it records.

Each edit slot is a table cell (or, for the 工程, the body rows of a table); ``docgen import`` reads
the whole cell.  In it:

* each paragraph's text is an **inline content control** (``w:sdt``): tag
  ``docgen:<id>:<事業番号>:<key>``, title ``<事業番号> <label>``, locked against deletion
  (``sdtLocked``: its text stays editable; a line is deleted by emptying it);
* a **bookmark** ``dg_<id>`` runs from the start of the first paragraph to the end of the last;
* an **editable range** (``w:permStart``/``w:permEnd``, everyone) covers the same: the document is
  protected read-only (Word's 編集の制限, no password) except these ranges, so a clerk can also add
  paragraphs (or 工程 rows).

Why inline controls and a bookmark.  LibreOffice 7.4 re-saves a *block-level* control (around the
cell's paragraphs, or around the cell) as a run of inline controls around its first paragraph with
the text repeated in each (measured: five controls, the paragraph's text six times), so the cell's
text can no longer be read.  Inline controls come back whole, without their tag; the bookmark comes
back too (sometimes collapsed, but in its cell), so ``docgen import`` finds the field by its tag in a
file Word saved and by its bookmark in a file LibreOffice saved.

The file records, for ``docgen import``:

* custom document properties ``docgen.plan`` (the plan's file name), ``docgen.edition``,
  ``docgen.digest``, ``docgen.department``, ``docgen.format`` (this layout's version);
* a custom XML part (namespace :data:`NS`) holding each slot's id, project, key, kind and
  **original** text: what the field said when the file was made, for the three-way merge.
"""

from __future__ import annotations

from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from .. import booklet as b

NS = "urn:docgen:edit:1"
TAG_PREFIX = "docgen:"
BOOKMARK_PREFIX = "dg_"
FORMAT = "1"
PROPERTIES = ("docgen.plan", "docgen.edition", "docgen.digest", "docgen.department", "docgen.format")
_TAG_MAX = 64  # Word keeps a tag of at most 64 characters


def tag(slot: b.EditSlot) -> str:
    return f"{TAG_PREFIX}{slot.id}:{slot.project}:{slot.key}"[:_TAG_MAX]


def slot_id(tag_value: str) -> str | None:
    """The slot id of a content control's tag (None for a control docgen did not make)."""
    if not tag_value.startswith(TAG_PREFIX):
        return None
    return tag_value[len(TAG_PREFIX):].split(":", 1)[0] or None


class Marks:
    """Ids for the bookmarks, editable ranges and controls of one file."""

    def __init__(self, first_bookmark: int = 5000):
        self.next = first_bookmark

    def take(self) -> int:
        self.next += 1
        return self.next


def _sdt(slot: b.EditSlot, number: int):
    sdt = OxmlElement("w:sdt")
    pr = parse_xml(f'<w:sdtPr {nsdecls("w")}><w:alias w:val=""/><w:tag w:val=""/><w:id w:val="{number}"/>'
                   f'<w:lock w:val="sdtLocked"/></w:sdtPr>')
    pr[0].set(qn("w:val"), f"{slot.project} {slot.label}"[:255])
    pr[1].set(qn("w:val"), tag(slot))
    sdt.append(pr)
    content = OxmlElement("w:sdtContent")
    sdt.append(content)
    return sdt, content


def _range_start(number: int, columns: tuple[int, int] | None = None):
    el = parse_xml(f'<w:permStart {nsdecls("w")} w:id="{number}" w:edGrp="everyone"/>')
    if columns is not None:
        el.set(qn("w:colFirst"), str(columns[0]))
        el.set(qn("w:colLast"), str(columns[1]))
    return el


def _range_end(number: int):
    return parse_xml(f'<w:permEnd {nsdecls("w")} w:id="{number}"/>')


def _bookmark(slot: b.EditSlot, number: int):
    start = parse_xml(f'<w:bookmarkStart {nsdecls("w")} w:id="{number}" w:name="{BOOKMARK_PREFIX}{slot.id}"/>')
    return start, parse_xml(f'<w:bookmarkEnd {nsdecls("w")} w:id="{number}"/>')


def _first_content(p) -> int:
    """Index in a paragraph after its pPr (where marks at its start go)."""
    return 1 if len(p) and p[0].tag == qn("w:pPr") else 0


def _wrap_runs(p, slot: b.EditSlot, marks: Marks) -> None:
    """Put the content of paragraph ``p`` in an inline control of the slot."""
    sdt, content = _sdt(slot, marks.take())
    for child in list(p):
        if child.tag != qn("w:pPr"):
            content.append(child)
    p.append(sdt)


def wrap_cell(cell, slot: b.EditSlot, marks: Marks) -> None:
    """Put each paragraph of ``cell`` (a python-docx cell) in a control of the slot, with the bookmark
    and the editable range around them all."""
    tc = cell._tc
    paragraphs = [child for child in tc if child.tag == qn("w:p")]
    if not paragraphs:
        paragraphs = [OxmlElement("w:p")]
        tc.append(paragraphs[0])
    for p in paragraphs:
        _wrap_runs(p, slot, marks)
    _mark(paragraphs[0], paragraphs[-1], slot, marks)


def _mark(first, last, slot: b.EditSlot, marks: Marks) -> None:
    start, end = _bookmark(slot, marks.take())
    number = marks.take()
    at = _first_content(first)
    first.insert(at, _range_start(number))
    first.insert(at, start)
    last.append(_range_end(number))
    last.append(end)


def wrap_table(table, slot: b.EditSlot, header_rows: int, marks: Marks) -> None:
    """A table whose body rows are one slot (the 工程): each body cell's paragraphs in controls of
    the slot, the bookmark in the first body cell, and an editable range over the body rows (all
    columns, so that rows can be added)."""
    tbl = table._tbl
    rows = tbl.findall(qn("w:tr"))
    body = rows[header_rows:]
    columns = len(tbl.find(qn("w:tblGrid")).findall(qn("w:gridCol")))
    for row in body:
        for p in row.iter(qn("w:p")):
            _wrap_runs(p, slot, marks)
    if not body:  # no phase yet: the bookmark goes in a paragraph before the table
        holder = OxmlElement("w:p")
        tbl.addprevious(holder)
        start, end = _bookmark(slot, marks.take())
        holder.append(start)
        holder.append(end)
        return
    number = marks.take()
    body[0].addprevious(_range_start(number, (0, columns - 1)))
    body[-1].addnext(_range_end(number))
    first_p = body[0].find(f"{qn('w:tc')}/{qn('w:p')}")
    start, end = _bookmark(slot, marks.take())
    at = _first_content(first_p)
    first_p.insert(at, start)
    first_p.append(end)


def protect(settings_element) -> None:
    """Word's 編集の制限: read-only but for the editable ranges (no password: a clerk may lift it)."""
    from .oxml import child

    child(settings_element, qn("w:documentProtection"), **{qn("w:edit"): "readOnly", qn("w:enforcement"): "1"})


def _properties(editing: b.Editing) -> dict[str, str]:
    return {"docgen.plan": editing.plan, "docgen.edition": editing.edition, "docgen.digest": editing.digest,
            "docgen.department": editing.department, "docgen.format": FORMAT}


CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def custom_properties(editing: b.Editing) -> bytes:
    root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
    for pid, (name, value) in enumerate(_properties(editing).items(), start=2):
        prop = etree.SubElement(root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID, pid=str(pid), name=name)
        etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = value[:255]
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def fixed_texts(body, in_slot) -> list[str]:
    """The text of every paragraph of the body outside the slots (``in_slot(paragraph)``), normalised
    as ``docgen import`` reads text: what the clerk was not to change."""
    from ..wordimport.normalize import line

    out = []
    for p in body.iter(qn("w:p")):
        if in_slot(p):
            continue
        text = line("".join(t.text or "" for t in p.iter(qn("w:t"))))
        if text:
            out.append(text)
    return out


def in_slot_of_writer(p) -> bool:
    """For the writer: a paragraph lies in a slot when its cell carries a docgen control or bookmark,
    or its table is a 工程 slot (``docgen import`` reads the same way)."""
    node = p.getparent()
    while node is not None:
        if node.tag == qn("w:tc"):
            if any(slot_id(el.get(qn("w:val"), "")) for el in node.iter(qn("w:tag"))) or any(
                    el.get(qn("w:name"), "").startswith(BOOKMARK_PREFIX) for el in node.iter(qn("w:bookmarkStart"))):
                return True
        elif node.tag == qn("w:tbl"):
            if any(el.get(qn("w:val"), "").startswith(TAG_PREFIX) and el.get(qn("w:val"), "").endswith("/工程")
                   for el in node.iter(qn("w:tag"))):
                return True
        node = node.getparent()
    return False


def originals(editing: b.Editing, fixed: list[str]) -> bytes:
    root = etree.Element(f"{{{NS}}}originals", nsmap={None: NS}, plan=editing.plan, digest=editing.digest,
                         department=editing.department, format=FORMAT)
    for slot in editing.slots:
        el = etree.SubElement(root, f"{{{NS}}}field", id=slot.id, project=slot.project, key=slot.key,
                              kind=slot.kind, label=slot.label)
        el.text = slot.original
    for text in dict.fromkeys(fixed):
        etree.SubElement(root, f"{{{NS}}}fixed").text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


ITEM_PROPS = ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
              '<ds:datastoreItem ds:itemID="{6D0C5E5A-7C1B-4F4B-9E61-2D3C0A0B7D11}" '
              'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml">'
              f'<ds:schemaRefs><ds:schemaRef ds:uri="{NS}"/></ds:schemaRefs></ds:datastoreItem>').encode("utf-8")
