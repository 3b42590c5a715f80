"""Every use of Lark beyond its documented API, in one place.

Error recovery reads the LALR parse table and the interactive parser's state stack to plan
which invented tokens close an unfinished structure; ``LeanParser`` runs Lark's own parse
table and contextual lexer states in a loop of its own, and calls the rules' callbacks
without the wrappers Lark puts around them. These are Lark internals: the tests in
``tests/pages/test_lalr.py`` exercise each one on a tiny grammar, so that a Lark release that
changes them fails there, by name, rather than somewhere in recovery or in a page's values.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from typing import Any

from lark import Lark, Token
from lark.exceptions import UnexpectedInput, UnexpectedToken
from lark.lexer import BasicLexer, ContextualLexer, Scanner, _create_unless
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild
from lark.parsers.lalr_analysis import Shift
from lark.parsers.lalr_interactive_parser import InteractiveParser

from ctparse.pages import pattern_cache

__all__ = [
    "InteractiveParser",
    "LeanParser",
    "UnexpectedInput",
    "UnexpectedToken",
    "accepts",
    "choices",
    "direct_reductions",
    "feed",
    "line_tokens",
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


class _HandBack(Exception):
    """The lean loop met something it leaves to Lark: an error, or an input it does not take."""


class _Scanner:
    """One lexer state's matcher: the shared regex when the state takes the terminal it
    finds, else the state's own alternation (Lark's ``Scanner``, without the shared
    terminals where that changes nothing)."""

    __slots__ = ("_full", "_make_full", "heads", "own", "shared", "single")

    def __init__(
        self,
        heads: frozenset[str] | tuple[()],
        shared: Any,
        own: tuple[Any, ...],
        make_full: Callable[[], tuple[Any, ...]] | None = None,
    ) -> None:
        self.heads, self.shared, self.own = heads, shared, own
        # The state's own regex when it has only one: the lean loop calls it directly.
        self.single: Any = own[0] if len(own) == 1 else None
        self._make_full = make_full
        self._full: tuple[Any, ...] | None = None

    def match(self, text: str, pos: int) -> Any:
        patterns = self.own
        if self.heads:
            found = self.shared.match(text, pos)
            if found is not None:
                if found.lastgroup in self.heads:
                    return found
                # A heading this state does not take: Lark's whole alternation decides.
                patterns = self._whole()
        for pattern in patterns:
            found = pattern.match(text, pos)
            if found is not None:
                return found
        return None

    def _whole(self) -> tuple[Any, ...]:
        if self._full is None:
            assert self._make_full is not None
            self._full = self._make_full()
        return self._full


def _compile(basic: BasicLexer, terminals: list[Any]) -> tuple[Any, ...]:
    """Lark's alternation of ``terminals`` (in as many regexes as Python's group limit needs)."""
    scanner = Scanner(terminals, basic.g_regex_flags, _re_of(basic), basic.use_bytes)  # type: ignore[no-untyped-call]
    return tuple(scanner._mres)


class _CachedRe:
    """The part of ``re`` Lark's scanners use, compiling through ``pattern_cache``: a page's
    first parse would otherwise compile some thirty lexer states' alternations anew."""

    error = re.error

    @staticmethod
    def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
        return pattern_cache.compile(pattern, flags)

    @staticmethod
    def match(pattern: str, string: str, flags: int = 0) -> re.Match[str] | None:
        return pattern_cache.compile(pattern, flags).match(string)


def _re_of(basic: BasicLexer) -> Any:
    """The regex module for ``basic``'s scanners: ``re`` through the disk cache, where the
    lexer uses ``re`` on text (Lark's ``regex=True`` or ``use_bytes`` are left as they are)."""
    return _CachedRe if basic.re is re and not basic.use_bytes else basic.re


# One contextual lexer state as the lean loop uses it: its scanner, the terminal callbacks,
# the terminals that may hold a newline, the ignored ones.
_StateLexer = tuple[_Scanner, dict[str, Callable[[Token], Token]], frozenset[str], frozenset[str]]


