"""Layout invariants of a built PDF, checked on the file itself (a print shop's standard).

``check_layout(pdf)`` returns every :class:`Violation` it finds (page, kind, text, boxes, detail)
rather than stopping at the first; ``assert_layout(pdf)`` fails a test with all of them listed.

What is on a page is read twice: words from ``pdftotext -bbox-layout`` (their text, and the running
head, page number and 目次 lines they make), and every glyph, rule and filled area from the page's
content stream, parsed with pypdf — the current transformation matrix followed through ``q``/``Q``/
``cm`` and into form XObjects (docgen draws the 目次 as forms), each glyph placed by the text matrix,
its font's widths (/Widths or /W), the character and word spacing and horizontal scaling, its text
from the font's ToUnicode map.  A glyph's box is its em box: advance width × descent to ascent (what
pdftotext's word boxes are made of; a test checks the two agree), so side bearings never count.
Coordinates are points from the top left of the page's trim box (the page as trimmed).

The kinds of violation:

``frame``
    Every word (and every rule and filled area) lies inside its page's text frame — the margins of
    ``docgen.pdf.styles``, mirrored by the physical page number: odd pages are right-hand pages,
    bound on the left, so their wide inner margin is on the left; even pages have it on the right.
    Only the running head (the one line above the frame) and the page number (the one line below
    it) may stand in the margins.
``cell``
    No glyph lies on a visible rule: a horizontal or vertical rule's centre line (the edge of the
    cells it divides) may not run through a glyph's box, so every glyph stays inside the cell the
    rules around it enclose.  A rule hidden, where it passes the glyph, under an opaque ground
    painted after it (the white ground docgen sets under a schedule bar's label, which spans the
    bar's cells) is not visible there and not counted.
``overlap``
    No two glyph boxes overlap (by more than :data:`TOL`).  A full-width punctuation mark counts
    only its inked half: 約物の詰め (JLReq 3.1.4) sets ``。」`` in 1.5 em by design.
``binding``
    A page is set in its own frame, not the mirrored one (the wide margin on the binding side: one
    violation for the page; its other checks then use the frame it was set in), and a page labelled
    with an odd number is a physical odd (right-hand) page.
``running-head`` / ``page-number``
    By the page's own frame: the running head's outer edge (right on odd pages, left on even ones)
    on the frame's edge and within it, its rule as wide as the frame; the page number centred on
    the frame, printing the page's label.
``toc-link`` / ``toc-page`` / ``toc-heading``
    Every 目次 entry has a /Link annotation over it (/Dest or a /GoTo action) to the page where its
    heading is set, and prints that page's label; ``toc-heading``: no page sets the entry's text.
"""

from __future__ import annotations

import bisect
import functools
import html
import math
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader
from pypdf.generic import ContentStream

TOL = 0.6  # pt: how far two glyph boxes may overlap; the shortest stretch of a rule beside a glyph that counts
FRAME_TOL = 0.1  # pt: how far a glyph may stand past the frame (rounding only)
EPS = 0.05  # pt: how far a rule's centre line may run inside a glyph's box (rounding only)
ALIGN_TOL = 1.0  # pt: how far the running head, page number or a 目次 number may sit from its place


# ---- geometry ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Box:
    """A box in pdftotext's coordinates: points from the top left of the page, y downwards."""
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    def inside(self, other: "Box", tol: float = TOL) -> bool:
        return (self.x0 >= other.x0 - tol and self.x1 <= other.x1 + tol and self.y0 >= other.y0 - tol
                and self.y1 <= other.y1 + tol)

    def overlap(self, other: "Box") -> tuple[float, float]:
        """Width and height of the intersection (negative: the gap)."""
        return (min(self.x1, other.x1) - max(self.x0, other.x0), min(self.y1, other.y1) - max(self.y0, other.y0))

    def union(self, other: "Box") -> "Box":
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def __str__(self) -> str:
        return f"[{self.x0:.1f},{self.y0:.1f} – {self.x1:.1f},{self.y1:.1f}]"


@dataclass(frozen=True)
class Geometry:
    """The page and its margins; the frame of a page by its physical number (1-based)."""
    page_w: float
    page_h: float
    inner: float
    outer: float
    top: float
    bottom: float

    @classmethod
    def from_styles(cls) -> "Geometry":
        from docgen.pdf import styles

        return cls(styles.PAGE_W, styles.PAGE_H, styles.MARGIN_INNER, styles.MARGIN_OUTER, styles.MARGIN_TOP,
                   styles.MARGIN_BOTTOM)

    def frame(self, page: int, mirrored: bool = False) -> Box:
        """Odd pages are right-hand pages: bound on the left, so the wide inner margin is on the left."""
        odd = (page % 2 == 1) != mirrored
        left = self.inner if odd else self.outer
        right = self.page_w - (self.outer if odd else self.inner)
        return Box(left, self.top, right, self.page_h - self.bottom)


# ---- what is on a page ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Word:
    box: Box
    text: str


@dataclass(frozen=True)
class Rule:
    """A visible straight stroke, horizontal or vertical: (x, y0, y1) or (y, x0, x1)."""
    horizontal: bool
    at: float
    a: float
    b: float
    order: int  # painting order on the page
    width: float = 0.0  # the stroke's width

    @property
    def box(self) -> Box:
        return Box(self.a, self.at, self.b, self.at) if self.horizontal else Box(self.at, self.a, self.at, self.b)


