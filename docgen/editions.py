"""Revised editions: ``docgen diff`` (新旧対照表) and ``docgen new-edition``."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

import yaml

from . import publish, wareki
from .build import safe_file_name
from .errors import Problems
from .load import load
from .revision import Comparison, compare
from .yamlsrc import load_yaml


class RevisionError(Exception):
    """An edition could not be read or started (message in Japanese)."""


@contextmanager
def content_at(source: str, content: str = "content"):
    """A content folder: ``source`` itself when it is a folder, else ``content`` at git revision ``source``.

    Yields the folder and a short name of the edition (the folder's name, or the revision)."""
    if Path(source).is_dir():
        yield Path(source), Path(source).resolve().name, None
        return
    top, prefix = _repository(source)
    commit = _commit(top, source)
    rel = _content_path(top, prefix, commit, source, content)
    data = _git(top, "archive", "--format=tar", commit, "--", *([] if rel == "." else [rel])).stdout
    display = f"{source}:{rel}"  # where staff find the file: HEAD~1:content/projects/4-10.yaml
    tmp = Path(tempfile.mkdtemp(prefix="docgen-rev-"))
    try:
        _extract(data, tmp, display, rel)
        yield tmp / rel, source, display
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _extract(data: bytes, target: Path, display: str, rel: str) -> None:
    """Regular files and folders of a revision; a committed link (symbolic or hard) is reported at
    its place in the revision, never followed."""
    problems = Problems()
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        members = []
        for member in archive.getmembers():
            if member.isfile() or member.isdir():
                members.append(member)
                continue
            name = member.name[len(rel) + 1:] if rel != "." and member.name.startswith(rel + "/") else member.name
            problems.add(f"{display}/{name}", 1, "(ファイル)",
                         "リンク（シンボリックリンクなど）は読めません。ファイルそのものを置いてください")
        archive.extractall(target, members=members, filter="data")
    problems.raise_if_any()


def _git(cwd: str | None, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], cwd=cwd, check=check, capture_output=True)
    except FileNotFoundError as exc:
        raise RevisionError("git が見つかりません。git の版を比べるには git を入れてください"
                            "（内容のフォルダどうしなら git なしで比べられます）") from exc
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode("utf-8", "replace").strip()
        raise RevisionError(f"git を実行できませんでした（{detail or exc}）") from exc


def _repository(source: str) -> tuple[str, str]:
    """The top folder of the git repository around the current folder, and the way down from it to here."""
    found = _git(None, "rev-parse", "--show-toplevel", "--show-prefix", check=False)
    if found.returncode != 0:
        raise RevisionError(f"「{source}」という内容のフォルダはありません（ここは git のリポジトリの中でもないため、"
                            "git の版としても読めません）")
    lines = found.stdout.decode("utf-8").splitlines()
    return lines[0], lines[1] if len(lines) > 1 else ""


def _commit(top: str, source: str) -> str:
    found = None
    if not source.startswith("-"):
        found = _git(top, "rev-parse", "--verify", "--quiet", f"{source}^{{commit}}", check=False)
    if found is None or found.returncode != 0:
        raise RevisionError(f"「{source}」は内容のフォルダでも git の版でもありません"
                            "（git の版は HEAD、HEAD~1、タグ名、コミットの番号などで指定します）")
    return found.stdout.decode("ascii").strip()


def _content_path(top: str, prefix: str, commit: str, source: str, content: str) -> str:
    """The content folder as a path from the repository top: relative to the current folder first,
    then to the repository top (so that ``docgen diff HEAD~1 HEAD`` works from inside content/)."""
    if os.path.isabs(content):
        candidates = [os.path.relpath(os.path.realpath(content), os.path.realpath(top))]
    else:
        candidates = [os.path.normpath(os.path.join(prefix, content)), os.path.normpath(content)]
    for rel in dict.fromkeys(candidates):
        if rel.startswith(".."):
            continue
        kind = _git(top, "cat-file", "-t", f"{commit}:{'' if rel == '.' else rel}", check=False)
        if kind.returncode == 0 and kind.stdout.strip() == b"tree":
            return rel
    where = "".join(f"「{c}」" for c in dict.fromkeys(candidates))
    raise RevisionError(f"git の版「{source}」に内容のフォルダがありません（リポジトリの中で{where}を探しました。"
                        "別の場所なら --content で指定してください）")


def _label(plan) -> str:
    if plan.editions:
        return plan.editions.current.label
    return f"{wareki.dated(plan.published.year, plan.published.month)}{'案' if plan.meta.status == '案' else '策定'}"


def _labels(before, after, old_name: str, new_name: str) -> tuple[str, str]:
    """Column headers of the two editions; the folder or revision is added when the labels are alike."""
    old, new = _label(before), _label(after)
    if old == new:
        old, new = f"{old}（{old_name}）", f"{new}（{new_name}）"
    return old, new


