"""An LALR parse table in ctparse's own format, and the loop that runs it, without Lark.

Lark analyses a grammar once (``pages/lalr.py`` writes what it found as a ``Table``, plain
lists and dicts kept on disk by ``pages/pattern_cache.py``); a process that finds the table
there reads pages without importing Lark at all, which is most of what starting up costs.
Each parser state's terminals are matched as Lark's contextual lexer matches them (the
same alternations, in the same order), and each rule's value is what Lark's callbacks
would make of the same children.

The loop does only what succeeds: on the first token it cannot lex or the table does not
take, a ``LeanParser`` hands the whole text to its fallback, Lark itself with the caller's
``on_error``, so that error messages and recovery are exactly Lark's. The rules' callbacks
therefore must not keep state from one call to the next (a transformer's methods build
values from their children only).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ctparse.pages import pattern_cache
from ctparse.pages.tokens import Token

__all__ = [
    "LAYOUT",
    "Interactive",
    "LeanParser",
    "Table",
    "Unexpected",
    "line_tokens",
]

# The version of the table's layout below; a table of another layout is made again.
LAYOUT = 2

# A table, as JSON reads it:
#   "start", "end": the start state and the state that accepts;
#   "terminals": every terminal's name;
#   "rules": [origin, size, kept, single, callback] each: the rule's name, how many values it
#       takes, which it keeps (null: all; else [index, splice] pairs, splicing an inlined
#       ``_rule``'s list), whether one child stands for the rule (``?rule``), and the name of
#       the transformer method Lark would call;
#   "symbols": the terminal and rule names the rows name by number;
#   "rows": for each state, pairs of numbers run together: a symbol, then the next state (a
#       shift or a goto) or -1 - a rule's index (a reduction);
#   "lexer": null for a parser fed tokens one by one, else {"states": the lexer of each
#       state, "terminals": {name: regex}, "flags": the regexes' flags, "shared": the
#       heading terminals or null, "lexers": [heads, own, retype, newline kinds, ignored
#       kinds] each}: the headings the shared regex may answer for (the state tries them
#       first, in this order), the terminals the state tries itself, and for a terminal
#       whose text may be a keyword, the keywords. Terminals are named, in the order Lark
#       tries them; a list of them is matched as one alternation.
Table = dict[str, Any]


class Unexpected(Exception):
    """Input the table does not take: a token it does not expect (``token``; None at the
    end), or where the fallback parser gave up (``line``, ``column``)."""

    def __init__(self, token: Token | None, line: int | None = None, column: int | None = None):
        super().__init__(f"unexpected {'end' if token is None else token.type}")
        self.token = token
        self.line = line if token is None else token.line
        self.column = column if token is None else token.column


class _HandBack(Exception):
    """The lean loop met something it leaves to the fallback."""


class LeanParser:
    """Parses with a ``Table``, calling ``transformer``'s methods as Lark would.

    ``fallback`` makes, the first time it is needed, what parses a text the loop hands back:
    ``parse(text, on_error)`` as Lark's, raising ``Unexpected`` where Lark would give up.
    Lexer states are set up the first time they are used.
    """

    def __init__(
        self,
        table: Table,
        transformer: object,
        fallback: Callable[[], Callable[[str, Any], Any]] | None = None,
    ) -> None:
        if table.get("layout") != LAYOUT:
            raise ValueError(f"a table of layout {table.get('layout')}, not {LAYOUT}")
        self._rows = _Rows(
            table["symbols"], table["rows"], _reductions(table["rules"], transformer)
        )
        self._start: int = table["start"]
        self._end: int = table["end"]
        # Lark calls a method named after a terminal on each shifted token of that kind.
        self._token_callbacks: dict[str, Callable[[Token], Any]] = {
            name: getattr(transformer, name)
            for name in table["terminals"]
            if getattr(transformer, name, None) is not None
        }
        self._lexer: dict[str, Any] | None = table["lexer"]
        self._lexers: dict[int, _StateLexer] = {}
        self._made: dict[int, _StateLexer] = {}
        self._shared: re.Pattern[str] | None = None
        self._fallback = fallback
        self._fallback_parse: Callable[[str, Any], Any] | None = None

    def parse(self, text: str, on_error: Callable[[Any], bool] | None = None) -> Any:
        """The transformer's value for ``text``; what the fallback makes of a text the
        loop does not take (``on_error`` as Lark's)."""
        try:
            return self._parse(text)
        except _HandBack:
            if self._fallback is None:
                raise Unexpected(None, 1, 1) from None
            if self._fallback_parse is None:
                self._fallback_parse = self._fallback()
            return self._fallback_parse(text, on_error)

    def interactive(self) -> Interactive:
        """A parser fed one token at a time."""
        return Interactive(self)

    def _parse(self, text: str) -> Any:
        if not isinstance(text, str) or self._lexer is None:
            raise _HandBack
        state_stack = [self._start]
        tokens = itertools.chain(self._tokens(text, state_stack), (None,))
        return self._run(tokens, state_stack, [])

    def _run(
        self, tokens: Iterable[Token | None], state_stack: list[int], value_stack: list[Any]
    ) -> Any:
        """Feeds ``tokens`` (``None``: the end) as Lark's ``ParserState.feed_token`` does:
        reduce as the table says, then shift; at the end, reduce until the table accepts,
        and give the value."""
        rows, token_callbacks, end_state = self._rows, self._token_callbacks, self._end
        for token in tokens:
            kind = "$END" if token is None else token.type
            while True:
                step = rows[state_stack[-1]].get(kind)
                if step is None or (token is None and step.__class__ is int):
                    raise _HandBack
                if step.__class__ is int:
                    state_stack.append(step)
                    if token_callbacks and kind in token_callbacks:
                        token = token_callbacks[kind](token)  # type: ignore[arg-type]
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
        return None

    def _state_lexer(self, state: int) -> _StateLexer:
        assert self._lexer is not None
        number: int = self._lexer["states"][state]
        # States that accept the same terminals share one lexer, and so one scanner.
        made = self._made.get(number)
        if made is None:
            heads, own, retype, newline_kinds, ignored_kinds = self._lexer["lexers"][number]
            own_terminals = self._alternation(own)
            if heads and self._shared is None:
                self._shared = self._alternation(self._lexer["shared"])
            scanner = _Scanner(
                frozenset(heads),
                self._shared or own_terminals,  # not read where the state takes no heading
                own_terminals,
                functools.partial(self._alternation, heads + own),
            )
            callbacks: dict[str, Callable[[Token], Token]] = {
                kind: _Retype(self._alternation(names)) for kind, names in retype.items()
            }
            made = (scanner, callbacks, frozenset(newline_kinds), frozenset(ignored_kinds))
            self._made[number] = made
        self._lexers[state] = made
        return made

    def _alternation(self, names: list[str]) -> re.Pattern[str]:
        """The terminals as one regex, each a group of its name, tried in this order (as
        Lark's scanner has them); for no terminals, a regex that matches nothing."""
        assert self._lexer is not None
        regexes = self._lexer["terminals"]
        pattern = "|".join(f"(?P<{name}>{regexes[name]})" for name in names) or "(?!)"
        return pattern_cache.compile(pattern, self._lexer["flags"])

    def _tokens(self, text: str, state_stack: list[int]) -> Iterator[Token]:
        """The tokens of ``text``, each lexed in the state the parser is in by then (the
        top of ``state_stack``), as Lark's contextual lexer gives them."""
        lexers, new_token = self._lexers, str.__new__
        pos, line, line_start, end = 0, 1, 0, len(text)
        while pos < end:
            scanner, callbacks, newline_kinds, ignored_kinds = lexers.get(
                state_stack[-1]
            ) or self._state_lexer(state_stack[-1])
            match: Any  # re.Match: its group names are the terminals'
            if scanner.heads:
                match = scanner.shared.match(text, pos)
                if match is None:
                    match = scanner.own.match(text, pos)
                elif match.lastgroup not in scanner.heads:
                    # A heading this state does not take: all its terminals decide.
                    match = scanner.every().match(text, pos)
            else:
                match = scanner.own.match(text, pos)
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
            # Token's constructor, without its call: the slots set directly.
            token: Token = new_token(Token, value)
            token.type, token.value = kind, value
            token.start_pos, token.line, token.column = start_pos, start_line, start_column
            token.end_line, token.end_column, token.end_pos = line, pos - line_start + 1, pos
            if kind in callbacks:
                token = callbacks[kind](token)
            if kind not in ignored_kinds:
                yield token


class Interactive:
    """One parse fed a token at a time (Lark's interactive parser, for what ctparse asks of
    it): ``feed``, ``may_end``, ``end``."""

    __slots__ = ("_parser", "_states", "_values")

    def __init__(self, parser: LeanParser) -> None:
        self._parser = parser
        self._states = [parser._start]
        self._values: list[Any] = []

    def feed(self, token: Token) -> None:
        """Take ``token``; ``Unexpected`` when the table does not (the parse is then over)."""
        try:
            self._parser._run((token,), self._states, self._values)
        except _HandBack:
            raise Unexpected(token) from None

    def may_end(self) -> bool:
        """Could the input end here?"""
        return "$END" in self._parser._rows[self._states[-1]]

    def end(self) -> Any:
        """The value of the whole input; ``Unexpected`` if it may not end here."""
        try:
            return self._parser._run((None,), self._states, self._values)
        except _HandBack:
            raise Unexpected(None) from None


class _Scanner:
    """One lexer state's terminals, in the order Lark tries them. Where the state tries the
    headings first, they are the one regex all states share (``shared``, which may find a
    heading this state does not take), and ``own`` the rest; else ``own`` is all of them."""

    __slots__ = ("_every", "_make_every", "heads", "own", "shared")

    def __init__(
        self,
        heads: frozenset[str],
        shared: re.Pattern[str],
        own: re.Pattern[str],
        make_every: Callable[[], re.Pattern[str]],
    ) -> None:
        self.heads, self.shared, self.own = heads, shared, own
        self._make_every = make_every
        self._every: re.Pattern[str] | None = None

    def every(self) -> re.Pattern[str]:
        """All the state's terminals as one regex, made the first time it is needed."""
        if self._every is None:
            self._every = self._make_every()
        return self._every


class _Retype:
    """Lark's check of a terminal whose text may be a keyword: the keyword's kind, if it is."""

    __slots__ = ("keywords",)

    def __init__(self, keywords: re.Pattern[str]) -> None:
        self.keywords = keywords

    def __call__(self, token: Token) -> Token:
        found = self.keywords.fullmatch(token.value)
        if found is not None:
            token.type = found.lastgroup  # type: ignore[assignment]
        return token


# One lexer state as the loop uses it: its scanner, the terminal callbacks, the terminals
# that may hold a newline, the ignored ones.
_StateLexer = tuple[_Scanner, dict[str, Callable[[Token], Token]], frozenset[str], frozenset[str]]
# How the loop reduces by one rule: how many values it takes, which it keeps, what it calls
# on them (``None``: the rule is inlined into its parent, its value the list itself), the
# rule's name.
_Reduction = tuple[int, tuple[tuple[int, bool], ...] | None, Callable[[list[Any]], Any] | None, str]


def _reductions(rules: list[list[Any]], transformer: object) -> list[_Reduction]:
    """Each rule's reduction, with the transformer's method where Lark would call one."""
    found: list[_Reduction] = []
    for origin, size, kept, single, name in rules:
        include = None if kept is None else tuple((index, bool(splice)) for index, splice in kept)
        method = getattr(transformer, name, None)
        if getattr(method, "visit_wrapper", None) is not None:
            raise ValueError(f"the method {name} is wrapped for Lark (v_args)")
        if origin.startswith("_"):
            # Lark gives an inlined rule's children to its parent, which splices them in.
            if method is not None or single:
                raise ValueError(f"the inlined rule {origin} has a value of its own")
            found.append((size, include, None, origin))
            continue
        call = method if method is not None else functools.partial(_tree, name)
        if single:
            call = functools.partial(_single_child, call)
        found.append((size, include, call, origin))
    return found


def _tree(name: str, children: list[Any]) -> Any:
    """Lark's value for a rule without a method: a tree (Lark is loaded for it)."""
    from lark import Tree

    return Tree(name, children)


def _single_child(call: Callable[[list[Any]], Any], children: list[Any]) -> Any:
    """Lark's ``?rule``: a single child stands for the rule."""
    return children[0] if len(children) == 1 else call(children)


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


class _Rows(dict[int, dict[str, Any]]):
    """The parse table, one state's row made the first time it is used: a shift or goto is
    the next state; a reduction is the rule's ``_Reduction``."""

    def __init__(
        self, symbols: list[str], rows: list[list[int]], reductions: list[_Reduction]
    ) -> None:
        super().__init__()
        self.symbols = symbols
        self.rows = rows
        self.reductions = reductions

    def __missing__(self, state: int) -> dict[str, Any]:
        numbers = self.rows[state]
        row: dict[str, Any] = {}
        for at in range(0, len(numbers), 2):
            step = numbers[at + 1]
            row[self.symbols[numbers[at]]] = step if step >= 0 else self.reductions[-1 - step]
        self[state] = row
        return row


def line_tokens(run: Token, kind: str) -> list[Token]:
    """A ``kind`` token for each non-empty line of ``run``, at column 1 of its line: a page
    holds a hundred such lines, and ``Token(...)`` sorting out its arguments would cost
    more than the rest of reading a line, so the token's slots are set directly."""
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
