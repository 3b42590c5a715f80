"""``TablesWriter``: pages in, one file per table out, the directory written as a whole.

Every table of ``columns.TABLES`` gets a file, with its header even when no row came.  Files
are written into a new hidden sibling of DIR (``.DIR.<random>.partial``); ``commit`` closes
them and renames that folder to DIR.  When DIR already exists it is first renamed aside
(``.DIR.<random>.old``) and removed after the new DIR is in place, so a reader sees the old
tables or the new ones, never a mix.  ``abort`` removes the partial folder and leaves DIR
as it was.  An existing DIR must be a folder holding nothing but table files (``*.csv``,
``*.parquet``), so that pointing the writer at a folder of other files cannot delete them.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Literal, Protocol

from ctparse.formats.tables.columns import RUN_KIND, TABLE_BY_NAME, TABLES, Table
from ctparse.formats.tables.csv import CsvTableFile
from ctparse.formats.tables.flatten import Value, flatten, page_kind
from ctparse.formats.tables.parquet import (
    DEFAULT_ROW_GROUP_SIZE,
    ParquetTableFile,
    require_pyarrow,
)
from ctparse.model import Diagnostic

__all__ = ["TableFormat", "TablesWriter"]

TableFormat = Literal["csv", "parquet"]
_SUFFIXES = (".csv", ".parquet")
_Row = tuple[Value, ...]


class _TableFile(Protocol):
    def write(self, rows: list[_Row]) -> None: ...

    def close(self) -> None: ...


class TablesWriter:
    """Writes the flat tables of many pages into ``directory``; see the module docstring.

    >>> with TablesWriter("out", format="parquet") as writer:
    ...     writer.write_page(trial, source_path="a.txt", source_line=1)

    The ``with`` block commits when it ends normally and aborts on an exception.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        format: TableFormat = "csv",
        *,
        row_group_size: int = DEFAULT_ROW_GROUP_SIZE,
    ) -> None:
        if format not in ("csv", "parquet"):
            raise ValueError(f"unknown table format {format!r}: expected 'csv' or 'parquet'")
        if format == "parquet":
            require_pyarrow()
        if row_group_size < 1:
            raise ValueError("row_group_size must be at least 1")
        self.directory = Path(directory)
        self.format: TableFormat = format
        _check_target(self.directory)
        self._staging = _new_sibling(self.directory, "partial")
        self._counts = {table.name: 0 for table in TABLES}
        self._files: dict[str, _TableFile] = {}
        self._open = True
        try:
            for table in TABLES:
                path = self._staging / f"{table.name}.{format}"
                if format == "csv":
                    self._files[table.name] = CsvTableFile(path, table)
                else:
                    self._files[table.name] = ParquetTableFile(path, table, row_group_size)
        except BaseException:
            self.abort()
            raise

    def __enter__(self) -> TablesWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.commit()
        else:
            self.abort()

    @property
    def counts(self) -> Mapping[str, int]:
        """Rows written so far, per table."""
        return dict(self._counts)

    def write_page(self, page: object, *, source_path: str | None, source_line: int | None) -> int:
        """Flatten one page (a ``Trial`` or ``Results``) and write its rows; returns its id in
        ``pages``."""
        return self.write_rows(
            flatten(page),
            source_path=source_path,
            source_line=source_line,
            kind=page_kind(page),
            nct_id=getattr(page, "nct_id", None),
            diagnostics=getattr(page, "diagnostics", ()),
        )

    def write_rows(
        self,
        rows: Mapping[str, Sequence[_Row]],
        *,
        source_path: str | None,
        source_line: int | None,
        kind: str,
        nct_id: str | None,
        diagnostics: Sequence[Diagnostic],
    ) -> int:
        """Write one page's rows from ``flatten`` (page-local ids); returns its id in ``pages``.

        The writer adds each table's running count to that table's ids and to every
        ``*_id`` that refers to it, and writes the page's ``pages`` and ``diagnostics`` rows.
        """
        self._check_open()
        for name, table_rows in rows.items():
            table = TABLE_BY_NAME.get(name)
            if table is None or table.kind == RUN_KIND:
                raise ValueError(f"{name!r} is not a table a page's rows can fill")
            width = len(table.columns)
            if any(len(row) != width for row in table_rows):
                raise ValueError(f"a row for {name} does not have its {width} columns")
        page_id = self._append(
            "pages",
            [(1, nct_id, kind, source_path, source_line, len(diagnostics))],
            self._counts,
        )
        offsets = dict(self._counts)
        offsets["pages"] = page_id - 1
        for name, table_rows in rows.items():
            self._append(name, table_rows, offsets)
        self._append(
            "diagnostics",
            [_diagnostic_row(local_id, item) for local_id, item in enumerate(diagnostics, 1)],
            offsets,
        )
        return page_id

    def write_error(
        self,
        *,
        source_path: str | None,
        line: int | None,
        column: int | None,
        code: str | None,
        message: str,
    ) -> None:
        """One page that could not be read: a row of ``errors``."""
        self._check_open()
        self._append("errors", [(source_path, line, column, code, message)], {})

    def commit(self) -> None:
        """Close every file and put the folder in place as DIR (see the module docstring)."""
        self._check_open()
        try:
            self._close_files()
            _swap_in(self._staging, self.directory)
        except BaseException:
            self.abort()
            raise
        self._open = False

    def abort(self) -> None:
        """Drop everything written; DIR stays as it was.  Safe to call more than once."""
        if not self._open:
            return
        self._open = False
        # The files are deleted next: a failed close loses nothing.
        with contextlib.suppress(OSError):
            self._close_files()
        shutil.rmtree(self._staging, ignore_errors=True)

    def _append(
        self,
        name: str,
        rows: Iterable[_Row],
        offsets: Mapping[str, int],
    ) -> int:
        """Renumber and write rows; returns the last id written (or the row count)."""
        table = TABLE_BY_NAME[name]
        renumber = _renumbering(table, offsets)
        out = [renumber(row) for row in rows] if renumber else list(rows)
        if out:
            self._files[name].write(out)
            self._counts[name] += len(out)
        return self._counts[name]

    def _close_files(self) -> None:
        files, self._files = self._files, {}
        errors: list[OSError] = []
        for table_file in files.values():
            try:
                table_file.close()
            except OSError as error:
                errors.append(error)
        if errors:
            raise errors[0]

    def _check_open(self) -> None:
        if not self._open:
            raise ValueError("this TablesWriter is closed (committed or aborted)")


