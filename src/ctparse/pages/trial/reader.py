"""``parse``: page text in, ``Trial`` out, with the grammar's errors turned into domain errors.

One engine serves both error levels: it always recovers and collects problems; strict mode
raises the first as a ``ParseError``, lenient mode returns them as diagnostics.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path
from typing import cast

import regex
from attrs import evolve
from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser

from ctparse.errors import ParseError, describe_terminal
from ctparse.model import Diagnostic, Trial
from ctparse.pages.boundaries import second_page_start
from ctparse.pages.lines import Source, prepare
from ctparse.pages.trial.transformer import Page, PageTransformer, Problem, build_trial
from ctparse.pages.trial.transformer import _date as parse_date
from ctparse.pages.trial.vocabulary import SECTIONS

__all__ = ["grammar_text", "parse"]

_HEADING_LINES = frozenset(heading for heading, _ in SECTIONS)
_RESULTS_PAGE = regex.compile(r"Trial Outcomes & Findings for (.*) \(NCT NCT\d{8}\)")
_NCT_ID = regex.compile(r"NCT ID: (NCT\d{8})")
_LAST_UPDATED = regex.compile(r"Last Updated: (\d{4}-\d{2}-\d{2})")
# Lines searched for from the newline before them, which the regex engine finds fast (see
# source.py): every page pays for these scans.
_PAGE_MARK = re.compile(r"\n(?:NCT ID: NCT\d{8}|Study Results|Basic Information)\n")
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
    """The page grammar: shipped in the package, or read from a source checkout."""
    packaged = resources.files("ctparse").joinpath("grammars", "page.lark")
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[4] / "grammars" / "page.lark"
    return checkout.read_text(encoding="utf-8")


@functools.cache
def _parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        transformer=PageTransformer(),
        propagate_positions=False,
        maybe_placeholders=False,
        # The LALR analysis is cached on disk (keyed by the grammar's hash), so a process
        # starts in milliseconds instead of redoing it.
        cache=True,
    )


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
    problems.sort(key=lambda p: (p.line, p.column))
    if not lenient:
        first = problems[0]
        line, column = source.position(first.line, first.column)
        raise ParseError(_printable(first.message), line, column)
    diagnostics = []
    for problem in problems:
        line, column = source.position(problem.line, problem.column)
        message = _printable(problem.message)
        diagnostics.append(
            Diagnostic(
                line=line, message=f"{message} (column {column})" if column != 1 else message
            )
        )
    return _with_diagnostics(trial, tuple(diagnostics))


def _printable(message: str) -> str:
    """The message with the characters a terminal would act on or hide (control characters,
    direction marks, NUL) written as escapes: messages quote the page's lines."""
    if message.isprintable():
        return message
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in message)


def _with_diagnostics(trial: Trial, diagnostics: tuple[Diagnostic, ...]) -> Trial:
    return evolve(trial, diagnostics=diagnostics)


def _read(source: Source, problems: list[Problem], *, every_line: bool = True) -> Trial:
    """Read the page into a Trial, adding problems; ``every_line=False`` leaves out the
    line-by-line problems that can never come first (strict mode raises only the first)."""
    # What the text is (empty, a results page, not a page at all) is judged on all of it,
    # the cut-off tail included: a lone heading is a page cut off, not an empty text.
    text = source.whole_text
    if not text.strip():
        problems.append(Problem(1, 1, "the text is empty: expected a trial page"))
        return Trial()
    first_line = text.lstrip("\n").split("\n", 1)[0]
    if _RESULTS_PAGE.match(first_line):
        return _results_page(text, problems)
    padded = "\n" + text  # the scans below look for a line from the newline before it
    if not _PAGE_MARK.search(padded):
        line = text.count("\n", 0, len(text) - len(text.lstrip("\n"))) + 1
        problems.append(
            Problem(
                line,
                1,
                "not a trial page: found no 'NCT ID:' line and no section heading such as "
                "'Study Results' or 'Basic Information'",
            )
        )
        if every_line:
            _every_line(text, problems, line, "not a trial page: line not read")
        return Trial()
    second = _second_page(text, padded)
    if second is not None:
        # A dump of pages given as one text: read the first page, and say where the next
        # begins rather than report its every line as misplaced.
        start, nct_id = second
        problems.append(
            Problem(
                start,
                1,
                f"a second trial page ({nct_id}) starts here: parse() reads one page; "
                "the ctparse command splits a file of many pages",
            )
        )
        if every_line:
            _every_line(text, problems, start, "line of a second page not read", after=start)
        source = _first_page(source, start)
    if source.cut_off is not None:
        cut = source.cut_off
        problems.append(
            Problem(cut.line, 1, f"{cut.section}: the page is cut off after this heading")
        )
    return build_trial(_parse_page(source, problems), problems, source.text.split("\n"))


