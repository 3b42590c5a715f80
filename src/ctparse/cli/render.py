"""The ``render`` command: page text back from what ``parse`` writes, of either kind.

Reads a JSON document (a record, or a ``--format json`` array of records) or JSON Lines, from
a file or standard input (``-``). A record is a page's keys (with or without the ``kind`` and
``source`` of command output) or an API v2 study record (``--to ctgov`` output: its
``resultsSection``, when it has one, makes it a results page).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Literal

from ctparse.batch.sinks import AtomicFile, WriteFailed
from ctparse.formats import deepjson
from ctparse.formats.ctgov import from_ctgov
from ctparse.formats.ctgov_results import results_from_ctgov
from ctparse.formats.json import record_from_dict
from ctparse.model import Results, Trial
from ctparse.pages.dispatch import render

from .exits import EXIT_FAILED_PAGES, EXIT_OK
from .running import Usage, quiet_broken_pipe

__all__ = ["documents", "record_of", "render_command"]

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


def render_command(args: argparse.Namespace, usage: Usage) -> int:
    """Page text for each record in FILE; a record that is no page is reported, not fatal."""
    name = "<stdin>" if args.file == "-" else args.file
    try:
        if args.file == "-":
            content = sys.stdin.buffer.read().decode("utf-8")
        else:
            with open(args.file, encoding="utf-8") as handle:
                content = handle.read()
    except (OSError, UnicodeDecodeError) as error:
        usage(f"cannot read {name}: {error}")
    layout: Literal["bare", "labelled"] = args.layout
    pages: list[str] = []
    failed = 0
    for number, document in documents(content):
        try:
            pages.append(render(record_of(document), layout))
        except Exception as error:  # a bad record costs that record, not the run
            failed += 1
            message = " ".join(str(error).split())
            sys.stderr.write(f"{name}:{number}:1: not_a_record: {message}\n")
    text = "\n".join(pages) + ("\n" if pages else "")
    try:
        if args.output and args.output != "-":
            output = AtomicFile(args.output)
            output.stream.write(text.encode("utf-8"))
            output.commit()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except BrokenPipeError:
        return quiet_broken_pipe()
    except OSError as error:
        usage(f"cannot write the output: {error}")
    except WriteFailed as error:
        usage(f"cannot write the output: {error.reason}")
    return EXIT_FAILED_PAGES if failed else EXIT_OK
