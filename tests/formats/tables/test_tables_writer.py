"""``TablesWriter``: ids across pages, CSV quoting and nulls, Parquet types, DIR as a whole."""

from __future__ import annotations

import csv
import datetime
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ctparse
from ctparse import ParseError, Trial
from ctparse.tables import (
    TABLE_BY_NAME,
    TABLES,
    ParquetUnavailableError,
    TablesWriter,
    flatten,
    write,
)
from support.paths import FIXTURES
from support.tables import check_ids_and_references


def read_tables(directory: Path) -> dict[str, list[dict[str, object]]]:
    return {
        table.name: pq.read_table(directory / f"{table.name}.parquet").to_pylist()
        for table in TABLES
    }


def write_mixed(directory: Path, pages: list[tuple[str, Trial]], **options: int) -> None:
    """Corpus pages, one of them twice, a lenient page with diagnostics, and a page that failed."""
    cut = FIXTURES / "invalid" / "repeated_section.txt"
    with TablesWriter(directory, format="parquet", **options) as writer:
        for name, trial in pages:
            writer.write_page(trial, source_path=name, source_line=1)
        writer.write_page(pages[0][1], source_path="again.txt", source_line=7)
        writer.write_page(
            ctparse.parse(cut.read_text(encoding="utf-8"), lenient=True),
            source_path=cut.name,
            source_line=1,
        )
        try:
            ctparse.parse("<html><body>not a page</body></html>")
        except ParseError as error:
            writer.write_error(
                source_path="page.html",
                line=error.line,
                column=error.column,
                code=error.code.value,
                message=error.reason,
            )


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, corpus_pages: list[tuple[str, Trial]]) -> Path:
    directory = tmp_path_factory.mktemp("mixed") / "tables"
    write_mixed(directory, corpus_pages[:120], row_group_size=500)
    return directory


def test_every_page_read_is_a_page_row_or_an_error_row(
    mixed: Path, corpus_pages: list[tuple[str, Trial]]
) -> None:
    tables = read_tables(mixed)
    pages = tables["pages"]
    assert len(pages) == 122 and len(tables["errors"]) == 1
    assert [page["id"] for page in pages] == list(range(1, 123))
    assert pages[0]["nct_id"] == pages[120]["nct_id"] == corpus_pages[0][1].nct_id
    assert (pages[120]["source_path"], pages[120]["source_line"]) == ("again.txt", 7)
    assert {page["kind"] for page in pages} == {"trial"}
    assert pages[121]["diagnostic_count"] == 2
    assert [d["page_id"] for d in tables["diagnostics"]] == [122, 122]
    first = tables["diagnostics"][0]
    assert (first["line"], first["column"], first["code"]) == (111, 1, "repeated_section")
    assert first["section"] == "Countries"
    assert "section repeated" in str(tables["diagnostics"][0]["message"])
    (error,) = tables["errors"]
    assert error["source_path"] == "page.html" and error["code"] == "not_a_page"
    assert error["line"] == 1 and "not a trial page" in str(error["message"])


def test_ids_are_unique_and_every_reference_exists(mixed: Path) -> None:
    tables = read_tables(mixed)
    assert check_ids_and_references(tables) > 0
    # References stay within one trial after renumbering.
    by_id = {row["id"]: row for row in tables["design_groups"]}
    interventions = {row["id"]: row for row in tables["interventions"]}
    links = tables["design_group_interventions"]
    assert len(links) > 100
    for link in links:
        assert by_id[link["design_group_id"]]["nct_id"] == link["nct_id"]
        assert interventions[link["intervention_id"]]["nct_id"] == link["nct_id"]
    criteria = {row["id"]: row for row in tables["criteria"]}
    children = [row for row in criteria.values() if row["parent_id"] is not None]
    assert children, "the corpus has nested criteria"
    for row in children:
        parent = criteria[row["parent_id"]]
        assert parent["nct_id"] == row["nct_id"] and parent["depth"] == row["depth"] - 1


