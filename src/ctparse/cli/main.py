"""The ``ctparse`` command: pages in (files, directories, dumps, standard input), JSON out.

The parent process reads and splits the input and writes every result in input order;
workers only turn page bytes into a finished JSON line (a record or an error record). Work in
flight is bounded, so memory does not grow with the number of pages.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import json
import multiprocessing
import os
import signal
import sys
import tempfile
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.context import BaseContext
from types import FrameType
from typing import Any, BinaryIO, NamedTuple, NoReturn

import attrs

from ctparse import __version__
from ctparse.batch.splitter import Page, decode_page, page_files, read_pages
from ctparse.errors import ParseError
from ctparse.formats.ctgov import to_ctgov
from ctparse.formats.json import from_dict, to_dict
from ctparse.formats.schema import error_schema, record_schema
from ctparse.model import Trial
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.trial.reader import parse
from ctparse.pages.trial.render import render

__all__ = ["Outcome", "main", "parse_page"]

EXIT_OK = 0
EXIT_FAILED_PAGES = 1
EXIT_USAGE = 2
EXIT_WRITE_FAILED = 3

# Pages handed to a worker at a time, and how many such chunks each worker may have queued.
_CHUNK_PAGES = 32
_CHUNK_BYTES = 1 << 20
_CHUNKS_PER_WORKER = 4

_PARSE_EXAMPLES = """\
examples:
  ctparse parse NCT05001971.txt                  one page: its Trial as pretty JSON
  ctparse parse pages/ -o trials.jsonl           a directory tree to JSON Lines
  ctparse parse dump.txt.gz -o trials.jsonl --errors errors.jsonl -j 0
  cat dump.txt | ctparse parse - > trials.jsonl  standard input
  ctparse parse pages/ --lenient -o trials.jsonl partial Trials with diagnostics

Directories are walked for *.txt, *.text and *.txt.gz. A file may hold many pages back
to back; each page becomes one record. Records are written in input order, whatever -j.
OUT and ERRFILE are written under a temporary name and renamed when the run ends; an
interrupted run leaves them as they were.

exit status: 0 every page became a Trial, 1 some pages failed (the rest are written),
2 usage error, 130 interrupted.
"""

_MAIN_EXAMPLES = """\
examples:
  ctparse parse pages/ -o trials.jsonl --errors errors.jsonl
  ctparse schema > record.schema.json
  ctparse parse --help
