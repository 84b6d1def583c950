"""The fuzz runner: ``python -m tests.fuzz.run --cases N --seed S [--jobs 2]``.

For each case (:mod:`tests.fuzz.cases`) it writes the mutated content folder to a temp dir, then,
in-process and under a time limit, runs ``docgen check`` and ``load``; a plan that loads is composed
(booklet, briefing, one document per 所管課) and checked for lost text and for characters the fonts
cannot draw; a sample of the cases that load (1 in ``--build-every``; 1 in 8 of the small plan's
text-only cases; every case whose mutation reaches the renderers — 所管課 names, figure sizes, dates,
marks, long or many texts — on the small plan, 1 in 5 on the others) is also built to PDF and Word
(with ``--split-by department`` for the small fixture plan and for every case that changes a 所管課).

Each case is classified:

* ``located``   — ContentError (from load, or ``docgen check`` / build refusing file names) whose
                  every problem has a path, a line ≥ 1 inside the file and a Japanese message (no
                  "Input should be", "Traceback", "Error" …); warnings ``docgen check`` prints must
                  be located too;
* ``built``     — loaded (and, when sampled, built) with nothing lost;
* ``traceback`` — any other exception (or ``docgen check`` disagreeing with ``load``);
* ``hang``      — over ``--timeout`` seconds (``--build-timeout`` for a build), or killed by the
                  watchdog when a signal could not interrupt it;
* ``lost``      — inserted text missing from the composed tree, a character the fonts cannot draw
                  in the tree, or output files missing (department names colliding) or not portable;
* ``unlocated`` — a ContentError that is not located (see above).

Workers run as separate processes (``--jobs``), without the right to override file permissions
when started as root (so that unreadable files are unreadable), under a 4 GiB address-space limit;
a parent watchdog kills a worker stuck in C code (its stack is dumped first, by faulthandler) and
restarts it at the next case.  Failing content folders are saved under
``/tmp/docgen-fuzz-failures/seed-S/``.  ``--case K`` replays one case in-process and prints the whole
traceback; ``--explicit NAME,…|all`` runs the named cases of :data:`tests.fuzz.cases.EXPLICIT`.
"""

from __future__ import annotations

import argparse
import contextlib
import faulthandler
import io
import json
import os
import re
import resource
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import cases as C
from .tree import missing_runs, texts, undrawable, visible

FAILURES = Path("/tmp/docgen-fuzz-failures")
CLASSES = ("located", "built", "traceback", "hang", "lost", "unlocated")
FAILING = ("traceback", "hang", "lost", "unlocated")
MEMORY_LIMIT = 4 * 1024**3
HUGE_OUTPUT = 2_000_000  # characters of composed text past which a case is always built
SLOW = 10.0  # seconds: a case that takes longer is listed among the slowest (not a failure)
SAVE_PER_SIGNATURE = 3
# printed fields no unmutated source has an instance of (so the baseline cannot confirm them)
ASSUMED_PRINTED = {("状況", "理由")}


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so docgen's ``except Exception`` cannot swallow it."""


