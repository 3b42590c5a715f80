"""Regular expressions compiled once and kept on disk, so that a new process skips ``re``'s
compiler for them (the constraint lexer's patterns, the page lexer's states).

``re`` parses and compiles a pattern in Python, about 3 µs a character of the pattern: the
constraint lexer's patterns (``alternation.py``, a few kilobytes each) cost a process's
first parse some 50 ms. What the compiler makes is a list of integers that
``_sre.compile`` takes as it is; this module keeps those lists in one file beside Lark's
parser cache (``grammar.cache_folder()``), keyed by a digest of the pattern and its flags,
and written when the process ends if it compiled anything new.

``re._parser``, ``re._compiler`` and ``_sre.compile`` are CPython's own and undocumented:
the file is named after the interpreter's version and ``_sre.MAGIC``, a pattern
made from a stored entry must equal the one ``re.compile`` makes (the test checks it), and
on any error, or on another Python, ``compile`` is ``re.compile``. The file holds a JSON
index and the code words, nothing that is run; a damaged or foreign file is passed over.
"""

from __future__ import annotations

import array
import atexit
import contextlib
import hashlib
import importlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Callable
from typing import Any

__all__ = ["compile", "path", "remembered"]

# Above this many stored patterns (left by older vocabularies), only those this process
# used are written back. Every pattern of a page's and a results page's lexers and of the
# constraint lexer, for every first character, is some hundreds.
_LIMIT = 1000
# The layout of the file (below), in its name.
_LAYOUT = 2

# CPython's compiler internals; elsewhere every pattern is compiled by ``re``.
_sre: Any = None
_compiler: Any = None
_parser: Any = None
_FORMAT = ""
try:
    _sre = importlib.import_module("_sre")
    _compiler = importlib.import_module("re._compiler")
    _parser = importlib.import_module("re._parser")
    if array.array("I").itemsize != _sre.CODESIZE:
        raise ValueError("code words of another size")
    # The exact interpreter: a patch release may compile a pattern otherwise.
    _VERSION = ".".join(str(part) for part in sys.version_info[:3])
    _FORMAT = f"{sys.implementation.name}{_VERSION}-{_sre.MAGIC}-{sys.byteorder}"
except Exception:  # any failure means: not this CPython
    _sre = None

# An entry: the flags the pattern ends up with, its group count, group names and numbers,
# and its code (native 32-bit words; a view into the file's bytes until it is used).
_Entry = tuple[int, int, dict[str, int], list[str | None], bytes | memoryview]


class _Store:
    def __init__(self) -> None:
        self.entries: dict[str, _Entry] | None = None
        # What else is worked out from patterns alone (``remembered``), as JSON values.
        self.values: dict[str, Any] = {}
        self.used: set[str] = set()
        self.added = False
        # The patterns made in this process, by their text and flags (as ``re`` keeps them).
        self.made: dict[tuple[str, int], re.Pattern[str]] = {}


_STORE = _Store()


