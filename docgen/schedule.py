"""The schedule grid of the system table: where each phase of a project starts and ends.

Cells are those of :class:`docgen.fiscal.Grid`: 0 is the plan's first cell, ``grid.cells`` the
continuation column past the period.
"""

from __future__ import annotations

from dataclasses import replace

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


# the most grid cells one system table is set with, by cells per year: beyond, a cell on A4 gets
# narrower than a part's name (上期, 第1／四半期) or a short phase label needs
TABLE_CELLS = {1: 12, 2: 12, 4: 8}


def split_by_years(table: booklet.SystemTable) -> list[booklet.SystemTable]:
    """The system table as several tables of consecutive years when one table would be too narrow
    to read (ten years by quarters is forty cells; two years of quarters or six of halves fit).

    A typesetter sets such a plan's schedule as two or more tables one after the other (R7～R9,
    R10～R12 …), every project in each, rather than shrinking the type or turning the page: a bar
    that runs on into the next table ends in its continuation column with →, and is named again in
    the next, so that each table reads on its own.  Tables are made as even as the years allow."""
    per_year = max(1, len(table.parts))
    max_cells = TABLE_CELLS.get(per_year, 12)
    years = len(table.years)
    if years * per_year <= max_cells:
        return [table]
    fit = max(1, max_cells // per_year)
    count = -(-years // fit)
    sizes = [years // count + (1 if k < years % count else 0) for k in range(count)]
    out, first = [], 0
    for k, size in enumerate(sizes):
        last = k == count - 1
        lo, hi = first * per_year, (first + size) * per_year  # this table's cells: lo … hi-1
        rows = []
        for row in table.rows:
            if not isinstance(row, booklet.ProjectRow):
                rows.append(row)
                continue
            bars, runs_on = [], False
            limit = table.cells + 1 if last else hi  # the last table has the continuation column
            for bar in row.bars:
                reach = table.cells if (row.continues and bar is row.bars[-1]) else bar.end
                if reach < lo or bar.start >= limit:
                    continue
                start = max(bar.start, lo) - lo
                stop = bar.end - lo
                if not last and reach >= hi:  # on into the next table: to this one's edge, with →
                    runs_on, stop = True, hi - lo - 1
                bars.append(booklet.Bar(bar.label, start, max(start, stop)))  # each table reads alone
            continues = row.continues if last else runs_on
            rows.append(replace(row, bars=tuple(bars), continues=continues))
        beyond = table.beyond if last else f"{table.years[first + size]}～"
        out.append(replace(table, years=table.years[first:first + size], beyond=beyond, rows=tuple(rows)))
        first += size
    return out
