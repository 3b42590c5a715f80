"""Walking PATHs for page files, so that nothing under them is skipped without a word.

Every path the walk cannot use becomes an error ``Page`` (code ``unreadable``) in input order:
a directory that cannot be listed (the top PATH too), an entry whose type cannot be told, and a
file named like a page that is no regular file (a FIFO would block the run, a device never
end). Symbolic links to directories are followed; each real directory is walked once, so a
link back up the tree (a loop) or a second link to a walked directory adds nothing, and each
real file (by device and inode: hard links too) is read once. Only PATHs given by name are
read whatever they are (``-``, a FIFO, ``/dev/stdin``).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence

from ctparse.batch.splitter import Page
from ctparse.model.diagnostics import DiagnosticCode

__all__ = ["PAGE_SUFFIXES", "Found", "clash", "files", "page_files", "printable"]

# What a directory walk picks up (compared without regard to case).
PAGE_SUFFIXES = (".txt", ".text", ".txt.gz")

# A file to read (``None``: standard input), or an error page for a path that cannot be read.
Found = str | Page | None


def printable(path: str) -> str:
    """A path as it is shown in records (``source.path``): its bytes as UTF-8, where a
    backslash is doubled and each byte that is not UTF-8 is ``\\xNN``, so that two different
    file names never look the same."""
    raw = os.fsencode(path).replace(b"\\", b"\\\\")
    return raw.decode("utf-8", "backslashreplace")


def _unreadable(path: str, what: str, error: OSError | None = None) -> Page:
    reason = f": {error.strerror or error}" if error is not None else ""
    return Page(
        path=printable(path), line=1, code=DiagnosticCode.UNREADABLE, error=f"{what}{reason}"
    )


def _identity(status: os.stat_result) -> tuple[int, int]:
    return status.st_dev, status.st_ino


def page_files(path: str, seen: set[tuple[int, int]] | None = None) -> Iterator[str | Page]:
    """The page files under a directory, in a stable order: each directory's files by name,
    then its subdirectories by name; an error ``Page`` for each path that cannot be read.
    ``seen`` holds the real files and directories already walked (shared across PATHs)."""
    seen = set() if seen is None else seen
    try:
        top = os.stat(path)
    except OSError as error:
        yield _unreadable(path, "cannot read the directory", error)
        return
    if _identity(top) in seen:
        return
    seen.add(_identity(top))
    yield from _walk(path, seen)


def _walk(directory: str, seen: set[tuple[int, int]]) -> Iterator[str | Page]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda entry: entry.name)
    except OSError as error:
        yield _unreadable(directory, "cannot list the directory", error)
        return
    subdirectories: list[str] = []
    for entry in entries:
        try:
            status = entry.stat()  # follows symbolic links
        except OSError as error:
            if entry.name.lower().endswith(PAGE_SUFFIXES) or not entry.is_symlink():
                yield _unreadable(entry.path, "cannot read the file", error)
            else:
                yield _unreadable(entry.path, "cannot follow the link", error)
            continue
        if stat.S_ISDIR(status.st_mode):
            if _identity(status) not in seen:
                seen.add(_identity(status))
                subdirectories.append(entry.path)
            continue
        if not entry.name.lower().endswith(PAGE_SUFFIXES) or _identity(status) in seen:
            continue
        seen.add(_identity(status))
        if stat.S_ISREG(status.st_mode):
            yield entry.path
        else:
            yield _unreadable(entry.path, "not a regular file (a named pipe or device): skipped")
    for subdirectory in subdirectories:
        yield from _walk(subdirectory, seen)


def files(paths: Sequence[str], on_empty: Callable[[str], None] | None = None) -> Iterator[Found]:
    """Each input of PATHs in order: a file's path, ``None`` for standard input (``-``), or
    an error ``Page`` for a path the walk cannot read."""
    seen: set[tuple[int, int]] = set()
    for path in paths:
        if path == "-":
            yield None
        elif os.path.isdir(path):
            walked = len(seen)
            found = False
            for file in page_files(path, seen):
                found = True
                yield file
            # (A directory walked before, under another PATH, is not empty: it adds nothing.)
            if not found and len(seen) > walked and on_empty is not None:
                on_empty(path)
        else:
            yield path


def _same_file(path: str, target: str, real: str) -> bool:
    if os.path.realpath(path) == real:
        return True
    try:
        return os.path.samefile(path, target)  # hard links
    except OSError:
        return False


def clash(paths: Sequence[str], target: str) -> str | None:
    """Why writing ``target`` would destroy input, or ``None``: it is one of the input files,
    or it is named like a page inside a directory PATH (the walk would read it)."""
    if not os.path.isfile(target) and os.path.exists(target):
        return None  # a device or pipe: writing it destroys no file
    real = os.path.realpath(target)
    for path in paths:
        if path == "-":
            continue
        if os.path.isdir(path):
            tree = os.path.realpath(path)
            inside = os.path.commonpath([tree, real]) == tree
            if inside and os.path.basename(real).lower().endswith(PAGE_SUFFIXES):
                return f"{target} is inside {path}, which is read as input"
        elif _same_file(path, target, real):
            return f"{target} is also an input"
    return None
