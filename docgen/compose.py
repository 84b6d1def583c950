"""Compose the booklet tree from a validated plan — once, for every output format."""

from __future__ import annotations

from . import booklet as b
from . import glossary, model, richtext, schedule, wareki

FIELD_LABELS = {
    "事業番号": "事業番号",
    "事業名": "事業名",
    "所管課": "所管課",
    "現状と課題": "現状と課題",
    "取組内容": "取組内容",
    "期待される効果": "期待される効果",
    "達成目標": "達成目標（評価指標）",
    "実施工程表": "実施工程表（スケジュール）",
    "続き": "（続き）",
    "状況": "状況",
}


def blocks(text: richtext.RichText, indent: bool = False) -> tuple[b.Block, ...]:
    out: list[b.Block] = []
    for block in text.blocks:
        if isinstance(block, richtext.Para):
            out.append(_para(block, indent))
        else:
            items = tuple(_para(item) for item in block.items)
            out.append(b.ListBlock(isinstance(block, richtext.OrderedList), items,
                                   getattr(block, "start", 1)))
    return tuple(out)


def _para(p: richtext.Para, indent: bool = False) -> b.Para:
    spans = ((b.Span(p.label, True),) if p.label else ()) + ((b.Span(p.text),) if p.text else ())
    return b.Para(spans, indent and not p.label)


def policy_label(plan: model.Plan, policy: model.Policy) -> str:
    return f"{plan.meta.display.policy_word}{policy.number}"


def item_label(item: model.Item) -> str:
    return f"（{item.number}）"


def card_anchor(project: model.Project) -> str:
    return f"card-{project.number}"


def compose_booklet(plan: model.Plan) -> b.Document:
    meta, display = plan.meta, plan.meta.display
    status = "（案）" if meta.status == "案" else ""
    date = wareki.dated(plan.published.year, plan.published.month)
    edition = plan.editions.current.label if plan.editions else ""
    front: list[b.Element] = [
        b.Cover(meta.title, status, date, meta.municipality, display.accent_color, edition),
        b.PageBreak(),
        b.Contents("目次"),
        b.PageBreak(),
    ]
    body: list[b.Element] = []
    number = 0
    figures = {f.id: f for f in plan.figures}
    for chapter in plan.chapters:
        number += 1
        body.append(b.Heading(1, f"{number}. {chapter.title}", f"chapter-{number}"))
        body.extend(blocks(chapter.body, indent=True))
        for ref in chapter.figures:
            body.append(_figure(figures[ref]))
        body.append(b.PageBreak())

    number += 1
    body.append(b.Heading(1, f"{number}. {display.system_chapter}", f"chapter-{number}"))
    body.append(_tree_figure(plan, len(plan.figures) + 1, display.system_chapter))
    body.append(b.PageBreak())
    body.append(_system_table(plan))
    body.append(b.Heading(2, f"【{display.count_heading}】", "counts", toc=True))
    body.append(_count_table(plan))
    body.append(b.PageBreak())

    number += 1
    body.append(b.Heading(1, f"{number}. {display.cards_chapter}", f"chapter-{number}"))
    labels = {**FIELD_LABELS, **display.field_labels}
    first = True
    for policy in plan.policies:
        heading = b.Heading(2, f"{policy_label(plan, policy)}　{policy.title}", f"policy-{policy.number}")
        for item in policy.items:
            for project in plan.projects_of(policy.number, item.number):
                if not first:
                    body.append(b.PageBreak())
                first = False
                body.append(_card(plan, policy, item, project, labels, heading))
                heading = None  # the 基本方針 heading is the band of its first card
    body.append(b.PageBreak())
    body.append(b.Heading(1, display.glossary_chapter, "glossary"))
    body.append(_glossary(plan))
    body.append(b.PageBreak())
    if plan.editions:
        body.append(b.Heading(1, "改訂履歴", "history"))
        body.append(_history(plan.editions))
        body.append(b.PageBreak())
    body.append(b.Colophon(meta.title + status, _colophon_date(plan), meta.colophon.heading,
                           meta.colophon.publisher, tuple(meta.colophon.contact)))
    return b.Document(
        slug=meta.slug, title=meta.title + status, author=meta.municipality,
        subject=f"{meta.municipality} {meta.title}（計画期間 {wareki.fy(meta.period.start)}～"
                f"{wareki.fy(meta.period.end)}）",
        lang="ja-JP", year=plan.published.year, month=plan.published.month or 1,
        front=tuple(front), body=tuple(body), accent=display.accent_color)


