"""``constraints``: the performance status ranges, thresholds and life expectancies one criterion
states (rules in README.md, "Constraints in criteria").

How, in linear time: ``lexer.py`` finds the cues of a text and reads tokens from each, as the
LALR parser of ``grammars/constraints.lark`` asks for them; the longest prefix the grammar
accepts is the expression, and cues inside what the parser took are not read again.
Thresholds under a condition (``if``, ``for patients with``), alternatives for one group
(``... for men``) and changes (``increase in``) are left out by looking at the words around
the expression.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from ctparse.eligibility import vocabulary as words
from ctparse.eligibility.lexer import cues, tokens
from ctparse.model.constraints import (
    Constraint,
    LifeExpectancy,
    LifeExpectancyUnit,
    Measure,
    Measurement,
    Op,
    PerformanceStatus,
    Scale,
)
from ctparse.pages import lean, pattern_cache
from ctparse.pages.grammar import token_parser
from ctparse.pages.tokens import Token

__all__ = ["constraints"]

# How far back the clause of a cue is searched for a condition.
_LOOKBACK = 160
_FLAGS = re.IGNORECASE
_SPACES = re.compile(r"[\s\u00a0]*")
# Read from the pattern cache (pages/pattern_cache.py): compiling them costs milliseconds.
_CONDITION = pattern_cache.compile(
    rf"(?<![^\W_])(?:{'|'.join(words.CONDITIONS)})(?![^\W_])", _FLAGS
)
_CHANGE = pattern_cache.compile(
    rf"(?:{'|'.join(words.CHANGE_WORDS)})\W*(?:the\W+)?(?:serum\W+)?$", _FLAGS
)
_QUALIFIER = pattern_cache.compile("|".join(words.QUALIFIERS), _FLAGS)
_CHANGE_AFTER = pattern_cache.compile("|".join(words.CHANGE_AFTER), _FLAGS)
_CLAUSE_END = pattern_cache.compile(r"[;；。]|\.(?!\d)|[(（\[]")
_SENTENCE_END = pattern_cache.compile(r"[;；。\n]|\.(?=\s|$)")
_LIFE_UNITS = {unit.value for unit in LifeExpectancyUnit}


class _Quantity(NamedTuple):
    value: int | float
    unit: str | None
    bad: bool  # a unit that makes it no threshold of the measure (mg, weeks for a lab value)


_Bound = tuple[Op, _Quantity]


def _number(text: str) -> int | float:
    lowered = text.lower()
    digits = re.search(r"[(\[]\s*(\d+)\s*[)\]]", lowered)
    if digits:
        return int(digits.group(1))
    word = re.sub(r"[\s\-]+", " ", lowered)
    if word in words.NUMBER_WORDS:
        return words.NUMBER_WORDS[word]
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|[1-9]\d{0,2}(?:\.\d{3})+", text):
        return int(re.sub(r"[,.]", "", text))
    text = text.replace(",", ".")
    return float(text) if "." in text else int(text)


def _op(token: Token) -> Op:
    return Op(token.value)


class _Build:
    """Parse tree to constraints; a group with a value it cannot use gives nothing."""

    def quantity(self, children: list[Token]) -> _Quantity:
        unit = children[1] if len(children) > 1 else None
        return _Quantity(
            _number(children[0].value),
            unit.value if unit is not None and unit.type == "UNIT" else None,
            unit is not None and unit.type == "BADUNIT",
        )

    def compare(self, children: list[Any]) -> list[_Bound]:
        return [(_op(children[0]), children[1])]

    def compare_after(self, children: list[Any]) -> list[_Bound]:
        return [(_op(children[1]), children[0])]

    def range(self, children: list[Any]) -> list[_Bound]:
        low, high = (child for child in children if isinstance(child, _Quantity))
        if high.bad:  # "1.5-1.9 × baseline"
            low = low._replace(bad=True)
        if low.unit is None and not low.bad:
            low = low._replace(unit=high.unit)
        return [(Op.GE, low), (Op.LE, high)]

    def comparisons(self, children: list[Any]) -> list[_Bound]:
        bounds = [bound for child in children if isinstance(child, list) for bound in child]
        # "BMI >= 18.5 and <= 32 kg/m2": a unit written once at the end serves the chain.
        unit = None
        for i in reversed(range(len(bounds))):
            op, quantity = bounds[i]
            if quantity.unit is None and not quantity.bad and unit is not None:
                bounds[i] = (op, quantity._replace(unit=unit))
            unit = quantity.unit if quantity.unit is not None else unit
        return bounds

    def measures(self, children: list[Token]) -> list[Measure]:
        found: list[Measure] = []
        for token in children:
            if token.type == "MEASURE":
                found += [m for m in _measures_of(token.value) if m not in found]
        return found

    def measurement(self, children: list[Any]) -> list[Constraint]:
        measures: list[Measure] = children[0]
        bounds = next(child for child in children[1:] if isinstance(child, list))
        return [
            Measurement(measure=measure, op=op, value=quantity.value, unit=quantity.unit)
            for op, quantity in bounds
            if not quantity.bad and quantity.unit not in _LIFE_UNITS
            for measure in measures
        ]

    def life_expectancy(self, children: list[Any]) -> list[Constraint]:
        cue, last = children[0], children[-1]
        if isinstance(last, _Quantity):
            if not re.match(r"\W*minimum", cue.value, re.IGNORECASE):
                return []
            last = [(Op.GE, last)]
        return [
            LifeExpectancy(op=op, value=q.value, unit=LifeExpectancyUnit(q.unit))
            for op, q in last
            if q.unit in _LIFE_UNITS
        ]

    def score_compare(self, children: list[Token]) -> tuple[str, Any]:
        op = Op.EQ if children[0].type == "NUMBER" else _op(children[0])
        number = next(c for c in children if c.type == "NUMBER")
        return ("compare", (op, _number(number.value), _units(children)))

    def score_after(self, children: list[Token]) -> tuple[str, Any]:
        return ("compare", (_op(children[-1]), _number(children[0].value), _units(children)))

    def score_range(self, children: list[Token]) -> tuple[str, Any]:
        numbers = [_number(c.value) for c in children if c.type == "NUMBER"]
        return ("range", (min(numbers), max(numbers), ()))

    def score_list(self, children: list[Token]) -> tuple[str, Any]:
        return self.score_range(children)

    def performance(self, children: list[Any]) -> list[Constraint]:
        scales: list[Scale | None] = []
        for child in children:
            if isinstance(child, Token) and child.type == "SCALE":
                scale = Scale[child.value]
                if scale not in scales:
                    scales.append(scale)
        kind, detail = next(child for child in children if isinstance(child, tuple))
        return [found for scale in scales or [None] for found in _scores(scale, kind, detail)]


def _units(children: list[Token]) -> tuple[str, ...]:
    return tuple(c.value for c in children if c.type == "UNIT")


def _scores(scale: Scale | None, kind: str, detail: Any) -> list[Constraint]:
    if kind == "range":
        low, high, units = detail
    else:
        op, value, units = detail
        low = high = value
    if any(unit != "%" for unit in units):
        return []
    bottom, top = words.SCALE_BOUNDS[scale]
    if scale is None and max(low, high) > top:
        bottom, top = words.SCALE_BOUNDS[Scale.KARNOFSKY]
    if kind != "range":
        low, high = {
            Op.LT: (bottom, value - 1),
            Op.LE: (bottom, value),
            Op.GT: (value + 1, top),
            Op.GE: (value, top),
            Op.EQ: (value, value),
        }[op]
    if not (isinstance(low, int) and isinstance(high, int) and bottom <= low <= high <= top):
        return []
    return [PerformanceStatus(scale=scale, min=low, max=high)]


@functools.cache
def _measures_of(key: str) -> tuple[Measure, ...]:
    if key in words.MEASURE_GROUPS:
        return words.MEASURE_GROUPS[key][0]
    return (Measure[key],)


@functools.cache
def _parser() -> lean.LeanParser:
    return token_parser("constraints.lark", _Build())


def _parse_at(text: str, start: int) -> tuple[list[Constraint] | None, list[Token]]:
    """The constraints of the longest expression from ``start`` the grammar accepts (None if
    there is none), and the tokens the grammar took before it stopped."""
    parser = _parser()
    interactive = parser.interactive()
    fed: list[Token] = []
    ends: list[int] = []  # prefixes after which the input may end
    for token in tokens(text, start):
        try:
            interactive.feed(token)
        except lean.Unexpected:
            break
        fed.append(token)
        if interactive.may_end():
            ends.append(len(fed))
    # The longest prefix that parses to the end, read again (cheaper than copying the
    # parser at every candidate end).
    for count in reversed(ends):
        again = parser.interactive()
        try:
            for token in fed[:count]:
                again.feed(token)
            results: list[Constraint] = again.end()
        except lean.Unexpected:
            continue
        return results, fed[:count]
    return None, fed


def constraints(text: str) -> tuple[Constraint, ...]:
    """The constraints one criterion's text states, in the order written. Never raises."""
    try:
        return _extract(text)
    except Exception:  # a bug must not cost a page its parse: extraction is an extra
        return ()


