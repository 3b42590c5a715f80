"""``Column`` and ``Table``, and the helpers that build columns typed from the model.

A column that holds one model field takes that field's type from ``ctparse.model.types``,
the module the JSON Schema uses too; only computed columns (ids, ``phase``, ages in years,
...) name their type.  The tables of each page kind are declared with these helpers.
"""

from __future__ import annotations

from attrs import frozen

from ctparse.model.types import ValueType, field_value_type

__all__ = [
    "Column",
    "Table",
    "computed_column",
    "id_column",
    "model_column",
    "reference_column",
]

# ``type`` is a Column field name, so the class body needs another name for the builtin.
_ModelClass = type


@frozen(kw_only=True)
class Column:
    """One column: its type, and for a ``*_id`` column the table whose ``id`` it holds."""

    name: str
    type: ValueType
    nullable: bool = True
    references: str | None = None
    # The model field the type was derived from, as ``(class, field name)``.
    source: tuple[_ModelClass, str] | None = None


@frozen(kw_only=True)
class Table:
    name: str
    # The page kind whose flattening fills the table (``trial``, ``results``), or ``run``.
    kind: str
    columns: tuple[Column, ...]
    description: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def has_id(self) -> bool:
        return self.columns[0].name == "id"

    @property
    def references(self) -> tuple[tuple[int, str], ...]:
        """``(column position, referenced table)`` of every ``*_id`` column."""
        return tuple(
            (position, column.references)
            for position, column in enumerate(self.columns)
            if column.references is not None
        )


def model_column(name: str, cls: type, field: str, *, nullable: bool | None = None) -> Column:
    """A column holding one model field (or the items of a tuple field), typed by the model."""
    value_type, field_nullable = field_value_type(cls, field)
    return Column(
        name=name,
        type=value_type,
        nullable=field_nullable if nullable is None else nullable,
        source=(cls, field),
    )


def computed_column(name: str, value_type: ValueType, *, nullable: bool = True) -> Column:
    return Column(name=name, type=value_type, nullable=nullable)


def id_column() -> Column:
    return Column(name="id", type=ValueType.INTEGER, nullable=False)


def reference_column(name: str, table: str, *, nullable: bool = False) -> Column:
    return Column(name=name, type=ValueType.INTEGER, nullable=nullable, references=table)