class LeanParser:
    """Parses with a Lark LALR parser's own table, lexer states and callbacks, in a loop
    without Lark's per-token layers (lexer thread, generator, parser-state object).

    The loop does only what succeeds: on the first token it cannot lex or the table does
    not take, it hands the whole text back to ``Lark.parse`` with the caller's ``on_error``,
    so error messages and recovery are exactly Lark's. The parser's callbacks therefore
    must not keep state from one call to the next (a transformer's rule methods build
    values from their children only). Lexer states are set up the first time they are used.

    Terminals whose names begin with ``shared_prefix`` (section headings, ``H_...`` in every
    ctparse grammar) are compiled once, into one regex tried before each state's own;
    Lark would compile them into every state's alternation, and a page's first parse
    would pay for that in each of some thirty states.
    """

    def __init__(self, parser: Lark, *, shared_prefix: str = "H_") -> None:
        if parser.options.parser != "lalr" or parser.options.lexer != "contextual":
            raise ValueError("LeanParser takes an LALR parser with the contextual lexer")
        if parser.options.postlex is not None or len(parser.options.start) != 1:
            raise ValueError("LeanParser takes a parser with one start rule and no postlex")
        self.lark = parser
        frontend: Any = parser.parser
        lexer: ContextualLexer = frontend.lexer
        root: Any = lexer.root_lexer
        table: Any = frontend.parser.parser.parse_table
        start = parser.options.start[0]
        self._callbacks: dict[Any, Callable[[Any], Any]] = frontend.parser.parser.callbacks
        # Lark calls a callback named after a terminal on each shifted token of that kind.
        self._token_callbacks = {
            name: call for name, call in self._callbacks.items() if isinstance(name, str)
        }
        self._rows = _Rows(table.states, self._callbacks)
        self._start_state: int = table.start_states[start]
        self._end_state: int = table.end_states[start]
        self._basic_lexers: dict[int, BasicLexer] = lexer.lexers  # type: ignore[assignment]
        self._lexers: dict[int, _StateLexer] = {}
        self._by_basic: dict[int, _StateLexer] = {}
        # Terminals named with the shared prefix, in the order Lark tries them (its root
        # lexer's), compiled once into one regex when a state first needs them.
        self._shared_terminals = [t for t in root.terminals if t.name.startswith(shared_prefix)]
        self._shared_names = frozenset(t.name for t in self._shared_terminals)
        self._shared: Any = None

    @property
    def direct(self) -> bool:
        """Does the loop call the rules' callbacks without Lark's wrappers?"""
        return self._rows.direct

    def parse(self, text: str, on_error: Callable[[UnexpectedInput], bool] | None = None) -> Any:
        """What ``Lark.parse(text, on_error=on_error)`` returns."""
        try:
            return self._parse(text)
        except _HandBack:
            return self.lark.parse(text, on_error=on_error)

    def _state_lexer(self, state: int) -> _StateLexer:
        basic = self._basic_lexers[state]
        # States that accept the same terminals share one BasicLexer, and so one scanner.
        found = self._by_basic.get(id(basic))
        if found is None:
            scanner, callbacks = self._scanner(basic)
            found = (scanner, callbacks, basic.newline_types, basic.ignore_types)
            self._by_basic[id(basic)] = found
        self._lexers[state] = found
        return found

    def _scanner(self, basic: BasicLexer) -> tuple[_Scanner, dict[str, Any]]:
        """The state's alternation and terminal callbacks; its shared-prefix terminals
        (headings) are left to the one regex all states share when that gives the very same
        matches: Lark tries a state's terminals in one order, and there they all come first."""
        if basic.user_callbacks or len(self._shared_names) > 99:
            # Lark's own scanner and callbacks, as they are.
            own = tuple(basic.scanner._mres)
            return _Scanner((), None, own), basic.callback
        terminals, callbacks = _create_unless(  # type: ignore[no-untyped-call]
            basic.terminals, basic.g_regex_flags, _re_of(basic), basic.use_bytes
        )
        heads = [t.name for t in terminals if t.name in self._shared_names]
        if not heads or {t.name for t in terminals[: len(heads)]} != set(heads):
            return _Scanner((), None, _compile(basic, terminals)), callbacks
        if self._shared is None:
            self._shared = _compile(basic, self._shared_terminals)[0]
        rest = _compile(basic, terminals[len(heads) :])
        whole = functools.partial(_compile, basic, terminals)
        return _Scanner(frozenset(heads), self._shared, rest, whole), callbacks

    def _parse(self, text: str) -> Any:
        if not isinstance(text, str):
            raise _HandBack
        rows, token_callbacks, end_state = self._rows, self._token_callbacks, self._end_state
        state_stack = [self._start_state]
        value_stack: list[Any] = []
        # Lark's ParserState.feed_token: reduce as the table says, then shift; at the end
        # (``None``), reduce until the table accepts.
        for token in itertools.chain(self._tokens(text, state_stack), (None,)):
            kind = "$END" if token is None else token.type
            while True:
                step = rows[state_stack[-1]].get(kind)
                if step is None or (token is None and step.__class__ is int):
                    raise _HandBack
                if step.__class__ is int:
                    state_stack.append(step)
                    if token_callbacks and kind in token_callbacks:
                        token = token_callbacks[kind](token)
                    value_stack.append(token)
                    break
                # A reduction, inline: the loop's most frequent step.
                size, include, call, origin = step
                if size:
                    children = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    children = []
                if include is not None:
                    children = _filtered(children, include)
                value_stack.append(children if call is None else call(children))
                state_stack.append(rows[state_stack[-1]][origin])
                if token is None and state_stack[-1] == end_state:
                    return value_stack[-1]
        raise AssertionError("the table accepts only at the end")  # pragma: no cover

    def _tokens(self, text: str, state_stack: list[int]) -> Iterator[Token]:
        """The tokens of ``text``, each lexed in the state the parser is in by then (the
        top of ``state_stack``), as Lark's contextual lexer gives them."""
        lexers, new_token = self._lexers, str.__new__
        pos, line, line_start, end = 0, 1, 0, len(text)
        while pos < end:
            scanner, callbacks, newline_kinds, ignored_kinds = lexers.get(
                state_stack[-1]
            ) or self._state_lexer(state_stack[-1])
            # The scanner's tries inline when it has one regex of its own (as most have).
            single = scanner.single
            match = scanner.shared.match(text, pos) if scanner.heads else None
            if match is None:
                match = single.match(text, pos) if single is not None else scanner.match(text, pos)
            elif match.lastgroup not in scanner.heads:
                match = scanner.match(text, pos)  # a heading this state does not take
            if match is None:
                raise _HandBack
            value, kind = match.group(0), match.lastgroup
            start_pos, start_line, start_column = pos, line, pos - line_start + 1
            if kind in newline_kinds and "\n" in value:
                line += value.count("\n")
                line_start = pos + value.rindex("\n") + 1
            pos += len(value)
            if kind in ignored_kinds and kind not in callbacks:
                continue
            # Token._future_new, without its two calls: the token's slots set directly.
            token: Token = new_token(Token, value)
            token.type, token.value = kind, value
            token.start_pos, token.line, token.column = start_pos, start_line, start_column
            token.end_line, token.end_column, token.end_pos = line, pos - line_start + 1, pos
            if kind in callbacks:
                token = callbacks[kind](token)
            if kind not in ignored_kinds:
                yield token


