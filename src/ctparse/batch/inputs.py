"""Inputs: the pages of PATHs (walked by ``walk``): opening files, standard input and gzip,
and reading each into split pages (``Page``: bytes, not yet decoded) without ever raising.

Also ``read_page`` / ``parse_file``, the one-file entry of the library.
"""

from __future__ import annotations

import gzip
import io
import os
import sys
import zlib
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import BinaryIO, Literal, NamedTuple, overload

from ctparse.batch import splitter
from ctparse.batch.encoding import decode, not_text
from ctparse.batch.limits import MAX_FILE_BYTES, read_bounded
from ctparse.batch.splitter import READ_BYTES, Page, Splitter, pieces
from ctparse.batch.walk import PAGE_SUFFIXES, Found, files, page_files, printable
from ctparse.model import Results, Trial
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.dispatch import parse_page
from ctparse.pages.trial.reader import parse

__all__ = [
    "PAGE_SUFFIXES",
    "STDIN",
    "Item",
    "files",
    "items",
    "page_files",
    "parse_file",
    "read_page",
    "read_pages",
    "stream_pages",
    "total_bytes",
]

# Shown as the path of pages read from standard input.
STDIN = "<stdin>"

_GZIP_MAGIC = b"\x1f\x8b"


# ---------------------------------------------------------------- one file


def read_page(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    allow_special: bool = False,
) -> str:
    """The text of a page file; gzip (recognised by its bytes, not its name) is undone.

    Raises ``ParseError`` (line and column of the bad byte) when the bytes are not UTF-8,
    when the text is longer than ``max_bytes`` (32 MiB by default), and when ``path`` is not
    a regular file (a FIFO, a device) unless ``allow_special`` is true.
    """
    return decode(read_bounded(path, max_bytes=max_bytes, allow_special=allow_special))


@overload
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = ...,
    max_bytes: int = ...,
    allow_special: bool = ...,
    kind: Literal["trial"] = ...,
) -> Trial: ...
@overload
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = ...,
    max_bytes: int = ...,
    allow_special: bool = ...,
    kind: Literal["results"],
) -> Results: ...
@overload
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = ...,
    max_bytes: int = ...,
    allow_special: bool = ...,
    kind: Literal["auto"],
) -> Trial | Results: ...
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    allow_special: bool = False,
    kind: Literal["trial", "results", "auto"] = "trial",
) -> Trial | Results:
    """Read the page stored at ``path`` (plain or gzip-compressed), read by ``read_page``.

    ``kind`` says how: ``trial`` (the default, as before: ``parse``, which refuses a results
    page), ``results`` (``parse_results``) or ``auto`` (``parse_page``: the text decides).
    """
    text = read_page(path, max_bytes=max_bytes, allow_special=allow_special)
    if kind == "results":
        from ctparse.pages.results.reader import parse_results

        return parse_results(text, lenient=lenient)
    if kind == "auto":
        return parse_page(text, lenient=lenient)
    return parse(text, lenient=lenient)


# ---------------------------------------------------------------- paths


class Item(NamedTuple):
    page: Page
    # Bytes of all input read when the page was complete (for a progress bar).
    position: int


def items(paths: Sequence[str], on_empty: Callable[[str], None] | None = None) -> Iterator[Item]:
    """Every page of PATHs, in input order, with how far into the input it ends."""
    done = 0
    for found in files(paths, on_empty):
        done = yield from found_items(found, done)


def found_items(found: Found, done: int) -> Generator[Item, None, int]:
    """The pages of one input of ``files`` (after ``done`` bytes of input), each with how far
    into the input it ends; returns how far the input has come after them."""
    if isinstance(found, Page):
        yield Item(found, done)
        return done
    last = 0
    for page in read_pages(found):
        last = page.consumed
        yield Item(page, done + last)
    return done + (_size(found) if found is not None else last)


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def total_bytes(paths: Sequence[str]) -> int | None:
    """The bytes of all input, or ``None`` when standard input is part of it."""
    total = 0
    for path in files(paths):
        if path is None:
            return None
        if isinstance(path, str):
            total += _size(path)
    return total


# ---------------------------------------------------------------- pages of a file


