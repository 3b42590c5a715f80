"""Every use of Lark beyond its documented API, in one place.

``table`` writes down what Lark's analysis of a grammar found, the LALR parse table, the
rules' child filters and each contextual lexer state's alternations, as a ``lean.Table``
that ``pages/lean.py`` runs without Lark. Error recovery reads the interactive parser's
state stack and the parse table to plan which invented tokens close an unfinished
structure. These are Lark internals: the tests in ``tests/pages/test_lalr.py`` exercise
each one on a tiny grammar, so that a Lark release that changes them fails there, by name,
rather than somewhere in recovery or in a page's values. Only a process that builds a table
or recovers from an error imports this module, and Lark with it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from typing import Any

from lark import Lark
from lark import Token as LarkToken
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import BasicLexer, Lexer, LexerState, UnlessCallback, _create_unless
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser

from ctparse.pages import lean
from ctparse.pages.tokens import Token

__all__ = [
    "FedTokens",
    "InteractiveParser",
    "OwnTokens",
    "UnexpectedInput",
    "UnexpectedToken",
    "accepts",
    "choices",
    "feed",
    "lark_parse",
    "state",
    "state_stack",
    "table",
]


def choices(parser: InteractiveParser) -> set[str]:
    """The terminals the parser accepts next (Lark leaves this call untyped)."""
    return set(parser.choices())  # type: ignore[no-untyped-call]


def feed(parser: InteractiveParser, token: Token) -> None:
    parser.feed_token(token)  # type: ignore[arg-type]  # a token of the same shape


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


def table(parser: Lark, *, shared_prefix: str = "H_") -> lean.Table:
    """What Lark found for ``parser``'s grammar, as a ``lean.Table`` (JSON values only).

    Terminals whose names begin with ``shared_prefix`` (section headings, ``H_...`` in every
    ctparse grammar) are written once, as one regex tried before a state's own where the
    state tries them first; Lark compiles them into every state's alternation, and a page's
    first parse would pay for that in each of some thirty states.
    """
    options = parser.options
    if options.parser != "lalr" or not (options.lexer == "contextual" or _fed(parser)):
        raise ValueError("a table is made of an LALR parser with the contextual lexer")
    if options.postlex is not None or len(options.start) != 1:
        raise ValueError("a table is made of a parser with one start rule and no postlex")
    frontend: Any = parser.parser
    analysis: Any = frontend.parser.parser.parse_table
    callbacks: dict[Any, Any] = frontend.parser.parser.callbacks
    start = options.start[0]
    rules: list[Any] = []
    numbers: dict[Any, int] = {}
    symbols: dict[str, int] = {}
    rows: list[list[int]] = []
    _numbered(analysis.states)
    for state in range(len(analysis.states)):
        row: list[int] = []
        for kind, (action, argument) in analysis.states[state].items():
            row.append(symbols.setdefault(kind, len(symbols)))
            if action is Shift:
                row.append(argument)
                continue
            if argument not in numbers:
                numbers[argument] = len(rules)
                rules.append(_rule(argument, callbacks[argument]))
            row.append(-1 - numbers[argument])
        rows.append(row)
    return {
        "layout": lean.LAYOUT,
        "start": analysis.start_states[start],
        "end": analysis.end_states[start],
        "terminals": [terminal.name for terminal in parser.terminals],
        "rules": rules,
        "symbols": list(symbols),
        "rows": rows,
        "lexer": None if _fed(parser) else _lexer_states(frontend.lexer, shared_prefix),
    }


def _fed(parser: Lark) -> bool:
    return isinstance(parser.options.lexer, type) and issubclass(parser.options.lexer, FedTokens)


def _rule(rule: Any, callback: Any) -> list[Any]:
    """[origin, size, kept, single, callback name] of one rule (see ``lean.Table``), read
    off the wrappers Lark puts around a rule's callback: a child filter (drop filtered-out
    tokens, splice in the children of ``_rules``) and, for ``?rules``, a single-child check."""
    kept = None
    if isinstance(callback, ChildFilterLALR_NoPlaceholders):
        kept = [[index, bool(splice)] for index, splice in callback.to_include]
        callback = callback.node_builder
    single = isinstance(callback, ExpandSingleChild)
    if single:
        callback = callback.node_builder
    if hasattr(callback, "node_builder"):
        # Positions, placeholders: wrappers the lean loop does not do.
        raise ValueError(f"the rule {rule.origin.name} has a callback wrapper {callback!r}")
    name = rule.alias or rule.options.template_source or rule.origin.name
    return [rule.origin.name, len(rule.expansion), kept, single, name]


def _lexer_states(lexer: Any, shared_prefix: str) -> dict[str, Any]:
    """Each parser state's lexer (see ``lean.Table``): Lark's contextual lexer states."""
    root: BasicLexer = lexer.root_lexer
    if root.re is not re or root.use_bytes:
        raise ValueError("a table is made of lexers of text with ``re``")
    shared = [t.name for t in root.terminals if t.name.startswith(shared_prefix)]
    states: list[int] = []
    numbers: dict[int, int] = {}
    lexers: list[list[Any]] = []
    basics: dict[int, BasicLexer] = lexer.lexers
    _numbered(basics)
    for state in range(len(basics)):
        basic = basics[state]
        # States that accept the same terminals share one BasicLexer.
        if id(basic) not in numbers:
            numbers[id(basic)] = len(lexers)
            lexers.append(_lexer(basic, frozenset(shared)))
        states.append(numbers[id(basic)])
    return {
        "states": states,
        "terminals": {t.name: t.pattern.to_regexp() for t in root.terminals},
        "flags": root.g_regex_flags,
        "shared": shared if any(heads for heads, *_ in lexers) else None,
        "lexers": lexers,
    }


def _numbered(states: dict[int, Any]) -> None:
    """A table's states are the numbers from 0 (a list's places), as Lark numbers them."""
    if set(states) != set(range(len(states))):
        raise ValueError("Lark's states are not numbered from 0")


def _lexer(basic: BasicLexer, shared_names: frozenset[str]) -> list[Any]:
    """[heads, own, retype, newline kinds, ignored kinds] of one lexer state, its
    terminals by name in the order Lark tries them. Its shared-prefix terminals (headings)
    are left to the one regex all states share when that gives the very same matches: Lark
    tries a state's terminals in one order, and there they all come first."""
    if basic.user_callbacks:
        raise ValueError("a table is made of lexers without callbacks")
    terminals, callbacks = _create_unless(  # type: ignore[no-untyped-call]
        basic.terminals, basic.g_regex_flags, re, basic.use_bytes
    )
    retype = {
        kind: [t.name for t in callback.scanner.terminals]
        for kind, callback in callbacks.items()
        if isinstance(callback, UnlessCallback)
    }
    names = [t.name for t in terminals]
    heads = [name for name in names if name in shared_names]
    if heads and names[: len(heads)] == heads:
        own = names[len(heads) :]
    else:
        heads, own = [], names
    return [heads, own, retype, sorted(basic.newline_types), sorted(basic.ignore_types)]


