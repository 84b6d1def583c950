"""docgen import: a department's Word file edited and returned, taken back into content/.

The edits are made in the XML the way Word writes it (runs split by rsid with proofErr between them,
smartTag and hyperlink wrappers, no-break spaces, soft hyphens, w:ins/w:del), and for real in
LibreOffice (tests/lo/clerk.py, through LibreOffice's own API)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from docgen.build import build
from docgen.cli import main
from docgen.wordimport import import_files

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("exported")
    build(CONTENT, out, ("docx",), split_by="department")
    return {p.stem: p for p in (out / "departments").glob("*.docx")}


@pytest.fixture
def content(tmp_path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edited(source: Path, target: Path, change) -> Path:
    """A copy of ``source`` whose document.xml ``change(root)`` edited in place."""
    with zipfile.ZipFile(source) as z:
        parts = {info.filename: z.read(info.filename) for info in z.infolist()}
    root = etree.fromstring(parts["word/document.xml"])
    change(root)
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return target


def cell(root, slot: str):
    mark = root.xpath(f"//w:bookmarkStart[@w:name='dg_{slot}']", namespaces=NS)[0]
    return mark.xpath("ancestor::w:tc[1]", namespaces=NS)[0]


def run(text: str, rsid: str = "00A1B2C3"):
    r = etree.Element(q("r"))
    r.set(q("rsidR"), rsid)
    t = etree.SubElement(r, q("t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def slot_ids(path: Path) -> dict[str, str]:
    """key → slot id of a file (from its originals part)."""
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("customXml/item1.xml"))
    return {f"{el.get('project')}|{el.get('key')}": el.get("id") for el in root}


def project_text(content: Path, number: str) -> str:
    return (content / "projects" / f"{number}.yaml").read_text(encoding="utf-8")


# ---- round trip -----------------------------------------------------------------------------------

def test_export_then_import_without_edits_changes_nothing(exported, content, tmp_path):
    before = snapshot(content)
    report = import_files(list(exported.values()), content, output=tmp_path / "out")
    assert not report.stopped and not report.changes, report.summary()
    assert "変更はありません" in report.summary()
    assert snapshot(content) == before
    assert not (tmp_path / "out").exists()


def test_a_plan_of_another_shape_round_trips_without_edits(tmp_path):
    """town-5y: three levels, 短文 lists (関連計画, SDGs), money and KPI fields, a 5-year period."""
    content = tmp_path / "town"
    shutil.copytree(ROOT / "examples" / "town-5y", content)
    written = build(content, tmp_path / "out", ("docx",), split_by="department")
    files = [p for p in written if p.parent.name == "departments"]
    before = snapshot(content)
    report = import_files(files, content, output=tmp_path / "cmp")
    assert not report.stopped and not report.changes, report.summary()
    assert snapshot(content) == before

    # one item of a 短文 list edited: that line changes, the other stays as written (its space too)
    path = next(p for p in files if "1-1-1|SDGs" in slot_ids(p))

    def change(root):
        cell(root, slot_ids(path)["1-1-1|SDGs"]).xpath(".//w:t", namespaces=NS)[0].text = "目標9 産業の基盤（改）"

    report = import_files([edited(path, tmp_path / "e.docx", change)], content, output=tmp_path / "cmp")
    assert not report.stopped and "変更 1-1-1: SDGs" in report.summary()
    assert "SDGs:\n  - 目標9産業の基盤（改）\n  - 目標16 平和と公正をすべての人に\n" in project_text(content, "1-1-1")


def test_each_kind_of_edit_lands_in_its_field(exported, content, tmp_path):
    ids = slot_ids(exported["広報課"])

    def change(root):
        # text: Word splits the run where the clerk typed (rsid) and marks a spelling check (proofErr)
        p = cell(root, ids["2-4|取組内容"]).xpath(".//w:p", namespaces=NS)[-1]
        host = p.xpath(".//w:sdtContent", namespaces=NS)[-1]
        host.append(etree.Element(q("proofErr"), {q("type"): "spellStart"}))
        host.append(run("さらに\u00a0LINE も活用\u00adする。", "00D4E5F6"))
        host.append(etree.Element(q("proofErr"), {q("type"): "spellEnd"}))
        # a bullet added: a new paragraph of the same Word list, its text in a smartTag
        effects = cell(root, ids["2-4|期待される効果"])
        last = effects.xpath(".//w:p", namespaces=NS)[-1]
        new = copy.deepcopy(last)
        for child in list(new):
            if child.tag != q("pPr"):
                new.remove(child)
        tag = etree.SubElement(new, q("smartTag"), {q("element"): "PersonName"})
        tag.append(run("問い合わせが減る。"))
        last.addnext(new)
        # a 年度別 cell: one entry rewritten, through a hyperlink wrapper
        year = cell(root, ids["2-4|実施工程表/年度別/2025"])
        for t in year.xpath(".//w:t", namespaces=NS):
            if t.text == "各種SNSによる情報発信":
                t.text = "各種SNSによる情報発信（"
                parent = t.getparent()
                link = etree.Element(q("hyperlink"), {q("anchor"): "x"})
                link.append(run("LINE"))
                parent.addnext(link)
                link.addnext(run("を含む）"))
        # phases: the first ends, a row added after it goes on (Word copies the row)
        table = cell(root, ids["2-4|実施工程表/工程"]).xpath("ancestor::w:tbl[1]", namespaces=NS)[0]
        row = table.findall(q("tr"))[-1]
        added = copy.deepcopy(row)
        for tc, text in zip(added.findall(q("tc")), ("見直し", "R7上期", "", "継続")):
            for t in tc.iter(q("t")):
                t.text = ""
            tc.xpath(".//w:p", namespaces=NS)[0].append(run(text))
        for mark in added.iter(q("bookmarkStart"), q("bookmarkEnd")):
            mark.getparent().remove(mark)
        row.addnext(added)
        first = row.findall(q("tc"))
        first[2].xpath(".//w:p", namespaces=NS)[0].append(run("令和6年度下期"))
        for t in first[3].iter(q("t")):
            t.text = ""

    path = edited(exported["広報課"], tmp_path / "広報課.docx", change)
    report = import_files([path], content, output=tmp_path / "out")
    assert not report.stopped, report.summary()
    assert "変更 2-4: 取組内容, 期待される効果, 年度別 2025, 工程" in report.summary()
    text = project_text(content, "2-4")
    assert "市公式Twitter登録者数の増加を図る。さらにLINEも活用する。\n" in text  # nbsp, soft hyphen, 和欧間
    assert "  - 問い合わせが減る。\n" in text
    assert "      - 各種SNSによる情報発信（LINEを含む）\n" in text
    assert ("    - {名称: 継続, 開始: 2023上期, 終了: 2024下期}\n"
            "    - {名称: 見直し, 開始: 2025上期, 計画期間後も継続: true}\n") in text
    original = (CONTENT / "projects" / "2-4.yaml").read_text(encoding="utf-8").splitlines()
    changed = [line for line in text.splitlines() if line not in original]
    assert len(changed) == 5, changed  # git diff shows only the changed fields
    assert {p.name for p in report.comparison_files} == {"eniwa-dx-jisshi-keikaku-shinkyu.pdf",
                                                         "eniwa-dx-jisshi-keikaku-shinkyu.docx"}


def test_tracked_changes_are_refused_or_accepted(exported, content, tmp_path):
    ids = slot_ids(exported["広報課"])

    def change(root):
        target = cell(root, ids["2-4|達成目標"])
        host = target.xpath(".//w:sdtContent", namespaces=NS)[0]
        ins = etree.SubElement(host, q("ins"), {q("id"): "1", q("author"): "広報 太郎", q("date"): "2026-01-05T10:00:00Z"})
        ins.append(run("（年度末）"))
        first_t = target.xpath(".//w:t", namespaces=NS)[0]
        deleted = etree.Element(q("del"), {q("id"): "2", q("author"): "広報 太郎"})
        r = etree.SubElement(deleted, q("r"))
        etree.SubElement(r, q("delText")).text = "消した語"
        first_t.getparent().addprevious(deleted)

    path = edited(exported["広報課"], tmp_path / "広報課.docx", change)
    before = snapshot(content)
    refused = import_files([path], content, output=tmp_path / "out")
    assert refused.stopped and snapshot(content) == before
    assert any("2-4 達成目標（評価指標）: 変更履歴（挿入）「（年度末）」" in p for p in refused.problems), refused.problems
    accepted = import_files([path], content, accept_revisions=True, output=tmp_path / "out")
    assert not accepted.stopped, accepted.summary()
    assert "Twitter登録者800人（年度末）" in project_text(content, "2-4")
    assert "消した語" not in project_text(content, "2-4")


def test_a_field_in_a_field_a_table_and_text_outside_are_errors(exported, content, tmp_path):
    ids = slot_ids(exported["広報課"])

    def change(root):
        host = cell(root, ids["2-4|現状と課題"]).xpath(".//w:sdtContent", namespaces=NS)[0]
        simple = etree.SubElement(host, q("fldSimple"), {q("instr"): " DATE "})
        simple.append(run("2026/01/05"))
        body = root.find(q("body"))
        p = etree.SubElement(body, q("p"))
        p.append(run("枠の外に書いた文"))
        body.append(body.find(q("sectPr")))

    path = edited(exported["広報課"], tmp_path / "広報課.docx", change)
    before = snapshot(content)
    report = import_files([path], content, output=tmp_path / "out")
    assert report.stopped and snapshot(content) == before
    text = "\n".join(report.problems)
    assert "「2-4 現状と課題」にフィールドがあります" in text
    assert "枠の外に書かれた文があります: 「枠の外に書いた文」" in text


def test_a_missing_control_is_reported(exported, content, tmp_path):
    ids = slot_ids(exported["広報課"])

    def change(root):
        target = cell(root, ids["2-4|取組内容"])
        for el in list(target):
            if el.tag != q("tcPr"):
                target.remove(el)
        etree.SubElement(target, q("p")).append(run("枠ごと書き直した"))

    path = edited(exported["広報課"], tmp_path / "広報課.docx", change)
    report = import_files([path], content, output=tmp_path / "out")
    assert report.stopped and any("「2-4 取組内容」の枠が見つかりません" in p for p in report.problems)


# ---- merging ----------------------------------------------------------------------------------------

def _typed(exported, tmp_path, key: str, text: str, name: str = "広報課.docx", department: str | None = None):
    ids = slot_ids(exported["広報課"])

    def change(root):
        target = cell(root, ids[key])
        ts = target.xpath(".//w:t", namespaces=NS)
        ts[0].text = text
        for t in ts[1:]:
            t.text = ""

    path = edited(exported["広報課"], tmp_path / name, change)
    if department:
        with zipfile.ZipFile(path) as z:
            parts = {i.filename: z.read(i.filename) for i in z.infolist()}
        parts["docProps/custom.xml"] = parts["docProps/custom.xml"].replace("広報課".encode(), department.encode())
        with zipfile.ZipFile(path, "w") as z:
            for n, d in parts.items():
                z.writestr(n, d)
    return path


def test_a_conflict_is_shown_with_both_texts_and_nothing_is_written(exported, content, tmp_path):
    path = _typed(exported, tmp_path, "2-4|達成目標", "Twitter登録者1,000人")
    yaml_file = content / "projects" / "2-4.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("Twitter登録者800人", "Twitter登録者900人"),
                         encoding="utf-8")
    before = snapshot(content)
    report = import_files([path], content, output=tmp_path / "out")
    assert report.stopped and snapshot(content) == before
    (conflict,) = report.conflicts
    assert "Word: 「Twitter登録者1,000人」" in conflict and "今の内容: 「Twitter登録者900人」" in conflict


def test_a_stale_file_keeps_the_yaml_and_says_so(exported, content, tmp_path):
    yaml_file = content / "projects" / "2-4.yaml"
    yaml_file.write_text(yaml_file.read_text(encoding="utf-8").replace("Twitter登録者800人", "Twitter登録者900人"),
                         encoding="utf-8")
    before = snapshot(content)
    report = import_files([exported["広報課"]], content, output=tmp_path / "out")
    assert not report.changes and snapshot(content) == before
    assert any("2-4 達成目標（評価指標） はファイルを作った後に内容の方が変わっています" in s for s in report.stale)


def test_two_departments_editing_one_field_is_a_conflict(exported, content, tmp_path):
    a = _typed(exported, tmp_path, "2-4|達成目標", "登録者1,000人", "a.docx")
    b = _typed(exported, tmp_path, "2-4|達成目標", "登録者1,200人", "b.docx", department="企画課")
    before = snapshot(content)
    report = import_files([a, b], content, output=tmp_path / "out")
    assert report.stopped and snapshot(content) == before
    (conflict,) = report.conflicts
    assert "広報課・企画課 が別々に変更しています" in conflict


def test_an_edit_that_breaks_a_check_writes_nothing(exported, content, tmp_path):
    path = _typed(exported, tmp_path, "2-4|実施工程表/工程", "継続")
    ids = slot_ids(exported["広報課"])

    def bad_start(root):
        table = cell(root, ids["2-4|実施工程表/工程"]).xpath("ancestor::w:tbl[1]", namespaces=NS)[0]
        row = table.findall(q("tr"))[-1]
        tcs = row.findall(q("tc"))
        tcs[1].xpath(".//w:t", namespaces=NS)[0].text = "R5前期"

    path = edited(exported["広報課"], tmp_path / "bad.docx", bad_start)
    before = snapshot(content)
    report = import_files([path], content, output=tmp_path / "out")
    assert report.stopped and snapshot(content) == before
    assert any("開始「R5前期」が読めません" in p for p in report.problems), report.problems


# ---- hostile files ------------------------------------------------------------------------------------

def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("make, expected", [
    (lambda p: p.write_bytes(b"not a zip at all"), "中身が zip 形式ではありません"),
    (lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512), "古い形式（.doc）"),
    (lambda p: _zip(p, {"word/document.xml": b"\0" * (80 * 1024 * 1024)}), "極端に大きく"),
    (lambda p: _zip(p, {"word/document.xml": b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM '
                        b'"file:///etc/passwd">]><d>&x;</d>', "docProps/custom.xml": b"<x/>"}), "DTD"),
    (lambda p: _zip(p, {"../evil.xml": b"<x/>", "word/document.xml": b"<x/>"}), "不正な名前"),
    (lambda p: _zip(p, {"word/document.xml": b"<w:document xmlns:w='" + W.encode() + b"'/>"}),
     "修正用の Word ファイルではありません"),
])
def test_hostile_files_get_a_clear_error_and_nothing_is_written(content, tmp_path, make, expected):
    path = tmp_path / "返送.docx"
    make(path)
    before = snapshot(content)
    report = import_files([path], content, output=tmp_path / "out")
    assert report.stopped and snapshot(content) == before
    assert any(expected in p for p in report.problems), report.problems


def test_a_file_of_another_plan_is_refused(exported, tmp_path):
    other = tmp_path / "town"
    shutil.copytree(ROOT / "examples" / "town-5y", other)
    report = import_files([exported["広報課"]], other, output=tmp_path / "out")
    assert report.stopped and any("別の計画" in p for p in report.problems)


def test_the_command_prints_the_summary_and_exits_1_when_stopped(exported, content, tmp_path, capsys):
    assert main(["import", str(exported["広報課"]), "--content", str(content), "-o", str(tmp_path / "o")]) == 0
    assert "変更はありません" in capsys.readouterr().out
    (tmp_path / "x.docx").write_bytes(b"x")
    assert main(["import", str(tmp_path / "x.docx"), "--content", str(content)]) == 1
    assert "何も書き込んでいません" in capsys.readouterr().err


# ---- LibreOffice --------------------------------------------------------------------------------------

def test_a_file_libreoffice_resaved_and_edited_imports(exported, content, tmp_path):
    """Re-saved by LibreOffice (which drops the controls' tags) and edited in LibreOffice as a clerk
    would: text typed, a bullet added, a line deleted, text pasted with its own formatting."""
    ids = slot_ids(exported["広報課"])
    edits = [{"type": "append", "field": ids["2-4|取組内容"], "text": "追記した文。"},
             {"type": "bullet", "field": ids["2-4|期待される効果"], "text": "新しい効果。"},
             {"type": "delete-line", "field": ids["2-4|実施工程表/年度別/2025"], "line": 2},
             {"type": "paste", "field": ids["2-4|現状と課題"], "text": "貼り付けた文。"}]
    (tmp_path / "edits.json").write_text(json.dumps(edits, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "returned.docx"
    subprocess.run(["/usr/bin/python3", str(ROOT / "tests" / "lo" / "clerk.py"), str(exported["広報課"]), str(out),
                    str(tmp_path / "edits.json")], check=True, timeout=240, capture_output=True)
    report = import_files([out], content, output=tmp_path / "out")
    assert not report.stopped, report.summary()
    assert "変更 2-4: 現状と課題, 取組内容, 期待される効果, 年度別 2025" in report.summary()
    text = project_text(content, "2-4")
    assert "  貼り付けた文。これまで、SNSの" in text and "増加を図る。追記した文。\n" in text
    assert "  - 新しい効果。\n" in text
    assert "    2025:\n      - 登録者増加のための広報周知等\n用語" in text


def test_typed_bullets_word_numbered_lists_labels_and_comments(exported, content, tmp_path):
    """A typed ・ is a bullet, a Word numbered list is 1. 2., a （…） label stays at the start of its
    paragraph; a comment stops the import unless accepted, and is then a review note."""
    ids = slot_ids(exported["広報課"])
    with zipfile.ZipFile(exported["広報課"]) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    numbering = etree.fromstring(parts["word/numbering.xml"])
    abstract = etree.SubElement(numbering, q("abstractNum"), {q("abstractNumId"): "77"})
    lvl = etree.SubElement(abstract, q("lvl"), {q("ilvl"): "0"})
    etree.SubElement(lvl, q("numFmt"), {q("val"): "decimal"})
    num = etree.SubElement(numbering, q("num"), {q("numId"): "77"})
    etree.SubElement(num, q("abstractNumId"), {q("val"): "77"})
    parts["word/numbering.xml"] = etree.tostring(numbering)
    root = etree.fromstring(parts["word/document.xml"])
    target = cell(root, ids["2-4|現状と課題"])
    template = target.xpath(".//w:p", namespaces=NS)[0]
    for text, numbered in (("（課題）登録者が少ない。", False), ("・周知が足りない", False), ("案内を増やす", True),
                           ("効果を測る", True)):
        p = etree.SubElement(target, q("p"))
        if numbered:
            ppr = etree.SubElement(p, q("pPr"))
            numpr = etree.SubElement(ppr, q("numPr"))
            etree.SubElement(numpr, q("ilvl"), {q("val"): "0"})
            etree.SubElement(numpr, q("numId"), {q("val"): "77"})
        p.append(run(text))
    template.append(etree.Element(q("commentRangeStart"), {q("id"): "0"}))
    ref_run = etree.SubElement(template, q("r"))
    etree.SubElement(ref_run, q("commentReference"), {q("id"): "0"})
    parts["word/document.xml"] = etree.tostring(root)
    parts["word/comments.xml"] = (f'<w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="広報 花子">'
                                  '<w:p><w:r><w:t>数字は最新ですか</w:t></w:r></w:p></w:comment></w:comments>').encode()
    path = tmp_path / "広報課.docx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    refused = import_files([path], content, output=tmp_path / "out")
    assert refused.stopped and any("2-4 現状と課題: コメント「数字は最新ですか」（広報 花子）" in p
                                   for p in refused.problems), refused.problems
    report = import_files([path], content, accept_revisions=True, output=tmp_path / "out")
    assert not report.stopped, report.summary()
    assert "コメント:\n  広報課.docx: 2-4 現状と課題: コメント「数字は最新ですか」（広報 花子）" in report.summary()
    text = project_text(content, "2-4")
    assert ("増やしていく必要がある。\n\n  （課題）登録者が少ない。\n\n  - 周知が足りない\n\n"
            "  1. 案内を増やす\n  2. 効果を測る\n") in text, text