@contextlib.contextmanager
def time_limit(seconds: float):
    def alarm(signum, frame):
        raise Hang(f"over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class Outcome:
    id: str
    cls: str
    signature: str = ""
    detail: str = ""
    stage: str = ""
    case: str = ""
    notes: list = field(default_factory=list)
    seconds: float = 0.0
    saved: str = ""
    full: str = ""  # the whole traceback, for a replay
    checked: int = 0  # inserted strings read back and found in the composed tree
    families: list = field(default_factory=list)  # the mutations' families (text:jinja, fs:fifo …)


# ---- messages: located and Japanese ------------------------------------------------------------------

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
ENGLISH = re.compile(r"Input should|Traceback|Error|Exception|Field required|Value error|"
                     r"[A-Za-z]{2,} [a-z]{2,} [a-z]{2,}")


def strip_quoted(message: str) -> str:
    """The message without the content it quotes (「…」, or 「… cut short with an ellipsis), which
    may be English."""
    while True:
        stripped = re.sub(r"「[^「」]*」", "〈〉", message)
        if stripped == message:
            return re.sub(r"「[^「」]*(…|$)", "〈〉", stripped)
        message = stripped


def _line_count(path: Path) -> int | None:
    try:
        if not path.is_file() or path.stat().st_size > 50_000_000:
            return None
        return len(path.read_bytes().decode("utf-8", errors="replace").splitlines())
    except OSError:
        return None


def unlocated(problems: list, folder: Path) -> list[str]:
    """Why the problems of a ContentError are not located in Japanese (empty: they are)."""
    if not problems:
        return ["ContentError without problems"]
    reasons = []
    for p in problems:
        if not isinstance(p.path, str) or not p.path:
            reasons.append(f"no path: {p}")
        if not isinstance(p.line, int) or p.line < 1:
            reasons.append(f"line {p.line!r} < 1: {p}")
        where = f"{Path(str(p.path)).name}:{p.line}: {p.field}"
        if not JAPANESE.search(p.message or ""):
            reasons.append(f"message not Japanese: {p.message[:200]!r} at {where}")
        english = ENGLISH.search(strip_quoted(p.message or ""))
        if english:
            reasons.append(f"English in message ({english.group(0)!r}): {p.message[:200]!r} at {where}")
        count = _line_count(Path(p.path)) if isinstance(p.path, str) and p.path else None
        if count is not None and isinstance(p.line, int) and p.line > count + 1:
            reasons.append(f"line past the end of the file ({p.line} of {count} lines) at {where}: {p.message[:120]}")
    return reasons


def _normalise(text: str) -> str:
    text = re.sub(r" at [^ ]+:\d+: .*$", "", text)  # the place: the same fault in another file is the same
    text = re.sub(r"「[^「」]*」", "「…」", text)
    return re.sub(r"\d+", "#", text)[:110]


# ---- tracebacks ------------------------------------------------------------------------------------------

def _short_file(filename: str) -> str:
    library = re.search(r"/(?:site-packages|lib/python3\.\d+)/(.*)$", filename.replace("\\", "/"))
    if library and "/site-packages/" in filename:
        return library.group(1)
    if library:
        return "stdlib/" + library.group(1)
    try:
        return str(Path(filename).resolve().relative_to(C.ROOT))
    except ValueError:
        return filename


def _frames(exc: BaseException) -> list[traceback.FrameSummary]:
    return list(traceback.extract_tb(exc.__traceback__))


def _type(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else f"{kind.__module__}.{kind.__qualname__}"


def _where(frames: list[traceback.FrameSummary], line: bool = True) -> str:
    """The innermost docgen frame (else the innermost frame)."""
    ours = [f for f in frames if "/docgen/" in f.filename.replace("\\", "/")]
    frame = (ours or frames or [None])[-1]
    if frame is None:
        return "?"
    return f"{_short_file(frame.filename)}{f':{frame.lineno}' if line else ''} {frame.name}"


def _summary(exc: BaseException, frames: int = 5) -> str:
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - str() of a huge int and the like
        text = "<unprintable>"
    lines = [f"{_type(exc)}: {C.short(text, 300)[1:-1] if text else ''}"]
    for f in _frames(exc)[-frames:]:
        lines.append(f"  {_short_file(f.filename)}:{f.lineno} {f.name}: {(f.line or '').strip()[:120]}")
    return "\n".join(lines)


def _full(exc: BaseException) -> str:
    try:
        return "".join(traceback.format_exception(exc))[-20_000:]
    except Exception:  # noqa: BLE001
        return _summary(exc, 40)


# ---- the checks of one case ------------------------------------------------------------------------------

@dataclass
class Baseline:
    printed: dict[str, set]  # file → patterns whose original strings the booklet shows


def _compose(plan) -> tuple[list, list]:
    """Every document of a plan (for the drawable check) and those the lost-text check reads."""
    from docgen.compose import compose_booklet, compose_briefing, compose_department, departments

    booklet = compose_booklet(plan)
    briefing = compose_briefing(plan)
    text_docs = [booklet] + ([briefing] if briefing is not None else [])
    return text_docs + [compose_department(plan, name) for name in departments(plan)], text_docs


RESERVED = re.compile(r"^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])$", re.I)


def output_problems(written: list[Path], out: Path, plan, split: bool) -> list[str]:
    from docgen.compose import departments

    problems = []
    jobs = 1 + (plan.briefing is not None) + (len(departments(plan)) if split else 0)
    expected = 2 * jobs
    if len(set(written)) < expected:
        problems.append(f"{expected - len(set(written))} of {expected} output files missing: names collide "
                        f"({'、'.join(departments(plan))[:200]})")
    for path in written:
        name = path.name
        stem = name.split(".", 1)[0]
        if not path.is_file() or path.stat().st_size == 0:
            problems.append(f"not written or empty: {path.relative_to(out)}")
        if RESERVED.match(stem):
            problems.append(f"reserved device name on Windows: {name}")
        if len(name.encode("utf-8")) > 255:
            problems.append(f"file name over 255 bytes: {len(name.encode('utf-8'))} bytes")
        if name.startswith((" ", ".")) or stem.endswith((" ", ".")):
            problems.append(f"file name starting or ending with a space or dot: {name!r}")
        if any(ch in '<>:"/\\|?*' or ord(ch) < 32 for ch in name):
            problems.append(f"character not allowed in a file name: {name!r}")
    return problems


class Context:
    """What a process needs to run cases: the fonts' coverage, baselines, its temp folder."""

    def __init__(self, seed: int | None, tmp: Path, timeout: float = 20, build_timeout: float = 90,
                 build_every: int = 25, sources: list[str] | None = None, failures: Path | None = None,
                 phase: Callable[[str], None] | None = None):
        from docgen import checks

        self.seed, self.tmp, self.timeout, self.build_timeout = seed, tmp, timeout, build_timeout
        self.build_every, self.sources, self.failures = build_every, sources, failures
        self.phase = phase or (lambda name: None)
        self.cover = checks.drawable()
        if self.cover is None:
            raise SystemExit("fuzz: the fonts are missing (make fonts)")
        self.baselines: dict[str, Baseline] = {}
        self.saved: dict[str, int] = {}
        self.checked = 0

    # -- baselines: which text fields the unmutated plan prints
    def baseline(self, source: str) -> Baseline:
        if source not in self.baselines:
            self.baselines[source] = self._baseline(source)
        return self.baselines[source]

    def _printed(self, folder: Path, files: dict) -> dict[str, set]:
        from docgen.load import load

        plan = load(str(folder))
        _, text_docs = _compose(plan)
        hay = visible("\n".join(t for d in text_docs for t in texts(d)))
        printed: dict[str, set] = {}
        for relative, info in files.items():
            verdicts: dict[tuple, bool] = {}
            for scalar in info.scalars:
                pattern = C.pattern_of(scalar.path)
                if pattern in info.patterns and isinstance(scalar.value, str):
                    ok = missing_runs(scalar.value, hay, *info.patterns[pattern]) is None
                    verdicts[pattern] = verdicts.get(pattern, True) and ok
            printed[relative] = {p for p, ok in verdicts.items() if ok}
        return printed

    def _baseline(self, source: str) -> Baseline:
        from docgen.errors import ContentError

        info = C.source_info(source)
        try:
            printed = self._printed(info.folder, {r: f for r, f in info.files.items() if not f.virtual})
        except ContentError as exc:
            raise SystemExit(f"fuzz: the unmutated source {source} does not load:\n{exc}") from None
        virtual = {r: f for r, f in info.files.items() if f.virtual}
        if virtual:
            folder = self.tmp / f"baseline-{source}"
            shutil.rmtree(folder, ignore_errors=True)
            shutil.copytree(info.folder, folder)
            for relative, f in virtual.items():
                (folder / relative).write_text(f.text, encoding="utf-8")
            try:
                printed.update({r: p for r, p in self._printed(folder, virtual).items()})
            except ContentError:
                printed.update({r: set() for r in virtual})
            shutil.rmtree(folder, ignore_errors=True)
        return Baseline(printed)

    # -- one case
    def case(self, cid: str) -> C.Case:
        return case_of(cid, self.seed, self.sources, self.build_every)

    def run(self, cid: str, case: C.Case | None = None, keep: bool = False) -> Outcome:
        case = case or self.case(cid)
        started = time.monotonic()
        self.checked = 0
        casedir = self.tmp / f"case-{cid.replace(':', '-')}"
        _remove(casedir)
        folder, outside = casedir / case.root_name, casedir / "outside"
        try:
            self.baseline(case.source)
            notes = C.materialize(case, folder, outside)
        except Exception as exc:  # noqa: BLE001 - a fault of the harness, shown as one
            outcome = Outcome(cid, "traceback", f"harness: {_type(exc)} at {_where(_frames(exc))}",
                              _summary(exc), "materialize", full=_full(exc))
        else:
            outcome = self.evaluate(cid, case, folder, casedir)
            outcome.notes = notes
        outcome.case = case.describe()
        outcome.seconds = round(time.monotonic() - started, 3)
        outcome.checked = self.checked
        outcome.families = [_family(m.label) for m in case.mutations]
        if outcome.cls in FAILING and self.failures is not None:
            outcome.saved = self.save(outcome, casedir)
        if not keep:
            _remove(casedir)
        return outcome

    def evaluate(self, cid: str, case: C.Case, folder: Path, casedir: Path) -> Outcome:
        from docgen.errors import ContentError
        from docgen.load import load

        stage = "check"
        plan = None
        size = 0
        try:
            with time_limit(self.timeout):
                code, said, seen = run_check(folder)
                stage = "load"
                try:
                    if "error" in seen:
                        raise seen["error"]
                    plan = seen["plan"] if "plan" in seen else load(str(folder))
                except ContentError as exc:
                    if code != 1:
                        return Outcome(cid, "traceback", f"docgen check exited {code} where load raised ContentError",
                                       said[-2000:], stage)
                    reasons = unlocated(exc.problems, folder)
                    if reasons:
                        return Outcome(cid, "unlocated", "unlocated: " + _normalise(reasons[0]),
                                       "\n".join(reasons[:10]), stage)
                    return Outcome(cid, "located", detail=str(exc.problems[0])[:300], stage=stage)
                if code != 0:  # docgen check also refuses what only a build would meet (file names)
                    problems = _said_problems(said)
                    if code != 1 or not problems:
                        return Outcome(cid, "traceback", f"docgen check exited {code} where load succeeded "
                                       "(and printed no located problem)", said[-2000:], "check")
                    reasons = unlocated(problems, folder)
                    if reasons:
                        return Outcome(cid, "unlocated", "unlocated: " + _normalise(reasons[0]),
                                       "\n".join(reasons[:10]), "check")
                    return Outcome(cid, "located", detail="refused by docgen check: " + str(problems[0])[:300],
                                   stage="check")
                warnings = _said_problems(said)  # docgen check's warnings: located and Japanese too
                reasons = unlocated(warnings, folder) if warnings else []
                if reasons:
                    return Outcome(cid, "unlocated", "unlocated warning: " + _normalise(reasons[0]),
                                   "\n".join(reasons[:10]), "check")
                stage = "compose"
                documents, text_docs = _compose(plan)
                stage = "lost-check"
                size = sum(len(t) for d in text_docs for t in texts(d))
                lost = self.lost(case, folder, documents, text_docs)
                if lost:
                    return Outcome(cid, "lost", lost[0], lost[1], stage)
        except Hang as exc:
            frames = _frames(exc)
            innermost = f"{_short_file(frames[-1].filename)} {frames[-1].name}" if frames else "?"
            return Outcome(cid, "hang", f"hang in {_where(frames, line=False)} (innermost {innermost})",
                           _summary(exc, 8), stage, full=_full(exc))
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - every other exception is a traceback
            return Outcome(cid, "traceback", f"{_type(exc)} at {_where(_frames(exc))}", _summary(exc),
                           stage, full=_full(exc))
        if not (case.build or size > HUGE_OUTPUT):
            return Outcome(cid, "built", stage="load")
        stage = "build"
        self.phase("build")
        try:
            with time_limit(self.build_timeout):
                from docgen.build import build

                out = casedir / "out"
                split = "department" if case.source == "mini" or any(
                    m.label.startswith("department") for m in case.mutations) else None
                written = build(str(folder), str(out), ("pdf", "docx"), split_by=split)
                problems = output_problems(written, out, plan, split is not None)
        except Hang as exc:
            return Outcome(cid, "hang", f"hang in build at {_where(_frames(exc), line=False)}", _summary(exc, 8),
                           stage, full=_full(exc))
        except KeyboardInterrupt:
            raise
        except ContentError as exc:  # refused at build (department file names): located, or not
            reasons = unlocated(exc.problems, folder)
            if reasons:
                return Outcome(cid, "unlocated", "unlocated: " + _normalise(reasons[0]), "\n".join(reasons[:10]), stage)
            return Outcome(cid, "located", detail="refused at build: " + str(exc.problems[0])[:300], stage=stage)
        except BaseException as exc:  # noqa: BLE001
            return Outcome(cid, "traceback", f"{_type(exc)} at {_where(_frames(exc))}", _summary(exc),
                           stage, full=_full(exc))
        if problems:
            return Outcome(cid, "lost", "lost file: " + _normalise(problems[0]), "\n".join(problems), stage)
        return Outcome(cid, "built", stage="build")

    def lost(self, case: C.Case, folder: Path, documents: list, text_docs: list) -> tuple[str, str] | None:
        bad = undrawable(documents, self.cover)
        if bad:
            import unicodedata

            first = next(iter(bad))
            categories = sorted({unicodedata.category(chr(int(k[2:], 16))) for k in bad})
            detail = "characters the fonts cannot draw in the composed tree:\n" + "\n".join(
                f"  {k} {_char_name(k)} in {v!r}" for k, v in list(bad.items())[:12])
            return f"lost: undrawable {'/'.join(categories)} (e.g. {first} {_char_name(first)})", detail
        if not case.text_only:
            return None
        baseline = self.baseline(case.source)
        hay = None
        for m in case.mutations:
            for path in m.text_paths():
                pattern = C.pattern_of(path)
                if pattern not in baseline.printed.get(m.file, set()) and not (
                        m.file.startswith("projects/") and pattern in ASSUMED_PRINTED):
                    continue
                value = C.read_back(folder, m.file, path)
                if not isinstance(value, str):
                    continue
                if hay is None:
                    hay = visible("\n".join(t for d in text_docs for t in texts(d)))
                rich, templated = C.source_info(case.source).files[m.file].patterns.get(pattern, (False, False))
                missing = missing_runs(value, hay, rich, templated)
                if missing:
                    where = ("projects/*" if m.file.startswith("projects/") else m.file) + ":" + ".".join(
                        str(p) for p in pattern)
                    kind = m.label.split(" (")[0]
                    decoded = missing_runs(value, hay, rich, templated, decoded=True) is None
                    return (f"lost text: {where} {kind}" + (" (printed decoded)" if decoded else ""),
                            f"in {m.file} {list(path)}: the value {C.short(value, 200)}\n"
                            f"  visible runs missing from the booklet: {[r[:40] for r in missing[:8]]}"
                            + ("\n  found only when read with character references or backslash escapes "
                               "decoded, which content/README.md says are printed as written" if decoded else ""))
                self.checked += 1
        return None

    def save(self, outcome: Outcome, casedir: Path) -> str:
        count = self.saved.get(outcome.signature, 0)
        if count >= SAVE_PER_SIGNATURE:
            return ""
        self.saved[outcome.signature] = count + 1
        return save_failure(self.failures, outcome, casedir, self.seed)


def _family(label: str) -> str:
    """text:jinja/jinja-for (spliced at 3) → text:jinja; fs:fifo → fs:fifo; raw:nan → raw."""
    head = label.split(" (")[0]
    kind, _, rest = head.partition(":")
    if kind in ("text", "key"):
        return f"{kind}:{rest.split('/')[0].split('=')[0].split('+')[0]}"
    if kind in ("fs", "rawfile", "structure", "shape"):
        return re.sub(r"-\d+$", "", head)
    return kind


def case_of(cid: str, seed: int | None, sources: list[str] | None, build_every: int) -> C.Case:
    """Case ``cid``: a number drawn with ``seed``, or ``x:NAME`` from the named cases."""
    if cid.startswith("x:"):
        return C.EXPLICIT[cid[2:]]
    return C.case_for(seed, int(cid), sources, build_every)


def _char_name(key: str) -> str:
    import unicodedata

    return unicodedata.name(chr(int(key[2:], 16)), "?")


def run_check(folder: Path) -> tuple[int, str, dict]:
    """``docgen check FOLDER`` in-process, its output going to strict UTF-8 streams (a terminal).

    The plan (or the ContentError) of the ``load`` it makes is kept, so that a case is read once."""
    import docgen.load
    from docgen import cli

    out, err = io.BytesIO(), io.BytesIO()
    out_text = io.TextIOWrapper(out, encoding="utf-8", errors="strict", write_through=True)
    err_text = io.TextIOWrapper(err, encoding="utf-8", errors="strict", write_through=True)
    seen: dict = {}
    real = docgen.load.load

    def load(*args, **kwargs):
        try:
            seen["plan"] = real(*args, **kwargs)
        except BaseException as exc:
            seen["error"] = exc
            raise
        return seen["plan"]

    docgen.load.load = load
    try:
        with contextlib.redirect_stdout(out_text), contextlib.redirect_stderr(err_text):
            code = cli.main(["check", str(folder)])
    finally:
        docgen.load.load = real
    return code, err.getvalue().decode("utf-8", errors="replace"), seen


def _said_problems(said: str) -> list:
    """The ``path:line: field: message`` lines docgen check printed, as problems."""
    from docgen.errors import Problem

    found = []
    for line in said.splitlines():
        match = re.match(r"^(.*?):(\d+): (.*?): (.*)$", line)
        if match:
            found.append(Problem(match.group(1), int(match.group(2)), match.group(3), match.group(4)))
    return found


def _remove(path: Path) -> None:
    if path.exists() or path.is_symlink():
        C.restore_permissions(path)
        shutil.rmtree(path, ignore_errors=True)


def _copy_special(src: str, dst: str) -> None:
    mode = os.lstat(src).st_mode
    if stat.S_ISFIFO(mode):
        os.mkfifo(dst)
    else:
        shutil.copy2(src, dst)


def save_failure(root: Path, outcome: Outcome, casedir: Path, seed: int | None) -> str:
    """Copy a failing case's folder (FIFOs and symlinks as they are) with a note of the case."""
    target = root / f"case-{outcome.id.replace(':', '-')}-{outcome.cls}"
    try:
        _remove(target)
        target.mkdir(parents=True)
        C.restore_permissions(casedir)
        for entry in sorted(casedir.iterdir()) if casedir.is_dir() else []:
            if entry.name == "out":
                continue
            dest = target / entry.name
            try:
                if entry.is_symlink():
                    dest.symlink_to(os.readlink(entry))
                elif entry.is_dir():
                    shutil.copytree(entry, dest, symlinks=True, copy_function=_copy_special)
                else:
                    _copy_special(str(entry), str(dest))
            except (OSError, shutil.Error) as exc:
                (target / f"{entry.name}.copy-error.txt").write_text(str(exc)[:2000], encoding="utf-8")
        replay = (f"python -m tests.fuzz.run --seed {seed} --case {outcome.id}" if not outcome.id.startswith("x:")
                  else f"python -m tests.fuzz.run --explicit {outcome.id[2:]}")
        (target / "case.txt").write_text(
            f"{outcome.cls}: {outcome.signature}\nstage: {outcome.stage}\nreplay: {replay}\n\n"
            f"case: {outcome.case}\nnotes: {outcome.notes}\n(permissions were restored before copying; the "
            f"mutation list says what was unreadable)\n\n{outcome.detail}\n\n{outcome.full}", encoding="utf-8")
        return str(target)
    except OSError as exc:
        return f"(not saved: {exc})"


# ---- worker processes ------------------------------------------------------------------------------------

def _limit_memory() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if soft == resource.RLIM_INFINITY or soft > MEMORY_LIMIT:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, hard))


