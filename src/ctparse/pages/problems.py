"""Problems found while reading a page, in the coordinates of the prepared text.

Readers collect them as they go; ``to_diagnostics`` turns them into the public
``Diagnostic`` records (positions in the text the user gave), and strict mode raises the
first as a ``ParseError`` carrying them all.
"""

from __future__ import annotations

from attrs import frozen

from ctparse.errors import ParseError
from ctparse.model.diagnostics import Diagnostic, DiagnosticCode
from ctparse.pages.lines import Source

PAGE_HEADER = "page header"

__all__ = ["PAGE_HEADER", "Problem", "printable", "raise_first", "to_diagnostics"]


@frozen
class Problem:
    """A line a reader could not place; ``message`` starts with its section's name."""

    line: int
    column: int
    code: DiagnosticCode
    message: str
    section: str | None = None

    @classmethod
    def at(cls, line: int, column: int, code: DiagnosticCode, where: str, detail: str) -> Problem:
        """A problem in section ``where`` (a heading, or ``PAGE_HEADER`` for the lines above
        the first heading); the message names it."""
        section = None if where == PAGE_HEADER else where
        return cls(line, column, code, f"{where}: {detail}", section)


def printable(message: str) -> str:
    """The message with the characters a terminal would act on or hide (control characters,
    direction marks, NUL) written as escapes: messages quote the page's lines."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)


def to_diagnostics(source: Source, problems: list[Problem]) -> tuple[Diagnostic, ...]:
    """The problems in page order, placed in the lines of the text the user gave."""
    problems.sort(key=lambda p: (p.line, p.column))
    diagnostics = []
    for problem in problems:
        line, column = source.position(problem.line, problem.column)
        diagnostics.append(
            Diagnostic(
                line=line,
                column=column,
                code=problem.code,
                section=problem.section,
                message=printable(problem.message),
            )
        )
    return tuple(diagnostics)


def raise_first(diagnostics: tuple[Diagnostic, ...], first: Diagnostic | None = None) -> None:
    """Strict mode: the first problem in page order (or ``first``, the first of those that
    fail a strict read) as a ``ParseError`` that carries all."""
    first = first or diagnostics[0]
    raise ParseError(
        first.message,
        first.line,
        first.column,
        code=first.code,
        section=first.section,
        diagnostics=diagnostics,
    )
