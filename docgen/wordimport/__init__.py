"""``docgen import``: the edits departments made in their Word files, taken back into content/.

The same pipeline backwards: Word file → fields (:mod:`.read`) → a three-way merge per field against
today's YAML → YAML edits in place (:mod:`docgen.yamledit`) → the same loading and checks as
``docgen check`` → the 新旧対照表 of what changed.

The merge, per field, with O the field's original kept in the file, W the text in Word and Y today's
YAML (each compared after the normalisation of :mod:`.normalize`):

* W = O and Y = O: nothing to do;
* W = O, Y ≠ O: only the YAML changed since the file was made — kept, and the file is reported stale;
* W ≠ O, Y = O (or Y = W): the department's edit — applied;
* W ≠ O, Y ≠ O, Y ≠ W: both changed — a conflict, both texts shown.

Two files that change the same field differently are a conflict naming both departments.  Any
problem in any file, any conflict, or a changed plan that fails a check: nothing is written.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import fieldtext, model, richtext
from ..errors import ContentError
from ..load import load
from ..yamledit import EditError, Literal, set_value
from . import normalize
from .package import ImportProblem
from .read import Returned, read

CONTINUES = {"継続", "○", "〇", "◯", "はい", "する", "true", "True", "TRUE", "yes"}


@dataclass
class Change:
    project: str
    key: str
    label: str
    kind: str  # 文章 / 短文 / 年度別 / 工程
    value: object  # what the YAML gets (None: the key goes)
    text: str  # canonical text of the new value
    department: str
    file: str


@dataclass
class Report:
    changes: list[Change] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # stop: nothing written
    conflicts: list[str] = field(default_factory=list)  # stop: nothing written
    stale: list[str] = field(default_factory=list)  # said, not stopping
    notes: list[str] = field(default_factory=list)  # review notes (accepted comments)
    written: list[Path] = field(default_factory=list)  # YAML files changed
    comparison_files: list[Path] = field(default_factory=list)

    @property
    def stopped(self) -> bool:
        return bool(self.problems or self.conflicts)

    def summary(self) -> str:
        lines: list[str] = []
        for title, items in (("取り込めません", self.problems), ("競合（両方で変更）", self.conflicts),
                             ("古いファイル（内容の方が新しい項目）", self.stale), ("コメント", self.notes)):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        if self.stopped:
            lines.append("何も書き込んでいません。")
            return "\n".join(lines)
        if not self.changes:
            lines.append("変更はありません（内容のファイルはそのままです）。")
            return "\n".join(lines)
        by_project: dict[str, list[str]] = {}
        for change in self.changes:
            by_project.setdefault(change.project, []).append(_short(change.key))
        for project, keys in by_project.items():
            lines.append(f"変更 {project}: {', '.join(keys)}")
        return "\n".join(lines)


def _short(key: str) -> str:
    parts = key.split("/")
    if len(parts) == 3:
        return f"{parts[1]} {parts[2]}"
    return parts[-1]


def import_files(paths: list[str | Path], content: str | Path = "content", *, dry_run: bool = False,
                 accept_revisions: bool = False, output: str | Path = "output") -> Report:
    """Take the edits of ``paths`` back into ``content``.  Raises ContentError when today's content
    does not load (it must pass ``docgen check`` first)."""
    content = Path(content)
    plan = load(content)
    report = Report()
    current = {(p.number, f.key): f for p in plan.projects for f in fieldtext.fields(plan, p)}
    proposals: dict[tuple[str, str], list[tuple[Returned, Change]]] = {}
    for path in paths:
        try:
            returned = read(path, accept_revisions)
        except ImportProblem as exc:
            report.problems.append(str(exc))
            continue
        name = Path(path).name
        if returned.plan != plan.meta.slug:
            report.problems.append(f"{name}: 別の計画（{returned.plan}）のファイルです。この計画（{plan.meta.slug}）"
                                   "には取り込めません")
            continue
        report.problems += [f"{name}: {m}" for m in returned.problems]
        report.problems += [f"{name}: {m}（変更履歴とコメントは、Word ですべて承諾・削除してから送ってもらうか、"
                            "--accept-revisions を付けて取り込んでください）" for m in returned.revisions]
        report.notes += [f"{name}: {m}" for m in returned.comments]
        for slot_id, original in returned.originals.items():
            if slot_id not in returned.texts:
                continue
            _merge(plan, current, returned, slot_id, name, report, proposals)
    for (project, key), offers in proposals.items():
        texts = {change.text for _, change in offers}
        if len(texts) > 1:
            names = "・".join(dict.fromkeys(r.department or Path(r.path).name for r, _ in offers))
            label = offers[0][1].label
            report.conflicts.append(f"{project} {label}: {names} が別々に変更しています（"
                                    + " ／ ".join(f"{r.department}: 「{_clip(c.text)}」" for r, c in offers) + "）")
            continue
        report.changes.append(offers[0][1])
    if report.stopped or not report.changes:
        return report
    _write(plan, content, report, dry_run, output)
    return report


def _clip(text: str, n: int = 60) -> str:
    text = text.replace("\n", "／").replace("\t", " ")
    return text if len(text) <= n else text[:n] + "…"


# ---- the merge --------------------------------------------------------------------------------------

def _merge(plan: model.Plan, current: dict, returned: Returned, slot_id: str, name: str, report: Report,
           proposals: dict) -> None:
    original = returned.originals[slot_id]
    where = f"{original.project} {original.label}"
    now = current.get((original.project, original.key))
    if now is None:
        report.problems.append(f"{name}: {where}: この事業か項目が今の内容にありません（事業番号や項目名が"
                               "変わったか、事業が削除されました）")
        return
    read_back = returned.texts[slot_id]
    if original.kind != fieldtext.PHASES:
        read_back = _unchanged_lines_as_written(read_back, original.text)
    try:
        word_value, word_text = _value(plan, original.kind, read_back)
    except ValueError as exc:
        report.problems.append(f"{name}: {where}: {exc}")
        return
    o, w, y = (_same_form(original.kind, t) for t in (original.text, word_text, now.text))
    if w == o:
        if y != o:
            report.stale.append(f"{name}: {where} はファイルを作った後に内容の方が変わっています（ファイルの"
                                "変更はないので、内容のままにします）")
        return
    if y not in (o, w):
        report.conflicts.append(f"{name}: {where}: ファイルを作った後に内容の方も変わっています。"
                                f"Word: 「{_clip(word_text)}」 ／ 今の内容: 「{_clip(now.text)}」")
        return
    if y == w:
        return
    change = Change(original.project, original.key, original.label, original.kind, word_value, word_text,
                    returned.department, name)
    proposals.setdefault((original.project, original.key), []).append((returned, change))


def _unchanged_lines_as_written(text: str, original: str) -> str:
    """Lines of the Word text that say what a line of the original says are written back as the
    original wrote them: the reading normalises text (no space between Japanese and Latin …), and a
    line the clerk did not touch must not change with it (目標16 平和 stays)."""
    def key(line: str) -> str:
        return normalize.line(line)

    written: dict[str, str] = {}
    for line in original.split("\n"):
        written.setdefault(key(line), line)
    return "\n".join(written.get(key(line), line) for line in text.split("\n"))


def _same_form(kind: str, text: str):
    """A form in which two texts of a field compare equal when they say the same."""
    if kind == "文章":
        lines = "\n".join(normalize.line(line) for line in text.split("\n"))
        parsed, _ = richtext.parse(lines)
        return parsed
    if kind == fieldtext.PHASES:
        return tuple(tuple(normalize.line(c) for c in line.split("\t")) for line in text.split("\n") if line.strip())
    return tuple(normalize.line(line) for line in text.split("\n") if line.strip())


def _value(plan: model.Plan, kind: str, text: str):
    """What the YAML gets for a field's text read from Word, and its canonical text."""
    if kind == "文章":
        parsed, found = richtext.parse(text)
        if found:
            raise ValueError("書けない書式です: " + "、".join(dict.fromkeys(m for _, m in found)))
        markdown = fieldtext.to_markdown(parsed)
        return (Literal(markdown) if markdown else None), markdown
    if kind == fieldtext.PHASES:
        grid = plan.meta.period.grid
        phases, lines = [], []
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            name, start, end, cont = (line.split("\t") + ["", "", "", ""])[:4]
            if not name:
                raise ValueError(f"工程の{number}行目に名称がありません")
            start_w = grid.written_of(start)
            if start_w is None:
                raise ValueError(f"工程の{number}行目「{name}」の開始「{start}」が読めません（{grid.examples()[0]} や "
                                 f"{grid.short(0)} のように書いてください）")
            phase: dict = {"名称": name, "開始": int(start_w) if grid.unit == "年度" else start_w}
            if end.strip():
                end_w = grid.written_of(end)
                if end_w is None:
                    raise ValueError(f"工程の{number}行目「{name}」の終了「{end}」が読めません")
                phase["終了"] = int(end_w) if grid.unit == "年度" else end_w
            if cont.strip() in CONTINUES:
                phase["計画期間後も継続"] = True
            elif cont.strip():
                raise ValueError(f"工程の{number}行目「{name}」の計画期間後「{cont}」は「継続」か空欄にしてください")
            phases.append(phase)
            lines.append("\t".join((name, str(phase["開始"]), str(phase.get("終了", "")),
                                    "継続" if phase.get("計画期間後も継続") else "")))
        return phases, "\n".join(lines)
    lines = [line for line in text.split("\n") if line.strip()]
    if kind == fieldtext.YEARLY:
        return (lines or None), "\n".join(lines)
    return ((lines[0] if len(lines) == 1 else lines) if lines else None), "\n".join(lines)


