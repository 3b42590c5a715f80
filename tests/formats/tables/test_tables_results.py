"""Results pages to rows: groups with their registry codes, the flow, the baseline, the outcome.

Values are checked on the scraped excerpts in fixtures/results/ and, on the 46 registry records
with results, against the registry record itself (group ids FG000 / BG000, counts, values).
"""

from __future__ import annotations

import pickle
from typing import Any

import pytest

import ctparse
from ctparse import (
    Baseline,
    BaselineCell,
    BaselineGroup,
    BaselineMeasure,
    FlowGroup,
    FlowPeriod,
    Milestone,
    ParticipantFlow,
    PrimaryOutcome,
    Results,
    Withdrawal,
)
from ctparse.formats.tables.results_rows import flow_details, registry_number
from ctparse.tables import TABLE_BY_NAME, TABLES, flatten, page_kind
from support.paths import FIXTURES

RESULTS_TABLES = [table.name for table in TABLES if table.kind == "results"]


def as_dicts(rows: dict[str, list[tuple[object, ...]]], table: str) -> list[dict[str, object]]:
    names = TABLE_BY_NAME[table].column_names
    return [dict(zip(names, row, strict=True)) for row in rows.get(table, [])]


def read(name: str) -> Results:
    text = (FIXTURES / "results" / f"{name}.txt").read_text(encoding="utf-8")
    return ctparse.parse_results(text, lenient=True)


def test_bare_page_with_a_baseline_table() -> None:
    rows = flatten(read("NCT04253626_results"))
    # Every results table but drop_withdrawals.
    assert set(rows) == set(RESULTS_TABLES) - {"drop_withdrawals"}
    groups = as_dicts(rows, "result_groups")
    assert [(g["id"], g["ctgov_group_code"], g["result_type"], g["title"]) for g in groups] == [
        (1, "FG000", "participant_flow", "Oral Iron"),
        (2, "FG001", "participant_flow", "Intravenous Iron"),
        (3, "BG000", "baseline", "Oral Iron"),
        (4, "BG001", "baseline", "Intravenous Iron"),
        (5, "BG002", "baseline", "Total"),
    ]
    assert groups[4]["description"] == "Total of all reporting groups"
    assert {g["nct_id"] for g in groups} == {"NCT04253626"}
    assert as_dicts(rows, "participant_flows") == [
        {
            "nct_id": "NCT04253626",
            "recruitment_details": "Can describe study design here, up to 500 characters "
            "with spaces",
            "pre_assignment_details": "83 participants signed informed consent; 80 were "
            "allocated to treatment.",
            "units_analyzed": None,
        }
    ]
    milestones = as_dicts(rows, "milestones")
    assert len(milestones) == 12
    assert [(m["result_group_id"], m["title"], m["count"]) for m in milestones[:4]] == [
        (1, "STARTED", 40),
        (2, "STARTED", 40),
        (1, "Received Allocated Intervention", 39),
        (2, "Received Allocated Intervention", 38),
    ]
    assert {m["period"] for m in milestones} == {"Overall Study"}
    # Withdrawal data not reported: no rows.
    assert "drop_withdrawals" not in rows
    assert [
        (c["id"], c["result_group_id"], c["units"], c["count"])
        for c in as_dicts(rows, "baseline_counts")
    ] == [(1, 3, "Participants", 40), (2, 4, "Participants", 40), (3, 5, "Participants", 80)]
    # The cut Sex row is left out by the reader; the age row's three cells are here.
    assert as_dicts(rows, "baseline_measurements")[0] == {
        "id": 1,
        "nct_id": "NCT04253626",
        "result_group_id": 3,
        "title": "Age, Continuous",
        "category": None,
        "param_value": "34.0",
        "param_value_num": 34.0,
        "dispersion_type": None,
        "dispersion_value": None,
        "dispersion_value_num": None,
        "units": "years",
    }
    measurements = as_dicts(rows, "baseline_measurements")
    assert [(m["result_group_id"], m["param_value_num"]) for m in measurements] == [
        (3, 34.0),
        (4, 32.0),
        (5, 32.0),
    ]
    assert as_dicts(rows, "outcomes") == [
        {
            "id": 1,
            "nct_id": "NCT04253626",
            "outcome_type": "PRIMARY",
            "description": "Hemoglobin is measured as g/dL at enrollment and after the study "
            "intervention",
            "time_frame": "From enrollment to four weeks post-enrollment (may have been up to 6 "
            "weeks post-enrollment)",
        }
    ]