@dataclass(frozen=True)
class Ground:
    """A filled axis-parallel rectangle (a cell's ground, a band, the white under a bar label)."""
    box: Box
    order: int


@dataclass(frozen=True)
class Glyph:
    """One shown character: its em box (advance width × ascent to descent) and its text."""
    box: Box
    char: str


@dataclass
class PageGraphics:
    glyphs: list[Glyph] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    grounds: list[Ground] = field(default_factory=list)
    marks: list[Box] = field(default_factory=list)  # bounding boxes of everything else painted
    links: list[tuple[Box, object]] = field(default_factory=list)  # (rect, resolved target page index)


@dataclass(frozen=True)
class Violation:
    page: int  # physical, 1-based
    label: str  # the page's label ("ii", "12")
    kind: str
    text: str
    boxes: tuple[Box, ...] = ()
    detail: str = ""

    def __str__(self) -> str:
        boxes = " ".join(str(b) for b in self.boxes)
        detail = f" — {self.detail}" if self.detail else ""
        return f"p.{self.page} ({self.label}) {self.kind}: 「{self.text}」{detail} {boxes}".rstrip()


_WORD = re.compile(r'<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)</word>')


def page_words(path: Path, reader: PdfReader | None = None) -> list[list[Word]]:
    """The words of every page (pdftotext -bbox-layout, one call), from the top left of each page's
    trim box when ``reader`` is given (pdftotext measures from the crop box's)."""
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(path), "-"], check=True,
                         capture_output=True, text=True).stdout
    pages: list[list[Word]] = []
    for token in re.finditer(r"<page |<word [^>]*>[^<]*</word>", out):
        if token.group(0) == "<page ":
            pages.append([])
        else:
            m = _WORD.match(token.group(0))
            x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
            pages[-1].append(Word(Box(x0, y0, x1, y1), html.unescape(m.group(5))))
    if reader is not None:
        for k, page in enumerate(reader.pages[:len(pages)]):
            crop, trim = page.cropbox, page.trimbox
            dx, dy = float(crop.left) - float(trim.left), float(trim.top) - float(crop.top)
            if dx or dy:
                pages[k] = [Word(Box(w.box.x0 + dx, w.box.y0 + dy, w.box.x1 + dx, w.box.y1 + dy), w.text)
                            for w in pages[k]]
    return pages


# ---- content streams: rules, grounds, marks ----------------------------------------------------------

def _mul(m, n):
    """The matrix product m × n (apply m, then n), PDF's [a b c d e f] convention."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _apply(m, x, y):
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


class _Font:
    """What placing a font's glyphs needs: each code's width and text, ascent and descent (em)."""

    def __init__(self, font):
        font = font.get_object()
        self.two_byte = font.get("/Subtype") == "/Type0"
        descriptor = font.get("/FontDescriptor")
        widths: dict[int, float] = {}
        if self.two_byte:
            encoding = font.get("/Encoding")
            if encoding not in ("/Identity-H", "/Identity-V"):  # codes are not CIDs: their widths unknown here
                raise ValueError(f"the layout checker reads Type0 fonts with Identity encoding only, not "
                                 f"{font.get('/BaseFont')} ({encoding})")
            descendant = font["/DescendantFonts"][0].get_object()
            descriptor = descendant.get("/FontDescriptor")
            self.missing = float(descendant.get("/DW", 1000)) / 1000
            w = list(descendant.get("/W", []))
            k = 0
            while k < len(w):
                first = int(w[k])
                if isinstance(w[k + 1].get_object() if hasattr(w[k + 1], "get_object") else w[k + 1], list):
                    for n, value in enumerate(w[k + 1]):
                        widths[first + n] = float(value) / 1000
                    k += 2
                else:
                    for code in range(first, int(w[k + 1]) + 1):
                        widths[code] = float(w[k + 2]) / 1000
                    k += 3
        else:
            first = int(font.get("/FirstChar", 0))
            for n, value in enumerate(font.get("/Widths", [])):
                widths[first + n] = float(value) / 1000
            self.missing = None
        descriptor = descriptor.get_object() if descriptor is not None else {}
        if self.missing is None:
            self.missing = float(descriptor.get("/MissingWidth", 0)) / 1000 or None
        self.widths = widths
        self.base = str(font.get("/BaseFont", "")).lstrip("/")
        ascent, descent = float(descriptor.get("/Ascent", 0)), float(descriptor.get("/Descent", 0))
        if ascent - descent <= 0:  # no metrics: the em box
            ascent, descent = 880.0, -120.0
        self.ascent, self.descent = ascent / 1000, descent / 1000
        self.unicode = _to_unicode(font["/ToUnicode"].get_object().get_data()) if "/ToUnicode" in font else {}

    def codes(self, data: bytes):
        step = 2 if self.two_byte else 1
        for k in range(0, len(data) - step + 1, step):
            yield int.from_bytes(data[k:k + step], "big")

    def char(self, code: int) -> str:
        return self.unicode.get(code, chr(code) if not self.two_byte else "\ufffd")

    def width(self, code: int) -> float:
        if code in self.widths:
            return self.widths[code]
        if self.missing:
            return self.missing
        try:  # a standard font the file does not describe: reportlab knows its widths
            from reportlab.pdfbase.pdfmetrics import stringWidth

            return stringWidth(self.char(code), self.base, 1)
        except Exception:
            return 1.0  # wider rather than narrower: a crossing is never excused by a guess


def _to_unicode(cmap: bytes) -> dict[int, str]:
    """A ToUnicode CMap's bfchar and bfrange entries."""
    text = cmap.decode("latin-1")
    out: dict[int, str] = {}

    def utf16(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be", errors="replace")
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, flags=re.S):
        for code, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = utf16(value)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, flags=re.S):
        for lo, hi, value in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(\[[^\]]*\]|<[0-9A-Fa-f]+>)", block):
            lo, hi = int(lo, 16), int(hi, 16)
            if value.startswith("["):
                for n, item in enumerate(re.findall(r"<([0-9A-Fa-f]+)>", value)):
                    out[lo + n] = utf16(item)
            else:
                start = int(value[1:-1], 16)
                for n in range(hi - lo + 1):
                    out[lo + n] = chr(start + n)
    return out


