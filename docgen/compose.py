"""Compose the booklet tree from a validated plan — once, for every output format.

Nothing here assumes a shape: the levels of the hierarchy, the card's fields, the grid's unit and
the words printed all come from the plan (plan.yaml's 体系, カード, 計画期間 and ラベル).
"""

from __future__ import annotations

from . import booklet as b
from . import checks, glossary, model, numbers, richtext, schedule, wareki

DEFAULT_ORDER = model.GENERATED  # 体系, 事業, 用語集: where chapters.yaml does not place them


# ---- text -----------------------------------------------------------------------------------------

def spans(text: str, plan: model.Plan | None, label: bool = False) -> tuple[b.Span, ...]:
    """A text as spans, each ``[[…]]`` reference made a linked span naming the card."""
    out: list[b.Span] = []
    last = 0
    for match in richtext.REF.finditer(text):
        target = checks.resolve(plan, match.group(1).strip()) if plan is not None else None
        if target is None:
            continue
        if match.start() > last:
            out.append(b.Span(text[last:match.start()], label))
        out.append(b.Span(reference(plan, target), label, ref=card_anchor(target)))
        last = match.end()
    if last < len(text) or not out:
        out.append(b.Span(text[last:], label))
    return tuple(s for s in out if s.text or s.ref)


def reference(plan: model.Plan, project: model.Project) -> str:
    return numbers.fill(plan.meta.labels.reference, {"番号": project.number, "事業名": project.name})


def blocks(text: richtext.RichText, plan: model.Plan | None = None, indent: bool = False,
           anchor: str = "") -> tuple:
    """Rich text as booklet blocks; a prose chapter's sub-headings become headings anchored
    ``anchor-1``, ``anchor-2`` …"""
    out: list = []
    heads = 0
    for block in text.blocks:
        if isinstance(block, richtext.Para):
            out.append(_para(block, plan, indent))
        elif isinstance(block, richtext.SubHeading):
            heads += 1
            out.append(b.Heading(block.level, block.text, f"{anchor}-{heads}", toc=block.level == 2))
        elif isinstance(block, richtext.TableData):
            out.append(_prose_table(block, plan))
        else:
            items = tuple(_para(item, plan) for item in block.items)
            out.append(b.ListBlock(isinstance(block, richtext.OrderedList), items,
                                   getattr(block, "start", 1)))
    return tuple(out)


def _para(p: richtext.Para, plan: model.Plan | None, indent: bool = False) -> b.Para:
    head = (b.Span(p.label, True),) if p.label else ()
    return b.Para(head + (spans(p.text, plan) if p.text else ()), indent and not p.label)


def _prose_table(table: richtext.TableData, plan: model.Plan | None) -> b.Table:
    width = len(table.header)
    longest = [max([len(table.header[i])] + [len(r[i]) for r in table.rows]) for i in range(width)]
    return b.Table(
        header=(tuple(b.TableCell(spans(t, plan), align="center", head=True) for t in table.header),),
        rows=tuple(tuple(b.TableCell(spans(t, plan), align=a) for t, a in zip(row, table.aligns))
                   for row in table.rows),
        weights=tuple(float(min(max(n, 2), 24)) for n in longest))


def card_anchor(project: model.Project) -> str:
    return f"card-{project.number}"


def group_anchor(group: model.Group) -> str:
    return "policy-" + "-".join(str(n) for n in group.path)


def status_label(project: model.Project, short: bool = True) -> str:
    """廃止（R6）, 完了（R6）, 新規, 変更 — empty for a project simply continuing."""
    if project.status is None or project.kind == "継続":
        return ""
    if project.status.year is None:
        return project.kind
    year = wareki.short_fy(project.status.year) if short else wareki.fy(project.status.year)
    return f"{project.kind}（{year}）"


def counted(plan: model.Plan) -> list[model.Project]:
    """The projects the count table, {{ 事業数 }} and {{ 重点事業数 }} count."""
    return [p for p in plan.projects if plan.meta.display.counts(p)]


# ---- the booklet ----------------------------------------------------------------------------------

def chapter_order(plan: model.Plan) -> list[model.Chapter | str]:
    """Prose chapters and the generated ones (体系, 事業, 用語集) in booklet order: where
    chapters.yaml places them (差し込み), the others after the last entry."""
    order: list[model.Chapter | str] = [c.chapter if isinstance(c, model.Inserted) else c for c in plan.chapters]
    order += [name for name in DEFAULT_ORDER if name not in order]
    return order


