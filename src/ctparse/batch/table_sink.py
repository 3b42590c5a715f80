"""The flat tables sink: every page of a run into ``TablesWriter`` (``ctparse tables``).

Pages are flattened in the workers (``encode_rows``); the parent only renumbers and writes.
One writer takes records and error records alike, so that every page read is a row of
``pages`` or of ``errors``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ctparse.batch.records import PageRecord, page_of
from ctparse.batch.sinks import OpenFailed, WriteFailed
from ctparse.formats.tables import TableFormat, TablesWriter, flatten

__all__ = ["RefusedTarget", "TablesSink", "encode_rows"]


class RefusedTarget(ValueError):
    """An output folder that may not be written (a file, or a folder of other files)."""


def encode_rows(record: PageRecord) -> tuple[Any, ...]:
    """A record as what ``TablesWriter`` takes, flattened in the worker: a page's rows with
    its ``pages`` row's values, or an error's ``errors`` row."""
    if record.error is not None:
        error = record.error
        return ("error", record.source.path, error.line, error.column, error.code, error.message)
    page = page_of(record)
    rows = flatten(page)
    return (
        "page",
        rows,
        record.source.path,
        record.source.line,
        record.kind,
        page.nct_id,
        page.diagnostics,
    )


class TablesSink:
    """Every page of a run into the flat tables of ``directory`` (``TablesWriter``): a row of
    ``pages`` for each page, and of ``errors`` for each page that failed. One writer takes
    both; ``errors`` is the sink to give the run for error records. The folder is written as
    a whole on ``commit``, or left as it was."""

    def __init__(self, directory: str, format: TableFormat = "csv") -> None:
        self.directory = directory
        self.format: TableFormat = format
        self._writer: TablesWriter | None = None
        self.errors = _TablesErrors(self)

    @property
    def replaced(self) -> tuple[str, ...]:
        return (self.directory,) if self._writer is not None else ()

    def encoder(self) -> Callable[[PageRecord], tuple[Any, ...]]:
        return encode_rows

    def open(self) -> None:
        try:
            self._writer = TablesWriter(self.directory, self.format)
        except OSError as error:
            raise OpenFailed(self.directory, error) from error
        except ValueError as error:
            raise RefusedTarget(str(error)) from error

    def write(self, encoded: tuple[Any, ...]) -> None:
        writer = self._writer
        assert writer is not None
        try:
            if encoded[0] == "error":
                _, path, line, column, code, message = encoded
                writer.write_error(
                    source_path=path, line=line, column=column, code=code, message=message
                )
                return
            _, rows, path, line, kind, nct_id, diagnostics = encoded
            writer.write_rows(
                rows,
                source_path=path,
                source_line=line,
                kind=kind,
                nct_id=nct_id,
                diagnostics=diagnostics,
            )
        except OSError as error:
            raise WriteFailed(self.directory, error) from error

    def commit(self) -> None:
        if self._writer is None:
            return
        try:
            self._writer.commit()
        except OSError as error:
            raise WriteFailed(self.directory, error) from error

    def abort(self) -> None:
        if self._writer is not None:
            self._writer.abort()


class _TablesErrors:
    """The error side of a ``TablesSink``: its records go to the same writer's ``errors``."""

    def __init__(self, tables: TablesSink) -> None:
        self._tables = tables

    def encoder(self) -> Callable[[PageRecord], tuple[Any, ...]]:
        return encode_rows

    def open(self) -> None:
        """The writer is opened by the tables sink."""

    def write(self, encoded: tuple[Any, ...]) -> None:
        self._tables.write(encoded)

    def commit(self) -> None:
        """Committed with the tables sink."""

    def abort(self) -> None:
        self._tables.abort()
