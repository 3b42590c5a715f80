"""Finding and building the grammars in ``grammars/`` (shipped in the wheel, or in a checkout).

A grammar may name a list of fixed words that its page kind's vocabulary holds once: a name
in double angle brackets stands for the alternation of that list's words (regex-escaped), so
that the grammar and the Python side that renders and reports pages can never disagree. The
same filling applies to grammars pulled in with ``%import``.

A parser is a ``lean.LeanParser`` over the grammar's table, which Lark makes once and
``pattern_cache`` keeps on disk; Lark itself is imported only to make a table, or to read a
page the table's loop hands back (an error to recover from).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.machinery
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ctparse.pages import lean, pattern_cache

if TYPE_CHECKING:
    from lark import Lark

__all__ = [
    "alternation",
    "build_parser",
    "build_token_parser",
    "cache_folder",
    "grammar_source",
    "grammar_text",
    "imported",
    "page_parser",
    "token_parser",
    "with_imports",
]

# ``re``, not ``regex``: these patterns are plain ASCII and mean the same to both; ``regex``
# is for where its own meaning is needed.
_PLACEHOLDER = re.compile(r"<<(\w+)>>")
_IMPORT = re.compile(r"^%import (\w+)", re.MULTILINE)
# What a regex gives a meaning to outside a character class; the words hold nothing else.
_SPECIAL = re.compile(r"[.^$*+?{}\[\]\\|()/]")
# Where the grammars are: inside the installed package (the wheel puts them at
# ctparse/grammars), else at the top of a source checkout (src/ctparse/pages/grammar.py ->
# ./grammars). Found by path, without importlib.resources or pathlib: a process that parses
# one page should not pay for loading them.
_HERE = os.path.dirname(os.path.abspath(__file__))
_PACKAGED = os.path.join(os.path.dirname(_HERE), "grammars")
_CHECKOUT = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(_HERE))), "grammars")


def alternation(words: Iterable[str]) -> str:
    """``a|b|c`` of the words, escaped for a regex; longest first, so that none hides a
    longer one it begins (``Study`` before ``Study Design`` would)."""
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(_SPECIAL.sub(r"\\\g<0>", word) for word in ordered)


def grammar_source(name: str) -> str:
    """The text of ``grammars/NAME`` as written, placeholders and all."""
    with open(os.path.join(_folder(), name), encoding="utf-8") as file:
        return file.read()


def _folder() -> str:
    return _PACKAGED if os.path.isdir(_PACKAGED) else _CHECKOUT


def imported(name: str) -> list[str]:
    """The grammar files ``grammars/NAME`` pulls in with ``%import`` (``common.lark``)."""
    return list(dict.fromkeys(f"{module}.lark" for module in _IMPORT.findall(grammar_source(name))))


def with_imports(name: str) -> str:
    """``grammars/NAME`` as written, followed by every grammar it imports: all the words
    and placeholders its parser is built from."""
    return "\n".join([grammar_source(name), *(grammar_source(other) for other in imported(name))])


def grammar_text(name: str, words: Mapping[str, Iterable[str]]) -> str:
    """``grammars/NAME`` with every ``<<LIST>>`` filled from ``words``."""
    return _fill(grammar_source(name), words)


def _fill(text: str, words: Mapping[str, Iterable[str]]) -> str:
    def one(match: re.Match[str]) -> str:
        if match[1] not in words:
            raise KeyError(f"grammar placeholder <<{match[1]}>> has no word list")
        return alternation(words[match[1]])

    return _PLACEHOLDER.sub(one, text)


class _Importer:
    """A Lark import loader that reads sibling grammars and fills their placeholders.

    Lark keys its on-disk cache on the options' text and the main grammar only; the
    loader's text therefore names a digest of every grammar the main one imports, so that
    editing an imported grammar can never leave a stale parser in the cache.
    """

    def __init__(self, words: Mapping[str, Iterable[str]], names: Iterable[str]) -> None:
        self.words = words
        digest = hashlib.sha256()
        for name in sorted(names):
            digest.update(name.encode() + b"\0" + _fill(grammar_source(name), words).encode())
        self.digest = digest.hexdigest()[:16]

    def __call__(self, base_path: str | None, grammar_path: str) -> tuple[str, str]:
        # ``%import common.X`` asks for ``common.lark``.
        return grammar_path, _fill(grammar_source(grammar_path), self.words)

    def __repr__(self) -> str:
        return f"ctparse-grammars-{self.digest}"


def cache_folder() -> str | None:
    """Where Lark keeps the parsers it has analysed: the folder of temporary files (``TMPDIR``,
    else ``/tmp`` and the like, the first one writable), None when there is none. Without
    one, every process builds its parsers again; it is slower, and as right."""
    try:
        return tempfile.gettempdir()
    except OSError:  # no writable temporary folder: Lark's own lookup would raise
        return None


def _cache() -> bool:
    # Lark names the file itself (grammar, options and versions hashed into the name); a
    # file it cannot read or write is passed over, and the parser built.
    return cache_folder() is not None


def page_parser(
    name: str, words: Mapping[str, Iterable[str]], transformer: object
) -> lean.LeanParser:
    """The parser of a page kind's ``grammars/NAME``, calling ``transformer``'s methods."""
    table = _table(name, _fill(with_imports(name), words), lambda: build_parser(name, words))
    fallback = functools.partial(_lark_fallback, name, words, transformer)
    return lean.LeanParser(table, transformer, fallback)


def token_parser(name: str, transformer: object) -> lean.LeanParser:
    """The parser of ``grammars/NAME`` (no placeholders, no imports), fed tokens one by one
    (``LeanParser.interactive``)."""
    table = _table(name, grammar_source(name), lambda: build_token_parser(name))
    return lean.LeanParser(table, transformer)


def _table(name: str, grammar: str, build: Callable[[], Lark]) -> lean.Table:
    """The table of ``grammars/NAME`` (``grammar``, as Lark reads it), kept with the compiled
    patterns. Each grammar file and Lark installation has a slot of its own: a table made
    again after an edit or an upgrade replaces the old one, and two installations that share
    a temporary folder keep one each."""

    def make() -> lean.Table:
        from ctparse.pages import lalr

        # As the file will give it back: lists, not tuples.
        made: lean.Table = json.loads(json.dumps(lalr.table(build())))
        return made

    lark_file, release = _lark_release()
    text = "\n".join([grammar, release])
    slot = f"table {os.path.join(_folder(), name)} {lark_file}"
    table: lean.Table = pattern_cache.remembered(text, make, slot=slot)
    if table.get("layout") != lean.LAYOUT:  # pragma: no cover - a digest collision
        table = make()
    return table


@functools.cache
def _lark_release() -> tuple[str, str]:
    """Lark's file, and what tells one Lark release from another there, found without
    importing it: a table is made again for another release, or another layout."""
    spec = importlib.machinery.PathFinder.find_spec("lark")
    where = spec.origin if spec is not None and spec.origin else "lark"
    try:
        status = os.stat(where)
        stamp = f"{status.st_size} {status.st_mtime_ns}"
    except OSError:
        stamp = "unknown"
    return where, f"lark {where} {stamp} table layout {lean.LAYOUT}"


def _lark_fallback(
    name: str, words: Mapping[str, Iterable[str]], transformer: object
) -> Callable[[str, Any], Any]:
    from ctparse.pages import lalr

    return lalr.lark_parse(build_parser(name, words, lalr.OwnTokens(transformer)))


def build_parser(
    name: str,
    words: Mapping[str, Iterable[str]],
    transformer: object = None,
) -> Lark:
    """Lark's LALR parser for ``grammars/NAME``, with ``transformer``'s methods as its
    callbacks. Building reads the LALR analysis from Lark's disk cache when it can."""
    from lark import Lark

    return Lark(
        grammar_text(name, words),
        parser="lalr",
        lexer="contextual",
        transformer=transformer,
        propagate_positions=False,
        maybe_placeholders=False,
        import_paths=[_Importer(words, imported(name))],
        # The LALR analysis is cached on disk (keyed by the grammar's hash), so a process
        # starts in milliseconds instead of redoing it.
        cache=_cache(),
    )


def build_token_parser(name: str, transformer: object = None) -> Lark:
    """Lark's LALR parser for ``grammars/NAME`` (no placeholders, no imports), fed tokens
    one by one; cached on disk like the others."""
    from lark import Lark

    from ctparse.pages import lalr

    return Lark(
        grammar_source(name),
        parser="lalr",
        lexer=lalr.FedTokens,
        transformer=transformer,
        maybe_placeholders=False,
        cache=_cache(),
    )
