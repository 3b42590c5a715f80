"""The ``render`` command: page text back from what ``parse`` writes, of either kind.

Reads a JSON document (a record, or a ``--format json`` array of records) or JSON Lines, from
a file or standard input (``-``). A record is a page's keys (with or without the ``kind`` and
``source`` of command output) or an API v2 study record (``--to ctgov`` output: its
``resultsSection``, when it has one, makes it a results page).
"""

from __future__ import annotations

import argparse
import errno
import sys
from collections.abc import Iterator, Mapping
from typing import Any, BinaryIO, Literal

from ctparse.batch.sinks import AtomicFile, WriteFailed
from ctparse.formats import deepjson
from ctparse.formats.ctgov import from_ctgov
from ctparse.formats.ctgov_results import results_from_ctgov
from ctparse.formats.json import record_from_dict
from ctparse.model import Results, Trial
from ctparse.pages.dispatch import render

from .exits import EXIT_FAILED_PAGES, EXIT_OK
from .running import Usage, quiet_broken_pipe
from .streams import binary, say

__all__ = ["documents", "record_of", "render_command", "stream_documents"]

# Keys of ``--to ctgov`` output beside the study record's own.
_CTGOV_EXTRAS = ("kind", "source", "diagnostics")


def documents(content: str) -> Iterator[tuple[int, Any]]:
    """Each record of ``content`` with the line it starts on: one JSON document (a record,
    or an array of them), else JSON Lines. Raises ``ValueError`` for a line that is no JSON
    (caught per record by the caller)."""
    try:
        whole = deepjson.loads(content)
    except ValueError:
        whole = None
    else:
        if isinstance(whole, list):
            yield from _array_lines(content, whole)
            return
        yield content[: len(content) - len(content.lstrip())].count("\n") + 1, whole
        return
    for number, line in enumerate(content.split("\n"), 1):
        if line.strip():
            try:
                yield number, deepjson.loads(line)
            except ValueError as error:
                yield number, error


def _array_lines(content: str, items: list[Any]) -> Iterator[tuple[int, Any]]:
    # ``--format json`` writes one record a line; other arrays count from their first line.
    lines = [n for n, line in enumerate(content.split("\n"), 1) if line.lstrip().startswith("{")]
    for index, item in enumerate(items):
        yield (lines[index] if len(lines) == len(items) else 1), item


def record_of(data: Any) -> Trial | Results:
    """The Trial or Results of one record of ``parse`` output (either shape)."""
    if isinstance(data, ValueError):
        raise data
    if isinstance(data, Mapping) and "protocolSection" in data:
        study = {key: value for key, value in data.items() if key not in _CTGOV_EXTRAS}
        if "resultsSection" in study:
            results = results_from_ctgov(study)
            assert results is not None
            return results
        return from_ctgov(study)
    return record_from_dict(data)


def _record_line(line: bytes) -> Any:
    """One line of JSON Lines: its JSON, or the ``ValueError`` saying why it is none (bytes
    that are not UTF-8 included)."""
    try:
        return deepjson.loads(line.decode("utf-8"))
    except UnicodeDecodeError as error:
        byte = line[error.start]
        return ValueError(f"not UTF-8 text: byte 0x{byte:02x} at column {error.start + 1}")
    except ValueError as error:
        return error


def stream_documents(handle: BinaryIO) -> Iterator[tuple[int, Any]]:
    """``documents`` read as a stream: when the first line is a whole record, the input is
    JSON Lines and is read one line at a time; otherwise (one pretty-printed record, a
    ``--format json`` array) it is read whole and given to ``documents``."""
    lines = enumerate(handle, 1)
    found = next(((n, line) for n, line in lines if line.strip()), None)
    if found is None:
        return
    number, first = found
    head = _record_line(first)
    if isinstance(head, Mapping):
        yield number, head
        yield from ((n, _record_line(line)) for n, line in lines if line.strip())
        return
    whole = first + b"".join(line for _, line in lines)
    try:
        content = whole.decode("utf-8")
    except UnicodeDecodeError as error:
        yield number, ValueError(f"not UTF-8 text: byte 0x{whole[error.start]:02x}")
        return
    yield from ((n + number - 1, document) for n, document in documents(content))


def render_command(args: argparse.Namespace, usage: Usage) -> int:
    """Page text for each record in FILE, written as it is made; a record that is no page
    (not UTF-8, not JSON, no page) is reported, not fatal."""
    name = "<stdin>" if args.file == "-" else args.file
    try:
        if args.file == "-":
            if sys.stdin is None:
                raise OSError(errno.EBADF, "standard input is closed")
            handle: BinaryIO = sys.stdin.buffer
        else:
            handle = open(args.file, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        usage(f"cannot read {name}: {error.strerror or error}")
    layout: Literal["bare", "labelled"] = args.layout
    stderr = binary(sys.stderr, "standard error")
    output: AtomicFile | None = None
    failed = 0
    try:
        if args.output and args.output != "-":
            output = AtomicFile(args.output)
            stream = output.stream
        else:
            stream = binary(sys.stdout, "standard output")
        for number, document in stream_documents(handle):
            try:
                page = render(record_of(document), layout)
            except Exception as error:  # a bad record costs that record, not the run
                failed += 1
                message = " ".join(str(error).split())
                say(stderr, f"{name}:{number}:1: not_a_record: {message}\n")
                continue
            stream.write(page.encode("utf-8") + b"\n")
            if output is None:
                stream.flush()  # a reader of stdout gets each page as it is made
        if output is not None:
            output.commit()
    except BrokenPipeError:
        return quiet_broken_pipe()
    except (OSError, WriteFailed) as error:
        if output is not None:
            output.discard()
        reason = error.reason if isinstance(error, WriteFailed) else error.strerror or error
        usage(f"cannot write the output: {reason}")
    finally:
        if args.file != "-":
            handle.close()
    return EXIT_FAILED_PAGES if failed else EXIT_OK
