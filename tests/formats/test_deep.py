"""Whatever parses can be written and read back, however deep its criteria nest."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pytest

import ctparse
from ctparse.formats import deepjson
from ctparse.model import Criterion, Eligibility, Trial
from support.paths import SEED_PAGE

DEPTH = 5_000


def chain(depth: int) -> Criterion:
    criterion = Criterion(text="innermost")
    for level in range(depth - 1, 0, -1):
        criterion = Criterion(text=f"level {level}:", children=(criterion,))
    return criterion


def outline(criteria: Sequence[Criterion]) -> list[tuple[int, str, int]]:
    """(depth, text, child count) of every node, depth first, without recursion."""
    found: list[tuple[int, str, int]] = []
    pending = [(0, criterion) for criterion in reversed(criteria)]
    while pending:
        depth, criterion = pending.pop()
        found.append((depth, criterion.text, len(criterion.children)))
        pending.extend((depth + 1, child) for child in reversed(criterion.children))
    return found


@pytest.fixture(scope="module")
def deep() -> Trial:
    return Trial(
        nct_id="NCT01234567",
        title="A deep trial",
        eligibility=Eligibility(inclusion=(chain(DEPTH),), exclusion=(Criterion(text="x"),)),
    )


def same_criteria(got: Trial, want: Trial) -> None:
    # Compared node by node: attrs equality itself recurses along the tree.
    for side in ("inclusion", "exclusion", "other"):
        assert outline(getattr(got.eligibility, side)) == outline(getattr(want.eligibility, side))


def test_to_dict_and_from_dict(deep: Trial) -> None:
    record = ctparse.to_dict(deep)
    node: Any = record["eligibility"]["inclusion"][0]
    for _ in range(DEPTH - 1):
        node = node["children"][0]
    assert node == {"text": "innermost", "children": [], "constraints": []}
    assert len(outline(deep.eligibility.inclusion)) == DEPTH
    same_criteria(ctparse.from_dict(record), deep)


@pytest.mark.parametrize("indent", [None, 2])
def test_to_json_and_from_json(deep: Trial, indent: int | None) -> None:
    trial = deep
    if indent is not None:  # indented text grows with the square of the depth
        trial = Trial(eligibility=Eligibility(other=(chain(600),)))
    text = ctparse.to_json(trial, indent=indent)
    assert text.count("innermost") == 1
    same_criteria(ctparse.from_json(text), trial)


def test_render_and_to_ctgov_read_back(deep: Trial) -> None:
    same_criteria(ctparse.parse(ctparse.render(deep)), deep)
    same_criteria(ctparse.from_ctgov(ctparse.to_ctgov(deep)), deep)


def test_a_deep_page_parses_and_writes(deep: Trial) -> None:
    page = ctparse.render(deep)
    trial = ctparse.parse(page)
    assert ctparse.render(trial) == page
    assert deepjson.loads(ctparse.to_json(trial, indent=None))["nct_id"] == "NCT01234567"


SAMPLES: list[Any] = [
    {},
    [],
    {"a": [1, 2.5, -3e-07, True, False, None], "b": {"c": "é\n\"\\", "d": []}, "e": {}},
    [[[]], [{}], "x", 0],
    "plain",
    12,
]


@pytest.mark.parametrize("value", SAMPLES)
@pytest.mark.parametrize("indent", [None, 0, 2])
def test_the_looped_writer_writes_what_json_writes(value: Any, indent: int | None) -> None:
    assert deepjson.dumps_looped(value, indent=indent) == json.dumps(
        value, ensure_ascii=False, indent=indent
    )
    compact = (",", ":")
    assert deepjson.dumps_looped(value, separators=compact) == json.dumps(
        value, ensure_ascii=False, separators=compact
    )
    assert deepjson.loads_looped(json.dumps(value, indent=indent)) == value


def test_the_looped_writer_and_reader_on_a_whole_trial() -> None:
    record = ctparse.to_dict(ctparse.parse_file(SEED_PAGE))
    text = json.dumps(record, ensure_ascii=False, indent=2)
    assert deepjson.dumps_looped(record, indent=2) == text
    assert deepjson.loads_looped(text) == record


@pytest.mark.parametrize("text", ["", "[1,]", "{\"a\" 1}", "[1 2]", "{\"a\":1}x", "[tru]", "{1:2}"])
def test_the_looped_reader_refuses_what_json_refuses(text: str) -> None:
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)
    with pytest.raises(json.JSONDecodeError):
        deepjson.loads_looped(text)
