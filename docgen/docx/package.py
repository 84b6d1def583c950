"""The saved .docx package made tidy and reproducible.

python-docx starts from a template of its own and lets callers append XML elements in any order.
Word is stricter than LibreOffice about both, so every saved file passes through :func:`finish`:

* the property elements (``pPr``, ``rPr``, ``tblPr``, ``tcPr``, ``sectPr``, ``settings``) are put in
  the order the WordprocessingML schema (ECMA-376 Part 1, §17) prescribes, a duplicated property
  keeps its last value, and a paragraph's ``pPr`` comes first;
* the template's leftovers go: the thumbnail of an empty page, ``stylesWithEffects.xml`` (Word 2010),
  the custom XML item, an application name of another program, the ~180 styles nothing uses;
* the font table names the BIZ UD families the document uses (with their Latin names as ``altName``);
* the compatibility mode is Word 2013 and later, so Word does not open the file in 互換モード;
* the zip entries carry fixed timestamps: the same content gives the same bytes.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_RPR = ["ins", "del", "moveFrom", "moveTo", "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps",
        "strike", "dstrike", "outline", "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish",
        "webHidden", "color", "spacing", "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect",
        "bdr", "shd", "fitText", "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish",
        "oMath", "rPrChange"]
ORDER = {
    "pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
            "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
            "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
            "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
            "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
            "sectPr", "pPrChange"],
    "rPr": _RPR,
    "tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
              "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
              "tblCaption", "tblDescription", "tblPrChange"],
    "tcPr": ["cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
             "textDirection", "tcFitText", "vAlign", "hideMark", "headers", "cellIns", "cellDel", "cellMerge",
             "tcPrChange"],
    "sectPr": ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
               "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
               "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"],
    "settings": ["writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
                 "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
                 "printFractionalCharacterWidth", "printFormsData", "embedTrueTypeFonts", "embedSystemFonts",
                 "saveSubsetFonts", "saveFormsData", "mirrorMargins", "alignBordersAndEdges",
                 "bordersDoNotSurroundHeader", "bordersDoNotSurroundFooter", "gutterAtTop", "hideSpellingErrors",
                 "hideGrammaticalErrors", "activeWritingStyle", "proofState", "formsDesign", "attachedTemplate",
                 "linkStyles", "stylePaneFormatFilter", "stylePaneSortMethod", "documentType", "mailMerge",
                 "revisionView", "trackRevisions", "doNotTrackMoves", "doNotTrackFormatting",
                 "documentProtection", "autoFormatOverride", "styleLockTheme", "styleLockQFSet",
                 "defaultTabStop", "autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone",
                 "doNotHyphenateCaps", "showEnvelope", "summaryLength", "clickAndTypeStyle",
                 "defaultTableStyle", "evenAndOddHeaders", "bookFoldRevPrinting", "bookFoldPrinting",
                 "bookFoldPrintingSheets", "drawingGridHorizontalSpacing", "drawingGridVerticalSpacing",
                 "displayHorizontalDrawingGridEvery", "displayVerticalDrawingGridEvery",
                 "doNotUseMarginsForDrawingGridOrigin", "drawingGridHorizontalOrigin",
                 "drawingGridVerticalOrigin", "doNotShadeFormData", "noPunctuationKerning",
                 "characterSpacingControl", "printTwoOnOne", "strictFirstAndLastChars", "noLineBreaksAfter",
                 "noLineBreaksBefore", "savePreviewPicture", "doNotValidateAgainstSchema", "saveInvalidXml",
                 "ignoreMixedContent", "alwaysShowPlaceholderText", "doNotDemarcateInvalidXml",
                 "saveXmlDataOnly", "useXSLTWhenSaving", "saveThroughXslt", "showXMLTags",
                 "alwaysMergeEmptyNamespace", "updateFields", "hdrShapeDefaults", "footnotePr", "endnotePr",
                 "compat", "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang",
                 "clrSchemeMapping", "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade",
                 "captions", "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
                 "doNotEmbedSmartTags", "decimalSymbol", "listSeparator"],
}
REPEATABLE = {"headerReference", "footerReference", "activeWritingStyle", "smartTagType", "attachedSchema"}
DROPPED_PARTS = ("docProps/thumbnail.jpeg", "word/stylesWithEffects.xml", "customXml/")
M = "http://schemas.openxmlformats.org/officeDocument/2006/math"
SL = "http://schemas.openxmlformats.org/schemaLibrary/2006/main"
_OTHER_NS = {"mathPr": M, "schemaLibrary": SL}  # settings children outside the w: namespace
_RANK = {tag: {f"{{{_OTHER_NS.get(name, W)}}}{name}": k for k, name in enumerate(names)}
         for tag, names in ORDER.items()}


def order(root) -> None:
    """Put the property elements under ``root`` in schema order, keeping the last of duplicates."""
    ranked = {f"{{{W}}}{tag}": rank for tag, rank in _RANK.items()}
    for parent in root.iter(*ranked):  # one walk over the part for every kind of property element
        rank = ranked[parent.tag]
        children = [c for c in parent if isinstance(c.tag, str)]
        last = {}
        for child in children:
            last[child.tag] = child
        keep = [c for c in children
                if c.tag not in rank or etree.QName(c).localname in REPEATABLE or last[c.tag] is c]
        keep.sort(key=lambda c: rank.get(c.tag, len(rank)))
        for child in list(parent):
            parent.remove(child)
        parent.extend(keep)
    for p in root.iter(f"{{{W}}}p"):
        ppr = p.find(f"{{{W}}}pPr")
        if ppr is not None and p.index(ppr) != 0:
            p.remove(ppr)
            p.insert(0, ppr)


def used_styles(parts: list) -> set[str]:
    """Ids of the styles the document's parts name."""
    used = set()
    for root in parts:
        for tag in ("pStyle", "rStyle", "tblStyle", "numStyle"):
            for el in root.iter(f"{{{W}}}{tag}"):
                used.add(el.get(f"{{{W}}}val"))
    return used