def compose_booklet(plan: model.Plan) -> b.Document:
    meta, display, labels = plan.meta, plan.meta.display, plan.meta.labels
    status = "（案）" if meta.status == "案" else ""
    date = wareki.dated(plan.published.year, plan.published.month)
    edition = plan.editions.current.label if plan.editions else ""
    front: list[b.Element] = [
        b.Cover(meta.title, status, date, meta.municipality, display.accent_color, edition),
        b.PageBreak(),
        b.Contents(labels.contents),
        b.PageBreak(),
    ]
    body: list[b.Element] = []
    number = 0
    figures = {f.id: f for f in plan.figures}
    for entry in chapter_order(plan):
        if entry == "用語集":
            body.append(b.Heading(1, labels.glossary_chapter, "glossary"))
            body.append(_glossary(plan))
            body.append(b.PageBreak())
            continue
        number += 1 if (not isinstance(entry, model.Chapter) or entry.numbered) else 0
        prefix = numbers.render(labels.chapter_number, {"番号": number})
        anchor = f"chapter-{number}"
        if isinstance(entry, model.Chapter):
            if not entry.numbered:
                prefix, anchor = "", f"chapter-{entry.title}"
            body.append(b.Heading(1, f"{prefix}{entry.title}", anchor))
            body.extend(blocks(entry.body, plan, indent=True, anchor=anchor))
            for ref in entry.figures:
                body.append(_figure(figures[ref], meta))
            body.append(b.PageBreak())
        elif entry == "体系":
            title = labels.system_chapter
            body.append(b.Heading(1, f"{prefix}{title}", anchor))
            body.append(_tree_figure(plan, len(plan.figures) + 1))
            body.append(b.PageBreak())
            body.append(_system_table(plan))
            # the count table starts a page of its own, in print and in Word alike: after a system
            # table whose rows are set a little taller or shorter, every later page would drift
            body.append(b.PageBreak())
            body.append(b.Heading(2, f"【{meta.label('count_heading')}】", "counts", toc=True))
            body.append(_count_table(plan))
            body.append(b.PageBreak())
        else:
            body.append(b.Heading(1, f"{prefix}{meta.label('cards_chapter')}", anchor))
            body.extend(_cards(plan, lambda project: True))
            body.append(b.PageBreak())
    if plan.editions:
        body.append(b.Heading(1, labels.history_chapter, "history"))
        body.append(_history(plan))
        body.append(b.PageBreak())
    body.append(b.Colophon(meta.title + status, _colophon_date(plan), meta.colophon.heading,
                           meta.colophon.publisher, tuple(meta.colophon.contact)))
    return b.Document(
        slug=meta.slug, title=meta.title + status, author=meta.municipality,
        subject=f"{meta.municipality} {meta.title}（計画期間 {wareki.fy(meta.period.start)}～"
                f"{wareki.fy(meta.period.end)}）",
        lang="ja-JP", year=plan.published.year, month=plan.published.month or 1,
        front=tuple(front), body=tuple(body), accent=display.accent_color)


def _cards(plan: model.Plan, wanted) -> list[b.Element]:
    """The cards of the wanted projects, each on a fresh page; the first card under each top-level
    group carries that group's heading."""
    out: list[b.Element] = []
    for top in plan.groups:
        heading = b.Heading(2, top.heading, group_anchor(top))
        for project in plan.projects_in(top):
            if not wanted(project):
                continue
            if out:
                out.append(b.PageBreak())
            out.append(_card(plan, project, heading))
            heading = None  # the top group's heading is the band of its first card
    return out


def _colophon_date(plan: model.Plan) -> str:
    """令和6(2024)年3月策定, and for a revised edition also 令和7(2025)年3月改訂."""
    first = plan.editions.history[0].published if plan.editions and plan.editions.history else plan.meta.published
    made = f"{wareki.dated(first.year, first.month)}{plan.meta.display.date_suffix}"
    if not plan.editions:
        return made
    now = plan.editions.current.published
    return f"{made}　{wareki.dated(now.year, now.month)}改訂"


