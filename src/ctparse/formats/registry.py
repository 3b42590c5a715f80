"""Checked reading of a registry (API v2) record: each value is read with its key path.

A value of the wrong type, an enum value the model lacks or a required key left out raises
``RecordError`` naming the path (``protocolSection.statusModule.overallStatus: expected one of
...``). ``null`` reads as absent, like a key left out: the registry writes both.
"""

from __future__ import annotations

import calendar
import datetime
import re
from collections.abc import Mapping
from typing import Any, TypeVar

from ctparse.errors import RecordError
from ctparse.formats.structure import describe, read_leaf

__all__ = ["Node", "month_end"]

_T = TypeVar("_T")
_DATE = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})(?:-\d{2})?")


class Node:
    """One object of a record and where it stands in the record."""

    __slots__ = ("_data", "path")

    def __init__(self, data: Any, path: str) -> None:
        if data is None:
            data = {}
        if not isinstance(data, Mapping):
            raise RecordError(path, f"expected an object, found {describe(data)}")
        self._data: Mapping[str, Any] = data
        self.path = path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: str) -> bool:
        return self._data.get(key) is not None

    def keys(self) -> list[str]:
        return list(self._data)

    def node(self, key: str) -> Node:
        return Node(self._data.get(key), self.at(key))

    def nodes(self, key: str) -> list[Node]:
        path = self.at(key)
        items = self._list(key)
        for index, item in enumerate(items):
            if item is None:
                raise RecordError(f"{path}[{index}]", "expected an object, found null")
        return [Node(item, f"{path}[{index}]") for index, item in enumerate(items)]

    def get(self, key: str, kind: type[_T]) -> _T | None:
        """The value at ``key`` as ``kind`` (str, int, bool, a StrEnum), or None."""
        value = self._data.get(key)
        return None if value is None else read_leaf(value, kind, self.at(key))

    def need(self, key: str, kind: type[_T]) -> _T:
        """Like ``get``, for a value the model cannot do without."""
        value = self.get(key, kind)
        if value is None:
            raise RecordError(self.at(key), "missing: a required value")
        return value

    def all(self, key: str, kind: type[_T]) -> tuple[_T, ...]:
        path = self.at(key)
        return tuple(
            read_leaf(item, kind, f"{path}[{index}]") for index, item in enumerate(self._list(key))
        )

    def date(self, key: str) -> str | None:
        """``YYYY-MM-DD``; a month-only ``YYYY-MM`` is the month's last day, as pages print it."""
        text = self.get(key, str)
        if text is None:
            return None
        if _DATE.fullmatch(text):
            try:
                day = datetime.date.fromisoformat(month_end(text) if len(text) == 7 else text)
            except ValueError:
                pass
            else:
                return day.isoformat()
        raise RecordError(
            self.at(key), f"expected a date YYYY-MM-DD or YYYY-MM, found {describe(text)}"
        )

    def _list(self, key: str) -> list[Any]:
        value = self._data.get(key)
        if value is None:
            return []
        if not isinstance(value, list | tuple):
            raise RecordError(self.at(key), f"expected a list, found {describe(value)}")
        return list(value)


def month_end(month: str) -> str:
    """``2021-03`` -> ``2021-03-31``; ``2024-02`` -> ``2024-02-29``."""
    year, number = int(month[:4]), int(month[5:7])
    return f"{month}-{calendar.monthrange(year, number)[1]:02d}"