def test_labelled_page_with_withdrawals_and_a_cut_baseline() -> None:
    rows = flatten(read("NCT00382863_results"))
    withdrawals = as_dicts(rows, "drop_withdrawals")
    assert [(w["result_group_id"], w["period"], w["reason"], w["count"]) for w in withdrawals] == [
        (1, "Overall Study", "Death", 9),
        (2, "Overall Study", "Death", 9),
        (1, "Overall Study", "Lost to Follow-up", 1),
        (2, "Overall Study", "Lost to Follow-up", 2),
        (1, "Overall Study", "Withdrawal by Subject", 5),
        (2, "Overall Study", "Withdrawal by Subject", 25),
    ]
    assert [(c["result_group_id"], c["count"]) for c in as_dicts(rows, "baseline_counts")] == [
        (3, 96),
        (4, 114),
        (5, 210),
    ]
    # The page is cut before the first measure row.
    assert "baseline_measurements" not in rows
    (flow,) = as_dicts(rows, "participant_flows")
    assert str(flow["recruitment_details"]).startswith("Subjects were recruited from 29")
    assert str(flow["pre_assignment_details"]).startswith("3 subjects were considered Roll-in")


def test_periods_each_give_their_rows() -> None:
    rows = flatten(read("NCT02349386_results"))
    milestones = as_dicts(rows, "milestones")
    assert len(milestones) == 2 * 3 * 4
    assert [m["period"] for m in milestones[::12]] == [
        "24-Week Double-Blind Main Study",
        "28-Week Double-Blind Optional Extension",
    ]
    assert [(m["result_group_id"], m["count"]) for m in milestones[12:16]] == [
        (1, 3),
        (2, 2),
        (3, 4),
        (4, 0),
    ]
    # No flow prose on this page: the one participant_flows row is all nulls but nct_id.
    assert as_dicts(rows, "participant_flows") == [
        {
            "nct_id": "NCT02349386",
            "recruitment_details": None,
            "pre_assignment_details": None,
            "units_analyzed": None,
        }
    ]
    assert "BG000" not in {g["ctgov_group_code"] for g in as_dicts(rows, "result_groups")}


@pytest.mark.parametrize("name", ["NCT04570371_results", "NCT04570371_results.v2"])
def test_a_single_flow_line_is_recruitment_details(name: str) -> None:
    # It reads like pre-assignment text; the page cannot say which (README, "Flat tables").
    rows = flatten(read(name))
    assert as_dicts(rows, "participant_flows") == [
        {
            "nct_id": "NCT04570371",
            "recruitment_details": "13,796 participants were excluded from the study prior "
            "to randomization and data collection due to principal investigator discretion.",
            "pre_assignment_details": None,
            "units_analyzed": "Surgical departments",
        }
    ]


def test_flow_lines_are_assigned_by_position() -> None:
    assert flow_details(()) == (None, None)
    assert flow_details(("a",)) == ("a", None)
    assert flow_details(("a", "b")) == ("a", "b")
    assert flow_details(("a", "b", "c")) == ("a", "b\nc")


def test_an_empty_overview_keeps_the_time_frame() -> None:
    rows = flatten(read("NCT00819013_results"))
    assert as_dicts(rows, "outcomes") == [
        {
            "id": 1,
            "nct_id": "NCT00819013",
            "outcome_type": "PRIMARY",
            "description": None,
            "time_frame": "Day 0 through Day 60 post-vaccination",
        }
    ]
    withdrawals = as_dicts(rows, "drop_withdrawals")
    assert [(w["result_group_id"], w["reason"], w["count"]) for w in withdrawals[-4:]] == [
        (1, "Adverse Event", 0),
        (2, "Adverse Event", 0),
        (3, "Adverse Event", 1),
        (4, "Adverse Event", 0),
    ]


