"""Publishing: a failed, killed or concurrent build leaves the output folder all old or all new.

Every failure case compares a hash of every file in the output folder before and after, and checks
that the message says what is true.  The kill test kills real builds at random points
(``PUBLISH_KILLS`` runs, 5 by default; ``make fuzz`` runs 50).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest

from docgen import publish
from docgen.build import build, output_files, output_problems
from docgen.cli import main
from docgen.load import load
from docgen.publish import MANIFEST, PublishError, safe_file_name

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
KILL_RUNS = int(os.environ.get("PUBLISH_KILLS", "5"))


# ---- helpers ------------------------------------------------------------------------------------

def tree(root: Path, skip: tuple[str, ...] = ()) -> dict[str, str]:
    """Every entry under ``root``: files by SHA-256, folders and links by what they are."""
    found = {}
    for folder, dirs, files in os.walk(root):
        rel = Path(folder).relative_to(root)
        for name in dirs + files:
            path = Path(folder) / name
            key = (rel / name).as_posix()
            if key.split("/")[0] in skip:
                continue
            if path.is_symlink():
                found[key] = "link:" + os.readlink(path)
            elif path.is_dir():
                found[key] = "folder"
            else:
                found[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def leftovers(out: Path) -> list[str]:
    """Staging folders, swapped-out trees and lock files of ``out`` (next to it and inside it)."""
    beside = [p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.docgen")]
    inside = [p.name for p in out.iterdir() if p.name.startswith(".staging-")] if out.is_dir() else []
    return beside + inside


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def docgen(capsys, *args) -> tuple[int, str, str]:
    code = main(["build", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> Path:
    """The mini plan built once (PDF, one file per 所管課); tests copy it as their previous output."""
    out = tmp_path_factory.mktemp("reference") / "out"
    build(MINI, out, ("pdf",), split_by="department")
    return out


@pytest.fixture
def previous(reference, tmp_path) -> Path:
    """An output folder holding a complete previous build, a user's file and a nested examples/ folder."""
    out = tmp_path / "out"
    shutil.copytree(reference, out, symlinks=True)
    (out / "メモ.txt").write_text("職員のメモ", encoding="utf-8")
    (out / ".gitkeep").write_text("", encoding="utf-8")
    (out / "examples" / "town").mkdir(parents=True)
    (out / "examples" / "town" / "plan.pdf").write_bytes(b"%PDF- not docgen's")
    return out


# ---- file names ---------------------------------------------------------------------------------

@pytest.mark.parametrize("name, safe", [
    ("総務課", "総務課"), ("総務課.", "総務課"), ("総務課 ", "総務課"), ("..", "_"), (" ", "_"),
    ("管財/契約課", "管財_契約課"), ('"総務課 "', "_総務課 _"), ("a:b*c?d", "a_b_c_d"), ("tab\there", "tab_here"),
    ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("Com1", "_Com1"), ("LPT9 ", "_LPT9"), ("COM10", "COM10"),
    ("CONSOLE", "CONSOLE"), (".hidden", "hidden"), ("総務課 .分室", "総務課.分室"), ("COM0", "_COM0"),
])
def test_file_names_are_safe_everywhere(name, safe):
    assert safe_file_name(name) == safe


def test_long_names_are_cut_to_255_bytes_and_stay_apart():
    long_a, long_b = "漢" * 120, "漢" * 119 + "字"
    a, b = safe_file_name(long_a), safe_file_name(long_b)
    assert a != b and a.startswith("漢" * 50)
    for name in (a, b):
        assert len((name + ".docx").encode("utf-8")) <= 255
    assert safe_file_name(long_a) == a  # deterministic


def test_repeated_format_is_made_once(mini, tmp_path, capsys):
    code, out, err = docgen(capsys, mini, "-o", tmp_path / "out", "--format", "pdf,pdf")
    assert code == 0, err
    assert sorted(out.split()) == sorted(set(out.split())) and len(out.split()) == 2
    plan = load(mini)
    files, faults = output_files(plan, ("pdf", "pdf", "docx", "pdf"), "department")
    assert not faults and len(files) == len({f.path for f in files}) == 2 * (2 + 5)


