"""Pages for the flat-table tests: fixture pages, and pages rendered from the shipped corpus."""

from __future__ import annotations

import json

import pytest

import ctparse
from ctparse import Trial
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
