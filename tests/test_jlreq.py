"""JLReq refinements: 約物の連続 (punctuation pairs), ranges (2～3回, R8～), phrases-mode breaking that
avoids one- or two-character lines and breaks inside words or short parentheses — each rule in
:mod:`docgen.jchars` / :mod:`docgen.linebreak`, and the PDF text flowable that draws them."""

from __future__ import annotations

import re
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import jchars
from docgen.linebreak import Style, layout

S = Style("m", 10.0)


def measure(ch: str, style: Style) -> float:
    """Every wide character one em (10), every narrow one half an em (5)."""
    return style.size if jchars.is_wide(ch) else style.size * 0.5


def lines_of(text: str, width: float, **kw) -> list[str]:
    return [line.text for line in layout([(text, S)], width, measure, **kw)]


def phrase_lines(text: str, width: float) -> list[str]:
    return lines_of(text, width, phrases=True, align="left")


# ---- jchars: which blank a punctuation pair gives up ------------------------------------------------

@pytest.mark.parametrize("pair, side", [
    ("）、", -1), ("）。", -1), ("」」", -1), ("。」", -1), ("、」", -1),  # closing/comma/stop + closing …
    ("）・", -1), ("。・", -1),  # … + middle dot: the dot keeps its own quarters
    ("）（", -1), ("。（", -1), ("、「", -1), ("」「", -1),  # … + opening: half an em stays between
    ("（「", 1), ("「（", 1), ("・（", 1), ("・「", 1),  # opening after opening or middle dot
    ("（）", 0), ("・・", 0), ("・）", 0), ("（・", 0), ("あ（", 0), ("）あ", 0), ("、あ", 0),
    ("),", 0), (")(", 0), ("）,", 0), ("(「", 0),  # narrow marks have no blank to give
])
def test_squeeze_names_the_blank_that_goes(pair, side):
    assert jchars.squeeze(*pair) == side
    assert jchars.gap_em(*pair) == (-0.5 if side else 0.0)


@pytest.mark.parametrize("pair, em", [
    ("あA", 0.25), ("9あ", 0.25), ("字R", 0.25),  # 和欧間
    ("（D", 0.0), ("X）", 0.0), ("2、", 0.0),  # not next to punctuation
    ("8～", 0.0), ("～3", 0.0), ("2〜", 0.0), ("〜3", 0.0),  # not next to a wave dash: 2～3, R8～ set solid
])
def test_wakoukan_and_ranges(pair, em):
    assert jchars.gap_em(*pair) == em


@pytest.mark.parametrize("pair, allowed", [
    ("～3", False), ("〜3", False), ("～R", False), ("～３", False),  # never after the dash of a range …
    ("2～", False), ("8～", False),  # … nor before it (行頭禁則)
    ("～令", True), ("～利", True),  # 令和5年度～|令和7年度, R8～|利用: a dash before Japanese may end a line
])
def test_a_range_is_one_unit(pair, allowed):
    assert jchars.break_allowed(*pair) is allowed


@pytest.mark.parametrize("pair, solid", [
    ("2～", True), ("～3", True), ("）、", True), ("・（", True), ("あい", False), ("～令", False), ("あ2", False),
])
def test_solid_pairs_do_not_stretch(pair, solid):
    assert jchars.solid(*pair) is solid


@pytest.mark.parametrize("run, words", [
    ("永年保存文書電子化事業開始", "永年|保存|文書|電子化|事業|開始"),
    ("廃棄物処理手数料口座振替", "廃棄物|処理|手数料|口座|振替"),
    ("窓口手数料等", "窓口|手数料等"),
    ("効果検証", "効果|検証"),
    ("可視化実施", "可視化|実施"),
    ("電子化", "電子化"),
])
def test_kanji_words_are_guessed_from_the_end_of_the_compound(run, words):
    cuts = sorted(jchars.kanji_words(run))
    assert "|".join(run[a:b] for a, b in zip([0] + cuts, cuts + [len(run)])) == words


