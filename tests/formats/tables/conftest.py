"""Pages for the flat-table tests: fixture pages, and pages rendered from the shipped corpus
(trial pages of all 400 records, results pages of the 46 with results)."""

from __future__ import annotations

import json
from typing import Any

import pytest

import ctparse
from ctparse import Results, Trial
from support.paths import FIXTURES, corpus_files

SEED = FIXTURES / "valid" / "NCT05001971.txt"


@pytest.fixture(scope="session")
def seed_trial() -> Trial:
    return ctparse.parse(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def corpus_pages() -> list[tuple[str, Trial]]:
    """Every shipped registry record as a page: rendered, then read back like a scraped page."""
    pages = []
    for path in corpus_files():
        trial = ctparse.from_ctgov(json.loads(path.read_text(encoding="utf-8")))
        pages.append((path.name, ctparse.parse(ctparse.render(trial))))
    return pages


@pytest.fixture(scope="session")
def corpus_results() -> list[tuple[dict[str, Any], Results]]:
    """The shipped registry records with results, each with the Results its page gives back
    (rendered as a bare results page, then read like a scraped one)."""
    found = []
    for path in corpus_files():
        record = json.loads(path.read_text(encoding="utf-8"))
        results = ctparse.results_from_ctgov(record)
        if results is not None:
            found.append((record, ctparse.parse_results(ctparse.render(results))))
    return found


@pytest.fixture(scope="session")
def fixture_results() -> list[tuple[str, Results]]:
    """The scraped results excerpts in fixtures/results/, read leniently (every one is cut)."""
    return [
        (path.name, ctparse.parse_results(path.read_text(encoding="utf-8"), lenient=True))
        for path in sorted((FIXTURES / "results").glob("*.txt"))
    ]