def _renumbering(table: Table, offsets: Mapping[str, int]) -> Callable[[_Row], _Row] | None:
    """What turns a row's page-local ids into ids of the whole output (None: nothing to do)."""
    targets = [(0, table.name)] if table.has_id else []
    targets += table.references
    shifts = [(position, offsets[name]) for position, name in targets if offsets.get(name)]
    if not shifts:
        return None

    def renumber(row: _Row) -> _Row:
        values = list(row)
        for position, shift in shifts:
            value = values[position]
            if isinstance(value, int):
                values[position] = value + shift
        return tuple(values)

    return renumber


def _diagnostic_row(local_id: int, item: Diagnostic) -> _Row:
    return (local_id, 1, item.line, item.column, item.code.value, item.section, item.message)


def _check_target(directory: Path) -> None:
    """Refuse, before any work, a DIR that is a file or holds anything but table files."""
    if not directory.parent.is_dir():
        raise ValueError(f"cannot write tables to {directory}: {directory.parent} is not a folder")
    if not directory.exists() and not directory.is_symlink():
        return
    if directory.is_symlink() or not directory.is_dir():
        raise ValueError(f"cannot write tables to {directory}: it exists and is not a folder")
    others = sorted(
        entry.name
        for entry in directory.iterdir()
        if entry.is_symlink() or not entry.is_file() or entry.suffix not in _SUFFIXES
    )
    if others:
        shown = ", ".join(others[:3]) + (", ..." if len(others) > 3 else "")
        raise ValueError(
            f"cannot write tables to {directory}: it holds files that are not tables "
            f"({shown}); name a new folder or one holding only *.csv / *.parquet files"
        )


def _new_sibling(directory: Path, state: str) -> Path:
    """A new, empty, hidden folder beside ``directory`` (same file system: renames are atomic)."""
    while True:
        path = directory.parent / f".{directory.name}.{secrets.token_hex(4)}.{state}"
        try:
            path.mkdir()
        except FileExistsError:
            continue
        return path


def _swap_in(staging: Path, directory: Path) -> None:
    if not directory.exists():
        os.rename(staging, directory)
        return
    old = _new_sibling(directory, "old")
    os.rename(directory, old)
    try:
        os.rename(staging, directory)
    except BaseException:
        os.rename(old, directory)
        raise
    shutil.rmtree(old, ignore_errors=True)
