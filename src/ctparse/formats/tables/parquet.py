"""Parquet files of the flat tables, through pyarrow (the optional ``parquet`` extra).

Column types follow ``columns.TABLES``: integers int64, numbers float64, booleans, dates
date32, strings.  Rows gather in compact Arrow batches until ``row_group_size`` of one table
are there, then go out as one row group, so memory stays flat however many pages a run reads.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from ctparse.formats.tables.columns import Table
from ctparse.formats.tables.flatten import Value
from ctparse.model.types import ValueType

__all__ = ["DEFAULT_ROW_GROUP_SIZE", "ParquetTableFile", "ParquetUnavailableError", "arrow_schema"]

DEFAULT_ROW_GROUP_SIZE = 10_000
# Rows of one table kept as Python tuples before they become a columnar Arrow batch.
_BATCH_ROWS = 2_000


class ParquetUnavailableError(ValueError):
    """Parquet output was asked for, and pyarrow is not installed."""

    def __init__(self) -> None:
        super().__init__(
            'Parquet output needs pyarrow: install the extra with pip install "ctparse[parquet]"'
        )


def _pyarrow() -> tuple[ModuleType, ModuleType]:
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise ParquetUnavailableError() from None


def require_pyarrow() -> None:
    """Raise ParquetUnavailableError now, before any work, when pyarrow is missing."""
    _pyarrow()


def arrow_schema(table: Table) -> Any:
    pa, _ = _pyarrow()
    types = {
        ValueType.BOOLEAN: pa.bool_(),
        ValueType.INTEGER: pa.int64(),
        ValueType.NUMBER: pa.float64(),
        ValueType.STRING: pa.string(),
        ValueType.DATE: pa.date32(),
    }
    return pa.schema(
        [pa.field(column.name, types[column.type], column.nullable) for column in table.columns]
    )


class ParquetTableFile:
    """One table's ``NAME.parquet``, written a row group at a time.

    Rows wait as Python tuples only until ``_BATCH_ROWS`` have gathered; then they become one
    Arrow record batch (columnar, a fraction of the memory), and batches are written out as one
    row group once ``row_group_size`` rows have gathered.
    """

    def __init__(self, path: Path, table: Table, row_group_size: int = DEFAULT_ROW_GROUP_SIZE):
        self._pa, parquet = _pyarrow()
        self.path = path
        self._schema = arrow_schema(table)
        self._row_group_size = row_group_size
        self._rows: list[tuple[Value, ...]] = []
        self._batches: list[Any] = []
        self._batched_rows = 0
        self._writer = parquet.ParquetWriter(str(path), self._schema)

    def write(self, rows: list[tuple[Value, ...]]) -> None:
        self._rows.extend(rows)
        if len(self._rows) >= min(_BATCH_ROWS, self._row_group_size):
            self._to_batch()
            if self._batched_rows >= self._row_group_size:
                self._write_row_group()

    def _to_batch(self) -> None:
        if not self._rows:
            return
        columns = zip(*self._rows, strict=True)
        self._batches.append(
            self._pa.RecordBatch.from_arrays(
                [
                    self._pa.array(values, type=field.type)
                    for values, field in zip(columns, self._schema, strict=True)
                ],
                schema=self._schema,
            )
        )
        self._batched_rows += len(self._rows)
        self._rows = []

    def _write_row_group(self) -> None:
        if self._batched_rows:
            group = self._pa.Table.from_batches(self._batches, schema=self._schema)
            self._writer.write_table(group, row_group_size=self._row_group_size)
        self._batches = []
        self._batched_rows = 0

    def close(self) -> None:
        try:
            self._to_batch()
            self._write_row_group()
        finally:
            self._writer.close()
