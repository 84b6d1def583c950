"""Nothing lost, nothing hangs: valid content mutated with hostile strings, numbers, structures and
file-system oddities (tests/fuzz/) is loaded and checked — and, for a sample, built — or refused with
a located, Japanese content error; never a traceback, a hang or lost text.

``make fuzz`` runs 10,000 cases; here a bounded run with a fixed seed, the issue's named cases one by
one, and the hypothesis strategy in-process (hypothesis shrinks a failure to a small mutation).
A failure prints its reproducer (``python -m tests.fuzz.run --seed S --case N``)."""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings

from tests.fuzz import cases as C
from tests.fuzz import run

SEED = 20250303
CASES = int(os.environ.get("FUZZ_HOSTILE_CASES", "200"))
OK = ("located", "built")


def _report(summary: run.Summary) -> str:
    out = io.StringIO()
    run.report(summary, out)
    return out.getvalue()


def test_bounded_fuzz_run_has_no_traceback_hang_or_lost_text():
    summary = run.run(seed=SEED, cases=CASES, jobs=2, timeout=20, build_timeout=90, progress=None)
    assert sum(summary.counts.values()) == CASES
    if summary.failed:
        pytest.fail(_report(summary), pytrace=False)


NAMED = [name for name in C.EXPLICIT if name not in C.COVERED_ELSEWHERE]


@pytest.fixture(scope="module")
def named() -> run.Summary:
    return run.run(explicit=NAMED, jobs=2, timeout=10, build_timeout=90, progress=None)


@pytest.mark.parametrize("name", NAMED)
def test_named_hostile_case(named, name):
    """The issue's cases that tests/test_limits.py and tests/test_publish.py do not already test, and
    the faults the fuzzer found, each through the same harness."""
    outcome = named.classes.get(f"x:{name}")
    failure = next((o for o in named.failures if o.id == f"x:{name}"), None)
    detail = f"{failure.signature}\n{failure.case}\n{failure.detail}" if failure else ""
    assert outcome in OK, f"{name}: {outcome}\n{detail}"


@pytest.fixture(scope="module")
def context(tmp_path_factory) -> run.Context:
    return run.Context(None, tmp_path_factory.mktemp("hostile"), timeout=20, failures=None)


@settings(max_examples=20, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.data_too_large])
@given(case=C.hostile_cases(sources=["mini"], cheap=True))
def test_hostile_cases_in_process(context, case):
    outcome = context.run("hypothesis", case)
    assert outcome.cls in OK, f"{outcome.cls}: {outcome.signature}\n{case.describe()}\n{outcome.detail}"


def test_lost_text_check_finds_a_dropped_run():
    """The harness itself, under the documented reading: symbols print as written."""
    from tests.fuzz.tree import missing_runs, visible

    assert missing_runs("電子\u2028申請", visible("電子")) == ["申請"]
    assert missing_runs("A&amp;B", visible("A&amp;B")) is None
    assert missing_runs("A&amp;B", visible("A&B")) == ["amp"]  # a reference decoded: not as written
    assert missing_runs("A&amp;B", visible("A&B"), decoded=True) is None
    assert missing_runs("1. 第一\n2. 第二", visible("①第一②第二"), rich=True) is None
    assert missing_runs("{{ 事業数 }}件の事業", visible("4件の事業"), templated=True) is None
    assert missing_runs("{{ 事業数 }}件", visible("4件"), templated=False) == ["事業数"]


def test_cases_are_reproducible():
    first = C.case_for(SEED, 17)
    again = C.case_for(SEED, 17)
    assert first.describe() == again.describe()
