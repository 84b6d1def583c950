"""The glossary: 五十音 order by reading, and which cards footnote each term."""

from __future__ import annotations

import unicodedata

from . import jchars, model


_VOWELS = {v: row for row, kana in {
    "あ": "ぁあかがさざただなはばぱまゃやらゎわ",
    "い": "ぃいきぎしじちぢにひびぴみり",
    "う": "ぅうくぐすずっつづぬふぶぷむゅゆる",
    "え": "ぇえけげせぜてでねへべぺめれ",
    "お": "ぉおこごそぞとどのほぼぽもょよろを",
}.items() for v in kana}
_SMALL = str.maketrans("ぁぃぅぇぉっゃゅょゎ", "あいうえおつやゆよわ")


def reading_key(reading: str) -> tuple[str, str]:
    """Sort key in 五十音 order (JIS X 4061 in its simple form).

    Katakana is folded to hiragana, the prolonged sound mark ー counts as the vowel it lengthens
    (えー → ええ), small kana sort as their full-size forms, voiced kana beside their plain forms.
    """
    text = unicodedata.normalize("NFKC", reading)
    out: list[str] = []
    for c in text:
        if c.isspace() or c == "・":
            continue
        if "ァ" <= c <= "ヶ":
            c = chr(ord(c) - 0x60)
        if c == "ー" and out:
            c = _VOWELS.get(out[-1], "")
        out.append(c)
    decomposed = unicodedata.normalize("NFD", "".join(out).translate(_SMALL))
    primary = "".join(c for c in decomposed if not unicodedata.combining(c))
    return primary, decomposed  # voiced kana sort right after their plain forms


_ROWS = ("あ", "か", "さ", "た", "な", "は", "ま", "や", "ら", "わ")
_ROW_OF = {c: row for row, kana in zip(_ROWS, (
    "あいうえお", "かきくけこ", "さしすせそ", "たちつてと", "なにぬねの", "はひふへほ", "まみむめも", "やゆよ",
    "らりるれろ", "わをん")) for c in kana}


def is_latin(term: model.Term) -> bool:
    """A term written in Latin letters (RPA, LGWAN): listed in the A–Z block before the kana."""
    first = unicodedata.normalize("NFKC", term.term)[:1]
    return first.isascii() and first.isalpha()


def group_of(term: model.Term, latin: str) -> str:
    """The heading a term is listed under: the Latin block, or its 五十音 row (あ行, か行 …)."""
    if is_latin(term):
        return latin
    first = reading_key(term.reading)[0][:1]
    return f"{_ROW_OF.get(first, 'わ')}行"


def in_reading_order(terms: list[model.Term]) -> list[model.Term]:
    """Latin-letter terms first in alphabetical order, then the rest in 五十音 order by reading."""
    return sorted(terms, key=lambda t: (0, unicodedata.normalize("NFKC", t.term).upper(), t.term)
                  if is_latin(t) else (1, reading_key(t.reading), t.term))


def cards_using(term: str, projects: list[model.Project]) -> list[model.Project]:
    return [p for p in projects if term in p.terms]


def shown_reading(term: model.Term) -> str:
    """The reading printed under a term: only where the term has kanji a reader might not know
    (基幹系システム → きかんけいしすてむ); RFI or クラウド read as written."""
    return term.reading if any(jchars.script(ch) == "kanji" for ch in term.term) else ""
