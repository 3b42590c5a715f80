"""Grammars are data files whose fixed word lists come from the page kind's vocabulary."""

from __future__ import annotations

import re

import pytest

from ctparse.pages import grammar
from ctparse.pages.trial.reader import GRAMMAR_FILE
from ctparse.pages.trial.vocabulary import GRAMMAR_WORDS, HEADINGS, SECTION_SPECS


def test_every_word_list_is_used_and_every_placeholder_has_one() -> None:
    # The page grammar's word lists fill it and what it imports (common.lark).
    source = grammar.with_imports(GRAMMAR_FILE)
    used = set(re.findall(r"<<(\w+)>>", source))
    assert used == set(GRAMMAR_WORDS)
    assert "<<" not in grammar.grammar_text(GRAMMAR_FILE, GRAMMAR_WORDS)


def test_the_heading_list_is_written_once() -> None:
    source = grammar.grammar_source(GRAMMAR_FILE)
    # Each heading appears once, in its own H_ terminal; every list of them is generated.
    for heading in HEADINGS[1:]:
        assert source.count(f"/{heading}\\n") == 1, heading
    assert "Basic Information|" not in source


def test_every_section_rule_of_the_registry_is_a_rule_of_the_grammar() -> None:
    source = grammar.grammar_source(GRAMMAR_FILE)
    alternatives = source.split("_section:", 1)[1].split("\n\n", 1)[0]
    rules = [word.strip() for word in alternatives.replace("\n", " ").split("|")]
    assert rules == [spec.rule for spec in SECTION_SPECS]
    for spec in SECTION_SPECS:
        assert re.search(rf"^{spec.rule}: H_", source, re.MULTILINE), spec.rule


def test_alternation_escapes_and_puts_longer_words_first() -> None:
    words = ["Study", "Study Design", "a.b", "-"]
    assert grammar.alternation(words) == "Study Design|Study|a\\.b|-"


def test_a_placeholder_without_a_word_list_is_an_error() -> None:
    with pytest.raises(KeyError, match="MISSING"):
        grammar._fill("X: /<<MISSING>>/", {})
