"""Outputs of a batch run: sinks, and the atomic files they write.

A sink takes the records of a run in input order. Its ``encoder`` runs in the worker processes
and turns a ``PageRecord`` into what ``write`` takes in the parent (a finished JSON line as
bytes, for the JSON sinks), so that the parent does little more than write. Files are written
under a temporary name beside their target and renamed on ``commit``: the named file is only
ever the previous one or the finished one.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, Protocol

from ctparse.batch.records import PageRecord, page_of
from ctparse.formats import deepjson
from ctparse.formats.json import to_dict

__all__ = [
    "AtomicFile",
    "ErrorSink",
    "JsonSink",
    "OpenFailed",
    "ReaderGone",
    "Sink",
    "Target",
    "WriteFailed",
    "encode_error",
    "encode_error_line",
    "encode_record",
]

# Shapes of the JSON sink's output.
FORMS = ("jsonl", "json")
# Shapes of one record: the page's own keys, or an API v2 study record.
SHAPES = ("page", "ctgov")
# Shapes of the error sink's output: JSON Lines, or lines as a compiler writes them.
ERROR_FORMS = ("jsonl", "text")


class Sink(Protocol):
    """Where the records of a run go. ``open``, then ``write`` for each encoded record in
    input order, then ``commit`` (or ``abort`` if the run stops short)."""

    def encoder(self) -> Callable[[PageRecord], Any]:
        """A picklable function (module-level, or a ``functools.partial`` of one) run in the
        workers: turns a record into what ``write`` takes."""
        ...

    def open(self) -> None:
        """Create the temporary outputs."""
        ...

    def write(self, encoded: Any) -> None:
        """Take one encoded record (in the parent, in input order)."""
        ...

    def commit(self) -> None:
        """Put every output in place at once. A sink may also have ``prepare()``: write out
        everything (the step that fails on a full disk) so that ``commit`` has only to put
        it in place; a run calls it on every sink that has it before any ``commit``."""
        ...

    def abort(self) -> None:
        """Remove the temporaries; leave the outputs as they were."""
        ...


class WriteFailed(Exception):
    """Writing an output failed (a full disk, a file size limit, a device error)."""

    def __init__(self, target: str, error: OSError) -> None:
        super().__init__(target, error)
        self.target = target
        self.reason = error.strerror or str(error)


class OpenFailed(WriteFailed):
    """An output could not be created at all."""


class ReaderGone(Exception):
    """The reader of an output stream went away (a closed pipe: ``| head``). Not a failed
    write: the run stops, and the caller decides what that means (``target`` names the
    stream, ``stream`` is it)."""

    def __init__(self, target: str, stream: BinaryIO) -> None:
        super().__init__(target)
        self.target = target
        self.stream = stream


class Target:
    """An output stream that names itself when a write to it fails."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream = stream
        self.name = name

    def write(self, data: bytes) -> None:
        # Once a page: what ``_named`` does, without a context manager's cost.
        try:
            self.stream.write(data)
        except BrokenPipeError as error:
            raise ReaderGone(self.name, self.stream) from error
        except OSError as error:
            raise WriteFailed(self.name, error) from error

    def flush(self) -> None:
        with self._named():
            self.stream.flush()

    @contextlib.contextmanager
    def _named(self) -> Iterator[None]:
        try:
            yield
        except BrokenPipeError as error:
            raise ReaderGone(self.name, self.stream) from error
        except OSError as error:
            raise WriteFailed(self.name, error) from error