# ---- spacing on the line ---------------------------------------------------------------------------

def test_a_bracket_comma_pair_takes_one_and_a_half_em():
    # 総務課（DX）、: the ）、 gives up the half em after the bracket — 115, not 120, and the comma's
    # box starts half an em into the bracket's (where the bracket's ink ends)
    line = layout([("総務課（DX）、窓口担当課", S)], 300, measure, align="left")[0]
    assert line.xs == [0, 10, 20, 30, 40, 45, 50, 55, 65, 75, 85, 95, 105]
    assert line.width == 115


@pytest.mark.parametrize("pair", ["）、", "。」", "）・", "）（", "、「", "（「", "・（", "」」"])
def test_every_pair_class_is_squeezed_by_half_an_em(pair):
    line = layout([("あ" + pair + "い", S)], 300, measure, align="left")[0]
    assert line.xs == [0, 10, 15, 25]
    assert line.width == 35


def test_a_mark_the_font_draws_narrow_is_not_squeezed():
    def narrow_bracket(ch, style):  # a proportional ） with no blank in its box
        return 5.0 if ch == "）" else measure(ch, style)
    line = layout([("あ）、い", S)], 300, narrow_bracket, align="left")[0]
    assert line.xs == [0, 10, 15, 25]  # the ） is 5 wide: nothing is taken out
    assert line.width == 35


def test_squeezing_lets_a_line_hold_more():
    # unsqueezed this is 80 wide; squeezed ））「 it is 70 and fits a line of 70
    assert lines_of("あいう）、「えお", 70, align="left") == ["あいう）、「えお"]


def test_justified_lines_keep_pairs_at_one_and_a_half_em_and_still_fill_the_measure():
    text = "総務課（DX）、窓口担当課、市民課「書かない窓口」の導入に向けて検討する。" * 2
    out = layout([(text, S)], 137, measure)
    assert len(out) >= 5
    pairs = 0
    for line in out[:-1]:
        assert line.justified
        assert line.end_x(measure) == pytest.approx(137, abs=1e-6)
        for k in range(1, len(line.text)):
            if jchars.squeeze(line.text[k - 1], line.text[k]):
                pairs += 1
                assert line.xs[k] - line.xs[k - 1] == pytest.approx(5.0, abs=1e-9)
    assert pairs >= 2


def test_a_pair_broken_across_lines_is_not_squeezed_and_the_opening_bracket_keeps_its_full_width():
    # 10 em per line: 「…け）」 ends line 1; the （ starting line 2 keeps its half-em blank (JLReq 3.1.5,
    # one choice: every line's em boxes start at the edge)
    out = layout([("あいうえおかきくけ）（こさし", S)], 100, measure, align="left")
    assert [line.text for line in out] == ["あいうえおかきくけ）", "（こさし"]
    assert out[0].xs[-1] == 90 and out[0].width == 100
    assert out[1].xs == [0, 10, 20, 30]


# ---- ranges ----------------------------------------------------------------------------------------

def test_a_range_is_not_broken_after_its_dash():
    # 「あいうえお2～」 fits 70 (67.5) but the range moves down whole, set solid
    out = layout([("あいうえお2～3回", S)], 70, measure, align="left")
    assert [line.text for line in out] == ["あいうえお", "2～3回"]
    assert out[1].xs == [0, 5, 15, 22.5]


def test_r8_and_its_dash_move_together():
    out = layout([("あいうえおかきR8～利用", S)], 90, measure, align="left")
    assert [line.text for line in out] == ["あいうえおかき", "R8～利用"]
    assert out[1].xs == [0, 5, 10, 20, 30]


def test_justification_does_not_open_a_range():
    out = layout([("あいうえおかきくけこ2～3回さしすせそたちつてと", S)], 137, measure)
    first = out[0]
    i = first.text.index("～")
    assert first.justified and first.xs[i] - first.xs[i - 1] == 5 and first.xs[i + 1] - first.xs[i] == 10