"""


class Outcome(NamedTuple):
    """What became of one page: a record, or an error record, as one line of JSON."""

    ok: bool
    json: str
    diagnostics: int = 0


# ---------------------------------------------------------------- one page


def parse_page(page: Page, lenient: bool, to: str = "trial") -> Outcome:
    """Turn one page into its record or its error record; never raises.

    ``to`` is the shape of a record: ``trial`` (the Trial's keys) or ``ctgov`` (an API v2
    study record, with the diagnostics beside it in lenient mode).

    Line numbers in the output (``source.line``, an error's ``line``, the diagnostics'
    ``line``) are lines of the file named by ``source.path``.
    """
    source = {"path": page.path, "line": page.line}
    if page.error is not None:
        return _error(source, page.line, 1, page.error)
    try:
        text, cut_line = decode_page(page)
        trial = parse(text, lenient=lenient)
        record: dict[str, Any] = {"source": source, **to_dict(trial)}
        diagnostics: list[dict[str, Any]] = record["diagnostics"]
        if to == "ctgov":
            record = {"source": source, **to_ctgov(trial)}
            if lenient:
                record["diagnostics"] = diagnostics
        if lenient and cut_line is not None:
            diagnostics.append(
                {
                    "line": cut_line,
                    "column": 1,
                    "code": DiagnosticCode.CUT_CHARACTER.value,
                    "section": None,
                    "message": "the page is cut off inside a multi-byte character; "
                    "the incomplete character is dropped",
                }
            )
        for diagnostic in diagnostics:
            diagnostic["line"] += page.line - 1
        return Outcome(True, _compact(record), len(diagnostics))
    except ParseError as error:
        # A page glued to the end of the page before it starts inside its first line.
        column = error.column + (page.column - 1 if error.line == 1 else 0)
        return _error(source, page.line + error.line - 1, column, error.reason)
    except Exception as error:
        # A fault in the parser must cost one page, not the run.
        return _error(
            source,
            page.line,
            1,
            f"internal error while reading this page ({type(error).__name__}: {error}); "
            "please report it with the page",
        )


def _error(source: dict[str, Any], line: int, column: int, message: str) -> Outcome:
    return Outcome(
        False, _compact({"source": source, "line": line, "column": column, "message": message})
    )


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _parse_chunk(pages: list[Page], lenient: bool, to: str = "trial") -> list[Outcome]:
    return [parse_page(page, lenient, to) for page in pages]


# ---------------------------------------------------------------- many pages


class _Item(NamedTuple):
    page: Page
    # Bytes of all input read when the page was complete (for the progress bar).
    position: int


Work = Callable[[list[Page], bool], list[Outcome]]


def _outcomes(
    items: Iterable[_Item],
    jobs: int,
    lenient: bool,
    *,
    work: Work = _parse_chunk,
    context: BaseContext | None = None,
    to: str = "trial",
) -> Generator[tuple[_Item, Outcome], None, None]:
    """Each item with its outcome, in input order."""
    if jobs <= 1:
        for item in items:
            yield item, parse_page(item.page, lenient, to)
        return
    if to != "trial":
        # The worker gets the shape bound in: ``work`` keeps its two arguments.
        work = functools.partial(_parse_chunk, to=to) if work is _parse_chunk else work
    pool = _Pool(jobs, lenient, work, context or _context())
    window: deque[tuple[list[_Item], Future[list[Outcome]]]] = deque()
    try:
        for chunk in _chunks(items):
            window.append((chunk, pool.submit(chunk)))
            # Bounded read-ahead: at most a few chunks per worker are held at a time.
            if len(window) >= jobs * _CHUNKS_PER_WORKER:
                yield from pool.collect(window)
        while window:
            yield from pool.collect(window)
    finally:
        pool.shutdown()


def _chunks(items: Iterable[_Item]) -> Iterator[list[_Item]]:
    chunk: list[_Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.page.data)
        if len(chunk) >= _CHUNK_PAGES or size >= _CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


class _Pool:
    """Worker processes that survive a worker's death: the pages it held are parsed again one
    at a time, and a page that kills a worker on its own becomes an error record."""

    def __init__(self, jobs: int, lenient: bool, work: Work, context: BaseContext) -> None:
        self._jobs = jobs
        self._lenient = lenient
        self._work = work
        self._context = context
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self._jobs, mp_context=self._context, initializer=_worker_init
        )

    def _restart(self) -> None:
        # A broken pool is not waited for: its bookkeeping thread can hang on the dead
        # worker's pipe (CPython 3.11), and its work is sent again anyway. Its live workers
        # are stopped: one blocked writing a result that nobody reads any more would keep
        # the process from exiting, as Python joins every pool at exit. (There is no public
        # way to reach them before Python 3.14's ``terminate_workers``.)
        old = self._executor
        workers = list((getattr(old, "_processes", None) or {}).values())
        old.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            if worker.is_alive():
                worker.terminate()
        self._executor = self._start()

    def submit(self, chunk: list[_Item]) -> Future[list[Outcome]]:
        pages = [item.page for item in chunk]
        try:
            return self._executor.submit(self._work, pages, self._lenient)
        except BrokenProcessPool:
            self._restart()
            return self._executor.submit(self._work, pages, self._lenient)

    def collect(
        self, window: deque[tuple[list[_Item], Future[list[Outcome]]]]
    ) -> list[tuple[_Item, Outcome]]:
        """The outcomes of the oldest chunk in flight."""
        chunk, future = window.popleft()
        try:
            return list(zip(chunk, future.result(), strict=True))
        except BrokenProcessPool:
            pass
        self._restart()
        done = [(item, self._alone(item)) for item in chunk]
        # The chunks still in flight went down with the pool: send them again.
        for index, (other, other_future) in enumerate(window):
            if not other_future.done() or other_future.exception() is not None:
                window[index] = (other, self.submit(other))
        return done

    def _alone(self, item: _Item) -> Outcome:
        try:
            return self._executor.submit(self._work, [item.page], self._lenient).result()[0]
        except BrokenProcessPool:
            self._restart()
            page = item.page
            return _error(
                {"path": page.path, "line": page.line},
                page.line,
                1,
                "internal error: the worker process died while reading this page; "
                "please report it with the page",
            )

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)


def _abandon(files: list[_Output], progress: _Progress, stderr: BinaryIO, what: str) -> None:
    """Stop a run short: drop the files being written, and say so and what was kept."""
    for file in files:
        file.discard()
    progress.clear()
    kept = ", ".join(file.path for file in files if file.replaces)
    message = f"ctparse: {what}{f'; {kept} left as before' if kept else ''}\n"
    stderr.write(message.encode("utf-8", "replace"))
    stderr.flush()


def _worker_init() -> None:
    # Ctrl-C reaches the whole process group; only the parent decides what happens then.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _context() -> BaseContext:
    # Not fork: the parent may hold threads (the pool's own), and fork is not safe with them.
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["ctparse.cli.main"])
        return context
    return multiprocessing.get_context("spawn")


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


# ---------------------------------------------------------------- inputs


def _files(
    paths: Sequence[str], on_empty: Callable[[str], None] | None = None
) -> Iterator[str | None]:
    """Each input file in order; ``None`` is standard input."""
    for path in paths:
        if path == "-":
            yield None
        elif os.path.isdir(path):
            found = False
            for file in page_files(path):
                found = True
                yield file
            if not found and on_empty is not None:
                on_empty(path)
        else:
            yield path


def _items(paths: Sequence[str], on_empty: Callable[[str], None] | None = None) -> Iterator[_Item]:
    done = 0
    for path in _files(paths, on_empty):
        last = 0
        for page in read_pages(path):
            last = page.consumed
            yield _Item(page, done + last)
        done += _size(path) if path is not None else last


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _total_bytes(paths: Sequence[str]) -> int | None:
    total = 0
    for path in _files(paths):
        if path is None:
            return None
        total += _size(path)
    return total


# ---------------------------------------------------------------- outputs


class _WriteFailed(Exception):
    """Writing an output failed (a full disk, a file size limit, a device error)."""

    def __init__(self, target: str, error: OSError) -> None:
        super().__init__(target, error)
        self.target = target
        self.reason = error.strerror or str(error)


class _Target:
    """An output stream that names itself when a write to it fails."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream = stream
        self.name = name

    def write(self, data: bytes) -> None:
        with self._named():
            self.stream.write(data)

    def flush(self) -> None:
        with self._named():
            self.stream.flush()

    @contextlib.contextmanager
    def _named(self) -> Iterator[None]:
        try:
            yield
        except BrokenPipeError:
            raise  # the reader went away: not a failed write
        except OSError as error:
            raise _WriteFailed(self.name, error) from error