def _every_line(
    text: str, problems: list[Problem], skip: int, message: str, *, after: int = 0
) -> None:
    lines = text.split("\n")
    for number in range(after + 1, len(lines) + 1):
        if lines[number - 1] and number != skip:
            problems.append(Problem(number, 1, message))


def _second_page(text: str, padded: str) -> tuple[int, str] | None:
    """Where a second page starts (1-based line) and its NCT id, if the text holds one
    (``padded`` is the text after a newline), by the rule the dump splitter follows."""
    if padded.count("\nNCT ID: NCT") < 2:
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
            "this is a results page ('Trial Outcomes & Findings for ...'), not a trial page: "
            "expected the trial's title, then 'NCT ID:'",
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
            header["last_updated"] = parse_date(updated.group(1))
        else:
            problems.append(Problem(number, 1, "results page: line not read"))
    return Trial(**header)  # type: ignore[arg-type]


def _parse_page(source: Source, problems: list[Problem]) -> Page:
    recovery = _Recovery(source, problems)
    try:
        page = cast(Page, _parser().parse(source.text, on_error=recovery.on_error))
    except (UnexpectedInput, _NoFiller) as error:
        # The recovery gave up (it should not): report every line rather than guess.
        line = getattr(error, "line", 1) or 1
        problems.append(Problem(line, 1, "the page could not be read past this line"))
        _every_line(source.text, problems, line, "line not read after an unrecoverable error")
        return Page(header={}, sections=())
    return page


