"""Reading one page file with bounds: regular files only, at most so many bytes of text.

``parse_file`` must neither block (a FIFO with no writer), nor run forever (``/dev/urandom``),
nor fill memory (``/dev/zero``, a gzip bomb). So:

* Only regular files are read unless ``allow_special=True``; the file is opened without
  blocking and checked on the open descriptor, so a path swapped for a FIFO is still refused.
* Gzip is recognised by its first bytes, as the command does, whatever the name; a name ending
  in ``.gz`` (any case) whose bytes are not gzip is refused, also as the command does.
* At most ``max_bytes`` bytes of text are read, after decompression (default
  ``MAX_FILE_BYTES``, 32 MiB: a real page is some hundred kilobytes); more is an error.
"""

from __future__ import annotations

import gzip
import os
import stat
import zlib
from typing import BinaryIO

from ctparse.errors import ParseError
from ctparse.model.diagnostics import DiagnosticCode

__all__ = ["MAX_FILE_BYTES", "read_bounded"]

MAX_FILE_BYTES = 32 << 20
_GZIP_MAGIC = b"\x1f\x8b"


def read_bounded(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    allow_special: bool = False,
) -> bytes:
    """The bytes of the page text at ``path``, gzip undone; ``ParseError`` past the bounds."""
    name = os.fspath(path)
    # Opened without blocking: a FIFO with no writer would hold ``open`` itself.
    nonblocking = getattr(os, "O_NONBLOCK", 0)
    flags = os.O_RDONLY | nonblocking | getattr(os, "O_BINARY", 0)
    if not allow_special:
        _refuse_special(os.stat(name).st_mode)
    descriptor = os.open(name, flags)
    try:
        if not allow_special:
            _refuse_special(os.fstat(descriptor).st_mode)
        if nonblocking:
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as raw:
        # Peeked, not read: the gzip reader or the plain read starts at the first byte.
        head = raw.peek(2)[:2]
        if head == _GZIP_MAGIC:
            data = _gunzip(raw, max_bytes)
        elif name.lower().endswith(".gz") and head:
            raise ParseError(
                "the file is named .gz but is not gzip-compressed",
                1,
                1,
                code=DiagnosticCode.NOT_TEXT,
            )
        else:
            data = raw.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_long(data[:max_bytes], max_bytes)
    return data


def _gunzip(raw: BinaryIO, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes of the decompressed text: a bomb stops there."""
    try:
        with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
            data: bytes = stream.read(max_bytes + 1)
            return data
    except (OSError, EOFError, zlib.error) as error:
        raise ParseError(
            f"the file is not valid gzip ({error}): expected gzip-compressed page text",
            1,
            1,
            code=DiagnosticCode.NOT_TEXT,
        ) from None


def _refuse_special(mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kinds = (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    kind = next((what for test, what in kinds if test(mode)), "a special file")
    raise ParseError(
        f"the path is {kind}, not a regular file: pass allow_special=True to read it",
        1,
        1,
        code=DiagnosticCode.UNREADABLE,
    )


def _too_long(kept: bytes, max_bytes: int) -> ParseError:
    """The error for text past the limit, placed where the limit was crossed."""
    line = kept.count(b"\n") + 1
    column = len(kept) - (kept.rfind(b"\n") + 1) + 1
    return ParseError(
        f"the page text is longer than {max_bytes} bytes: pass a larger max_bytes to read it",
        line,
        column,
        code=DiagnosticCode.TOO_LARGE,
    )
