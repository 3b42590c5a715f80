"""``Alternation`` matches exactly what the whole alternation matches, one first character
at a time."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from ctparse.eligibility import lexer
from ctparse.eligibility.alternation import BODY, Alternation, Branch, first_characters

BRANCHES = (
    Branch("(?P<WORD>\x00)", (r"(?<![^\W_])abc", r"ab", r"x\d+")),
    Branch(r"(?P<PAREN>[(\[]?\s*(?:" + BODY + r"))", (r"bmi", r"(?:serum )?alb"), opening="(["),
    Branch(BODY, (r"(?P<NUMBER>\d+(?:\.\d+)?)",)),
    Branch(BODY, (r"(?P<SIGN>≥|>=|≤)",)),
    Branch(BODY, (r"(?P<OTHER>[^\W_]+|\S)",)),
)
WHOLE = re.compile("|".join(branch.pattern() for branch in BRANCHES), re.IGNORECASE)
ALPHABET = "abcimlsxABX0123456789 .()[]≥≤>=\u212a\u017f\u0130\u00e9\u00c5\u00a0\n"


def same(alternation: Alternation, whole: re.Pattern[str], text: str) -> None:
    for position in range(len(text) + 1):
        expected = whole.match(text, position)
        found = alternation.match(text, position)
        assert (found and (found.span(), found.lastgroup)) == (
            expected and (expected.span(), expected.lastgroup)
        ), (text, position)


def test_first_characters() -> None:
    assert first_characters("(?<![^\\W_])ab|c", re.IGNORECASE) == {"a", "A", "c", "C"}
    assert first_characters(r"x?\d") == {"x", "X", *"0123456789"}
    assert first_characters(r"a*") is None  # may be empty: anywhere
    assert first_characters(r"[^a]b") is None


@given(st.text(alphabet=ALPHABET, max_size=30))
@settings(max_examples=300, deadline=None)
def test_same_matches_as_the_whole_alternation(text: str) -> None:
    same(Alternation(BRANCHES, re.IGNORECASE), WHOLE, text)


@given(st.text(alphabet="anctbilmsxpe0123456789 .,/()[]≥≤<>=\u00d7-", max_size=40))
@settings(max_examples=200, deadline=None)  # the first example compiles the patterns
def test_the_token_groups_match_as_one_pattern(text: str) -> None:
    groups = lexer._token_groups()
    whole = re.compile("|".join(group.pattern() for group in groups), re.IGNORECASE)
    same(lexer._alternations()[0], whole, text)
    same(lexer._alternations()[0], whole, "ANC (" + text + ") Platelets (PLT ≥ 100")