def test_every_fixture_page_gives_one_row_per_count_and_cell(
    fixture_results: list[tuple[str, Results]],
) -> None:
    assert len(fixture_results) == 14
    for name, results in fixture_results:
        rows = flatten(results)
        assert page_kind(results) == "results"
        flow = results.participant_flow
        assert len(rows.get("milestones", [])) == sum(
            len(m.counts) for p in flow.periods for m in p.milestones
        ), name
        assert len(rows.get("drop_withdrawals", [])) == sum(
            len(w.counts) for p in flow.periods for w in p.withdrawals
        ), name
        baseline = results.baseline or Baseline()
        assert len(rows.get("result_groups", [])) == len(flow.groups) + len(baseline.groups)
        assert len(rows.get("baseline_measurements", [])) == sum(
            len(m.cells) for m in baseline.measures
        )
        assert len(rows["participant_flows"]) == 1
        # The reader gives one count per group: every row names its group.
        for table in ("milestones", "drop_withdrawals", "baseline_measurements"):
            assert None not in {row["result_group_id"] for row in as_dicts(rows, table)}
        assert pickle.loads(pickle.dumps(rows)) == rows
        assert set(rows) <= set(RESULTS_TABLES)
    assert sum(len(flatten(r).get("milestones", [])) for _, r in fixture_results) == 103


def _registry_rows(record: dict[str, Any]) -> dict[str, set[tuple[object, ...]]]:
    """What the record says the tables hold, by group id (FG000, BG000, ...)."""
    section = record["resultsSection"]
    flow = section["participantFlowModule"]
    baseline = section.get("baselineCharacteristicsModule", {})
    expected: dict[str, set[tuple[object, ...]]] = {
        "result_groups": {(g["id"], g["title"]) for g in flow.get("groups", [])}
        | {(g["id"], g["title"]) for g in baseline.get("groups", [])},
        "milestones": set(),
        "drop_withdrawals": set(),
        "baseline_counts": set(),
    }
    for period in flow.get("periods", []):
        for key, table, parts in (
            ("milestones", "milestones", "achievements"),
            ("dropWithdraws", "drop_withdrawals", "reasons"),
        ):
            for item in period.get(key, []):
                expected[table] |= {
                    (part["groupId"], period["title"], item["type"], int(part["numSubjects"]))
                    for part in item[parts]
                }
    for denom in baseline.get("denoms", [])[:1]:
        expected["baseline_counts"] |= {
            (count["groupId"], denom["units"], int(count["value"])) for count in denom["counts"]
        }
    return expected


def _table_rows(rows: dict[str, list[tuple[object, ...]]]) -> dict[str, set[tuple[object, ...]]]:
    """The flattened rows in the registry's terms: each group reference as its group code."""
    codes = {g["id"]: g["ctgov_group_code"] for g in as_dicts(rows, "result_groups")}
    return {
        "result_groups": {
            (g["ctgov_group_code"], g["title"]) for g in as_dicts(rows, "result_groups")
        },
        "milestones": {
            (codes[m["result_group_id"]], m["period"], m["title"], m["count"])
            for m in as_dicts(rows, "milestones")
        },
        "drop_withdrawals": {
            (codes[w["result_group_id"]], w["period"], w["reason"], w["count"])
            for w in as_dicts(rows, "drop_withdrawals")
        },
        "baseline_counts": {
            (codes[c["result_group_id"]], c["units"], c["count"])
            for c in as_dicts(rows, "baseline_counts")
        },
    }


def test_corpus_rows_match_the_registry_records(
    corpus_results: list[tuple[dict[str, Any], Results]],
) -> None:
    assert len(corpus_results) == 46
    totals = dict.fromkeys(("result_groups", "milestones", "drop_withdrawals"), 0)
    for record, results in corpus_results:
        rows = flatten(results)
        found, expected = _table_rows(rows), _registry_rows(record)
        assert found == expected, record["protocolSection"]["identificationModule"]["nctId"]
        for table in totals:
            totals[table] += len(rows.get(table, []))
    assert totals["milestones"] > 400 and totals["drop_withdrawals"] > 100


