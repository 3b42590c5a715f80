"""Rows of one page as ``flatten`` returns them, and the builder the flatteners share."""

from __future__ import annotations

import datetime
from enum import Enum

from ctparse.formats.tables.columns import TABLE_BY_NAME

__all__ = ["RowBuilder", "Rows", "Value", "enum_text"]

Value = str | int | float | bool | datetime.date | None
Rows = dict[str, list[tuple[Value, ...]]]


class RowBuilder:
    """Rows of one page, each checked against its table's columns."""

    def __init__(self) -> None:
        self.rows: Rows = {}

    def add(self, table_name: str, **values: Value) -> int:
        """Append a row; returns its page-local id (0 for a table without ids)."""
        table = TABLE_BY_NAME[table_name]
        rows = self.rows.setdefault(table_name, [])
        local_id = len(rows) + 1
        if table.has_id:
            values["id"] = local_id
        if values.keys() != set(table.column_names):
            wrong = sorted(values.keys() ^ set(table.column_names))
            raise ValueError(f"row for {table_name} does not match its columns: {wrong}")
        rows.append(tuple(values[name] for name in table.column_names))
        return local_id if table.has_id else 0


def enum_text(value: Enum | None) -> str | None:
    # Plain str, not the StrEnum: rows cross process boundaries and go to writers.
    return None if value is None else str(value.value)
