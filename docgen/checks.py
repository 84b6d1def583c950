"""Checks that span files: numbering, schedules, glossary use, figure references, drawable text."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from . import fonts, model
from .errors import Problems
from .yamlsrc import Node, Seq


def item_codes(policies: list[model.Policy]) -> dict[tuple[int, int], int]:
    """(基本方針, 項目) → the 項目's sequence number across the plan, the first part of 事業番号."""
    codes, n = {}, 0
    for policy in policies:
        for item in policy.items:
            n += 1
            codes[(policy.number, item.number)] = n
    return codes


def check_plan(loaded, meta, pol, projects, glossary, chapters, figures, problems: Problems) -> None:
    policies_path = loaded.sources["policies.yaml"].path
    _check_policy_numbers(pol, loaded.sources["policies.yaml"].data, policies_path, problems)
    codes = item_codes(pol.policies)
    titles = {p.number: p.title for p in pol.policies}
    item_titles = {(p.number, i.number): i.title for p in pol.policies for i in p.items}
    defined = _check_glossary(loaded, glossary, problems)
    glossary_read = "glossary.yaml" in loaded.sources
    definitions = {t.term: t.definition for t in glossary}
    used: set[str] = set()
    seen: dict[str, str] = {}
    for project, node, path in loaded.project_sources:
        line = node.value_line("事業番号")
        stem = Path(path).stem
        if stem != project.number:
            problems.add(path, line, "事業番号", f"ファイル名（{stem}.yaml）と事業番号「{project.number}」が一致しません")
        if project.number in seen:
            problems.add(path, line, "事業番号", f"事業番号「{project.number}」が重複しています（{seen[project.number]} と同じ）")
        else:
            seen[project.number] = path
        if project.policy not in titles:
            problems.add(path, node.value_line("基本方針"), "基本方針",
                         f"基本方針{project.policy}は policies.yaml にありません（1～{len(titles)}）")
        elif (project.policy, project.item) not in codes:
            problems.add(path, node.value_line("項目"), "項目",
                         f"基本方針{project.policy}に項目（{project.item}）はありません")
        else:
            code = codes[(project.policy, project.item)]
            if project.key[0] != code:
                problems.add(path, line, "事業番号",
                             f"基本方針{project.policy}（{project.item}）の事業は「{code}-連番」です"
                             f"（書かれている値: 「{project.number}」）")
        if meta is not None:  # the grid needs the plan period
            _check_schedule(project, node, path, meta, problems)
            year = project.status.year if project.status else None
            if year is not None and not meta.period.start <= year <= meta.period.end + 1:
                problems.add(path, node["状況"].value_line("年度"), "状況.年度",
                             f"{year}年度は計画期間（{meta.period.start}～{meta.period.end}年度）の外です")
            elif year is not None and project.kind == "新規":
                _check_new_project_starts(project, node, path, meta, problems)
        # a term must appear on its card: in the text, the 基本方針/項目 names, or another note
        context = " ".join([project.name, _card_text(project), titles.get(project.policy, ""),
                            item_titles.get((project.policy, project.item), "")]
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
                             f"用語「{term}」がこの事業のカードにも基本方針・項目名にも出てきません")
    for term, (path, line) in defined.items():
        if term not in used:
            problems.add(path, line, "用語", f"用語「{term}」はどの事業からも参照されていません")
    _check_figures(loaded, chapters, figures, problems)
    _check_editions(loaded, problems)


def _check_policy_numbers(pol, data, path, problems) -> None:
    seen = set()
    for index, policy in enumerate(pol.policies):
        node = data["基本方針"][index]
        if policy.number in seen:
            problems.add(path, node.value_line("番号"), f"基本方針[{index + 1}].番号",
                         f"基本方針の番号 {policy.number} が重複しています")
        seen.add(policy.number)
        items = set()
        for j, item in enumerate(policy.items):
            if item.number in items:
                problems.add(path, node["項目"][j].value_line("番号"), f"基本方針[{index + 1}].項目[{j + 1}].番号",
                             f"項目の番号 {item.number} が重複しています")
            items.add(item.number)


def _card_text(project: model.Project) -> str:
    parts = [project.issues.plain(), project.actions.plain(), project.effects.plain(),
             project.targets.plain()]
    parts += [line for lines in project.schedule.yearly.values() for line in lines]
    parts += [phase.label for phase in project.schedule.phases]
    return "\n".join(parts)


def half_index(text: str, meta: model.PlanMeta) -> int | None:
    """Index of a half on the plan's grid (0 = first half of the first year), None if malformed."""
    first, second = meta.display.halves
    match = re.fullmatch(rf"(\d{{4}})({re.escape(first)}|{re.escape(second)})", text)
    if not match:
        return None
    return (int(match.group(1)) - meta.period.start) * 2 + (0 if match.group(2) == first else 1)


