"""List numbering: ・ bullets and ①②③ numbers as real Word lists (editable, renumbering itself)."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

FORMATS = {"bullet": ("bullet", "・"), "number": ("decimalEnclosedCircle", "%1")}


def _abstract(abs_id: int, kind: str, hang_twips: int) -> str:
    """A one-level list whose full-width marker (・ ①) hangs one em and is followed by nothing,
    not a tab: the text starts right after the marker and wrapped lines line up under it."""
    fmt, text = FORMATS[kind]
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abs_id}">'
            f'<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="nothing"/><w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{hang_twips}" w:hanging="{hang_twips}"/></w:pPr>'
            f'</w:lvl></w:abstractNum>')


class Lists:
    """List definitions, one per marker kind and type size, made on first use; every numbered list
    gets a numbering instance of its own so it starts again at ①."""

    def __init__(self, document):
        self.numbering = document.part.numbering_part.element
        self.abstracts: dict[tuple[str, int], int] = {}
        self.bullets: dict[int, int] = {}
        self.next_abstract = 9000
        self.next_id = 9000

    def _abstract_id(self, kind: str, size_pt: float) -> int:
        hang = round(size_pt * 20)
        key = (kind, hang)
        if key not in self.abstracts:
            self.next_abstract += 1
            element = parse_xml(_abstract(self.next_abstract, kind, hang))
            first_num = self.numbering.find(qn("w:num"))  # abstract definitions precede instances
            if first_num is not None:
                first_num.addprevious(element)
            else:
                self.numbering.append(element)
            self.abstracts[key] = self.next_abstract
        return self.abstracts[key]

    def _num(self, abs_id: int, start: int | None = None) -> int:
        self.next_id += 1
        override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                    if start is not None else "")
        self.numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{self.next_id}"><w:abstractNumId w:val="{abs_id}"/>{override}</w:num>'))
        return self.next_id

    def bullet(self, size_pt: float) -> int:
        if size_pt not in self.bullets:
            self.bullets[size_pt] = self._num(self._abstract_id("bullet", size_pt))
        return self.bullets[size_pt]

    def numbered(self, size_pt: float, start: int = 1) -> int:
        return self._num(self._abstract_id("number", size_pt), start)


def apply(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
