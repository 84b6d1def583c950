"""Fiscal-year arithmetic of a plan's schedule grid, in one place for checks and layout alike.

A plan runs over fiscal years ``start``…``end`` (1 to 10 years) and draws its schedule on a grid
whose unit is the 年度, the 半期 (two cells a year) or the 四半期 (four).  Cells count from 0 at the
first cell of the plan period; the cell ``cells`` (one past the last) is the continuation column
(「R8～」) where work reaching past the period is shown.

Staff write a point on the grid as the year followed by the part's name (``2023上期``,
``2024第3四半期``), or the year alone on a 年度 grid (``2024``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import wareki

UNITS = ("年度", "半期", "四半期")
PARTS = {"年度": 1, "半期": 2, "四半期": 4}
DEFAULT_NAMES = {"年度": (), "半期": ("上期", "下期"),
                 "四半期": ("第1四半期", "第2四半期", "第3四半期", "第4四半期")}
MAX_YEARS = 10


@dataclass(frozen=True)
class Grid:
    start: int  # first fiscal year (西暦)
    end: int  # last fiscal year
    unit: str = "半期"
    names: tuple[str, ...] = ("上期", "下期")  # the parts of a year; () on a 年度 grid

    @property
    def per_year(self) -> int:
        return PARTS[self.unit]

    @property
    def years(self) -> list[int]:
        return list(range(self.start, self.end + 1))

    @property
    def cells(self) -> int:
        """Cells inside the plan period; index ``cells`` is the continuation column."""
        return len(self.years) * self.per_year

    def parse(self, value) -> tuple[int, int] | None:
        """(year, part) of ``2023上期`` / ``2024第3四半期`` / ``2024``; None if it is not written so."""
        if isinstance(value, bool):
            return None
        if self.unit == "年度":
            if isinstance(value, int):
                return value, 0
            match = re.fullmatch(r"(\d{4})(?:年度)?", str(value).strip())
            return (int(match.group(1)), 0) if match else None
        text = str(value).strip()
        names = sorted(self.names, key=len, reverse=True)  # 第1四半期 before a name it contains
        match = re.fullmatch(r"(\d{4})(" + "|".join(re.escape(n) for n in names) + ")", text)
        if not match:
            return None
        return int(match.group(1)), self.names.index(match.group(2))

    def parse_shown(self, text: str) -> tuple[int, int] | None:
        """(year, part) of a point as written (2023上期) or as printed and typed back from a Word file:
        R5上期, 令和5年度上期, R5年度, R5, 2023年度上期 (full-width digits allowed)."""
        import unicodedata

        from . import wareki

        text = unicodedata.normalize("NFKC", str(text)).replace(" ", "")
        found = self.parse(text)
        if found is not None:
            return found
        names = sorted(self.names, key=len, reverse=True) if self.unit != "年度" else []
        part_re = "(" + "|".join(re.escape(n) for n in names) + ")" if names else "()"
        match = re.fullmatch(r"(\d{4}|[A-Z]\d{1,2}|(?:明治|大正|昭和|平成|令和)(?:元|\d{1,2}))(?:年度|年)?" + part_re,
                             text)
        if not match:
            return None
        head = match.group(1)
        year = int(head) if head.isdigit() else wareki.western_fy(head)
        if year is None:
            return None
        part = self.names.index(match.group(2)) if names else 0
        return year, part

    def written_of(self, text: str) -> str | None:
        """A point as staff write it in YAML (2023上期), from any form :meth:`parse_shown` reads."""
        found = self.parse_shown(text)
        if found is None:
            return None
        year, part = found
        return str(year) if self.unit == "年度" else f"{year}{self.names[part]}"

    def index(self, value) -> int | None:
        """Cell of a written point, counted from the plan's first cell (may be < 0 or ≥ cells)."""
        parsed = self.parse(value)
        if parsed is None:
            return None
        year, part = parsed
        return (year - self.start) * self.per_year + part

    def first_cell(self, year: int) -> int:
        return (year - self.start) * self.per_year

    def last_cell(self, year: int) -> int:
        return self.first_cell(year) + self.per_year - 1

    def year_of(self, cell: int) -> int:
        return self.start + cell // self.per_year

    def written(self, cell: int) -> str:
        """A cell as staff write it: 2023上期."""
        year = self.year_of(cell)
        return str(year) if self.unit == "年度" else f"{year}{self.names[cell % self.per_year]}"

    def short(self, cell: int) -> str:
        """A cell as printed in running text: R5上期, R6年度."""
        year = self.year_of(cell)
        if self.unit == "年度":
            return wareki.fy_short_nendo(year)
        return f"{wareki.short_fy(year)}{self.names[cell % self.per_year]}"

    def examples(self) -> tuple[str, str]:
        """Two correct ways to write a point, for error messages (the plan's own years and names)."""
        if self.unit == "年度":
            return str(self.start), str(self.end)
        return f"{self.start}{self.names[0]}", f"{self.end}{self.names[-1]}"

    @property
    def beyond_label(self) -> str:
        """Header of the continuation column: R8～."""
        return f"{wareki.short_fy(self.end + 1)}～"
