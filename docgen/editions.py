"""Revised editions: ``docgen diff`` (新旧対照表) and ``docgen new-edition``."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tarfile
import tempfile
from contextlib import contextmanager
from pathlib import Path

import yaml

from . import wareki
from .build import safe_file_name
from .load import load
from .revision import Comparison, compare


class RevisionError(Exception):
    """A git revision could not be read (message in Japanese)."""


@contextmanager
def content_at(source: str, content: str = "content"):
    """A content folder: ``source`` itself when it is a folder, else ``content`` at git revision ``source``."""
    if Path(source).is_dir():
        yield Path(source), source
        return
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], check=True, capture_output=True,
                             text=True).stdout.strip()
        rel = os.path.relpath(Path(content).resolve(), top)
        data = subprocess.run(["git", "-C", top, "archive", "--format=tar", source, rel], check=True,
                              capture_output=True).stdout
    except (subprocess.CalledProcessError, FileNotFoundError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        raise RevisionError(f"「{source}」は内容のフォルダでも git の版でもありません"
                            f"（{detail.decode('utf-8', 'replace').strip() or exc}）") from exc
    tmp = Path(tempfile.mkdtemp(prefix="docgen-rev-"))
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            archive.extractall(tmp, filter="data")  # no links or paths outside the folder
        yield tmp / rel, source
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _label(plan, name: str) -> str:
    if plan.editions:
        return plan.editions.current.label
    return f"{wareki.dated(plan.published.year, plan.published.month)}{'案' if plan.meta.status == '案' else '策定'}"


def diff(old: str, new: str, output: str | Path, formats=("pdf", "docx"),
         content: str = "content") -> tuple[Comparison, list[Path]]:
    with content_at(old, content) as (old_dir, old_name), content_at(new, content) as (new_dir, new_name):
        before, after = load(old_dir), load(new_dir)
    comparison = compare(before, after, _label(before, old_name), _label(after, new_name))
    written: list[Path] = []
    if comparison.empty:
        return comparison, written
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=out))
    try:
        staged = []
        if "pdf" in formats:
            from .pdf.comparison import write_comparison_pdf

            path = staging / f"{safe_file_name(comparison.slug)}.pdf"
            write_comparison_pdf(comparison, path)
            staged.append(path)
        if "docx" in formats:
            from .docx.comparison import write_comparison_docx

            path = staging / f"{safe_file_name(comparison.slug)}.docx"
            write_comparison_docx(comparison, path)
            staged.append(path)
        for path in staged:
            os.replace(path, out / path.name)
            written.append(out / path.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return comparison, written


HEADER = ("# 現在の版と改訂履歴。docgen new-edition が書き換えます（手で直してもかまいません）。\n"
          "# 表紙には現在の版名と発行年月、冊子の「改訂履歴」にはすべての版が載ります。\n")


def new_edition(content: str | Path, year: int, month: int | None, label: str = "", summary: str = "") -> Path:
    """Start the next edition: the current one moves into the history.  No project file is touched."""
    plan = load(content)
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
    tmp = path.with_name(".editions.yaml.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    load(content)  # the content must still load
    return path


def _edition(label: str, year: int, month: int | None, summary: str) -> dict:
    return {"版名": label, "発行": {"年": year, "月": month}, "概要": summary}