def test_rows_match_the_flattener_page_by_page(
    mixed: Path, corpus_pages: list[tuple[str, Trial]]
) -> None:
    tables = read_tables(mixed)
    expected = sum(len(flatten(trial).get("criteria", [])) for _, trial in corpus_pages[:120])
    expected += len(flatten(corpus_pages[0][1]).get("criteria", []))
    cut = ctparse.parse((FIXTURES / "invalid" / "repeated_section.txt").read_text(), lenient=True)
    expected += len(flatten(cut).get("criteria", []))
    assert len(tables["criteria"]) == expected
    assert tables["studies"][5]["nct_id"] == corpus_pages[5][1].nct_id


def test_parquet_columns_are_typed(mixed: Path) -> None:
    studies = pq.read_schema(mixed / "studies.parquet")
    assert studies.field("enrollment").type == pa.int64()
    assert studies.field("has_results").type == pa.bool_()
    assert studies.field("last_update_posted_date").type == pa.date32()
    assert studies.field("start_date").type == pa.string()
    eligibilities = pq.read_schema(mixed / "eligibilities.parquet")
    assert eligibilities.field("minimum_age_years").type == pa.float64()
    assert eligibilities.field("minimum_age_num").type == pa.int64()
    criteria = pq.read_schema(mixed / "criteria.parquet")
    assert criteria.field("id").nullable is False
    assert criteria.field("parent_id").type == pa.int64()
    # Rows went out in row groups of at most 500: memory does not grow with the run.
    metadata = pq.ParquetFile(mixed / "criteria.parquet").metadata
    assert metadata.num_row_groups > 1
    assert max(metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)) <= 500
    # A table no page filled is still there, with its columns.
    empty = pq.read_table(mixed / "errors.parquet").schema.names
    assert pq.read_table(mixed / "brief_summaries.parquet").num_rows > 0
    assert empty == list(TABLE_BY_NAME["errors"].column_names)


QUOTED = Trial(
    nct_id="NCT00000003",
    title='Aspirin, "low dose"\nversus placebo',
    keywords=("", "plain", "semi;colon"),
    enrollment=12,
    has_results=True,
    last_updated=datetime.date(2024, 2, 29),
)


def test_csv_quotes_as_rfc_4180_and_writes_null_apart_from_empty(tmp_path: Path) -> None:
    directory = tmp_path / "out"
    assert write([QUOTED], directory) == 1
    studies = (directory / "studies.csv").read_bytes().decode("utf-8")
    assert studies == (
        "nct_id,brief_title,overall_status,phase,enrollment,study_type,start_date,"
        "completion_date,last_update_posted_date,has_results\r\n"
        'NCT00000003,"Aspirin, ""low dose""\nversus placebo",,,12,,,,2024-02-29,true\r\n'
    )
    keywords = (directory / "keywords.csv").read_bytes().decode("utf-8")
    assert keywords == 'id,nct_id,name\r\n1,NCT00000003,""\r\n2,NCT00000003,plain\r\n' + (
        "3,NCT00000003,semi;colon\r\n"
    )
    with (directory / "studies.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[1][1] == 'Aspirin, "low dose"\nversus placebo'
    # DuckDB keeps a quoted empty string apart from a null when asked to.
    found = duckdb.sql(
        f"SELECT name IS NULL, name FROM read_csv('{directory / 'keywords.csv'}', "
        "allow_quoted_nulls = false) ORDER BY id"
    ).fetchall()
    assert found == [(False, ""), (False, "plain"), (False, "semi;colon")]
    nulls = duckdb.sql(
        f"SELECT overall_status IS NULL, enrollment, has_results, last_update_posted_date "
        f"FROM read_csv('{directory / 'studies.csv'}', allow_quoted_nulls = false)"
    ).fetchall()
    assert nulls == [(True, 12, True, datetime.date(2024, 2, 29))]


def test_every_table_file_has_its_header(tmp_path: Path) -> None:
    write([], tmp_path / "empty")
    for table in TABLES:
        text = (tmp_path / "empty" / f"{table.name}.csv").read_bytes().decode("utf-8")
        assert text == ",".join(table.column_names) + "\r\n"


def test_abort_leaves_a_new_dir_absent_and_nothing_beside_it(tmp_path: Path) -> None:
    writer = TablesWriter(tmp_path / "out", format="parquet")
    writer.write_page(QUOTED, source_path="a.txt", source_line=1)
    writer.abort()
    writer.abort()
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="closed"):
        writer.write_page(QUOTED, source_path="a.txt", source_line=1)


