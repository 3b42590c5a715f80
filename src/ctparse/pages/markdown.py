"""Small pure helpers for the registry's markdown text."""

from __future__ import annotations

import re

__all__ = ["escape", "unescape"]

# A backslash before ASCII punctuation is a markdown escape: ``INR \> 1.5`` means ``INR > 1.5``.
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
# What ``escape`` protects: the backslash itself and markdown's active characters.
_SPECIAL = re.compile(r"([\\*_\[\]<>^&`#|~])")


def unescape(text: str) -> str:
    """Remove markdown backslash escapes, keeping the escaped character."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(r"\1", text)


def escape(text: str) -> str:
    """Escape text the way the registry does, so that ``unescape(escape(t)) == t``."""
    return _SPECIAL.sub(r"\\\1", text)
