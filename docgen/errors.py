"""Content problems: every error in the content is reported with its file, line and field."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

_NAMED = {"\t": "\\t", "\r": "\\r", "\n": "\\n"}


def visible(text: str) -> str:
    """Text safe to print on a terminal line: control and format characters, line and paragraph
    separators and lone surrogates shown escaped (\\t, U+2028), never raw."""
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or (
                unicodedata.category(ch) == "Cf" and ch not in "\u200d"):
            out.append(f"U+{ord(ch):04X}")
        else:
            out.append(ch)
    return "".join(out)


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in the content, shown to staff as ``path:line: field: message``."""

    path: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return visible(f"{self.path}:{self.line}: {self.field}: {self.message}")


class ContentError(Exception):
    """The content could not be loaded; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(str(p) for p in self.problems))


def _problem_order(p: Problem):
    return (p.path, p.line, p.field, p.message)


class Problems:
    """Collects problems while content is loaded and checked."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, path: str | Path, line: int | None, field: str, message: str) -> None:
        self.items.append(Problem(str(path), int(line or 1), field, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)