class _Painter:
    """Walks a content stream, collecting shown glyphs and painted geometry in pdftotext's coordinates."""

    def __init__(self, reader: PdfReader, left: float, top: float):
        self.reader, self.left, self.top = reader, left, top  # the trim box's top left corner
        self.out = PageGraphics()
        self.order = 0
        self.fonts: dict[int, _Font] = {}

    def point(self, ctm, x, y):
        px, py = _apply(ctm, float(x), float(y))
        return px - self.left, self.top - py

    def font(self, resources, name) -> _Font | None:
        fonts = resources.get("/Font", {}) if resources else {}
        ref = fonts.get(name) if hasattr(fonts, "get") else None
        if ref is None:
            return None
        key = ref.idnum if hasattr(ref, "idnum") else id(ref)
        if key not in self.fonts:
            self.fonts[key] = _Font(ref)
        return self.fonts[key]

    def show(self, text, font: _Font | None, ts: dict, tm, ctm):
        """Place the glyphs of one string; returns the new text matrix."""
        if isinstance(text, (int, float)) or hasattr(text, "as_numeric"):
            return _mul((1, 0, 0, 1, -float(text) / 1000 * ts["size"] * ts["scale"], 0), tm)
        if font is None:
            return tm
        data = text.original_bytes if hasattr(text, "original_bytes") else bytes(text)
        size, scale = ts["size"], ts["scale"]
        for code in font.codes(data):
            w = font.width(code)
            trm = _mul((size * scale, 0, 0, size, 0, ts["rise"]), _mul(tm, ctm))
            char = font.char(code)
            if ts["mode"] not in (3, 7) and char.strip():
                corners = [_apply(trm, x, y) for x, y in ((0, font.descent), (w, font.descent), (w, font.ascent),
                                                          (0, font.ascent))]
                xs, ys = [p[0] - self.left for p in corners], [self.top - p[1] for p in corners]
                self.out.glyphs.append(Glyph(Box(min(xs), min(ys), max(xs), max(ys)), char))
            advance = (w * size + ts["char"] + (ts["word"] if code == 32 and not font.two_byte else 0)) * scale
            tm = _mul((1, 0, 0, 1, advance, 0), tm)
        return tm

    def run(self, content, resources, ctm, depth=0):
        if depth > 8:
            return
        ops = ContentStream(content, self.reader).operations
        stack = []
        width = 1.0
        ts = {"size": 0.0, "char": 0.0, "word": 0.0, "scale": 1.0, "leading": 0.0, "rise": 0.0, "mode": 0,
              "font": None}
        tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        subpaths: list[list] = []  # each: list of ("m"|"l"|"c", point)
        rects: list[tuple] = []  # each: the four corners of an `re`
        for operands, op in ops:
            if op == b"q":
                stack.append((ctm, width, dict(ts)))
            elif op == b"Q":
                if stack:
                    ctm, width, ts = stack.pop()
            elif op == b"cm":
                ctm = _mul(tuple(float(v) for v in operands), ctm)
            elif op == b"w":
                width = float(operands[0])
            elif op == b"BT":
                tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            elif op == b"Tf":
                ts["font"], ts["size"] = self.font(resources, operands[0]), float(operands[1])
            elif op == b"Tc":
                ts["char"] = float(operands[0])
            elif op == b"Tw":
                ts["word"] = float(operands[0])
            elif op == b"Tz":
                ts["scale"] = float(operands[0]) / 100
            elif op == b"TL":
                ts["leading"] = float(operands[0])
            elif op == b"Ts":
                ts["rise"] = float(operands[0])
            elif op == b"Tr":
                ts["mode"] = int(operands[0])
            elif op in (b"Td", b"TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == b"TD":
                    ts["leading"] = -ty
                tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
            elif op == b"Tm":
                tm = tlm = tuple(float(v) for v in operands)
            elif op == b"T*":
                tm = tlm = _mul((1, 0, 0, 1, 0, -ts["leading"]), tlm)
            elif op == b"Tj":
                tm = self.show(operands[0], ts["font"], ts, tm, ctm)
            elif op == b"TJ":
                for item in operands[0]:
                    tm = self.show(item, ts["font"], ts, tm, ctm)
            elif op in (b"'", b'"'):
                if op == b'"':
                    ts["word"], ts["char"] = float(operands[0]), float(operands[1])
                tm = tlm = _mul((1, 0, 0, 1, 0, -ts["leading"]), tlm)
                tm = self.show(operands[-1], ts["font"], ts, tm, ctm)
            elif op == b"m":
                subpaths.append([("m", self.point(ctm, *operands))])
            elif op == b"l":
                if subpaths:
                    subpaths[-1].append(("l", self.point(ctm, *operands)))
            elif op in (b"c", b"v", b"y"):
                if subpaths:
                    pts = [self.point(ctm, operands[k], operands[k + 1]) for k in range(0, len(operands), 2)]
                    for p in pts[:-1]:
                        subpaths[-1].append(("ctl", p))
                    subpaths[-1].append(("c", pts[-1]))
            elif op == b"h":
                if subpaths and subpaths[-1]:
                    subpaths[-1].append(("h", subpaths[-1][0][1]))
            elif op == b"re":
                x, y, w, h = (float(v) for v in operands)
                corners = [self.point(ctm, x, y), self.point(ctm, x + w, y), self.point(ctm, x + w, y + h),
                           self.point(ctm, x, y + h)]
                rects.append(corners)
            elif op in (b"S", b"s", b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"n"):
                stroke = op in (b"S", b"s", b"B", b"B*", b"b", b"b*")
                fill = op in (b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*")
                if op in (b"s", b"b", b"b*"):
                    for sp in subpaths:
                        if sp and sp[-1][0] != "h":
                            sp.append(("h", sp[0][1]))
                self.paint(subpaths, rects, stroke, fill, width * math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])))
                subpaths, rects = [], []
            elif op == b"Do":
                xobjects = resources.get("/XObject", {}) if resources else {}
                xobject = xobjects.get(operands[0]) if hasattr(xobjects, "get") else None
                if xobject is None:
                    continue
                xobject = xobject.get_object()
                if xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                    self.run(xobject, xobject.get("/Resources", resources), _mul(matrix, ctm), depth + 1)
                else:  # an image: the unit square
                    corners = [self.point(ctm, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))]
                    self.mark(corners)
            elif op == b"INLINE IMAGE":
                self.mark([self.point(ctm, x, y) for x, y in ((0, 0), (1, 0), (1, 1), (0, 1))])

    def mark(self, points):
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        self.out.marks.append(Box(min(xs), min(ys), max(xs), max(ys)))

    def paint(self, subpaths, rects, stroke, fill, width):
        if not stroke and not fill:
            return
        self.order += 1
        for corners in rects:
            box = Box(min(p[0] for p in corners), min(p[1] for p in corners), max(p[0] for p in corners),
                      max(p[1] for p in corners))
            if fill and box.w > 0 and box.h > 0:
                self.out.grounds.append(Ground(box, self.order))
            if stroke:
                for k in range(4):
                    self.segment(corners[k], corners[(k + 1) % 4], width)
            if fill and not stroke:
                self.out.marks.append(box)
        for sp in subpaths:
            points = [p for _, p in sp]
            if not points:
                continue
            if fill:
                xs, ys = [p[0] for p in points], [p[1] for p in points]
                self.out.marks.append(Box(min(xs), min(ys), max(xs), max(ys)))
            if stroke:
                for (kind0, p0), (kind1, p1) in zip(sp, sp[1:]):
                    if kind1 in ("l", "h") and kind0 != "ctl":
                        self.segment(p0, p1, width)
                    elif kind1 in ("c", "ctl"):
                        self.out.marks.append(Box(min(p0[0], p1[0]), min(p0[1], p1[1]), max(p0[0], p1[0]),
                                                  max(p0[1], p1[1])))

    def segment(self, p0, p1, width):
        (x0, y0), (x1, y1) = p0, p1
        if abs(y0 - y1) < 0.01 and abs(x0 - x1) >= 0.01:
            self.out.rules.append(Rule(True, y0, min(x0, x1), max(x0, x1), self.order, width))
        elif abs(x0 - x1) < 0.01 and abs(y0 - y1) >= 0.01:
            self.out.rules.append(Rule(False, x0, min(y0, y1), max(y0, y1), self.order, width))
        else:  # a slanted stroke (an arrow): not a cell's rule, but painted all the same
            self.out.marks.append(Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def _page_index(reader: PdfReader) -> dict[int, int]:
    return {page.indirect_reference.idnum: k for k, page in enumerate(reader.pages)}


def _link_target(reader: PdfReader, annot, index: dict[int, int]):
    """The page index a /Link annotation goes to (/Dest or a /GoTo action), or None."""
    dest = annot.get("/Dest")
    action = annot.get("/A")
    if dest is None and action is not None:
        action = action.get_object()
        if action.get("/S") == "/GoTo":
            dest = action.get("/D")
    if dest is None:
        return None
    dest = dest.get_object() if hasattr(dest, "get_object") else dest
    if isinstance(dest, (str, bytes)) or not hasattr(dest, "__getitem__"):
        names = reader.named_destinations
        named = names.get(str(dest)) or names.get("/" + str(dest).lstrip("/")) or names.get(str(dest).lstrip("/"))
        if named is None:
            return None
        number = reader.get_destination_page_number(named)
        return number if number is not None and number >= 0 else None
    target = dest[0]
    if hasattr(target, "idnum"):
        return index.get(target.idnum)
    if isinstance(target, int):
        return target
    return None


def page_graphics(reader: PdfReader) -> list[PageGraphics]:
    """What each page paints and links, measured from the top left of its trim box (the page as
    trimmed: a press PDF may have bleed around it)."""
    index = _page_index(reader)
    out = []
    for page in reader.pages:
        trim = page.trimbox
        left, top = float(trim.left), float(trim.top)
        painter = _Painter(reader, left, top)
        content = page.get_contents()
        if content is not None:
            painter.run(content, page.get("/Resources"), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
            box = Box(min(x0, x1) - left, top - max(y0, y1), max(x0, x1) - left, top - min(y0, y1))
            painter.out.links.append((box, _link_target(reader, annot, index)))
        out.append(painter.out)
    return out


# ---- the checks -----------------------------------------------------------------------------------

def _rows(words: list[Word]) -> list[list[Word]]:
    """Words on one baseline (same em box top and bottom), left to right; rows top to bottom."""
    rows: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.box.y1, 1), w.box.x0)):
        if rows and abs(rows[-1][0].box.y1 - word.box.y1) < 1.0 and abs(rows[-1][0].box.h - word.box.h) < 1.0:
            rows[-1].append(word)
        else:
            rows.append([word])
    return [sorted(r, key=lambda w: w.box.x0) for r in rows]


