"""List numbering: ・ bullets and ①②③ numbers as real Word lists (editable, renumbering itself)."""

from __future__ import annotations

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

BULLET_ABS, NUMBER_ABS = 9001, 9002


def _abstract(abs_id: int, fmt: str, text: str, indent_twips: int) -> str:
    return (f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abs_id}">'
            f'<w:multiLevelType w:val="singleLevel"/>'
            f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
            f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{indent_twips}" w:hanging="{indent_twips}"/></w:pPr>'
            f'</w:lvl></w:abstractNum>')


class Lists:
    """Creates the list definitions once and a fresh numbering instance for every numbered list."""

    def __init__(self, document):
        self.numbering = document.part.numbering_part.element
        first_num = self.numbering.find(qn("w:num"))
        for xml in (_abstract(BULLET_ABS, "bullet", "・", 210), _abstract(NUMBER_ABS, "decimalEnclosedCircle", "%1", 210)):
            element = parse_xml(xml)
            if first_num is not None:
                first_num.addprevious(element)
            else:
                self.numbering.append(element)
        self.next_id = 9000
        self.bullet = self._num(BULLET_ABS)

    def _num(self, abs_id: int, start: int | None = None) -> int:
        self.next_id += 1
        override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                    if start is not None else "")
        self.numbering.append(parse_xml(
            f'<w:num {nsdecls("w")} w:numId="{self.next_id}"><w:abstractNumId w:val="{abs_id}"/>{override}</w:num>'))
        return self.next_id

    def numbered(self, start: int = 1) -> int:
        return self._num(NUMBER_ABS, start)


def apply(paragraph, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="{num_id}"/></w:numPr>'))
