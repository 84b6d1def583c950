"""Checks that span files: the hierarchy and numbering, schedules, card values, glossary use,
cross-references, figure references, drawable text."""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path
from typing import Any

from . import fonts, model, numbers, richtext
from .errors import Problems
from .yamlsrc import Node, Seq


def check_plan(loaded, plan: model.Plan, problems: Problems) -> model.Plan:
    """Checks across files.  Returns the plan with its projects numbered (連番) and in booklet order."""
    meta = plan.meta
    _check_groups(loaded, plan, problems)
    glossary_read = "glossary.yaml" in loaded.sources
    defined = _check_glossary(loaded, plan.glossary, problems)
    definitions = {t.term: t.definition for t in plan.glossary}
    used: set[str] = set()
    seen: dict[str, str] = {}
    numbered: dict[int, model.Project] = {}
    leaf_order = {g.path: i for i, g in enumerate(plan.leaves())}
    for project, node, path in loaded.project_sources:
        line = node.value_line("事業番号")
        stem = Path(path).stem
        if stem != project.number:
            problems.add(path, line, "事業番号", f"ファイル名（{stem}.yaml）と事業番号「{project.number}」が一致しません")
        if project.number in seen:
            problems.add(path, line, "事業番号", f"事業番号「{project.number}」が重複しています（{seen[project.number]} と同じ）")
        else:
            seen[project.number] = path
        groups = _check_place(plan, project, node, path, problems)
        if groups is not None:
            sequence = _check_number(plan, project, groups, line, path, problems)
            numbered[id(project)] = replace(project, sequence=sequence or 0)
        _check_schedule(project, node, path, meta, problems)
        _check_values(project, node, path, meta, problems)
        year = project.status.year if project.status else None
        if year is not None and not meta.period.start <= year <= meta.period.end + 1:
            problems.add(path, node["状況"].value_line("年度"), "状況.年度",
                         f"{year}年度は計画期間（{meta.period.start}～{meta.period.end}年度）の外です")
        elif year is not None and project.kind == "新規":
            _check_new_project_starts(project, node, path, meta, problems)
        # a term must appear on its card: in the text, the names of its groups, or another note
        context = " ".join([project.name, card_text(project), *(g.title for g in (groups or ()))]
                           + [definitions.get(t, "") for t in project.terms])
        for index, term in enumerate(project.terms):
            term_line = node["用語"].item_line(index) if isinstance(node.get("用語"), Seq) else line
            used.add(term)
            if term not in defined:
                if not glossary_read:  # glossary.yaml itself is missing or unreadable: said once, there
                    continue
                problems.add(path, term_line, f"用語[{index + 1}]",
                             f"用語「{term}」が glossary.yaml にありません")
            elif term not in context:
                problems.add(path, term_line, f"用語[{index + 1}]",
                             f"用語「{term}」がこの{meta.word}のカードにも{'・'.join(l.name for l in meta.levels)}の名前にも出てきません")
    if not loaded.invalid_projects:  # a project that failed to load may be the one using a term
        for term, (path, line) in defined.items():
            if term not in used:
                problems.add(path, line, "用語", f"用語「{term}」はどの{meta.word}からも参照されていません")
    projects = sorted((numbered.get(id(p), p) for p in plan.projects),
                      key=lambda p: (leaf_order.get(p.groups, len(leaf_order)), p.sequence, p.number))
    plan = replace(plan, projects=projects)
    _check_refs(loaded, plan, problems)
    if isinstance(meta, model.PlanMeta):  # else plan.yaml is broken and these files were not read
        _check_chapters(loaded, plan, problems)
        _check_figures(loaded, plan, problems)
        _check_briefing(loaded, plan, problems)
    _check_editions(loaded, problems)
    return plan


# ---- the hierarchy and project numbers -----------------------------------------------------------

