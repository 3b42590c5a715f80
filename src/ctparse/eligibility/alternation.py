"""An alternation of many regular expressions, matched through a small pattern per first
character instead of one giant pattern.

``re`` tries the branches of ``a|b|c`` in order and takes the first that matches, so leaving
out the branches that cannot start with the character at the position changes nothing.  The
characters a branch can start with are read from the branch's parse (``re._parser``, the
standard library's own; on a Python where it reads differently every branch is kept, which
is slower and still exact).  Each per-character pattern is compiled when first needed: a
text touches few of them, and compiling the whole alternation costs tens of milliseconds.
Both the compiled patterns and the first characters read are kept on disk between processes
(``pages/pattern_cache.py``), so a process's first parse pays for neither.

Characters outside ASCII, where case folding and the ``\\d \\s \\w`` classes are wide, use
the pattern of every branch unless they are caseless symbols written in some branch
(``≥``, ``≤``).
"""

from __future__ import annotations

import functools
import hashlib
import re
import string
from collections.abc import Sequence
from typing import Any, NamedTuple

from ctparse.pages import pattern_cache

__all__ = ["BODY", "Alternation", "Branch", "literal_start"]

# Where a branch's template takes its alternatives.
BODY = "\x00"


class Branch(NamedTuple):
    """``template`` with ``BODY`` replaced by the ``alternatives`` joined with ``|``.
    ``leads``, one for each alternative, are what the first characters are read from when
    an alternative only wraps its lead in zero-width assertions (cheaper to read)."""

    template: str
    alternatives: tuple[str, ...]
    leads: tuple[str, ...] | None = None
    # ASCII characters of which the template may take one, and then only spaces, before
    # its alternatives ("(BMI)"): there the character after decides.
    opening: str = ""

    def pattern(self, alternatives: Sequence[str] | None = None) -> str:
        chosen = self.alternatives if alternatives is None else alternatives
        return self.template.replace(BODY, "|".join(chosen))


# A branch that may start with any character.
_ANY = None
_CATEGORY_CHARS = {
    "CATEGORY_DIGIT": string.digits,
    "CATEGORY_SPACE": " \t\n\r\f\v",
    "CATEGORY_WORD": string.ascii_letters + string.digits + "_",
}
_WIDE_CLASS = re.compile(r"[\d\s\w]")


def _cased(chars: set[str]) -> set[str]:
    return {variant for c in chars for variant in (c, c.lower(), c.upper(), c.casefold())}


def _first_of_item(op: Any, value: Any) -> tuple[set[str] | None, bool]:
    """The characters one parsed item may start with (None: any), and whether it may be
    empty."""
    name = str(op)
    if name == "LITERAL":
        return _cased({chr(value)}), False
    if name == "IN":
        chars: set[str] = set()
        for item_op, item_value in value:
            item = str(item_op)
            if item == "LITERAL":
                chars.add(chr(item_value))
            elif item == "RANGE" and item_value[1] - item_value[0] < 512:
                chars.update(chr(c) for c in range(item_value[0], item_value[1] + 1))
            elif item == "CATEGORY" and str(item_value) in _CATEGORY_CHARS:
                chars.update(_CATEGORY_CHARS[str(item_value)])
            else:  # a negated set, another class, a wide range
                return _ANY, False
        return _cased(chars), False
    if name == "SUBPATTERN":
        return _first_of(value[-1])
    if name == "BRANCH":
        firsts = [_first_of(branch) for branch in value[1]]
        union: set[str] = set()
        for first, _ in firsts:
            if first is _ANY:
                return _ANY, any(empty for _, empty in firsts)
            union |= first
        return union, any(empty for _, empty in firsts)
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        first, empty = _first_of(value[2])
        return first, empty or value[0] == 0
    if name in ("AT", "ASSERT", "ASSERT_NOT"):  # zero width: they only narrow
        return set(), True
    return _ANY, False


def _first_of(items: Any) -> tuple[set[str] | None, bool]:
    chars: set[str] = set()
    for op, value in items:
        first, empty = _first_of_item(op, value)
        if first is _ANY:
            return _ANY, False
        chars |= first
        if not empty:
            return chars, False
    return chars, True


@functools.cache
def first_characters(pattern: str, flags: int = 0) -> set[str] | None:
    """The characters a match of ``pattern`` may start with; None when it may start with any
    (or be empty, or the pattern reads in a way not foreseen)."""
    try:
        from re import _parser

        first, empty = _first_of(_parser.parse(pattern, flags))
    except Exception:  # another Python's internals: keep the branch everywhere
        return _ANY
    return _ANY if empty else first


# Stands for a branch's alternative when its template alone is read.
_HOLE = "\x01"


def literal_start(pattern: str) -> str | None:
    """The character ``pattern`` starts with when it is a plain one, not repeated, and the
    pattern has no ``|`` outside brackets: then nothing else can start a match."""
    if len(pattern) < 2 or not pattern[0].isalnum() or pattern[1] in "?*+{":
        return None
    depth, escaped, in_class = 0, False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            return None
    return pattern[0]


