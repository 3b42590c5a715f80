"""One output of trial pages and results pages: both kinds in ``pages``, ids unique, every
``*_id`` naming a row of the same trial, Parquet types of the results tables."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ctparse
from ctparse import ParseError, Results, Trial
from ctparse.tables import TABLE_BY_NAME, TABLES, TablesWriter, flatten
from support.paths import FIXTURES
from support.tables import check_ids_and_references

CUT_EXCERPT = FIXTURES / "results" / "NCT04253626_results.txt"


def read_tables(directory: Path) -> dict[str, list[dict[str, Any]]]:
    return {
        table.name: pq.read_table(directory / f"{table.name}.parquet").to_pylist()
        for table in TABLES
    }


@pytest.fixture(scope="module")
def pages(
    corpus_pages: list[tuple[str, Trial]],
    corpus_results: list[tuple[dict[str, Any], Results]],
    fixture_results: list[tuple[str, Results]],
) -> list[tuple[str, Trial | Results]]:
    """Each trial with results as its trial page then its results page; then the excerpts."""
    trials = {trial.nct_id: trial for _, trial in corpus_pages}
    found: list[tuple[str, Trial | Results]] = []
    for _, results in corpus_results:
        found.append((f"{results.nct_id}.txt", trials[results.nct_id]))
        found.append((f"{results.nct_id}_results.txt", results))
    found += fixture_results
    return found


@pytest.fixture(scope="module")
def output(
    pages: list[tuple[str, Trial | Results]], tmp_path_factory: pytest.TempPathFactory
) -> Path:
    directory = tmp_path_factory.mktemp("mixed") / "out"
    with TablesWriter(directory, format="parquet", row_group_size=300) as writer:
        for name, page in pages:
            writer.write_page(page, source_path=name, source_line=1)
        try:
            ctparse.parse_results(CUT_EXCERPT.read_text(encoding="utf-8"))
        except ParseError as error:
            writer.write_error(
                source_path=CUT_EXCERPT.name,
                line=error.line,
                column=error.column,
                code=error.code.value,
                message=error.reason,
            )
    return directory


@pytest.fixture(scope="module")
def tables(output: Path) -> dict[str, list[dict[str, Any]]]:
    return read_tables(output)


def test_both_kinds_of_one_trial_are_pages(
    tables: dict[str, list[dict[str, Any]]], pages: list[tuple[str, Trial | Results]]
) -> None:
    rows = tables["pages"]
    assert len(rows) == len(pages) == 2 * 46 + 14
    assert [row["id"] for row in rows] == list(range(1, len(rows) + 1))
    assert [row["kind"] for row in rows[:4]] == ["trial", "results", "trial", "results"]
    assert rows[0]["nct_id"] == rows[1]["nct_id"]
    assert [row["kind"] for row in rows].count("results") == 46 + 14
    assert [row["source_path"] for row in rows] == [name for name, _ in pages]
    # The excerpts' diagnostics (every one is cut) are rows of diagnostics on results pages.
    kinds = {row["id"]: row["kind"] for row in rows}
    assert {kinds[d["page_id"]] for d in tables["diagnostics"]} == {"results"}
    assert len(tables["diagnostics"]) == sum(row["diagnostic_count"] for row in rows) > 14
    assert "cut_off" in {d["code"] for d in tables["diagnostics"]}
    (error,) = tables["errors"]
    assert (error["source_path"], error["code"]) == (CUT_EXCERPT.name, "cut_off")
    assert error["line"] == 102


def test_results_pages_add_no_studies_rows(tables: dict[str, list[dict[str, Any]]]) -> None:
    assert len(tables["studies"]) == len(tables["designs"]) == 46
    assert len({row["nct_id"] for row in tables["studies"]}) == 46
    assert len(tables["participant_flows"]) == 46 + 14
    assert {row["nct_id"] for row in tables["studies"]} <= {
        row["nct_id"] for row in tables["participant_flows"]
    }


def test_ids_are_unique_and_every_reference_is_a_row_of_the_same_trial(
    tables: dict[str, list[dict[str, Any]]],
) -> None:
    checked = check_ids_and_references(tables)
    assert checked > 4000
    # Constraints of the trial pages' criteria are in the same output.
    assert len(tables["criteria_constraints"]) > 40
    groups = {row["id"]: row for row in tables["result_groups"]}
    for table, kind in (
        ("milestones", "participant_flow"),
        ("drop_withdrawals", "participant_flow"),
        ("baseline_counts", "baseline"),
        ("baseline_measurements", "baseline"),
    ):
        assert tables[table], table
        assert {groups[row["result_group_id"]]["result_type"] for row in tables[table]} == {kind}


def test_rows_are_the_flattened_rows_renumbered(
    tables: dict[str, list[dict[str, Any]]], pages: list[tuple[str, Trial | Results]]
) -> None:
    for table in (
        "result_groups",
        "milestones",
        "baseline_measurements",
        "criteria",
        "criteria_constraints",
    ):
        expected = [row for _, page in pages for row in flatten(page).get(table, [])]
        found = tables[table]
        assert len(found) == len(expected), table
        names = TABLE_BY_NAME[table].column_names
        # Everything but ids is as flattened.
        plain = [n for n in names if n == "nct_id" or not (n == "id" or n.endswith("_id"))]
        assert [tuple(row[n] for n in plain) for row in found] == [
            tuple(value for n, value in zip(names, row, strict=True) if n in plain)
            for row in expected
        ]


def test_parquet_types_of_the_results_tables(
    output: Path, tables: dict[str, list[dict[str, Any]]]
) -> None:
    directory = output
    schema = pq.read_schema(directory / "baseline_measurements.parquet")
    assert schema.field("param_value").type == pa.string()
    assert schema.field("param_value_num").type == pa.float64()
    assert schema.field("dispersion_value_num").type == pa.float64()
    assert schema.field("result_group_id").type == pa.int64()
    assert schema.field("result_group_id").nullable is True
    assert schema.field("id").nullable is False
    counts = pq.read_schema(directory / "baseline_counts.parquet")
    assert counts.field("count").type == pa.int64()
    assert counts.field("count").nullable is False
    assert counts.field("result_group_id").nullable is False
    milestones = pq.read_schema(directory / "milestones.parquet")
    assert milestones.field("count").type == pa.int64()
    groups = pq.read_schema(directory / "result_groups.parquet")
    assert groups.field("ctgov_group_code").nullable is False
    assert groups.field("description").type == pa.string()
    metadata = pq.ParquetFile(directory / "baseline_measurements.parquet").metadata
    assert metadata.num_row_groups > 1
    numbers = [row["param_value_num"] for row in tables["baseline_measurements"]]
    assert all(isinstance(value, float) for value in numbers if value is not None)
    assert any(value is None for value in numbers)
