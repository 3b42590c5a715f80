"""One converter for JSON both ways: ``to_dict`` / ``from_dict`` / ``to_json``."""

from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ctparse.model import Constraint, LifeExpectancy, Measurement, PerformanceStatus, Trial

if TYPE_CHECKING:
    from cattrs import Converter

__all__ = ["CONSTRAINT_KINDS", "from_dict", "to_dict", "to_json"]

# Each constraint is written with a "kind" key saying which class it is.
CONSTRAINT_KINDS: dict[str, type[Constraint]] = {
    "performance_status": PerformanceStatus,
    "measurement": Measurement,
    "life_expectancy": LifeExpectancy,
}


@functools.cache
def _converter() -> Converter:
    # Built on first use: importing cattrs costs more than the rest of the package.
    from cattrs.preconf.json import make_converter

    converter = make_converter(unstruct_collection_overrides={tuple: list})
    converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)
    converter.register_structure_hook(
        datetime.date, lambda value, _: datetime.date.fromisoformat(value)
    )
    _constraint_hooks(converter)
    return converter


def _constraint_hooks(converter: Converter) -> None:
    for kind, cls in CONSTRAINT_KINDS.items():
        names = [field.name for field in attrs.fields(cls)]

        def unstructure(obj: Any, kind: str = kind, names: list[str] = names) -> dict[str, Any]:
            return {"kind": kind, **{n: converter.unstructure(getattr(obj, n)) for n in names}}

        converter.register_unstructure_hook(cls, unstructure)

    def structure(data: Mapping[str, Any], _: Any) -> Constraint:
        cls = CONSTRAINT_KINDS[data["kind"]]
        fields = {key: value for key, value in data.items() if key != "kind"}
        result: Constraint = converter.structure(fields, cls)
        return result

    def number(value: Any, _: Any) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"not a number: {value!r}")
        return value

    converter.register_structure_hook_func(lambda hint: hint == Constraint, structure)
    converter.register_structure_hook_func(lambda hint: hint == int | float, number)


def to_dict(trial: Trial) -> dict[str, Any]:
    """A JSON-ready dict with every key of the output contract, in contract order."""
    result: dict[str, Any] = _converter().unstructure(trial)
    return result


def from_dict(data: Mapping[str, Any]) -> Trial:
    """The Trial back from ``to_dict`` output (or the parsed JSON of ``to_json``)."""
    return _converter().structure(data, Trial)


def to_json(trial: Trial, *, indent: int | None = 2) -> str:
    """``to_dict`` as a JSON string (UTF-8 safe: non-ASCII is kept as is)."""
    return json.dumps(to_dict(trial), ensure_ascii=False, indent=indent)
