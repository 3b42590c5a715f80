"""Checks shared by the flat-table tests."""

from __future__ import annotations

from typing import Any

from ctparse.tables import TABLES


def check_ids_and_references(tables: dict[str, list[dict[str, Any]]]) -> int:
    """Assert ids run 1..n in every table and each ``*_id`` is a row of its table, of the
    same trial (``pages`` aside); returns how many references were checked."""
    checked = 0
    for table in TABLES:
        rows = tables[table.name]
        if table.has_id:
            assert [row["id"] for row in rows] == list(range(1, len(rows) + 1)), table.name
        for position, target in table.references:
            column = table.columns[position].name
            by_id = {row["id"]: row for row in tables[target]}
            for row in rows:
                if row[column] is None:
                    continue
                assert row[column] in by_id, (table.name, column)
                if target != "pages":
                    assert by_id[row[column]]["nct_id"] == row["nct_id"], (table.name, column)
                checked += 1
    return checked
