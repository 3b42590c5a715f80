"""Flat tables for analysts: ``ctparse.tables.flatten(page)`` and ``ctparse.tables.TablesWriter``.

>>> from ctparse import tables
>>> tables.flatten(trial)["studies"]        # rows per table, ids local to the page
>>> tables.flatten(results)["milestones"]   # a results page's tables
>>> tables.write(pages, "out", format="parquet")   # Trials and Results, in any mix

See the README's "Flat tables" section for the tables and their columns.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

from ctparse.formats.tables import *  # noqa: F403
from ctparse.formats.tables import TableFormat, TablesWriter
from ctparse.formats.tables import __all__ as _tables_all

__all__ = [*_tables_all, "write"]


def write(
    pages: Iterable[object], directory: str | os.PathLike[str], *, format: TableFormat = "csv"
) -> int:
    """Write the tables of ``pages`` (Trials and Results, in any mix) into ``directory`` as a
    whole; returns the count.

    Pages read from no file have a null ``source_path`` and ``source_line`` in ``pages``.
    """
    count = 0
    with TablesWriter(directory, format=format) as writer:
        for page in pages:
            writer.write_page(page, source_path=None, source_line=None)
            count += 1
    return count