def prune_styles(styles_root, used: set[str]) -> None:
    """Drop the template's styles nothing uses, so the styles pane shows the booklet's own: those
    the parts name, the defaults, and what they are based on, link to or are followed by."""
    by_id = {s.get(f"{{{W}}}styleId"): s for s in styles_root.iter(f"{{{W}}}style")}
    keep = {i for i, s in by_id.items() if s.get(f"{{{W}}}default") == "1"} | (used & set(by_id))
    todo = list(keep)
    while todo:
        style = by_id[todo.pop()]
        for tag in ("basedOn", "next", "link"):
            ref = style.find(f"{{{W}}}{tag}")
            target = ref.get(f"{{{W}}}val") if ref is not None else None
            if target in by_id and target not in keep:
                keep.add(target)
                todo.append(target)
    for style_id, style in by_id.items():
        if style_id not in keep:
            style.getparent().remove(style)


def _compat_2013(root) -> None:
    for setting in root.iter(f"{{{W}}}compatSetting"):
        if setting.get(f"{{{W}}}name") == "compatibilityMode":
            setting.set(f"{{{W}}}val", "15")


def font_table(fonts: list[tuple[str, str, str]]) -> bytes:
    """fontTable.xml naming ``(Word name, Latin name, family)`` for each font the document uses."""
    entries = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="80"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="fixed"/></w:font>'
        for name, alt, family in fonts)
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:fonts xmlns:w="{W}">{entries}</w:fonts>').encode("utf-8")


def app_properties(company: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Company>{_escape(company)}</Company><DocSecurity>0</DocSecurity>'
            '<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>'
            '<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>').encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _dropped(name: str) -> bool:
    return any(name.startswith(part) for part in DROPPED_PARTS)


def _without_dropped(xml: bytes, name: str) -> bytes:
    """[Content_Types].xml and .rels files without entries for the dropped parts."""
    root = etree.fromstring(xml)
    base = posixpath.dirname(posixpath.dirname(name))  # word/_rels/document.xml.rels → word
    for child in list(root):
        if child.get("PartName"):
            part = child.get("PartName").lstrip("/")
        elif child.get("Target") and child.get("TargetMode") != "External":
            part = posixpath.normpath(posixpath.join(base, child.get("Target"))).lstrip("/")
        else:
            continue
        if _dropped(part):
            root.remove(child)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