class _Output:
    """A file written under a temporary name in its directory and renamed when complete, so
    the named file is only ever the previous one or the finished one.

    A path that exists and is no regular file (``/dev/null``, a named pipe) is written
    directly: renaming over it would replace the device or pipe itself.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._temporary: str | None = None
        if os.path.exists(path) and not os.path.isfile(path):
            self.stream: BinaryIO = open(path, "wb")  # noqa: SIM115 - closed by commit/discard
            return
        directory = os.path.dirname(os.path.abspath(path))
        descriptor, self._temporary = tempfile.mkstemp(
            prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory
        )
        self.stream = os.fdopen(descriptor, "wb")

    @property
    def replaces(self) -> bool:
        """Whether the file is written aside and renamed (not a device or pipe)."""
        return self._temporary is not None

    @property
    def target(self) -> _Target:
        return _Target(self.stream, self.path)

    def commit(self) -> None:
        try:
            self._finish()
        except OSError as error:
            raise _WriteFailed(self.path, error) from error

    def _finish(self) -> None:
        self.stream.flush()
        if self._temporary is None:
            self.stream.close()
            return
        os.fsync(self.stream.fileno())
        self.stream.close()
        # mkstemp makes the file private; give it the mode a plainly created file would have.
        try:
            mode = os.stat(self.path).st_mode & 0o7777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(self._temporary, mode)
        os.replace(self._temporary, self.path)

    def discard(self) -> None:
        # Closing flushes what is buffered, which fails again on a full disk: the file goes
        # anyway.
        with contextlib.suppress(OSError):
            self.stream.close()
        if self._temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._temporary)


class _Records:
    """Writes records as JSON Lines, as a JSON array, or (one page in, to standard output,
    no ``--format``) as the pretty-printed Trial alone."""

    def __init__(self, stream: _Target, form: str) -> None:
        self._stream = stream
        self._form = form  # "auto" until the second page decides it, "json" or "jsonl"
        self._held: str | None = None
        self._pages = 0
        self.written = 0
        if form == "json":
            stream.write(b"[")

    def page(self, outcome: Outcome) -> None:
        """Called for every page, record or not: the count of pages decides ``auto``."""
        self._pages += 1
        if self._form == "auto":
            if self._pages == 1:
                self._held = outcome.json if outcome.ok else None
                return
            self._form = "jsonl"
            if self._held is not None:
                self._write(self._held)
                self._held = None
        if outcome.ok:
            self._write(outcome.json)

    def _write(self, line: str) -> None:
        if self._form == "json":
            self._stream.write(b"\n" if not self.written else b",\n")
            self._stream.write(line.encode("utf-8"))
        else:
            self._stream.write(line.encode("utf-8") + b"\n")
        self.written += 1

    def close(self) -> None:
        if self._held is not None:
            trial = json.loads(self._held)
            del trial["source"]
            text = json.dumps(trial, ensure_ascii=False, indent=2) + "\n"
            self._stream.write(text.encode("utf-8"))
            self.written += 1
        elif self._form == "json":
            self._stream.write(b"\n]\n" if self.written else b"]\n")
        self._stream.flush()


class _Progress:
    """One line on a terminal's stderr: pages done, pages/s, share done and time left."""

    def __init__(self, stream: BinaryIO, enabled: bool, total: int | None) -> None:
        self._stream = stream
        self._enabled = enabled
        self._total = total
        self._start = time.monotonic()
        self._last = 0.0
        self._shown = False

    def update(self, pages: int, position: int) -> None:
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        elapsed = max(now - self._start, 1e-9)
        parts = [f"{pages:,} pages", f"{pages / elapsed:,.0f} pages/s"]
        if self._total:
            done = min(position / self._total, 1.0)
            filled = int(done * 20)
            parts.insert(0, "[" + "#" * filled + "-" * (20 - filled) + f"] {done:4.0%}")
            if done > 0:
                parts.append(f"{_duration(elapsed * (1 - done) / done)} left")
        self._stream.write(("\r" + "  ".join(parts) + "\x1b[K").encode())
        self._stream.flush()
        self._shown = True

    def clear(self) -> None:
        if self._shown:
            self._stream.write(b"\r\x1b[K")
            self._stream.flush()
            self._shown = False


