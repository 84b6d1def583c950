"""Japanese era (和暦) labels for fiscal years and dates.

Years are stored as Western years everywhere in the content; every 和暦 label is derived here from
one era table.  Adding a future era is one line in ``ERAS``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Era:
    name: str  # 令和
    letter: str  # R
    start: date  # first day of the era


# Newest last.  A new era is one more line here.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23)),
    Era("大正", "T", date(1912, 7, 30)),
    Era("昭和", "S", date(1926, 12, 25)),
    Era("平成", "H", date(1989, 1, 8)),
    Era("令和", "R", date(2019, 5, 1)),
)


def era_of(day: date) -> tuple[Era, int]:
    """The era of a calendar day and the year number within it (元年 = 1)."""
    for era in reversed(ERAS):
        if day >= era.start:
            return era, day.year - era.start.year + 1
    raise ValueError(f"{day.isoformat()} は和暦の表にない日付です")


def fiscal_era(year: int) -> tuple[Era, int]:
    """Era of a fiscal year (April to March): the era in force on 1 April of that year.

    Fiscal 2019 is counted as 令和元年度 by government convention, although 令和 began on 1 May.
    """
    era, number = era_of(date(year, 4, 1))
    nxt = next((e for e in ERAS if e.start > date(year, 4, 1) and e.start.year == year), None)
    if nxt is not None:
        return nxt, 1
    return era, number


def _num(n: int) -> str:
    return "元" if n == 1 else str(n)


def short_fy(year: int) -> str:
    """R5 — the short label used in schedule headers."""
    era, n = fiscal_era(year)
    return f"{era.letter}{n}"


def fy(year: int) -> str:
    """令和5年度"""
    era, n = fiscal_era(year)
    return f"{era.name}{_num(n)}年度"


def fy_short_nendo(year: int) -> str:
    """R5年度 — the label on the card's 実施工程表 columns."""
    return f"{short_fy(year)}年度"


def year_with_western(year: int, month: int | None = None) -> str:
    """令和5(2023)年 or 令和5(2023)年4月; with month None and ``placeholder`` 〇月 see :func:`dated`."""
    era, n = era_of(date(year, month or 12, 1 if month else 31))
    text = f"{era.name}{_num(n)}({year})年"
    return text + (f"{month}月" if month else "")


def dated(year: int, month: int | None, placeholder: str = "〇") -> str:
    """令和5(2023)年4月, or 令和5(2023)年〇月 while the month is not yet fixed."""
    if month is None:
        return year_with_western(year) + f"{placeholder}月"
    return year_with_western(year, month)


def era_date(year: int, month: int | None = None) -> str:
    """令和4年3月 (era only, as prose writes it)."""
    era, n = era_of(date(year, month or 12, 1 if month else 31))
    return f"{era.name}{_num(n)}年" + (f"{month}月" if month else "")


def western_fy(label: str) -> int | None:
    """The Western fiscal year of an era label as printed or typed: R5, 令和5, 令和元, H31 (None when
    it is not one).  Fiscal 2019 is 令和元年度 (see :func:`fiscal_era`), and 平成31年度 is the same year."""
    import re

    match = re.fullmatch(r"([A-Z]|明治|大正|昭和|平成|令和)(元|\d{1,2})", label.strip())
    if not match:
        return None
    era = next((e for e in ERAS if match.group(1) in (e.letter, e.name)), None)
    if era is None:
        return None
    number = 1 if match.group(2) == "元" else int(match.group(2))
    if number < 1:
        return None
    return era.start.year + number - 1
