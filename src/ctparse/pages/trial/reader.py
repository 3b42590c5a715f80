"""``parse``: page text in, ``Trial`` out, with the grammar's errors turned into domain errors.

One engine serves both error levels: it always recovers and collects problems; strict mode
raises the first as a ``ParseError``, lenient mode returns them as diagnostics.
"""

from __future__ import annotations

import functools
import re
from typing import cast

from attrs import evolve

from ctparse.model import Trial
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages import grammar, lean
from ctparse.pages.boundaries import second_page_start
from ctparse.pages.lines import Source, prepare
from ctparse.pages.problems import Problem, raise_first, to_diagnostics
from ctparse.pages.recovery import NoFiller, Recovery
from ctparse.pages.results.vocabulary import TITLE_PREFIX
from ctparse.pages.trial.assembly import build_trial
from ctparse.pages.trial.transformer import PageTransformer, ParsedPage
from ctparse.pages.trial.values import read_date
from ctparse.pages.trial.vocabulary import GRAMMAR_WORDS, HEADINGS

__all__ = ["grammar_text", "parse"]

EMPTY, NOT_A_PAGE, SECOND_PAGE, CUT_OFF = (
    DiagnosticCode.EMPTY,
    DiagnosticCode.NOT_A_PAGE,
    DiagnosticCode.SECOND_PAGE,
    DiagnosticCode.CUT_OFF,
)
GRAMMAR_FILE = "page.lark"
_HEADING_LINES = frozenset(HEADINGS)
_RESULTS_PAGE = re.compile(re.escape(TITLE_PREFIX) + r"(.*) \(NCT NCT\d{8}\)")
_NCT_ID = re.compile(r"NCT ID: (NCT\d{8})")
_LAST_UPDATED = re.compile(r"Last Updated: (\d{4}-\d{2}-\d{2})")
# Lines searched for from the newline before them, which the regex engine finds fast (see
# source.py): every page pays for these scans.
_PAGE_MARK = re.compile(r"\n(?:NCT ID: NCT\d{8}|Study Results|Basic Information)\n")
# The same line as the text's first, where no newline stands before it (the text is not
# copied to put one there).
_FIRST_PAGE_MARK = re.compile(r"(?:NCT ID: NCT\d{8}|Study Results|Basic Information)\n")
# Terminals the recovery may invent to close an unfinished structure, most useful first.
_FILLERS = (
    "NCT_NUMBER",
    "AGENCY_CLASS",
    "IDENTIFIER_SOURCE",
    "IDENTIFIER_TYPE",
    "TEXT",
    "RESULTS_PENDING",
    "STATUS",
    "PHASES",
    "ENROLLMENT",
    "STUDY_TYPE",
    "DATE",
    "ALLOCATION",
    "INTERVENTION_MODEL",
    "PRIMARY_PURPOSE",
    "MASKING",
    "OBSERVATIONAL_MODEL",
    "TIME_PERSPECTIVE",
)


def grammar_text() -> str:
    """The trial page grammar and the grammars it imports as Lark reads them, their word
    lists filled in: every terminal the trial page's parser has."""
    return grammar._fill(grammar.with_imports(GRAMMAR_FILE), GRAMMAR_WORDS)


@functools.cache
def _parser() -> lean.LeanParser:
    return grammar.page_parser(GRAMMAR_FILE, GRAMMAR_WORDS, PageTransformer())


def parse(text: str, *, lenient: bool = False) -> Trial:
    """Read one trial page.

    Strict (the default) raises ``ParseError`` at the first thing it cannot place. With
    ``lenient=True`` it never raises: the Trial holds all it could read, and ``diagnostics``
    has one entry per line it could not place and per section found cut off.
    """
    if not isinstance(text, str):
        raise TypeError(f"parse() takes the page text as str, not {type(text).__name__}")
    source = prepare(text)
    problems: list[Problem] = []
    trial = _read(source, problems, every_line=lenient)
    if not problems:
        return trial
    if not lenient:
        # Strict mode skipped the line-by-line problems that cannot come first; the error
        # carries all that a lenient read reports, so read again for them.
        problems = []
        _read(source, problems)
        raise_first(to_diagnostics(source, problems))
    return evolve(trial, diagnostics=to_diagnostics(source, problems))


