"""``parse_results``: results page text in, ``Results`` out.

As for trial pages, one engine serves both error levels: it always recovers and collects
problems; strict mode raises the first as a ``ParseError`` (carrying them all), lenient mode
returns them as diagnostics. The page's last line, when the text does not end with a
newline, is taken as cut (every scraped excerpt ends mid-line): it is never read as data,
only reported. Sections the reader does not know are kept generically (``sections``) and
reported as ``unknown_section``; they alone do not fail a strict read.
"""

from __future__ import annotations

import functools
from typing import cast

from attrs import evolve

from ctparse.model import DiagnosticCode, Phase, Results, Status
from ctparse.pages import grammar, lean
from ctparse.pages.kind import page_kind
from ctparse.pages.lines import Source
from ctparse.pages.problems import Problem, raise_first, to_diagnostics
from ctparse.pages.recovery import NoFiller, Recovery
from ctparse.pages.results import vocabulary as page
from ctparse.pages.results.assembly import build_results
from ctparse.pages.results.report import problem
from ctparse.pages.results.transformer import ResultsPage, ResultsTransformer
from ctparse.pages.trial.vocabulary import LINE_PREFIXES

__all__ = ["GRAMMAR_FILE", "GRAMMAR_WORDS", "parse_results"]

GRAMMAR_FILE = "results.lark"
# The word lists the results grammar and the grammar it imports are filled with.
GRAMMAR_WORDS: dict[str, tuple[str, ...]] = {
    "STATUS": tuple(member.value for member in Status),
    "PHASE": tuple(member.value for member in Phase),
    # The header lines are the trial page's: one spelling for both kinds.
    "PREFIX_NCT_ID": (LINE_PREFIXES["nct_id"],),
    "PREFIX_LAST_UPDATED": (LINE_PREFIXES["last_updated"],),
}
_HEADINGS = frozenset(
    (
        page.OVERVIEW,
        page.PARTICIPANT_FLOW,
        page.BASELINE,
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
def _parser() -> lean.LeanParser:
    return grammar.page_parser(GRAMMAR_FILE, GRAMMAR_WORDS, ResultsTransformer())


def parse_results(text: str, *, lenient: bool = False) -> Results:
    """Read one results page (``Trial Outcomes & Findings for ...``).

    Strict (the default) raises ``ParseError`` at the first thing it cannot place; a page
    cut before its end (every scraped excerpt) fails strictly at the cut. With
    ``lenient=True`` it never raises: the Results hold all complete values, and
    ``diagnostics`` name each line not placed, each cut part and each unknown section.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_results() takes the page text as str, not {type(text).__name__}")
    source, cut = _prepare(text)
    problems: list[Problem] = []
    results = _read(source, cut, problems)
    if not problems:
        return results
    diagnostics = to_diagnostics(source, problems)
    failures = [d for d in diagnostics if d.code != DiagnosticCode.UNKNOWN_SECTION]
    if failures and not lenient:
        raise_first(diagnostics, failures[0])
    return evolve(results, diagnostics=diagnostics)


def _prepare(text: str) -> tuple[Source, int | None]:
    """The page with newlines normalised, BOM and trailing white space dropped, and the cut
    last line (its number returned) blanked; line numbers stay the caller's."""
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
    body = "\n".join(lines) + "\n"
    return Source(text=body, last_line=len(lines), ends_with_newline=cut is None), cut


def _read(source: Source, cut: int | None, problems: list[Problem]) -> Results:
    if cut is not None:
        message = "the page is cut off inside this line (no newline ends it); it is not read"
        problems.append(problem(cut, message, DiagnosticCode.CUT_OFF))
    body = source.text
    if not body.strip():
        if cut is None:
            message = "the text is empty: expected a results page"
            problems.append(problem(1, message, DiagnosticCode.EMPTY))
        return Results(truncated=cut is not None)
    kind = page_kind(body)
    if kind != "results":
        first = body.count("\n", 0, len(body) - len(body.lstrip())) + 1
        if kind == "trial" and "\nNCT ID: NCT" in "\n" + body:
            message = (
                "this is a trial page, not a results page ('Trial Outcomes & Findings for "
                "...'): read it with parse() or parse_page()"
            )
            problems.append(problem(first, message, DiagnosticCode.TRIAL_PAGE))
        else:
            message = "not a results page: expected 'Trial Outcomes & Findings for ...'"
            problems.append(problem(first, message, DiagnosticCode.NOT_A_PAGE))
        return Results(truncated=cut is not None)
    parsed = _parse(source, problems)
    return build_results(parsed, problems, cut=cut is not None)


def _parse(source: Source, problems: list[Problem]) -> ResultsPage:
    recovery = Recovery(source, problems, fillers=_FILLERS, headings=_HEADINGS)
    try:
        return cast(ResultsPage, _parser().parse(source.text, on_error=recovery.on_error))
    except (lean.Unexpected, NoFiller) as error:
        # The recovery gave up (it should not): report where rather than guess.
        line = getattr(error, "line", 1) or 1
        message = "the page could not be read past this line"
        problems.append(problem(line, message, DiagnosticCode.UNRECOVERABLE))
        return ResultsPage()
