"""Running the ``ctparse`` command in tests, and what its output is compared with."""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema

import ctparse
from ctparse.model import Results
from support.paths import ROOT, corpus_files

VALID = ROOT / "fixtures" / "valid"


REAL = ROOT / "fixtures" / "real"


CTPARSE = shutil.which("ctparse", path=str(Path(sys.executable).parent)) or "ctparse"


# Pages the strict parse reads without an error, with their golden JSON beside them.
FULL = VALID / "NCT05001971.txt"  # 117 lines, no final line break


LABELLED = VALID / "labelled_two_arms.txt"  # 249 lines, ends with a line break


OBSERVATIONAL = VALID / "observational_bare.txt"  # 61 lines


WITHDRAWN = VALID / "withdrawn_missing_values.txt"  # 40 lines


HTML = b"<!DOCTYPE html>\n<html><body><p>NCT05001971</p></body></html>\n"


@functools.cache
def results_page() -> tuple[Results, str]:
    """A whole results page (the first corpus record with results, rendered), and its
    Results as the page reads back."""
    for path in corpus_files():
        study = json.loads(path.read_text(encoding="utf-8"))
        if "resultsSection" in study:
            results = ctparse.results_from_ctgov(study)
            assert results is not None
            text = ctparse.render(results)
            return ctparse.parse_results(text), text
    raise AssertionError("no corpus record with results")


class Run(NamedTuple):
    status: int
    stdout: bytes
    stderr: str

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.decode("utf-8").splitlines()]

    def error_records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stderr.splitlines() if line.startswith("{")]

    def error_lines(self) -> list[str]:
        """Error records on stderr, as a compiler writes them (``path:line:column: ...``)."""
        return [line for line in self.stderr.splitlines() if not line.startswith("ctparse")]

    def summary(self) -> str:
        return self.stderr.splitlines()[-1]


def run(*args: str, cwd: Path, stdin: bytes | None = None, command: Any = None) -> Run:
    done = subprocess.run(
        [*(command or [CTPARSE]), *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr.decode("utf-8"))


def golden(page: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return result


def without_source(record: dict[str, Any]) -> dict[str, Any]:
    """A record without what the command adds beside the page's keys (kind, source)."""
    return {key: value for key, value in record.items() if key not in ("kind", "source")}


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def summary_of(
    pages: int, records: int, errors: int, *, trial: int = 0, results: int = 0, none: int = 0
) -> str:
    """The closing summary's counts: pages by kind (``none``: text that is no page)."""

    def count(number: int, word: str) -> str:
        return f"{number} {word}{'' if number == 1 else 's'}"

    kinds = [
        f"{number} {name}"
        for number, name in ((trial, "trial"), (results, "results"), (none, "not a page"))
        if number
    ]
    shown = f" ({', '.join(kinds)})" if kinds else ""
    return (
        f"ctparse: {count(pages, 'page')} read{shown}, {count(records, 'record')} written, "
        f"{count(errors, 'error')}"
    )


def assert_valid(
    schemas: tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator],
    records: Sequence[dict[str, Any]],
    errors: Sequence[dict[str, Any]] = (),
) -> None:
    for record in records:
        assert list(schemas[0].iter_errors(record)) == []
    for error in errors:
        assert list(schemas[1].iter_errors(error)) == []
