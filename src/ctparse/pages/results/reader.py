"""``parse_results``: results page text in, ``Results`` out.

As for trial pages, one engine serves both error levels: it always recovers and collects
problems; strict mode raises the first as a ``ParseError``, lenient mode returns them as
diagnostics. The page's last line, when the text does not end with a newline, is taken as
cut (every scraped excerpt ends mid-line): it is never read as data, only reported.
"""

from __future__ import annotations

import functools
from typing import cast

from attrs import evolve
from lark import Lark
from lark.exceptions import UnexpectedInput

from ctparse.errors import ParseError
from ctparse.model import Diagnostic, Results
from ctparse.pages.grammar import build_parser
from ctparse.pages.kind import page_kind
from ctparse.pages.recovery import NoFiller, Recovery
from ctparse.pages.results import vocabulary as page
from ctparse.pages.results.assembly import build_results, problem
from ctparse.pages.results.transformer import Problem, ResultsPage, ResultsTransformer

__all__ = ["parse_results"]

_HEADINGS = frozenset(
    (
        page.OVERVIEW,
        page.PARTICIPANT_FLOW,
        page.BASELINE,
        *page.FACT_LABELS,
        page.MILESTONES_CAPTION,
        page.WITHDRAWALS_CAPTION,
        page.BASELINE_CAPTION,
    )
)
# Terminals the recovery may invent to close an unfinished structure, most useful first.
_FILLERS = (
    "MEASURE",
    "TEXT",
    "STATUS",
    "PHASES",
    "ENROLLMENT",
    "DATE",
    "RESULTS_TITLE",
    "H_OVERVIEW",
    "H_FLOW",
    "C_BASELINE",
)


@functools.cache
def _parser() -> Lark:
    return build_parser("results", ResultsTransformer())


def parse_results(text: str, *, lenient: bool = False) -> Results:
    """Read one results page (``Trial Outcomes & Findings for ...``).

    Strict (the default) raises ``ParseError`` at the first thing it cannot place; a page
    cut before its end (every scraped excerpt) fails strictly at the cut. With
    ``lenient=True`` it never raises: the Results hold all complete values, and
    ``diagnostics`` name each line not placed, each cut part and each unknown section.
    Unknown sections read generically (``sections``) do not fail a strict parse; their
    diagnostics stay on the Results.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_results() takes the page text as str, not {type(text).__name__}")
    lines, cut = _prepare(text)
    problems: list[Problem] = []
    results = _read(lines, cut, problems)
    if not problems:
        return results
    problems.sort(key=lambda p: (p.line, p.column))
    failures = [p for p in problems if p.code != "unknown_section"]
    if failures and not lenient:
        first = failures[0]
        raise ParseError(_printable(first.message), first.line, first.column)
    return evolve(results, diagnostics=tuple(_diagnostic(p) for p in problems))


def _diagnostic(found: Problem) -> Diagnostic:
    """The one place a problem becomes a diagnostic."""
    message = _printable(found.message)
    if found.column != 1:
        message = f"{message} (column {found.column})"
    return Diagnostic(line=found.line, message=message)


def _printable(message: str) -> str:
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)


def _prepare(text: str) -> tuple[list[str], int | None]:
    """The page's lines (newlines normalised, BOM and trailing white space dropped) and the
    number of the cut last line, which is blanked."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    cut: int | None = None
    if lines[-1]:
        cut = len(lines)
        lines[-1] = ""
    else:
        lines.pop()
    return lines, cut


def _read(lines: list[str], cut: int | None, problems: list[Problem]) -> Results:
    if cut is not None:
        problems.append(
            problem(
                cut,
                "the page is cut off inside this line (no newline ends it); it is not read",
                "cut_off",
            )
        )
    body = "\n".join(lines) + "\n"
    if not body.strip():
        if cut is None:
            problems.append(problem(1, "the text is empty: expected a results page", "empty"))
        return Results(truncated=cut is not None)
    kind = page_kind(body)
    if kind != "results":
        first = next(number for number, line in enumerate(lines, start=1) if line)
        if kind == "trial":
            message = (
                "this is a trial page, not a results page ('Trial Outcomes & Findings for "
                "...'): read it with parse() or parse_page()"
            )
            problems.append(problem(first, message, "trial_page"))
        else:
            message = "not a results page: expected 'Trial Outcomes & Findings for ...'"
            problems.append(problem(first, message, "not_a_page"))
        return Results(truncated=cut is not None)
    parsed = _parse(body, problems)
    return build_results(parsed, problems, cut=cut is not None)


def _parse(body: str, problems: list[Problem]) -> ResultsPage:
    def make(line: int, column: int, message: str) -> Problem:
        code = "cut_off" if message.endswith("the page is cut off here") else "misplaced_line"
        return Problem(line, column, message, code)

    recovery = Recovery(body, problems, make, fillers=_FILLERS, headings=_HEADINGS)
    try:
        return cast(ResultsPage, _parser().parse(body, on_error=recovery.on_error))
    except (UnexpectedInput, NoFiller) as error:
        # The recovery gave up (it should not): report the rest rather than guess.
        line = getattr(error, "line", 1) or 1
        problems.append(
            problem(line, "the page could not be read past this line", "misplaced_line")
        )
        return ResultsPage()