def _row_box(row: list[Word]) -> Box:
    box = row[0].box
    for w in row[1:]:
        box = box.union(w.box)
    return box


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Page:
    def __init__(self, number: int, label: str, words: list[Word], graphics: PageGraphics, geo: Geometry):
        self.number, self.label, self.geo = number, label, geo
        self.words, self.graphics = words, graphics
        self.glyphs = graphics.glyphs
        self.frame = geo.frame(number)
        self.violations: list[Violation] = []
        # text above and below the frame: the running head and page number (checked on their own)
        self.head = [w for w in words if w.box.y1 <= self.frame.y0 + TOL]
        self.foot = [w for w in words if w.box.y0 >= self.frame.y1 - TOL]
        self.body = [w for w in words if w not in self.head and w not in self.foot]
        self._by_y = sorted(words, key=lambda w: w.box.y0)

    @functools.cached_property
    def row_texts(self) -> list[str]:
        """The text of each line of the page (running head and page number left out), top to bottom."""
        return [squash("".join(w.text for w in row)) for row in _rows(self.body)]

    def add(self, kind: str, text: str, *boxes: Box, detail: str = ""):
        self.violations.append(Violation(self.number, self.label, kind, text, tuple(boxes), detail))

    def word_of(self, glyph: Glyph) -> Word | None:
        """The pdftotext word a glyph belongs to (its centre inside the word's box)."""
        x, y = glyph.box.cx, glyph.box.cy
        for w in self._by_y:
            if w.box.y0 > y + 0.5:
                break
            if w.box.x0 - 0.5 <= x <= w.box.x1 + 0.5 and w.box.y0 - 0.5 <= y <= w.box.y1 + 0.5:
                return w
        return None

    # -- binding side: which frame the page is set in --------------------------------------------------
    def _in_body(self, box: Box) -> bool:
        return box.y1 > self.frame.y0 + TOL and box.y0 < self.frame.y1 - TOL

    def extent(self) -> Box | None:
        boxes = [w.box for w in self.body] + [r.box for r in self.graphics.rules if self._in_body(r.box)]
        boxes += [g.box for g in self.graphics.grounds if self._in_body(g.box)]
        boxes += [m for m in self.graphics.marks if self._in_body(m)]
        if not boxes:
            return None
        box = boxes[0]
        for other in boxes[1:]:
            box = box.union(other)
        return box

    def check_binding(self):
        """Set in the mirrored frame (what is on the page reaches past its own frame and lies on the
        mirrored frame's edge): one violation for the page, and the other checks use the frame the
        page was set in."""
        extent = self.extent()
        if extent is None or extent.inside(self.frame, FRAME_TOL):
            return
        mirror = self.geo.frame(self.number, mirrored=True)
        on_edge = abs(extent.x0 - mirror.x0) <= ALIGN_TOL or abs(extent.x1 - mirror.x1) <= ALIGN_TOL
        if extent.inside(mirror, FRAME_TOL) and on_edge:
            side = "left" if self.number % 2 else "right"
            self.add("binding", "(page)", extent, self.frame,
                     detail=f"set in the mirrored frame {mirror}: the wide inner (binding) margin belongs on the "
                            f"{side} of page {self.number}")
            self.frame = mirror

    # -- glyphs and graphics inside the frame -----------------------------------------------------------
    def check_frame(self):
        for w in self.body:
            if not w.box.inside(self.frame, FRAME_TOL):
                self.add("frame", w.text, w.box, self.frame, detail="outside the text frame")
        for rule in self.graphics.rules:  # the running head's rule is checked with the head
            if not self._head_rule(rule) and not rule.box.inside(self.frame, FRAME_TOL):
                self.add("frame", "(rule)", rule.box, self.frame, detail="a rule outside the text frame")
        for box in [g.box for g in self.graphics.grounds] + self.graphics.marks:
            if not box.inside(self.frame, FRAME_TOL):
                self.add("frame", "(graphic)", box, self.frame, detail="painted outside the text frame")

    def _head_rule(self, rule: Rule) -> bool:
        """A horizontal rule above the frame: the running head's."""
        return rule.horizontal and 0 <= rule.at < self.geo.frame(self.number).y0 - TOL

    # -- the running head and the page number -------------------------------------------------------------
    def check_head_and_number(self):
        # by the page's own frame, whatever frame its text was set in: the head and folio stand where
        # the page number puts them (a page set in the mirrored frame is one binding violation)
        f = self.geo.frame(self.number)
        odd = self.number % 2 == 1
        rows = _rows(self.head)
        for k, row in enumerate(rows):
            box, text = _row_box(row), " ".join(w.text for w in row)
            if k < len(rows) - 1:  # only the line next to the frame is the running head
                self.add("frame", text, box, f, detail="text in the top margin that is not the running head")
                continue
            edge, at = (f.x1, box.x1) if odd else (f.x0, box.x0)
            if abs(edge - at) > ALIGN_TOL or box.x0 < f.x0 - FRAME_TOL or box.x1 > f.x1 + FRAME_TOL:
                self.add("running-head", text, box, f,
                         detail=f"its {'right' if odd else 'left'} edge is at {at:.1f}, the frame's at {edge:.1f}")
        for rule in self.graphics.rules:  # the head's rule, between it and the frame
            if self._head_rule(rule):
                if abs(rule.a - f.x0) > ALIGN_TOL or abs(rule.b - f.x1) > ALIGN_TOL:
                    self.add("running-head", "(rule)", rule.box, f, detail="the head's rule is not as wide as the frame")
        rows = _rows(self.foot)
        for k, row in enumerate(rows):
            box, text = _row_box(row), " ".join(w.text for w in row)
            if k > 0:  # only the line next to the frame is the page number
                self.add("frame", text, box, f, detail="text in the bottom margin that is not the page number")
                continue
            if abs(box.cx - f.cx) > ALIGN_TOL or box.x0 < f.x0 - FRAME_TOL or box.x1 > f.x1 + FRAME_TOL:
                self.add("page-number", text, box, f, detail=f"centred at {box.cx:.1f}, the frame at {f.cx:.1f}")
            printed = re.findall(r"[0-9]+|[ivxlcdm]+", text)
            if self.label and printed and printed[-1] != self.label:
                self.add("page-number", text, box, detail=f"the page is labelled {self.label}")

    # -- no glyph on a visible rule (each word inside one cell) --------------------------------------------
    def check_cells(self):
        rules = _dedupe(self.graphics.rules)
        vertical = sorted((r for r in rules if not r.horizontal), key=lambda r: r.at)
        horizontal = sorted((r for r in rules if r.horizontal), key=lambda r: r.at)
        vx, hy = [r.at for r in vertical], [r.at for r in horizontal]
        widest = max([r.width for r in rules] + [0.1]) / 2 + 0.1
        seen: set = set()
        for g in self.glyphs:
            b = g.box
            crossing = [r for r in vertical[bisect.bisect_left(vx, b.x0 - widest):bisect.bisect_right(vx, b.x1 + widest)]
                        if _touches(r, b)]
            crossing += [r for r in horizontal[bisect.bisect_left(hy, b.y0 - widest):bisect.bisect_right(hy, b.y1 + widest)]
                         if _touches(r, b)]
            for r in crossing:
                if self._hidden(r, b):
                    continue
                word = self.word_of(g)
                key = (word or g, r.horizontal, round(r.at, 1))
                if key in seen:
                    continue
                seen.add(key)
                cell = self._cell(b, vertical, horizontal)
                text = word.text if word else g.char
                self.add("cell", text, word.box if word else b, *((cell,) if cell else ()), r.box,
                         detail=f"「{g.char}」 lies on {'a horizontal' if r.horizontal else 'a vertical'} rule"
                                + (f" of its cell {cell}" if cell else ""))

    def _hidden(self, rule: Rule, glyph: Box) -> bool:
        """Whether the stretch of ``rule`` beside ``glyph`` lies under a ground painted after it."""
        if rule.horizontal:
            part = Box(max(rule.a, glyph.x0), rule.at, min(rule.b, glyph.x1), rule.at)
        else:
            part = Box(rule.at, max(rule.a, glyph.y0), rule.at, min(rule.b, glyph.y1))
        return any(g.order > rule.order and g.box.x0 < part.x0 - 0.1 and g.box.x1 > part.x1 + 0.1
                   and g.box.y0 < part.y0 - 0.1 and g.box.y1 > part.y1 + 0.1 for g in self.graphics.grounds)

    @staticmethod
    def _cell(b: Box, vertical: list[Rule], horizontal: list[Rule]) -> Box | None:
        """The cell a glyph is set in: the nearest rules around its centre."""
        x, y = b.cx, b.cy
        left = [r.at for r in vertical if r.at <= x and r.a <= y <= r.b]
        right = [r.at for r in vertical if r.at > x and r.a <= y <= r.b]
        top = [r.at for r in horizontal if r.at <= y and r.a <= x <= r.b]
        bottom = [r.at for r in horizontal if r.at > y and r.a <= x <= r.b]
        if not (left and right and top and bottom):
            return None
        return Box(max(left), max(top), min(right), min(bottom))

    # -- no two glyphs overlap ----------------------------------------------------------------------------
    def check_overlaps(self):
        """Glyph boxes, a full-width punctuation mark's blank half left out (see :func:`ink`)."""
        glyphs = self.glyphs
        if not glyphs:
            return
        boxes = [ink(g) for g in glyphs]
        size = max(max(b.w, b.h) for b in boxes) + 1.0
        buckets: dict[tuple[int, int], list[int]] = {}
        for k, b in enumerate(boxes):
            buckets.setdefault((int(b.cx // size), int(b.cy // size)), []).append(k)
        seen: set = set()
        for (bx, by), members in buckets.items():
            near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in buckets.get((bx + dx, by + dy), ())]
            for i in members:
                for j in near:
                    if j <= i:
                        continue
                    ow, oh = boxes[i].overlap(boxes[j])
                    if ow > TOL and oh > TOL:
                        a, b = glyphs[i], glyphs[j]
                        wa, wb = self.word_of(a), self.word_of(b)
                        key = (wa or a, wb or b)
                        if key in seen or key[::-1] in seen:
                            continue
                        seen.add(key)
                        where = f"「{wa.text}」" if wa is not None and wa is wb else \
                            f"「{wa.text if wa else a.char}」 and 「{wb.text if wb else b.char}」"
                        self.add("overlap", f"{a.char} / {b.char}", a.box, b.box,
                                 detail=f"the glyphs overlap, in {where}")


# JLReq's punctuation classes, as full-width glyphs draw them: half an em of ink, half of blank
_INK_LEFT = set("）」』】〕］｝〉》〙〗’”、，。．")  # closing brackets (cl-02), commas (cl-07), full stops (cl-06)
_INK_RIGHT = set("（「『【〔［｛〈《〘〖‘“")  # opening brackets (cl-01)
_INK_MIDDLE = set("・：；")  # middle dots (cl-05): a quarter em of blank each side


def ink(glyph: Glyph) -> Box:
    """The part of a glyph's em box its ink may take: a full-width punctuation mark's blank half is
    left out, because 約物の詰め (JLReq 3.1.4) sets the next mark into it (``。」`` takes 1.5 em)."""
    b = glyph.box
    if b.w < 0.9 * b.h:  # a narrow (proportional) mark has no blank half
        return b
    if glyph.char in _INK_LEFT:
        return Box(b.x0, b.y0, b.x0 + b.w / 2, b.y1)
    if glyph.char in _INK_RIGHT:
        return Box(b.x0 + b.w / 2, b.y0, b.x1, b.y1)
    if glyph.char in _INK_MIDDLE:
        return Box(b.x0 + b.w / 4, b.y0, b.x1 - b.w / 4, b.y1)
    return b


def _touches(rule: Rule, glyph: Box) -> bool:
    """Whether a rule runs through a glyph's box: its centre line (the cell's edge) crosses the box by
    more than rounding, along a stretch longer than the tolerance (a rule ending at a glyph's corner
    does not count).  A box merely reaching into the rule's half width is not counted: the glyph's
    side bearing keeps its ink off the rule."""
    if rule.horizontal:
        across = min(rule.at - glyph.y0, glyph.y1 - rule.at)
        along = min(rule.b, glyph.x1) - max(rule.a, glyph.x0)
    else:
        across = min(rule.at - glyph.x0, glyph.x1 - rule.at)
        along = min(rule.b, glyph.y1) - max(rule.a, glyph.y0)
    return across > EPS and along > TOL


def _dedupe(rules: list[Rule]) -> list[Rule]:
    """One rule per drawn position (a grid draws shared edges twice); the last painted wins."""
    seen: dict[tuple, Rule] = {}
    for r in rules:
        key = (r.horizontal, round(r.at, 2), round(r.a, 2), round(r.b, 2))
        if key not in seen or seen[key].order < r.order:
            seen[key] = r
    return list(seen.values())


# ---- the 目次 -------------------------------------------------------------------------------------------

def _contents_entries(page: _Page, title: str = "目次") -> list[tuple[str, str, Box]]:
    """(text, printed page number, line box) of each 目次 entry on a page: a line of glyphs with a page
    label ending on the frame's right edge, and the entry's text before it — with the lines above it
    that carry no number, for an entry too long for one line.  Read from the glyphs, so an entry that
    runs into its number (which pdftotext would read as one word) is still read apart."""
    f = page.geo.frame(page.number)
    rows: list[list[Glyph]] = []
    for g in sorted((g for g in page.glyphs if g.box.y0 >= f.y0 - TOL and g.box.y1 <= f.y1 + TOL),
                    key=lambda g: (round(g.box.y1, 1), g.box.x0)):
        if rows and abs(rows[-1][0].box.y1 - g.box.y1) < 0.5 and abs(rows[-1][0].box.h - g.box.h) < 0.5:
            rows[-1].append(g)
        else:
            rows.append([g])
    out = []
    pending = ""  # the first lines of an entry broken over several
    for row in rows:  # top down (y grows down the page)
        last = [g for g in row if _is_label(g.char) and abs(g.box.x1 - f.x1) <= ALIGN_TOL]
        if not last:
            line = squash("".join(g.char for g in sorted(row, key=lambda g: g.box.x0)))
            pending = "" if line == title else pending + line
            continue
        number = [last[0]]
        while True:
            before = [g for g in row if _is_label(g.char) and g not in number and abs(g.box.x1 - number[0].box.x0) < 0.3]
            if not before:
                break
            number.insert(0, before[0])
        text = pending + squash("".join(g.char for g in sorted(row, key=lambda g: g.box.x0) if g not in number))
        pending = ""
        if text:
            box = row[0].box
            for g in row[1:]:
                box = box.union(g.box)
            out.append((text, "".join(g.char for g in number), box))
    return out


def _is_label(char: str) -> bool:
    return char in "0123456789ivxlcdm"


def _heading_pages(text: str, pages: list[_Page]) -> list[int]:
    """The pages a heading's text is set on, best first: as whole lines (one or more rows that are
    exactly the text), as the start of a line, anywhere on the page — running heads and page numbers
    left out."""
    exact, start, anywhere = [], [], []
    for p in pages:
        rows = p.row_texts
        joined = "".join(rows)
        if text not in joined:
            continue
        anywhere.append(p.number)
        for i in range(len(rows)):
            run = ""
            for row in rows[i:]:
                run += row
                if len(run) >= len(text):
                    break
            if run == text:
                exact.append(p.number)
                break
            if run.startswith(text):
                start.append(p.number)
    seen: list[int] = []
    for n in exact + start + anywhere:
        if n not in seen:
            seen.append(n)
    return seen


def check_contents(pages: list[_Page], labels: list[str], title: str = "目次"):
    """Every 目次 entry links to the page its heading is set on and prints that page's label.

    The 目次 pages are the front pages (before the page labelled 1; without page labels, the pages whose
    first line is ``title``).  An entry's heading is the first page, at or after the previous entry's,
    that sets the entry's text as a line of its own (else as the start of a line, else anywhere): the
    entries follow the document's order, so a 基本方針 named in the 施策の体系 table before its
    chapter is not taken for its heading."""
    numbered = [k for k, label in enumerate(labels) if label.isdigit()]
    if labels and numbered:
        front = [p for p in pages if p.number - 1 < numbered[0]]
    else:
        front = [p for p in pages if p.body and squash("".join(w.text for w in _rows(p.body)[0])) == title]
    contents = [(p, e) for p in front for e in _contents_entries(p, title)]
    if not contents:
        return
    previous = max(p.number for p, _ in contents) + 1
    for page, (text, printed, box) in contents:
        found = _heading_pages(text, [p for p in pages if p.number >= previous])
        links = [(lb, target) for lb, target in page.graphics.links
                 if lb.overlap(box)[1] > box.h / 2 and lb.overlap(box)[0] > 0]
        if not found:
            page.add("toc-heading", text, box, detail=f"no page from p.{previous} on sets this heading")
            continue
        heading = found[0]
        previous = heading
        label = labels[heading - 1] if labels else str(heading)
        if printed != label:
            page.add("toc-page", text, box,
                     detail=f"prints page {printed}, the heading is on page {label} (p.{heading})")
        if not links:
            page.add("toc-link", text, box, detail=f"no link to its heading's page {label} (p.{heading})")
        for lb, target in links:
            if target != heading - 1:
                where = "nowhere" if target is None else f"page {labels[target] if labels else target + 1} (p.{target + 1})"
                page.add("toc-link", text, box, lb,
                         detail=f"links to {where}, the heading is on page {label} (p.{heading})")


# ---- entry points ---------------------------------------------------------------------------------------

def check_layout(path: Path | str, geometry: Geometry | None = None, contents_title: str = "目次") -> list[Violation]:
    """Every layout violation of the PDF at ``path``, page by page (see the module's docstring)."""
    geo = geometry or Geometry.from_styles()
    reader = PdfReader(str(path))
    labels = list(reader.page_labels) if "/PageLabels" in reader.trailer["/Root"] else []
    words = page_words(Path(path), reader)
    graphics = page_graphics(reader)
    pages = [_Page(k + 1, labels[k] if labels else str(k + 1), words[k] if k < len(words) else [], graphics[k], geo)
             for k in range(len(reader.pages))]
    for p in pages:
        p.check_binding()
        p.check_frame()
        p.check_head_and_number()
        p.check_cells()
        p.check_overlaps()
        if p.label.isdigit() and int(p.label) % 2 != p.number % 2:
            p.add("binding", p.label, detail=f"page {p.label} is a {'left' if p.number % 2 == 0 else 'right'}-hand "
                                             f"page (physical page {p.number}): odd pages must be right-hand pages")
    check_contents(pages, labels, contents_title)
    return [v for p in pages for v in p.violations]


def format_violations(violations: list[Violation], limit: int = 60) -> str:
    lines = [str(v) for v in violations[:limit]]
    if len(violations) > limit:
        lines.append(f"… and {len(violations) - limit} more")
    return "\n".join(lines)


def assert_layout(path: Path | str, geometry: Geometry | None = None) -> None:
    """Fail with every violation listed (page, kind, text, boxes)."""
    violations = check_layout(path, geometry)
    assert not violations, f"{len(violations)} layout violations in {Path(path).name}:\n" + format_violations(violations)
