"""Paths: the repository's fixtures, and the shared evidence when it stands beside the repository.

Everything the tests need ships under ``fixtures/``; ``../shared`` only adds checks that the
shipped copies match it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SHARED = ROOT.parent / "shared"
SEED_PAGE = FIXTURES / "valid" / "NCT05001971.txt"
SEED_EXPECTED = FIXTURES / "seed" / "NCT05001971.expected.json"
CORPUS_ARCHIVE = FIXTURES / "ctgov" / "records.jsonl.gz"
NO_SHARED = "../shared is not beside the repository"


@functools.cache
def corpus_dir() -> Path:
    """The 400 shipped ClinicalTrials.gov records as ``<NCTID>.json`` files in a cache folder."""
    data = CORPUS_ARCHIVE.read_bytes()
    folder = Path(tempfile.gettempdir()) / f"ctparse-corpus-{hashlib.sha1(data).hexdigest()[:12]}"
    if not (folder / ".complete").exists():
        folder.mkdir(parents=True, exist_ok=True)
        for line in gzip.decompress(data).decode("utf-8").splitlines():
            item = json.loads(line)
            (folder / item["file"]).write_text(
                json.dumps(item["record"], ensure_ascii=False), encoding="utf-8"
            )
        (folder / ".complete").touch()
    return folder


CORPUS = corpus_dir()


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("*.json"))


def require_shared() -> None:
    """Skip a test that checks against ``../shared`` when it is not there."""
    if not SHARED.is_dir():
        pytest.skip(NO_SHARED)
