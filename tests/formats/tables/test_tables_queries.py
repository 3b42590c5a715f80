"""The README's DuckDB analyses, run over Parquet written from pages, answers checked.

The queries are read from the README's "Flat tables" section, so the README cannot show a
query the suite does not run.  The output mixes trial pages and results pages (the results
pages of 46 of the trials, and the scraped excerpts), as a scraped collection does; expected
answers are computed from the Trial and Results objects directly.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

import ctparse
from ctparse import (
    Criterion,
    Eligibility,
    PerformanceStatus,
    Phase,
    Results,
    Scale,
    Status,
    Trial,
)
from ctparse.tables import TABLES, TablesWriter
from support.paths import FIXTURES, ROOT

# Distinct trials besides the corpus: related trials, masking, groups sharing interventions.
FIXTURE_PAGES = (
    "valid/NCT05001971.txt",
    "valid/labelled_two_arms.txt",
    "valid/bare_shared_interventions.txt",
    "valid/observational_bare.txt",
    "valid/withdrawn_missing_values.txt",
)


# A recruiting PHASE2/PHASE3 trial whose inclusion criteria nest, read back from its page.
NESTED_PHASE_2_3 = Trial(
    nct_id="NCT09999993",
    title="Nested criteria in a phase 2/3 trial",
    status=Status.RECRUITING,
    phases=(Phase.PHASE2, Phase.PHASE3),
    eligibility=Eligibility(
        inclusion=(
            Criterion(
                text="One of:",
                children=(Criterion(text="stage III disease"), Criterion(text="stage IV disease")),
            ),
            Criterion(text="Age 18 or over"),
        ),
        exclusion=(Criterion(text="Pregnancy"),),
    ),
)


def readme_queries() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Flat tables\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.DOTALL)


@pytest.fixture(scope="module")
def trials(corpus_pages: list[tuple[str, Trial]]) -> list[Trial]:
    pages = [trial for _, trial in corpus_pages]
    pages += [
        ctparse.parse((FIXTURES / name).read_text(encoding="utf-8")) for name in FIXTURE_PAGES
    ]
    pages.append(ctparse.parse(ctparse.render(NESTED_PHASE_2_3)))
    assert len({trial.nct_id for trial in pages}) == len(pages)
    return pages


@pytest.fixture(scope="module")
def results(
    corpus_results: list[tuple[dict[str, Any], Results]],
    fixture_results: list[tuple[str, Results]],
) -> list[Results]:
    return [page for _, page in corpus_results] + [page for _, page in fixture_results]


@pytest.fixture(scope="module")
def connection(
    trials: list[Trial], results: list[Results], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    directory = tmp_path_factory.mktemp("queries") / "out"
    with TablesWriter(directory, format="parquet") as writer:
        for number, page in enumerate([*trials, *results], 1):
            writer.write_page(page, source_path=f"page{number}.txt", source_line=1)
    db = duckdb.connect()
    # As if run inside DIR: the README's queries name the files relative to it.
    db.execute(f"SET file_search_path = '{directory}'")
    yield db
    db.close()


def run(db: duckdb.DuckDBPyConnection, number: int) -> list[tuple[object, ...]]:
    queries = readme_queries()
    assert len(queries) == 7
    return db.sql(queries[number]).fetchall()


def test_trials_by_status_and_phase(
    connection: duckdb.DuckDBPyConnection, trials: list[Trial]
) -> None:
    found = run(connection, 0)
    expected = Counter(
        (
            None if trial.status is None else trial.status.value,
            "/".join(phase.value for phase in trial.phases) or None,
        )
        for trial in trials
    )
    assert {(status, phase): count for status, phase, count in found} == expected
    assert [row[2] for row in found] == sorted((row[2] for row in found), reverse=True)
    assert found[0][:2] == ("COMPLETED", "NA")
    assert sum(count for *_, count in found) == len(trials) == 406


def test_sites_per_country(connection: duckdb.DuckDBPyConnection, trials: list[Trial]) -> None:
    found = run(connection, 1)
    expected = Counter(site.country for trial in trials for site in trial.locations)
    assert dict(found) == expected
    assert found[0] == ("United States", expected["United States"])
    assert sum(count for _, count in found) == sum(len(t.locations) for t in trials)


def test_arms_with_their_interventions(
    connection: duckdb.DuckDBPyConnection, trials: list[Trial]
) -> None:
    found = run(connection, 2)
    expected = [
        (
            trial.nct_id,
            arm.label,
            None if arm.type is None else arm.type.value,
            "; ".join(dict.fromkeys(arm.interventions)) or None,
        )
        for trial in trials
        for arm in trial.arms
    ]
    assert found == expected
    assert ("NCT09000001", "Oral iron", "ACTIVE_COMPARATOR", "Ferrous sulfate; Placebo tablet") in (
        found
    )


def _walk(criteria: tuple[Criterion, ...], depth: int = 1) -> Iterator[tuple[int, str]]:
    for criterion in criteria:
        yield depth, criterion.text
        yield from _walk(criterion.children, depth + 1)


def test_inclusion_criteria_of_recruiting_phase_3_trials(
    connection: duckdb.DuckDBPyConnection, trials: list[Trial]
) -> None:
    found = run(connection, 3)
    expected = [
        (trial.nct_id, depth, text)
        for trial in trials
        if trial.status is Status.RECRUITING and Phase.PHASE3 in trial.phases
        for depth, text in _walk(trial.eligibility.inclusion)
    ]
    assert found == expected
    # Four corpus trials and the nested one; PHASE2/PHASE3 counts as phase 3.
    assert len({nct_id for nct_id, _, _ in found}) == 5
    assert found[-4:] == [
        ("NCT09999993", 1, "One of:"),
        ("NCT09999993", 2, "stage III disease"),
        ("NCT09999993", 2, "stage IV disease"),
        ("NCT09999993", 1, "Age 18 or over"),
    ]


def test_baseline_counts_per_group(
    connection: duckdb.DuckDBPyConnection, results: list[Results]
) -> None:
    found = run(connection, 4)
    expected = [
        (page.nct_id, f"BG{position:03d}", group.title, group.count, group.units)
        for page in results
        if page.baseline is not None
        for position, group in enumerate(page.baseline.groups)
        if group.count is not None
    ]
    assert found == expected
    # Two groups and their Total, on a scraped excerpt.
    assert [row for row in found if row[0] == "NCT04253626"] == [
        ("NCT04253626", "BG000", "Oral Iron", 40, "Participants"),
        ("NCT04253626", "BG001", "Intravenous Iron", 40, "Participants"),
        ("NCT04253626", "BG002", "Total", 80, "Participants"),
    ]
    assert len(found) > 140


def _overall(page: Results, position: int, milestone: str) -> int | None:
    counts = [
        item.counts[position]
        for period in page.participant_flow.periods
        if period.title == "Overall Study"
        for item in period.milestones
        if item.type == milestone and position < len(item.counts)
    ]
    return sum(counts) if counts else None


def test_started_and_completed_per_group_with_the_trial_page_phase(
    connection: duckdb.DuckDBPyConnection, trials: list[Trial], results: list[Results]
) -> None:
    found = run(connection, 5)
    phases = {trial.nct_id: "/".join(p.value for p in trial.phases) or None for trial in trials}
    expected = [
        (
            page.nct_id,
            phases[page.nct_id],
            group.title,
            _overall(page, position, "STARTED"),
            _overall(page, position, "COMPLETED"),
        )
        for page in results
        if page.nct_id in phases
        and any(period.title == "Overall Study" for period in page.participant_flow.periods)
        for position, group in enumerate(page.participant_flow.groups)
    ]
    assert found == expected
    # The corpus's 46 trials have both pages in the output; 6 name their only period otherwise.
    assert len({row[0] for row in found}) == 40
    assert all(started is not None for _, _, _, started, _ in found)


def _nodes(criteria: tuple[Criterion, ...]) -> Iterator[Criterion]:
    for criterion in criteria:
        yield criterion
        yield from _nodes(criterion.children)


def test_ecog_ranges_of_inclusion_criteria(
    connection: duckdb.DuckDBPyConnection, trials: list[Trial]
) -> None:
    found = run(connection, 6)
    expected = [
        (trial.nct_id, constraint.min, constraint.max, criterion.text)
        for trial in trials
        for criterion in _nodes(trial.eligibility.inclusion)
        for constraint in criterion.constraints
        if isinstance(constraint, PerformanceStatus) and constraint.scale is Scale.ECOG
    ]
    assert found == expected
    assert Counter((low, high) for _, low, high, _ in found).most_common(1)[0][0] == (0, 1)
    assert len(found) > 20


def test_tables_load_into_pandas_without_flattening(tmp_path: Path, trials: list[Trial]) -> None:
    pandas = pytest.importorskip("pandas")
    for format in ("parquet", "csv"):
        directory = tmp_path / format
        ctparse.tables.write(trials[:50], directory, format=format)
        for table in TABLES:
            path = directory / f"{table.name}.{format}"
            frame = (
                pandas.read_parquet(path, dtype_backend="numpy_nullable")
                if format == "parquet"
                else pandas.read_csv(path)
            )
            assert list(frame.columns) == list(table.column_names)
    studies = pandas.read_parquet(
        tmp_path / "parquet" / "studies.parquet", dtype_backend="numpy_nullable"
    )
    assert str(studies["enrollment"].dtype) == "Int64"
    # One value per cell: grouping by phase works as it is.
    assert studies.groupby("phase", dropna=False).size().sum() == 50
    keywords = pandas.read_csv(tmp_path / "csv" / "keywords.csv")
    assert len(keywords) == sum(len(trial.keywords) for trial in trials[:50])
