"""One converter for JSON both ways: ``to_dict`` / ``from_dict`` / ``to_json`` / ``from_json``.

``from_dict`` checks the data against the model and coerces nothing: a wrong type, a bad enum
value or an unknown key raises ``ctparse.RecordError`` naming the key path. Criteria trees of
any depth are written and read (no recursion along the tree).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ctparse.formats import deepjson
from ctparse.formats.structure import structure
from ctparse.model import Criterion, Trial

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["from_dict", "from_json", "to_dict", "to_json"]


@functools.cache
def _converter() -> Converter:
    # Built on first use: importing cattrs costs more than the rest of the package.
    from cattrs.preconf.json import make_converter

    converter = make_converter(unstruct_collection_overrides={tuple: list})
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_structure_hook(
        datetime.date, lambda value, _: datetime.date.fromisoformat(value)
    )
    # The one recursive class: written with a loop, so that any depth can be written.
    converter.register_unstructure_hook(Criterion, _criterion_dict)
    return converter


def _criterion_dict(top: Criterion) -> dict[str, Any]:
    """``{"text": ..., "children": [...]}`` for a criterion tree, without recursion."""
    record: dict[str, Any] = {"text": top.text, "children": []}
    pending = [(top, record)]
    while pending:
        criterion, written = pending.pop()
        for child in criterion.children:
            child_record: dict[str, Any] = {"text": child.text, "children": []}
            written["children"].append(child_record)
            pending.append((child, child_record))
    return record


def to_dict(trial: Trial) -> dict[str, Any]:
    """A JSON-ready dict with every key of the output contract, in contract order."""
    result: dict[str, Any] = _converter().unstructure(trial)
    return result


def from_dict(data: Mapping[str, Any]) -> Trial:
    """The Trial back from ``to_dict`` output (or the parsed JSON of ``to_json``).

    Raises ``RecordError`` (a ``ValueError``) naming the key path of the first value that
    does not fit the model: ``eligibility.inclusion[3].text: expected a string, found 12``.
    """
    trial: Trial = structure(data, Trial)
    return trial


def to_json(trial: Trial, *, indent: int | None = 2) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe: non-ASCII is kept as is)."""
    return deepjson.dumps(to_dict(trial), indent=indent)


def from_json(text: str) -> Trial:
    """The Trial back from ``to_json`` output, at any depth of criteria."""
    return from_dict(deepjson.loads(text))
