"""JSON Schema (draft 2020-12) of the command line's output, built from the attrs model.

The schema is derived from the field types of ``Trial`` and the classes it holds, so a field
added to the model appears here without anyone touching this file, and a field of a kind
this file does not know fails loudly instead of being left out.  Scalar types come from
``ctparse.model.types``, which the flat tables share.
"""

from __future__ import annotations

import enum
import inspect
import types
import typing
from typing import Any

import attrs

from ctparse.model import Results, Trial
from ctparse.model.types import json_type, scalar_type

__all__ = [
    "DIALECT",
    "error_schema",
    "page_record_schema",
    "record_schema",
    "results_record_schema",
    "source_schema",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"

_NULL: dict[str, Any] = {"type": "null"}


def source_schema() -> dict[str, Any]:
    """Where a record's page was read: the file and the line the page starts at."""
    return {
        "type": "object",
        "description": "Where the page was read: the file as named on the command line or "
        "found in a directory ('<stdin>' for standard input) and the line of that file "
        "where the page starts.",
        "properties": {
            "path": {"type": "string"},
            "line": {"type": "integer", "minimum": 1},
        },
        "required": ["path", "line"],
        "additionalProperties": False,
    }


def record_schema() -> dict[str, Any]:
    """One output record: every key of ``Trial`` (always present), and ``source``.

    The command writes ``kind`` and ``source`` beside the keys of every record
    (``page_record_schema``); ``to_dict`` output has neither.
    """
    return _page_schema(Trial, "ctparse record", "One trial page", "Trial")


def results_record_schema() -> dict[str, Any]:
    """One results-page record: every key of ``Results`` (always present), and ``source``."""
    return _page_schema(Results, "ctparse results record", "One results page", "Results")


def _page_schema(model: type[Any], title: str, what: str, name: str) -> dict[str, Any]:
    """The schema of one record of a page kind: every key of ``model`` and ``source``."""
    builder = _Builder()
    schema = builder.object_schema(model)
    schema["properties"] = {"source": {"$ref": "#/$defs/Source"}, **schema["properties"]}
    builder.definitions["Source"] = source_schema()
    schema["description"] = (
        f"{what} read by ctparse: every field of the {name} model, always present "
        "(an absent value is null or an empty array), in the model's order. The command "
        "writes 'kind' and 'source' beside them in every record; to_dict output has neither."
    )
    return {
        "$schema": DIALECT,
        "title": title,
        **schema,
        "$defs": dict(sorted(builder.definitions.items())),
    }


def page_record_schema() -> dict[str, Any]:
    """A record of either page kind, told apart by ``kind`` (``trial`` or ``results``):
    a ``oneOf`` of the trial record and the results record, each with its ``kind``."""
    options = []
    definitions: dict[str, Any] = {}
    for kind, schema in (("trial", record_schema()), ("results", results_record_schema())):
        schema = dict(schema)
        schema.pop("$schema")
        definitions.update(schema.pop("$defs"))
        schema["properties"] = {"kind": {"const": kind}, **schema["properties"]}
        options.append(schema)
    return {
        "$schema": DIALECT,
        "title": "ctparse page record",
        "description": "One page read by ctparse: a trial page or a results page, as 'kind' says.",
        "type": "object",
        "required": ["kind"],
        "oneOf": options,
        "$defs": dict(sorted(definitions.items())),
    }


def error_schema() -> dict[str, Any]:
    """One error record: a page that could not be read, and why."""
    return {
        "$schema": DIALECT,
        "title": "ctparse error record",
        "description": "A page that did not become a record. 'line' and 'column' are in the "
        "file named by source.path.",
        "type": "object",
        "properties": {
            "kind": {
                "enum": ["trial", "results", None],
                "description": "The kind the text was read as; null for a text that is no "
                "page of either kind (not UTF-8 text, empty, no page's wording at all such as "
                "HTML or JSON) or that could not be read.",
            },
            "source": {"$ref": "#/$defs/Source"},
            "line": {"type": "integer", "minimum": 1},
            "column": {"type": "integer", "minimum": 1},
            "code": {
                "type": "string",
                "description": "What went wrong, as a stable diagnostic code such as "
                "not_a_page, cut_off or not_utf8.",
            },
            "message": {"type": "string"},
        },
        "required": ["kind", "source", "line", "column", "code", "message"],
        "additionalProperties": False,
        "$defs": {"Source": source_schema()},
    }


class _Builder:
    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}

    def object_schema(self, cls: type) -> dict[str, Any]:
        hints = typing.get_type_hints(cls)
        properties = {field.name: self.of(hints[field.name]) for field in attrs.fields(cls)}
        kind = getattr(cls, "kind", None)
        if isinstance(kind, str):  # constraints say which class they are
            properties = {"kind": {"const": kind}, **properties}
        schema: dict[str, Any] = {"type": "object"}
        description = _doc(cls)
        if description:
            schema["description"] = description
        schema["properties"] = properties
        # ``to_dict`` writes every key, defaults included.
        schema["required"] = list(properties)
        schema["additionalProperties"] = False
        return schema

    def reference(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.definitions:
            self.definitions[name] = {}  # reserved first: classes may hold themselves
            if issubclass(cls, enum.Enum):
                self.definitions[name] = _enum_schema(cls)
            else:
                self.definitions[name] = self.object_schema(cls)
        return {"$ref": f"#/$defs/{name}"}

    def of(self, hint: Any) -> dict[str, Any]:
        origin = typing.get_origin(hint)
        arguments = typing.get_args(hint)
        if origin in (types.UnionType, typing.Union):
            options = [self.of(argument) for argument in arguments if argument is not type(None)]
            if type(None) not in arguments:
                return options[0] if len(options) == 1 else {"anyOf": options}
            if len(options) == 1 and set(options[0]) <= {"type", "format"}:
                # ``{"type": ["string", "null"]}`` reads better than an anyOf.
                return {**options[0], "type": [options[0]["type"], "null"]}
            return {"anyOf": [*options, _NULL]}
        if origin is tuple:
            if len(arguments) == 2 and arguments[1] is Ellipsis:
                return {"type": "array", "items": self.of(arguments[0])}
            raise TypeError(f"no JSON Schema for fixed-length {hint!r}")
        if isinstance(hint, type) and (issubclass(hint, enum.Enum) or attrs.has(hint)):
            return self.reference(hint)
        value_type = scalar_type(hint)
        if value_type is not None:
            return json_type(value_type)
        raise TypeError(f"no JSON Schema for {hint!r}: teach ctparse.schema this type")


def _enum_schema(cls: type[enum.Enum]) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "enum": [member.value for member in cls]}
    description = _doc(cls)
    if description:
        schema["description"] = description
    return schema


def _doc(cls: type) -> str:
    # Only a class's own docstring: enums and attrs classes inherit generic ones.
    own = cls.__dict__.get("__doc__")
    if not own or own == enum.Enum.__doc__:
        return ""
    return " ".join((inspect.cleandoc(own)).split())