def _check_groups(loaded, plan: model.Plan, problems: Problems) -> None:
    """Group numbers are unique within their parent and written in ascending order."""
    source = loaded.sources["policies.yaml"]
    levels = plan.meta.levels

    def visit(groups, seq, level: int, field: str) -> None:
        previous = None
        seen = set()
        for index, group in enumerate(groups):
            node = seq[index] if isinstance(seq, Seq) and index < len(seq) else None
            line = node.value_line("番号") if isinstance(node, Node) else source.data.line
            name = f"{field}[{index + 1}].番号"
            if group.number in seen:
                problems.add(source.path, line, name, f"{levels[level].name}の番号 {group.number} が重複しています")
            elif previous is not None and group.number < previous:
                problems.add(source.path, line, name,
                             f"{levels[level].name}は番号の小さい順に並べてください（{previous} の次に {group.number}）")
            seen.add(group.number)
            previous = group.number
            if group.children and isinstance(node, Node):
                child = levels[level + 1].name
                visit(group.children, node.get(child), level + 1, f"{field}[{index + 1}].{child}")

    top = levels[0].name
    visit(plan.groups, source.data.get(top) if isinstance(source.data, Node) else None, 0, top)


def _check_place(plan, project, node, path, problems) -> tuple[model.Group, ...] | None:
    """The groups a project names exist: 基本方針2 → its 項目（1）…"""
    found: list[model.Group] = []
    options = plan.groups
    for level, number in zip(plan.meta.levels, project.groups):
        group = next((g for g in options if g.number == number), None)
        if group is None:
            where = f"{found[-1].label}に" if found else "policies.yaml に"
            choices = "、".join(str(g.number) for g in options)
            label = numbers.render(level.label, {"番号": number})
            named = label if level.name in label else f"{level.name}{label}"
            problems.add(path, node.value_line(level.name), level.name,
                         f"{where}{named}はありません（あるのは {choices}）")
            return None
        found.append(group)
        options = group.children
    return tuple(found)


def number_values(meta: model.PlanMeta, groups: tuple[model.Group, ...]) -> dict[str, int]:
    """The numbers a project's 事業番号 format may use, for a project in ``groups``."""
    values = {}
    for level, group in zip(meta.levels, groups):
        values[level.name] = group.number
        values[f"{level.name}の通し番号"] = group.ordinal
    return values


def number_example(meta: model.PlanMeta, groups: tuple[model.Group, ...]) -> str:
    """How the 事業番号 of a project in ``groups`` is written: 「4-連番」."""
    values = number_values(meta, groups)
    return numbers.PLACEHOLDER.sub(
        lambda m: "連番" if m.group(1) == "連番" else numbers.show(values.get(m.group(1), 0), m.group(2) or ""),
        meta.hierarchy.number)


def _check_number(plan, project, groups, line, path, problems) -> int | None:
    meta = plan.meta
    sequence = numbers.parse(meta.hierarchy.number, project.number, number_values(meta, groups), "連番")
    if sequence is None or sequence < 1:
        where = "".join(g.label for g in groups)
        problems.add(path, line, "事業番号",
                     f"{where}の{meta.word}の番号は「{number_example(meta, groups)}」の形です"
                     f"（書式: {meta.hierarchy.number}、書かれている値: 「{project.number}」）")
    return sequence


# ---- card values -------------------------------------------------------------------------------------

def card_text(project: model.Project) -> str:
    """Every text of a card (for glossary checks and search)."""
    parts = []
    for value in project.values.values():
        if isinstance(value, richtext.RichText):
            parts.append(value.plain())
        elif isinstance(value, str):
            parts.append(value)
        elif isinstance(value, tuple):
            for entry in value:
                parts.append(entry if isinstance(entry, str) else f"{entry.name} {entry.method}")
    parts += [line for lines in project.schedule.yearly.values() for line in lines]
    parts += [phase.label for phase in project.schedule.phases]
    return "\n".join(parts)


