"""Plain JSON-shaped data -> attrs model objects, checked against the model's annotations.

Nothing is coerced: ``"false"`` is not a boolean, ``"Asthma"`` is not a list, ``1.7`` is not
an integer, an unknown key is not ignored. Any mismatch raises ``RecordError`` naming the key
path (``eligibility.inclusion[3].text: expected a string, found 12``).

The reader is driven by the annotations alone (attrs classes, ``X | None``, ``tuple[X, ...]``,
``Literal``, ``dict[str, X]``, StrEnums, ``str``, ``int``, ``float``, ``bool``,
``datetime.date``), so a field added to the model needs no code here. It keeps its own stack
instead of recursing: a criteria tree thousands of levels deep reads like a shallow one.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import types
import typing
from collections.abc import Callable, Generator, Mapping
from enum import Enum
from typing import Any

import attrs

from ctparse.errors import RecordError

__all__ = ["describe", "read_leaf", "structure"]

# A request for one value: (data, annotation, key path).
_Request = tuple[Any, Any, str]
_Builder = Generator[_Request, Any, Any]

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SHOWN = 40


def structure(data: Any, kind: type[Any]) -> Any:
    """``data`` read as an instance of the attrs class ``kind``; ``RecordError`` if it is not."""
    pending: list[_Builder] = []
    result = _step(data, kind, "", pending)
    while pending:
        try:
            request = pending[-1].send(result)
        except StopIteration as done:
            pending.pop()
            result = done.value
            continue
        result = _step(*request, pending)
    return result


def _step(data: Any, kind: Any, path: str, pending: list[_Builder]) -> Any:
    """A leaf's value at once; for a container, push its builder and give it ``None``."""
    optional, shape, inner = _shape(kind)
    if data is None and optional:
        return None
    if shape == "leaf":
        return _leaf(data, inner, path)
    if shape == "attrs":
        pending.append(_instance(data, inner, path))
    elif shape == "tuple":
        if _shape(inner)[1] == "leaf" and isinstance(data, list | tuple):
            # A list of scalars (conditions, phases): no builder needed.
            return tuple(_leaf(item, inner, f"{path}[{i}]") for i, item in enumerate(data))
        pending.append(_items(data, inner, path))
    elif shape == "dict":
        pending.append(_entries(data, inner, path))
    elif shape == "tagged":
        kind_found = data.get("kind") if isinstance(data, Mapping) else None
        if kind_found not in inner:
            if not isinstance(data, Mapping):
                raise _mismatch(path, "an object", data)
            raise _mismatch(_join(path, "kind"), _one_of(inner), kind_found)
        rest = {key: value for key, value in data.items() if key != "kind"}
        pending.append(_instance(rest, inner[kind_found], path))
    else:  # a Literal
        if data not in inner:
            raise _mismatch(path, _one_of(inner), data)
        return data
    return None


@functools.cache
def _shape(kind: Any) -> tuple[bool, str, Any]:
    """(``None`` allowed, shape, what the shape needs) of an annotation, worked out once."""
    origin = typing.get_origin(kind)
    optional = False
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(kind) if arg is not type(None)]
        if len(options) > 1 and all(attrs.has(option) for option in options):
            # Classes told apart by the "kind" each writes (the constraints of a criterion).
            return False, "tagged", {option.kind: option for option in options}
        if len(options) != 1:
            raise TypeError(f"no reader for the union {kind}")
        optional = len(options) < len(typing.get_args(kind))
        kind, origin = options[0], typing.get_origin(options[0])
    if attrs.has(kind):
        return optional, "attrs", kind
    if origin is tuple:
        return optional, "tuple", typing.get_args(kind)[0]
    if origin is dict:
        return optional, "dict", typing.get_args(kind)[1]
    if origin is typing.Literal:
        return optional, "literal", typing.get_args(kind)
    return optional, "leaf", kind