def _duration(seconds: float) -> str:
    whole = int(seconds + 0.5)
    return f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"


class _Stopped(BaseException):
    """SIGTERM, turned into an exception so that temporary files are cleaned up (a
    BaseException, like KeyboardInterrupt, so that no ``except Exception`` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise _Stopped(signum)


# ---------------------------------------------------------------- commands


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctparse",
        description="Read scraped ClinicalTrials.gov trial pages (plain text) into JSON.",
        epilog=_MAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"ctparse {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    run = commands.add_parser(
        "parse",
        help="turn pages into JSON (one page) or JSON Lines (many)",
        description="Turn trial pages into JSON: one page in and no -o gives that Trial as "
        "pretty-printed JSON; otherwise one record a line (JSON Lines), each with a 'source' "
        "object {path, line} beside the Trial's keys.",
        epilog=_PARSE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    run.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a page file or dump (.txt, .text, .gz), a directory (walked recursively), "
        "or - for standard input",
    )
    run.add_argument("-o", "--output", metavar="OUT", help="write records to OUT, not stdout")
    run.add_argument(
        "--errors",
        metavar="ERRFILE",
        help="write error records (JSON Lines) to ERRFILE, not stderr",
    )
    run.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="worker processes (0: one per core; default 1); output order does not change",
    )
    run.add_argument(
        "--lenient",
        action="store_true",
        help="write partial Trials with their diagnostics instead of error records",
    )
    run.add_argument(
        "--format",
        choices=("json", "jsonl"),
        help="jsonl: one record a line; json: one JSON array of records "
        "(default: jsonl, or the Trial alone for one page on stdout)",
    )
    run.add_argument(
        "--to",
        choices=("trial", "ctgov"),
        default="trial",
        help="record shape: the Trial's keys (default) or a ClinicalTrials.gov API v2 study "
        "record (protocolSection, hasResults)",
    )
    run.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no closing summary"
    )
    draw = commands.add_parser(
        "render",
        help="write Trials (JSON or JSON Lines) back as page text",
        description="Write page text from ctparse JSON: a Trial as JSON (ctparse parse "
        "output for one page), or JSON Lines of records. Pages are written one after the "
        "other, separated by a line break.",
        epilog="examples:\n  ctparse render NCT05001971.json\n"
        "  ctparse render trials.jsonl --layout labelled -o pages.txt\n",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    draw.add_argument("file", metavar="FILE", help="a .json Trial or a .jsonl file of records")
    draw.add_argument("--layout", choices=("bare", "labelled"), default="bare")
    draw.add_argument("-o", "--output", metavar="OUT", help="write pages to OUT, not stdout")
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of one output record",
        description="Print the JSON Schema (draft 2020-12) of one output record.",
    )
    schema.add_argument(
        "--error", action="store_true", help="the schema of an error record instead"
    )
    return parser


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if jobs < 0:
        raise argparse.ArgumentTypeError("must be 0 (one per core) or more")
    return jobs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _argument_parser()
    args = parser.parse_args(argv)
    if args.command == "schema":
        schema = error_schema() if args.error else record_schema()
        sys.stdout.write(json.dumps(schema, indent=2) + "\n")
        return EXIT_OK
    if args.command == "parse":
        return _parse_command(args, parser)
    if args.command == "render":
        return _render_command(args, parser)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _parse_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    def usage(message: str) -> NoReturn:
        parser.exit(EXIT_USAGE, f"ctparse parse: error: {message}\n")

    paths: list[str] = args.paths
    if paths.count("-") > 1:
        usage("standard input (-) can be read only once")
    for path in paths:
        if path != "-" and not os.path.exists(path):
            usage(f"no such file or directory: {path}")
    output = args.output if args.output not in (None, "-") else None
    targets = [path for path in (output, args.errors) if path is not None]
    for target in targets:
        if os.path.isdir(target):
            usage(f"{target} is a directory")
        if not os.path.isdir(os.path.dirname(os.path.abspath(target))):
            usage(f"cannot write {target}: its directory does not exist")
    if (
        output
        and args.errors
        and os.path.realpath(output) == os.path.realpath(args.errors)
        and (os.path.isfile(output) or not os.path.exists(output))
    ):
        usage("OUT and ERRFILE must be different files")
    if any(path == "-" for path in paths) and sys.stdin.isatty():
        sys.stderr.write("ctparse: reading pages from the terminal; end with Ctrl-D\n")

    stderr = sys.stderr.buffer
    sys.stderr.flush()
    files: list[_Output] = []
    try:
        out_file = _Output(output) if output else None
        if out_file:
            files.append(out_file)
        error_file = _Output(args.errors) if args.errors else None
        if error_file:
            files.append(error_file)
    except OSError as error:
        for file in files:
            file.discard()
        target = output if output and not files else args.errors
        usage(f"cannot write {target}: {error.strerror or error}")
    show_progress = not args.quiet and stderr.isatty()
    progress = _Progress(stderr, show_progress, _total_bytes(paths) if show_progress else None)
    records = _Records(
        out_file.target if out_file else _Target(sys.stdout.buffer, "standard output"),
        args.format or ("auto" if out_file is None else "jsonl"),
    )
    error_target = error_file.target if error_file else _Target(stderr, "standard error")

    def empty(directory: str) -> None:
        # Most likely a wrong path or suffix: say so rather than report 0 pages silently.
        if not args.quiet:
            progress.clear()
            message = f"ctparse: no *.txt, *.text or *.txt.gz files under {directory}\n"
            stderr.write(message.encode("utf-8", "replace"))
            stderr.flush()

    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    start = time.monotonic()
    pages = errors = diagnosed = 0
    try:
        jobs = args.jobs or _cpu_count()
        items = _items(paths, empty)
        outcomes = contextlib.closing(_outcomes(items, jobs, args.lenient, to=args.to))
        with outcomes as results:
            for item, outcome in results:
                pages += 1
                if not outcome.ok:
                    errors += 1
                    line = outcome.json.encode("utf-8") + b"\n"
                    if not error_file:
                        progress.clear()
                    error_target.write(line)
                    if not error_file:
                        error_target.flush()
                elif outcome.diagnostics:
                    diagnosed += 1
                records.page(outcome)
                progress.update(pages, item.position)
        records.close()
        for file in files:
            file.commit()
    except (KeyboardInterrupt, _Stopped) as stop:
        _abandon(files, progress, stderr, f"interrupted after {_count(pages, 'page')}")
        signum = stop.signum if isinstance(stop, _Stopped) else signal.SIGINT
        return 128 + signum
    except _WriteFailed as failed:
        _abandon(
            files,
            progress,
            stderr,
            f"cannot write {failed.target} ({failed.reason}); stopped after "
            f"{_count(pages, 'page')}",
        )
        return EXIT_WRITE_FAILED
    except BrokenPipeError:
        # The reader of stdout went away (``| head``): stop quietly.
        for file in files:
            file.discard()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FAILED_PAGES
    except BaseException:
        for file in files:
            file.discard()
        raise
    finally:
        signal.signal(signal.SIGTERM, previous)
    progress.clear()
    if not args.quiet:
        elapsed = time.monotonic() - start
        summary = (
            f"ctparse: {_count(pages, 'page')} read, {_count(records.written, 'record')} "
            f"written, {_count(errors, 'error')}"
        )
        if args.lenient:
            summary += f", {diagnosed} with diagnostics"
        if errors and args.errors:
            summary += f" (in {args.errors})"
        summary += f"; {pages / max(elapsed, 1e-9):,.0f} pages/s ({elapsed:.1f} s)\n"
        stderr.write(summary.encode("utf-8", "replace"))
        stderr.flush()
    return EXIT_FAILED_PAGES if errors else EXIT_OK


_TRIAL_KEYS = frozenset(field.name for field in attrs.fields(Trial))


def _render_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Page text for each Trial in FILE; a record that is no Trial is reported, not fatal."""
    try:
        with open(args.file, encoding="utf-8") as handle:
            content = handle.read()
    except OSError as error:
        parser.exit(EXIT_USAGE, f"ctparse render: error: cannot read {args.file}: {error}\n")
    if content.lstrip().startswith("{") and not args.file.endswith(".jsonl"):
        documents = [(1, content)]
    else:
        documents = [(n, line) for n, line in enumerate(content.split("\n"), 1) if line.strip()]
    pages: list[str] = []
    failed = 0
    for number, document in documents:
        try:
            data = json.loads(document)
            data.pop("source", None)
            missing = _TRIAL_KEYS - set(data)
            if missing:
                raise ValueError(f"no {', '.join(sorted(missing))}")
            pages.append(render(from_dict(data), args.layout))
        except Exception as error:  # a bad record costs that record, not the run
            failed += 1
            sys.stderr.write(
                f"ctparse render: {args.file}:{number}: not a Trial record: "
                f"{type(error).__name__}: {error}\n"
            )
    text = "\n".join(pages) + ("\n" if pages else "")
    try:
        if args.output and args.output != "-":
            output = _Output(args.output)
            output.stream.write(text.encode("utf-8"))
            output.commit()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as error:
        parser.exit(EXIT_USAGE, f"ctparse render: error: cannot write the output: {error}\n")
    return EXIT_FAILED_PAGES if failed else EXIT_OK


def _count(number: int, word: str) -> str:
    return f"{number:,} {word}{'' if number == 1 else 's'}"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
