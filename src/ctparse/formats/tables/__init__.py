"""Flat tables in AACT's shape: the tables and their columns, the flattener, the writers."""

from __future__ import annotations

from ctparse.formats.tables.columns import TABLE_BY_NAME, TABLES, Column, Table
from ctparse.formats.tables.flatten import (
    AGE_UNITS_PER_YEAR,
    Rows,
    Value,
    age_years,
    flatten,
    page_kind,
)
from ctparse.formats.tables.parquet import ParquetUnavailableError
from ctparse.formats.tables.writer import TableFormat, TablesWriter

__all__ = [
    "AGE_UNITS_PER_YEAR",
    "TABLES",
    "TABLE_BY_NAME",
    "Column",
    "ParquetUnavailableError",
    "Rows",
    "Table",
    "TableFormat",
    "TablesWriter",
    "Value",
    "age_years",
    "flatten",
    "page_kind",
]
