"""One converter for JSON both ways: ``to_dict`` / ``from_dict`` / ``to_json``, for both page
kinds (``Trial`` and ``Results``)."""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ctparse.model import Results, Trial

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["from_dict", "kind_of", "record_from_dict", "to_dict", "to_json"]

# Keys only a Results record has; a Trial record has none of them.
_RESULTS_KEYS = frozenset({"participant_flow", "primary_outcome", "results_posted"})


@functools.cache
def _converter() -> Converter:
    # Built on first use: importing cattrs costs more than the rest of the package.
    from cattrs.preconf.json import make_converter

    converter = make_converter(unstruct_collection_overrides={tuple: list})
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_structure_hook(
        datetime.date, lambda value, _: datetime.date.fromisoformat(value)
    )
    return converter


def to_dict(record: Trial | Results) -> dict[str, Any]:
    """A JSON-ready dict with every key of the record's output contract, in contract order."""
    result: dict[str, Any] = _converter().unstructure(record)
    return result


def kind_of(data: Mapping[str, Any]) -> Literal["trial", "results"]:
    """The kind of a record dict: its ``kind`` key when it has one (command output), else
    ``results`` when it has a key only Results records have, else ``trial``."""
    kind = data.get("kind")
    if kind in ("trial", "results"):
        return "trial" if kind == "trial" else "results"
    return "results" if _RESULTS_KEYS & data.keys() else "trial"


def from_dict(data: Mapping[str, Any]) -> Trial:
    """The Trial back from ``to_dict`` output (or the parsed JSON of ``to_json``)."""
    return _converter().structure(data, Trial)


def record_from_dict(
    data: Mapping[str, Any], kind: Literal["trial", "results"] | None = None
) -> Trial | Results:
    """The record back from ``to_dict`` output, of either kind (``ctparse.from_dict``).

    ``kind`` says which model to build; without it the dict decides (``kind_of``). Keys the
    model does not have (``source``, ``kind`` of command output) are ignored.
    """
    if (kind or kind_of(data)) == "results":
        return _converter().structure(data, Results)
    return _converter().structure(data, Trial)


def to_json(record: Trial | Results, *, indent: int | None = 2) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe: non-ASCII is kept as is)."""
    return json.dumps(to_dict(record), ensure_ascii=False, indent=indent)
