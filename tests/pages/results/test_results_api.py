"""The results page through the public API: kinds, refusals, JSON, schema, ctgov, grammar
words, and the generic reading of what follows the baseline table."""

from __future__ import annotations

import json
from typing import Any

import attrs
import jsonschema
import pytest

import ctparse
from ctparse.formats.schema import page_record_schema, results_record_schema
from ctparse.pages import grammar
from ctparse.pages.kind import page_kind
from ctparse.pages.results import vocabulary as page
from ctparse.pages.results.reader import GRAMMAR_FILE
from support.golden import results_pages
from support.paths import FIXTURES

IRON = FIXTURES / "results" / "NCT04253626_results.txt"
TRIAL = FIXTURES / "valid" / "NCT05001971.txt"
CODE = ctparse.DiagnosticCode


def whole_page() -> str:
    """A complete bare results page: the iron trial's excerpt, its cut row finished."""
    text = IRON.read_text(encoding="utf-8")
    return text + "ticipants\nn=5 Participants\n|\n"


def test_the_kind_is_told_by_the_first_line() -> None:
    assert page_kind(IRON.read_text(encoding="utf-8")) == "results"
    assert page_kind("\ufeff\n  Trial Outcomes & Findings for X (NCT NCT01234567)\n") == "results"
    assert page_kind(TRIAL.read_text(encoding="utf-8")) == "trial"
    assert page_kind("") == "trial"
    assert isinstance(ctparse.parse_page(TRIAL.read_text(encoding="utf-8")), ctparse.Trial)
    assert isinstance(ctparse.parse_page(whole_page()), ctparse.Results)


def test_parse_refuses_a_results_page_and_names_the_readers() -> None:
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(IRON.read_text(encoding="utf-8"))
    assert "parse_results" in str(caught.value) and "parse_page" in str(caught.value)
    assert caught.value.code == CODE.RESULTS_PAGE
    with pytest.raises(ctparse.ParseError):
        ctparse.parse_file(IRON)  # the default kind is still the trial page


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", CODE.EMPTY),
        ("   \n\n", CODE.EMPTY),
        ("<html><body>hello</body></html>\n", CODE.NOT_A_PAGE),
        (TRIAL.read_text(encoding="utf-8"), CODE.TRIAL_PAGE),
    ],
)
def test_parse_results_refuses_what_is_not_a_results_page(text: str, code: Any) -> None:
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse_results(text)
    assert caught.value.code == code
    lenient = ctparse.parse_results(text, lenient=True)
    assert lenient.diagnostics[0].code == code
    with pytest.raises(TypeError):
        ctparse.parse_results(b"bytes")  # type: ignore[arg-type]


def test_a_whole_page_reads_strictly_with_every_row() -> None:
    results = ctparse.parse_results(whole_page())
    assert results.truncated is False and results.diagnostics == ()
    assert results.baseline is not None
    sex = results.baseline.measures[1]
    assert (sex.title, sex.category) == ("Sex: Female, Male", "Female")
    assert [c.value for c in sex.cells] == ["40", "40", "80"]
    assert [c.unit for c in sex.cells] == ["Participants"] * 3
    notes = ["n=5 Participants", "n=7 Participants", "n=5 Participants"]
    assert [c.note for c in sex.cells] == notes


def test_unknown_sections_are_kept_and_reported_but_do_not_fail_strictly() -> None:
    text = whole_page() + (
        "Outcome Measures\n"
        "Change in hemoglobin from enrollment.\n"
        "Hemoglobin\n"
        "| Measure |\n"
        "Oral Iron\n"
        "n=38 Participants\n"
        "|\n"
        "|---|---|\n"
        "|\n"
        "Hemoglobin\n"
        "|\n"
        "1.2 g/dL\n"
        "|\n"
        "Adverse Events\n"
    )
    results = ctparse.parse_results(text)
    outcome, events = results.sections
    assert outcome.heading == "Outcome Measures"
    assert outcome.paragraphs == ("Change in hemoglobin from enrollment.",)
    (table,) = outcome.tables
    assert table.caption == "Hemoglobin"
    assert [(c.title, c.lines) for c in table.columns] == [("Oral Iron", ("n=38 Participants",))]
    assert [(r.labels, r.cells) for r in table.rows] == [(("Hemoglobin",), (("1.2 g/dL",),))]
    assert events.heading == "Adverse Events"
    codes = [(d.code, d.section) for d in results.diagnostics]
    assert codes == [
        (CODE.UNKNOWN_SECTION, "Outcome Measures"),
        (CODE.UNKNOWN_SECTION, "Adverse Events"),
    ]


