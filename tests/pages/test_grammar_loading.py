"""Grammars are data files whose fixed word lists come from the page kind's vocabulary."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from lark import Lark

import ctparse
from ctparse.eligibility import constraints
from ctparse.pages import grammar, lean, pattern_cache
from ctparse.pages.trial import reader
from ctparse.pages.trial.reader import GRAMMAR_FILE
from ctparse.pages.trial.vocabulary import GRAMMAR_WORDS, HEADINGS, SECTION_SPECS
from support.paths import SEED_PAGE


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


def test_lark_keeps_the_parsers_in_the_temporary_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    assert grammar.cache_folder() == str(tmp_path)

    def build() -> Lark:
        return grammar.build_token_parser("constraints.lark")

    first = build()
    assert first.source_path != "<deserialized>"
    assert len(list(tmp_path.glob(".lark_cache_*"))) == 1
    # The second build reads the file, and takes the same tokens.
    again = build()
    assert again.source_path == "<deserialized>"
    assert again.parse_interactive().choices() == first.parse_interactive().choices()


def test_parsers_are_built_where_no_temporary_folder_can_be_written(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = SEED_PAGE.read_text(encoding="utf-8")
    expected = ctparse.parse(seed)

    def nowhere() -> str:
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(tempfile, "tempdir", None)
    monkeypatch.setattr(tempfile, "gettempdir", nowhere)
    assert grammar.cache_folder() is None
    assert pattern_cache.path() is None
    # Nothing remembered: the tables are made by Lark in this process, and kept nowhere.
    monkeypatch.setattr(pattern_cache, "_STORE", pattern_cache._Store())
    reader._parser.cache_clear()
    constraints._parser.cache_clear()
    try:
        assert ctparse.parse(seed) == expected
        assert len(pattern_cache._STORE.values) == 2  # the page's table, the constraints'
        pattern_cache._save()
    finally:
        reader._parser.cache_clear()
        constraints._parser.cache_clear()


def test_a_table_is_kept_for_one_lark_release_and_one_layout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import lark

    where, release = grammar._lark_release()
    assert where == lark.__file__ and where in release
    assert release.endswith(f"table layout {lean.LAYOUT}")
    # The slot: this grammar file with this Lark, so that an edit or an upgrade replaces
    # the table, and another installation sharing the folder keeps its own.
    asked: list[tuple[str, str | None]] = []

    def remembered(text: str, make: object, slot: str | None = None) -> object:
        asked.append((text, slot))
        return {"layout": lean.LAYOUT}

    monkeypatch.setattr(pattern_cache, "remembered", remembered)
    grammar._table("constraints.lark", "the grammar", lambda: Lark("start: A\nA: /a/\n"))
    [(text, slot)] = asked
    assert text == f"the grammar\n{release}"
    assert slot == f"table {grammar._folder()}/constraints.lark {where}"
