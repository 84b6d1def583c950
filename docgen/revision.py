"""Comparing two editions of a plan: the 新旧対照表 (new text left, old text right).

Every field is turned into display text, compared character by character (difflib), and only the
changed passages are marked, so a one-character change underlines one character.  The result is a
format-neutral :class:`Comparison` that the PDF and Word renderers draw.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from . import booklet as b
from . import model, richtext, schedule, wareki
from .compose import FIELD_LABELS, status_label


@dataclass(frozen=True)
class Row:
    label: str
    new: tuple[b.Span, ...]
    old: tuple[b.Span, ...]


@dataclass(frozen=True)
class Group:
    title: str
    mark: str  # 新設 / 削除 / 廃止 / 完了 / ""
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Comparison:
    title: str
    new_label: str
    old_label: str
    groups: tuple[Group, ...]
    added: int
    closed: int
    changed: int
    plan_changes: int
    author: str
    year: int
    month: int
    accent: str
    slug: str

    @property
    def empty(self) -> bool:
        return not self.groups

    def summary(self) -> str:
        line = f"追加 {self.added} / 廃止 {self.closed} / 変更 {self.changed} 事業"
        if self.plan_changes:
            line += f"（ほかに計画全体の変更 {self.plan_changes} 件）"
        return line


def rich_display(text: richtext.RichText) -> str:
    lines = []
    for block in text.blocks:
        if isinstance(block, richtext.Para):
            lines.append(block.label + block.text)
        elif isinstance(block, richtext.OrderedList):
            marks = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
            lines += [f"{marks[block.start - 1 + i] if block.start - 1 + i < 20 else i + 1}{item.label}{item.text}"
                      for i, item in enumerate(block.items)]
        else:
            lines += [f"・{item.label}{item.text}" for item in block.items]
    return "\n".join(lines)


def _half(index: int, meta: model.PlanMeta) -> str:
    year = meta.period.start + index // 2
    return f"{wareki.short_fy(year)}{meta.display.halves[index % 2]}"


def _phases(project: model.Project, meta: model.PlanMeta) -> str:
    bars = schedule.bars(project, meta)
    parts = [f"{bar.label}（{_half(bar.start, meta)}～{_half(bar.end, meta)}）" for bar in bars]
    return "、".join(parts) + ("、計画期間後も継続" if schedule.continues(project) else "")


def project_fields(project: model.Project, meta: model.PlanMeta) -> list[tuple[str, str]]:
    """A project as (label, display text) pairs, in card order."""
    yearly = "\n".join(f"{wareki.fy_short_nendo(y)}：" + "／".join(lines)
                       for y, lines in sorted(project.schedule.yearly.items()))
    status = status_label(project, short=False)
    return [
        (FIELD_LABELS["事業名"], project.name),
        ("重点取組", "重点取組事項" if project.priority else "―"),
        ("状況", (status + ("：" + project.status.reason if project.status and project.status.reason else ""))
         if status else "継続"),
        (FIELD_LABELS["所管課"], "、".join(project.departments)),
        (FIELD_LABELS["現状と課題"], rich_display(project.issues)),
        (FIELD_LABELS["取組内容"], rich_display(project.actions)),
        (FIELD_LABELS["期待される効果"], rich_display(project.effects)),
        (FIELD_LABELS["達成目標"], rich_display(project.targets)),
        ("スケジュール（施策の体系）", _phases(project, meta)),
        (FIELD_LABELS["実施工程表"], yearly),
        ("用語（※注記）", "、".join(project.terms) or "―"),
    ]


def marked(old: str, new: str) -> tuple[tuple[b.Span, ...], tuple[b.Span, ...]]:
    """Character-level diff: spans of the new and old text with the changed passages underlined."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    old_spans: list[b.Span] = []
    new_spans: list[b.Span] = []
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            old_spans.append(b.Span(old[a0:a1]))
            new_spans.append(b.Span(new[b0:b1]))
        else:
            if a1 > a0:
                old_spans.append(b.Span(old[a0:a1], underline=True))
            if b1 > b0:
                new_spans.append(b.Span(new[b0:b1], underline=True))
    return tuple(_merge(new_spans)), tuple(_merge(old_spans))


