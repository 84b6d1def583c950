"""Every generated plan shape builds to PDF and Word, or gets a located content error — never a
traceback.  ``make fuzz`` runs many more examples (FUZZ_SHAPES)."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings

from docgen.build import build
from docgen.errors import ContentError

from .plan_shapes import plan_shapes, write

EXAMPLES = int(os.environ.get("FUZZ_SHAPES", "12"))
QUIET = dict(deadline=None, database=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=EXAMPLES, **QUIET)
@given(files=plan_shapes())
def test_generated_plan_shapes_build_or_are_located(tmp_path_factory, files):
    folder = write(tmp_path_factory.mktemp("shape") / "c", files)
    try:
        written = build(folder, folder.parent / "out", ("pdf", "docx"))
    except ContentError as exc:
        assert exc.problems and all(p.line >= 1 and p.path for p in exc.problems)
        return
    assert {p.suffix for p in written} == {".pdf", ".docx"}
    assert all(p.stat().st_size > 1000 for p in written)


@settings(max_examples=max(EXAMPLES * 3, 30), **QUIET)
@given(files=plan_shapes())
def test_generated_plan_shapes_mostly_load(tmp_path_factory, files):
    """The generator makes valid plans: loading only, so many shapes are tried cheaply."""
    from docgen.load import load

    folder = write(tmp_path_factory.mktemp("shape") / "c", files)
    try:
        load(folder)
    except ContentError as exc:
        messages = [str(p) for p in exc.problems]
        # the only faults the generator makes on purpose: numbers that repeat under a format
        # without every level, phases that start in the same continuation cell, a plan with no project
        assert all("重複" in m or "重なって" in m or "工程は開始の早い順" in m or "1つもありません" in m
                   for m in messages), messages