def _history(plan: model.Plan) -> b.History:
    editions, labels = plan.editions, plan.meta.labels
    rows = [(e.label, wareki.dated(e.published.year, e.published.month), e.summary)
            for e in [*editions.history, editions.current]]
    return b.History((labels.edition, labels.published, labels.summary), tuple(rows))


# ---- figures -------------------------------------------------------------------------------------

def _figure(figure: model.Figure, meta: model.PlanMeta) -> b.Figure:
    boxes = tuple(b.Box(x.id, tuple(x.lines), x.column, x.row, x.width, x.height,
                        checks.box_kind(x.kind, meta) or "local") for x in figure.boxes)
    arrows = tuple(b.Arrow(r.source, r.target, r.label, r.line == "破線") for r in figure.relations)
    names = {x.id: x.lines[0] for x in figure.boxes}
    alt = f"図{figure.number} {figure.title}。" + "。".join(
        f"{names[r.source]}から{names[r.target]}へ" + (f"（{r.label}）" if r.label else "")
        for r in figure.relations)
    return b.Figure(f"figure-{figure.id}", f"図{figure.number}　{figure.title}", boxes, arrows, alt)


def _tree_figure(plan: model.Plan, number: int) -> b.Figure:
    """体系図: 基本理念 → each level of the hierarchy, drawn as a tree from the data.  Each group's
    box is as tall as the lowest groups under it; the lowest level's boxes are the leaves."""
    meta = plan.meta
    title = meta.label("system_figure")
    boxes, arrows = [], []
    column = 0
    if plan.vision:
        rows = len(plan.leaves())
        boxes.append(b.Box("vision", (meta.labels.vision, plan.vision), 0, 0, 2, rows, "plan"))
        column = 2
    row = [0]

    def place(group: model.Group, parent: str | None) -> None:
        gid = group_anchor(group)
        x = column + 2 * group.level
        if group.children:
            leaves = sum(1 for g in _leaves_of(group))
            boxes.append(b.Box(gid, (group.label, group.title), x, row[0], 2, leaves, "local"))
        else:
            gap = "" if group.label[-1:] in model.CLOSING else "　"
            boxes.append(b.Box(gid, (group.title,), x, row[0], 3, 1, "item", label=group.label + gap))
        if parent:
            arrows.append(b.Arrow(parent, gid, "", False))
        if group.children:
            for child in group.children:
                place(child, gid)
        else:
            row[0] += 1

    for top in plan.groups:
        place(top, "vision" if plan.vision else None)
    levels = "・".join(level.name for level in meta.levels)
    alt = f"図{number} {title}。" + (f"{meta.labels.vision}「{plan.vision}」のもとに" if plan.vision else "") + "、".join(
        f"{g.label}「{g.title}」" + (f"（{'、'.join(c.title for c in _leaves_of(g))}）" if g.children else "")
        for g in plan.groups) + f"がある（{levels}）。"
    return b.Figure("figure-system", f"図{number}　{title}", tuple(boxes), tuple(arrows), alt,
                    gap_x=12.0, gap_y=5.0)


def _leaves_of(group: model.Group):
    if not group.children:
        yield group
    for child in group.children:
        yield from _leaves_of(child)


# ---- the system table and the count table ----------------------------------------------------------

def _system_table(plan: model.Plan) -> b.SystemTable:
    meta, display = plan.meta, plan.meta.display
    grid = meta.period.grid
    rows: list = []
    for group in plan.walk():
        rows.append(b.GroupRow(group.level, group.label, group.title,
                               group.description if group.level == 0 else "", group.heading))
        if group.children:
            continue
        for p in plan.projects_in(group):
            if p.closed and not display.show_closed:
                continue
            rows.append(b.ProjectRow(p.number, p.priority, p.name, schedule.bars(p, meta),
                                     schedule.continues(p), card_anchor(p), status_label(p), p.closed))
    return b.SystemTable(schedule.grid_years(meta), grid.names, display.priority_mark,
                         display.continues_mark, grid.beyond_label,
                         (meta.label("number"), meta.labels.priority, meta.label("list_name"),
                          meta.labels.schedule), tuple(rows), depth=len(meta.levels),
                         continued=meta.labels.continued)