def _check_values(project, node, path, meta, problems) -> None:
    """Years of money tables and KPI targets against the plan period."""
    period = meta.period
    for spec in meta.card:
        value = project.values.get(spec.name)
        if value is None:
            continue
        if spec.kind == "金額":
            years = node[spec.name]
            for year in value:
                if not period.start <= year <= period.end:
                    problems.add(path, years.key_line(year) if isinstance(years, Node) else node.line,
                                 f"{spec.name}.{year}",
                                 f"{year}年度は計画期間（{period.start}～{period.end}年度）の外です")
        elif spec.kind == "指標":
            seq = node[spec.name]
            for i, kpi in enumerate(value):
                knode = seq[i] if isinstance(seq, Seq) else node
                field = f"{spec.name}[{i + 1}]"
                if not kpi.targets and kpi.final is None:
                    problems.add(path, knode.line if isinstance(knode, Node) else node.line, field,
                                 "目標値（年度ごと）か最終目標のどちらかを書いてください")
                first = min([*kpi.targets, *([kpi.final.year] if kpi.final else [])], default=None)
                if kpi.baseline and first is not None and kpi.baseline.year > first >= period.start:
                    problems.add(path, knode["基準値"].value_line("年度"), f"{field}.基準値.年度",
                                 f"基準値の年度（{kpi.baseline.year}）が最初の目標の年度（{first}）より後です")
                if kpi.final is not None and kpi.final.year < period.start:
                    problems.add(path, knode["最終目標"].value_line("年度"), f"{field}.最終目標.年度",
                                 f"最終目標の年度（{kpi.final.year}）が計画期間（{period.start}年度～）より前です")
                targets = knode.get("目標値") if isinstance(knode, Node) else None
                for year in kpi.targets:
                    if year > model.YEAR_MAX:
                        problems.add(path, targets.key_line(year) if isinstance(targets, Node) else knode.line,
                                     f"{field}.目標値.{year}", f"{model.YEAR_MAX}年度までにしてください")
                    if year < period.start:
                        problems.add(path, targets.key_line(year) if isinstance(targets, Node) else knode.line,
                                     f"{field}.目標値.{year}",
                                     f"{year}年度は計画期間（{period.start}年度～）より前です")


# ---- the schedule ------------------------------------------------------------------------------------

def _check_schedule(project, node, path, meta, problems) -> None:
    spec = meta.field("工程表")
    if spec is None or spec.name not in project.values:
        return
    grid = meta.period.grid
    sched_node = node.get(spec.name)
    phase_nodes = sched_node.get("工程") if isinstance(sched_node, Node) else None
    example = "」「".join(grid.examples())
    spans = []
    for index, phase in enumerate(project.schedule.phases):
        pnode = phase_nodes[index]
        name = f"{spec.name}.工程[{index + 1}]"
        start = grid.index(phase.start)
        end = grid.index(phase.end) if phase.end is not None else None
        for key, value, idx in (("開始", phase.start, start), ("終了", phase.end, end)):
            if value is None:
                continue
            line = pnode.value_line(key)
            if idx is None:
                problems.add(path, line, f"{name}.{key}",
                             f"「{example}」のように書いてください（書かれている値: 「{value}」）")
            elif idx < 0:
                problems.add(path, line, f"{name}.{key}",
                             f"「{value}」は計画期間（{meta.period.start}～{meta.period.end}年度）より前です")
            elif grid.year_of(idx) > model.YEAR_MAX:
                problems.add(path, line, f"{name}.{key}", f"{model.YEAR_MAX}年度までにしてください（書かれている値: 「{value}」）")
        if start is not None and end is not None and end < start:
            problems.add(path, pnode.value_line("終了"), f"{name}.終了",
                         f"終了「{phase.end}」が開始「{phase.start}」より前です")
        if phase.continues and index != len(project.schedule.phases) - 1:
            problems.add(path, pnode.value_line("計画期間後も継続"), f"{name}.計画期間後も継続",
                         "計画期間後も継続は最後の工程にだけ書けます")
        spans.append((start, end, index, pnode))
    for (s1, e1, i1, _), (s2, _, i2, n2) in zip(spans, spans[1:]):
        if s1 is None or s2 is None:
            continue
        name = f"{spec.name}.工程[{i2 + 1}]"
        if s2 < s1:
            problems.add(path, n2.value_line("開始"), f"{name}.開始", "工程は開始の早い順に並べてください")
        elif s2 == s1 or (e1 is not None and e1 >= s2):
            problems.add(path, n2.value_line("開始"), f"{name}.開始",
                         f"工程[{i1 + 1}]「{project.schedule.phases[i1].label}」と期間が重なっています")
    yearly = sched_node.get("年度別") if isinstance(sched_node, Node) else None
    for year in project.schedule.yearly:
        line = yearly.key_line(year) if isinstance(yearly, Node) else node.line
        if year < meta.period.start:
            problems.add(path, line, f"{spec.name}.年度別.{year}",
                         f"{year}年度は計画期間（{meta.period.start}～{meta.period.end}年度）より前です")
        elif year > model.YEAR_MAX:
            problems.add(path, line, f"{spec.name}.年度別.{year}", f"{model.YEAR_MAX}年度までにしてください")


