"""A department's Word file made for editing: the cards it leads carry edit slots, and the file
records where it comes from.

The tree is the department file of :func:`docgen.compose.compose_department` with, on the cards this
department leads (主担当):

* each 文章 and 短文 field a slot, its text as written in the content (a cross-reference stays
  ``[[4-10]]``: it is the content's own markup, and the clerk may write one);
* each year of the 工程表 a slot (a later column holding several years is shown, not edited);
* the 工程 table under the card a slot: its body rows are the phases.

Cards of shared projects that another department leads carry no slot: they are there to read.
The first page (:func:`instructions`) tells the clerk, in Japanese, what to edit, what not to touch and
how to send the file back.  A Word writer turns the slots into content controls and records
:class:`~docgen.booklet.Editing` in the file (``docgen import`` reads it back).
"""

from __future__ import annotations

from dataclasses import replace

from . import booklet as b
from . import fieldtext, model
from .compose import blocks


class _Slots:
    def __init__(self) -> None:
        self.made: list[b.EditSlot] = []

    def make(self, field: fieldtext.EditField) -> b.EditSlot:
        slot = b.EditSlot(f"f{len(self.made) + 1:03d}", field.project, field.key, field.label, field.kind,
                          field.text)
        self.made.append(slot)
        return slot


def editable(plan: model.Plan, department: str, document: b.Document) -> b.Document:
    """``document`` (the department's file) with slots on the cards ``department`` leads."""
    slots = _Slots()
    by_number = {p.number: p for p in plan.projects}
    body: list[b.Element] = []
    fields: dict[str, fieldtext.EditField] = {}  # the editable fields of the card led here, by key
    for element in document.body:
        if isinstance(element, b.Card):
            project = by_number[element.number]
            fields = {f.key: f for f in fieldtext.fields(plan, project)} if plan.lead(project) == department else {}
            if fields:
                element = _card(plan, project, element, fields, slots)
        elif isinstance(element, b.Table) and fields and element.rows and _is_phases(plan, element):
            field = next(f for f in fields.values() if f.kind == fieldtext.PHASES)
            element = replace(element, edit=slots.make(field))
        body.append(element)
    meta = plan.meta
    editing = b.Editing(plan=meta.slug, title=meta.title,
                        edition=plan.editions.current.label if plan.editions else "",
                        digest=fieldtext.digest(plan), department=department,
                        instructions=instructions(plan, department, slots.made), slots=tuple(slots.made))
    return replace(document, body=tuple(body), editing=editing)


def _is_phases(plan: model.Plan, table: b.Table) -> bool:
    labels = plan.meta.labels
    head = tuple("".join(s.text for s in c.spans) for c in table.header[0]) if table.header else ()
    return head == (labels.phase_name, labels.phase_start, labels.phase_end, labels.phase_after)


def _card(plan: model.Plan, project: model.Project, card: b.Card, by_key: dict[str, fieldtext.EditField],
          slots: _Slots) -> b.Card:
    specs = {spec.shown: spec for spec in plan.meta.card}
    fields: list = []
    for field in card.fields:
        spec = specs.get(field.label)
        if isinstance(field, b.CardSchedule) and spec is not None:
            edits = []
            for k, _ in enumerate(field.years):
                year = plan.meta.period.years[k] if k < len(plan.meta.period.years) else _later_year(project, plan)
                key = f"{spec.name}/{fieldtext.YEARLY}/{year}" if year is not None else ""
                edits.append(slots.make(by_key[key]) if key in by_key else None)
            field = replace(field, edits=tuple(edits))
        elif isinstance(field, b.CardField) and spec is not None and spec.name in by_key:
            value = project.values.get(spec.name)
            if spec.kind == "文章" and value is not None:
                field = replace(field, blocks=blocks(value, None))  # [[…]] as written
            elif spec.kind == "短文" and isinstance(value, (list, tuple)):
                # a list of short texts, one paragraph each (the print joins them with 、): one line
                # each is what comes back
                field = replace(field, blocks=tuple(b.Para((b.Span(item),)) for item in value))
            field = replace(field, edit=slots.make(by_key[spec.name]))
        fields.append(field)
    return replace(card, fields=tuple(fields))


def _later_year(project: model.Project, plan: model.Plan) -> int | None:
    """The year of the card's continuation column when it holds one year only (else not editable)."""
    later = sorted(y for y in project.schedule.yearly if y > plan.meta.period.end)
    return later[0] if len(later) == 1 else None


def instructions(plan: model.Plan, department: str, slots: list[b.EditSlot]) -> tuple[b.Element, ...]:
    """The first page of a file made for editing."""
    edition = plan.editions.current.label if plan.editions else ""
    projects = list(dict.fromkeys(s.project for s in slots))
    lead = "、".join(projects) if projects else "（なし）"
    texts = "、".join(spec.shown for spec in plan.meta.card if spec.kind in ("文章", "短文")) or "（なし）"
    yearly = next((spec.shown for spec in plan.meta.card if spec.kind == "工程表"), "")

    def para(text: str) -> b.Para:
        return b.Para((b.Span(text),))

    return (
        b.Heading(1, f"{plan.meta.title}　{department} 担当分の修正について", "editing", toc=False),
        para(f"このファイルは {department} が主担当の事業（{lead}）のカードを修正するためのものです。"
             + (f"（{edition}）" if edition else "")),
        b.Heading(2, "修正できるところ", "editing-1", toc=False),
        b.ListBlock(False, (
            para(f"枠（コンテンツ コントロール）の中の文章: {texts}"),
            *((para(f"{yearly}の各年度の欄（1行に1項目）"),
               para(f"カードの下の「{plan.meta.labels.phase_name}」の表（行を足すと増えます。"
                    f"{plan.meta.labels.phase_start}・{plan.meta.labels.phase_end}は "
                    f"{' や '.join(_examples(plan))} のように）"))
              if yearly else ()),
            para("箇条書きは Word の箇条書き（または行頭の「・」）で、（現状）や【…】のような小見出しは行頭にそのまま書きます"),
        )),
        b.Heading(2, "修正しないでください", "editing-2", toc=False),
        b.ListBlock(False, (
            para("枠の外の文字、事業番号・事業名・所管課、表の形（枠そのものを消さないでください）"),
            para("ほかの課が主担当のカード（読むためのものです。修正は主担当課へ）"),
            para("表・画像・コメントを枠の中に入れること（取り込めません）"),
        )),
        b.Heading(2, "返送のしかた", "editing-3", toc=False),
        b.ListBlock(True, (
            para("変更履歴は付けずに（付けた場合は、すべて承諾してから）上書き保存します。"),
            para("ファイル名を変えずに、計画の事務局へ返送してください。"),
            para("事務局は docgen import で取り込み、新旧対照表で確かめます。"),
        )),
    )


def _examples(plan: model.Plan) -> tuple[str, str]:
    grid = plan.meta.period.grid
    return grid.short(0), grid.written(0)
