"""The city's departments (content/departments.yaml): who owns a project, and who edits it.

A card's 所管課 is printed as the source writes it (「総務課（DX）」「各課」).  For the department files
docgen needs to know what each of those names *is*:

* a **department** (課): a unit that gets its own file, in a 部 or on its own (a town without 部).
  It may have **aliases**, other spellings of the same department (総務課（DX） is 総務課);
* a **collective** owner: a name for several departments at once (各課, 全課, 各担当課, 消防).  It gets no
  file of its own; its projects go to the department that **coordinates** it (取りまとめ).

A project shared by several departments has one **lead** (主担当): the department that edits its card
and sends it back.  The project file may name it (``主担当課``); otherwise it is the first department
its 所管課 lists (a collective's coordinator when only collectives are listed).  The other departments
get the card to read.

Without departments.yaml every 所管課 is taken as a department of its own, as written.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, StringConstraints

from .model import Model

UnitName = Annotated[str, StringConstraints(min_length=1, max_length=120)]


class DepartmentEntry(Model):
    name: UnitName = Field(alias="名前")
    aliases: list[UnitName] = Field(default_factory=list, alias="別名", max_length=50)


class DivisionEntry(Model):
    name: UnitName = Field(alias="名前")
    departments: list[DepartmentEntry] = Field(alias="課", min_length=1, max_length=200)


class CollectiveEntry(Model):
    name: UnitName = Field(alias="名前")
    coordinator: UnitName = Field(alias="取りまとめ")
    note: str = Field(default="", alias="説明", max_length=200)


class Departments(Model):
    """departments.yaml: 部 with their 課, 課 outside any 部, and collective names."""

    divisions: list[DivisionEntry] = Field(default_factory=list, alias="部", max_length=100)
    departments: list[DepartmentEntry] = Field(default_factory=list, alias="課", max_length=500)
    collectives: list[CollectiveEntry] = Field(default_factory=list, alias="まとめ", max_length=100)


@dataclass(frozen=True)
class Unit:
    """What a 所管課 name stands for: a department (``coordinator`` empty) or a collective."""

    name: str  # the department's own name, or the collective's
    division: str = ""  # the department's 部 ("" outside any)
    coordinator: str = ""  # a collective's coordinating department

    @property
    def collective(self) -> bool:
        return bool(self.coordinator)

    @property
    def department(self) -> str:
        """The department that gets this unit's projects in its file."""
        return self.coordinator or self.name


class Organization:
    """The departments of departments.yaml, looked up by any name a 所管課 may use."""

    def __init__(self, data: Departments | None):
        self.declared = data is not None
        self.units: dict[str, Unit] = {}
        self.order: list[str] = []  # departments in the file's order
        if data is None:
            return
        for division in data.divisions:
            for entry in division.departments:
                self._add(entry, division.name)
        for entry in data.departments:
            self._add(entry, "")
        for entry in data.collectives:
            self.units.setdefault(entry.name, Unit(entry.name, coordinator=entry.coordinator))

    def _add(self, entry: DepartmentEntry, division: str) -> None:
        unit = Unit(entry.name, division)
        if entry.name not in self.units:
            self.order.append(entry.name)
        for name in (entry.name, *entry.aliases):
            self.units.setdefault(name, unit)

    def unit(self, name: str) -> Unit | None:
        """The unit a 所管課 name stands for (without departments.yaml: a department of that name)."""
        if not self.declared:
            return Unit(name)
        return self.units.get(name)

    def near(self, name: str) -> str | None:
        found = difflib.get_close_matches(name, list(self.units), n=1, cutoff=0.5)
        return found[0] if found else None

    def division(self, department: str) -> str:
        unit = self.unit(department)
        return unit.division if unit else ""

    def departments_of(self, owners: tuple[str, ...]) -> tuple[str, ...]:
        """The departments whose files hold a project with these 所管課, in the order written."""
        out: dict[str, None] = {}
        for name in owners:
            unit = self.unit(name)
            if unit is not None:
                out.setdefault(unit.department, None)
        return tuple(out)

    def lead(self, owners: tuple[str, ...], named: str = "") -> str:
        """The department that edits a project: the one ``named`` (主担当課), else the first department
        listed, else the first collective's coordinator."""
        if named:
            unit = self.unit(named)
            return unit.department if unit else named
        for name in owners:
            unit = self.unit(name)
            if unit is not None and not unit.collective:
                return unit.department
        departments = self.departments_of(owners)
        return departments[0] if departments else ""


