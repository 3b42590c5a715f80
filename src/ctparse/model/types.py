"""The kinds of value the model holds, derived from attrs field types in one place.

The JSON Schema (``ctparse.formats.schema``) and the flat tables (``ctparse.formats.tables``)
both ask this module what a field holds, so a column type and a schema type cannot drift.
"""

from __future__ import annotations

import datetime
import enum
import types
import typing
from enum import StrEnum
from typing import Any

import attrs

__all__ = ["ValueType", "field_hint", "field_value_type", "json_type", "scalar_type"]


class ValueType(StrEnum):
    """A scalar kind of value, as a table column or a JSON Schema leaf holds it."""

    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"
    STRING = "string"
    # A full calendar date (YYYY-MM-DD).
    DATE = "date"


_SCALARS: dict[Any, ValueType] = {
    bool: ValueType.BOOLEAN,
    int: ValueType.INTEGER,
    float: ValueType.NUMBER,
    str: ValueType.STRING,
    datetime.date: ValueType.DATE,
}

_JSON: dict[ValueType, dict[str, str]] = {
    ValueType.BOOLEAN: {"type": "boolean"},
    ValueType.INTEGER: {"type": "integer"},
    ValueType.NUMBER: {"type": "number"},
    ValueType.STRING: {"type": "string"},
    ValueType.DATE: {"type": "string", "format": "date"},
}


def scalar_type(hint: Any) -> ValueType | None:
    """The value type of a plain scalar hint (enums are strings), or None for anything else."""
    if hint in _SCALARS:
        return _SCALARS[hint]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        # Every enum of the model is a StrEnum: its values are the registry's names.
        return ValueType.STRING
    return None


def json_type(value_type: ValueType) -> dict[str, str]:
    """The JSON Schema of one value of ``value_type`` (a fresh dict the caller may change)."""
    return dict(_JSON[value_type])


def field_hint(cls: type, name: str) -> Any:
    """The resolved type hint of the attrs field ``name`` of ``cls``."""
    if name not in attrs.fields_dict(cls):
        raise KeyError(f"{cls.__name__} has no field {name!r}")
    return typing.get_type_hints(cls)[name]


def field_value_type(cls: type, name: str) -> tuple[ValueType, bool]:
    """A field's scalar type and whether it may be None: ``(INTEGER, True)`` for ``int | None``.

    A tuple of scalars gives the type of its items (a table holds one row per item).  Any
    other field (a nested class, a tuple of classes) raises TypeError: a table column must say
    how it flattens such a field instead.
    """
    hint = field_hint(cls, name)
    nullable = False
    arguments = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(arguments) == 2 and arguments[1] is Ellipsis:
        hint = arguments[0]
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        arguments = typing.get_args(hint)
        nullable = type(None) in arguments
        options = [argument for argument in arguments if argument is not type(None)]
        if len(options) == 1:
            hint = options[0]
    value_type = scalar_type(hint)
    if value_type is None:
        raise TypeError(f"{cls.__name__}.{name} is {hint!r}, not one scalar value")
    return value_type, nullable