def path() -> str | None:
    """The file the compiled patterns are kept in (None: nowhere to keep them)."""
    from ctparse.pages.grammar import cache_folder

    folder = cache_folder()
    if folder is None or not _FORMAT:
        return None
    try:
        user = str(os.getuid())
    except AttributeError:  # Windows
        user = os.environ.get("USERNAME", "user")
    return os.path.join(folder, f".ctparse_patterns_{user}_{_FORMAT}_{_LAYOUT}.bin")


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the disk cache when the pattern is there."""
    if _sre is None:
        return re.compile(pattern, flags)
    made = _STORE.made.get((pattern, flags))
    if made is not None:
        return made
    made = _STORE.made[pattern, flags] = _compiled(pattern, flags)
    return made


def _compiled(pattern: str, flags: int) -> re.Pattern[str]:
    entries = _entries()
    key = _key(pattern, flags)
    entry = entries.get(key)
    if entry is not None:
        with contextlib.suppress(Exception):  # a damaged entry: compiled again below
            compiled = _from_entry(pattern, entry)
            _STORE.used.add(key)
            return compiled
    try:
        compiled, entry = _compile(pattern, flags)
    except Exception:  # the internals read otherwise: leave it to re
        return re.compile(pattern, flags)
    entries[key] = entry
    _added(key)
    return compiled


def remembered(text: str, make: Callable[[], Any], slot: str | None = None) -> Any:
    """``make()``, a JSON value worked out from ``text`` alone (patterns, say) by this
    Python, kept in the same file; made again where there is none or it is unreadable.

    A value given a ``slot`` (a name) replaces, when the file is written, the values this
    process did not use in that slot: a grammar's table made again after an edit or an
    upgrade leaves no stale copy behind."""
    _entries()
    key = _key(text, -1) if slot is None else f"{slot}:{_key(text, -1)}"
    if key in _STORE.values:
        _STORE.used.add(key)
        return _STORE.values[key]
    value = make()
    _STORE.values[key] = value
    _added(key)
    return value


def _added(key: str) -> None:
    _STORE.used.add(key)
    if not _STORE.added:
        _STORE.added = True
        atexit.register(_save)


def _key(pattern: str, flags: int) -> str:
    """The flags and a digest of the pattern: the patterns run to kilobytes."""
    digest = hashlib.blake2b(pattern.encode("utf-8", "surrogatepass"), digest_size=16)
    return f"{flags}:{digest.hexdigest()}"


def _from_entry(pattern: str, entry: _Entry) -> re.Pattern[str]:
    final_flags, groups, group_index, index_group, code = entry
    words = array.array("I")
    words.frombytes(code)
    compiled: re.Pattern[str] = _sre.compile(
        pattern, final_flags, words.tolist(), groups, group_index, tuple(index_group)
    )
    return compiled


def _compile(pattern: str, flags: int) -> tuple[re.Pattern[str], _Entry]:
    """What ``re._compiler.compile`` does, keeping the code it hands to ``_sre``."""
    parsed: Any = _parser.parse(pattern, flags)
    code: list[int] = _compiler._code(parsed, flags)
    group_index: dict[str, int] = dict(parsed.state.groupdict)
    index_group: list[str | None] = [None] * parsed.state.groups
    for name, number in group_index.items():
        index_group[number] = name
    entry: _Entry = (
        flags | parsed.state.flags,
        parsed.state.groups - 1,
        group_index,
        index_group,
        array.array("I", code).tobytes(),
    )
    return _from_entry(pattern, entry), entry


def _entries() -> dict[str, _Entry]:
    if _STORE.entries is None:
        _STORE.entries = _load()
    return _STORE.entries


# The file: one line of JSON, {"patterns": {key: [flags, groups, names, numbers, start,
# length]}, "values": {key: value}}, then the code of every pattern, one after another
# (start and length counted in bytes).


def _load() -> dict[str, _Entry]:
    file_path = path()
    if file_path is None:
        return {}
    try:
        with open(file_path, "rb") as file:
            if not _owned(file.fileno()):
                return {}
            data = file.read()
        end = data.index(b"\n")
        index = json.loads(data[:end])
        code = memoryview(data)[end + 1 :]
        entries: dict[str, _Entry] = {
            key: (flags, groups, names, numbers, code[start : start + length])
            for key, (flags, groups, names, numbers, start, length) in index["patterns"].items()
        }
        values = index["values"]
        if not isinstance(values, dict):
            return {}
    except (OSError, ValueError, AttributeError, TypeError, KeyError):  # absent, or not ours
        return {}
    _STORE.values = values
    return entries


def _slot(key: str) -> str | None:
    """The slot a value's key names (``slot:-1:digest``), None for one without."""
    slot = key.split(":", 1)[0]
    return None if slot.lstrip("-").isdigit() else slot


def _owned(descriptor: int) -> bool:
    """Whether the file is this user's: the temporary folder is shared, and a pattern read
    from someone else's file could match otherwise than its text says."""
    getuid = getattr(os, "getuid", None)
    return getuid is None or os.fstat(descriptor).st_uid == getuid()


def _save() -> None:
    """Write the entries (atomically: readers see the old file or the new one)."""
    file_path = path()
    entries, values = _STORE.entries or {}, _STORE.values
    if file_path is None or not (entries or values):
        return
    if len(entries) + len(values) > _LIMIT:
        entries = {key: entry for key, entry in entries.items() if key in _STORE.used}
        values = {key: value for key, value in values.items() if key in _STORE.used}
    slots = {_slot(key) for key in _STORE.used} - {None}
    values = {k: v for k, v in values.items() if k in _STORE.used or _slot(k) not in slots}
    patterns: dict[str, list[Any]] = {}
    start = 0
    for key, (flags, groups, names, numbers, code) in entries.items():
        patterns[key] = [flags, groups, names, numbers, start, len(code)]
        start += len(code)
    index = {"patterns": patterns, "values": values}
    temporary = None
    try:
        # A new file of this user's only (mkstemp), then put in place in one step.
        descriptor, temporary = tempfile.mkstemp(
            prefix=os.path.basename(file_path), dir=os.path.dirname(file_path)
        )
        with os.fdopen(descriptor, "wb") as file:
            file.write(json.dumps(index, separators=(",", ":")).encode("ascii") + b"\n")
            file.writelines(entry[4] for entry in entries.values())
        os.replace(temporary, file_path)
    except (OSError, TypeError, ValueError):  # a read-only folder, say: compiled again
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.remove(temporary)