@pytest.mark.parametrize("phrases", [False, True])
def test_a_range_stays_on_one_line_at_every_width(phrases):
    for width in range(60, 200, 5):
        out = lines_of("1つの案件毎に2～3回業者が来庁し", width, phrases=phrases, align="left")
        assert any("2～3回" in line for line in out), (width, out)


# ---- phrases mode: the whole text weighed at once ------------------------------------------------

@pytest.mark.parametrize("text, width, lines", [
    # a last line of one or two characters when a better break exists
    ("業務の可視化実施、効果検証", 120, ["業務の可視化実施、", "効果検証"]),
    ("永年保存文書電子化事業開始", 120, ["永年保存文書電子化", "事業開始"]),
    ("電子化ルール作りに向けた検討", 120, ["電子化ルール作りに", "向けた検討"]),
    ("担当職員向け操作説明会の実施", 120, ["担当職員向け", "操作説明会の実施"]),
    ("効果検証、利活用拡大の検討", 120, ["効果検証、", "利活用拡大の検討"]),
    ("専用アプリ（システム）導入", 120, ["専用アプリ", "（システム）導入"]),
    ("【重点取組事項】窓口支援システム（書かない窓口）の導入", 260,
     ["【重点取組事項】窓口支援システム", "（書かない窓口）の導入"]),
    # not inside a word: BudouX's 手数|料 is not taken
    ("廃棄物処理手数料口座振替システムの導入", 160, ["廃棄物処理手数料口座振替", "システムの導入"]),
    # fewer lines where a word start inside a phrase allows it
    ("既存データの更新および新規データの掲載", 120, ["既存データの更新および", "新規データの掲載"]),
])
def test_phrase_lines(text, width, lines):
    assert phrase_lines(text, width) == lines


def test_a_short_line_stays_where_nothing_better_exists():
    assert phrase_lines("重点取組", 20) == ["重点", "取組"]
    # breaking inside 要しない would save a line: a word is not split for that
    assert phrase_lines("システム変更費用を要しない歳入還付のデータ化開始", 120) == [
        "システム変更費用を", "要しない歳入還付の", "データ化開始"]


def test_a_short_parenthesis_is_never_split_where_it_fits_a_line():
    text = "窓口支援システム（書かない窓口）の導入"
    for width in range(80, 300, 5):  # （書かない窓口） is 80 wide
        out = phrase_lines(text, width)
        assert any("（書かない窓口）" in line for line in out), (width, out)
    assert phrase_lines(text, 150) == ["窓口支援システム", "（書かない窓口）の導入"]


def test_the_parenthesis_rule_stops_at_ten_characters():
    # ten characters inside are held together (a line of their own if need be) …
    assert phrase_lines("窓口支援（書かない窓口と案内）の導入", 150) == ["窓口支援", "（書かない窓口と案内）の導入"]
    assert phrase_lines("窓口支援（書かない窓口と案内）の導入", 110) == ["窓口支援", "（書かない窓口と案内）", "の導入"]
    # … eleven are not: the line is filled
    assert phrase_lines("窓口支援（書かない窓口とその案内）の導入", 150) == ["窓口支援（書かない窓口とその", "案内）の導入"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="あいう漢字カナ、。（）「」ABCxyz019 -&%…ー～・", min_size=1, max_size=60),
       st.integers(min_value=40, max_value=200))
