"""Every use of Lark beyond its documented API, in one place.

Error recovery reads the LALR parse table and the interactive parser's state stack to plan
which invented tokens close an unfinished structure. These are Lark internals: the tests in
``tests/pages/test_lalr.py`` exercise each function here on a tiny grammar, so that a Lark
release that changes them fails there, by name, rather than somewhere in recovery.
"""

from __future__ import annotations

from lark import Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser

__all__ = [
    "InteractiveParser",
    "UnexpectedInput",
    "UnexpectedToken",
    "accepts",
    "choices",
    "feed",
    "state",
    "state_stack",
]


def choices(parser: InteractiveParser) -> set[str]:
    """The terminals the parser accepts next (Lark leaves this call untyped)."""
    return set(parser.choices())  # type: ignore[no-untyped-call]


def feed(parser: InteractiveParser, token: Token) -> None:
    parser.feed_token(token)


def state(parser: InteractiveParser) -> int:
    """The parser's current LALR state."""
    position: int = parser.parser_state.position
    return position


def state_stack(parser: InteractiveParser) -> tuple[int, ...]:
    return tuple(parser.parser_state.state_stack)


def accepts(parser: InteractiveParser, kinds: tuple[str, ...]) -> bool:
    """Would the parser take these terminals in turn? Walks the LALR table on a copy of the
    state stack only: no values are built and nothing else is copied."""
    parser_state = parser.parser_state
    table = parser_state.parse_conf.states
    stack = list(parser_state.state_stack)
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
