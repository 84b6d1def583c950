"""The line breaker on its own: 禁則, Latin runs, numbers with units, justification."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import jchars
from docgen.linebreak import Style, layout

S = Style("m", 10.0)


def measure(ch: str, style: Style) -> float:
    return style.size if jchars.is_wide(ch) else style.size * 0.5


def lines_of(text: str, width: float, **kw) -> list[str]:
    return [line.text for line in layout([(text, S)], width, measure, **kw)]


def test_no_line_starts_with_closing_punctuation():
    # 10 characters per line: the 、 would start line 2; the preceding character comes down with it
    out = lines_of("あいうえおかきくけこ、さしすせそ", 100)
    assert all(line[0] not in jchars.NOT_AT_LINE_START for line in out)
    assert out[0] == "あいうえおかきく" + "け" or out[1].startswith("こ、")


@pytest.mark.parametrize("ch", list("、。）」』】〕・ーぁっャョ？！"))
def test_forbidden_line_starts(ch):
    text = "あ" * 9 + "い" + ch + "う" * 12
    for line in lines_of(text, 100)[1:]:
        assert line[0] != ch


@pytest.mark.parametrize("ch", list("（「『【〔"))
def test_no_line_ends_with_opening_bracket(ch):
    text = "あ" * 9 + ch + "い" * 12
    for line in lines_of(text, 100):
        assert line[-1] != ch


def test_latin_words_are_not_split():
    text = "これはInformation&Communication Technologyの略です。" * 3
    words = {"Information&Communication", "Technology"}
    for width in range(130, 400, 7):  # wider than the longest word (125)
        out = lines_of(text, width)
        for line in out:
            assert set(re.findall(r"[A-Za-z&]+", line)) <= words, (width, out)


@pytest.mark.parametrize("token", ["AI-OCR", "2023年", "87%", "HARP", "76.9%", "R5年", "1,750人"])
def test_tokens_stay_whole(token):
    for width in range(40, 200, 5):
        text = "あいうえおかきくけこさしすせそ" + token + "たちつてと"
        out = lines_of(text, width)
        assert any(token in line for line in out), (width, out)


def test_ellipsis_is_not_split():
    for width in range(30, 120, 5):
        out = lines_of("あいうえおかきくけ……こさしすせそ", width)
        assert any("……" in line for line in out)


def test_justified_lines_fill_the_width_except_the_last():
    out = layout([("あいうえお、かきくけこさしすせそたちつてとなにぬねの。" * 2, S)], 95, measure)
    for line in out[:-1]:
        end = line.xs[-1] + measure(line.text[-1], S)
        assert end == pytest.approx(95, abs=0.01)
    last = out[-1]
    assert last.xs[-1] + measure(last.text[-1], S) < 95


def test_latin_letters_are_not_spaced_out_by_justification():
    out = layout([("あいうえお ABCD かきくけこさしすせそたち", S)], 97, measure)
    first = out[0]
    i = first.text.index("A")
    gaps = [first.xs[i + k + 1] - first.xs[i + k] for k in range(3)]
    assert gaps == pytest.approx([5.0, 5.0, 5.0])


def test_wakoukan_quarter_em_between_japanese_and_latin():
    line = layout([("あA", S)], 200, measure, align="left")[0]
    assert line.xs[1] == pytest.approx(10 + 2.5)


def test_punctuation_pairs_lose_one_half_em_blank_and_inks_never_overlap():
    # ）、 「 」。」: each pair gives up one half-em blank (JLReq 3.1.4), never more: a mark's ink is half
    # its em box, so the next one may start half an em in but no further
    line = layout([("あ）、「い」。」", S)], 200, measure, align="left")[0]
    assert line.xs == [0, 10, 15, 20, 30, 40, 45, 50]
    assert line.width == 60
    for k in range(1, len(line.text)):
        assert line.xs[k] - line.xs[k - 1] >= measure(line.text[k - 1], S) / 2 - 1e-9


def test_forced_line_break_and_indent():
    out = layout([("あいう\nえお", S)], 200, measure, indent=10)
    assert [l.text for l in out] == ["あいう", "えお"]
    assert out[0].xs[0] == 10 and out[1].xs[0] == 0


def test_phrase_mode_breaks_at_phrase_boundaries():
    text = "マイナンバーカード所有者の転出・転入手続のワンストップ化"
    out = lines_of(text, 140, phrases=True, align="left")
    assert out[0] == "マイナンバーカード所有者の"


def test_overlong_piece_is_broken_rather_than_overflowing():
    url = "https://example.jp/" + "a" * 80
    for line in layout([(url, S)], 100, measure):
        assert line.width <= 100 + 1e-6


def test_a_paragraph_does_not_end_on_one_or_two_characters():
    # 21 characters in lines of 10: greedy filling would leave 「。」 alone on the last line
    out = layout([("あいうえおかきくけこさしすせそたちつてと。", S)], 100, measure)
    assert len(out) == 3 and len(out[-1].text) >= 3
    for line in out[:-1]:
        assert line.xs[-1] + measure(line.text[-1], S) == pytest.approx(100, abs=0.01)


def test_spaces_between_latin_words_take_room():
    # "Request For Information" holds two spaces: they must be counted when filling a line
    text = "Request For Information（情報提供依頼書）の略。業務の発注や委託などを計画する際に。"
    for width in range(120, 300, 7):
        for line in layout([(text, S)], width, measure):
            assert line.width <= width + 1e-6, (width, line.text)
            assert line.end_x(measure) <= width + 1e-6, (width, line.text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="あいう漢字カナ、。（）「」ABCxyz019 -&%…ー", min_size=1, max_size=80),
       st.integers(min_value=40, max_value=300), st.booleans())
def test_no_line_is_wider_than_the_measure(text, width, phrases):
    for line in layout([(text, S)], width, measure, phrases=phrases):
        assert not line.text.endswith(" ")
        # only a single character wider than the whole line could ever overflow it
        assert line.width <= width + 1e-6 or len(line.text) == 1, (width, line.text)


def test_a_phrase_too_long_for_the_line_breaks_where_a_word_starts():
    # BudouX keeps 「向上及び情報セキュリティの」 as one phrase; it must not become 「…セキュリ|ティ」
    text = "デジタルリテラシーの向上及び情報セキュリティの確保"
    out = lines_of(text, 100, phrases=True, align="center")
    assert out == ["デジタルリテラシーの", "向上及び情報", "セキュリティの確保"]
