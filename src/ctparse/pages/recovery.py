"""Error recovery for the page grammars: each grammar error becomes a problem, and invented
tokens put the parser back on its feet, so that one engine serves strict and lenient reading.

Shared by the page kinds; each gives its fillers (the terminals the recovery may invent, most
useful first), its heading lines (to name the section of a problem) and how to make a
problem.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, Protocol, TypeVar

from lark import Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser

from ctparse.errors import describe_terminal

__all__ = ["NoFiller", "Recovery"]


class _Positioned(Protocol):
    @property
    def line(self) -> int: ...


P = TypeVar("P", bound=_Positioned)


class Recovery(Generic[P]):
    """Turns each grammar error into a problem and puts the parser back on its feet."""

    def __init__(
        self,
        text: str,
        problems: list[P],
        make: Callable[[int, int, str], P],
        *,
        fillers: tuple[str, ...],
        headings: frozenset[str],
        ends_with_newline: bool = True,
    ) -> None:
        self.text = text
        self.problems = problems
        self.make = make
        self.fillers = fillers
        self.headings = headings
        self.ends_with_newline = ends_with_newline
        self.lines = text.split("\n")
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
            if self.lines[number] in self.headings:
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
        line = self.text.rstrip("\n").count("\n") + 1 if at_end else token.line or 1
        section = self.section_at(line)
        found = "the end of the page" if at_end else _found(token)
        message = f"{section}: expected {expected}, found {found}"
        if at_end or (line >= len(self.lines) - 1 and not self.ends_with_newline):
            message += "; the page is cut off here"
        # The end of a page cut inside a line is already reported at that line.
        if not (at_end and self.problems and self.problems[-1].line >= line):
            self.problems.append(self.make(line, 1 if at_end else token.column or 1, message))
        if at_end:
            _close(parser, self.fillers)
            return
        key = (tuple(parser.parser_state.state_stack), token.type)
        if key not in self._plans:
            self._plans[key] = _bridge_plan(parser, token.type, self.fillers)
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


def _bridge_plan(
    parser: InteractiveParser, kind: str, fillers: tuple[str, ...]
) -> tuple[str, ...] | None:
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
    for filler in fillers:
        if filler not in choices:
            continue
        if _accepts(parser, (filler, kind)):
            return (filler,)
        second = next(
            (f for f in fillers if f != "TEXT" and _accepts(parser, (filler, f, kind))), None
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


class NoFiller(Exception):
    pass


def _next_filler(parser: InteractiveParser, fillers: tuple[str, ...]) -> str:
    choices = _choices(parser)
    for filler in fillers:
        if filler in choices:
            return filler
    raise NoFiller


def _close(parser: InteractiveParser, fillers: tuple[str, ...]) -> None:
    """Feed invented tokens until the page may end."""
    for _ in range(4):
        if "$END" in _choices(parser):
            return
        parser.feed_token(_filler(_next_filler(parser, fillers), None))