def test_unsafe_department_names_build_under_safe_names(mini, tmp_path):
    edit(mini / "projects" / "1-2.yaml", "所管課: [市民課]", '所管課: ["総務課.", "..", "CON", "' + "漢" * 120 + '"]')
    edit(mini / "projects" / "2-1.yaml", "所管課: [広報課]", '所管課: ["管財/契約課 "]')
    paths = build(mini, tmp_path / "out", ("pdf",), split_by="department")
    names = sorted(p.name for p in paths if p.parent.name == "departments")
    assert "総務課.pdf" in names and "_.pdf" in names and "_CON.pdf" in names and "管財_契約課.pdf" in names
    assert all(len(n.encode("utf-8")) <= 255 for n in names)
    assert sorted(p.name for p in (tmp_path / "out" / "departments").iterdir()) == names


@pytest.mark.parametrize("first, second", [("管財/契約課", "管財_契約課"), ("総務課.", "総務課 "),
                                           ("ABC課", "abc課"), ("..", " ")])
def test_departments_sharing_a_file_stop_the_build_naming_both(mini, previous, capsys, first, second):
    edit(mini / "projects" / "1-2.yaml", "所管課: [市民課]", f'所管課: [市民課, "{first}"]')
    edit(mini / "projects" / "2-1.yaml", "所管課: [広報課]", f'所管課: ["{second}"]')
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department", "--format", "pdf,docx")
    assert code == 1 and "Traceback" not in err
    assert f"「{first}」" in err and f"「{second}」" in err
    assert f"{mini}/projects/1-2.yaml:5: 所管課[2]:" in err and f"{mini}/projects/2-1.yaml:5: 所管課[1]:" in err
    assert "出力は作り直していません" in err
    assert tree(previous) == before and not leftovers(previous)
    # the same faults, located, for docgen check; without --split-by department the build is fine
    problems = output_problems(load(mini), mini)
    assert len(problems) == 2 and {p.path for p in problems} == {f"{mini}/projects/1-2.yaml", f"{mini}/projects/2-1.yaml"}
    assert not output_files(load(mini), ("pdf",), None)[1]


# ---- failures leave the previous output exactly as it was -----------------------------------------

def test_a_folder_where_a_file_goes_stops_the_build(mini, previous, capsys):
    (previous / "kakuu-dx.pdf").unlink()
    (previous / "kakuu-dx.pdf").mkdir()
    (previous / "kakuu-dx.pdf" / "中身.txt").write_text("x", encoding="utf-8")
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department")
    assert code == 1 and "Traceback" not in err
    assert "kakuu-dx.pdf」はフォルダですが" in err and "前の出力はそのまま残っています" in err
    assert tree(previous) == before and not leftovers(previous)
    with pytest.raises(PublishError) as raised:  # the same in-process, before anything is written
        build(mini, previous, ("pdf",))
    assert raised.value.previous_intact and tree(previous) == before and not leftovers(previous)


def test_a_file_where_a_folder_goes_stops_the_build(mini, previous, capsys):
    shutil.rmtree(previous / "departments")
    (previous / "departments").write_text("not a folder", encoding="utf-8")
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department")
    assert code == 1 and "「" + str(previous / "departments") + "」はフォルダではありません" in err
    assert "前の出力はそのまま残っています" in err
    assert tree(previous) == before and not leftovers(previous)


def test_failure_while_writing_leaves_previous_output(mini, previous, capsys, monkeypatch):
    from docgen.pdf import writer

    real, written = writer.write_pdf, []

    def fail_third(document, path, **kwargs):
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        return real(document, path, **kwargs)
    monkeypatch.setattr(writer, "write_pdf", fail_third)
    edit(mini / "plan.yaml", "計画名: 架空市DX推進計画 実施計画", "計画名: 架空市DX推進計画 実施計画（改訂）")
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department", "--format", "pdf")
    assert code == 1 and "Traceback" not in err
    assert f"ファイルを書けません: {previous}/departments/" in err and "No space left" in err
    assert "前の出力はそのまま残っています" in err
    assert tree(previous) == before and not leftovers(previous)