def _check_new_project_starts(project, node, path, meta, problems) -> None:
    """A 新規 project starts in its status year or later: its schedule cannot begin before it."""
    spec = meta.field("工程表")
    if spec is None or spec.name not in project.values:
        return
    year = project.status.year
    grid = meta.period.grid
    first_cell = grid.first_cell(year)
    reason = f"新規の{meta.word}（状況.年度: {year}）なのに、{year}年度より前に始まっています"
    for index, phase in enumerate(project.schedule.phases):
        start = grid.index(phase.start)
        if start is not None and start < first_cell:
            phase_node = node[spec.name]["工程"][index]
            problems.add(path, phase_node.value_line("開始"), f"{spec.name}.工程[{index + 1}].開始",
                         f"{reason}（開始: {phase.start}）")
            break
    yearly = node[spec.name].get("年度別")
    for listed in project.schedule.yearly:
        if listed < year:
            line = yearly.key_line(listed) if isinstance(yearly, Node) else node.line
            problems.add(path, line, f"{spec.name}.年度別.{listed}", f"{reason}（年度別: {listed}年度）")


# ---- cross-references, chapters, briefing --------------------------------------------------------------

def resolve(plan: model.Plan, target: str) -> model.Project | None:
    """The project a ``[[…]]`` reference names: by 事業番号, else by 事業名."""
    for project in plan.projects:
        if project.number == target:
            return project
    named = [p for p in plan.projects if p.name == target]
    return named[0] if len(named) == 1 else None


def _check_refs(loaded, plan: model.Plan, problems: Problems) -> None:
    numbers_names = [p.number for p in plan.projects] + [p.name for p in plan.projects]
    for path, line, field, target in loaded.refs:
        if resolve(plan, target) is not None:
            continue
        if sum(1 for p in plan.projects if p.name == target) > 1:
            problems.add(path, line, field, f"「{target}」という名前の{plan.meta.word}が複数あります（番号で [[…]] と書いてください）")
            continue
        near = difflib.get_close_matches(target, numbers_names, n=1, cutoff=0.5)
        hint = f"（「{near[0]}」の書き間違いではありませんか）" if near else ""
        problems.add(path, line, field, f"参照 [[{target}]] の{plan.meta.word}がありません{hint}")


def _check_chapters(loaded, plan: model.Plan, problems: Problems) -> None:
    source = loaded.sources.get("chapters.yaml")
    seen: dict[str, int] = {}
    for index, entry in enumerate(loaded.entries.get("chapters.yaml", [])):
        if isinstance(entry, model.Inserted):
            node = source.data[index]
            if entry.chapter in seen:
                problems.add(source.path, node.value_line("差し込み"), f"[{index + 1}].差し込み",
                             f"「{entry.chapter}」の差し込みは1回だけ書けます（{seen[entry.chapter]}番目と同じ）")
            seen[entry.chapter] = index + 1


