"""Departments as data (content/departments.yaml): 所管課 names resolved to departments, collective
owners to their coordinator, a lead for each shared project; department files per real department."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from docgen import booklet as b
from docgen.build import build
from docgen.compose import compose_department, departments
from docgen.errors import ContentError
from docgen.load import load

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture
def eniwa(tmp_path: Path) -> Path:
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _problems(folder: Path) -> list[tuple[str, int, str, str]]:
    with pytest.raises(ContentError) as info:
        load(folder)
    return [(Path(p.path).name, p.line, p.field, p.message) for p in info.value.problems]


def _line(folder: Path, name: str, text: str) -> int:
    return (folder / name).read_text(encoding="utf-8").splitlines().index(text) + 1


def test_the_bundled_plan_resolves_every_owner(plan):
    assert plan.organization is not None and plan.organization.declared
    by_number = {p.number: p for p in plan.projects}
    assert plan.owners(by_number["4-5"]) == ("総務課",)  # 総務課（DX） is an alias
    assert plan.owners(by_number["1-1"]) == ("総務課",)  # 各課 goes to its coordinator
    assert plan.owners(by_number["5-2"]) == ("総務課", "防火推進課", "廃棄物管理課")  # 消防
    assert plan.owners(by_number["9-1"]) == ("総務課", "社会教育課", "介護福祉課")
    assert plan.lead(by_number["2-4"]) == "広報課"
    assert plan.org.division("総務課") == "総務部" and plan.org.division("会計課") == ""
    assert "総務課（DX）" not in departments(plan) and "各課" not in departments(plan)


def test_an_unknown_owner_is_located_with_the_near_match(eniwa):
    _edit(eniwa, "projects/2-4.yaml", "  - 企画課", "  - 企画科")
    found = _problems(eniwa)
    assert [(f[0], f[1], f[2]) for f in found] == [("2-4.yaml", _line(eniwa, "projects/2-4.yaml", "  - 企画科"),
                                                    "所管課[2]")]
    assert "「企画科」は departments.yaml" in found[0][3] and "「企画課」の書き間違い" in found[0][3]


def test_an_alias_written_twice_and_an_unknown_coordinator_are_located(eniwa):
    _edit(eniwa, "departments.yaml", "      - 名前: 管財・契約課\n",
          "      - 名前: 管財・契約課\n        別名: [総務課（DX）]\n")
    _edit(eniwa, "departments.yaml", "    取りまとめ: 防火推進課", "    取りまとめ: 防火推進科")
    found = _problems(eniwa)
    assert {(f[0], f[2]) for f in found} == {("departments.yaml", "部[1].課[2].別名[1]"),
                                             ("departments.yaml", "まとめ[6].取りまとめ")}, found
    assert any("防火推進課」の書き間違い" in f[3] for f in found)


def test_the_lead_must_be_one_of_the_owners(eniwa):
    _edit(eniwa, "projects/2-4.yaml", "所管課:", "主担当課: 市民課\n所管課:")
    (found,) = _problems(eniwa)
    assert found[:3] == ("2-4.yaml", _line(eniwa, "projects/2-4.yaml", "主担当課: 市民課"), "主担当課")
    assert "「広報課」「企画課」" in found[3]


def test_a_named_lead_is_the_lead_and_the_files_say_who_edits(eniwa):
    _edit(eniwa, "projects/2-4.yaml", "所管課:", "主担当課: 企画課\n所管課:")
    plan = load(eniwa)
    project = next(p for p in plan.projects if p.number == "2-4")
    assert plan.lead(project) == "企画課"

    def notes(department: str) -> list[str]:
        doc = compose_department(plan, department)
        at = next(i for i, el in enumerate(doc.body) if isinstance(el, b.Card) and el.number == "2-4")
        return [el.text for el in doc.body[at + 1:at + 3] if isinstance(el, b.Para)]

    assert any("主担当として取りまとめ" in t and "広報課" in t for t in notes("企画課"))
    assert any("主担当は企画課" in t for t in notes("広報課"))


def test_a_department_file_shows_the_phases_of_the_system_table(plan):
    doc = compose_department(plan, "市民課")
    tables = [el for el in doc.body if isinstance(el, b.Table)]
    cells = [["".join(s.text for s in c.spans) for c in row] for t in tables for row in t.rows]
    assert cells == [["継続", "R5上期", "", "継続"], ["継続", "R5上期", "", "継続"],
                     ["調査", "R5上期", "", ""], ["検討", "R5下期", "", "継続"]], cells  # 1-2, 1-3, 4-12
    heads = {"".join(s.text for s in c.spans) for t in tables for c in t.header[0]}
    assert {"工程", "開始", "終了"} <= heads


def test_without_departments_yaml_each_owner_is_a_department(mini, tmp_path):
    plan = load(mini)
    assert not plan.org.declared
    assert departments(plan) == list(dict.fromkeys(d for p in plan.projects for d in p.departments))
    written = build(mini, tmp_path / "out", ("pdf",), split_by="department")
    assert {p.stem for p in written if p.parent.name == "departments"} == set(departments(plan))


def test_split_by_division_puts_the_files_in_a_folder_per_division(tmp_path):
    written = build(CONTENT, tmp_path / "out", ("pdf",), split_by="division")
    rel = {p.relative_to(tmp_path / "out").as_posix() for p in written}
    assert {"departments/総務部/総務課.pdf", "departments/消防本部/防火推進課.pdf",
            "departments/会計課.pdf"} <= rel  # 会計課 belongs to no 部
    assert not any(r.startswith("departments/総務課") for r in rel)