class AtomicFile:
    """A file written under a temporary name in its directory and renamed when complete.

    A path that exists and is no regular file (``/dev/null``, a named pipe) is written
    directly: renaming over it would replace the device or pipe itself. A symbolic link is
    followed: the file it leads to is replaced (beside it), and the link stays. A file without
    write permission is refused (``PermissionError``), not replaced: its mode says to keep it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._temporary: str | None = None
        if os.path.exists(path) and not os.path.isfile(path):
            self.stream: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by commit/discard
            return
        # Renamed over the link's target, not over the link (which would become a file).
        self._final = os.path.realpath(path)
        if os.path.isfile(self._final) and not os.stat(self._final).st_mode & 0o222:
            raise PermissionError(errno.EACCES, "the file is read-only", path)
        directory = os.path.dirname(self._final)
        descriptor, self._temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(self._final)}.", suffix=".tmp", dir=directory
        )
        self.stream = os.fdopen(descriptor, "wb")

    @property
    def replaces(self) -> bool:
        """Whether the file is written aside and renamed (not a device or pipe)."""
        return self._temporary is not None

    @property
    def target(self) -> Target:
        return Target(self.stream, self.path)

    def prepare(self) -> None:
        """Write everything to disk (flush, fsync, close): what fails on a full disk."""
        if self.stream.closed:
            return
        try:
            self.stream.flush()
            if self._temporary is not None:
                os.fsync(self.stream.fileno())
            self.stream.close()
        except OSError as error:
            raise WriteFailed(self.path, error) from error

    def commit(self) -> None:
        self.prepare()
        try:
            self._put_in_place()
        except OSError as error:
            raise WriteFailed(self.path, error) from error

    def _put_in_place(self) -> None:
        if self._temporary is None:
            return
        # mkstemp makes the file private; give it the mode a plainly created file would have.
        try:
            mode = os.stat(self._final).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self._temporary, mode)
        os.replace(self._temporary, self._final)
        self._temporary = None

    def discard(self) -> None:
        # Closing flushes what is buffered, which fails again on a full disk: the file goes
        # anyway.
        with contextlib.suppress(OSError):
            self.stream.close()
        if self._temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)


class _StreamSink:
    """A sink that writes bytes to a file (atomically) or to a given stream."""

    def __init__(self, path: str | None, stream: BinaryIO, name: str) -> None:
        self.path = path
        self._stream = stream
        self._name = name
        self._file: AtomicFile | None = None
        self._target = Target(stream, name)
        self._prepared = False
        # The file this sink put in place, once ``commit`` has renamed it.
        self.committed: str | None = None

    @property
    def replaced(self) -> tuple[str, ...]:
        """The files this sink writes aside and renames and has not yet renamed (left as
        before on ``abort``)."""
        if self._file is None or not self._file.replaces or self.committed is not None:
            return ()
        return (self._file.path,)

    def open(self) -> None:
        if self.path is None:
            return
        try:
            self._file = AtomicFile(self.path)
        except OSError as error:
            raise OpenFailed(self.path, error) from error
        self._target = self._file.target

    def prepare(self) -> None:
        if self._prepared:
            return
        self._close()
        self._prepared = True
        if self._file is not None:
            self._file.prepare()
        else:
            self._target.flush()

    def commit(self) -> None:
        self.prepare()
        if self._file is not None:
            self._file.commit()
            self.committed = self._file.path

    def _close(self) -> None:
        """Write what ends the output."""

    def abort(self) -> None:
        if self._file is not None:
            self._file.discard()


class JsonSink(_StreamSink):
    """Records as JSON Lines (``jsonl``) or as one JSON array (``json``), each with its
    ``kind`` and ``source`` whatever the number of pages. ``to`` is the shape of a record:
    the page's keys (``page``) or an API v2 study record (``ctgov``; with the diagnostics
    beside it when ``lenient``)."""

    def __init__(
        self,
        path: str | None,
        stream: BinaryIO,
        *,
        form: str = "jsonl",
        to: str = "page",
        lenient: bool = False,
        name: str = "standard output",
    ) -> None:
        if form not in FORMS or to not in SHAPES:
            raise ValueError(f"form must be one of {FORMS}, to one of {SHAPES}")
        super().__init__(path, stream, name)
        self._form = form
        self._to = to
        self._lenient = lenient
        self.written = 0

    def encoder(self) -> Callable[[PageRecord], bytes]:
        return functools.partial(encode_record, to=self._to, lenient=self._lenient)

    def open(self) -> None:
        super().open()
        if self._form == "json":
            self._target.write(b"[")

    def write(self, encoded: bytes) -> None:
        if self._form == "json":
            self._target.write(b"\n" if not self.written else b",\n")
            self._target.write(encoded)
        else:
            self._target.write(encoded + b"\n")
        self.written += 1

    def _close(self) -> None:
        if self._form == "json":
            self._target.write(b"\n]\n" if self.written else b"]\n")


class ErrorSink(_StreamSink):
    """Error records to a file or to a stream (standard error), as JSON Lines (``jsonl``) or
    as a compiler's messages (``text``: ``path:line:column: code: message``). On a stream,
    each record is flushed at once, after ``before_write`` (which clears a progress bar)."""

    def __init__(
        self,
        path: str | None,
        stream: BinaryIO,
        *,
        form: str = "jsonl",
        before_write: Callable[[], None] | None = None,
        name: str = "standard error",
    ) -> None:
        if form not in ERROR_FORMS:
            raise ValueError(f"form must be one of {ERROR_FORMS}")
        super().__init__(path, stream, name)
        self._form = form
        self._before_write = before_write

    def encoder(self) -> Callable[[PageRecord], bytes]:
        return encode_error if self._form == "jsonl" else encode_error_line

    def write(self, encoded: bytes) -> None:
        if self.path is not None:
            self._target.write(encoded + b"\n")
            return
        if self._before_write is not None:
            self._before_write()
        self._target.write(encoded + b"\n")
        self._target.flush()


# One encoder for every record (``json.dumps`` makes one a call): the same text as
# ``deepjson.dumps(value, separators=(",", ":"))``.
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def _compact(value: Any) -> bytes:
    try:
        text = _ENCODER.encode(value)
    except RecursionError:  # a criteria tree too deep for the standard encoder
        text = deepjson.dumps_looped(value, separators=(",", ":"))
    return text.encode("utf-8")


def _source(record: PageRecord) -> dict[str, Any]:
    return {"path": record.source.path, "line": record.source.line}


def encode_record(record: PageRecord, *, to: str, lenient: bool) -> bytes:
    """A record as one line of JSON: ``kind`` and ``source`` beside the page's keys (a Trial's
    or a Results'), or beside an API v2 study record's (``to="ctgov"``)."""
    page = page_of(record)
    if to == "ctgov":
        from ctparse.formats.ctgov_results import to_ctgov  # loaded for ``--to ctgov`` only

        body = to_ctgov(page)
        if lenient:
            body["diagnostics"] = to_dict(page)["diagnostics"]
    else:
        body = to_dict(page)
    return _compact({"kind": record.kind, "source": _source(record), **body})


def encode_error(record: PageRecord) -> bytes:
    """An error record as one line of JSON: kind, source, line, column, code, message."""
    error = record.error
    assert error is not None
    return _compact(
        {
            "kind": record.kind,
            "source": _source(record),
            "line": error.line,
            "column": error.column,
            "code": error.code,
            "message": error.message,
        }
    )


def encode_error_line(record: PageRecord) -> bytes:
    """An error record as a compiler writes one: ``path:line:column: code: message``."""
    error = record.error
    assert error is not None
    message = " ".join(error.message.split())  # one line, whatever the message holds
    return f"{record.source.path}:{error.line}:{error.column}: {error.code}: {message}".encode(
        "utf-8", "replace"
    )