def _drop_root(home: Path | None = None) -> None:
    """As root, give up overriding file permissions (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH) so that
    an unreadable file is unreadable; the process stays root for everything else."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return
    import ctypes

    class Header(ctypes.Structure):
        _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

    class Data(ctypes.Structure):
        _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                    ("inheritable", ctypes.c_uint32)]

    libc = ctypes.CDLL(None, use_errno=True)
    header, data = Header(0x20080522, 0), (Data * 2)()  # _LINUX_CAPABILITY_VERSION_3
    if libc.capget(ctypes.byref(header), data) != 0:
        return
    keep = ~((1 << 1) | (1 << 2)) & 0xFFFFFFFF
    data[0].effective &= keep
    data[0].permitted &= keep
    data[0].inheritable &= keep
    libc.capset(ctypes.byref(header), data)


def _ids(spec: str) -> list[str]:
    kind, _, rest = spec.partition(":")
    if kind == "range":
        start, stop, step = (int(x) for x in rest.split(":"))
        return [str(i) for i in range(start, stop, step)]
    return [f"x:{name}" for name in rest.split(",") if name]


def _spec(ids: list[str]) -> str:
    if ids and all(not i.startswith("x:") for i in ids):
        numbers = [int(i) for i in ids]
        step = numbers[1] - numbers[0] if len(numbers) > 1 else 1
        if numbers == list(range(numbers[0], numbers[-1] + 1, step)):
            return f"range:{numbers[0]}:{numbers[-1] + 1}:{step}"
    return "names:" + ",".join(i[2:] for i in ids)


def _die_with_parent() -> None:
    """Linux: the worker gets SIGKILL when the runner that started it goes, however it goes."""
    if sys.platform.startswith("linux"):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        if os.getppid() == 1:
            os._exit(1)


def worker(args: argparse.Namespace) -> int:
    _die_with_parent()
    proto = os.fdopen(os.dup(1), "w", encoding="utf-8", buffering=1)
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the worker's life
    tmp = Path(args.tmp)
    _limit_memory()
    if not args.keep_root:
        _drop_root(tmp)
    ctx = Context(args.seed, tmp, args.timeout, args.build_timeout, args.build_every,
                  args.sources.split(",") if args.sources else None,
                  Path(args.failures) if args.failures else None)
    def phase(name: str) -> None:  # a build gets its own time limit, and so does the stack dump
        faulthandler.dump_traceback_later(args.build_timeout + 5, file=sys.stderr)
        proto.write(json.dumps({"phase": name}) + "\n")

    ctx.phase = phase
    for cid in _ids(args.ids):
        proto.write(json.dumps({"begin": cid}) + "\n")
        # a hang in C code does not answer the alarm: the stack goes to the log for the watchdog
        faulthandler.dump_traceback_later(args.timeout + 5, file=sys.stderr)
        outcome = ctx.run(cid)
        faulthandler.cancel_dump_traceback_later()
        if outcome.cls not in FAILING:
            outcome.full = ""
            if outcome.seconds < SLOW:
                outcome.case = ""
        proto.write(json.dumps({"result": asdict(outcome)}, ensure_ascii=False) + "\n")
    return 0


@dataclass
class _Worker:
    index: int
    ids: list[str]
    proc: subprocess.Popen | None = None
    current: str | None = None
    phase: str = ""
    since: float = 0.0
    tmp: Path | None = None
    log_at: int = 0


@dataclass
class Summary:
    seed: int | None
    counts: dict[str, int]
    failures: list[Outcome]
    classes: dict[str, str]  # case id → class
    seconds: float
    stats: dict = field(default_factory=dict)  # mutations, skipped, checked (strings read back), builds
    families: dict = field(default_factory=dict)  # mutation family → counts per class
    slowest: list = field(default_factory=list)  # the slowest cases that did not fail (over SLOW seconds)

    def __repr__(self) -> str:
        return f"Summary(seed={self.seed}: {self.line()})"

    @property
    def failed(self) -> int:
        return sum(self.counts[c] for c in FAILING)

    def line(self) -> str:
        c = self.counts
        return (f"tried {sum(c.values())} / located {c['located']} / built {c['built']} / traceback "
                f"{c['traceback']} / hang {c['hang']} / lost {c['lost']} / unlocated {c['unlocated']}")


def run(seed: int | None = None, cases: int = 0, explicit: list[str] | None = None, jobs: int = 2,
        timeout: float = 20, build_timeout: float = 90, build_every: int = 25, sources: list[str] | None = None,
        failures: Path | None = FAILURES, keep_root: bool = False, progress: Any = sys.stderr) -> Summary:
    """Run cases in ``jobs`` worker processes under a watchdog; return the counts and the failures."""
    started = time.monotonic()
    ids = [f"x:{n}" for n in explicit] if explicit else [str(i) for i in range(cases)]
    jobs = max(1, min(jobs, len(ids) or 1))
    tmp = Path(tempfile.mkdtemp(prefix="docgen-fuzz-"))
    os.chmod(tmp, 0o755)
    run_failures = None
    if failures is not None:
        run_failures = failures / (f"seed-{seed}" if not explicit else "explicit")
        failures.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            failures.chmod(0o1777)
        _remove(run_failures)
        run_failures.mkdir(parents=True)
    counts = {c: 0 for c in CLASSES}
    outcomes: list[Outcome] = []
    classes: dict[str, str] = {}
    stats = {"mutations": 0, "skipped": 0, "checked": 0, "builds": 0}
    slowest: list[Outcome] = []
    families: dict[str, dict[str, int]] = {}
    selector = selectors.DefaultSelector()
    workers = [_Worker(i, ids[i::jobs]) for i in range(jobs)]

    def start(w: _Worker) -> None:
        w.tmp = tmp / f"worker-{w.index}"
        w.tmp.mkdir(exist_ok=True)
        command = [sys.executable, "-m", "tests.fuzz.run", "--worker", "--ids", _spec(w.ids),
                   "--timeout", str(timeout), "--build-timeout", str(build_timeout),
                   "--build-every", str(build_every), "--tmp", str(w.tmp)]
        command += ["--seed", str(seed)] if seed is not None else []
        command += ["--sources", ",".join(sources)] if sources else []
        command += ["--failures", str(run_failures)] if run_failures else []
        command += ["--keep-root"] if keep_root else []
        log = open(tmp / f"worker-{w.index}.log", "ab")  # noqa: SIM115 - the worker's stderr
        w.proc = subprocess.Popen(command, cwd=C.ROOT, stdout=subprocess.PIPE, stderr=log,
                                  start_new_session=True)
        log.close()
        w.current = None
        selector.register(w.proc.stdout, selectors.EVENT_READ, w)

    def record(outcome: Outcome) -> None:
        counts[outcome.cls] += 1
        classes[outcome.id] = outcome.cls
        stats["mutations"] += len(outcome.notes)
        stats["skipped"] += sum(1 for n in outcome.notes if n != "applied")
        stats["checked"] += outcome.checked
        stats["builds"] += outcome.stage == "build"
        if outcome.cls not in FAILING and outcome.seconds >= SLOW:
            slowest.append(outcome)
            slowest.sort(key=lambda o: -o.seconds)
            del slowest[5:]
        for family in set(outcome.families):
            row = families.setdefault(family, {c: 0 for c in CLASSES})
            row[outcome.cls] += 1
        if outcome.cls in FAILING:
            outcomes.append(outcome)
        done = sum(counts.values())
        if progress and (done % max(1, len(ids) // 10) == 0 or done == len(ids)) and len(ids) >= 100:
            print(f"fuzz: {done}/{len(ids)} cases, {sum(counts[c] for c in FAILING)} failing, "
                  f"{time.monotonic() - started:.0f} s", file=progress, flush=True)

    def abandon(w: _Worker, cls: str, signature: str, detail: str) -> None:
        """The worker died or was killed in the middle of a case: record it, go on after it."""
        cid = w.current
        described = case_of(cid, seed, sources, build_every).describe()
        outcome = Outcome(cid, cls, signature, detail, w.phase, described)
        if run_failures is not None:
            outcome.saved = save_failure(run_failures, outcome, w.tmp / f"case-{cid.replace(':', '-')}", seed)
        record(outcome)
        w.ids = w.ids[w.ids.index(cid) + 1:]
        _remove(w.tmp / f"case-{cid.replace(':', '-')}")
        if w.ids:
            start(w)
        else:
            w.proc = None

    def terminated(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, terminated) if hasattr(signal, "SIGTERM") else None
    try:
        for w in workers:
            if w.ids:
                start(w)
        while any(w.proc is not None for w in workers):
            for key, _ in selector.select(timeout=1.0):
                w = key.data
                line = w.proc.stdout.readline()
                if not line:
                    selector.unregister(w.proc.stdout)
                    code = w.proc.wait()
                    w.proc.stdout.close()
                    log = (tmp / f"worker-{w.index}.log").read_text(encoding="utf-8", errors="replace")
                    if w.current is not None:
                        abandon(w, "traceback", f"worker died (exit {code}) in {w.phase}", log[-3000:])
                    elif w.ids:
                        raise RuntimeError(f"fuzz worker {w.index} stopped (exit {code}) with "
                                           f"{len(w.ids)} cases left:\n{log[-3000:]}")
                    else:
                        w.proc = None
                    continue
                message = json.loads(line)
                if "begin" in message:
                    w.current, w.phase, w.since = message["begin"], "load", time.monotonic()
                    w.log_at = (tmp / f"worker-{w.index}.log").stat().st_size
                elif "phase" in message:
                    w.phase, w.since = message["phase"], time.monotonic()
                elif "result" in message:
                    record(Outcome(**message["result"]))
                    w.current = None
                    w.ids = w.ids[1:] if w.ids and w.ids[0] == message["result"]["id"] else w.ids
            now = time.monotonic()
            for w in workers:
                if w.proc is None or w.current is None:
                    continue
                limit = (build_timeout if w.phase == "build" else timeout) + 15
                if now - w.since > limit:
                    selector.unregister(w.proc.stdout)
                    with contextlib.suppress(ProcessLookupError):
                        os.killpg(w.proc.pid, signal.SIGKILL)
                    w.proc.wait()
                    w.proc.stdout.close()
                    with open(tmp / f"worker-{w.index}.log", "rb") as log:
                        log.seek(w.log_at)
                        dump = log.read().decode("utf-8", errors="replace")
                    where = _dump_where(dump)
                    abandon(w, "hang", f"hang that the alarm could not interrupt ({w.phase}) in {where}",
                            f"killed after {limit:.0f} s: C code (a huge integer power, a huge allocation …) or a "
                            f"blocking call.  Stack when the time ran out (faulthandler):\n{dump[-4000:]}")
    finally:
        for w in workers:
            if w.proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(w.proc.pid, signal.SIGKILL)
        _remove(tmp)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return Summary(seed, counts, outcomes, classes, time.monotonic() - started, stats, families, slowest)


def _dump_where(dump: str) -> str:
    """The innermost docgen frame of a faulthandler dump (most recent call first)."""
    frames = re.findall(r'File "([^"]+)", line (\d+) in (\S+)', dump)
    ours = [f for f in frames if "/docgen/" in f[0]]
    frame = (ours or frames or [None])[0]
    return f"{_short_file(frame[0])} {frame[2]}" if frame else "? (no stack dump)"


def report(summary: Summary, out=sys.stdout, families: bool = False) -> None:
    """The distinct failures (one reproducer each), then the counts on one line."""
    groups: dict[str, list[Outcome]] = {}
    for outcome in sorted(summary.failures, key=lambda o: (FAILING.index(o.cls), _order(o.id))):
        groups.setdefault(outcome.signature, []).append(outcome)
    if groups:
        print(f"\n== {len(groups)} distinct failures ==", file=out)
    for n, (signature, items) in enumerate(groups.items(), 1):
        first = items[0]
        replay = (f"python -m tests.fuzz.run --seed {summary.seed} --case {first.id}" if not first.id.startswith("x:")
                  else f"python -m tests.fuzz.run --explicit {first.id[2:]}")
        more = ""
        if len(items) > 1:
            more = f"; also cases {', '.join(o.id for o in items[1:6])}{' …' if len(items) > 6 else ''}"
        print(f"\n[{n}] {first.cls} ×{len(items)}  {signature}", file=out)
        seed = f"seed {summary.seed} " if summary.seed is not None else ""
        print(f"    {seed}case {first.id} ({first.stage}){more}", file=out)
        print(f"    replay: {replay}", file=out)
        print("    mutation: " + first.case.replace("\n", "\n    "), file=out)
        if first.notes and any(n_ != "applied" for n_ in first.notes):
            print(f"    notes: {first.notes}", file=out)
        print("    " + (first.detail or "").strip().replace("\n", "\n    "), file=out)
        if first.saved:
            print(f"    saved: {first.saved}", file=out)
    if summary.slowest:
        print(f"\n== slowest cases (not failures; over {SLOW:g} s) ==", file=out)
        for o in summary.slowest:
            seed = f"--seed {summary.seed} " if summary.seed is not None else ""
            print(f"  {o.seconds:6.1f} s  {o.cls} ({o.stage})  python -m tests.fuzz.run {seed}--case {o.id}", file=out)
            print("      " + o.case.replace("\n", "\n      ")[:600], file=out)
    if families:
        print("\n== cases per mutation family ==", file=out)
        for family, row in sorted(summary.families.items()):
            print(f"  {family:34} " + " ".join(f"{c} {row[c]}" for c in CLASSES if row[c]), file=out)
    st = summary.stats
    if st:
        head = f"seed {summary.seed}" if summary.seed is not None else "named cases"
        print(f"\n{head}: {summary.seconds:.0f} s; {st['mutations'] - st['skipped']} of {st['mutations']} "
              f"mutations applied; {st['checked']} inserted strings found in the composed tree; "
              f"{st['builds']} builds", file=out)
    print(summary.line(), file=out)


def _order(cid: str) -> tuple:
    return (0, int(cid), "") if cid.isdigit() else (1, 0, cid)


def replay(args: argparse.Namespace) -> int:
    """One case in this process, with the whole traceback."""
    tmp = Path(tempfile.mkdtemp(prefix="docgen-fuzz-replay-"))
    os.chmod(tmp, 0o755)
    _limit_memory()
    if not args.keep_root:
        _drop_root(tmp)
    ctx = Context(args.seed, tmp, args.timeout, args.build_timeout, args.build_every,
                  args.sources.split(",") if args.sources else None)
    cid = args.case if not args.case.startswith("x:") else args.case
    outcome = ctx.run(cid, keep=args.keep)
    print(f"case {cid} (seed {args.seed}): {outcome.cls}  {outcome.signature}")
    print("  " + outcome.case.replace("\n", "\n  "))
    print(f"  notes: {outcome.notes}")
    print(f"  stage: {outcome.stage}, {outcome.seconds} s")
    if outcome.detail:
        print("  " + outcome.detail.replace("\n", "\n  "))
    if outcome.full:
        print(outcome.full)
    if args.keep:
        print(f"  folder kept: {tmp}")
    else:
        _remove(tmp)
    return 1 if outcome.cls in FAILING else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="number of cases (default 1000)")
    parser.add_argument("--seed", type=int, default=None, help="seed (default: from the clock, printed)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="worker processes")
    parser.add_argument("--timeout", type=float, default=20, help="seconds for check + load + compose")
    parser.add_argument("--build-timeout", type=float, default=90, help="seconds for a build")
    parser.add_argument("--build-every", type=int, default=25, help="build 1 in N of the cases that load")
    parser.add_argument("--sources", default="", help="comma-separated: mini, ward-2y-quarterly, town-5y, content")
    parser.add_argument("--failures", default=None,
                        help=f"where failing content folders are saved (default {FAILURES}; '' for nowhere)")
    parser.add_argument("--case", default=None, help="replay one case number (in this process)")
    parser.add_argument("--explicit", default=None, help="run named cases (comma-separated, or 'all')")
    parser.add_argument("--keep", action="store_true", help="with --case: keep the content folder")
    parser.add_argument("--keep-root", action="store_true",
                        help="as root, keep the right to read unreadable files")
    parser.add_argument("--families", action="store_true", help="also print the classes per mutation family")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--ids", default="", help=argparse.SUPPRESS)
    parser.add_argument("--tmp", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)
    if args.case is not None:
        if args.seed is None and not args.case.startswith("x:"):
            parser.error("--case needs the --seed the case was drawn with")
        return replay(args)
    explicit = None
    if args.explicit:
        explicit = list(C.EXPLICIT) if args.explicit == "all" else args.explicit.split(",")
        unknown = [n for n in explicit if n not in C.EXPLICIT]
        if unknown:
            parser.error(f"unknown cases: {', '.join(unknown)} (known: {', '.join(C.EXPLICIT)})")
    seed = args.seed if args.seed is not None else int(time.time())
    if explicit:
        print(f"fuzz: {len(explicit)} named cases, {args.jobs} jobs", flush=True)
    else:
        print(f"fuzz: seed {seed}, {args.cases} cases, {args.jobs} jobs "
              f"(replay one: python -m tests.fuzz.run --seed {seed} --case N)", flush=True)
    try:
        summary = run(None if explicit else seed, args.cases, explicit, args.jobs, args.timeout,
                      args.build_timeout, args.build_every, args.sources.split(",") if args.sources else None,
                      FAILURES if args.failures is None else Path(args.failures) if args.failures else None,
                      args.keep_root)
    except KeyboardInterrupt as exc:
        print(f"fuzz: stopped ({exc or 'interrupted'}); the workers were stopped and their folders removed",
              file=sys.stderr)
        return 130
    report(summary, families=args.families)
    return 1 if summary.failed else 0


if __name__ == "__main__":
    sys.exit(main())