_XML_PART = re.compile(r"word/(document|styles|settings|numbering|header\d*|footer\d*)\.xml")
_SETTINGS_PARTS = ("word/styles.xml", "word/settings.xml")  # they define styles, not use them


CT = "http://schemas.openxmlformats.org/package/2006/content-types"
PR = "http://schemas.openxmlformats.org/package/2006/relationships"
R_DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _edit_parts(custom: bytes, originals: bytes, item_props: bytes) -> dict:
    """The parts a file made for editing adds: custom properties and the originals' custom XML item,
    with their content types and relationships."""
    return {
        "parts": {"docProps/custom.xml": custom, "customXml/item1.xml": originals,
                  "customXml/itemProps1.xml": item_props,
                  "customXml/_rels/item1.xml.rels": (
                      f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="{PR}">'
                      f'<Relationship Id="rId1" Type="{R_DOC}/customXmlProps" Target="itemProps1.xml"/>'
                      '</Relationships>').encode("utf-8")},
        "types": {"/docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
                  "/customXml/itemProps1.xml": "application/vnd.openxmlformats-officedocument.customXmlProperties+xml",
                  "/customXml/item1.xml": "application/xml"},
        "rels": {"_rels/.rels": ("docgenCustom", f"{R_DOC}/custom-properties", "docProps/custom.xml"),
                 "word/_rels/document.xml.rels": ("docgenOriginals", f"{R_DOC}/customXml", "../customXml/item1.xml")},
    }


def _add_type(xml: bytes, types: dict[str, str]) -> bytes:
    root = etree.fromstring(xml)
    for name, kind in types.items():
        etree.SubElement(root, f"{{{CT}}}Override", PartName=name, ContentType=kind)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _add_rel(xml: bytes, rel: tuple[str, str, str]) -> bytes:
    root = etree.fromstring(xml)
    rid, kind, target = rel
    etree.SubElement(root, f"{{{PR}}}Relationship", Id=rid, Type=kind, Target=target)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def finish(data: bytes, when: tuple, fonts: list[tuple[str, str, str]], company: str,
           edit_parts: tuple[bytes, bytes, bytes] | None = None) -> bytes:
    """The finished package bytes of a python-docx ``save`` result; ``edit_parts`` (custom properties,
    originals, their item properties) for a file made for editing."""
    extra = _edit_parts(*edit_parts) if edit_parts else {"parts": {}, "types": {}, "rels": {}}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        parsed = {n: etree.fromstring(source.read(n)) for n in source.namelist() if _XML_PART.fullmatch(n)}
        used = used_styles([root for n, root in parsed.items() if n not in _SETTINGS_PARTS])
        for info in source.infolist():
            name = info.filename
            if _dropped(name):
                continue
            body = source.read(name)
            if name == "word/fontTable.xml":
                body = font_table(fonts)
            elif name == "docProps/app.xml":
                body = app_properties(company)
            elif name == "[Content_Types].xml" or name.endswith(".rels"):
                body = _without_dropped(body, name)
                if name == "[Content_Types].xml" and extra["types"]:
                    body = _add_type(body, extra["types"])
                if name in extra["rels"]:
                    body = _add_rel(body, extra["rels"][name])
            elif name in parsed:
                root = parsed[name]
                order(root)
                if name == "word/settings.xml":
                    _compat_2013(root)
                if name == "word/styles.xml":
                    prune_styles(root, used)
                body = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            _write_part(target, name, body, when)
        for name, body in extra["parts"].items():
            _write_part(target, name, body, when)
    return out.getvalue()


COMPRESS_LEVEL = 3  # deflate level of the parts: a little larger than 6, in half the time


def _write_part(target: zipfile.ZipFile, name: str, body: bytes, when: tuple) -> None:
    fixed = zipfile.ZipInfo(name, date_time=when)
    fixed.compress_type = zipfile.ZIP_DEFLATED
    fixed.external_attr = 0o600 << 16
    target.writestr(fixed, body, compresslevel=COMPRESS_LEVEL)
