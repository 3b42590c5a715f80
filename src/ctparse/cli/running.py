"""What ``parse`` and ``tables`` share: checking PATHs, the progress bar, signals, running the
batch engine into two sinks, the closing summary, and the exit status of every way a run ends.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import BinaryIO, NoReturn

from ctparse.batch.inputs import items, total_bytes
from ctparse.batch.pool import cpu_count
from ctparse.batch.run import BatchRun, Summary
from ctparse.batch.sinks import OpenFailed, ReaderGone, Sink, WriteFailed
from ctparse.batch.spans import units

from .exits import EXIT_BROKEN_PIPE, EXIT_FAILED_PAGES, EXIT_OK, EXIT_WRITE_FAILED, interrupted
from .progress import Progress, count
from .streams import binary, say

__all__ = ["Outputs", "Usage", "check_inputs", "quiet_broken_pipe", "run_batch", "summary_line"]

Usage = Callable[[str], NoReturn]


class Outputs:
    """The two sinks of a run, made once the run starts (``make(progress)``), and where
    their errors are said to be (``errors_in``, for the summary)."""

    def __init__(self, make: Callable[[Progress], tuple[Sink, Sink]], errors_in: str | None):
        self.make = make
        self.errors_in = errors_in


class _Stopped(BaseException):
    """SIGTERM, turned into an exception so that temporary files are cleaned up (a
    BaseException, like KeyboardInterrupt, so that no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


def check_inputs(paths: list[str], usage: Usage) -> None:
    if paths.count("-") > 1:
        usage("standard input (-) can be read only once")
    for path in paths:
        if path != "-" and not os.path.exists(path):
            usage(f"no such file or directory: {path}")


def _kinds(summary: Summary) -> str:
    """Pages by kind: ``2 trial, 1 results, 1 not a page``."""
    names = {"trial": "trial", "results": "results", None: "not a page"}
    kinds = summary.kinds
    shown = [f"{kinds[kind]:,} {name}" for kind, name in names.items() if kinds[kind]]
    return f" ({', '.join(shown)})" if shown else ""


def summary_line(summary: Summary, errors_in: str | None, lenient: bool, elapsed: float) -> str:
    """The closing summary: counts (pages by kind), errors by code (and where), speed."""
    text = (
        f"ctparse: {count(summary.pages, 'page')} read{_kinds(summary)}, "
        f"{count(summary.records, 'record')} written, {count(summary.errors, 'error')}"
    )
    if summary.errors:
        codes = ", ".join(f"{number:,} {code}" for code, number in summary.codes.most_common())
        text += f" (in {errors_in}: {codes})" if errors_in else f" ({codes})"
    if lenient:
        text += f", {summary.diagnosed:,} with diagnostics"
    return text + f"; {summary.pages / max(elapsed, 1e-9):,.0f} pages/s ({elapsed:.1f} s)\n"


def quiet_broken_pipe(stream: BinaryIO | None = None) -> int:
    """The reader of ``stream`` (standard output by default; standard error too) went away:
    send what is still buffered for it nowhere (so that Python's own flush at exit does not
    complain) and end with the SIGPIPE status."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        descriptor = (stream or sys.stdout).fileno()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)
    return EXIT_BROKEN_PIPE


def run_batch(args: argparse.Namespace, outputs: Outputs, usage: Usage) -> int:
    """Run the batch engine over ``args.paths`` into the sinks ``outputs`` makes; returns the
    exit status (see ``exits``)."""
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
    sinks: list[Sink] = []

    def stop(what: str) -> None:
        """Say that the run stopped short, and which outputs were left as they were."""
        progress.clear()
        kept = ", ".join(path for sink in sinks for path in getattr(sink, "replaced", ()))
        # Only when putting the second file in place failed after the first was renamed.
        new = ", ".join(path for sink in sinks if (path := getattr(sink, "committed", None)))
        said = f"; {new} written in full" if new else ""
        if kept:
            lost = " (what this run wrote for it is lost)" if new else ""
            said += f"; {kept} left as before{lost}"
        say(stderr, f"ctparse: {what}{said}\n")

    try:
        records, errors = outputs.make(progress)
        sinks += (records, errors)
        jobs = args.jobs or cpu_count()
        # One process: it splits and reads each page as it goes, and holds no span's worth
        # of results (spans pay only where workers split them).
        work = units(args.paths, empty) if jobs > 1 else items(args.paths, empty)
        BatchRun(records, errors, summary=summary).run(
            work,
            jobs=jobs,
            lenient=args.lenient,
            on_page=progress.update,
        )
    except OpenFailed as failed:
        usage(f"cannot write {failed.target}: {failed.reason}")
    except (KeyboardInterrupt, _Stopped) as stopped:
        stop(f"interrupted after {count(summary.pages, 'page')}")
        return interrupted(stopped.signum if isinstance(stopped, _Stopped) else signal.SIGINT)
    except WriteFailed as failed:
        done = count(summary.pages, "page")
        stop(f"cannot write {failed.target} ({failed.reason}); stopped after {done}")
        return EXIT_WRITE_FAILED
    except ReaderGone as gone:
        # The reader of stdout or stderr went away (``| head``): stop quietly, as Unix
        # tools do.
        return quiet_broken_pipe(gone.stream)
    except BrokenPipeError:
        return quiet_broken_pipe()
    finally:
        signal.signal(signal.SIGTERM, previous)
    progress.clear()
    if not args.quiet:
        elapsed = time.monotonic() - start
        say(stderr, summary_line(summary, outputs.errors_in, args.lenient, elapsed))
    return EXIT_FAILED_PAGES if summary.errors else EXIT_OK
