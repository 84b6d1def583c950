"""Comparing two editions of a plan: the 新旧対照表 (new text left, old text right).

Every field is turned into display text, compared character by character (difflib), and only the
changed passages are marked, so a one-character change underlines one character.  Prose is compared
paragraph by paragraph first: unchanged paragraphs are left out as （略）.  The result is a
format-neutral :class:`Comparison` that the PDF and Word renderers draw.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from . import booklet as b
from . import model, richtext, schedule, wareki
from .compose import indicator_table, money_table, spans, status_label

OMITTED = "（略）"  # the default; a plan's ラベル.略 is used where it sets one


@dataclass(frozen=True)
class Row:
    label: str
    new: tuple[b.Span, ...]
    old: tuple[b.Span, ...]


@dataclass(frozen=True)
class Group:
    title: str
    mark: str  # 新設 / 削除 / 廃止 / 完了 / 番号変更 4-15→5-4 / ""
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class Comparison:
    title: str
    new_label: str
    old_label: str
    groups: tuple[Group, ...]
    added: int
    completed: int
    discontinued: int
    removed: int  # project files deleted
    changed: int
    plan_changes: int
    author: str
    year: int
    month: int
    accent: str
    slug: str
    after_word: str = "改正後"  # column headings, from the plan's ラベル
    before_word: str = "改正前"
    continued: str = "（続き）"
    word: str = "事業"  # the plan's word for a project
    whole_plan: str = "計画全体"

    @property
    def empty(self) -> bool:
        return not self.groups

    def summary(self) -> str:
        counts = [("追加", self.added), ("完了", self.completed), ("廃止", self.discontinued)]
        if self.removed:
            counts.append(("削除", self.removed))
        counts.append(("変更", self.changed))
        line = " / ".join(f"{word} {n}" for word, n in counts) + f" {self.word}"
        if self.plan_changes:
            line += f"（ほかに{self.whole_plan}の変更 {self.plan_changes} 件）"
        return line


@dataclass(frozen=True)
class Field:
    label: str
    text: str
    by_paragraph: bool = False  # prose: only the changed paragraphs are shown


def rich_display(text: richtext.RichText, plan: model.Plan | None = None) -> str:
    """Rich text as the lines a reader sees: list marks written out, references resolved."""
    def shown(text: str) -> str:
        return "".join(s.text for s in spans(text, plan)) if plan is not None else text

    lines = []
    for block in text.blocks:
        if isinstance(block, richtext.Para):
            lines.append(block.label + shown(block.text))
        elif isinstance(block, richtext.SubHeading):
            lines.append(block.text)
        elif isinstance(block, richtext.TableData):
            lines += ["｜".join(shown(c) for c in row) for row in (block.header, *block.rows)]
        elif isinstance(block, richtext.OrderedList):
            marks = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
            lines += [f"{marks[block.start - 1 + i] if block.start - 1 + i < 20 else i + 1}{item.label}{shown(item.text)}"
                      for i, item in enumerate(block.items)]
        else:
            lines += [f"・{item.label}{shown(item.text)}" for item in block.items]
    return "\n".join(lines)


def _cell(meta: model.PlanMeta, index: int) -> str:
    grid = meta.period.grid
    return grid.beyond_label if index >= grid.cells else grid.short(index)


def _phases(project: model.Project, meta: model.PlanMeta) -> str:
    parts = [f"{bar.label}（{_cell(meta, bar.start)}"
             + (f"～{_cell(meta, bar.end)}）" if bar.end != bar.start else "）")
             for bar in schedule.bars(project, meta)]
    return "、".join(parts) + ("、計画期間後も継続" if schedule.continues(project) else "")


def _place(project: model.Project, plan: model.Plan) -> str:
    groups = plan.ancestry(project)
    if any(g is None for g in groups):
        return "".join(f"{level.name}{n}" for level, n in zip(plan.meta.levels, project.groups))
    return "\n".join(g.heading for g in groups)


def place_label(plan: model.Plan) -> str:
    return "・".join(level.name for level in plan.meta.levels)


def _table_text(table: b.Table) -> str:
    """A card table (事業費, 成果指標) as lines of text: each row its cells joined by ／."""
    rows = [*table.header, *table.rows]
    lines = ["／".join("".join(s.text for s in c.spans) for c in row) for row in rows]
    return "\n".join(([table.caption] if table.caption else []) + lines)


def project_fields(project: model.Project, plan: model.Plan) -> list[Field]:
    """A project as labelled display texts, in card order."""
    meta, labels = plan.meta, plan.meta.labels
    status = status_label(project, short=False)
    reason = "：" + project.status.reason if project.status and project.status.reason else ""
    fields = [
        Field(meta.label("name"), project.name),
        Field(place_label(plan), _place(project, plan)),
        Field(labels.priority, labels.priority_heading if project.priority else "―"),
        Field(labels.status, status + reason if status else "継続"),
    ]
    for spec in meta.card:
        value = project.values.get(spec.name)
        if spec.kind == "工程表":
            yearly = "\n".join(f"{wareki.fy_short_nendo(y)}：" + "／".join(lines)
                               for y, lines in sorted(project.schedule.yearly.items()))
            fields.append(Field(f"{labels.schedule}（{labels.system_chapter}）", _phases(project, meta)))
            fields.append(Field(spec.shown, yearly))
        elif value is None:
            fields.append(Field(spec.shown, "―"))
        elif spec.kind == "所管課":
            fields.append(Field(spec.shown, "、".join(project.departments)))
        elif spec.kind == "文章":
            fields.append(Field(spec.shown, rich_display(value, plan), True))
        elif spec.kind == "短文":
            fields.append(Field(spec.shown, value if isinstance(value, str) else "、".join(value)))
        elif spec.kind == "金額":
            fields.append(Field(spec.shown, _table_text(money_table(value, spec, meta)), True))
        elif spec.kind == "指標":
            fields.append(Field(spec.shown, _table_text(indicator_table(value, meta)), True))
    fields.append(Field(f"{labels.term}（{meta.display.note_mark}注記）", "、".join(project.terms) or "―"))
    return fields


def marked(old: str, new: str, omit_unchanged: bool = False,
           omitted: str = OMITTED) -> tuple[tuple[b.Span, ...], tuple[b.Span, ...]]:
    """Spans of the new and old text with the changed passages underlined.

    Lines (paragraphs) are matched first, then the characters of changed lines, so a one-character
    change underlines one character.  With ``omit_unchanged`` each run of unchanged lines is shown
    as （略）."""
    before, after = old.split("\n"), new.split("\n")
    new_parts: list[tuple[b.Span, ...]] = []
    old_parts: list[tuple[b.Span, ...]] = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            unchanged = "\n".join(before[a0:a1])
            new_parts.append((b.Span(omitted if omit_unchanged else unchanged),))
            old_parts.append((b.Span(omitted if omit_unchanged else unchanged),))
            continue
        new_spans, old_spans = _characters("\n".join(before[a0:a1]), "\n".join(after[b0:b1]))
        if b1 > b0:
            new_parts.append(new_spans)
        if a1 > a0:
            old_parts.append(old_spans)
    return _joined(new_parts, omitted), _joined(old_parts, omitted)


def _characters(old: str, new: str) -> tuple[tuple[b.Span, ...], tuple[b.Span, ...]]:
    """Character-level diff of changed lines; a short or mostly rewritten text is underlined whole."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    if max(len(old), len(new)) <= 8 or matcher.ratio() < 0.5:
        return _whole(new), _whole(old)
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


