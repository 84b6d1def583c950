"""Reading a returned department file: each edit slot's text, as canonical text (docgen.fieldtext).

The XML is read with lxml, not python-docx's paragraph lists, which skip content controls and drop
text typed with track changes on.  A slot is found by the tag of its content controls (a file Word
saved) or by its bookmark ``dg_<id>`` (a file LibreOffice re-saved, which drops the tags); its text is
the whole table cell (the 工程: the table's body rows), whatever controls the cell holds now.

Word's habits are read through: runs split by rsid, ``proofErr``, ``smartTag``, hyperlinks (their
text), no-break spaces and soft hyphens (:mod:`.normalize`), ``w:br`` (a line break), real Word lists
and typed ・ ① 1. markers.  Tables, pictures and fields inside a slot are reported; so are tracked
changes and comments, unless they are accepted (``--accept-revisions``: insertions kept, deletions
dropped, comments listed as review notes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from .. import fieldtext
from ..docx import editing
from . import normalize
from .package import ImportProblem, Package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


REVISIONS = {"ins": "挿入", "del": "削除", "moveFrom": "移動", "moveTo": "移動", "rPrChange": "書式の変更",
             "pPrChange": "書式の変更", "tblPrChange": "書式の変更", "tcPrChange": "書式の変更",
             "trPrChange": "書式の変更", "sectPrChange": "書式の変更", "cellIns": "挿入", "cellDel": "削除",
             "numberingChange": "書式の変更", "customXmlInsRangeStart": "挿入", "customXmlDelRangeStart": "削除"}
FOREIGN = {"tbl": "表", "drawing": "画像", "pict": "画像", "object": "埋め込みオブジェクト",
           "fldSimple": "フィールド", "fldChar": "フィールド", "txbxContent": "テキストボックス"}
BULLETS = "・•●◦▪"


@dataclass
class Original:
    id: str
    project: str
    key: str
    kind: str
    label: str
    text: str


@dataclass
class Returned:
    """What one returned file says."""

    path: str
    plan: str
    edition: str
    digest: str
    department: str
    originals: dict[str, Original]
    texts: dict[str, str] = field(default_factory=dict)  # slot id → canonical text read back
    problems: list[str] = field(default_factory=list)  # errors: nothing is written
    revisions: list[str] = field(default_factory=list)  # tracked changes (refused unless accepted)
    comments: list[str] = field(default_factory=list)  # review notes
    slot_of: object = None  # element → the slot it lies in (None: outside every slot)

    def where(self, slot_id: str | None) -> str:
        if slot_id is None or slot_id not in self.originals:
            return "枠の外"
        o = self.originals[slot_id]
        return f"{o.project} {o.label}"


def read(path, accept_revisions: bool = False) -> Returned:
    """Read one returned file.  Raises :class:`ImportProblem` when it is not a file docgen made for
    editing (or is unsafe); problems inside it are listed on the result."""
    package = Package(path)
    try:
        return _read(package, accept_revisions)
    finally:
        package.close()


def _read(package: Package, accept_revisions: bool) -> Returned:
    props = _properties(package)
    originals = _originals(package)
    if "docgen.plan" not in props or originals is None:
        raise ImportProblem(f"{package.path}: docgen が課ごとに作った修正用の Word ファイルではありません"
                            "（計画の情報がありません）。docgen build --split-by department で作ったファイルを使ってください")
    root, items = originals
    returned = Returned(str(package.path), props.get("docgen.plan", ""), props.get("docgen.edition", ""),
                        props.get("docgen.digest", ""), props.get("docgen.department", ""), items)
    document = package.xml("word/document.xml")
    body = document.find(q("body")) if document is not None else None
    if body is None:
        raise ImportProblem(f"{package.path}: 本文がありません")
    cells = _slot_cells(body)
    owners = _Owners(cells)
    phases = {i for i, o in items.items() if o.kind == fieldtext.PHASES}
    returned.slot_of = lambda el: owners.slot(el, phases)
    _revisions(body, returned, accept_revisions)
    _comments(package, body, returned, accept_revisions)
    lists = _Lists(package)
    for slot_id, original in items.items():
        places = cells.get(slot_id, [])
        if original.kind == fieldtext.PHASES:
            tables = list(dict.fromkeys(_table_of(c) for c in places if _table_of(c) is not None))
            if len(tables) != 1:
                returned.problems.append(_missing(returned, slot_id, len(tables)))
                continue
            returned.texts[slot_id] = _phases(tables[0], returned, slot_id)
            continue
        if len(places) != 1:
            returned.problems.append(_missing(returned, slot_id, len(places)))
            continue
        returned.texts[slot_id] = _cell_text(places[0], original.kind, lists, returned, slot_id)
    _outside(root, body, returned)
    return returned


def _missing(returned: Returned, slot_id: str, found: int) -> str:
    where = returned.where(slot_id)
    if found == 0:
        return f"「{where}」の枠が見つかりません（枠が消されたか、表ごと消されました）"
    return f"「{where}」の枠が{found}か所にあります（枠がコピーされました）。1か所にしてください"


# ---- the file's own records ---------------------------------------------------------------------

def _properties(package: Package) -> dict[str, str]:
    root = package.xml("docProps/custom.xml")
    out: dict[str, str] = {}
    if root is None:
        return out
    for prop in root.findall(f"{{{CUSTOM}}}property"):
        value = "".join(prop.itertext())
        out[prop.get("name", "")] = value
    return out


def _originals(package: Package):
    for name in sorted(package.names):
        if not re.fullmatch(r"customXml/item\d+\.xml", name):
            continue
        root = package.xml(name)
        if root is None or root.tag != f"{{{editing.NS}}}originals":
            continue
        items = {}
        for el in root.findall(f"{{{editing.NS}}}field"):
            items[el.get("id", "")] = Original(el.get("id", ""), el.get("project", ""), el.get("key", ""),
                                               el.get("kind", ""), el.get("label", ""), el.text or "")
        return root, items
    return None


# ---- where the slots are ------------------------------------------------------------------------

def _slot_cells(body) -> dict[str, list]:
    """Slot id → the table cells that carry it (by a control's tag or by the bookmark)."""
    found: dict[str, list] = {}
    for tc in body.iter(q("tc")):
        ids = set()
        for tag in tc.iter(q("tag")):
            slot = editing.slot_id(tag.get(q("val"), ""))
            if slot:
                ids.add(slot)
        for mark in tc.iter(q("bookmarkStart")):
            name = mark.get(q("name"), "")
            if name.startswith(editing.BOOKMARK_PREFIX):
                ids.add(name[len(editing.BOOKMARK_PREFIX):])
        for slot in ids:
            if _inner(tc, slot):
                found.setdefault(slot, []).append(tc)
    return found


def _inner(tc, slot: str) -> bool:
    """The cell is the innermost carrying the slot (a nested table's cell is not its outer cell)."""
    for inner in tc.iter(q("tc")):
        if inner is tc:
            continue
        for tag in inner.iter(q("tag")):
            if editing.slot_id(tag.get(q("val"), "")) == slot:
                return False
        for mark in inner.iter(q("bookmarkStart")):
            if mark.get(q("name"), "") == editing.BOOKMARK_PREFIX + slot:
                return False
    return True


def _table_of(tc):
    node = tc.getparent()
    while node is not None and node.tag != q("tbl"):
        node = node.getparent()
    return node


class _Owners:
    """Which slot an element lies in (its cell, or for the 工程 its table).  Elements are the keys
    (not their id()): lxml hands out the same Python object for a node only while one is alive."""

    def __init__(self, cells: dict[str, list]):
        self.cells = {tc: slot for slot, tcs in cells.items() for tc in tcs}
        self.tables = {}
        for slot, tcs in cells.items():
            for tc in tcs:
                table = _table_of(tc)
                if table is not None:
                    self.tables.setdefault(table, set()).add(slot)

    def slot(self, element, phases: set[str]) -> str | None:
        node = element
        while node is not None:
            if node in self.cells:
                return self.cells[node]
            if node.tag == q("tbl"):
                found = self.tables.get(node, set()) & phases
                if found:
                    return min(found)
            node = node.getparent()
        return None


# ---- tracked changes and comments ---------------------------------------------------------------

def _revisions(body, returned: Returned, accept: bool) -> None:
    for tag, what in REVISIONS.items():
        for el in list(body.iter(q(tag))):
            if not accept:
                text = "".join(t.text or "" for t in el.iter(q("t"), q("delText")))
                shown = f"「{text[:30]}{'…' if len(text) > 30 else ''}」" if text else ""
                returned.revisions.append(f"{returned.where(returned.slot_of(el))}: 変更履歴（{what}）{shown}")
                continue
            parent = el.getparent()
            if parent is None:
                continue
            if tag in ("del", "moveFrom", "cellDel"):
                parent.remove(el)  # a deletion accepted: its text goes
            elif tag in ("ins", "moveTo"):
                index = parent.index(el)
                for child in list(el):
                    parent.insert(index, child)
                    index += 1
                parent.remove(el)
            else:
                parent.remove(el)  # the record of a format change; the new format stays


def _comments(package: Package, body, returned: Returned, accept: bool) -> None:
    root = package.xml("word/comments.xml")
    texts = {}
    if root is not None:
        for c in root.findall(q("comment")):
            texts[c.get(q("id"))] = ("".join(c.itertext()).strip(), c.get(q("author"), ""))
    for ref in body.iter(q("commentReference")):
        text, author = texts.get(ref.get(q("id")), ("", ""))
        note = f"{returned.where(returned.slot_of(ref))}: コメント「{text}」" + (f"（{author}）" if author else "")
        (returned.comments if accept else returned.revisions).append(note)


# ---- text ---------------------------------------------------------------------------------------

class _Lists:
    """Which Word lists are numbered (①, 1.) and which are bullets."""

    def __init__(self, package: Package):
        self.formats: dict[str, str] = {}
        self.style_nums: dict[str, str] = {}
        root = package.xml("word/numbering.xml")
        if root is not None:
            abstract = {}
            for a in root.findall(q("abstractNum")):
                lvl = a.find(q("lvl"))
                fmt = lvl.find(q("numFmt")) if lvl is not None else None
                abstract[a.get(q("abstractNumId"))] = fmt.get(q("val")) if fmt is not None else "bullet"
            for num in root.findall(q("num")):
                ref = num.find(q("abstractNumId"))
                if ref is not None:
                    self.formats[num.get(q("numId"))] = abstract.get(ref.get(q("val")), "bullet")
        styles = package.xml("word/styles.xml")
        if styles is not None:
            for style in styles.findall(q("style")):
                num = style.find(f"{q('pPr')}/{q('numPr')}/{q('numId')}")
                if num is not None:
                    self.style_nums[style.get(q("styleId"))] = num.get(q("val"))

    def kind(self, p) -> str | None:
        """'bullet', 'ordered' or None for a paragraph."""
        num = p.find(f"{q('pPr')}/{q('numPr')}/{q('numId')}")
        num_id = num.get(q("val")) if num is not None else None
        if num_id is None:
            style = p.find(f"{q('pPr')}/{q('pStyle')}")
            num_id = self.style_nums.get(style.get(q("val"))) if style is not None else None
        if num_id is None or num_id == "0":
            return None
        return "bullet" if self.formats.get(num_id, "bullet") in ("bullet", "none") else "ordered"


def _paragraph_text(p, returned: Returned, slot_id: str) -> str:
    """The text of a paragraph: runs in order, a line break as \\n; foreign content reported."""
    out: list[str] = []
    in_field = 0
    for el in p.iter():
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag in FOREIGN:
            message = f"「{returned.where(slot_id)}」に{FOREIGN[tag]}があります。文字だけにしてください"
            if message not in returned.problems:
                returned.problems.append(message)
            if tag == "fldChar":
                kind = el.get(q("fldCharType"))
                in_field += 1 if kind == "begin" else -1 if kind == "end" else 0
            continue
        if tag == "t" and not in_field:
            out.append(el.text or "")
        elif tag == "tab":
            out.append(" ")
        elif tag in ("br", "cr") and el.get(q("type"), "textWrapping") == "textWrapping":
            out.append("\n")
        elif tag == "noBreakHyphen":
            out.append("-")
        elif tag == "sym":
            char = el.get(q("char"), "")
            try:
                out.append(chr(int(char, 16)))
            except ValueError:
                pass
    return "".join(out)


def _paragraphs(container) -> list:
    """The paragraphs of a cell in order, nested controls included, nested tables left out."""
    out = []
    for el in container.iter(q("p")):
        node, nested = el.getparent(), False
        while node is not None and node is not container:
            if node.tag == q("tbl"):
                nested = True
                break
            node = node.getparent()
        if not nested:
            out.append(el)
    return out


def _cell_text(tc, kind: str, lists: _Lists, returned: Returned, slot_id: str) -> str:
    if any(t is not tc and t.tag == q("tbl") for t in tc.iter(q("tbl"))):
        returned.problems.append(f"「{returned.where(slot_id)}」に表があります。文字だけにしてください")
    items: list[tuple[str | None, str]] = []  # (list kind, text)
    for p in _paragraphs(tc):
        raw = _paragraph_text(p, returned, slot_id)
        lines = [normalize.line(part) for part in raw.split("\n")]
        text = "\n".join(lines).strip("\n")
        if not text.strip():
            continue
        marker = lists.kind(p)
        if marker is None and text[:1] in BULLETS and len(text) > 1:
            # a typed ・ is a bullet (the content writes "- "); a typed ① or 1. stays text: the content
            # has paragraphs that begin so, and only a real Word list is a numbered list
            marker, text = "bullet", text[1:].lstrip(" \u3000")
        items.append((marker, text))
    if kind == "文章":
        return _markdown(items)
    return "\n".join(text.replace("\n", " ") for _, text in items)


def _markdown(items: list[tuple[str | None, str]]) -> str:
    blocks: list[str] = []
    previous = object()
    number = 0
    for marker, text in items:
        text = text.replace("\n", "\\\n")
        if marker == "bullet":
            line = f"- {text}"
        elif marker == "ordered":
            number = number + 1 if previous == "ordered" else 1
            line = f"{number}. {text}"
        else:
            line = text
        if marker is not None and marker == previous:
            blocks[-1] += "\n" + line
        else:
            blocks.append(line)
        previous = marker
    return "\n\n".join(blocks)


def _phases(tbl, returned: Returned, slot_id: str) -> str:
    """The 工程 table's body rows as canonical lines (名称, 開始, 終了, 継続 as read)."""
    lines = []
    for tr in tbl.findall(q("tr")):
        if tr.find(f"{q('trPr')}/{q('tblHeader')}") is not None:
            continue
        cells = []
        for tc in tr.findall(q("tc")):
            texts = [normalize.line(_paragraph_text(p, returned, slot_id).replace("\n", " ")) for p in _paragraphs(tc)]
            cells.append(" ".join(t for t in texts if t))
        if not any(cells):
            continue
        cells = (cells + ["", "", "", ""])[:4]
        lines.append("\t".join(cells))
    return "\n".join(lines)


def _outside(root, body, returned: Returned) -> None:
    """Text added or changed outside the slots: the file records the text it had there."""
    recorded = [el.text or "" for el in root.findall(f"{{{editing.NS}}}fixed")]
    if not recorded:
        return
    now = editing.fixed_texts(body, lambda el: returned.slot_of(el) is not None)
    known = set(recorded)
    for text in now:
        if text not in known:
            shown = text if len(text) <= 40 else text[:40] + "…"
            returned.problems.append(f"枠の外に書かれた文があります: 「{shown}」。枠の中に書き直してください")