def _count_table(plan: model.Plan) -> b.CountTable:
    meta = plan.meta
    counting = {p.number for p in counted(plan)}
    groups = []
    for top in plan.groups:
        rows = []
        shown: set = set()
        for leaf in _leaves_of(top):
            cells = []
            for depth in range(2, len(leaf.path) + 1):
                group = plan.group(leaf.path[:depth])
                cells.append("" if group.path in shown else group.heading)
                shown.add(group.path)
            rows.append(b.CountRow(tuple(cells), sum(1 for p in plan.projects_in(leaf) if p.number in counting)))
        groups.append(b.CountGroup(top.label, tuple(rows), sum(r.count for r in rows)))
    columns = tuple(level.name for level in meta.levels) + (meta.label("count"),)
    return b.CountTable(columns, tuple(groups), meta.labels.subtotal, meta.labels.total,
                        sum(g.subtotal for g in groups))


# ---- cards ---------------------------------------------------------------------------------------------

def card_labels(meta: model.PlanMeta) -> dict[str, str]:
    departments = meta.field("所管課")
    return {"事業番号": meta.label("number"), "事業名": meta.label("name"),
            "所管課": departments.shown if departments else "", "状況": meta.labels.status,
            "続き": meta.labels.continued}


def _card(plan: model.Plan, project: model.Project, heading: b.Heading | None) -> b.Card:
    meta, display = plan.meta, plan.meta.display
    terms = {t.term: t for t in plan.glossary}
    fields: list = []
    for spec in meta.card:
        value = project.values.get(spec.name)
        if spec.kind == "所管課" or (value is None and spec.kind != "工程表"):
            continue
        if spec.kind == "工程表":
            fields.append(_card_schedule(project, spec, meta))
        elif spec.kind == "文章":
            fields.append(b.CardField(spec.shown, blocks(value, plan)))
        elif spec.kind == "短文":
            text = value if isinstance(value, str) else "、".join(value)
            fields.append(b.CardField(spec.shown, (b.Para((b.Span(text),)),)))
        elif spec.kind == "金額":
            fields.append(b.CardField(spec.shown, (money_table(value, spec, meta),)))
        elif spec.kind == "指標":
            fields.append(b.CardField(spec.shown, (indicator_table(value, meta),)))
    status = status_label(project)
    return b.Card(
        anchor=card_anchor(project), number=project.number, name=project.name,
        priority_label=f"【{meta.labels.priority_heading}】" if project.priority else "",
        band=tuple(g.heading for g in plan.ancestry(project)),
        labels=card_labels(meta), departments="、".join(project.departments) if meta.field("所管課") else "",
        fields=tuple(fields),
        notes=tuple(b.Note(t, terms[t].definition) for t in project.terms),
        note_mark=display.note_mark, note_separator=display.note_separator, heading=heading,
        status=f"【{status_label(project, short=False)}】" if status else "",
        status_note=project.status.reason if project.status else "")


def _card_schedule(project: model.Project, spec: model.FieldSpec, meta: model.PlanMeta) -> b.CardSchedule:
    """One column per year of the plan period; entries written for later years go into one last
    column (R8年度～), each under its year when there are several."""
    years = meta.period.years
    yearly = project.schedule.yearly
    heads = [wareki.fy_short_nendo(y) for y in years]
    columns = [tuple(yearly.get(y, ())) for y in years]
    later = sorted(y for y in yearly if y > meta.period.end)
    if later:
        heads.append(f"{wareki.fy_short_nendo(meta.period.end + 1)}～")
        if later == [meta.period.end + 1]:
            columns.append(tuple(yearly[later[0]]))
        else:
            columns.append(tuple(f"（{wareki.fy_short_nendo(y)}）{line}" for y in later for line in yearly[y]))
    return b.CardSchedule(spec.shown, tuple(heads), tuple(columns))


