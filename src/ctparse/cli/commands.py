"""The commands: ``parse`` (through the batch engine), ``render`` and ``schema``.

Each takes the parsed arguments and a ``usage`` function that exits with status 2, and
returns the exit status.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import BinaryIO, Literal, NoReturn

import attrs

from ctparse.batch.inputs import Item, items, total_bytes
from ctparse.batch.pool import cpu_count
from ctparse.batch.run import BatchRun, Summary
from ctparse.batch.sinks import (
    AtomicFile,
    ErrorSink,
    JsonSink,
    OpenFailed,
    ReaderGone,
    WriteFailed,
)
from ctparse.batch.walk import clash
from ctparse.formats.json import from_dict
from ctparse.formats.schema import error_schema, record_schema
from ctparse.model import Trial
from ctparse.pages.trial.render import render

from .exits import EXIT_FAILED_PAGES, EXIT_OK, EXIT_WRITE_FAILED, interrupted
from .progress import Progress
from .streams import binary, say

__all__ = ["parse_command", "render_command", "schema_command"]

Usage = Callable[[str], NoReturn]


# ---------------------------------------------------------------- schema


def schema_command(args: argparse.Namespace) -> int:
    schema = error_schema() if args.error else record_schema()
    sys.stdout.write(json.dumps(schema, indent=2) + "\n")
    return EXIT_OK


# ---------------------------------------------------------------- parse


class _Stopped(BaseException):
    """SIGTERM, turned into an exception so that temporary files are cleaned up (a
    BaseException, like KeyboardInterrupt, so that no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


def _check_paths(args: argparse.Namespace, output: str | None, usage: Usage) -> None:
    paths: list[str] = args.paths
    if paths.count("-") > 1:
        usage("standard input (-) can be read only once")
    for path in paths:
        if path != "-" and not os.path.exists(path):
            usage(f"no such file or directory: {path}")
    for target in (path for path in (output, args.errors) if path is not None):
        if os.path.isdir(target):
            usage(f"{target} is a directory")
        destroys = clash(paths, target)
        if destroys is not None:
            usage(f"{destroys}: refusing to overwrite it")
        if not os.path.isdir(os.path.dirname(os.path.abspath(target))):
            usage(f"cannot write {target}: its directory does not exist")
    if (
        output
        and args.errors
        and os.path.realpath(output) == os.path.realpath(args.errors)
        and (os.path.isfile(output) or not os.path.exists(output))
    ):
        usage("OUT and ERRFILE must be different files")


def _form(
    args: argparse.Namespace, output: str | None, pages: Iterator[Item]
) -> tuple[str, Iterator[Item]]:
    """The shape of the output, and the pages (with any looked at ahead put back): one page
    in, to standard output and no ``--format``, is that record alone, pretty-printed."""
    if args.format:
        return args.format, pages
    if output is not None:
        return "jsonl", pages
    ahead = list(itertools.islice(pages, 2))
    return ("pretty" if len(ahead) == 1 else "jsonl"), itertools.chain(ahead, pages)


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


def summary_line(summary: Summary, errfile: str | None, lenient: bool, elapsed: float) -> str:
    """The closing summary: counts, errors by code (and where they are), speed."""
    text = (
        f"ctparse: {_count(summary.pages, 'page')} read, "
        f"{_count(summary.records, 'record')} written, {_count(summary.errors, 'error')}"
    )
    if summary.errors:
        codes = ", ".join(f"{count:,} {code}" for code, count in summary.codes.most_common())
        text += f" (in {errfile}: {codes})" if errfile else f" ({codes})"
    if lenient:
        text += f", {summary.diagnosed} with diagnostics"
    return text + f"; {summary.pages / max(elapsed, 1e-9):,.0f} pages/s ({elapsed:.1f} s)\n"


def parse_command(args: argparse.Namespace, usage: Usage) -> int:
    output = args.output if args.output not in (None, "-") else None
    _check_paths(args, output, usage)
    stderr = binary(sys.stderr, "standard error")
    if sys.stderr is not None:
        sys.stderr.flush()
    if "-" in args.paths and sys.stdin is not None and sys.stdin.isatty():
        say(stderr, "ctparse: reading pages from the terminal; end with Ctrl-D\n")
    show_progress = not args.quiet and stderr.isatty()
    progress = Progress(stderr, show_progress, total_bytes(args.paths) if show_progress else None)

    def empty(directory: str) -> None:
        # Most likely a wrong path or suffix: say so rather than report 0 pages silently.
        if not args.quiet:
            progress.clear()
            say(stderr, f"ctparse: no *.txt, *.text or *.txt.gz files under {directory}\n")

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    start = time.monotonic()
    summary = Summary()
    outputs: list[JsonSink | ErrorSink] = []

    def stop(what: str) -> None:
        """Say that the run stopped short, and which outputs were left as they were."""
        progress.clear()
        kept = ", ".join(path for sink in outputs for path in sink.replaced)
        # Only when putting the second file in place failed after the first was renamed.
        new = ", ".join(sink.committed for sink in outputs if sink.committed is not None)
        said = f"; {new} written in full" if new else ""
        if kept:
            lost = " (what this run wrote for it is lost)" if new else ""
            said += f"; {kept} left as before{lost}"
        say(stderr, f"ctparse: {what}{said}\n")

    try:
        # Inside: reading the first pages (to choose the output's shape) may be interrupted.
        form, pages = _form(args, output, items(args.paths, empty))
        stdout = binary(sys.stdout, "standard output")
        records = JsonSink(output, stdout, form=form, to=args.to, lenient=args.lenient)
        errors = ErrorSink(args.errors, stderr, before_write=progress.clear)
        outputs += (records, errors)
        BatchRun(records, errors, summary=summary).run(
            pages, jobs=args.jobs or cpu_count(), lenient=args.lenient, on_page=progress.update
        )
    except OpenFailed as failed:
        usage(f"cannot write {failed.target}: {failed.reason}")
    except (KeyboardInterrupt, _Stopped) as stopped:
        stop(f"interrupted after {_count(summary.pages, 'page')}")
        return interrupted(stopped.signum if isinstance(stopped, _Stopped) else signal.SIGINT)
    except WriteFailed as failed:
        done = _count(summary.pages, "page")
        stop(f"cannot write {failed.target} ({failed.reason}); stopped after {done}")
        return EXIT_WRITE_FAILED
    except ReaderGone as gone:
        # The reader of stdout or stderr went away (``| head``): stop quietly. What is
        # still buffered for it must not fail again when Python exits.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, gone.stream.fileno())
        return EXIT_FAILED_PAGES
    finally:
        signal.signal(signal.SIGTERM, previous)
    progress.clear()
    if not args.quiet:
        elapsed = time.monotonic() - start
        say(stderr, summary_line(summary, args.errors, args.lenient, elapsed))
    return EXIT_FAILED_PAGES if summary.errors else EXIT_OK


# ---------------------------------------------------------------- render


_TRIAL_KEYS = frozenset(field.name for field in attrs.fields(Trial))


def _documents(handle: BinaryIO, file: str) -> Iterator[tuple[int, bytes]]:
    """The JSON documents of FILE with their line numbers, read as a stream: JSON Lines (a
    ``.jsonl`` file, or one whose first line is a whole JSON document) one line at a time, or
    else the whole file as one Trial (pretty-printed JSON)."""
    lines = enumerate(handle, 1)
    found = next(((n, line) for n, line in lines if line.strip()), None)
    if found is None:
        return
    number, first = found
    if file.endswith(".jsonl") or _whole_json(first):
        yield number, first
        yield from ((n, line) for n, line in lines if line.strip())
    else:
        yield number, first + b"".join(line for _, line in lines)


def _whole_json(line: bytes) -> bool:
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


def _text_of(document: bytes) -> str:
    try:
        return document.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = document.rfind(b"\n", 0, error.start) + 1
        raise ValueError(
            f"not UTF-8 text: byte 0x{document[error.start]:02x} at column "
            f"{error.start - line_start + 1}"
        ) from None


def _page_of(document: bytes, layout: Literal["bare", "labelled"]) -> str:
    data = json.loads(_text_of(document))
    data.pop("source", None)
    missing = _TRIAL_KEYS - set(data)
    if missing:
        raise ValueError(f"no {', '.join(sorted(missing))}")
    return render(from_dict(data), layout)


def render_command(args: argparse.Namespace, usage: Usage) -> int:
    """Page text for each Trial in FILE, written as it is made; a record that is no Trial
    (bad JSON, not UTF-8, not a Trial) is reported, not fatal."""
    try:
        handle = open(args.file, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        usage(f"cannot read {args.file}: {error.strerror or error}")
    stderr = binary(sys.stderr, "standard error")
    output: AtomicFile | None = None
    failed = 0
    try:
        with handle:
            if args.output and args.output != "-":
                output = AtomicFile(args.output)
                stream = output.stream
            else:
                stream = binary(sys.stdout, "standard output")
            for number, document in _documents(handle, args.file):
                try:
                    page = _page_of(document, args.layout)
                except Exception as error:  # a bad record costs that record, not the run
                    failed += 1
                    say(
                        stderr,
                        f"ctparse render: {args.file}:{number}: not a Trial record: "
                        f"{type(error).__name__}: {error}\n",
                    )
                    continue
                stream.write(page.encode("utf-8") + b"\n")
                if output is None:
                    stream.flush()  # a reader of stdout gets each page as it is made
            if output is not None:
                output.commit()
            else:
                stream.flush()
    except (OSError, WriteFailed) as error:
        if output is not None:
            output.discard()
        reason = error.reason if isinstance(error, WriteFailed) else error.strerror or error
        usage(f"cannot write the output: {reason}")
    return EXIT_FAILED_PAGES if failed else EXIT_OK