def diff(old: str, new: str, output: str | Path, formats=("pdf", "docx"),
         content: str = "content") -> tuple[Comparison, list[Path]]:
    with content_at(old, content) as (old_dir, old_name, old_display), \
            content_at(new, content) as (new_dir, new_name, new_display):
        before, after = load(old_dir, display=old_display), load(new_dir, display=new_display)
    if old_name == new_name:
        old_name, new_name = old, new
    old_label, new_label = _labels(before, after, old_name, new_name)
    comparison = compare(before, after, old_label, new_label)
    if comparison.empty:
        return comparison, []
    return comparison, publish_comparison(comparison, output, formats)


def publish_comparison(comparison: Comparison, output: str | Path, formats=("pdf", "docx")) -> list[Path]:
    """Add the 新旧対照表 (each format) to the output folder in one swap; the files written."""
    with publish.Publication(output) as publication:  # the pair is added to the output folder in one swap
        staged = _write_comparison(comparison, publication.staging, formats)
        publication.check(staged)
        publication.commit(staged, adding=True)
    return [publication.target / path for path in staged]


def _write_comparison(comparison: Comparison, staging: Path, formats) -> list[PurePosixPath]:
    """Write the 新旧対照表 in each format into ``staging``; the names written (relative)."""
    name = safe_file_name(comparison.slug)
    staged: list[PurePosixPath] = []
    if "pdf" in formats:
        from .pdf.comparison import write_comparison_pdf

        write_comparison_pdf(comparison, staging / f"{name}.pdf")
        staged.append(PurePosixPath(f"{name}.pdf"))
    if "docx" in formats:
        from .docx.comparison import write_comparison_docx

        write_comparison_docx(comparison, staging / f"{name}.docx")
        staged.append(PurePosixPath(f"{name}.docx"))
    return staged


HEADER = ("# 現在の版と改訂履歴。docgen new-edition が書き換えます（手で直してもかまいません）。\n"
          "# 表紙には現在の版名と発行年月、冊子の「改訂履歴」にはすべての版が載ります。\n")


def new_edition(content: str | Path, year: int, month: int | None, label: str = "", summary: str = "") -> Path:
    """Start the next edition: the current one moves into the history.  No project file is touched."""
    plan = load(content)
    _check_new_edition(plan, Path(content), year, month)
    path = Path(content) / "editions.yaml"
    if plan.editions:
        history = [_edition(e.label, e.published.year, e.published.month, e.summary)
                   for e in [*plan.editions.history, plan.editions.current]]
    else:  # the first revision: the original publication becomes the first entry of the history
        first = plan.meta.published
        history = [_edition(f"{wareki.dated(first.year, first.month)}{plan.meta.display.date_suffix}",
                            first.year, first.month, "策定")]
    current = _edition(label or f"{wareki.dated(year, month)}改訂", year, month, summary)
    text = HEADER + yaml.safe_dump({"現在の版": current, "改訂履歴": history}, allow_unicode=True,
                                   sort_keys=False, default_flow_style=False)
    _check_edition_text(current)
    # all or nothing: the new editions.yaml replaces the old one only if the content then loads;
    # otherwise the old file (or its absence) is put back
    before = path.read_bytes() if path.exists() else None
    _write_atomically(path, text.encode("utf-8"))
    try:
        load(content)
    except Exception:
        if before is None:
            path.unlink(missing_ok=True)
        else:
            _write_atomically(path, before)
        raise
    return path


def _write_atomically(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _check_edition_text(edition: dict) -> None:
    """--label and --summary are printed: every character must be drawable and not a control."""
    from . import checks
    from .errors import visible

    cover = checks.drawable()
    for option, key in (("--label", "版名"), ("--summary", "概要")):
        for ch in edition[key]:
            if (cover is not None and ord(ch) not in cover) or ch in "\t\r\n" or not ch.isprintable():
                raise RevisionError(f"{option} の「{visible(ch)}」（U+{ord(ch):04X}）は印刷できない文字です。"
                                    "editions.yaml は変えていません")


def _check_new_edition(plan, content: Path, year: int, month: int | None) -> None:
    """A draft has no 策定 yet, so it has no edition to revise; a new edition comes after the current one."""
    if plan.meta.status == "案":
        path = content / "plan.yaml"
        line = load_yaml(path, str(path), Problems()).value_line("状態")
        raise RevisionError(f"{path}:{line}: 状態: 計画はまだ「案」で、策定されていないため版を改められません"
                            "（策定したら 状態 を「策定」に、発行 を策定の年月にしてから実行してください）")
    now = plan.published
    label = plan.editions.current.label if plan.editions else \
        f"{wareki.dated(now.year, now.month)}{plan.meta.display.date_suffix}"
    when = f"{wareki.dated(year, month)}（--date {year}" + (f"-{month:02d}）" if month else "）")
    if (year, month) == (now.year, now.month):
        raise RevisionError(f"新しい版の発行年月{when}が現在の版「{label}」と同じです。"
                            "現在の版より後の年月を指定してください")
    if (year, month or 0) < (now.year, now.month or 0):
        raise RevisionError(f"新しい版の発行年月{when}が現在の版「{label}」（{wareki.dated(now.year, now.month)}）"
                            "より前です。現在の版より後の年月を指定してください")


def _edition(label: str, year: int, month: int | None, summary: str) -> dict:
    return {"版名": label, "発行": {"年": year, "月": month}, "概要": summary}
