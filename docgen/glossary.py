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


def in_reading_order(terms: list[model.Term]) -> list[model.Term]:
    return sorted(terms, key=lambda t: (reading_key(t.reading), t.term))


def cards_using(term: str, projects: list[model.Project]) -> list[model.Project]:
    return [p for p in projects if term in p.terms]


def shown_reading(term: model.Term) -> str:
    """The reading printed under a term: only where the term has kanji a reader might not know
    (基幹系システム → きかんけいしすてむ); RFI or クラウド read as written."""
    return term.reading if any(jchars.script(ch) == "kanji" for ch in term.term) else ""