@pytest.mark.parametrize("step", ["carry", "manifest", "exchange"])
def test_failure_while_publishing_leaves_previous_output(mini, previous, capsys, monkeypatch, step):
    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error", str(args[0]))
    if step == "carry":
        monkeypatch.setattr(publish, "_link_or_copy", fail)
    elif step == "manifest":
        monkeypatch.setattr(publish, "_flush_folders", fail)
    else:
        monkeypatch.setattr(publish, "_exchange", fail)
    edit(mini / "plan.yaml", "計画名: 架空市DX推進計画 実施計画", "計画名: 架空市DX推進計画 実施計画（改訂）")
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department", "--format", "pdf")
    assert code == 1 and "Traceback" not in err
    assert "ファイルを書けません" in err and "前の出力はそのまま残っています" in err
    assert tree(previous) == before and not leftovers(previous)


def test_output_that_is_a_file_or_the_working_folder_is_refused(mini, tmp_path, capsys, monkeypatch):
    target = tmp_path / "out"
    target.write_text("a file", encoding="utf-8")
    code, out, err = docgen(capsys, mini, "-o", target)
    assert code == 1 and "フォルダではありません" in err and "出力は作っていません" in err
    assert target.read_text(encoding="utf-8") == "a file"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "mine.txt").write_text("x", encoding="utf-8")
    monkeypatch.chdir(folder)
    code, out, err = docgen(capsys, mini, "-o", ".")
    assert code == 1 and "出力先の外のフォルダから実行してください" in err and "前の出力はそのまま残っています" in err
    assert tree(folder) == {"mine.txt": hashlib.sha256(b"x").hexdigest()}


# ---- the swap by two renames, where names cannot be exchanged ------------------------------------

def _no_exchange(*args):
    raise OSError(errno.ENOSYS, "renameat2 is not available")