def test_an_exception_leaves_an_existing_dir_as_it_was(tmp_path: Path) -> None:
    directory = tmp_path / "out"
    write([QUOTED], directory)
    before = {path.name: path.read_bytes() for path in directory.iterdir()}
    with pytest.raises(RuntimeError, match="stopped"), TablesWriter(directory) as writer:
        writer.write_page(Trial(nct_id="NCT00000004"), source_path="b.txt", source_line=1)
        raise RuntimeError("stopped")
    assert {path.name: path.read_bytes() for path in directory.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_commit_replaces_an_earlier_output_as_a_whole(tmp_path: Path) -> None:
    directory = tmp_path / "out"
    write([QUOTED], directory)
    write([Trial(nct_id="NCT00000004")], directory, format="parquet")
    assert sorted(path.suffix for path in directory.iterdir()) == [".parquet"] * len(TABLES)
    assert pq.read_table(directory / "studies.parquet").column("nct_id").to_pylist() == [
        "NCT00000004"
    ]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]


def test_a_dir_holding_other_files_is_refused_before_any_work(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(ValueError, match=r"holds files that are not tables \(notes\.txt\)"):
        TablesWriter(tmp_path)
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(ValueError, match="exists and is not a folder"):
        TablesWriter(tmp_path / "file")
    with pytest.raises(ValueError, match="is not a folder"):
        TablesWriter(tmp_path / "missing" / "out")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["file", "notes.txt"]


def test_bad_arguments_are_value_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown table format 'xlsx'"):
        TablesWriter(tmp_path / "out", format="xlsx")  # type: ignore[arg-type]
    with TablesWriter(tmp_path / "out") as writer:
        with pytest.raises(ValueError, match="'pages' is not a table a page's rows can fill"):
            writer.write_rows(
                {"pages": []},
                source_path=None,
                source_line=None,
                kind="trial",
                nct_id=None,
                diagnostics=(),
            )
        with pytest.raises(ValueError, match="does not have its 3 columns"):
            writer.write_rows(
                {"keywords": [(1, "x")]},
                source_path=None,
                source_line=None,
                kind="trial",
                nct_id=None,
                diagnostics=(),
            )
    assert (tmp_path / "out" / "pages.csv").read_bytes().decode("utf-8") == (
        "id,nct_id,kind,source_path,source_line,diagnostic_count\r\n"
    )


def test_parquet_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(ParquetUnavailableError, match=r'pip install "ctparse\[parquet\]"'):
        TablesWriter(tmp_path / "out", format="parquet")
    assert isinstance(ParquetUnavailableError(), ValueError)
    assert list(tmp_path.iterdir()) == []
    # CSV needs no pyarrow.
    write([QUOTED], tmp_path / "out")
    assert (tmp_path / "out" / "studies.csv").exists()


def test_rows_flattened_elsewhere_are_renumbered(tmp_path: Path) -> None:
    trial = ctparse.parse((FIXTURES / "valid" / "labelled_two_arms.txt").read_text())
    rows = flatten(trial)
    with TablesWriter(tmp_path / "out", format="parquet") as writer:
        for line in (1, 40):
            page_id = writer.write_rows(
                rows,
                source_path="two.txt",
                source_line=line,
                kind="trial",
                nct_id=trial.nct_id,
                diagnostics=(),
            )
        assert page_id == 2
        assert writer.counts["design_groups"] == 6
    links = pq.read_table(tmp_path / "out" / "design_group_interventions.parquet").to_pylist()
    assert [(link["id"], link["design_group_id"], link["intervention_id"]) for link in links] == [
        (1, 1, 1),
        (2, 1, 3),
        (3, 2, 2),
        (4, 2, 3),
        (5, 4, 4),
        (6, 4, 6),
        (7, 5, 5),
        (8, 5, 6),
    ]
