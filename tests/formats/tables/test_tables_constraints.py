"""``criteria_constraints``: one row per constraint of every criterion node, typed columns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ctparse import (
    Criterion,
    Eligibility,
    LifeExpectancy,
    LifeExpectancyUnit,
    Measure,
    Measurement,
    Op,
    PerformanceStatus,
    Scale,
    Trial,
)
from ctparse.tables import TABLE_BY_NAME, flatten, write


def as_dicts(rows: dict[str, list[tuple[object, ...]]], table: str) -> list[dict[str, object]]:
    names = TABLE_BY_NAME[table].column_names
    return [dict(zip(names, row, strict=True)) for row in rows.get(table, [])]


def test_seed_page_constraints(seed_trial: Trial) -> None:
    rows = flatten(seed_trial)
    criteria = {row["id"]: row for row in as_dicts(rows, "criteria")}
    found = [
        (
            criteria[row["criterion_id"]]["side"],
            row["kind"],
            row["scale"],
            row["measure"],
            row["op"],
            row["value"],
            row["unit"],
            row["min"],
            row["max"],
        )
        for row in as_dicts(rows, "criteria_constraints")
    ]
    assert found == [
        ("inclusion", "performance_status", "ECOG", None, None, None, None, 0, 1),
        ("inclusion", "life_expectancy", None, None, ">", 3.0, "MONTHS", None, None),
        ("exclusion", "measurement", None, "INR", ">", 1.5, None, None, None),
        ("exclusion", "measurement", None, "SBP", ">=", 160.0, "mmHg", None, None),
        ("exclusion", "measurement", None, "DBP", ">=", 100.0, "mmHg", None, None),
        ("exclusion", "measurement", None, "LVEF", "<", 50.0, "%", None, None),
    ]
    # Two constraints of one criterion refer to the same row.
    ids = [row["criterion_id"] for row in as_dicts(rows, "criteria_constraints")]
    assert ids[0] == ids[1] and ids[3] == ids[4]
    assert "ECOG" in str(criteria[ids[0]]["text"])


NESTED = Trial(
    nct_id="NCT00000006",
    eligibility=Eligibility(
        inclusion=(
            Criterion(
                text="Adequate organ function:",
                children=(
                    Criterion(
                        text="ANC ≥ 1,500/mm3",
                        constraints=(
                            Measurement(measure=Measure.ANC, op=Op.GE, value=1500, unit="/mm3"),
                        ),
                    ),
                    Criterion(text="No constraint here"),
                ),
            ),
            Criterion(
                text="Karnofsky ≥ 70 and life expectancy ≥ 12 weeks",
                constraints=(
                    PerformanceStatus(scale=Scale.KARNOFSKY, min=70, max=100),
                    LifeExpectancy(op=Op.GE, value=12, unit=LifeExpectancyUnit.WEEKS),
                ),
            ),
        ),
        exclusion=(
            Criterion(
                text="Performance status 3 or 4",
                constraints=(PerformanceStatus(scale=None, min=3, max=4),),
            ),
        ),
    ),
)


def test_nested_criteria_constraints_refer_to_their_node() -> None:
    rows = flatten(NESTED)
    criteria = as_dicts(rows, "criteria")
    constraints = as_dicts(rows, "criteria_constraints")
    texts = {row["id"]: row["text"] for row in criteria}
    assert [(texts[row["criterion_id"]], row["kind"]) for row in constraints] == [
        ("ANC ≥ 1,500/mm3", "measurement"),
        ("Karnofsky ≥ 70 and life expectancy ≥ 12 weeks", "performance_status"),
        ("Karnofsky ≥ 70 and life expectancy ≥ 12 weeks", "life_expectancy"),
        ("Performance status 3 or 4", "performance_status"),
    ]
    # The model keeps 1500 an int; the column holds floats only.
    assert constraints[0]["value"] == 1500.0 and isinstance(constraints[0]["value"], float)
    assert constraints[2]["value"] == 12.0 and isinstance(constraints[2]["value"], float)
    assert (constraints[3]["scale"], constraints[3]["min"], constraints[3]["max"]) == (None, 3, 4)
    assert [row["id"] for row in constraints] == [1, 2, 3, 4]
    assert {row["nct_id"] for row in constraints} == {"NCT00000006"}


def _nodes(criteria: tuple[Criterion, ...]) -> Iterator[Criterion]:
    for criterion in criteria:
        yield criterion
        yield from _nodes(criterion.children)


def test_corpus_pages_give_a_row_per_constraint(
    corpus_pages: list[tuple[str, Trial]], tmp_path: Path
) -> None:
    trials = [trial for _, trial in corpus_pages]
    expected: Counter[str] = Counter()
    for trial in trials:
        eligibility = trial.eligibility
        for node in _nodes(eligibility.inclusion + eligibility.exclusion + eligibility.other):
            expected.update(constraint.kind for constraint in node.constraints)
    assert sum(expected.values()) > 500
    assert set(expected) == {"performance_status", "measurement", "life_expectancy"}
    directory = tmp_path / "out"
    write(trials, directory, format="parquet")
    table = pq.read_table(directory / "criteria_constraints.parquet")
    assert table.schema.field("value").type == pa.float64()
    assert table.schema.field("min").type == pa.int64()
    assert table.schema.field("criterion_id").nullable is False
    found = duckdb.sql(
        f"SELECT kind, count(*) FROM '{directory / 'criteria_constraints.parquet'}' GROUP BY kind"
    ).fetchall()
    assert dict(found) == expected
    # Every constraint refers to a criterion of its own trial.
    orphans = duckdb.sql(
        f"SELECT count(*) FROM '{directory / 'criteria_constraints.parquet'}' k "
        f"LEFT JOIN '{directory / 'criteria.parquet'}' c "
        "ON c.id = k.criterion_id AND c.nct_id = k.nct_id WHERE c.id IS NULL"
    ).fetchall()
    assert orphans == [(0,)]