class FedTokens(Lexer):
    """The lexer of a parser that is fed tokens one by one: it never reads text itself."""

    def __init__(self, conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Any]:
        raise NotImplementedError


class OwnTokens:
    """``transformer``'s methods as Lark's callbacks, given ctparse ``Token``s where Lark's
    lexer made its own, so that a transformer sees one class whichever parser read the
    page (Lark's lexer callbacks must give Lark's class)."""

    __slots__ = ("_transformer",)

    def __init__(self, transformer: object) -> None:
        self._transformer = transformer

    def __getattr__(self, name: str) -> Any:
        method = getattr(self._transformer, name)  # AttributeError: Lark builds a tree
        return functools.partial(_with_own_tokens, method) if callable(method) else method


def _with_own_tokens(method: Callable[[Any], Any], children: Any) -> Any:
    if isinstance(children, list):
        return method(
            [_own(child) if isinstance(child, LarkToken) else child for child in children]
        )
    return method(_own(children) if isinstance(children, LarkToken) else children)


def _own(token: LarkToken) -> Token:
    return Token.new_borrow_pos(token.type, token.value, token)


def lark_parse(parser: Lark) -> Callable[[str, Any], Any]:
    """``parser.parse`` for a ``lean.LeanParser``'s fallback: where Lark gives up, the error
    is ``lean.Unexpected``, at Lark's line and column."""

    def parse(text: str, on_error: Callable[[UnexpectedInput], bool] | None) -> Any:
        try:
            return parser.parse(text, on_error=on_error)
        except UnexpectedInput as error:
            raise lean.Unexpected(None, error.line, error.column) from error

    return parse
