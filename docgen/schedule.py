"""The schedule grid of the system table: where each phase of a project starts and ends.

Cells are those of :class:`docgen.fiscal.Grid`: 0 is the plan's first cell, ``grid.cells`` the
continuation column past the period.
"""

from __future__ import annotations

from . import booklet, model, wareki


def grid_years(meta: model.PlanMeta) -> tuple[str, ...]:
    """Short fiscal-year labels of the plan period: R5, R6, R7."""
    return tuple(wareki.short_fy(y) for y in meta.period.years)


def last_cell(project: model.Project, meta: model.PlanMeta) -> int:
    """The last cell a project runs in: the continuation column, or for a project 完了 or 廃止 in a
    year, that year's last cell."""
    grid = meta.period.grid
    if project.closed and project.status.year is not None:
        return min(grid.cells, grid.last_cell(project.status.year))
    return grid.cells


def bars(project: model.Project, meta: model.PlanMeta) -> tuple[booklet.Bar, ...]:
    """Each phase as a bar on the grid.  A phase without 終了 runs until the next phase starts
    (the last one to the end of the plan period; when it is to go on, the renderer runs it into
    the continuation column with →); a phase written to end or start past the period reaches
    into the continuation column; nothing runs past the year a project closed."""
    grid = meta.period.grid
    last = last_cell(project, meta)
    phases = project.schedule.phases
    starts = [min(grid.index(p.start), grid.cells) for p in phases]
    out = []
    for i, phase in enumerate(phases):
        start = starts[i]
        if start > last or (out and start <= out[-1].end):
            break  # past the close, or one more phase starting in the continuation column
        if phase.end is not None:
            end = min(grid.index(phase.end), grid.cells)
        elif i + 1 < len(phases):
            end = starts[i + 1] - 1
        else:
            end = grid.cells - 1  # a renderer runs the last bar on into the continuation column (→)
        out.append(booklet.Bar(phase.label, start, max(start, min(end, last))))
    return tuple(out)


def continues(project: model.Project) -> bool:
    """Whether the project goes on after the plan period (the → of the system table)."""
    return any(p.continues for p in project.schedule.phases) and not project.closed
