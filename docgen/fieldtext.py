"""The editable fields of a card as text: what a department's Word file holds for editing, what it
keeps as each field's original, and what ``docgen import`` compares and writes back.

Every editable field has a **key** and a **canonical text**, the same whether it is read from the
YAML or from a Word file, so that an unedited field compares equal:

========================  ===========================  =============================================
key                       field                        canonical text
========================  ===========================  =============================================
``取組内容``               a 文章 field                 the Markdown subset (:func:`to_markdown`)
``事業の目的``             a 短文 field                 the text; a list of short texts one per line
``実施工程表/年度別/2024``  one year of the 工程表        the year's entries, one per line
``実施工程表/工程``        the phases of the 工程表      one phase per line: 名称, 開始, 終了, 継続
                                                       (tab-separated, 開始/終了 as written: 2023上期)
========================  ===========================  =============================================

金額, 指標 and 所管課 are not edited in Word (所管課 is shown read-only on the card).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from . import model, richtext

YEARLY = "年度別"
PHASES = "工程"
EDITABLE_KINDS = ("文章", "短文", "工程表")


@dataclass(frozen=True)
class EditField:
    """One editable field of one project."""

    project: str  # 事業番号
    key: str  # see the module's table
    label: str  # what the card calls it (the content control's title)
    kind: str  # 文章 / 短文 / 年度別 / 工程
    text: str  # canonical text

    @property
    def field(self) -> str:
        """The YAML key of the card field (実施工程表 for its years and phases)."""
        return self.key.split("/")[0]

    @property
    def year(self) -> int | None:
        parts = self.key.split("/")
        return int(parts[2]) if len(parts) == 3 and parts[1] == YEARLY else None


def to_markdown(text: richtext.RichText) -> str:
    """Rich text as the canonical Markdown of the subset (paragraphs, ``- `` and ``1. `` lists,
    labels, ``\\`` line breaks): ``parse(to_markdown(t))`` gives ``t`` back."""
    out: list[str] = []
    for block in text.blocks:
        if isinstance(block, richtext.Para):
            out.append(_line(block))
        elif isinstance(block, richtext.BulletList):
            out.append("\n".join(f"- {_line(item)}" for item in block.items))
        elif isinstance(block, richtext.OrderedList):
            out.append("\n".join(f"{block.start + i}. {_line(item)}" for i, item in enumerate(block.items)))
        elif isinstance(block, richtext.SubHeading):
            out.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, richtext.TableData):  # prose chapters only; not a card field
            rows = [block.header, tuple("---" for _ in block.header), *block.rows]
            out.append("\n".join("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                                 for row in rows))
    return "\n\n".join(out)


def _line(para: richtext.Para) -> str:
    return (para.label + para.text).replace("\n", "\\\n")


def phase_line(phase: model.Phase) -> str:
    end = "" if phase.end is None else str(phase.end)
    return "\t".join((phase.label, str(phase.start), end, "継続" if phase.continues else ""))


def fields(plan: model.Plan, project: model.Project) -> list[EditField]:
    """The editable fields of ``project``, in card order, with their canonical text from the YAML."""
    out: list[EditField] = []
    for spec in plan.meta.card:
        if spec.kind not in EDITABLE_KINDS:
            continue
        value = project.values.get(spec.name)
        if spec.kind == "文章":
            text = to_markdown(value) if value is not None else ""
            out.append(EditField(project.number, spec.name, spec.shown, "文章", text))
        elif spec.kind == "短文":
            text = "" if value is None else value if isinstance(value, str) else "\n".join(value)
            out.append(EditField(project.number, spec.name, spec.shown, "短文", text))
        else:
            schedule = project.schedule
            years = sorted(set(plan.meta.period.years) | set(schedule.yearly))
            for year in years:
                out.append(EditField(project.number, f"{spec.name}/{YEARLY}/{year}", f"{spec.shown} {year}年度",
                                     YEARLY, "\n".join(schedule.yearly.get(year, ()))))
            out.append(EditField(project.number, f"{spec.name}/{PHASES}", plan.meta.labels.phases_heading,
                                 PHASES, "\n".join(phase_line(p) for p in schedule.phases)))
    return out


@lru_cache(maxsize=4)
def digest(plan: model.Plan) -> str:
    """A digest of every editable field of the plan (which content a Word file was made from); once
    per plan, not once per department file."""
    h = hashlib.sha256()
    for project in plan.projects:
        for f in fields(plan, project):
            h.update(f"{f.project}\x1f{f.key}\x1f{f.text}\x1e".encode())
    return h.hexdigest()
