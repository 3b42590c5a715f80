"""Error recovery shared by the page kinds: each grammar error becomes a problem, and the
parser is put back on its feet so that one stray line costs one diagnostic, not the page.

A page kind gives the terminals recovery may invent (``fillers``, most useful first) and the
heading lines that name its sections. Heading terminals are named ``H_...`` in every grammar.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ctparse.errors import describe_terminal
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.lines import Source
from ctparse.pages.problems import PAGE_HEADER, Problem
from ctparse.pages.tokens import Token

if TYPE_CHECKING:
    # Recovery runs inside Lark's own parse, which has imported Lark by then; a page read
    # without an error never imports it (``pages/lean.py``).
    from ctparse.pages import lalr

__all__ = ["NoFiller", "Recovery"]


class NoFiller(Exception):
    """Recovery found no token to invent: the reader reports the rest line by line."""


class Recovery:
    """Turns each grammar error into a problem and puts the parser back on its feet."""

    def __init__(
        self,
        source: Source,
        problems: list[Problem],
        *,
        fillers: Sequence[str],
        headings: frozenset[str],
    ) -> None:
        self.source = source
        self.problems = problems
        self.fillers = tuple(fillers)
        self.headings = headings
        # Split on the first error: most pages have none, and a page's lines cost a pass.
        self._lines: list[str] | None = None
        self._section_line = 0
        self._section = PAGE_HEADER
        # What each parser state expects, and how to bridge to each token kind from each
        # state stack: a page of many stray lines meets the same few again and again.
        self._expected: dict[int, str] = {}
        self._plans: dict[tuple[tuple[int, ...], str], tuple[str, ...] | None] = {}

    @property
    def lines(self) -> list[str]:
        """The lines of the text parsed."""
        if self._lines is None:
            self._lines = self.source.text.split("\n")
        return self._lines

    def section_at(self, line: int) -> str:
        """The heading a line stands under; scans forward only, as errors come in order."""
        if line < self._section_line:
            self._section_line, self._section = 0, PAGE_HEADER
        for number in range(self._section_line, min(line, len(self.lines))):
            if self.lines[number] in self.headings:
                self._section = self.lines[number]
        self._section_line = max(self._section_line, line)
        return self._section

    def on_error(self, error: lalr.UnexpectedInput) -> bool:
        from ctparse.pages import lalr

        # A grammar whose TEXT matches any line never fails in the lexer: every error is a
        # token the grammar did not expect here.
        if isinstance(error, lalr.UnexpectedToken):
            self._unexpected(error)
            return True
        return False

    def _unexpected(self, error: lalr.UnexpectedToken) -> None:
        from ctparse.pages import lalr

        token = error.token
        parser = error.interactive_parser
        state = lalr.state(parser)
        expected = self._expected.get(state)
        if expected is None:
            names = sorted(
                name for name in lalr.choices(parser) if name.isupper() and not name.startswith("$")
            )
            expected = self._expected[state] = expected_words(names)
        at_end = token.type == "$END"
        line = self.source.text.rstrip("\n").count("\n") + 1 if at_end else token.line or 1
        section = self.section_at(line)
        found = "the end of the page" if at_end else _found(token)
        detail = f"expected {expected}, found {found}"
        code = DiagnosticCode.MISPLACED_LINE
        if at_end or (line >= len(self.lines) - 1 and not self.source.ends_with_newline):
            detail += "; the page is cut off here"
            code = DiagnosticCode.CUT_OFF
        # The end of a page cut inside a line is already reported at that line.
        if not (at_end and self.problems and self.problems[-1].line >= line):
            column = 1 if at_end else token.column or 1
            self.problems.append(Problem.at(line, column, code, section, detail))
        if at_end:
            self._close(parser)
            return
        key = (lalr.state_stack(parser), token.type)
        if key not in self._plans:
            self._plans[key] = self._bridge_plan(parser, token.type)
        plan = self._plans[key]
        if plan is not None:
            for name in plan:
                lalr.feed(parser, _filler(name, token))
            lalr.feed(parser, token)

    def _bridge_plan(self, parser: lalr.InteractiveParser, kind: str) -> tuple[str, ...] | None:
        """The invented tokens that close the unfinished structure and let a ``kind`` token
        in, or ``None`` to drop that token.

        A heading met inside a pair closes the pair; a stray line that nothing can take is
        dropped (it is already reported). An invented free-text line never opens a new
        record after closing the last one: that record would be a phantom that takes the
        real lines meant for the one before. Candidates are tried on the parse table alone,
        so an error costs the same however long the page before it.
        """
        from ctparse.pages import lalr

        choices = lalr.choices(parser)
        for filler in self.fillers:
            if filler not in choices:
                continue
            if lalr.accepts(parser, (filler, kind)):
                return (filler,)
            second = next(
                (
                    f
                    for f in self.fillers
                    if f != "TEXT" and lalr.accepts(parser, (filler, f, kind))
                ),
                None,
            )
            if second is not None:
                return (filler, second)
        return None

    def _close(self, parser: lalr.InteractiveParser) -> None:
        """Feed invented tokens until the page may end."""
        from ctparse.pages import lalr

        for _ in range(4):
            choices = lalr.choices(parser)
            if "$END" in choices:
                return
            filler = next((f for f in self.fillers if f in choices), None)
            if filler is None:
                raise NoFiller
            lalr.feed(parser, _filler(filler, None))


def _found(token: Token) -> str:
    line = str(token).split("\n", 1)[0]
    if token.type.startswith("H_"):
        return f"the heading '{line}'"
    if len(line) > 60:
        line = line[:57] + "..."
    return f"'{line}'"


def expected_words(expected: list[str]) -> str:
    """What a parser state expects, as a person would list it."""
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
