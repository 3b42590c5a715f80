"""One converter for JSON both ways: ``to_dict`` / ``from_dict`` / ``to_json``."""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping
from typing import Any

from cattrs.preconf.json import make_converter

from .model import Trial

__all__ = ["from_dict", "to_dict", "to_json"]

_converter = make_converter(unstruct_collection_overrides={tuple: list})
_converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
_converter.register_structure_hook(
    datetime.date, lambda value, _: datetime.date.fromisoformat(value)
)


def to_dict(trial: Trial) -> dict[str, Any]:
    """A JSON-ready dict with every key of the output contract, in contract order."""
    result: dict[str, Any] = _converter.unstructure(trial)
    return result


def from_dict(data: Mapping[str, Any]) -> Trial:
    """The Trial back from ``to_dict`` output (or the parsed JSON of ``to_json``)."""
    return _converter.structure(data, Trial)


def to_json(trial: Trial, *, indent: int | None = 2) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe: non-ASCII is kept as is)."""
    return json.dumps(to_dict(trial), ensure_ascii=False, indent=indent)