def read_pages(path: str | None, *, shown: str | None = None) -> Iterator[Page]:
    """Every page of the file at ``path`` (``None``: standard input), never raising.

    A file that cannot be read as text gives one ``Page`` with ``error`` set; a stream that
    breaks off (a truncated ``.gz``) gives the pages before the break and one error for the
    rest.
    """
    name = shown if shown is not None else (STDIN if path is None else printable(path))
    if path is None and sys.stdin is None:
        yield Page(
            path=name,
            line=1,
            code=DiagnosticCode.UNREADABLE,
            error="cannot read standard input: it is closed",
        )
        return
    try:
        raw: BinaryIO = sys.stdin.buffer if path is None else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        yield unreadable(name, 1, error)
        return
    try:
        yield from _read_stream(raw, name, path is not None and path.lower().endswith(".gz"))
    finally:
        if path is not None:
            raw.close()


def stream_pages(stream: BinaryIO, *, shown: str | None = None) -> Iterator[Page]:
    """Every page of an open binary stream (left open), never raising."""
    name = shown if shown is not None else printable(str(getattr(stream, "name", "<stream>")))
    yield from _read_stream(stream, name, name.lower().endswith(".gz"))


def _read_stream(raw: BinaryIO, name: str, named_gz: bool) -> Iterator[Page]:
    cutter = Splitter()

    def consumed() -> int:
        try:
            return raw.tell()
        except OSError:  # a pipe
            return 0

    try:
        head = raw.read(READ_BYTES)
        read: Callable[[int], bytes] = raw.read
        if head.startswith(_GZIP_MAGIC):
            # Sniffed rather than told by the name: ``-`` and ``.txt`` may be gzip too.
            read = gzip.GzipFile(fileobj=_Prefixed(head, raw), mode="rb").read
            head = read(READ_BYTES)
        elif named_gz and head:
            yield Page(
                path=name,
                line=1,
                consumed=consumed(),
                code=DiagnosticCode.UNREADABLE,
                error="the file is named .gz but is not gzip-compressed",
            )
            return
        problem = not_text(head)
        if problem is not None:
            yield Page(
                path=name, line=1, consumed=consumed(), code=problem.code, error=problem.reason
            )
            return
        for lines in pieces(read, head):
            for line, column, offset, data in cutter.feed_lines(lines):
                yield page_of_bytes(name, line, column, offset, data, consumed())
    except (OSError, EOFError, zlib.error) as error:
        yield read_failure(name, cutter.pending_line, error, consumed())
        return
    for line, column, offset, data in cutter.finish():
        yield page_of_bytes(name, line, column, offset, data, consumed())


def unreadable(name: str, line: int, error: OSError) -> Page:
    """The error page of a file that cannot be opened."""
    return Page(
        path=name,
        line=line,
        code=DiagnosticCode.UNREADABLE,
        error=f"cannot read the file: {_os_reason(error)}",
    )


def read_failure(name: str, line: int, error: Exception, consumed: int = 0) -> Page:
    """The error page of a file that could not be read on from ``line``."""
    if isinstance(error, EOFError | zlib.error | gzip.BadGzipFile):
        what = "the gzip data is corrupt or cut off"
    else:
        what = "the file could not be read to the end"
    return Page(
        path=name,
        line=line,
        consumed=consumed,
        code=DiagnosticCode.UNREADABLE,
        error=f"{what} ({_os_reason(error)}): the pages from this line on are lost",
    )


def page_of_bytes(
    name: str, line: int, column: int, offset: int, data: bytes, consumed: int | None = None
) -> Page:
    """A page cut from a file, or its error when it is too large to be one
    (``consumed``: bytes of the file read by then; by default, up to the page's end)."""
    if consumed is None:
        consumed = offset + len(data)
    limit = splitter.MAX_PAGE_BYTES  # read here, so that tests can lower it
    if len(data) > limit:
        return Page(
            path=name,
            line=line,
            column=column,
            offset=offset,
            consumed=consumed,
            code=DiagnosticCode.TOO_LARGE,
            error=f"no page start found in over {limit >> 20} MiB from this line: "
            "expected trial pages",
        )
    return Page(path=name, line=line, column=column, offset=offset, data=data, consumed=consumed)


class _Prefixed:
    """A binary stream that first gives back bytes already read from it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0 or size >= len(self._head):
                head, self._head = self._head, b""
                more = self._rest.read(-1 if size < 0 else size - len(head))
                return head + more
            head, self._head = self._head[:size], self._head[size:]
            return head
        return self._rest.read(size)

    def seek(self, offset: int, /) -> int:
        # Only rewinding a GzipFile seeks, and pages are read once, front to back.
        raise io.UnsupportedOperation("seek")


def _os_reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
