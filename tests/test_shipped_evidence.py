"""The copies of the shared evidence shipped under ``fixtures/`` match ``../shared``."""

from __future__ import annotations

import json

import pytest

from support.paths import CORPUS, SEED_EXPECTED, SEED_PAGE, SHARED, corpus_files, require_shared


def test_the_shipped_corpus_has_the_400_records() -> None:
    files = corpus_files()
    assert len(files) == 400
    assert sum("resultsSection" in json.loads(f.read_text(encoding="utf-8")) for f in files) == 46


def test_the_shipped_corpus_matches_shared() -> None:
    require_shared()
    shared = sorted((SHARED / "corpus" / "ctgov").glob("*.json"))
    assert [f.name for f in shared] == [f.name for f in corpus_files()]
    for path in shared:
        assert json.loads(path.read_text(encoding="utf-8")) == json.loads(
            (CORPUS / path.name).read_text(encoding="utf-8")
        ), path.name


@pytest.mark.parametrize("name", ["NCT05001971.txt"])
def test_the_shipped_seed_page_matches_shared(name: str) -> None:
    require_shared()
    assert (SHARED / "pages" / name).read_bytes() == SEED_PAGE.read_bytes()


def _without_constraints(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_constraints(v) for k, v in value.items() if k != "constraints"}
    if isinstance(value, list):
        return [_without_constraints(item) for item in value]
    return value


def test_the_shipped_seed_expectation_matches_shared() -> None:
    # The shipped copy adds each criterion's ``constraints``; everything else is the same.
    require_shared()
    shared = json.loads((SHARED / "pages" / "NCT05001971.expected.json").read_text("utf-8"))
    shipped = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert shared == _without_constraints(shipped)
    assert '"constraints"' in SEED_EXPECTED.read_text(encoding="utf-8")