def _first_of_lead(lead: str, flags: int) -> set[str] | None:
    start = literal_start(lead)
    return first_characters(lead, flags) if start is None else _cased({start})


def _first_in(template: str, lead: str, flags: int) -> set[str] | None:
    """``first_characters`` of ``template`` holding ``lead``; read without parsing the lead
    when it starts with a plain character (most vocabulary phrases do)."""
    start = literal_start(lead)
    around = first_characters(template.replace(BODY, _HOLE), flags)
    if start is None or around is _ANY:
        return first_characters(template.replace(BODY, lead), flags)
    return (around - {_HOLE}) | (_cased({start}) if _HOLE in around else set())


def _after_opening(
    branch: Branch, leads: tuple[frozenset[str] | None, ...], index: int, key: str
) -> bool:
    """Whether alternative ``index`` may match at ``key`` = opening character + the next
    (always, for a one-character key): the template takes the opening and the alternative
    starts at the next character, or the alternative starts at the opening itself."""
    if len(key) == 1 or key[0] not in branch.opening:
        return True
    lead = leads[index]
    return lead is _ANY or key[0] in lead or key[1] in lead


@functools.cache
def _module_digest() -> str:
    """A digest of this module's file (its source, or its byte code where it ships alone)."""
    try:
        with open(__file__, "rb") as file:
            return hashlib.blake2b(file.read(), digest_size=16).hexdigest()
    except OSError:  # no file to read (a zipped install): kept for this release
        from ctparse import __version__

        return f"release {__version__}"


def _analysis(branches: Sequence[Branch], flags: int) -> list[Any]:
    """The first characters of each branch's alternatives, and of their leads where the
    branch has an opening, as JSON (a list of the characters, or None for any)."""
    firsts = [
        [_to_json(_first_in(branch.template, lead, flags)) for lead in _leads(branch)]
        for branch in branches
    ]
    lead_firsts = [
        [_to_json(_first_of_lead(lead, flags)) for lead in _leads(branch)] if branch.opening else []
        for branch in branches
    ]
    return [firsts, lead_firsts]


def _leads(branch: Branch) -> tuple[str, ...]:
    return branch.leads or branch.alternatives


def _to_json(chars: set[str] | None) -> list[str] | None:
    # A list, not a string: a case variant may be two characters ("ss" for "ß").
    return None if chars is None else sorted(chars)


def _from_json(chars: list[str] | None) -> frozenset[str] | None:
    return _ANY if chars is None else frozenset(chars)


class Alternation:
    """``re.compile("|".join(b.pattern() for b in branches), flags)``, matched one first
    character at a time; within a branch, only the alternatives that may start with it."""

    def __init__(self, branches: Sequence[Branch], flags: int = 0) -> None:
        self._branches = tuple(branches)
        self._flags = flags
        # Reading the first characters parses hundreds of patterns: kept on disk, under the
        # branches and this module's own text (a change to the reading reads them again).
        firsts, lead_firsts = pattern_cache.remembered(
            repr(("Alternation", _module_digest(), self._branches, flags)),
            functools.partial(_analysis, self._branches, flags),
        )
        self._firsts = tuple(tuple(_from_json(first) for first in row) for row in firsts)
        self._lead_firsts = tuple(tuple(_from_json(first) for first in row) for row in lead_firsts)
        self._openings = frozenset("".join(branch.opening for branch in self._branches))
        symbols: set[str] = set()
        for firsts in self._firsts:
            symbols.update(*(first for first in firsts if first is not _ANY))
        self._symbols = frozenset(
            c
            for c in symbols
            if not c.isascii() and c.lower() == c.upper() == c and _WIDE_CLASS.match(c) is None
        )
        self._pattern = functools.cache(self._compile)

    def _compile(self, key: str | None) -> re.Pattern[str]:
        """The branches that may start with ``key``: one character, or an opening character
        and the next one."""
        chosen = []
        for branch, firsts, leads in zip(
            self._branches, self._firsts, self._lead_firsts, strict=True
        ):
            alternatives = [
                alternative
                for i, (alternative, first) in enumerate(
                    zip(branch.alternatives, firsts, strict=True)
                )
                if key is None
                or first is _ANY
                or (key[0] in first and _after_opening(branch, leads, i, key))
            ]
            if alternatives:
                chosen.append(branch.pattern(alternatives))
        # No branch can start here: a pattern that never matches. Kept on disk: compiling
        # one of these takes milliseconds.
        return pattern_cache.compile("|".join(chosen) or "(?!)", self._flags)

    def pattern_for(self, char: str, following: str = "") -> re.Pattern[str]:
        """The branches that may start with ``char`` (followed by ``following``), in their
        order."""
        if char in self._openings and following.isascii() and following.isalnum():
            return self._pattern(char + following.lower())
        if char.isascii():
            return self._pattern(char.lower())
        return self._pattern(char if char in self._symbols else None)

    def match(self, text: str, position: int) -> re.Match[str] | None:
        if position >= len(text):
            return self._pattern(None).match(text, position)
        return self.pattern_for(text[position], text[position + 1 : position + 2]).match(
            text, position
        )
