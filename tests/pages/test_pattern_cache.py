"""Patterns kept on disk (``ctparse.pages.pattern_cache``) are the patterns ``re`` makes."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from ctparse.eligibility import alternation, lexer
from ctparse.eligibility.alternation import Alternation
from ctparse.pages import pattern_cache

PATTERNS = (
    (r"(?P<A>a)|(?P<B>b+)", 0),
    (r"(?<![^\W_])(?:x|y)(?![^\W_])", re.IGNORECASE),
    (r"[\s\u00a0\-\u2010]*(?P<NUMBER>\d+(?:[.,]\d+)?)", re.IGNORECASE),
    (r"(?-i:EF)|µ|é", re.IGNORECASE),
    (r"(?!)", 0),
)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A store of its own, kept in a file under ``tmp_path``."""
    file_path = tmp_path / "patterns.bin"
    monkeypatch.setattr(pattern_cache, "path", lambda: str(file_path))
    monkeypatch.setattr(pattern_cache, "_STORE", pattern_cache._Store())
    return file_path


def fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a new process starts with: nothing loaded yet."""
    monkeypatch.setattr(pattern_cache, "_STORE", pattern_cache._Store())


def token_patterns() -> list[tuple[str, int]]:
    """The constraint lexer's patterns for a few first characters."""
    every, _ = lexer._alternations()
    return [(every._compile(key).pattern, every._flags) for key in ("a", "e", "1", "(", None)]


def test_compiled_and_stored_patterns_equal_those_of_re(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patterns = [*PATTERNS, *token_patterns()]
    for pattern, flags in patterns:
        # Patterns are equal when their text, flags and compiled code are.
        assert pattern_cache.compile(pattern, flags) == re.compile(pattern, flags)
    pattern_cache._save()
    assert store.stat().st_size > 0
    fresh_process(monkeypatch)
    assert len(pattern_cache._entries()) == len(patterns)
    for pattern, flags in patterns:
        made = pattern_cache.compile(pattern, flags)
        assert made == re.compile(pattern, flags)
        assert made.groupindex == re.compile(pattern, flags).groupindex
    assert pattern_cache._STORE.added is False  # every one came from the file


def test_matches_from_a_stored_pattern(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern_cache.compile(r"(?P<A>a)|(?P<B>b+)", 0)
    pattern_cache._save()
    fresh_process(monkeypatch)
    match = pattern_cache.compile(r"(?P<A>a)|(?P<B>b+)", 0).match("bbbc")
    assert match is not None
    assert (match.lastgroup, match.span()) == ("B", (0, 3))


def test_a_damaged_file_is_passed_over(store: Path) -> None:
    # An entry for "a" whose code is cut short.
    index = {pattern_cache._key("a", 0): [0, 0, {}, [None], 0, 999]}
    store.write_bytes(json.dumps(index).encode() + b"\nxx")
    assert pattern_cache.compile("a", 0) == re.compile("a", 0)
    store.write_bytes(b"not json at all")
    pattern_cache._STORE.entries = None
    assert pattern_cache.compile("b", 0) == re.compile("b", 0)


def test_nowhere_to_keep_them(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pattern_cache, "path", lambda: None)
    monkeypatch.setattr(pattern_cache, "_STORE", pattern_cache._Store())
    assert pattern_cache.compile("a+", 0) == re.compile("a+", 0)
    pattern_cache._save()  # nothing to write to: nothing happens
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_written(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    missing = store.parent / "missing" / "patterns.bin"
    assert pattern_cache.compile("a+", 0) == re.compile("a+", 0)
    # A folder that is not there stands for one that may not be written to.
    monkeypatch.setattr(pattern_cache, "path", lambda: str(missing))
    pattern_cache._save()
    assert not missing.parent.exists()


def test_the_file_lies_in_the_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    from ctparse.pages import grammar

    monkeypatch.setattr(grammar, "cache_folder", lambda: "/some/folder")
    found = pattern_cache.path()
    assert found is not None
    assert found.startswith("/some/folder/.ctparse_patterns_")
    monkeypatch.setattr(grammar, "cache_folder", lambda: None)
    assert pattern_cache.path() is None


def test_values_worked_out_once_are_read_back(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []

    def make() -> list[object]:
        made.append("once")
        return [["a", "ß", "ss"], None]

    assert pattern_cache.remembered("some patterns", make) == [["a", "ß", "ss"], None]
    pattern_cache._save()
    fresh_process(monkeypatch)
    assert pattern_cache.remembered("some patterns", make) == [["a", "ß", "ss"], None]
    assert pattern_cache.remembered("other patterns", lambda: 3) == 3
    assert made == ["once"]


def test_a_value_made_anew_in_its_slot_replaces_the_stale_one(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pattern_cache.remembered("grammar v1", lambda: 1, slot="table a") == 1
    assert pattern_cache.remembered("other grammar", lambda: 5, slot="table b") == 5
    assert pattern_cache.remembered("loose", lambda: 7) == 7
    pattern_cache._save()
    fresh_process(monkeypatch)
    # The grammar was edited: its table is made again, and the old one not written back;
    # the other slot's value and a value without a slot stay, though this process left
    # them unused.
    assert pattern_cache.remembered("grammar v2", lambda: 2, slot="table a") == 2
    pattern_cache._save()
    fresh_process(monkeypatch)
    assert pattern_cache.remembered("grammar v1", lambda: -1, slot="table a") == -1
    assert pattern_cache.remembered("grammar v2", lambda: -2, slot="table a") == 2
    assert pattern_cache.remembered("other grammar", lambda: -5, slot="table b") == 5
    assert pattern_cache.remembered("loose", lambda: -7) == 7


def test_an_alternation_read_back_matches_as_one_made_anew(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups = lexer._token_groups()
    made = Alternation(groups, re.IGNORECASE)
    pattern_cache._save()
    fresh_process(monkeypatch)
    read = Alternation(groups, re.IGNORECASE)
    assert pattern_cache._STORE.added is False
    assert (read._firsts, read._lead_firsts) == (made._firsts, made._lead_firsts)
    text = "ANC ≥ 1.5 x 10^9/L, platelets (PLT) > 100 000/µL and ECOG 0-1"
    for position in range(len(text)):
        found, expected = read.match(text, position), made.match(text, position)
        assert (found and (found.span(), found.lastgroup)) == (
            expected and (expected.span(), expected.lastgroup)
        )


def test_a_file_of_another_user_is_not_read(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pattern_cache.compile("a+", 0)
    pattern_cache._save()
    fresh_process(monkeypatch)
    monkeypatch.setattr(pattern_cache.os, "getuid", lambda: os.stat(store).st_uid + 1)
    assert pattern_cache._entries() == {}
    assert pattern_cache.compile("a+", 0) == re.compile("a+", 0)


def test_an_alternation_is_read_again_when_its_reading_changes(
    store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    groups = lexer._token_groups()
    Alternation(groups, re.IGNORECASE)
    pattern_cache._save()
    fresh_process(monkeypatch)
    # Another text of alternation.py: the first characters are read anew.
    monkeypatch.setattr(alternation, "_module_digest", lambda: "another text")
    Alternation(groups, re.IGNORECASE)
    assert pattern_cache._STORE.added is True