def _check_briefing(loaded, plan: model.Plan, problems: Problems) -> None:
    source = loaded.sources.get("briefing.yaml")
    if plan.briefing is None or source is None:
        return
    names = [level.name for level in plan.meta.levels]
    for i, section in enumerate(plan.briefing.sections):
        for j, block in enumerate(section.blocks):
            if block.generated is not None and block.generated not in names:
                node = source.data["節"][i]["内容"][j]
                problems.add(source.path, node.value_line("一覧"), f"節[{i + 1}].内容[{j + 1}].一覧",
                             f"一覧にできるのは {'、'.join(names)} です（書かれている値: 「{block.generated}」）")


def _check_editions(loaded, problems) -> None:
    """改訂履歴 lists the editions oldest first, and 現在の版 is the newest: no date twice, none out of order."""
    source = loaded.sources.get("editions.yaml")
    if source is None or not isinstance(source.data, Node):
        return
    entries = []
    history = source.data.get("改訂履歴")
    if isinstance(history, Seq):
        entries += [(f"改訂履歴[{i + 1}]", entry) for i, entry in enumerate(history)]
    entries.append(("現在の版", source.data.get("現在の版")))
    dated = []
    for name, entry in entries:
        date = entry.get("発行") if isinstance(entry, Node) else None
        if not isinstance(date, Node) or not _is_int(date.get("年")) or not _is_int(date.get("月"), True):
            continue
        dated.append((name, entry.get("版名", name), (date["年"], date.get("月") or 0), date))
    for (_, before_label, before, _), (name, label, when, date) in zip(dated, dated[1:]):
        line = date.value_line("月") if when[0] == before[0] and "月" in date else date.value_line("年")
        if when == before:
            problems.add(source.path, line, f"{name}.発行",
                         f"「{label}」の発行年月が前の版「{before_label}」と同じです（版ごとに発行年月を変えてください）")
        elif when < before:
            problems.add(source.path, line, f"{name}.発行",
                         f"「{label}」の発行年月が前の版「{before_label}」より前です（改訂履歴は古い順に並べ、"
                         "現在の版は最も新しい版にしてください）")


def _is_int(value, optional: bool = False) -> bool:
    return (value is None and optional) or (isinstance(value, int) and not isinstance(value, bool))


def _check_glossary(loaded, glossary, problems) -> dict[str, tuple[str, int]]:
    source = loaded.sources.get("glossary.yaml")
    defined: dict[str, tuple[str, int]] = {}
    if source is None or not isinstance(source.data, Seq):
        return defined
    for index, entry in enumerate(source.data):
        if not isinstance(entry, Node) or not isinstance(entry.get("用語"), str):
            continue
        term, line = entry["用語"], entry.value_line("用語")
        if term in defined:
            problems.add(source.path, line, f"[{index + 1}].用語",
                         f"用語「{term}」が2回定義されています（{defined[term][1]}行目）")
        else:
            defined[term] = (source.path, line)
    return defined


OWN_KINDS = ("自治体", "市", "町", "村", "区")
OUTER_KINDS = ("国", "都道府県", "都", "道", "府", "県")


def box_kind(kind: str, meta: model.PlanMeta) -> str | None:
    """A figure box's 種類 as the booklet draws it: plan, local (the municipality itself or one like
    it), outer (国, 都道府県); None when the word is not one of these."""
    if kind == "本計画":
        return "plan"
    if kind in OWN_KINDS or kind == meta.municipality_kind:
        return "local"
    if kind in OUTER_KINDS:
        return "outer"
    return None


