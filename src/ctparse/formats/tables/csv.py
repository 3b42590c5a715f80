"""CSV files of the flat tables: UTF-8, a header row, RFC 4180 quoting, CRLF line ends.

A null is an empty cell; an empty string is written ``""``, so the two stay apart for a
reader that keeps quoted empties (DuckDB: ``allow_quoted_nulls = false``).  A field is
quoted when it holds a comma, a double quote, a CR or an LF; quotes inside are doubled.
Booleans are ``true`` / ``false``, dates ``YYYY-MM-DD``, numbers as Python writes them
(the shortest text that reads back to the same float).
"""

from __future__ import annotations

import datetime
from pathlib import Path

from ctparse.formats.tables.columns import Table
from ctparse.formats.tables.flatten import Value

__all__ = ["CsvTableFile", "csv_field", "csv_line"]

_NEEDS_QUOTES = frozenset(',"\r\n')
# Rows reach the disk in blocks of this many bytes: memory stays flat however long the run.
_BUFFER_BYTES = 1 << 20


def csv_field(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        if value == "" or not _NEEDS_QUOTES.isdisjoint(value):
            return '"' + value.replace('"', '""') + '"'
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"no CSV form for {type(value).__name__}")


def csv_line(values: tuple[Value, ...]) -> str:
    return ",".join(csv_field(value) for value in values) + "\r\n"


class CsvTableFile:
    """One table's ``NAME.csv``, written row by row."""

    def __init__(self, path: Path, table: Table) -> None:
        self.path = path
        self._file = path.open("w", encoding="utf-8", newline="", buffering=_BUFFER_BYTES)
        self._file.write(csv_line(table.column_names))

    def write(self, rows: list[tuple[Value, ...]]) -> None:
        self._file.write("".join(csv_line(row) for row in rows))

    def close(self) -> None:
        self._file.close()