def test_without_exchange_the_build_is_swapped_in_by_renames(mini, previous, reference, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", _no_exchange)
    user = {k: v for k, v in tree(previous).items() if k not in tree(reference)}
    edit(mini / "plan.yaml", "計画名: 架空市DX推進計画 実施計画", "計画名: 架空市DX推進計画 実施計画（改訂）")
    build(mini, previous, ("pdf",), split_by="department")
    after = tree(previous)
    assert {k: v for k, v in after.items() if k in user} == user
    assert after["kakuu-dx.pdf"] != tree(reference)["kakuu-dx.pdf"]
    assert not leftovers(previous)


def test_a_failed_rename_puts_the_previous_output_back(mini, previous, capsys, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", _no_exchange)
    real = publish._rename

    def rename(source, destination):
        if ".docgen-staging-" in str(source):
            raise OSError(errno.EACCES, "Permission denied", str(source))
        real(source, destination)
    monkeypatch.setattr(publish, "_rename", rename)
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department", "--format", "pdf")
    assert code == 1 and "前の出力はそのまま残っています" in err
    assert tree(previous) == before and not leftovers(previous)


def test_when_it_cannot_be_put_back_the_message_says_where_it_is(mini, previous, capsys, monkeypatch):
    monkeypatch.setattr(publish, "_exchange", _no_exchange)
    real = publish._rename

    def rename(source, destination):
        if Path(destination) == previous:
            raise OSError(errno.EACCES, "Permission denied", str(source))
        real(source, destination)
    monkeypatch.setattr(publish, "_rename", rename)
    before = tree(previous)
    code, out, err = docgen(capsys, mini, "-o", previous, "--split-by", "department", "--format", "pdf")
    aside = previous.parent / ".out.docgen-previous"
    assert code == 1 and f"前の出力は「{aside}」にそのまま残っています" in err
    assert "前の出力はそのまま残っています" not in err
    assert not previous.exists() and tree(aside) == before
    monkeypatch.undo()
    # a build killed between the two renames leaves the same: the next build puts it back first
    (previous.parent / ".out.docgen-staging-0123456789abcdef").mkdir()
    build(mini, previous, ("pdf",), split_by="department")
    assert tree(previous) == before and not leftovers(previous)


# ---- what a build keeps and what it drops ---------------------------------------------------------

def test_a_department_that_disappeared_leaves_no_file_and_other_files_survive(mini, tmp_path):
    out = tmp_path / "out"
    build(mini, out, ("pdf", "docx"), split_by="department")
    (out / "メモ.txt").write_text("職員のメモ", encoding="utf-8")
    (out / ".gitkeep").write_text("", encoding="utf-8")
    (out / "departments" / "担当者一覧.xlsx").write_bytes(b"user's")
    build(MINI, out / "examples" / "town", ("pdf",))  # another build inside this output folder
    nested = tree(out / "examples")
    edit(mini / "projects" / "2-1.yaml", "所管課: [広報課]", "所管課: [企画課]")
    build(mini, out, ("pdf", "docx"), split_by="department")
    departments = sorted(p.name for p in (out / "departments").iterdir())
    assert "広報課.pdf" not in departments and "広報課.docx" not in departments
    assert "担当者一覧.xlsx" in departments and "企画課.pdf" in departments
    assert (out / "メモ.txt").read_text(encoding="utf-8") == "職員のメモ" and (out / ".gitkeep").exists()
    assert tree(out / "examples") == nested
    build(mini, out, ("pdf",))  # the build makes only the booklet now: nothing else of docgen's lingers
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [MANIFEST, ".gitkeep", "メモ.txt", "departments", "examples", "kakuu-dx.pdf", "kakuu-dx-briefing.pdf"])
    assert [p.name for p in (out / "departments").iterdir()] == ["担当者一覧.xlsx"]
    assert tree(out / "examples") == nested and not leftovers(out)


def test_output_made_before_manifests_keeps_everything_and_replaces_docgen_names(mini, reference, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(reference, out)
    (out / MANIFEST).unlink()
    (out / ".staging-abc_1234").mkdir()  # left by a killed build of the old layout
    (out / "kakuu-dx.pdf").write_bytes(b"old")
    build(mini, out, ("pdf",), split_by="department")
    assert tree(out) == tree(reference) and not leftovers(out)


def test_symlinked_output_folder_is_built_where_it_points(mini, tmp_path):
    real = tmp_path / "real" / "out"
    real.mkdir(parents=True)
    (real / "mine.txt").write_text("x", encoding="utf-8")
    link = tmp_path / "link"
    link.symlink_to(real, target_is_directory=True)
    paths = build(mini, link, ("pdf",))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert paths[0] == link / "kakuu-dx.pdf" and paths[0].is_file()
    assert sorted(p.name for p in real.iterdir()) == [MANIFEST, "kakuu-dx-briefing.pdf", "kakuu-dx.pdf", "mine.txt"]
    assert not leftovers(real) and not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_stale_staging_and_lock_are_removed(mini, previous):
    for name in (".out.docgen-staging-00000000deadbeef", ".out.docgen-staging-1111111111111111"):
        (previous.parent / name).mkdir()
        (previous.parent / name / "half.pdf").write_bytes(b"half")
    (previous.parent / ".out.docgen.lock").write_text("")
    (previous / ".staging-k1ll3d_x").mkdir()
    build(mini, previous, ("pdf",), split_by="department")
    assert not leftovers(previous)


def test_files_saved_into_the_output_folder_during_the_build_are_kept(mini, previous, monkeypatch):
    real = publish._flush_folders

    def staff_save_now(root):  # after everything was carried over, just before the swap
        (previous / "後から保存.txt").write_text("new note", encoding="utf-8")
        (previous / "メモ.txt.tmp").write_text("edited", encoding="utf-8")
        os.replace(previous / "メモ.txt.tmp", previous / "メモ.txt")  # an editor saving by rename
        (previous / "examples" / "later").mkdir()
        (previous / "examples" / "later" / "x.txt").write_text("x", encoding="utf-8")
        real(root)
    monkeypatch.setattr(publish, "_flush_folders", staff_save_now)
    build(mini, previous, ("pdf",), split_by="department")
    assert (previous / "後から保存.txt").read_text(encoding="utf-8") == "new note"
    assert (previous / "メモ.txt").read_text(encoding="utf-8") == "edited"
    assert (previous / "examples" / "later" / "x.txt").is_file() and (previous / "examples" / "town").is_dir()
    assert not leftovers(previous)


def _revised(tmp_path: Path) -> Path:
    new = tmp_path / "new"
    shutil.copytree(MINI, new)
    edit(new / "plan.yaml", "計画名: 架空市DX推進計画 実施計画", "計画名: 架空市DX推進計画 実施計画 改訂")
    return new


def test_diff_adds_its_pair_to_the_output_in_one_swap_and_builds_keep_it(mini, previous, tmp_path):
    from docgen.editions import diff

    before = tree(previous)
    _, written = diff(str(mini), str(_revised(tmp_path)), previous, content=str(mini))
    assert sorted(p.suffix for p in written) == [".docx", ".pdf"] and all(p.parent == previous for p in written)
    after = tree(previous)
    added = {k for k in after if k not in before}
    assert added == {p.name for p in written}
    assert {k: v for k, v in after.items() if k != MANIFEST and k not in added} == \
        {k: v for k, v in before.items() if k != MANIFEST}
    assert after[MANIFEST] == before[MANIFEST]  # the pair is not the build's: the manifest stays the build's
    assert not leftovers(previous)
    build(mini, previous, ("pdf",), split_by="department")
    assert added <= set(tree(previous)) and not leftovers(previous)


def test_a_diff_that_fails_between_its_two_files_leaves_the_output_as_it_was(mini, previous, tmp_path, monkeypatch):
    from docgen import editions
    from docgen.docx import comparison

    before = tree(previous)

    def broken(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(comparison, "write_comparison_docx", broken)
    with pytest.raises(PublishError) as raised:
        editions.diff(str(mini), str(_revised(tmp_path)), previous, content=str(mini))
    assert "前の出力はそのまま残っています" in str(raised.value)
    assert tree(previous) == before and not leftovers(previous)


def test_a_diff_waits_for_a_build_into_the_same_folder(mini, previous, tmp_path):
    from docgen.editions import diff

    new = _revised(tmp_path)
    process = _start(mini, previous, delay="0.4")
    while not any(".docgen-staging-" in p.name for p in previous.parent.iterdir()):
        time.sleep(0.05)
        assert process.poll() is None
    _, written = diff(str(mini), str(new), previous, content=str(mini))
    code, err = _finish(process)
    assert code == 0, err
    assert all(p.is_file() for p in written) and not leftovers(previous)
    made = json.loads((previous / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert made and all((previous / name).is_file() for name in made)


def test_same_input_gives_the_same_files_and_manifest(tmp_path):
    a = build(MINI, tmp_path / "a", ("pdf",), split_by="department")
    b = build(MINI, tmp_path / "b", ("pdf",), split_by="department")
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_publication_without_commit_changes_nothing(previous):
    before = tree(previous)
    with pytest.raises(RuntimeError):
        with publish.Publication(previous) as publication:
            (publication.staging / "kakuu-dx.pdf").write_bytes(b"new")
            raise RuntimeError("stop")
    assert tree(previous) == before and not leftovers(previous)
    with publish.Publication(previous) as publication:  # the lock was released
        (publication.staging / "x.pdf").write_bytes(b"new")
        publication.commit([PurePosixPath("x.pdf")])
    after = tree(previous)
    assert after["x.pdf"] == hashlib.sha256(b"new").hexdigest() and "kakuu-dx.pdf" not in after
    assert after["メモ.txt"] == before["メモ.txt"] and not leftovers(previous)


# ---- real processes: killed at random points, and two at once -------------------------------------

@pytest.fixture(scope="module")
def versions(tmp_path_factory) -> dict[str, tuple[Path, dict[str, str]]]:
    """Two versions of the mini plan that differ in every file (the plan's title), each with the
    output of a complete build by ``docgen build``."""
    root = tmp_path_factory.mktemp("versions")
    a, b = root / "a", root / "b"
    shutil.copytree(MINI, a)
    shutil.copytree(MINI, b)
    edit(b / "plan.yaml", "計画名: 架空市DX推進計画 実施計画", "計画名: 架空市DX推進計画 実施計画 令和6年度改訂")
    processes = {name: _start(content, root / f"out-{name}") for name, content in (("a", a), ("b", b))}
    for process in processes.values():
        code, err = _finish(process)
        assert code == 0, err
    found = {"a": (a, tree(root / "out-a")), "b": (b, tree(root / "out-b"))}
    assert found["a"][1] != found["b"][1]
    return found


def _start(content: Path, out: Path, delay: str = "") -> subprocess.Popen:
    env = dict(os.environ, DOCGEN_TEST_PUBLISH_DELAY=delay)
    return subprocess.Popen([sys.executable, "-m", "docgen.cli", "build", str(content), "-o", str(out),
                             "--split-by", "department"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    _, err = process.communicate(timeout=300)
    return process.returncode, err


USER = ("メモ.txt", "examples")


def _add_user_files(out: Path) -> dict[str, str]:
    (out / "メモ.txt").write_text("職員のメモ", encoding="utf-8")
    (out / "examples" / "town").mkdir(parents=True)
    (out / "examples" / "town" / "plan.pdf").write_bytes(b"%PDF- not docgen's")
    return {k: v for k, v in tree(out).items() if k.split("/")[0] in USER}


def _phase(out: Path, state: str) -> str:
    """Where a killed build was, as far as its left-overs tell."""
    staging = [p for p in out.parent.iterdir() if ".docgen-staging-" in p.name]
    if not staging:
        return state
    if state == "new":  # after the exchange the staging name holds the previous build
        return "new (killed after the swap)"
    if (staging[0] / MANIFEST).exists():  # the manifest is the last thing written before the swap
        return "old (killed just before the swap)"
    return "old (killed while writing or carrying over)"


def test_killed_builds_leave_all_old_or_all_new(versions, tmp_path):
    content = {name: versions[name][0] for name in versions}
    builds = {name: versions[name][1] for name in versions}
    out = tmp_path / "work" / "out"
    shutil.copytree(content["a"].parent / "out-a", out)
    user = _add_user_files(out)
    delay = "0.3"  # publishing then takes about a third of a build: many kills land in it
    started = time.monotonic()
    code, err = _finish(_start(content["b"], out, delay))
    duration = time.monotonic() - started  # only to spread the kills; nothing depends on it
    assert code == 0, err
    current, seed = "b", int(os.environ.get("PUBLISH_KILL_SEED", random.randrange(1 << 30)))
    rng = random.Random(seed)
    outcomes: list[str] = []
    for run in range(KILL_RUNS):
        other = "a" if current == "b" else "b"
        process = _start(content[other], out, delay)
        # spread the kills over the whole build, each at a random point of its stretch
        time.sleep(duration * 1.05 * (run + rng.random()) / KILL_RUNS)
        process.kill()
        process.communicate()
        found = tree(out, skip=USER)
        state = "new" if found == builds[other] else "old" if found == builds[current] else "MIXED"
        assert state != "MIXED", (f"PUBLISH_KILL_SEED={seed}, run {run}: neither build",
                                  sorted(set(found.items()) ^ set(builds[other].items())))
        assert {k: v for k, v in tree(out).items() if k.split("/")[0] in USER} == user, f"seed {seed}, run {run}"
        outcomes.append(_phase(out, state))
        if state == "new":
            current = other
    print(f"\nkill runs: {len(outcomes)} (PUBLISH_KILL_SEED={seed}): "
          + ", ".join(f"{o} ×{outcomes.count(o)}" for o in sorted(set(outcomes))))
    other = "a" if current == "b" else "b"
    code, err = _finish(_start(content[other], out))
    assert code == 0, err
    assert tree(out, skip=USER) == builds[other]
    assert not leftovers(out) and [p.name for p in out.parent.iterdir()] == ["out"]


def test_two_builds_at_once_end_as_one_complete_build(versions, tmp_path):
    out = tmp_path / "work" / "out"
    processes = [_start(versions[name][0], out) for name in ("a", "b")]
    for code, err in [_finish(p) for p in processes]:
        assert code == 0 and "Traceback" not in err, err
    assert tree(out) in (versions["a"][1], versions["b"][1])
    assert [p.name for p in out.parent.iterdir()] == ["out"]


def test_a_build_waits_for_the_build_publishing_into_the_same_folder(versions, tmp_path):
    out = tmp_path / "work" / "out"
    with publish.Publication(out) as publication:  # this build holds the lock …
        waiting = _start(versions["b"][0], out)
        for line in waiting.stderr:  # … so the other one says that it waits (and does not write)
            if "終わるのを待っています" in line:
                break
        else:
            pytest.fail("the second build did not wait: " + str(_finish(waiting)))
        (publication.staging / "first.pdf").write_bytes(b"first")
        publication.commit([PurePosixPath("first.pdf")])
        assert tree(out)["first.pdf"] == hashlib.sha256(b"first").hexdigest()
    code, err = _finish(waiting)  # then it publishes after it: the last complete build wins
    assert code == 0, err
    assert tree(out) == versions["b"][1]
    assert [p.name for p in out.parent.iterdir()] == ["out"]
