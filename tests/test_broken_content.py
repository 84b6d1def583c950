"""A corpus of broken content: each case must be reported with its exact file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.errors import ContentError
from docgen.load import load

EDITIONS = """現在の版:
  版名: 令和6(2024)年3月改訂
  発行:
    年: {current[0]}
    月: {current[1]}
改訂履歴:
  - 版名: 令和6(2024)年3月策定
    発行:
      年: {history[0]}
      月: {history[1]}
"""

# (case id, edits, expected problems)
# edits: (file, old, new) replaces the first occurrence of ``old``; new=None deletes the file;
#        old=None writes ``new`` as the whole file (COPY:other file, APPEND:text, WRITE:text).
# expected: (file, line, field, part of the message)
CASES = [
    ("yaml-syntax", [("projects/1-2.yaml", "所管課: [市民課]", "所管課: [市民課")],
     [("projects/1-2.yaml", 5, "(YAML)", "「[」で始めた一覧が「]」で閉じていません")]),
    ("yaml-tab", [("projects/1-2.yaml", "達成目標: |\n  導入", "達成目標:\t|\n\t導入")],
     [("projects/1-2.yaml", 12, "(YAML)", "列目")]),
    ("duplicate-key", [("projects/1-2.yaml", "用語: []", "用語: []\n事業名: 重複")],
     [("projects/1-2.yaml", 20, "事業名", "2回書かれています（最初は4行目）")]),
    ("misspelt-field", [("projects/1-2.yaml", "取組内容:", "取り組み内容:")],
     [("projects/1-2.yaml", 8, "取り組み内容", "「取組内容」の書き間違い"),
      ("projects/1-2.yaml", 1, "取組内容", "必須の項目がありません")]),
    ("unknown-field", [("projects/1-2.yaml", "用語: []", "用語: []\n予算: 100")],
     [("projects/1-2.yaml", 20, "予算", "この項目は使えません")]),
    ("missing-required", [("projects/1-2.yaml", "事業名: 窓口のキャッシュレス化\n", "")],
     [("projects/1-2.yaml", 1, "事業名", "必須の項目がありません")]),
    ("wrong-type-bool", [("projects/1-1.yaml", "重点取組: true", "重点取組: はい")],
     [("projects/1-1.yaml", 5, "重点取組", "true か false")]),
    ("wrong-type-list", [("projects/1-2.yaml", "所管課: [市民課]", "所管課: 市民課")],
     [("projects/1-2.yaml", 5, "所管課", "一覧")]),
    ("wrong-type-int", [("plan.yaml", "開始年度: 2024", "開始年度: 二〇二四")],
     [("plan.yaml", 9, "計画期間.開始年度", "整数で書いてください")]),
    ("bad-status", [("plan.yaml", "状態: 策定", "状態: 完成")],
     [("plan.yaml", 4, "状態", "「案」「策定」のどれか")]),
    ("duplicate-number", [("projects/1-2b.yaml", None, "COPY:projects/1-2.yaml")],
     [("projects/1-2b.yaml", 1, "事業番号", "重複しています（"), ("projects/1-2b.yaml", 1, "事業番号", "/projects/1-2.yaml と同じ）")]),
    ("file-name-mismatch", [("projects/1-2.yaml", "事業番号: 1-2", "事業番号: 1-3")],
     [("projects/1-2.yaml", 1, "事業番号", "ファイル名（1-2.yaml）と事業番号「1-3」が一致しません")]),
    ("number-vs-item", [("projects/2-1.yaml", "項目: 2", "項目: 1")],
     [("projects/2-1.yaml", 1, "事業番号", "「1-連番」の形です")]),
    ("unknown-policy", [("projects/2-1.yaml", "基本方針: 1", "基本方針: 9")],
     [("projects/2-1.yaml", 2, "基本方針", "policies.yaml に基本方針9はありません")]),
    ("unknown-item", [("projects/2-1.yaml", "項目: 2", "項目: 7")],
     [("projects/2-1.yaml", 3, "項目", "基本方針1に項目（7）はありません")]),
    ("half-outside-period", [("projects/1-2.yaml", "開始: 2024上期", "開始: 2020上期")],
     [("projects/1-2.yaml", 16, "実施工程表.工程[1].開始", "計画期間（2024～2026年度）より前です")]),
    ("half-malformed", [("projects/1-2.yaml", "開始: 2024上期", "開始: 2024春")],
     [("projects/1-2.yaml", 16, "実施工程表.工程[1].開始", "「2024上期」「2026下期」のように")]),
    ("phases-overlap", [("projects/1-1.yaml", "終了: 2025上期", "終了: 2025下期")],
     [("projects/1-1.yaml", 24, "実施工程表.工程[3].開始", "工程[2]「導入」と期間が重なっています")]),
    ("phase-ends-before-start", [("projects/1-1.yaml", "開始: 2024下期, 終了: 2025上期", "開始: 2024下期, 終了: 2024上期")],
     [("projects/1-1.yaml", 23, "実施工程表.工程[2].終了", "開始「2024下期」より前です")]),
    ("continues-not-last", [("projects/1-1.yaml", "{名称: 検討, 開始: 2024上期}", "{名称: 検討, 開始: 2024上期, 計画期間後も継続: true}")],
     [("projects/1-1.yaml", 22, "実施工程表.工程[1].計画期間後も継続", "最後の工程にだけ")]),
    ("yearly-outside-period", [("projects/1-1.yaml", "    2026: [拡大]", "    2026: [拡大]\n    2020: [延長]")],
     [("projects/1-1.yaml", 29, "実施工程表.年度別.2020", "計画期間（2024～2026年度）より前です")]),
    ("term-undefined", [("projects/2-1.yaml", "用語: [SNS]", "用語: [SNS, LINE]")],
     [("projects/2-1.yaml", 19, "用語[2]", "用語「LINE」が glossary.yaml にありません")]),
    ("term-unused", [("glossary.yaml", None, "APPEND:- 用語: RPA\n  読み: あーるぴーえー\n  定義: 作業の自動化。\n")],
     [("glossary.yaml", 7, "用語", "用語「RPA」はどの事業からも参照されていません")]),
    ("term-not-on-card", [("projects/1-2.yaml", "用語: []", "用語: [SNS]"),
                          ("projects/2-1.yaml", "用語: [SNS]", "用語: []")],
     [("projects/1-2.yaml", 19, "用語[1]", "カードにも基本方針・項目の名前にも出てきません")]),
    ("jinja-syntax", [("chapters.yaml", "{{ 事業数 }}の事業", "{{ 事業数 }の事業")],
     [("chapters.yaml", 3, "[1].本文", "式の書き方に誤り")]),
    ("jinja-undefined", [("chapters.yaml", "{{ 事業数 }}", "{{ 事業件数 }}")],
     [("chapters.yaml", 3, "[1].本文", "「事業件数」という名前はありません")]),
    ("undrawable-character", [("projects/1-2.yaml", "現金のみ。", "現金のみ😀。")],
     [("projects/1-2.yaml", 7, "現状と課題", "「😀」（U+1F600）は書体にない文字")]),
    ("rich-html", [("projects/1-2.yaml", "  キャッシュレス決済を導入する。", "  <ul><li>キャッシュレス決済</li></ul>")],
     [("projects/1-2.yaml", 9, "取組内容", "HTMLタグは使えません")]),
    ("rich-heading", [("projects/1-1.yaml", "  （課題）来庁が必要。", "  # 課題")],
     [("projects/1-1.yaml", 12, "現状と課題", "見出し（##）は本文の章（chapters.yaml）でだけ使えます")]),
    ("rich-middle-dot", [("projects/1-1.yaml", "  - 待ち時間の短縮", "  ・待ち時間の短縮")],
     [("projects/1-1.yaml", 17, "期待される効果", "行頭の「・」は使えません")]),
    ("rich-emphasis", [("projects/1-2.yaml", "  待ち時間の短縮。", "  待ち時間の *短縮*。")],
     [("projects/1-2.yaml", 11, "期待される効果", "強調")]),
    ("missing-file", [("glossary.yaml", "", None)],
     [("glossary.yaml", 1, "(ファイル)", "ファイルがありません")]),
    ("figure-unknown-box", [("figures.yaml", "{から: 上位, へ: 本計画}", "{から: 上位, へ: 下位}")],
     [("figures.yaml", 8, "[1].関係[1].へ", "要素「下位」がこの図にありません")]),
    ("chapter-unknown-figure", [("chapters.yaml", "図: [構成]", "図: [体系]")],
     [("chapters.yaml", 4, "[1].図[1]", "図「体系」が figures.yaml にありません")]),
    ("reading-not-kana", [("glossary.yaml", "読み: えすえぬえす", "読み: SNS")],
     [("glossary.yaml", 5, "[2].読み", "ひらがな")]),
    ("new-project-before-its-year", [("projects/1-2.yaml", "用語: []", "用語: []\n状況:\n  区分: 新規\n  年度: 2025")],
     [("projects/1-2.yaml", 16, "実施工程表.工程[1].開始", "新規の事業（状況.年度: 2025）なのに、2025年度より前に始まっています"),
      ("projects/1-2.yaml", 18, "実施工程表.年度別.2024", "新規の事業")]),
    ("editions-same-date", [("editions.yaml", None, "WRITE:" + EDITIONS.format(history=(2024, 3), current=(2024, 3)))],
     [("editions.yaml", 5, "現在の版.発行", "「令和6(2024)年3月改訂」の発行年月が前の版「令和6(2024)年3月策定」と同じです")]),
    ("editions-out-of-order", [("editions.yaml", None, "WRITE:" + EDITIONS.format(history=(2024, 3), current=(2023, 9)))],
     [("editions.yaml", 4, "現在の版.発行", "前の版「令和6(2024)年3月策定」より前です")]),
]


def _apply(root: Path, edits) -> None:
    for name, old, new in edits:
        path = root / name
        if new is None:
            path.unlink()
        elif old is None and new.startswith("COPY:"):
            path.write_text((root / new[5:]).read_text(encoding="utf-8"), encoding="utf-8")
        elif old is None and new.startswith("WRITE:"):
            path.write_text(new[6:], encoding="utf-8")
        elif old is None and new.startswith("APPEND:"):
            path.write_text(path.read_text(encoding="utf-8") + new[7:], encoding="utf-8")
        else:
            text = path.read_text(encoding="utf-8")
            assert old in text, f"fixture text not found: {old!r}"
            path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("case, edits, expected", CASES, ids=[c[0] for c in CASES])
def test_broken_case_reports_file_line_and_field(mini: Path, case, edits, expected):
    _apply(mini, edits)
    with pytest.raises(ContentError) as info:
        load(mini)
    reported = [(p.path, p.line, p.field, p.message) for p in info.value.problems]
    for file, line, field, fragment in expected:
        path = f"{mini}/{file}"
        matches = [r for r in reported if r[:3] == (path, line, field) and fragment in r[3]]
        assert matches, f"{case}: expected {file}:{line}: {field}: …{fragment}… in\n" + "\n".join(
            f"{p}:{l}: {f}: {m}" for p, l, f, m in reported)


def test_corpus_is_large_enough():
    assert len(CASES) >= 20


def test_all_problems_are_listed_not_just_the_first(mini: Path):
    _apply(mini, [("projects/1-2.yaml", "取組内容:", "取り組み内容:"),
                  ("projects/2-1.yaml", "基本方針: 1", "基本方針: 9"),
                  ("plan.yaml", "状態: 策定", "状態: 完成")])
    with pytest.raises(ContentError) as info:
        load(mini)
    files = {Path(p.path).name for p in info.value.problems}
    assert {"1-2.yaml", "2-1.yaml", "plan.yaml"} <= files


def test_an_unreadable_file_is_reported_once_not_at_every_use(mini: Path):
    # an unclosed bracket in glossary.yaml: one problem, on the line where the bracket opens
    _apply(mini, [("glossary.yaml", None, "APPEND:- 用語: [RPA\n  読み: あーるぴーえー\n")])
    with pytest.raises(ContentError) as info:
        load(mini)
    reported = [(Path(p.path).name, p.line, p.field, p.message) for p in info.value.problems]
    assert reported == [("glossary.yaml", 7, "(YAML)",
                         "7列目: YAMLの書き方に誤りがあります（「[」で始めた一覧が「]」で閉じていません）")]


def test_choices_are_listed_in_japanese(mini: Path):
    _apply(mini, [("plan.yaml", "状態: 策定", "状態: 完成")])
    with pytest.raises(ContentError) as info:
        load(mini)
    assert [p.message for p in info.value.problems] == ["「案」「策定」のどれかにしてください（書かれている値: 「完成」）"]
