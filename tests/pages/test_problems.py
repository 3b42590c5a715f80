"""Problems as data: every diagnostic and every ParseError has a code, a place and a section."""

from __future__ import annotations

import pickle

import pytest

import ctparse
from ctparse import DiagnosticCode
from support.paths import FIXTURES

INVALID = FIXTURES / "invalid"


def _text(name: str) -> str:
    return (INVALID / f"{name}.txt").read_bytes().decode("utf-8-sig")


@pytest.mark.parametrize(
    ("name", "code", "section", "line"),
    [
        ("empty", DiagnosticCode.EMPTY, None, 1),
        ("whitespace_only", DiagnosticCode.EMPTY, None, 1),
        ("html_page", DiagnosticCode.NOT_A_PAGE, None, 1),
        ("results_page", DiagnosticCode.RESULTS_PAGE, None, 1),
        ("repeated_section", DiagnosticCode.REPEATED_SECTION, "Countries", None),
        ("cut_in_helper", DiagnosticCode.CUT_OFF, "Eligibility Criteria", 52),
        ("sponsor_without_class", DiagnosticCode.MISPLACED_LINE, "Sponsors", 95),
        ("stray_line_basic_information", DiagnosticCode.MISPLACED_LINE, "Basic Information", 11),
    ],
)
def test_strict_error_has_code_section_and_place(
    name: str, code: DiagnosticCode, section: str | None, line: int | None
) -> None:
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(_text(name))
    error = caught.value
    assert error.code is code
    assert error.section == section
    if line is not None:
        assert error.line == line
    assert str(error).endswith(f"(at line {error.line}, column {error.column})")


@pytest.mark.parametrize("name", sorted(p.stem for p in INVALID.glob("*.txt")))
def test_strict_error_carries_what_lenient_reports(name: str) -> None:
    text = _text(name)
    lenient = ctparse.parse(text, lenient=True).diagnostics
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(text)
    assert caught.value.diagnostics == lenient
    first = lenient[0]
    assert (caught.value.line, caught.value.column, caught.value.code) == (
        first.line,
        first.column,
        first.code,
    )
    assert caught.value.reason == first.message


def test_a_misplaced_line_knows_its_column() -> None:
    # A heading glued after text on its line is reported where the heading starts.
    text = _text("sponsor_without_class").replace(
        "Hunan Cancer Hospital", "  Hunan Cancer Hospital", 1
    )
    diagnostics = ctparse.parse(text, lenient=True).diagnostics
    assert diagnostics[0].code is DiagnosticCode.MISPLACED_LINE
    assert diagnostics[0].section == "Sponsors"
    assert diagnostics[0].line == 95


def test_parse_error_pickles_with_everything() -> None:
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(_text("repeated_section"))
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value)
    assert (copy.code, copy.section, copy.diagnostics) == (
        caught.value.code,
        caught.value.section,
        caught.value.diagnostics,
    )


def test_codes_are_stable_strings() -> None:
    # The codes are a public contract: their spelling is what users filter on.
    assert {code.value for code in DiagnosticCode} >= {
        "cut_off",
        "misplaced_line",
        "repeated_section",
        "not_a_page",
        "results_page",
        "not_utf8",
        "empty",
    }
    assert all(code.value == code.name.lower() for code in DiagnosticCode)
