"""README's table of errors: each row's code, met on a real input, with the row's message."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest

import ctparse
from ctparse import DiagnosticCode
from ctparse.batch.inputs import read_pages
from ctparse.batch.records import read_record
from support.paths import FIXTURES, ROOT

INPUTS = FIXTURES / "diagnostics"
# Not caused by a page as such; README says so below the table.
NO_INPUT = {DiagnosticCode.UNRECOVERABLE, DiagnosticCode.INTERNAL_ERROR}
# Codes met by the results reader; the others by the trial reader.
RESULTS_CODES = {"trial_page", "unknown_section"}


def table_rows() -> list[tuple[str, str]]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Errors you can meet", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `(\w+)` \| `([^`]*)` \|", section, re.MULTILINE)
    return [(code, message) for code, message in rows]


def pattern(message: str) -> re.Pattern[str]:
    """The row's message start as a regex: ``<...>`` and ``..`` stand for any text."""
    parts = re.split(r"<[^>]+>|\.\.\.?|\bN\b", message)
    return re.compile(".*?".join(re.escape(part) for part in parts), re.DOTALL)


def problems_of(code: str, folder: Path) -> list[tuple[str, str]]:
    """(code, message) of every problem found in the code's input, lenient or raised."""
    path = INPUTS / f"{code}.txt"
    options: dict[str, Any] = {"kind": "results" if code in RESULTS_CODES else "trial"}
    if code == "too_large":
        options["max_bytes"] = 1000  # the input is a whole page, over a thousand bytes
    if code == "unreadable":
        path = folder / "pipe.txt"
        os.mkfifo(path)
    if code == "cut_character":
        # Found where the command cuts a file into pages: a page's bytes, not its text.
        (page_bytes,) = read_pages(str(path))
        record = read_record(page_bytes, lenient=True)
        assert record.page is not None
        return [(d.code.value, d.message) for d in record.page.diagnostics]
    try:
        page = ctparse.parse_file(path, lenient=True, **options)
    except ctparse.ParseError as error:
        return [(d.code.value, d.message) for d in error.diagnostics]
    return [(d.code.value, d.message) for d in page.diagnostics]


def test_the_table_has_a_row_for_every_code_a_page_can_cause() -> None:
    listed = {code for code, _ in table_rows()}
    assert listed == {code.value for code in DiagnosticCode} - {c.value for c in NO_INPUT}


@pytest.mark.parametrize(("code", "message"), table_rows(), ids=lambda value: value[:20])
def test_each_row_is_met_on_its_input(code: str, message: str, tmp_path: Path) -> None:
    found = problems_of(code, tmp_path)
    expected = pattern(message)
    assert any(c == code and expected.match(m) for c, m in found), found