def _check_figures(loaded, plan: model.Plan, problems) -> None:
    ids = {f.id for f in plan.figures}
    chapters_src = loaded.sources.get("chapters.yaml")
    for index, chapter in enumerate(loaded.entries.get("chapters.yaml", [])):
        if not isinstance(chapter, model.Chapter):
            continue
        node = chapters_src.data[index]
        for j, ref in enumerate(chapter.figures):
            if ref in chapter.figures[:j]:
                problems.add(chapters_src.path, node["図"].item_line(j), f"[{index + 1}].図[{j + 1}]",
                             f"図「{ref}」はこの章にもう載せています（1つの図は1回だけ書けます）")
            elif ref not in ids:
                problems.add(chapters_src.path, node["図"].item_line(j), f"[{index + 1}].図[{j + 1}]",
                             f"図「{ref}」が figures.yaml にありません")
    figures_src = loaded.sources.get("figures.yaml")
    kinds = ["本計画", "自治体", plan.meta.municipality_kind, "国", "都道府県"]
    for index, figure in enumerate(loaded.entries.get("figures.yaml", [])):
        if figure is None:  # invalid: already reported, and its index still counts
            continue
        node = figures_src.data[index]
        boxes = {b.id for b in figure.boxes}
        for j, box in enumerate(figure.boxes):
            for start, size, key, limit in ((box.column, box.width, "幅", model.FIGURE_COLUMNS),
                                            (box.row, box.height, "高さ", model.FIGURE_ROWS)):
                if start + size > limit:
                    where = "列" if key == "幅" else "行"
                    problems.add(figures_src.path, node["要素"][j].value_line(key), f"[{index + 1}].要素[{j + 1}].{key}",
                                 f"図の{where}は{limit}までです（{where} {start} から{key} {size} では {start + size} まで）")
            if box_kind(box.kind, plan.meta) is None:
                problems.add(figures_src.path, node["要素"][j].value_line("種類"), f"[{index + 1}].要素[{j + 1}].種類",
                             "".join(f"「{k}」" for k in dict.fromkeys(kinds)) + f"のどれかにしてください（書かれている値: 「{box.kind}」）")
        for j, rel in enumerate(figure.relations):
            rnode = node["関係"][j]
            for key, ref in (("から", rel.source), ("へ", rel.target)):
                if ref not in boxes:
                    problems.add(figures_src.path, rnode.value_line(key), f"[{index + 1}].関係[{j + 1}].{key}",
                                 f"要素「{ref}」がこの図にありません")


# ---- characters the fonts cannot draw ----------------------------------------------------------

def drawable() -> frozenset[int] | None:
    """Code points every configured font can draw; None when fonts are missing.  The proportional
    Latin faces are left out: they set only Latin letters, which every face has."""
    try:
        paths = fonts.require()
    except fonts.FontsMissing:
        return None
    sets = [fonts.coverage(p) for role, p in paths.items() if not role.endswith("-latin")]
    return frozenset.intersection(*sets)


def check_characters(data: Any, path: str, problems: Problems, cover: frozenset[int],
                     field: str = "", line: int = 1, literal: bool = True) -> None:
    """Report every character of ``data`` (read by yamlsrc, or what an expression gave) the fonts lack.
    ``literal``: a line of the text is a line of the file (see :meth:`Node.lines_kept`)."""
    if isinstance(data, str):
        _check_text(data, path, line, field, problems, cover, literal)
    elif isinstance(data, Node):
        for key, value in data.items():
            name = f"{field}.{key}" if field else str(key)
            _check_text(str(key), path, data.key_line(key), name, problems, cover)
            if isinstance(value, str):
                _check_text(value, path, data.text_line(key), name, problems, cover, data.lines_kept(key))
            else:
                check_characters(value, path, problems, cover, name, data.value_line(key))
    elif isinstance(data, Seq):
        for index, value in enumerate(data):
            name = f"{field}[{index + 1}]"
            if isinstance(value, str):
                _check_text(value, path, data.item_line(index), name, problems, cover, data.lines_kept(index))
            else:
                check_characters(value, path, problems, cover, name, data.item_line(index))


def _check_text(text, path, line, name, problems, cover, literal=True) -> None:
    for offset, row in enumerate(text.split("\n")):
        for ch in row:
            if ord(ch) not in cover and ch not in "\t\r":
                problems.add(path, line + (offset if literal else 0), name,
                             f"「{ch}」（U+{ord(ch):04X}）は書体にない文字で印刷できません")