def test_phrase_mode_keeps_every_character_in_order_and_the_kinsoku_rules(text, width):
    out = layout([(text, S)], width, measure, phrases=True, align="left")
    assert "".join(line.text for line in out).replace(" ", "") == text.replace(" ", "")
    for line in out:
        assert line.width <= width + 1e-6 or len(line.text) == 1, (width, line.text)
    # where no unbreakable piece is wider than the line, every line ends where 禁則 allows
    pieces, run = [], 0.0
    for k, ch in enumerate(text):
        if k and (text[k - 1] == " " or jchars.break_allowed(text[k - 1], ch)):
            pieces.append(run)
            run = 0.0
        run += measure(ch, S) * 1.5  # (room for 和欧間)
    if max(pieces + [run]) <= width:
        at = 0
        for line in out:
            start = text.index(line.text, at)
            if at:
                assert text[start - 1] == " " or jchars.break_allowed(text[start - 1], text[start]), (
                    width, [l.text for l in out])
            at = start + len(line.text)


# ---- the PDF text flowable ------------------------------------------------------------------------

def _draw(tmp_path, texts, align):
    from dataclasses import replace

    from reportlab.pdfgen import canvas

    from docgen import booklet as b
    from docgen.pdf.fonts import register
    from docgen.pdf.styles import CELL
    from docgen.pdf.text import TextBlock

    register()
    path = tmp_path / "t.pdf"
    c = canvas.Canvas(str(path), pagesize=(595, 842))
    y = 800
    for text in texts:
        block = TextBlock((b.Span(text),), replace(CELL, align=align))
        _, h = block.wrap(400, 1000)
        block.drawOn(c, 60, y - h)
        y -= h + 12
    c.save()
    return path


def _text_positions(path):
    """(x where each text segment is placed, x where the text cursor stood before it) on page 1,
    from the content stream: the cursor advances by each glyph's width and the character spacing."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    page = PdfReader(path).pages[0]
    fonts = page["/Resources"]["/Font"]
    out = []
    cursor = font = size = y = None
    tc = 0.0
    for operands, op in ContentStream(page.get_contents(), page.pdf).operations:
        if op == b"BT":
            cursor = None
        elif op == b"Tm":
            x = float(operands[4])
            if cursor is not None and float(operands[5]) == y:  # the next segment of the same line
                out.append((x, cursor))
            cursor, y = x, float(operands[5])
        elif op == b"Tf":
            font, size = fonts[operands[0]].get_object(), float(operands[1])
        elif op == b"Tc":
            tc = float(operands[0])
        elif op == b"Tj":
            first, widths = int(font["/FirstChar"]), font["/Widths"]
            for code in bytes(operands[0].original_bytes if hasattr(operands[0], "original_bytes")
                              else operands[0]):
                cursor += float(widths[code - first]) / 1000 * size + tc
    return out


def test_pdf_segments_never_start_behind_the_text_cursor(tmp_path):
    # squeezed pairs carry their negative space as character spacing: no segment is placed back
    # over the one before (text extraction would break the word and even the line there)
    path = _draw(tmp_path, ["総務課（DX）、窓口担当課、※POS レジ・・・「いつ」、「何が」（仮称）。R8～利用、2～3回" * 3],
                 "justify")
    positions = _text_positions(path)
    assert len(positions) > 20
    for x, cursor in positions:
        assert 0 <= x - cursor < 0.05, (x, cursor)


def test_pdf_text_of_squeezed_pairs_reads_as_one_line(tmp_path):
    # (a Latin word is set in the proportional face, so the pair is measured between kanji here)
    path = _draw(tmp_path, ["※POS レジ・・・「いつ」、「何が」", "総務課（市民）、窓口担当課"], "left")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "レジ・・・「いつ」、「何が」" in text
    words = subprocess.run(["pdftotext", "-enc", "UTF-8", "-bbox", str(path), "-"], check=True, capture_output=True,
                           text=True).stdout
    found = re.findall(r'xMin="([\d.]+)"[^>]*xMax="([\d.]+)"[^>]*>総務課（市民）、窓口担当課<', words)
    assert len(found) == 1
    x0, x1 = (float(v) for v in found[0])
    assert x1 - x0 == pytest.approx(12.5 * 9.5, abs=0.01)  # 13 em less the half em of ）、 (CELL is 9.5 pt)