def _joined(parts: list[tuple[b.Span, ...]], omitted: str) -> tuple[b.Span, ...]:
    spans: list[b.Span] = []
    previous = None
    for part in parts:
        if part == previous == (b.Span(omitted),):
            continue  # one （略） for the unchanged paragraphs around an inserted or removed one
        if spans:
            spans.append(b.Span("\n"))
        spans += part
        previous = part
    return tuple(_merge(spans))


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


def _changed_row(label: str, was: str, now: str, by_paragraph: bool, omitted: str = OMITTED) -> Row:
    new_spans, old_spans = marked(was, now, omit_unchanged=by_paragraph, omitted=omitted)
    return Row(label, new_spans, old_spans)


# ---- matching the projects of two editions ------------------------------------------------------

def _body(project: model.Project) -> tuple[str, ...]:
    return tuple(rich_display(v) for v in project.values.values() if isinstance(v, richtext.RichText))


_SAME_PROJECT = (
    lambda a, b: a.number == b.number and a.name == b.name,
    lambda a, b: a.name == b.name,  # moved to another 項目: a new number
    lambda a, b: _body(a) == _body(b),  # moved and renamed
    lambda a, b: a.number == b.number,  # renamed in place
)


def pairs(old: model.Plan, new: model.Plan) -> list[tuple[model.Project | None, model.Project | None]]:
    """(before, after) for every project, in the new plan's order; None where it was added or removed."""
    olds, news = list(old.projects), list(new.projects)
    found: list[tuple[model.Project | None, model.Project | None]] = []
    for same in _SAME_PROJECT:
        for before in list(olds):
            after = next((p for p in news if same(before, p)), None)
            if after is not None:
                found.append((before, after))
                olds.remove(before)
                news.remove(after)
    found += [(p, None) for p in olds] + [(None, p) for p in news]
    # the new plan's order; a removed project stands after the project that now has its number, or
    # else after the one that stood before it
    position = {id(p): (i, 0) for i, p in enumerate(new.projects)}
    numbered = {p.number: i for i, p in enumerate(new.projects)}
    after_of = {id(before): after for before, after in found if before is not None and after is not None}
    last = (-1, 0)
    for i, p in enumerate(old.projects):
        if id(p) in after_of:
            last = position[id(after_of[id(p)])]
        else:
            position[id(p)] = (numbered.get(p.number, last[0]), i + 1)
    return sorted(found, key=lambda pair: position[id(pair[1] if pair[1] is not None else pair[0])])