def _check_schedule(project, node, path, meta, problems) -> None:
    sched_node = node.get("実施工程表")
    phase_nodes = sched_node.get("工程") if isinstance(sched_node, Node) else None
    last_half = (meta.period.end - meta.period.start) * 2 + 1
    first, second = meta.display.halves
    spans = []
    for index, phase in enumerate(project.schedule.phases):
        pnode = phase_nodes[index]
        name = f"実施工程表.工程[{index + 1}]"
        start = half_index(phase.start, meta)
        end = half_index(phase.end, meta) if phase.end else None
        for key, value, idx in (("開始", phase.start, start), ("終了", phase.end, end)):
            if value is None:
                continue
            line = pnode.value_line(key)
            if idx is None:
                problems.add(path, line, f"{name}.{key}",
                             f"「2023{first}」「2023{second}」のように書いてください（書かれている値: 「{value}」）")
            elif not 0 <= idx <= last_half:
                problems.add(path, line, f"{name}.{key}",
                             f"「{value}」は計画期間（{meta.period.start}～{meta.period.end}年度）の外です")
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
        name = f"実施工程表.工程[{i2 + 1}]"
        if s2 < s1:
            problems.add(path, n2.value_line("開始"), f"{name}.開始", "工程は開始の早い順に並べてください")
        elif s2 == s1 or (e1 is not None and e1 >= s2):
            problems.add(path, n2.value_line("開始"), f"{name}.開始",
                         f"工程[{i1 + 1}]「{project.schedule.phases[i1].label}」と期間が重なっています")
    yearly = sched_node.get("年度別") if isinstance(sched_node, Node) else None
    for year in project.schedule.yearly:
        if not meta.period.start <= year <= meta.period.end:
            line = yearly.key_line(year) if isinstance(yearly, Node) else node.line
            problems.add(path, line, f"実施工程表.年度別.{year}",
                         f"{year}年度は計画期間（{meta.period.start}～{meta.period.end}年度）の外です")


def _check_new_project_starts(project, node, path, meta, problems) -> None:
    """A 新規 project starts in its status year or later: its schedule cannot begin before it."""
    year = project.status.year
    first_half = (year - meta.period.start) * 2
    reason = f"新規の事業（状況.年度: {year}）なのに、{year}年度より前に始まっています"
    for index, phase in enumerate(project.schedule.phases):
        start = half_index(phase.start, meta)
        if start is not None and start < first_half:
            phase_node = node["実施工程表"]["工程"][index]
            problems.add(path, phase_node.value_line("開始"), f"実施工程表.工程[{index + 1}].開始",
                         f"{reason}（開始: {phase.start}）")
            break
    yearly = node["実施工程表"].get("年度別")
    for listed in project.schedule.yearly:
        if listed < year:
            line = yearly.key_line(listed) if isinstance(yearly, Node) else node.line
            problems.add(path, line, f"実施工程表.年度別.{listed}", f"{reason}（年度別: {listed}年度）")


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


def _check_figures(loaded, chapters, figures, problems) -> None:
    ids = {f.id for f in figures}
    chapters_src = loaded.sources.get("chapters.yaml")
    if chapters_src is not None:
        for index, chapter in enumerate(chapters):
            node = chapters_src.data[index]
            for j, ref in enumerate(chapter.figures):
                if ref not in ids:
                    problems.add(chapters_src.path, node["図"].item_line(j), f"[{index + 1}].図[{j + 1}]",
                                 f"図「{ref}」が figures.yaml にありません")
    figures_src = loaded.sources.get("figures.yaml")
    for index, figure in enumerate(figures):
        node = figures_src.data[index]
        boxes = {b.id for b in figure.boxes}
        for j, rel in enumerate(figure.relations):
            rnode = node["関係"][j]
            for key, ref in (("から", rel.source), ("へ", rel.target)):
                if ref not in boxes:
                    problems.add(figures_src.path, rnode.value_line(key), f"[{index + 1}].関係[{j + 1}].{key}",
                                 f"要素「{ref}」がこの図にありません")


# ---- characters the fonts cannot draw ----------------------------------------------------------

def drawable() -> frozenset[int] | None:
    """Code points every configured font can draw; None when fonts are missing."""
    try:
        paths = fonts.require()
    except fonts.FontsMissing:
        return None
    sets = [fonts.coverage(p) for p in paths.values()]
    return frozenset.intersection(*sets)


def check_characters(data: Any, path: str, problems: Problems, cover: frozenset[int],
                     field: str = "", line: int = 1) -> None:
    """Report every character of ``data`` (read by yamlsrc, before any conversion) the fonts lack."""
    if isinstance(data, Node):
        for key, value in data.items():
            name = f"{field}.{key}" if field else str(key)
            _check_text(str(key), path, data.key_line(key), name, problems, cover)
            if isinstance(value, str):
                _check_text(value, path, data.text_line(key), name, problems, cover)
            else:
                check_characters(value, path, problems, cover, name, data.value_line(key))
    elif isinstance(data, Seq):
        for index, value in enumerate(data):
            name = f"{field}[{index + 1}]"
            if isinstance(value, str):
                _check_text(value, path, data.item_line(index), name, problems, cover)
            else:
                check_characters(value, path, problems, cover, name, data.item_line(index))


def _check_text(text, path, line, name, problems, cover) -> None:
    for offset, row in enumerate(text.split("\n")):
        for ch in row:
            if ord(ch) not in cover and ch not in "\t\r":
                problems.add(path, line + offset, name,
                             f"「{ch}」（U+{ord(ch):04X}）は書体にない文字で印刷できません")
