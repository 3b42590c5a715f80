"""One converter for JSON both ways: ``to_dict`` / ``from_dict`` / ``to_json`` / ``from_json``.

``to_dict`` and ``to_json`` take either page kind (``Trial`` or ``Results``); ``from_dict``
reads a Trial, ``record_from_dict`` (``ctparse.from_dict``) either kind.

``from_dict`` checks the data against the model and coerces nothing: a wrong type, a bad enum
value or an unknown key raises ``ctparse.RecordError`` naming the key path. Criteria trees of
any depth are written and read (no recursion along the tree).
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from ctparse.formats import deepjson
from ctparse.formats.structure import structure
from ctparse.model import (
    Criterion,
    LifeExpectancy,
    Measurement,
    PerformanceStatus,
    Results,
    Trial,
)

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["from_dict", "from_json", "kind_of", "record_from_dict", "to_dict", "to_json"]

# Keys only a Results record has; a Trial record has none of them.
_RESULTS_KEYS = frozenset({"participant_flow", "primary_outcome", "results_posted"})
# What command output adds beside the record's own keys.
_RECORD_EXTRAS = ("kind", "source")


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
    for constraint in (PerformanceStatus, Measurement, LifeExpectancy):
        # Each constraint says which kind it is, first.
        fields = converter.gen_unstructure_attrs_fromdict(constraint)
        converter.register_unstructure_hook(
            constraint, lambda value, fields=fields: {"kind": value.kind, **fields(value)}
        )
    return converter


def _criterion_dict(top: Criterion) -> dict[str, Any]:
    """``{"text": ..., "children": [...], "constraints": [...]}`` for a criterion tree,
    without recursion."""
    record = _one_criterion(top)
    pending = [(top, record)]
    while pending:
        criterion, written = pending.pop()
        for child in criterion.children:
            child_record = _one_criterion(child)
            written["children"].append(child_record)
            pending.append((child, child_record))
    return record


def _one_criterion(criterion: Criterion) -> dict[str, Any]:
    constraints = _converter().unstructure(criterion.constraints)
    return {"text": criterion.text, "children": [], "constraints": constraints}


def to_dict(record: Trial | Results) -> dict[str, Any]:
    """A JSON-ready dict with every key of the record's output contract, in contract order."""
    result: dict[str, Any] = _converter().unstructure(record)
    return result


def from_dict(data: Mapping[str, Any]) -> Trial:
    """The Trial back from ``to_dict`` output (or the parsed JSON of ``to_json``).

    Raises ``RecordError`` (a ``ValueError``) naming the key path of the first value that
    does not fit the model: ``eligibility.inclusion[3].text: expected a string, found 12``.
    """
    trial: Trial = structure(data, Trial)
    return trial


def kind_of(data: Mapping[str, Any]) -> Literal["trial", "results"]:
    """The kind of a record dict: its ``kind`` key when it has one (command output), else
    ``results`` when it has a key only Results records have, else ``trial``."""
    kind = data.get("kind")
    if kind in ("trial", "results"):
        return "trial" if kind == "trial" else "results"
    return "results" if _RESULTS_KEYS & data.keys() else "trial"


def record_from_dict(
    data: Mapping[str, Any], kind: Literal["trial", "results"] | None = None
) -> Trial | Results:
    """The record back from ``to_dict`` output, of either kind (``ctparse.from_dict``).

    ``kind`` says which model to build; without it the dict decides (``kind_of``). The
    ``kind`` and ``source`` keys of command output are set aside; any other key the model
    does not have raises ``RecordError``, as ``from_dict`` does.
    """
    if not isinstance(data, Mapping):
        # Not an object at all: refused as the model asked for (Trial by default).
        wanted: Any = Results if kind == "results" else Trial
        refused: Trial | Results = structure(data, wanted)
        return refused
    model = Results if (kind or kind_of(data)) == "results" else Trial
    own = {key: value for key, value in data.items() if key not in _RECORD_EXTRAS}
    record: Trial | Results = structure(own, model)
    return record


def to_json(record: Trial | Results, *, indent: int | None = 2) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe: non-ASCII is kept as is)."""
    return deepjson.dumps(to_dict(record), indent=indent)


def from_json(text: str) -> Trial:
    """The Trial back from ``to_json`` output, at any depth of criteria."""
    return from_dict(deepjson.loads(text))