def _colophon_date(plan: model.Plan) -> str:
    """令和6(2024)年3月策定, and for a revised edition also 令和7(2025)年3月改訂."""
    first = plan.editions.history[0].published if plan.editions and plan.editions.history else plan.meta.published
    made = f"{wareki.dated(first.year, first.month)}{plan.meta.display.date_suffix}"
    if not plan.editions:
        return made
    now = plan.editions.current.published
    return f"{made}　{wareki.dated(now.year, now.month)}改訂"


def _history(editions: model.Editions) -> b.History:
    rows = [(e.label, wareki.dated(e.published.year, e.published.month), e.summary)
            for e in [*editions.history, editions.current]]
    return b.History(("版", "発行", "概要"), tuple(rows))


def status_label(project: model.Project, short: bool = True) -> str:
    """廃止（R6）, 完了（R6）, 新規, 変更 — empty for a project simply continuing."""
    if project.status is None or project.kind == "継続":
        return ""
    if project.status.year is None:
        return project.kind
    year = wareki.short_fy(project.status.year) if short else wareki.fy(project.status.year)
    return f"{project.kind}（{year}）"


def counted(plan: model.Plan) -> list[model.Project]:
    """The projects the 項目別事業数, {{ 事業数 }} and {{ 重点事業数 }} count."""
    return [p for p in plan.projects if plan.meta.display.counts(p)]


def _figure(figure: model.Figure) -> b.Figure:
    boxes = tuple(b.Box(x.id, tuple(x.lines), x.column, x.row, x.width, x.height, x.kind)
                  for x in figure.boxes)
    arrows = tuple(b.Arrow(r.source, r.target, r.label, r.line == "破線") for r in figure.relations)
    names = {x.id: x.lines[0] for x in figure.boxes}
    alt = f"図{figure.number} {figure.title}。" + "。".join(
        f"{names[r.source]}から{names[r.target]}へ" + (f"（{r.label}）" if r.label else "")
        for r in figure.relations)
    return b.Figure(f"figure-{figure.id}", f"図{figure.number}　{figure.title}", boxes, arrows, alt)


def _tree_figure(plan: model.Plan, number: int, title: str) -> b.Figure:
    """体系図: 基本理念 → 基本方針 → 項目, drawn as a tree from the data."""
    rows = sum(len(p.items) for p in plan.policies)
    boxes = [b.Box("vision", (plan.meta.display.vision_word, plan.vision), 0, 0, 2, rows, "本計画")]
    arrows = []
    row = 0
    for policy in plan.policies:
        pid = f"policy-{policy.number}"
        boxes.append(b.Box(pid, (policy_label(plan, policy), policy.title), 2, row, 2, len(policy.items), "市"))
        arrows.append(b.Arrow("vision", pid, "", False))
        for item in policy.items:
            iid = f"item-{policy.number}-{item.number}"
            boxes.append(b.Box(iid, (item.title,), 4, row, 3, 1, "項目", label=item_label(item)))
            arrows.append(b.Arrow(pid, iid, "", False))
            row += 1
    alt = f"図{number} {title}図。{plan.meta.display.vision_word}「{plan.vision}」のもとに" + "、".join(
        f"{policy_label(plan, p)}「{p.title}」（項目 " + "、".join(i.title for i in p.items) + "）"
        for p in plan.policies) + "がある。"
    return b.Figure("figure-system", f"図{number}　{title}図", tuple(boxes), tuple(arrows), alt,
                    gap_x=12.0, gap_y=5.0)


def _system_table(plan: model.Plan) -> b.SystemTable:
    meta, display = plan.meta, plan.meta.display
    rows: list = []
    for policy in plan.policies:
        rows.append(b.PolicyRow(policy_label(plan, policy), policy.title, policy.description))
        for item in policy.items:
            rows.append(b.ItemRow(item_label(item), item.title))
            for p in plan.projects_of(policy.number, item.number):
                if p.closed and not display.show_closed:
                    continue
                rows.append(b.ProjectRow(p.number, p.priority, p.name, schedule.bars(p, meta),
                                         schedule.continues(p), card_anchor(p),
                                         status_label(p), p.closed))
    return b.SystemTable(schedule.grid_years(meta), tuple(display.halves), display.priority_mark,
                         display.continues_mark, f"{wareki.short_fy(meta.period.end + 1)}～",
                         ("事業番号", "重点取組", "個別事業名", "スケジュール"), tuple(rows))


