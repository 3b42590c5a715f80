"""The standard streams of the command, which may be closed when it starts (``2>&-``,
``<&-``, ``>&-``).

A closed descriptor 0, 1 or 2 is first taken by ``/dev/null`` (``hold_closed``), so that no
file the command opens lands on it (and a stray write meant for the stream cannot reach an
output). The command still knows the stream as closed: ``binary`` gives a stand-in whose
writes fail like a broken device, so that a record meant for it is a failed write (exit 3),
while messages to a closed standard error are dropped (``say``): there is nowhere to put them.
"""

from __future__ import annotations

import contextlib
import errno
import os
from typing import BinaryIO, TextIO, cast

__all__ = ["binary", "hold_closed", "say"]


class ClosedStream:
    """Stands for a standard stream that was closed when the command started."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.closed = False

    def write(self, data: bytes) -> int:
        raise OSError(errno.EBADF, f"{self.name} is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def read(self, size: int = -1) -> bytes:
        raise OSError(errno.EBADF, f"{self.name} is closed")


def hold_closed() -> None:
    """Put ``/dev/null`` on each standard descriptor that is closed (in order, so that
    each lands on its own number)."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            held = os.open(os.devnull, os.O_RDWR)
            if held != descriptor:
                os.dup2(held, descriptor)
                os.close(held)


def binary(stream: TextIO | None, name: str) -> BinaryIO:
    """The bytes of a standard stream, or a ``ClosedStream`` when it was closed."""
    if stream is None:
        return cast(BinaryIO, ClosedStream(name))
    return stream.buffer


def say(stream: BinaryIO, message: str) -> None:
    """A message to standard error; dropped when it is closed or fails (nowhere to say so)."""
    with contextlib.suppress(OSError):
        stream.write(message.encode("utf-8", "replace"))
        stream.flush()