def _project_group(before, after, old: model.Plan, new: model.Plan) -> Group | None:
    omitted = new.meta.labels.omitted
    if before is None:  # shown whole, as its card reads; fields it leaves empty (―) are left out
        rows = tuple(Row(f.label, _whole(f.text), ()) for f in project_fields(after, new) if f.text != "―")
        return Group(f"{after.number} {after.name}", "新設", rows)
    if after is None:
        rows = tuple(Row(f.label, (), _whole(f.text)) for f in project_fields(before, old) if f.text != "―")
        return Group(f"{before.number} {before.name}", "削除", rows)
    rows = []
    moved = before.number != after.number
    if moved:
        rows.append(_changed_row(new.meta.label("number"), before.number, after.number, False))
    placed = before.groups != after.groups
    olds = {f.label: f for f in project_fields(before, old)}
    for now in project_fields(after, new):
        was = olds.get(now.label, Field(now.label, "―"))
        if was.text != now.text and (now.label != place_label(new) or placed):
            rows.append(_changed_row(now.label, was.text, now.text, now.by_paragraph, omitted))
    if not rows:
        return None
    marks = [after.kind] if after.closed and not before.closed else []
    marks += [f"番号変更 {before.number}→{after.number}"] if moved else []
    return Group(f"{after.number} {after.name}", "・".join(marks), tuple(rows))


def compare(old: model.Plan, new: model.Plan, old_label: str, new_label: str) -> Comparison:
    counts = dict.fromkeys(("新設", "完了", "廃止", "削除", "変更"), 0)
    project_groups = []
    for before, after in pairs(old, new):
        group = _project_group(before, after, old, new)
        if group is None:
            continue
        project_groups.append(group)
        kind = group.mark.split("・")[0]
        counts[kind if kind in counts else "変更"] += 1
    meta, labels = new.meta, new.meta.labels
    word = meta.levels[0].name
    front = _plan_rows(_plan_fields(old), _plan_fields(new), labels.omitted)
    back = _plan_rows(_glossary_fields(old), _glossary_fields(new), labels.omitted)
    groups = ([Group(f"{labels.whole_plan}（本文・図・{word}）", "", tuple(front))] if front else []) + project_groups + (
        [Group(labels.glossary_chapter, "", tuple(back))] if back else [])
    return Comparison(f"{meta.title} {labels.comparison}", new_label, old_label, tuple(groups), counts["新設"],
                      counts["完了"], counts["廃止"], counts["削除"], counts["変更"], len(front) + len(back),
                      meta.municipality, new.published.year, new.published.month or 1,
                      meta.display.accent_color, f"{meta.slug}-shinkyu", labels.after, labels.before,
                      labels.continued, meta.word, labels.whole_plan)


# ---- the plan as a whole ------------------------------------------------------------------------

def _plan_fields(plan: model.Plan) -> dict[str, Field]:
    """Everything before the projects in the booklet: plan details, chapters and figures, the hierarchy."""
    meta = plan.meta
    period = f"{wareki.fy(meta.period.start)}～{wareki.fy(meta.period.end)}"
    fields = {"計画名": Field("計画名", meta.title), "状態": Field("状態", meta.status),
              "基本理念": Field(meta.labels.vision, plan.vision), "計画期間": Field("計画期間", period)}
    figures = {f.id: f for f in plan.figures}
    for chapter in plan.chapters:
        if not isinstance(chapter, model.Chapter):
            continue
        fields[f"chapter:{chapter.title}"] = Field(f"本文「{chapter.title}」", rich_display(chapter.body, plan), True)
        for ref in chapter.figures:
            if ref in figures:
                fields[f"figure:{ref}"] = _figure_field(figures[ref])
    for figure in plan.figures:
        fields.setdefault(f"figure:{figure.id}", _figure_field(figure))
    for group in plan.walk():
        key = "group:" + "-".join(str(n) for n in group.path)
        ancestors = [plan.group(group.path[:k]) for k in range(1, len(group.path))]
        label = "".join(g.label for g in ancestors) + group.label
        text = f"{group.title}\n{group.description}" if group.description else group.title
        fields[key] = Field(label, text)
    return fields


def _figure_field(figure: model.Figure) -> Field:
    names = {box.id: box.lines[0] for box in figure.boxes}
    lines = ["／".join(box.lines) for box in figure.boxes]
    lines += [f"{names.get(r.source, r.source)}→{names.get(r.target, r.target)}" + (f"：{r.label}" if r.label else "")
              for r in figure.relations]
    return Field(f"図{figure.number}「{figure.title}」", "\n".join(lines), True)


def _glossary_fields(plan: model.Plan) -> dict[str, Field]:
    return {term.term: Field(f"用語「{term.term}」", term.definition) for term in plan.glossary}


def _plan_rows(before: dict[str, Field], after: dict[str, Field], omitted: str = OMITTED) -> list[Row]:
    rows = []
    for key in list(after) + [k for k in before if k not in after]:
        was, now = before.get(key), after.get(key)
        if was is not None and now is not None and was.text == now.text:
            continue
        if was is None:
            rows.append(Row(f"{now.label}（新設）", _whole(now.text), ()))
        elif now is None:
            rows.append(Row(f"{was.label}（削除）", (), _whole(was.text)))
        else:
            rows.append(_changed_row(now.label, was.text, now.text, now.by_paragraph, omitted))
    return rows
