"""The one place the results reader makes its problems (column 1: they name whole lines)."""

from __future__ import annotations

from ctparse.model import DiagnosticCode
from ctparse.pages.problems import Problem

__all__ = ["cut_part", "problem"]


def problem(line: int, message: str, code: DiagnosticCode, section: str | None = None) -> Problem:
    return Problem(line, 1, code, message, section)


def cut_part(line: int, section: str, what: str = "this part of the table") -> Problem:
    """A part of a table the page's cut reaches: it is left out, not returned as data."""
    message = f"{section}: the page is cut off in {what}; it is left out"
    return problem(line, message, DiagnosticCode.CUT_OFF, section)