def _registry_measurements(record: dict[str, Any]) -> list[tuple[object, ...]]:
    """``(group id, measure title, value, dispersion type, spread)`` per group and category;
    a group the record gives no measurement for prints ``NA``, as on the page."""
    module = record["resultsSection"].get("baselineCharacteristicsModule", {})
    groups = [group["id"] for group in module.get("groups", [])]
    found = []
    for measure in module.get("measures", []):
        for item in measure.get("classes", []):
            for category in item.get("categories", []):
                cells = {cell["groupId"]: cell for cell in category.get("measurements", [])}
                for group in groups:
                    cell = cells.get(group, {})
                    spread = cell.get("spread")
                    dispersion = None if spread is None else measure.get("dispersionType")
                    found.append(
                        (group, measure["title"], cell.get("value", "NA"), dispersion, spread)
                    )
    return found


def test_corpus_baseline_measurements_match_the_registry(
    corpus_results: list[tuple[dict[str, Any], Results]],
) -> None:
    compared = numbers = with_spread = 0
    for record, results in corpus_results:
        rows = flatten(results)
        codes = {g["id"]: g["ctgov_group_code"] for g in as_dicts(rows, "result_groups")}
        measurements = as_dicts(rows, "baseline_measurements")
        # Limits print as a «lower» to «upper» spread; compare the rest value for value.
        if any(" to " in str(m["dispersion_value"]) for m in measurements):
            continue
        found = [
            (
                codes[m["result_group_id"]],
                m["title"],
                m["param_value"],
                m["dispersion_type"],
                m["dispersion_value"],
            )
            for m in measurements
        ]
        assert sorted(found, key=repr) == sorted(_registry_measurements(record), key=repr)
        compared += len(found)
        for m in measurements:
            if m["param_value"] != "NA":
                assert m["param_value_num"] == float(str(m["param_value"]))
                numbers += 1
            else:
                assert m["param_value_num"] is None
            if m["dispersion_value"] is not None:
                assert m["dispersion_value_num"] == float(str(m["dispersion_value"]))
                with_spread += 1
    assert compared > 2000 and numbers > 2000 and with_spread > 150


def test_counts_and_cells_beyond_the_groups_keep_a_null_group() -> None:
    results = Results(
        nct_id="NCT00000005",
        participant_flow=ParticipantFlow(
            groups=(FlowGroup(title="A"),),
            periods=(
                FlowPeriod(
                    title="Overall Study",
                    milestones=(Milestone(type="STARTED", counts=(10, 12)),),
                    withdrawals=(Withdrawal(reason="Death", counts=(1, 0)),),
                ),
            ),
        ),
        baseline=Baseline(
            groups=(BaselineGroup(title="A"),),
            measures=(
                BaselineMeasure(
                    title="Age",
                    cells=(
                        BaselineCell(value="NA"),
                        BaselineCell(
                            value="61", unit="years", dispersion="FULL_RANGE", spread="33 to 76"
                        ),
                    ),
                ),
            ),
        ),
    )
    rows = flatten(results)
    assert [(m["result_group_id"], m["count"]) for m in as_dicts(rows, "milestones")] == [
        (1, 10),
        (None, 12),
    ]
    assert [w["result_group_id"] for w in as_dicts(rows, "drop_withdrawals")] == [1, None]
    # A baseline group without n= has no count row.
    assert "baseline_counts" not in rows
    cells = as_dicts(rows, "baseline_measurements")
    assert [(c["result_group_id"], c["param_value"], c["param_value_num"]) for c in cells] == [
        (2, "NA", None),
        (None, "61", 61.0),
    ]
    assert (cells[1]["dispersion_value"], cells[1]["dispersion_value_num"]) == ("33 to 76", None)
    # No overview line and no time frame: no outcome row.
    assert "outcomes" not in rows


def test_an_empty_results_page_gives_its_flow_row_only() -> None:
    rows = flatten(Results(primary_outcome=PrimaryOutcome(time_frame="Week 12")))
    assert sorted(rows) == ["outcomes", "participant_flows"]
    assert rows["participant_flows"] == [(None, None, None, None)]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("55.1", 55.1),
        ("-3", -3.0),
        ("+0.5", 0.5),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("NA", None),
        ("nan", None),
        ("inf", None),
        ("1e999", None),
        ("1,234", None),
        (" 5", None),
        ("33 to 76", None),
        ("", None),
        (None, None),
    ],
)
def test_registry_numbers(text: str | None, number: float | None) -> None:
    assert registry_number(text) == number