def line_tokens(run: Token, kind: str) -> list[Token]:
    """A ``kind`` token for each non-empty line of ``run``, at column 1 of its line: a page
    holds a hundred such lines, and ``Token(...)`` sorting out its keyword arguments would
    cost more than the rest of reading a line, so the token's slots are set directly."""
    tokens: list[Token] = []
    new_token = str.__new__
    number = run.line or 1
    for line in run.split("\n"):
        if line:
            value = line + "\n"
            token: Token = new_token(Token, value)
            token.type, token.value, token.column = kind, value, 1
            token.line = token.end_line = number
            token.start_pos = token.end_column = token.end_pos = None
            tokens.append(token)
        number += 1
    return tokens


def _filtered(children: list[Any], include: tuple[tuple[int, bool], ...]) -> list[Any]:
    """Lark's child filter: the children kept, an inlined rule's own (a list) spliced in.
    The first spliced list is extended in place, as Lark does, so that a long ``*`` run
    grows in constant time a item."""
    found: list[Any] = []
    for index, splice in include:
        if not splice:
            found.append(children[index])
        elif found:
            found += children[index]
        else:
            found = children[index]
    return found


# How the lean loop reduces by one rule: the values it keeps (``None``: all, as they are;
# else (index, splice) pairs), and what it calls on them (``None``: the rule is inlined
# into its parent, and its value is the list itself).
_Reduction = tuple[tuple[tuple[int, bool], ...] | None, Callable[[list[Any]], Any] | None]