def check(data: Departments, path: str, node, problems) -> None:
    """departments.yaml itself: each name once, each coordinator a department."""
    seen: dict[str, str] = {}

    def claim(name: str, where: str, line: int) -> None:
        if name in seen:
            problems.add(path, line, where, f"「{name}」は {seen[name]} にもあります。名前と別名は1回ずつ書いてください")
        else:
            seen[name] = where

    def entries(key: str):
        value = node.get(key) if node is not None else None
        return value if value is not None else []

    for i, division in enumerate(data.divisions):
        dnode = entries("部")[i]
        for j, entry in enumerate(division.departments):
            enode = dnode["課"][j]
            where = f"部[{i + 1}].課[{j + 1}]"
            claim(entry.name, where, enode.value_line("名前"))
            for k, alias in enumerate(entry.aliases):
                claim(alias, f"{where}.別名[{k + 1}]", enode["別名"].item_line(k))
    for j, entry in enumerate(data.departments):
        enode = entries("課")[j]
        claim(entry.name, f"課[{j + 1}]", enode.value_line("名前"))
        for k, alias in enumerate(entry.aliases):
            claim(alias, f"課[{j + 1}].別名[{k + 1}]", enode["別名"].item_line(k))
    organization = Organization(data)
    for j, entry in enumerate(data.collectives):
        enode = entries("まとめ")[j]
        claim(entry.name, f"まとめ[{j + 1}]", enode.value_line("名前"))
        unit = organization.units.get(entry.coordinator)
        if unit is None or unit.collective:
            near = difflib.get_close_matches(entry.coordinator, organization.order, n=1, cutoff=0.5)
            hint = f"（「{near[0]}」の書き間違いではありませんか）" if near else ""
            problems.add(path, enode.value_line("取りまとめ"), f"まとめ[{j + 1}].取りまとめ",
                         f"取りまとめの課「{entry.coordinator}」が部・課の一覧にありません{hint}")



def check_projects(plan, project_sources, problems) -> None:
    """Each project's 所管課 is a department or collective of departments.yaml (when there is one), and
    its 主担当課 is one of the departments the project lists."""
    organization = plan.org
    spec = plan.meta.field("所管課")
    field = spec.name if spec is not None else "所管課"
    for project, node, path in project_sources:
        value = node.get(field)
        if organization.declared:
            for index, name in enumerate(project.departments):
                if organization.unit(name) is not None:
                    continue
                line = value.item_line(index) if hasattr(value, "item_line") else node.value_line(field)
                near = organization.near(name)
                hint = f"「{near}」の書き間違いではありませんか。" if near else ""
                problems.add(path, line, f"{field}[{index + 1}]",
                             f"「{name}」は departments.yaml の部・課にもまとめの名前にもありません。{hint}"
                             "新しい課なら departments.yaml に足してください（別の書き方なら、その課の「別名」に）")
        if project.lead:
            owners = organization.departments_of(project.departments)
            unit = organization.unit(project.lead)
            if unit is None or unit.department not in owners:
                listed = "」「".join(owners) or "（なし）"
                problems.add(path, node.value_line("主担当課"), "主担当課",
                             f"主担当課「{project.lead}」が{field}（「{listed}」）にありません。"
                             f"{field}に書いた課から選んでください")