def _extract(text: str) -> tuple[Constraint, ...]:
    found: list[Constraint] = []
    qualified: set[tuple[int, Measure]] = set()
    bounded: set[tuple[int, Measure, str]] = set()
    sentence_ends: list[int] | None = None
    consumed = 0
    for cue in cues(text):
        if cue.lastgroup == "BLOCK" or cue.start() < consumed:
            continue
        results, tokens = _parse_at(text, cue.start())
        if tokens:
            # The cues inside what the grammar took belong to this expression, or to none.
            consumed = tokens[-1].end_pos or 0
        if results is None:
            continue
        end = consumed
        after = _SPACES.match(text, end).end()  # type: ignore[union-attr]
        if not results or _conditional(text, cue.start(), tokens):
            continue
        if _CHANGE_AFTER.match(text, after):
            continue
        if sentence_ends is None:
            sentence_ends = [m.start() for m in _SENTENCE_END.finditer(text)]
        sentence = bisect.bisect(sentence_ends, cue.start())
        # A second threshold in the same direction for a measure in one sentence is an
        # alternative for some patients ("≤ 2.5 × ULN; ... liver metastases, ≤ 5 × ULN").
        kept = [
            result
            for result in results
            if not isinstance(result, Measurement)
            or (
                (sentence, result.measure) not in qualified
                and (sentence, result.measure, _direction(result.op)) not in bounded
            )
        ]
        bounded.update(
            (sentence, r.measure, _direction(r.op)) for r in kept if isinstance(r, Measurement)
        )
        if _QUALIFIER.match(text, after):
            qualified.update((sentence, r.measure) for r in kept if isinstance(r, Measurement))
        found += [result for result in kept if result not in found]
    return tuple(found)


def _direction(op: Op) -> str:
    return {Op.LT: "upper", Op.LE: "upper", Op.GT: "lower", Op.GE: "lower"}.get(op, "equal")


def _conditional(text: str, start: int, tokens: Sequence[Token]) -> bool:
    """Whether the clause before ``start`` makes the threshold a condition or a change."""
    window_start = max(0, start - _LOOKBACK)
    before = text[window_start:start]
    after = next((token for token in tokens if token.type != "MEASURE"), None)
    if after is not None and after.value.lower() in ("of", "by") and _CHANGE.search(before):
        return True
    # An opening bracket right before the cue belongs to the cue ("(INR) ≤ 1.5").
    trimmed = before.rstrip()
    if trimmed[-1:] in "(（[":
        trimmed = trimmed[:-1]
    clause_start = 0
    for match in _CLAUSE_END.finditer(trimmed):
        clause_start = match.end()
    return _CONDITION.search(trimmed, clause_start) is not None