class _Recovery:
    """Turns each grammar error into a problem and puts the parser back on its feet."""

    def __init__(self, source: Source, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        self.lines = source.text.split("\n")
        self._section_line = 0
        self._section = "page header"
        # What each parser state expects, and how to bridge to each token kind from each
        # state stack: a page of many stray lines meets the same few again and again.
        self._expected: dict[int, str] = {}
        self._plans: dict[tuple[tuple[int, ...], str], tuple[str, ...] | None] = {}

    def section_at(self, line: int) -> str:
        """The heading a line stands under; scans forward only, as errors come in order."""
        if line < self._section_line:
            self._section_line, self._section = 0, "page header"
        for number in range(self._section_line, min(line, len(self.lines))):
            if self.lines[number] in _HEADING_LINES:
                self._section = self.lines[number]
        self._section_line = max(self._section_line, line)
        return self._section

    def on_error(self, error: UnexpectedInput) -> bool:
        # TEXT matches any line, so the lexer never fails: every error is a token the
        # grammar did not expect here.
        if isinstance(error, UnexpectedToken):
            self._unexpected(error)
            return True
        return False

    def _unexpected(self, error: UnexpectedToken) -> None:
        token = error.token
        parser = error.interactive_parser
        state = parser.parser_state.position
        expected = self._expected.get(state)
        if expected is None:
            names = sorted(
                name for name in _choices(parser) if name.isupper() and not name.startswith("$")
            )
            expected = self._expected[state] = _expected_words(names)
        at_end = token.type == "$END"
        line = self.source.text.rstrip("\n").count("\n") + 1 if at_end else token.line or 1
        section = self.section_at(line)
        found = "the end of the page" if at_end else _found(token)
        message = f"{section}: expected {expected}, found {found}"
        if at_end or (line >= len(self.lines) - 1 and not self.source.ends_with_newline):
            message += "; the page is cut off here"
        # The end of a page cut inside a line is already reported at that line.
        if not (at_end and self.problems and self.problems[-1].line >= line):
            self.problems.append(Problem(line, 1 if at_end else token.column or 1, message))
        if at_end:
            _close(parser)
            return
        key = (tuple(parser.parser_state.state_stack), token.type)
        if key not in self._plans:
            self._plans[key] = _bridge_plan(parser, token.type)
        plan = self._plans[key]
        if plan is not None:
            for name in plan:
                parser.feed_token(_filler(name, token))
            parser.feed_token(token)


def _choices(parser: InteractiveParser) -> set[str]:
    """The terminals the parser accepts next (lark leaves these calls untyped)."""
    return set(parser.choices())  # type: ignore[no-untyped-call]


def _found(token: Token) -> str:
    line = str(token).split("\n", 1)[0]
    if token.type.startswith("H_"):
        return f"the heading '{line}'"
    if len(line) > 60:
        line = line[:57] + "..."
    return f"'{line}'"


def _expected_words(expected: list[str]) -> str:
    named = [describe_terminal(name) for name in expected if not name.startswith("H_")]
    named = list(dict.fromkeys(named))
    headings = any(name.startswith("H_") for name in expected)
    if len(named) > 4:
        named = [*named[:4], "..."]
    if headings:
        named.append("a section heading")
    if not named:
        return "nothing more"
    return named[0] if len(named) == 1 else ", ".join(named[:-1]) + " or " + named[-1]


def _filler(name: str, like: Token | None) -> Token:
    # An empty value marks the token as invented: the transformer reads it as missing.
    if like is not None:
        return Token.new_borrow_pos(name, "", like)
    return Token(name, "")


def _bridge_plan(parser: InteractiveParser, kind: str) -> tuple[str, ...] | None:
    """The invented tokens that close the unfinished structure and let a ``kind`` token in,
    or ``None`` to drop that token.

    A heading met inside a sponsor pair closes the pair; a stray line that nothing can
    take is dropped (it is already reported). An invented free-text line never opens a
    new record after closing the last one: that record would be a phantom that takes the
    real lines meant for the one before (a second ``Identifier Type`` line is dropped, not
    read as the start of an identifier with no id). Candidates are tried on the parse
    table alone, so an error costs the same however long the page before it.
    """
    choices = _choices(parser)
    for filler in _FILLERS:
        if filler not in choices:
            continue
        if _accepts(parser, (filler, kind)):
            return (filler,)
        second = next(
            (f for f in _FILLERS if f != "TEXT" and _accepts(parser, (filler, f, kind))), None
        )
        if second is not None:
            return (filler, second)
    return None


def _accepts(parser: InteractiveParser, kinds: tuple[str, ...]) -> bool:
    """Would the parser take these terminals in turn? Walks the LALR table on a copy of the
    state stack only: no values are built and nothing else is copied."""
    state = parser.parser_state
    table = state.parse_conf.states
    stack = list(state.state_stack)
    for kind in kinds:
        while True:
            step = table[stack[-1]].get(kind)
            if step is None:
                return False
            action, argument = step
            if action is Shift:
                stack.append(argument)
                break
            size = len(argument.expansion)
            if size:
                del stack[-size:]
            stack.append(table[stack[-1]][argument.origin.name][1])
    return True


class _NoFiller(Exception):
    pass


def _next_filler(parser: InteractiveParser) -> str:
    choices = _choices(parser)
    for filler in _FILLERS:
        if filler in choices:
            return filler
    raise _NoFiller


def _close(parser: InteractiveParser) -> None:
    """Feed invented tokens until the page may end."""
    for _ in range(4):
        if "$END" in _choices(parser):
            return
        parser.feed_token(_filler(_next_filler(parser), None))
