"""Revised editions: statuses in the booklet, the 新旧対照表 (docgen diff), docgen new-edition."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from docgen import booklet as b
from docgen.build import build
from docgen.compose import compose_booklet
from docgen.editions import RevisionError, diff, new_edition
from docgen.load import load
from docgen.revision import project_fields

from .conftest import CONTENT, MINI
from .pdfutil import pdftotext, squash


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    """The bundled plan and a second edition: one project added, one discontinued, one target changed
    by one character, one schedule phase moved by a half-year."""
    root = tmp_path_factory.mktemp("editions")
    old, new = root / "old", root / "new"
    shutil.copytree(CONTENT, old)
    shutil.copytree(CONTENT, new)
    _edit(new / "projects" / "2-1.yaml", "87%以上", "88%以上")
    _edit(new / "projects" / "2-2.yaml", "用語: [クラウド]",
          "用語: [クラウド]\n状況:\n  区分: 廃止\n  年度: 2024\n  理由: 国の動向を踏まえ見直したため")
    _edit(new / "projects" / "4-9.yaml", "{名称: 導入, 開始: 2024上期", "{名称: 導入, 開始: 2024下期")
    added = (new / "projects" / "4-15.yaml").read_text(encoding="utf-8")
    added = added.replace("事業番号: 4-15", "事業番号: 4-16").replace(
        "事業名: 歳入還付口座振込情報のデータ伝送化", "事業名: 電子契約の導入")
    added = added.replace("開始: 2023上期", "開始: 2024上期").replace(
        "    2023:\n      - システム変更費用を要しない歳入還付のデータ化開始\n", "")
    (new / "projects" / "4-16.yaml").write_text(added + "状況:\n  区分: 新規\n  年度: 2024\n", encoding="utf-8")
    return old, new, root


def test_second_edition_counts_and_system_table(editions):
    _, new, _ = editions
    plan = load(new)
    tree = compose_booklet(plan)
    counts = next(el for el in tree.body if isinstance(el, b.CountTable))
    by_item = {row.cells[-1]: row.count for group in counts.groups for row in group.rows}
    assert by_item["（2）暮らしや安全・安心に関する情報化の推進"] == 6  # 2-2 discontinued
    assert by_item["（1）業務効率化・働き方改革への取組"] == 16  # 4-16 added
    assert counts.total == 42
    table = next(el for el in tree.body if isinstance(el, b.SystemTable))
    rows = {r.number: r for r in table.rows if isinstance(r, b.ProjectRow)}
    assert rows["2-2"].closed and rows["2-2"].status == "廃止（R6）"
    assert rows["4-16"].status == "新規（R6）" and not rows["4-16"].closed
    bars = {bar.label: bar for bar in rows["4-9"].bars}
    assert bars["導入"].start == 3


def test_second_edition_booklet_shows_the_statuses(editions, tmp_path):
    _, new, _ = editions
    pdf = build(new, tmp_path, ("pdf",))[0]
    text = squash(pdftotext(pdf))
    assert "【廃止（R6）】" in text and "【新規（R6）】" in text
    assert "【新規（令和6年度）】電子契約の導入" in text


def test_diff_reports_exactly_the_four_changes(editions, tmp_path):
    old, new, _ = editions
    comparison, written = diff(str(old), str(new), tmp_path)
    assert comparison.summary() == "追加 1 / 完了 0 / 廃止 1 / 変更 2 事業"
    titles = [(g.title, g.mark) for g in comparison.groups]
    assert titles == [("2-1 災害対策本部デジタル化", ""), ("2-2 クラウド型被災者支援システムの導入", "廃止"),
                      ("4-9 議事録作成支援ツールの導入", ""), ("4-16 電子契約の導入", "新設")]
    target = comparison.groups[0].rows
    assert [r.label for r in target] == ["達成目標（評価指標）"]
    assert [s.text for s in target[0].new if s.underline] == ["8"]
    assert [s.text for s in target[0].old if s.underline] == ["7"]
    assert sorted(p.suffix for p in written) == [".docx", ".pdf"]
    added = comparison.groups[-1].rows  # a new project is shown as its card reads, without empty fields
    assert "事業名" in [r.label for r in added] and not [r for r in added if "".join(s.text for s in r.new) == "―"]


def test_diff_docx_underlines_exactly_the_changed_characters(editions, tmp_path):
    old, new, _ = editions
    _, written = diff(str(old), str(new), tmp_path)
    document = docx.Document(next(p for p in written if p.suffix == ".docx"))
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[0].startswith("改正後") and header[1].startswith("改正前")
    row = next(r for r in table.rows if "87%" in r.cells[1].text)
    underlined = [[run.text for p in cell.paragraphs for run in p.runs if run.style.name == "改正箇所"]
                  for cell in row.cells]
    assert underlined == [["8"], ["7"]]
    style = document.styles["改正箇所"]
    assert style.font.underline


def _pdf_underlines(path: Path):
    """(underlined text, x) pairs: text segments that sit on an underline rectangle."""
    reader = PdfReader(path)
    found = []
    for page in reader.pages:
        texts, rects = [], []

        def on_text(text, cm, tm, font, size):
            if text.strip():
                texts.append((text, tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

        def on_op(op, args, cm, tm):
            if op == b"re":
                x, y, w, h = (float(a) for a in args)
                rects.append((x + cm[4], y + cm[5], w))

        page.extract_text(visitor_text=on_text, visitor_operand_before=on_op)
        for rx, ry, rw in rects:
            on_it = sorted((tx, text) for text, tx, ty in texts
                           if rx - 0.6 < tx < rx + rw - 0.6 and 0 < ty - ry < 4)
            if on_it and abs(on_it[0][0] - rx) < 0.6:
                found.append(("".join(t for _, t in on_it).replace(" ", ""), rw))
    return found


def test_diff_pdf_underlines_exactly_the_changed_characters(editions, tmp_path):
    old, new, _ = editions
    _, written = diff(str(old), str(new), tmp_path)
    pdf = next(p for p in written if p.suffix == ".pdf")
    text = pdftotext(pdf, layout=True)
    first_line = next(line for line in text.splitlines() if "改正後" in line)
    assert first_line.index("改正後") < first_line.index("改正前")
    underlined = [t for t, _ in _pdf_underlines(pdf)]
    assert underlined[:2] == ["8", "7"]  # 87%以上 → 88%以上
    assert "廃止（令和6年度）：国の動向を踏まえ見直したため" in underlined


def test_comparing_content_with_itself_reports_nothing(tmp_path):
    comparison, written = diff(str(CONTENT), str(CONTENT), tmp_path / "out")
    assert comparison.empty and comparison.summary() == "追加 0 / 完了 0 / 廃止 0 / 変更 0 事業"
    assert written == [] and not (tmp_path / "out").exists()


def test_diff_against_git_revisions(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(CONTENT, repo / "content")

    def git(*args):
        subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.jp", *args], cwd=repo,
                       check=True, capture_output=True)
    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "first")
    _edit(repo / "content" / "projects" / "2-1.yaml", "87%以上", "88%以上")
    git("commit", "-qam", "second")
    result = subprocess.run([sys.executable, "-m", "docgen.cli", "diff", "HEAD~1", "HEAD", "-o", str(tmp_path / "o")],
                            cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "追加 0 / 完了 0 / 廃止 0 / 変更 1 事業"
    bad = subprocess.run([sys.executable, "-m", "docgen.cli", "diff", "no-such-rev", "HEAD"], cwd=repo,
                         capture_output=True, text=True)
    assert bad.returncode == 1 and "git の版でもありません" in bad.stderr and "Traceback" not in bad.stderr


def test_new_edition_moves_the_current_edition_into_history(tmp_path):
    content = tmp_path / "c"
    shutil.copytree(CONTENT, content)
    _edit(content / "plan.yaml", "状態: 案", "状態: 策定")
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (content / "projects").iterdir()}
    new_edition(content, 2024, 3, summary="年次見直し")
    new_edition(content, 2025, 3, summary="2回目の見直し")
    plan = load(content)
    assert plan.editions.current.label == "令和7(2025)年3月改訂"
    assert [e.label for e in plan.editions.history] == ["令和5(2023)年〇月策定", "令和6(2024)年3月改訂"]
    after = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in (content / "projects").iterdir()}
    assert before == after
    pdf = build(content, tmp_path / "out", ("pdf",))[0]
    text = squash(pdftotext(pdf))
    assert "令和7(2025)年3月改訂" in squash(pdftotext(pdf, 1, 1))
    assert "改訂履歴" in text and "2回目の見直し" in text
    docx_path = build(content, tmp_path / "out", ("docx",))[0]
    assert "令和7(2025)年3月改訂" in "".join(p.text for p in docx.Document(docx_path).paragraphs)


# ---- editions of the small fixture plan ---------------------------------------------------------

def _two_editions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old", tmp_path / "new"
    shutil.copytree(MINI, old)
    shutil.copytree(MINI, new)
    return old, new


def _set_status(path: Path, kind: str, year: int) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"状況:\n  区分: {kind}\n  年度: {year}\n", encoding="utf-8")


def _renumber(folder: Path, old_number: str, new_number: str, item: int) -> None:
    text = (folder / "projects" / f"{old_number}.yaml").read_text(encoding="utf-8")
    text = text.replace(f"事業番号: {old_number}", f"事業番号: {new_number}").replace("項目: 1", f"項目: {item}")
    (folder / "projects" / f"{old_number}.yaml").unlink()
    (folder / "projects" / f"{new_number}.yaml").write_text(text, encoding="utf-8")


def _docgen(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env=env)


def test_diff_outside_a_git_repository_says_so_in_japanese(tmp_path):
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    (tmp_path / "here").mkdir()
    result = _docgen("diff", "nosuch", "new", cwd=tmp_path / "here", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "「nosuch」という内容のフォルダはありません" in result.stderr
    assert "git のリポジトリの中でもない" in result.stderr


def test_summary_counts_completed_apart_from_discontinued(tmp_path):
    old, new = _two_editions(tmp_path)
    _set_status(new / "projects" / "1-2.yaml", "完了", 2025)
    _set_status(new / "projects" / "2-1.yaml", "廃止", 2025)
    _edit(new / "projects" / "3-1.yaml", "400時間削減", "450時間削減")
    comparison, _ = diff(str(old), str(new), tmp_path / "out", formats=())
    assert comparison.summary().startswith("追加 0 / 完了 1 / 廃止 1 / 変更 1 事業")
    marks = {g.title: g.mark for g in comparison.groups}
    assert marks["1-2 窓口のキャッシュレス化"] == "完了" and marks["2-1 SNSによる情報発信"] == "廃止"


@pytest.mark.parametrize("renamed", [False, True], ids=["same-name", "renamed"])
def test_a_project_moved_to_another_item_is_one_group_with_its_new_number(tmp_path, renamed):
    old, new = _two_editions(tmp_path)
    _renumber(new, "1-2", "2-2", item=2)
    if renamed:
        _edit(new / "projects" / "2-2.yaml", "事業名: 窓口のキャッシュレス化", "事業名: 窓口のキャッシュレス決済")
    comparison, _ = diff(str(old), str(new), tmp_path / "out", formats=())
    assert comparison.summary() == "追加 0 / 完了 0 / 廃止 0 / 変更 1 事業"
    (group,) = comparison.groups
    assert group.mark == "番号変更 1-2→2-2"
    assert group.title == ("2-2 窓口のキャッシュレス決済" if renamed else "2-2 窓口のキャッシュレス化")
    labels = [r.label for r in group.rows]
    assert labels == ["事業番号"] + (["事業名"] if renamed else []) + ["基本方針・項目"]
    place = group.rows[-1]
    assert "".join(s.text for s in place.new) == "基本方針1　市民サービスのデジタル化\n（2）情報発信"
    assert [s.text for s in place.old if s.underline] == ["（1）オンライン手続"]


def test_a_deleted_project_file_is_removed_not_discontinued(tmp_path):
    old, new = _two_editions(tmp_path)
    (new / "projects" / "1-1.yaml").unlink()
    _renumber(new, "1-2", "1-1", item=1)
    comparison, _ = diff(str(old), str(new), tmp_path / "out", formats=())
    assert comparison.summary().startswith("追加 0 / 完了 0 / 廃止 0 / 削除 1 / 変更 1 事業")
    projects = [(g.title, g.mark) for g in comparison.groups if g.title[0].isdigit()]
    assert projects == [("1-1 窓口のキャッシュレス化", "番号変更 1-2→1-1"), ("1-1 電子申請の拡大", "削除")]


def test_a_closed_project_has_no_bar_after_its_status_year(mini):
    _set_status(mini / "projects" / "1-1.yaml", "廃止", 2024)
    plan = load(mini)
    table = next(el for el in compose_booklet(plan).body if isinstance(el, b.SystemTable))
    row = next(r for r in table.rows if isinstance(r, b.ProjectRow) and r.number == "1-1")
    assert [(bar.label, bar.start, bar.end) for bar in row.bars] == [("検討", 0, 0), ("導入", 1, 1)]
    assert not row.continues and row.closed
    fields = {f.label: f.text for f in project_fields(plan.projects[0], plan)}
    assert fields["スケジュール（施策の体系）"] == "検討（R6上期）、導入（R6下期）"


def test_a_phase_of_one_half_is_printed_once(mini):
    plan = load(mini)
    fields = {f.label: f.text for f in project_fields(plan.projects[0], plan)}
    assert fields["スケジュール（施策の体系）"] == "検討（R6上期）、導入（R6下期～R7上期）、拡大（R7下期～R8下期）、計画期間後も継続"


def test_a_revised_booklet_says_revised_in_the_colophon(mini):
    new_edition(mini, 2025, 3, summary="年次見直し")
    colophon = next(el for el in compose_booklet(load(mini)).body if isinstance(el, b.Colophon))
    assert colophon.date == "令和6(2024)年3月策定　令和7(2025)年3月改訂"
    new_edition(mini, 2026, 3)
    colophon = next(el for el in compose_booklet(load(mini)).body if isinstance(el, b.Colophon))
    assert colophon.date == "令和6(2024)年3月策定　令和8(2026)年3月改訂"


@pytest.mark.parametrize("year, month, says", [(2024, 3, "と同じです"), (2023, 12, "より前です")])
def test_new_edition_must_come_after_the_current_one(mini, year, month, says):
    with pytest.raises(RevisionError, match=says):
        new_edition(mini, year, month)
    new_edition(mini, 2025, 3)
    with pytest.raises(RevisionError, match="現在の版「令和7\\(2025\\)年3月改訂」"):
        new_edition(mini, 2025, 3)
    assert load(mini).editions.current.label == "令和7(2025)年3月改訂"


def test_new_edition_refuses_a_draft(mini):
    _edit(mini / "plan.yaml", "状態: 策定", "状態: 案")
    result = _docgen("new-edition", str(mini), "--date", "2025-03", cwd=mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{mini}/plan.yaml:4: 状態: 計画はまだ「案」" in result.stderr
    assert not (mini / "editions.yaml").exists()


def _git_repo(root: Path, content: Path) -> None:
    shutil.copytree(content, root / "content")
    for args in (("init", "-q"), ("add", "."), ("commit", "-qm", "first")):
        _git(root, *args)


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.jp", *args], cwd=root, check=True,
                   capture_output=True)


def test_diff_git_revisions_from_inside_the_content_folder(tmp_path):
    repo = tmp_path / "repo"
    _git_repo(repo, MINI)
    _edit(repo / "content" / "projects" / "3-1.yaml", "400時間削減", "450時間削減")
    _git(repo, "commit", "-qam", "second")
    result = _docgen("diff", "HEAD~1", "HEAD", "-o", str(tmp_path / "o"), cwd=repo / "content" / "projects")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "追加 0 / 完了 0 / 廃止 0 / 変更 1 事業"
    missing = _docgen("diff", "HEAD~1", "HEAD", "--content", "plans", cwd=repo)
    assert missing.returncode == 1
    assert "git の版「HEAD~1」に内容のフォルダがありません" in missing.stderr
    assert "git の版でもありません" not in missing.stderr


def test_column_headers_differ_when_both_editions_have_the_same_label(tmp_path):
    old, new = _two_editions(tmp_path)
    _edit(new / "projects" / "3-1.yaml", "400時間削減", "450時間削減")
    comparison, _ = diff(str(old), str(new), tmp_path / "out", formats=())
    assert (comparison.new_label, comparison.old_label) == ("令和6(2024)年3月策定（new）", "令和6(2024)年3月策定（old）")


def test_plan_changes_come_in_booklet_order_and_prose_by_paragraph(tmp_path):
    old, new = _two_editions(tmp_path)
    prose = "  本文: |\n    第一の段落です。\n\n    第二の段落です、短い。\n\n    第三の段落です。\n"
    for folder in (old, new):
        _edit(folder / "chapters.yaml", "  本文: |\n", prose + "    ")
    _edit(new / "chapters.yaml", "第二の段落です、短い。", "第二の段落です。短い。")
    _edit(new / "glossary.yaml", "手書き文字を読み取る技術。", "手書きの文字を読み取る技術。")
    _edit(new / "projects" / "3-1.yaml", "400時間削減", "450時間削減")
    comparison, _ = diff(str(old), str(new), tmp_path / "out", formats=())
    assert [g.title for g in comparison.groups] == ["計画全体（本文・図・基本方針）", "3-1 AI-OCRの活用", "用語集"]
    (chapter,) = comparison.groups[0].rows
    assert "".join(s.text for s in chapter.new) == "（略）\n第二の段落です。短い。\n（略）"
    assert [s.text for s in chapter.new if s.underline] == ["。"]
    assert [s.text for s in chapter.old if s.underline] == ["、"]


def test_priority_count_leaves_out_closed_projects_and_the_change_is_in_the_diff(tmp_path):
    old, new = _two_editions(tmp_path)
    for folder in (old, new):
        _edit(folder / "chapters.yaml", "の事業を", "の事業（うち重点{{ 重点事業数 }}事業）を")
        _edit(folder / "figures.yaml", "文: [総合計画]", "文: [総合計画, \"重点{{ 重点事業数 }}事業\"]")
    _set_status(new / "projects" / "1-1.yaml", "完了", 2025)
    assert "（うち重点1事業）" in load(new).chapters[0].body.plain()
    comparison, _ = diff(str(old), str(new), tmp_path / "out", formats=())
    rows = comparison.groups[0].rows
    assert [r.label for r in rows] == ["本文「計画の概要」", "図1「計画の構成」"]
    assert [s.text for s in rows[0].new if s.underline] == ["3", "1"]
    assert comparison.summary() == "追加 0 / 完了 1 / 廃止 0 / 変更 0 事業（ほかに計画全体の変更 2 件）"


# ---- the 新旧対照表 pages ------------------------------------------------------------------------

def test_pdf_repeats_a_group_heading_with_continued_and_labels_are_not_double_bracketed(editions, tmp_path):
    old, new, _ = editions
    _, written = diff(str(old), str(new), tmp_path, formats=("pdf",))
    pages = [squash(pdftotext(written[0], n, n)) for n in range(1, PdfReader(written[0]).get_num_pages() + 1)]
    continued = [page for page in pages[1:] if "4-16電子契約の導入" in page and "【新設】（続き）" in page]
    assert continued, "the new project's rows run onto a page without its heading"
    text = "".join(pages)
    assert "達成目標（評価指標）" in text and "（達成目標（評価指標））" not in text
    assert "令和5(2023)年〇月案（new）" in text and "（令和5(2023)年〇月案（new））" not in text


def test_word_table_repeats_the_heading_and_numbers_its_pages(editions, tmp_path):
    old, new, _ = editions
    _, written = diff(str(old), str(new), tmp_path, formats=("docx",))
    document = docx.Document(written[0])
    footer = document.sections[0].footer.paragraphs[0]._p.xml
    assert "PAGE" in footer
    table = next(t for t in document.tables if "4-16 電子契約の導入" in t.rows[1].cells[0].text)
    repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
    assert repeated[:2] == [True, True] and not any(repeated[2:])


def test_word_greys_a_closed_project_row_and_marks_a_new_one(editions, tmp_path):
    _, new, _ = editions
    path = next(p for p in build(new, tmp_path, ("docx",)) if p.name.endswith("keikaku.docx"))
    table = next(t for t in docx.Document(path).tables if t.rows[0].cells[0].text.startswith("事業"))
    rows = {r.cells[0].text: r for r in table.rows}
    closed = rows["2-2"]
    styles = {c.paragraphs[0].style.name for c in closed.cells[:3]}
    assert styles == {"表見出し終了", "表小終了"}
    assert "【廃止（R6）】" in closed.cells[2].text
    assert "【新規（R6）】" in rows["4-16"].cells[2].text
    shades = {c._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}").get(qn("w:fill"))
              for c in closed.cells[3:] if c._tc.find(f"{qn('w:tcPr')}/{qn('w:shd')}") is not None}
    assert shades and all(s[0:2] == s[2:4] == s[4:6] for s in shades)  # a grey band
    assert closed.cells[-1].text == ""  # no → past the plan period


def test_problems_in_a_git_revision_are_located_in_that_revision(tmp_path):
    repo = tmp_path / "repo"
    _git_repo(repo, MINI)
    _edit(repo / "content" / "projects" / "3-1.yaml", "事業名:", "事業の名前:")
    _git(repo, "commit", "-qam", "second")
    result = _docgen("diff", "HEAD~1", "HEAD", "-o", str(tmp_path / "o"), cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "HEAD:content/projects/3-1.yaml:" in result.stderr
    assert "docgen-rev-" not in result.stderr and "/tmp/" not in result.stderr


def test_a_committed_symlink_is_reported_not_followed(tmp_path):
    repo = tmp_path / "repo"
    _git_repo(repo, MINI)
    (repo / "content" / "projects" / "9-9.yaml").symlink_to("/etc/passwd")
    _git(repo, "add", ".")
    _git(repo, "commit", "-qm", "link")
    result = _docgen("diff", "HEAD~1", "HEAD", "-o", str(tmp_path / "o"), cwd=repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "HEAD:content/projects/9-9.yaml:1: (ファイル): リンク" in result.stderr


def test_a_content_folder_named_like_an_option_is_a_path_for_git(tmp_path):
    repo = tmp_path / "repo"
    _git_repo(repo, MINI)
    shutil.move(repo / "content", repo / "--output=x")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "moved")
    _edit(repo / "--output=x" / "projects" / "3-1.yaml", "400時間削減", "450時間削減")
    _git(repo, "commit", "-qam", "second")
    result = _docgen("diff", "HEAD~1", "HEAD", "--content=--output=x", "-o", str(tmp_path / "o"), cwd=repo)
    assert result.returncode == 0, result.stderr
    assert not (repo / "x").exists()


def test_new_edition_with_an_undrawable_label_changes_nothing(mini):
    before = sorted((p.name, p.read_bytes()) for p in mini.rglob("*") if p.is_file())
    result = _docgen("new-edition", str(mini), "--date", "2025-03", "--label", "令和7年𠮷改訂", cwd=mini)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "--label の「𠮷」" in result.stderr
    assert sorted((p.name, p.read_bytes()) for p in mini.rglob("*") if p.is_file()) == before
