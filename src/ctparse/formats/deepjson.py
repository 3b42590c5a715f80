"""JSON text at any depth: ``dumps`` and ``loads`` as the standard ones, without their limit.

The standard module recurses and gives up near 1,000 levels; a criteria tree 500 deep is
already 1,000 levels of JSON. Both functions try the standard (fast) path first and fall back
to a loop with its own stack, which writes exactly the same text and reads the same values.
"""

from __future__ import annotations

import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any

__all__ = ["dumps", "dumps_looped", "loads", "loads_looped"]


def dumps(
    value: Any, *, indent: int | None = None, separators: tuple[str, str] | None = None
) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=..., separators=...)`` at any depth."""
    try:
        return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    except RecursionError:
        return dumps_looped(value, indent=indent, separators=separators)


def dumps_looped(
    value: Any, *, indent: int | None = None, separators: tuple[str, str] | None = None
) -> str:
    """What ``dumps`` falls back on: the same text, written with a stack of its own."""
    item_sep, key_sep = separators or ((", ", ": ") if indent is None else (",", ": "))
    pad = None if indent is None else " " * indent
    parts: list[str] = []
    # Literal text (str) or a value still to write with its level (tuple), last first.
    todo: list[str | tuple[Any, int]] = [(value, 0)]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            parts.append(item)
            continue
        value, level = item
        if not isinstance(value, dict | list | tuple) or not value:
            parts.append(json.dumps(value, ensure_ascii=False))
            continue
        opening, closing = "{}" if isinstance(value, dict) else "[]"
        inner = "" if pad is None else "\n" + pad * (level + 1)
        pieces: list[str | tuple[Any, int]] = [opening + inner]
        entries = value.items() if isinstance(value, dict) else enumerate(value)
        for index, (key, member) in enumerate(entries):
            if index:
                pieces.append(item_sep + inner)
            if isinstance(value, dict):
                pieces.append(json.dumps(key, ensure_ascii=False) + key_sep)
            pieces.append((member, level + 1))
        pieces.append(("" if pad is None else "\n" + pad * level) + closing)
        todo.extend(reversed(pieces))
    return "".join(parts)


_SPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_WORDS = {"true": True, "false": False, "null": None}


def loads(text: str) -> Any:
    """``json.loads(text)`` at any depth."""
    try:
        return json.loads(text)
    except RecursionError:
        return loads_looped(text)


def loads_looped(text: str) -> Any:
    """What ``loads`` falls back on: the same values, read with a stack of its own."""
    return _Reader(text).document()


class _Reader:
    """A JSON reader with its own stack of open containers."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, what: str) -> json.JSONDecodeError:
        return json.JSONDecodeError(f"Expecting {what}", self.text, self.pos)

    def skip(self) -> str:
        """The next significant character ('' at the end)."""
        match = _SPACE.match(self.text, self.pos)
        self.pos = match.end() if match else self.pos
        return self.text[self.pos : self.pos + 1]

    def scalar(self, char: str) -> Any:
        if char == '"':
            value, self.pos = scanstring(self.text, self.pos + 1)
            return value
        for word, value in _WORDS.items():
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        match = _NUMBER.match(self.text, self.pos)
        if match is None:
            raise self.fail("value")
        self.pos = match.end()
        return float(match[0]) if match[1] or match[2] else int(match[0])

    def key(self) -> str:
        if self.skip() != '"':
            raise self.fail("property name enclosed in double quotes")
        key: str = self.scalar('"')
        if self.skip() != ":":
            raise self.fail("':' delimiter")
        self.pos += 1
        return key

    def document(self) -> Any:
        # Each open container with the key its next value goes under (None in a list).
        stack: list[tuple[dict[str, Any] | list[Any], str | None]] = []
        while True:
            char = self.skip()
            if char in ("{", "["):
                self.pos += 1
                container: dict[str, Any] | list[Any] = {} if char == "{" else []
                closing = "}" if char == "{" else "]"
                if self.skip() != closing:
                    stack.append((container, self.key() if char == "{" else None))
                    continue
                self.pos += 1
                value: Any = container
            else:
                value = self.scalar(char)
            # A value is complete: store it, then close every container that ends here.
            while True:
                if not stack:
                    if self.skip():
                        raise self.fail("end of data")
                    return value
                container, key = stack[-1]
                if isinstance(container, list):
                    container.append(value)
                else:
                    container[key or ""] = value
                char = self.skip()
                self.pos += 1
                if char == ",":
                    stack[-1] = (container, self.key() if isinstance(container, dict) else None)
                    break
                if char != ("}" if isinstance(container, dict) else "]"):
                    self.pos -= 1
                    raise self.fail("',' delimiter")
                stack.pop()
                value = container