def test_from_dict_decides_the_kind_by_keys_or_argument() -> None:
    results = ctparse.parse_results(whole_page())
    data = ctparse.to_dict(results)
    assert ctparse.from_dict(data) == results
    assert ctparse.from_dict({"kind": "results", "source": {}, **data}) == results
    assert ctparse.from_dict(data, kind="results") == results
    trial = ctparse.parse(TRIAL.read_text(encoding="utf-8"))
    assert ctparse.from_dict(ctparse.to_dict(trial)) == trial
    assert json.loads(ctparse.to_json(results)) == data


def test_the_record_keys_are_the_contract() -> None:
    data = ctparse.to_dict(ctparse.parse_results(whole_page()))
    assert list(data) == [
        "nct_id",
        "title",
        "last_updated",
        "status",
        "phases",
        "enrollment",
        "results_posted",
        "primary_outcome",
        "participant_flow",
        "baseline",
        "sections",
        "truncated",
        "diagnostics",
    ]
    assert list(data["participant_flow"]) == [
        "notes",
        "unit_of_analysis",
        "groups",
        "periods",
        "withdrawals_reported",
    ]
    cell = data["baseline"]["measures"][0]["cells"][0]
    assert list(cell) == ["value", "unit", "dispersion", "spread", "note"]


def test_the_schema_describes_both_kinds() -> None:
    schema = page_record_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    for path in results_pages():
        record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        validator.validate({"kind": "results", "source": {"path": "x", "line": 1}, **record})
        with pytest.raises(jsonschema.ValidationError):
            validator.validate({"kind": "trial", **record})
    trial = json.loads((FIXTURES / "valid" / "NCT05001971.json").read_text(encoding="utf-8"))
    validator.validate({"kind": "trial", **trial})
    fields = [field.name for field in attrs.fields(ctparse.Results)]
    assert results_record_schema()["required"] == fields


def test_to_ctgov_writes_what_the_page_carries() -> None:
    record = ctparse.to_ctgov(ctparse.parse_results(whole_page()))
    protocol, section = record["protocolSection"], record["resultsSection"]
    assert protocol["identificationModule"] == {
        "nctId": "NCT04253626",
        "briefTitle": "Comparison of Oral Ferrous Sulfate to Intravenous Ferumoxytol in "
        "Antepartum Iron Deficiency Anemia",
    }
    assert protocol["designModule"]["phases"] == ["PHASE3"]
    flow = section["participantFlowModule"]
    assert [g["title"] for g in flow["groups"]] == ["Oral Iron", "Intravenous Iron"]
    started = flow["periods"][0]["milestones"][0]
    assert started == {
        "type": "STARTED",
        "achievements": [
            {"groupId": "FG000", "numSubjects": "40"},
            {"groupId": "FG001", "numSubjects": "40"},
        ],
    }
    assert "dropWithdraws" not in flow["periods"][0]
    baseline = section["baselineCharacteristicsModule"]
    assert baseline["denoms"][0]["counts"][2] == {"groupId": "BG002", "value": "80"}
    assert section["outcomeMeasuresModule"]["outcomeMeasures"][0]["type"] == "PRIMARY"


def test_the_grammar_spells_the_vocabulary() -> None:
    source = grammar.with_imports(GRAMMAR_FILE)
    for word in (
        page.OVERVIEW,
        page.PARTICIPANT_FLOW,
        page.BASELINE,
        page.MILESTONES_CAPTION,
        page.WITHDRAWALS_CAPTION,
        page.NOT_REPORTED,
        page.BASELINE_CAPTION,
        page.MEASURE,
        page.BARE_MEASURE,
        *page.FACT_LABELS,
    ):
        assert f'"{word}" _EOL' in source, word
    assert "%import common (" in grammar.grammar_source(GRAMMAR_FILE)
    assert "%import common (" in grammar.grammar_source("page.lark")
    assert page.separator(2) == "|---|---|---|"


def test_render_takes_either_kind_and_nothing_else() -> None:
    results = ctparse.parse_results(whole_page())
    assert ctparse.render(results) == whole_page()
    with pytest.raises(TypeError):
        ctparse.render({"nct_id": "NCT01234567"})  # type: ignore[arg-type]