def _instance(data: Any, kind: Any, path: str) -> _Builder:
    if not isinstance(data, Mapping):
        raise _mismatch(path, f"an object ({kind.__name__})", data)
    fields = _fields(kind)
    unknown = [key for key in data if key not in fields]
    if unknown:
        raise RecordError(
            _join(path, str(unknown[0])),
            f"unknown key; {kind.__name__} has {', '.join(fields)}",
        )
    values: dict[str, Any] = {}
    for name, (annotation, required) in fields.items():
        if name in data:
            value = data[name]
            optional, shape, inner = _shape(annotation)
            if shape != "leaf":
                values[name] = yield value, annotation, _join(path, name)
            elif value is not None or not optional:  # a scalar: read here, without a yield
                values[name] = _leaf(value, inner, _join(path, name))
            else:
                values[name] = None
        elif required:
            raise RecordError(_join(path, name), "missing (it has no default)")
    return kind(**values)


def _items(data: Any, annotation: Any, path: str) -> _Builder:
    if not isinstance(data, list | tuple):
        raise _mismatch(path, "a list", data)
    items = []
    for index, item in enumerate(data):
        items.append((yield item, annotation, f"{path}[{index}]"))
    return tuple(items)


def _entries(data: Any, annotation: Any, path: str) -> _Builder:
    if not isinstance(data, Mapping):
        raise _mismatch(path, "an object", data)
    entries = {}
    for key, item in data.items():
        if not isinstance(key, str):
            raise _mismatch(path, "string keys", key)
        entries[key] = yield item, annotation, _join(path, key)
    return entries


@functools.cache
def _fields(kind: Any) -> dict[str, tuple[Any, bool]]:
    """Each field's resolved annotation and whether it must be given."""
    hints = typing.get_type_hints(kind)
    return {
        field.name: (hints[field.name], field.default is attrs.NOTHING)
        for field in attrs.fields(kind)
    }


def read_leaf(data: Any, kind: Any, path: str) -> Any:
    """One scalar of type ``kind`` (str, int, float, bool, date or a StrEnum), checked."""
    return _leaf(data, kind, path)


def _leaf(data: Any, kind: Any, path: str) -> Any:
    if isinstance(kind, type) and issubclass(kind, Enum):
        if isinstance(data, str) and data in kind._value2member_map_:
            return kind(data)
        raise _mismatch(path, _one_of([member.value for member in kind]), data)
    check = _LEAVES.get(kind)
    if check is None:
        raise TypeError(f"{path}: no reader for the type {kind!r}")
    wanted, accepts = check
    if not accepts(data):
        raise _mismatch(path, wanted, data)
    return datetime.date.fromisoformat(data) if kind is datetime.date else data


def _is_date(data: Any) -> bool:
    if not (isinstance(data, str) and _ISO_DATE.fullmatch(data)):
        return False
    try:
        datetime.date.fromisoformat(data)
    except ValueError:
        return False
    return True


_LEAVES: dict[Any, tuple[str, Callable[[Any], bool]]] = {
    str: ("a string", lambda data: isinstance(data, str)),
    # bool is an int to Python, never to a record.
    int: ("a whole number", lambda data: isinstance(data, int) and not isinstance(data, bool)),
    float: (
        "a number",
        lambda data: isinstance(data, int | float) and not isinstance(data, bool),
    ),
    bool: ("true or false", lambda data: isinstance(data, bool)),
    datetime.date: ("a date YYYY-MM-DD", _is_date),
}


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _one_of(values: typing.Iterable[Any]) -> str:
    return "one of " + ", ".join(json.dumps(value, ensure_ascii=False) for value in values)


def _mismatch(path: str, wanted: str, data: Any) -> RecordError:
    return RecordError(path, f"expected {wanted}, found {describe(data)}")


def describe(data: Any) -> str:
    """A found value as a message shows it: scalars in JSON spelling, cut; containers named."""
    if isinstance(data, Mapping):
        return "an object"
    if isinstance(data, list | tuple):
        return f"a list of {len(data)}"
    try:
        shown = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        shown = f"a {type(data).__name__}"
    return shown if len(shown) <= _SHOWN else shown[: _SHOWN - 1] + "\u2026"
