"""Shared paths: the repository's fixtures and the shared evidence beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
SEED_PAGE = SHARED / "pages" / "NCT05001971.txt"
CORPUS = SHARED / "corpus" / "ctgov"


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.json"))


def require_shared() -> None:
    if not CORPUS.is_dir():
        pytest.skip("../shared is not beside the repository")
