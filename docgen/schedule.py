"""The half-year schedule grid: where each phase of a project starts and ends."""

from __future__ import annotations

from . import booklet, checks, model, wareki


def grid_years(meta: model.PlanMeta) -> tuple[str, ...]:
    """Short fiscal-year labels of the plan period: R5, R6, R7."""
    return tuple(wareki.short_fy(y) for y in meta.period.years)


def last_half(project: model.Project, meta: model.PlanMeta) -> int:
    """The last half a project runs in: the end of the plan period, or for a project 完了 or 廃止 in a
    year, the second half of that year."""
    last = len(meta.period.years) * 2 - 1
    if project.closed and project.status.year is not None:
        return min(last, (project.status.year - meta.period.start) * 2 + 1)
    return last


def bars(project: model.Project, meta: model.PlanMeta) -> tuple[booklet.Bar, ...]:
    """Each phase as a bar on the grid.  A phase without 終了 runs until the next phase starts
    (the last one to the end of the plan period); nothing runs past the year a project closed."""
    last = last_half(project, meta)
    phases = project.schedule.phases
    starts = [checks.half_index(p.start, meta) for p in phases]
    out = []
    for i, phase in enumerate(phases):
        start = starts[i]
        if start > last:
            break
        if phase.end:
            end = checks.half_index(phase.end, meta)
        elif i + 1 < len(phases):
            end = starts[i + 1] - 1
        else:
            end = last
        out.append(booklet.Bar(phase.label, start, max(start, min(end, last))))
    return tuple(out)


def continues(project: model.Project) -> bool:
    """Whether the project goes on after the plan period (the → of the system table)."""
    return any(p.continues for p in project.schedule.phases) and not project.closed