def _count_table(plan: model.Plan) -> b.CountTable:
    groups = []
    counting = set(p.number for p in counted(plan))
    for policy in plan.policies:
        rows = []
        for i, item in enumerate(policy.items):
            rows.append(b.CountRow(policy_label(plan, policy) if i == 0 else "",
                                   f"{item_label(item)}{item.title}",
                                   sum(1 for p in plan.projects_of(policy.number, item.number)
                                       if p.number in counting)))
        groups.append(b.CountGroup(policy_label(plan, policy), tuple(rows), sum(r.count for r in rows)))
    return b.CountTable((plan.meta.display.policy_word, "項目", "事業数"), tuple(groups), "小計", "合計",
                        sum(g.subtotal for g in groups))


def _card(plan, policy, item, project: model.Project, labels: dict, heading: b.Heading | None) -> b.Card:
    display = plan.meta.display
    terms = {t.term: t for t in plan.glossary}
    fields = (
        b.CardField(labels["現状と課題"], blocks(project.issues)),
        b.CardField(labels["取組内容"], blocks(project.actions)),
        b.CardField(labels["期待される効果"], blocks(project.effects)),
        b.CardField(labels["達成目標"], blocks(project.targets)),
    )
    years = plan.meta.period.years
    return b.Card(
        anchor=card_anchor(project), number=project.number, name=project.name,
        priority_label=f"【{display.priority_label}】" if project.priority else "",
        band=(f"{policy_label(plan, policy)}　{policy.title}", f"{item_label(item)}{item.title}"),
        labels=labels, departments="、".join(project.departments), fields=fields,
        years=tuple(wareki.fy_short_nendo(y) for y in years),
        yearly=tuple(tuple(project.schedule.yearly.get(y, ())) for y in years),
        notes=tuple(b.Note(t, terms[t].definition) for t in project.terms),
        note_mark=display.note_mark, note_separator=display.note_separator, heading=heading,
        status=f"【{status_label(project, short=False)}】" if status_label(project) else "",
        status_note=project.status.reason if project.status else "")


def _glossary(plan: model.Plan) -> b.Glossary:
    entries = []
    for term in glossary.in_reading_order(plan.glossary):
        cards = tuple((p.number, card_anchor(p)) for p in glossary.cards_using(term.term, plan.projects))
        entries.append(b.GlossaryEntry(term.term, glossary.shown_reading(term), term.definition, cards))
    return b.Glossary(("用語", "説明", "掲載"), tuple(entries))


def compose_briefing(plan: model.Plan) -> b.Document | None:
    if plan.briefing is None:
        return None
    meta = plan.meta
    body: list[b.Element] = [b.Heading(1, plan.briefing.title, "briefing", toc=False)]
    for n, section in enumerate(plan.briefing.sections, 1):
        body.append(b.Heading(2, f"{n}. {section.title}", f"briefing-{n}", toc=False))
        for block in section.blocks:
            if block.text is not None:
                body.extend(blocks(block.text))
            if block.generated == "基本方針":
                body.append(b.ListBlock(False, plain=True, items=tuple(
                    b.Para((b.Span(f"{policy_label(plan, p)}　{p.title}"),)) for p in plan.policies)))
    return b.Document(slug=f"{meta.slug}-briefing", title=plan.briefing.title, author=meta.municipality,
                      subject=meta.title, lang="ja-JP", year=meta.published.year,
                      month=meta.published.month or 1, front=(), body=tuple(body),
                      accent=meta.display.accent_color)


def departments(plan: model.Plan) -> list[str]:
    """Every 所管課 named by a project, in plan order."""
    seen: dict[str, None] = {}
    for project in plan.projects:
        for name in project.departments:
            seen.setdefault(name, None)
    return list(seen)


def compose_department(plan: model.Plan, department: str) -> b.Document:
    """The cards one 所管課 owns (a project with several 所管課 is in each of their files)."""
    meta = plan.meta
    labels = {**FIELD_LABELS, **meta.display.field_labels}
    body: list[b.Element] = [b.Heading(1, f"{meta.title}　{department} 担当分", "department", toc=False)]
    for policy in plan.policies:
        heading = b.Heading(2, f"{policy_label(plan, policy)}　{policy.title}", f"policy-{policy.number}")
        for item in policy.items:
            for project in plan.projects_of(policy.number, item.number):
                if department in project.departments:
                    body.append(_card(plan, policy, item, project, labels, heading))
                    heading = None
    return b.Document(slug=department, title=f"{meta.title} {department} 担当分", author=meta.municipality,
                      subject=meta.title, lang="ja-JP", year=meta.published.year,
                      month=meta.published.month or 1, front=(), body=tuple(body),
                      accent=meta.display.accent_color)