def direct_reductions(callbacks: dict[Any, Any]) -> dict[Any, _Reduction] | None:
    """Each rule's callback with Lark's wrappers taken off and done by the loop itself.

    Lark wraps a transformer's method in a child filter (drop filtered-out tokens, splice
    in the children of ``_rules``) and, for ``?rules``, a single-child check; a ``_rule``
    with no method builds a Tree only for its parent to take apart. Here a ``_rule``'s value
    is its list of children, and the methods get the very lists Lark would give them.
    ``None`` when a callback is wrapped in anything else (positions, placeholders): then
    Lark's callbacks are used as they are.
    """
    found: dict[Any, _Reduction] = {}
    for rule, callback in callbacks.items():
        if isinstance(rule, str):
            continue  # a terminal's callback
        call = callback
        include = None
        if isinstance(call, ChildFilterLALR_NoPlaceholders):
            include = tuple((index, bool(splice)) for index, splice in call.to_include)
            call = call.node_builder
        single = isinstance(call, ExpandSingleChild)
        if single:
            call = call.node_builder
        builds_tree = (
            isinstance(call, functools.partial)
            and call.func.__name__ == "default_callback"
            and call.args == (rule.origin.name,)
        )
        inlined = rule.origin.name.startswith("_")
        if inlined and (single or not builds_tree):
            return None  # a ``_rule`` with a method of its own, or a ``?_rule``
        if hasattr(call, "node_builder"):
            return None  # a wrapper the loop does not do
        if single:
            call = functools.partial(_single_child, call)
        found[rule] = (include, None if inlined else call)
    return found


def _single_child(call: Callable[[list[Any]], Any], children: list[Any]) -> Any:
    """Lark's ``?rule``: a single child stands for the rule."""
    return children[0] if len(children) == 1 else call(children)


class _Rows(dict[int, dict[str, Any]]):
    """The parse table, one state's row made the first time it is used: a shift is the
    next state; a reduce is (how many values it takes, which it keeps, the rule's callback,
    the rule's name), so the loop neither hashes Lark's Rule objects nor reads their
    attributes."""

    def __init__(
        self, states: dict[int, dict[str, tuple[Any, Any]]], callbacks: dict[Any, Any]
    ) -> None:
        super().__init__()
        self.states = states
        direct = direct_reductions(callbacks)
        self.direct = direct is not None
        if direct is None:
            direct = {rule: (None, call) for rule, call in callbacks.items()}
        self.reductions: dict[Any, _Reduction] = direct

    def __missing__(self, state: int) -> dict[str, Any]:
        row: dict[str, Any] = {}
        for kind, (action, argument) in self.states[state].items():
            if action is Shift:
                row[kind] = argument
            else:
                size, origin = len(argument.expansion), argument.origin.name
                include, call = self.reductions[argument]
                row[kind] = (size, include, call, origin)
        self[state] = row
        return row