# ---- writing ----------------------------------------------------------------------------------------

def _yaml_path(change: Change) -> tuple:
    parts = change.key.split("/")
    if len(parts) == 3:
        return (parts[0], parts[1], int(parts[2]))
    return tuple(parts)


def _project_file(content: Path, number: str) -> Path:
    for ext in (".yaml", ".yml"):
        path = content / "projects" / f"{number}{ext}"
        if path.is_file():
            return path
    raise FileNotFoundError(number)


def _write(plan: model.Plan, content: Path, report: Report, dry_run: bool, output) -> None:
    texts: dict[Path, str] = {}
    for change in report.changes:
        path = _project_file(content, change.project)
        text = texts.get(path) if path in texts else path.read_text(encoding="utf-8")
        try:
            texts[path] = set_value(text, _yaml_path(change), change.value)
        except EditError as exc:
            report.problems.append(f"{path.name}: {change.label}: {exc}")
    if report.problems:
        return
    # the changed plan must pass every check: it is loaded from a copy first
    with tempfile.TemporaryDirectory(prefix="docgen-import-") as tmp:
        trial = Path(tmp) / "content"
        shutil.copytree(content, trial, symlinks=False)
        for path, text in texts.items():
            (trial / path.relative_to(content)).write_text(text, encoding="utf-8")
        try:
            after = load(trial, display=str(content))
        except ContentError as exc:
            report.problems += [f"取り込んだ後の内容が確認を通りません: {p}" for p in exc.problems]
            return
    check = {(p.number, f.key): f.text for p in after.projects for f in fieldtext.fields(after, p)}
    for change in report.changes:
        got = check.get((change.project, change.key), "")
        if _same_form(change.kind, got) != _same_form(change.kind, change.text):
            report.problems.append(f"{change.project} {change.label}: 書き込んだ値を読み直すと違う値になります"
                                   f"（「{_clip(change.text)}」→「{_clip(got)}」）。取り込めません")
    if report.problems or dry_run:
        return
    for path, text in texts.items():
        tmp = path.with_name(f".{path.name}.import-tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
        report.written.append(path)
    from ..editions import publish_comparison
    from ..revision import compare

    comparison = compare(plan, after, "取り込み前", "取り込み後")
    if not comparison.empty:
        report.comparison_files = publish_comparison(comparison, output)

