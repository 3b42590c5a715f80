"""The constraint lexer: where a criterion's cues stand, and the tokens read from each.

Built from ``vocabulary.py``: the text's words are looked up in ``CUE_WORDS`` (a set); a text
with none of them, or with no number, costs that split. Where a cue word starts and a number
follows within ``_NUMBER_REACH`` characters, the token pattern reads the cue (a measure or
scale name, "life expectancy"); from it ``tokens`` reads at most ``_SPAN_TOKENS`` tokens, as
the parser asks for them, stopping at a word the grammar cannot use. The token pattern is
matched through small patterns chosen by the first character (``alternation.py``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

from ctparse.eligibility import vocabulary as words
from ctparse.eligibility.alternation import BODY, Alternation, Branch, literal_start
from ctparse.model.constraints import Op
from ctparse.pages import pattern_cache
from ctparse.pages.tokens import Token

__all__ = ["cue_pattern", "cues", "tokens"]

# Tokens read from one cue at most: an expression is short, and the bound keeps the whole
# extraction linear in the text's length.
_SPAN_TOKENS = 40
_SPACE = r"[\s\u00a0\-‐]*"


def _phrase(pattern: str, *, exact: bool = False) -> str:
    """A vocabulary phrase as a regex: spaces match spaces or hyphens; whole words only."""
    body = pattern.replace(" ", _SPACE)
    if exact:
        body = f"(?-i:{body})"
    # Word boundaries only where the phrase's first or last character is a word character;
    # where that character is a plain letter or digit, the one check that can hold alone.
    plain = literal_start(pattern) is not None
    before = r"(?<![^\W_])" if plain else r"(?:(?<![^\W_])|(?![^\W_]))"
    last_plain = plain and pattern[-1].isalnum() and pattern[-2] != "\\"
    after = r"(?![^\W_])" if last_plain else r"(?:(?![^\W_])|(?<![^\W_]))"
    return rf"{before}(?:{body}){after}"


def _alternatives(patterns: Sequence[str], *, exact: bool = False) -> str:
    return "|".join(_phrase(p, exact=exact) for p in patterns)


_OPEN = r"[(（\[]"
_CLOSE = r"[)）\]]"


def _named(
    name: str, patterns: Sequence[str], *, exact: bool = False, paren: bool = False
) -> Branch:
    """A named group of vocabulary phrases, as its template and its alternatives (so that
    the phrases a token cannot start with need not be tried)."""
    body = BODY
    if paren:  # "(BMI)", "(ECOG)": an abbreviation in brackets is the name again
        body = rf"{_OPEN}?\s*(?:{body})(?:\s*{_CLOSE}){{0,2}}"
    # A phrase's boundaries are zero-width: its first characters are its body's.
    return Branch(
        f"(?P<{name}>{body})",
        tuple(_phrase(p, exact=exact) for p in patterns),
        tuple(p.replace(" ", _SPACE) for p in patterns),
        "([" if paren else "",
    )


def _plain(pattern: str) -> Branch:
    return Branch(BODY, (pattern,))


@functools.cache
def _cue_groups() -> tuple[Branch, ...]:
    groups = [_named("BLOCK", words.BLOCKED)]
    for measure, patterns in words.MEASURES.items():
        exact = words.MEASURES_EXACT.get(measure, ())
        groups.append(_named(f"M_{measure.name}", patterns, paren=True))
        if exact:
            groups.append(_named(f"MX_{measure.name}", exact, exact=True, paren=True))
    for name, (_, patterns) in words.MEASURE_GROUPS.items():
        groups.append(_named(f"G_{name}", patterns, paren=True))
    scale_tail = r"(?:\s*(?:scale|score))?"
    for scale, patterns in words.SCALES.items():
        groups.append(_named(f"S_{scale.name}", [p + scale_tail for p in patterns], paren=True))
    for scale, patterns in words.SCALES_EXACT.items():
        groups.append(
            _named(f"SX_{scale.name}", [p + scale_tail for p in patterns], exact=True, paren=True)
        )
    groups.append(_named("PS", words.PERFORMANCE, paren=True))
    groups.append(_named("PSX", words.PERFORMANCE_EXACT, exact=True, paren=True))
    groups.append(_named("LIFE", words.LIFE))
    return tuple(groups)


def _token_groups() -> list[Branch]:
    groups = list(_cue_groups())
    groups += [_named(f"O_{op.name}", p) for op, p in words.OPERATORS.items()]
    groups += [_named(f"P_{op.name}", p) for op, p in words.POSTFIX_OPERATORS.items()]
    number_words = sorted(words.NUMBER_WORDS, key=len, reverse=True)
    groups.append(
        _plain(
            r"(?P<NUMBER>\d{1,3}(?:,\d{3})+(?![\d.])|[1-9]\d{0,2}(?:\.\d{3})+(?=\s*/)"
            r"|\d+(?:[.,]\d+)?(?![\d])|\.\d+"
            rf"|(?:{_alternatives(number_words)})(?:\s*[(\[]\s*\d+\s*[)\]])?)"
        )
    )
    groups.append(_named("BETWEEN", words.BETWEEN_WORDS))
    groups.append(_named("FROM", words.FROM_WORDS))
    groups.append(_named("FILLER", [*words.FILLERS]))
    groups.append(_plain(rf"(?P<FILLER_PAREN>{_OPEN}[^()（）\[\]\d<>≤≥=\n]{{1,40}}{_CLOSE})"))
    groups.append(_named("TO", words.TO_WORDS))
    groups.append(_named("OR", ["and ?/ ?or", "or"]))
    groups.append(_named("AND", ["and", "&", "as well as"]))
    groups += [
        _plain(r"(?P<COMMA>[,，、])"),
        _plain(r"(?P<SLASH>/)"),
        _plain(rf"(?P<LPAR>{_OPEN})"),
        _plain(rf"(?P<RPAR>{_CLOSE})"),
    ]
    groups += [_plain(r"(?P<STOP>[.;；。](?!\d)|\n)"), _plain(r"(?P<OTHER>[^\W_]+|\S)")]
    return groups


_FLAGS = re.IGNORECASE
# Where a token starts with a digit or a sign no name can start with, the names need not be
# tried: most tokens of an expression are numbers and signs.
_CUE_GROUP = re.compile(r"\(\?P<(?:BLOCK|MX?_|G_|SX?_|PSX?>|LIFE)")
# The cue groups come first among the token groups, in the same order, so a token match
# that ends in a cue group is exactly the cue match: one alternation serves both.
_CUE_NAMES = frozenset(re.match(r"\(\?P<(\w+)>", g.template).group(1) for g in _cue_groups())  # type: ignore[union-attr]


@functools.cache
def _alternations() -> tuple[Alternation, Alternation]:
    """The token groups, and the same without the names (for a digit or a sign), each
    matched through small per-first-character patterns compiled on first use: the whole
    alternation is large, and most texts hold no cue at all."""
    groups = _token_groups()
    every = Alternation(groups, _FLAGS)
    signs = Alternation([g for g in groups if not _CUE_GROUP.match(g.template)], _FLAGS)
    return every, signs


def cue_pattern() -> re.Pattern[str]:
    """The cue phrases alone, as one pattern (for inspection and tests)."""
    return re.compile("|".join(group.pattern() for group in _cue_groups()), _FLAGS)


def _cue_at(text: str, start: int) -> re.Match[str] | None:
    match = _alternations()[0].match(text, start)
    return match if match is not None and match.lastgroup in _CUE_NAMES else None


_SIGNS = frozenset("0123456789≥⩾≧≤⩽≦<>=,，、/-–—~～;；.。&:：")
# The larger patterns are read from the pattern cache (pages/pattern_cache.py).
_UNIT = pattern_cache.compile(
    "|".join(f"(?P<U{i}>{pattern})" for i, (pattern, _) in enumerate(words.UNITS)), _FLAGS
)
_BAD_UNIT = pattern_cache.compile("|".join(f"(?:{p})" for p in words.BAD_UNITS), _FLAGS)
_SPACES = re.compile(r"[\s\u00a0]*")
_WORD = re.compile(r"[^\W_]+")
_DIGIT = re.compile(r"\d")
# How far after a cue its number may be looked for: about as far as a span's tokens reach.
_NUMBER_REACH = 400
# A number word; a digit is looked for first, with ``_DIGIT``: the regex engine finds a digit
# fast, but not one alternative of a case-blind list of words, so the words are searched for
# only where no digit is near.
_NUMBER_WORD = pattern_cache.compile(
    rf"(?<![^\W_])(?:{'|'.join(sorted(words.NUMBER_WORDS, key=len, reverse=True))})",
    re.IGNORECASE,
)
_NUMBER_WORDS = frozenset(word for phrase in words.NUMBER_WORDS for word in phrase.split())


def tokens(text: str, start: int) -> Iterator[Token]:
    """Tokens from ``start`` up to a word the grammar cannot use, ``_SPAN_TOKENS`` at most;
    read as the parser asks for them."""
    position = start
    after_number = False
    for _ in range(_SPAN_TOKENS):
        position = _SPACES.match(text, position).end()  # type: ignore[union-attr]
        if position >= len(text):
            return
        token = _unit_at(text, position) if after_number else None
        if token is None:
            every, signs = _alternations()
            tokens_here = signs if text[position] in _SIGNS else every
            match = tokens_here.match(text, position)
            if match is None or match.lastgroup in (None, "STOP", "OTHER", "BLOCK"):
                return
            token = _token(match)
        yield token
        position = token.end_pos or 0
        after_number = token.type == "NUMBER"


def _unit_at(text: str, position: int) -> Token | None:
    bad = _BAD_UNIT.match(text, position)
    unit = _UNIT.match(text, position)
    if bad is not None and (unit is None or bad.end() >= unit.end()):
        return Token("BADUNIT", bad.group(), end_pos=bad.end())
    if unit is None or unit.lastgroup is None:
        return None
    spelling = words.UNITS[int(unit.lastgroup[1:])][1]
    if spelling is None:  # as written, without spaces and with a plain u for micro
        spelling = re.sub(r"[\s\u00a0]+", "", unit.group()).replace("μ", "u").replace("µ", "u")
        spelling = re.sub(r"^[x×X*]", "", spelling)
    return Token("UNIT", spelling, end_pos=unit.end())


def _token(match: re.Match[str]) -> Token:
    group = match.lastgroup or "OTHER"
    prefix, _, name = group.partition("_")
    kind, value = group, match.group()
    if prefix in ("M", "MX", "G"):
        kind, value = "MEASURE", name
    elif prefix in ("S", "SX"):
        kind, value = "SCALE", name
    elif group == "PSX":
        kind = "PS"
    elif prefix in ("O", "P"):  # the operator itself is the value: ">=" for "at least"
        kind, value = "OP" if prefix == "O" else "POSTOP", Op[name].value
    elif group == "FILLER_PAREN":
        kind = "FILLER"
    return Token(kind, value, end_pos=match.end())


def cues(text: str) -> Iterator[re.Match[str]]:
    """The cues of ``text``, in order: tried only where a word of ``CUE_WORDS`` starts, so a
    text without one costs a split into words and a set lookup."""
    lowered = _WORD.findall(text.lower())
    if words.CUE_WORDS.isdisjoint(lowered):
        return
    if _DIGIT.search(text) is None and _NUMBER_WORDS.isdisjoint(lowered):
        return  # every constraint has a number
    for word in _WORD.finditer(text):
        if word.group().lower() in words.CUE_WORDS:
            start = word.start()
            reach = start + _NUMBER_REACH
            if (
                _DIGIT.search(text, start, reach) is None
                and _NUMBER_WORD.search(text, start, reach) is None
            ):
                continue  # no number close enough for an expression from here
            cue = _cue_at(text, start)
            if cue is not None:
                yield cue
