"""A terminal's text and where it stands: what the page parsers hand the transformers.

The same shape as Lark's own token (a ``str`` with ``type``, ``line``, ``column`` and the
rest), made here so that reading a page never has to import Lark: the lean parser makes
these, and when a page goes through Lark itself (an error to recover from), Lark's lexer
hands its tokens over as these too (``pages/lalr.py``), so a transformer sees one class.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Token"]


class Token(str):
    """A terminal of ``type`` whose text is the string itself (``value`` too); lines and
    columns count from 1, ``end_column`` is the column after the last character."""

    __slots__ = (
        "column",
        "end_column",
        "end_line",
        "end_pos",
        "line",
        "start_pos",
        "type",
        "value",
    )

    type: str
    value: str
    start_pos: int | None
    line: int | None
    column: int | None
    end_line: int | None
    end_column: int | None
    end_pos: int | None

    def __new__(
        cls,
        type: str,
        value: str,
        start_pos: int | None = None,
        line: int | None = None,
        column: int | None = None,
        end_line: int | None = None,
        end_column: int | None = None,
        end_pos: int | None = None,
    ) -> Token:
        token = str.__new__(cls, value)
        token.type, token.value = type, value
        token.start_pos, token.line, token.column = start_pos, line, column
        token.end_line, token.end_column, token.end_pos = end_line, end_column, end_pos
        return token

    @classmethod
    def new_borrow_pos(cls, type: str, value: str, borrow: Any) -> Token:
        """A token of ``type`` and ``value`` where ``borrow`` is (any token-shaped value)."""
        return cls(type, value, *_where(borrow))

    def __reduce__(self) -> tuple[Any, tuple[object, ...]]:
        return (Token, (self.type, self.value, *_where(self)))

    def __repr__(self) -> str:
        return f"Token({self.type!r}, {self.value!r})"


def _where(token: Any) -> tuple[int | None, ...]:
    return (
        token.start_pos,
        token.line,
        token.column,
        token.end_line,
        token.end_column,
        token.end_pos,
    )
