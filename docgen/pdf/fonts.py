"""Registering the manifest's fonts with reportlab and measuring characters."""

from __future__ import annotations

from functools import lru_cache

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .. import fonts
from ..linebreak import Style

PDF_NAMES = {"body": "BIZUDMincho", "heading": "BIZUDGothic", "heading-bold": "BIZUDGothic-Bold",
             # Latin words of two or more letters: the proportional faces (see fonts/manifest.yaml)
             "body-latin": "BIZUDPMincho", "heading-latin": "BIZUDPGothic",
             "heading-bold-latin": "BIZUDPGothic-Bold"}


@lru_cache(maxsize=1)
def register() -> dict[str, str]:
    """Register every role's TTF (embedded as a subset); returns role → reportlab font name."""
    paths = fonts.require()
    for role, path in paths.items():
        name = PDF_NAMES[role]
        if name not in pdfmetrics.getRegisteredFontNames():
            try:
                font = _font(name, path)
            except Exception as exc:  # fonts.require() checked the file; this is a backstop
                raise fonts.FontsMissing(f"フォント {path} を読めません（{type(exc).__name__}）。"
                                         "docgen fonts で確かめてください") from None
            pdfmetrics.registerFont(font)
    return dict(PDF_NAMES)


def _font(name: str, path):
    """A reportlab TTFont on the face docgen.fonts has parsed already (for the character check), not
    a second parse of the same file: TTFont makes its face through the module's TTFontFace."""
    from reportlab.pdfbase import ttfonts

    parsed = fonts.face(path)
    made = ttfonts.TTFontFace
    ttfonts.TTFontFace = lambda filename, validate=0, subfontIndex=0: parsed
    try:
        return TTFont(name, str(path))
    finally:
        ttfonts.TTFontFace = made


_widths: dict[tuple[str, str], float] = {}


def measure(ch: str, style: Style) -> float:
    """Advance width of one character in points."""
    key = (style.key, ch)
    width = _widths.get(key)
    if width is None:
        width = pdfmetrics.getFont(PDF_NAMES[style.key]).stringWidth(ch, 1.0)
        _widths[key] = width
    return width * style.size


def string_width(text: str, role: str, size: float) -> float:
    return sum(measure(ch, Style(role, size)) for ch in text)