def show_value(value) -> str:
    """A number as printed in a table: 1,200 / 12.5; text as written."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)


def money_table(value: dict, spec: model.FieldSpec, meta: model.PlanMeta) -> b.Table:
    """事業費: one column per fiscal year of the plan period and the total."""
    years = meta.period.years
    head = tuple(b.TableCell((b.Span(wareki.fy_short_nendo(y)),), align="center", head=True) for y in years)
    head += (b.TableCell((b.Span(meta.labels.total),), align="center", head=True),)
    row = tuple(b.TableCell((b.Span(show_value(value[y]) if y in value else "―"),), align="right") for y in years)
    row += (b.TableCell((b.Span(show_value(sum(value.values()))),), align="right"),)
    caption = numbers.fill(meta.labels.money_unit, {"単位": spec.unit or "千円"})
    return b.Table((head,), (row,), tuple(1.0 for _ in head), caption)


KPI_YEAR_COLUMNS = 5  # yearly targets side by side on a card; more are listed in one column


def _indicator_table_listed(indicators: tuple, meta: model.PlanMeta) -> b.Table:
    """成果指標 with targets in more years than fit side by side: each indicator's targets listed,
    a year to a line, in one 目標値 column."""
    labels = meta.labels

    def cell(text: str, align: str = "left", head: bool = False, span: int = 1) -> b.TableCell:
        return b.TableCell((b.Span(text),), span, "center" if head else align, head)

    def dated(entry) -> str:
        return f"{show_value(entry.value)}（{wareki.short_fy(entry.year)}）" if entry else "―"

    head = (cell(labels.kpi_name, head=True), cell(labels.kpi_unit, head=True), cell(labels.kpi_base, head=True),
            cell(labels.kpi_targets, head=True), cell(labels.kpi_final, head=True))
    rows = []
    for kpi in indicators:
        targets = "\n".join(f"{wareki.fy_short_nendo(y)}　{show_value(v)}" for y, v in sorted(kpi.targets.items()))
        rows.append((cell(kpi.name), cell(kpi.unit, "center"), cell(dated(kpi.baseline), "right"),
                     cell(targets or "―", "right"), cell(dated(kpi.final), "right")))
        if kpi.method:
            rows.append((cell(f"{labels.kpi_method}：{kpi.method}", span=len(head)),))
    return b.Table((head,), tuple(rows), (3.2, 1.0, 1.6, 2.0, 1.6))


def indicator_table(indicators: tuple, meta: model.PlanMeta) -> b.Table:
    """成果指標: 指標名, 単位, 基準値 (year), the target of each year any indicator names, 最終目標
    (year); 算出方法 on a row of its own under its indicator."""
    labels = meta.labels
    years = sorted({y for kpi in indicators for y in kpi.targets})
    if len(years) > KPI_YEAR_COLUMNS:  # too many to stand side by side on a card: one column of lines
        return _indicator_table_listed(indicators, meta)
    has_base = any(k.baseline for k in indicators)
    has_final = any(k.final for k in indicators)
    has_unit = any(k.unit for k in indicators)

    def cell(text: str, align: str = "right", head: bool = False, span: int = 1) -> b.TableCell:
        return b.TableCell((b.Span(text),), span, "center" if head else align, head)

    def dated(entry) -> str:
        return f"{show_value(entry.value)}（{wareki.short_fy(entry.year)}）" if entry else "―"

    head = [cell(labels.kpi_name, head=True)] + ([cell(labels.kpi_unit, head=True)] if has_unit else [])
    head += [cell(labels.kpi_base, head=True)] if has_base else []
    head += [cell(wareki.fy_short_nendo(y), head=True) for y in years]
    head += [cell(labels.kpi_final, head=True)] if has_final else []
    weights = [3.2] + ([1.0] if has_unit else []) + ([1.6] if has_base else []) + [1.2] * len(years) + (
        [1.6] if has_final else [])
    rows = []
    for kpi in indicators:
        row = [cell(kpi.name, "left")] + ([cell(kpi.unit, "center")] if has_unit else [])
        row += [cell(dated(kpi.baseline))] if has_base else []
        row += [cell(show_value(kpi.targets[y]) if y in kpi.targets else "―") for y in years]
        row += [cell(dated(kpi.final))] if has_final else []
        rows.append(tuple(row))
        if kpi.method:
            rows.append((cell(f"{labels.kpi_method}：{kpi.method}", "left", span=len(head)),))
    return b.Table((tuple(head),), tuple(rows), tuple(weights))


# ---- back matter -----------------------------------------------------------------------------------

def _glossary(plan: model.Plan) -> b.Glossary:
    labels = plan.meta.labels
    entries = []
    for term in glossary.in_reading_order(plan.glossary):
        cards = tuple((p.number, card_anchor(p)) for p in glossary.cards_using(term.term, plan.projects))
        entries.append(b.GlossaryEntry(term.term, glossary.shown_reading(term), term.definition, cards,
                                       glossary.group_of(term, labels.glossary_latin)))
    return b.Glossary((labels.term, labels.definition, labels.cards), tuple(entries))


def group_list(plan: model.Plan, level_name: str) -> b.ListBlock:
    """The groups of one level, listed plainly (a briefing's 「一覧: 基本方針」)."""
    level = [lv.name for lv in plan.meta.levels].index(level_name)
    return b.ListBlock(False, plain=True, items=tuple(
        b.Para((b.Span(g.heading),)) for g in plan.walk() if g.level == level))


def compose_briefing(plan: model.Plan) -> b.Document | None:
    if plan.briefing is None:
        return None
    meta = plan.meta
    body: list[b.Element] = [b.Heading(1, plan.briefing.title, "briefing", toc=False)]
    for n, section in enumerate(plan.briefing.sections, 1):
        body.append(b.Heading(2, f"{n}. {section.title}", f"briefing-{n}", toc=False))
        for block in section.blocks:
            if block.text is not None:
                body.extend(blocks(block.text, plan))
            if block.generated is not None:
                body.append(group_list(plan, block.generated))
    return b.Document(slug=f"{meta.slug}-briefing", title=plan.briefing.title, author=meta.municipality,
                      subject=meta.title, lang="ja-JP", year=plan.published.year,
                      month=plan.published.month or 1, front=(), body=tuple(body),
                      accent=meta.display.accent_color)


def departments(plan: model.Plan) -> list[str]:
    """Every department that gets a file: each one a project's 所管課 stands for (a collective's
    coordinator, an alias's department), in plan order."""
    seen: dict[str, None] = {}
    for project in plan.projects:
        for name in plan.owners(project):
            seen.setdefault(name, None)
    return list(seen)


def compose_department(plan: model.Plan, department: str, editable: bool = False) -> b.Document:
    """The cards of the projects one department owns, each followed by its 工程 (the phases on the
    schedule grid, which the booklet shows only in the system table).  A project shared by several
    departments is in each of their files; the card says which department edits it (主担当)."""
    meta = plan.meta
    owned = numbers.fill(meta.labels.department_file, {"所管課": department})
    body: list[b.Element] = [b.Heading(1, f"{meta.title}　{owned}", "department", toc=False)]
    wanted = [p for p in plan.projects if department in plan.owners(p)]
    for element in _cards(plan, lambda p: p in wanted):
        if isinstance(element, b.PageBreak):
            continue
        body.append(element)
        if isinstance(element, b.Card):
            project = next(p for p in wanted if card_anchor(p) == element.anchor)
            body.extend(_department_notes(plan, project, department))
    document = b.Document(slug=department, title=f"{meta.title} {owned}", author=meta.municipality,
                          subject=meta.title, lang="ja-JP", year=plan.published.year,
                          month=plan.published.month or 1, front=(), body=tuple(body),
                          accent=meta.display.accent_color)
    if editable:  # the Word file a department edits and sends back (docgen.editfile)
        from .editfile import editable as made_for_editing

        document = made_for_editing(plan, department, document)
    return document


def _department_notes(plan: model.Plan, project: model.Project, department: str) -> list[b.Element]:
    """Under a card in a department file: who edits it, and its 工程 as a table."""
    labels = plan.meta.labels
    out: list[b.Element] = []
    owners = plan.owners(project)
    lead = plan.lead(project)
    if len(owners) > 1:
        others = "、".join(o for o in owners if o != lead)
        if lead == department:
            text = numbers.fill(labels.lead_here, {"関係課": others})
        else:
            text = numbers.fill(labels.lead_elsewhere, {"主担当課": lead})
        out.append(b.Para((b.Span(text),)))
    phases = project.schedule.phases
    if phases:
        grid = plan.meta.period.grid
        rows = tuple(tuple(b.TableCell((b.Span(text),)) for text in (
            phase.label, grid.short(grid.index(phase.start)),
            grid.short(grid.index(phase.end)) if phase.end is not None else "",
            labels.phase_continues if phase.continues else "")) for phase in phases)
        header = tuple(b.TableCell((b.Span(text),), head=True) for text in (
            labels.phase_name, labels.phase_start, labels.phase_end, labels.phase_after))
        out.append(b.Para((b.Span(labels.phases_heading),)))
        out.append(b.Table((header,), rows, (3, 2, 2, 2)))
    return out