def _merge(spans: list[b.Span]) -> list[b.Span]:
    out: list[b.Span] = []
    for span in spans:
        if out and out[-1].underline == span.underline:
            out[-1] = b.Span(out[-1].text + span.text, underline=span.underline)
        elif span.text:
            out.append(span)
    return out


def _whole(text: str) -> tuple[b.Span, ...]:
    return (b.Span(text, underline=True),) if text else ()


def compare(old: model.Plan, new: model.Plan, old_label: str, new_label: str) -> Comparison:
    groups: list[Group] = []
    added = closed = changed = 0
    old_projects = {p.number: p for p in old.projects}
    new_projects = {p.number: p for p in new.projects}
    order = [p.number for p in new.projects] + [n for n in old_projects if n not in new_projects]
    for number in sorted(order, key=lambda n: tuple(int(x) for x in n.split("-"))):
        before, after = old_projects.get(number), new_projects.get(number)
        if before is None:
            rows = tuple(Row(label, _whole(text), ()) for label, text in project_fields(after, new.meta))
            groups.append(Group(f"{number} {after.name}", "新設", rows))
            added += 1
            continue
        if after is None:
            rows = tuple(Row(label, (), _whole(text)) for label, text in project_fields(before, old.meta))
            groups.append(Group(f"{number} {before.name}", "削除", rows))
            closed += 1
            continue
        rows = []
        for (label, was), (_, now) in zip(project_fields(before, old.meta), project_fields(after, new.meta)):
            if was != now:
                new_spans, old_spans = marked(was, now)
                rows.append(Row(label, new_spans, old_spans))
        if rows:
            became_closed = after.closed and not before.closed
            groups.append(Group(f"{number} {after.name}", after.kind if became_closed else "", tuple(rows)))
            if became_closed:
                closed += 1
            else:
                changed += 1
    plan_rows = _plan_rows(old, new)
    if plan_rows:
        groups.append(Group("計画全体（本文・基本方針・用語集）", "", tuple(plan_rows)))
    meta = new.meta
    return Comparison(f"{meta.title} 新旧対照表", new_label, old_label, tuple(groups), added, closed, changed,
                      len(plan_rows), meta.municipality, new.published.year, new.published.month or 1,
                      meta.display.accent_color, f"{meta.slug}-shinkyu")


def _plan_fields(plan: model.Plan) -> dict[str, str]:
    word = plan.meta.display.policy_word
    fields = {"計画名": plan.meta.title, "状態": plan.meta.status, plan.meta.display.vision_word: plan.vision,
              "計画期間": f"{wareki.fy(plan.meta.period.start)}～{wareki.fy(plan.meta.period.end)}"}
    for chapter in plan.chapters:
        fields[f"本文「{chapter.title}」"] = rich_display(chapter.body)
    for policy in plan.policies:
        fields[f"{word}{policy.number}"] = f"{policy.title}\n{policy.description}"
        for item in policy.items:
            fields[f"{word}{policy.number}（{item.number}）"] = item.title
    for term in plan.glossary:
        fields[f"用語「{term.term}」"] = term.definition
    return fields


def _plan_rows(old: model.Plan, new: model.Plan) -> list[Row]:
    before, after = _plan_fields(old), _plan_fields(new)
    rows = []
    for label in list(after) + [k for k in before if k not in after]:
        was, now = before.get(label, ""), after.get(label, "")
        if was == now:
            continue
        if not was:
            rows.append(Row(f"{label}（新設）", _whole(now), ()))
        elif not now:
            rows.append(Row(f"{label}（削除）", (), _whole(was)))
        else:
            new_spans, old_spans = marked(was, now)
            rows.append(Row(label, new_spans, old_spans))
    return rows
