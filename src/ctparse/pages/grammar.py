"""Loading the page grammars: shipped inside the package, or read from a source checkout.

The grammars ``%import`` what they share from ``common.lark``; Lark finds it through
``import_paths``, so a grammar is always loaded from the folder that holds its siblings.
Lark's on-disk cache records the imported files and their hashes, so a change to
``common.lark`` invalidates the cached tables of every grammar that imports it.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

from lark import Lark, Transformer

__all__ = ["build_parser", "grammar_folder", "grammar_text", "grammar_words"]

_IMPORT = re.compile(r"^%import (\w+) ", re.M)


def grammar_folder() -> Path:
    """The folder holding the ``.lark`` files: in the installed package (the wheel
    force-includes ``grammars/`` as ``ctparse/grammars``), else the checkout's."""
    packaged = resources.files("ctparse").joinpath("grammars")
    if packaged.joinpath("common.lark").is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / "grammars"


def grammar_text(name: str) -> str:
    """The text of ``grammars/<name>.lark``."""
    return (grammar_folder() / f"{name}.lark").read_text(encoding="utf-8")


def grammar_words(name: str) -> str:
    """The grammar with the text of every grammar it imports after it: all the words its
    terminals spell, for tests that check them against the Python vocabulary."""
    text = grammar_text(name)
    imported = dict.fromkeys(_IMPORT.findall(text))
    return "\n".join([text, *(grammar_text(other) for other in imported)])


def build_parser(name: str, transformer: Transformer[Any, Any]) -> Lark:
    """An LALR parser with a contextual lexer for ``grammars/<name>.lark``."""
    return Lark(
        grammar_text(name),
        parser="lalr",
        lexer="contextual",
        transformer=transformer,
        propagate_positions=False,
        maybe_placeholders=False,
        import_paths=[str(grammar_folder())],
        # The LALR analysis is cached on disk (keyed by the grammar's hash and its imported
        # files), so a process starts in milliseconds instead of redoing it.
        cache=True,
    )