def _read(source: Source, problems: list[Problem], *, every_line: bool = True) -> Trial:
    """Read the page into a Trial, adding problems; ``every_line=False`` leaves out the
    line-by-line problems that can never come first (strict mode raises only the first)."""
    # What the text is (empty, a results page, not a page at all) is judged on all of it,
    # the cut-off tail included: a lone heading is a page cut off, not an empty text.
    text = source.whole_text
    if not text or text.isspace():  # (``strip`` would copy the whole text)
        problems.append(Problem(1, 1, EMPTY, "the text is empty: expected a trial page"))
        return Trial()
    if _RESULTS_PAGE.match(_first_line(text)):
        return _results_page(text, problems)
    if not (_FIRST_PAGE_MARK.match(text) or _PAGE_MARK.search(text)):
        line = text.count("\n", 0, len(text) - len(text.lstrip("\n"))) + 1
        problems.append(
            Problem(
                line,
                1,
                NOT_A_PAGE,
                "not a trial page: found no 'NCT ID:' line and no section heading such as "
                "'Study Results' or 'Basic Information'",
            )
        )
        if every_line:
            _every_line(text, problems, line, NOT_A_PAGE, "not a trial page: line not read")
        return Trial()
    second = _second_page(text)
    if second is not None:
        # A dump of pages given as one text: read the first page, and say where the next
        # begins rather than report its every line as misplaced.
        start, nct_id = second
        problems.append(
            Problem(
                start,
                1,
                SECOND_PAGE,
                f"a second trial page ({nct_id}) starts here: parse() reads one page; "
                "the ctparse command splits a file of many pages",
            )
        )
        if every_line:
            _every_line(
                text, problems, start, SECOND_PAGE, "line of a second page not read", after=start
            )
        source = _first_page(source, start)
    for near in source.near_helpers:
        problems.append(
            Problem.at(
                near.line,
                1,
                DiagnosticCode.NEAR_HEADING,
                near.section,
                "this line is nearly the heading's helper sentence, but not it: the section "
                "is not recognised and its lines are read as part of the section before",
            )
        )
    if source.cut_off is not None:
        cut = source.cut_off
        problems.append(
            Problem.at(cut.line, 1, CUT_OFF, cut.section, "the page is cut off after this heading")
        )
    return build_trial(_parse_page(source, problems), problems, source.text)


def _every_line(
    text: str,
    problems: list[Problem],
    skip: int,
    code: DiagnosticCode,
    message: str,
    *,
    after: int = 0,
) -> None:
    lines = text.split("\n")
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1] and number != skip:
            problems.append(Problem(number, 1, code, message))


def _first_line(text: str) -> str:
    """The first line that is not empty (the rest of the text is not copied)."""
    text = text.lstrip("\n")
    end = text.find("\n")
    return text if end < 0 else text[:end]


def _second_page(text: str) -> tuple[int, str] | None:
    """Where a second page starts (1-based line) and its NCT id, if the text holds one, by
    the rule the dump splitter follows (``ctparse.pages.boundaries``): one pass over the
    lines, whatever their number."""
    if text.count("\nNCT ID: NCT") + text.startswith("NCT ID: NCT") < 2:
        return None  # one NCT ID line (most pages): no second page
    second = second_page_start(text.split("\n"))
    if second is None:
        return None
    index, nct_id = second
    return index + 1, nct_id


def _first_page(source: Source, start: int) -> Source:
    """The source cut before line ``start`` (the rest is another page)."""
    head = source.text.split("\n", start - 1)[: start - 1]
    return evolve(
        source,
        text="\n".join(head) + "\n",
        cut_off=None,
        cut_lines=(),
        last_line=start - 1,
        ends_with_newline=True,
    )


def _results_page(text: str, problems: list[Problem]) -> Trial:
    """A results page has the trial's header and nothing of a trial page: keep the header."""
    problems.append(
        Problem(
            1,
            1,
            DiagnosticCode.RESULTS_PAGE,
            "this is a results page ('Trial Outcomes & Findings for ...'), not a trial page: "
            "read it with parse_results() or parse_page()",
        )
    )
    header: dict[str, object] = {"has_results": True}
    for number, line in enumerate(text.split("\n"), start=1):
        if not line:
            continue
        if number == 1:
            title = _RESULTS_PAGE.match(line)
            header["title"] = title.group(1) if title else None
        elif "nct_id" not in header and (nct := _NCT_ID.fullmatch(line)):
            header["nct_id"] = nct.group(1)
        elif "last_updated" not in header and (updated := _LAST_UPDATED.fullmatch(line)):
            header["last_updated"] = read_date(updated.group(1))
        else:
            problems.append(
                Problem(number, 1, DiagnosticCode.RESULTS_PAGE, "results page: line not read")
            )
    return Trial(**header)  # type: ignore[arg-type]


def _parse_page(source: Source, problems: list[Problem]) -> ParsedPage:
    recovery = Recovery(source, problems, fillers=_FILLERS, headings=_HEADING_LINES)
    try:
        page = cast(ParsedPage, _parser().parse(source.text, on_error=recovery.on_error))
    except (lean.Unexpected, NoFiller) as error:
        # The recovery gave up (it should not): report every line rather than guess.
        line = getattr(error, "line", 1) or 1
        problems.append(
            Problem(
                line, 1, DiagnosticCode.UNRECOVERABLE, "the page could not be read past this line"
            )
        )
        _every_line(
            source.text,
            problems,
            line,
            DiagnosticCode.UNRECOVERABLE,
            "line not read after an unrecoverable error",
        )
        return ParsedPage(header={}, sections=())
    return page
