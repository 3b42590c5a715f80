"""The Lark internals ctparse relies on (``ctparse.pages.lalr``), each on a tiny grammar.

A Lark release that changes its parse table or interactive parser fails here, by name.
"""

from __future__ import annotations

import lark
import pytest
from lark import Lark, Token

from ctparse.pages import lalr

GRAMMAR = r"""
start: pair*
pair: NAME VALUE
NAME.2: /[a-z]+/ "\n"
VALUE.2: /\d+/ "\n"
"""


def interactive() -> lalr.InteractiveParser:
    parser: lalr.InteractiveParser = Lark(GRAMMAR, parser="lalr").parse_interactive("")
    return parser


def test_choices_names_the_next_terminals() -> None:
    parser = interactive()
    assert lalr.choices(parser) >= {"NAME", "$END"}
    lalr.feed(parser, Token("NAME", "a\n"))
    assert lalr.choices(parser) == {"VALUE"}


def test_accepts_walks_the_table_without_moving_the_parser() -> None:
    parser = interactive()
    before = lalr.state_stack(parser)
    assert lalr.accepts(parser, ("NAME", "VALUE", "NAME"))
    assert not lalr.accepts(parser, ("VALUE",))
    assert not lalr.accepts(parser, ("NAME", "NAME"))
    assert lalr.state_stack(parser) == before
    assert isinstance(lalr.state(parser), int)


def test_state_changes_as_tokens_are_fed() -> None:
    parser = interactive()
    first = lalr.state(parser)
    lalr.feed(parser, Token("NAME", "a\n"))
    assert lalr.state(parser) != first
    assert len(lalr.state_stack(parser)) == 2


def test_errors_carry_an_interactive_parser() -> None:
    seen: list[tuple[str, set[str]]] = []

    def on_error(error: lalr.UnexpectedInput) -> bool:
        assert isinstance(error, lalr.UnexpectedToken)
        seen.append((error.token.type, lalr.choices(error.interactive_parser)))
        return True

    Lark(GRAMMAR, parser="lalr").parse("a\n1\n2\n", on_error=on_error)
    assert seen == [("VALUE", {"NAME", "$END"})]


def test_the_lark_version_is_in_the_tested_range() -> None:
    major, minor = (int(part) for part in lark.__version__.split(".")[:2])
    if not (1, 2) <= (major, minor) < (2, 0):
        pytest.fail(f"lark {lark.__version__} is outside the tested range >=1.2,<2")
