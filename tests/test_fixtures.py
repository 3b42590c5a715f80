"""Every golden page parses to its expected JSON; failing pages fail with their message."""

from __future__ import annotations

from pathlib import Path

import pytest

import ctparse
from support.golden import expected_of, pages
from support.paths import FIXTURES


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_lenient_parse_matches_golden(page: Path) -> None:
    expected, _ = expected_of(page)
    trial = ctparse.parse_file(page, lenient=True)
    assert ctparse.to_dict(trial) == expected


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_strict_parse_matches_golden_or_fails_as_recorded(page: Path) -> None:
    expected, error = expected_of(page)
    if error is None:
        assert expected["diagnostics"] == []
        assert ctparse.to_dict(ctparse.parse_file(page)) == expected
    else:
        assert expected["diagnostics"], "a page that fails strictly has diagnostics"
        with pytest.raises(ctparse.ParseError) as caught:
            ctparse.parse_file(page)
        assert str(caught.value) == error
        assert str(caught.value).endswith(
            f"(at line {caught.value.line}, column {caught.value.column})"
        )


def test_valid_pages_have_no_error_file() -> None:
    assert not list((FIXTURES / "valid").glob("*.error"))


def test_every_page_has_its_expected_json() -> None:
    assert all(page.with_suffix(".json").exists() for page in pages())
