"""The ``ctparse`` command: the argument parser and the entry point.

The work is done elsewhere: ``commands`` (one function a command), the batch engine
(``ctparse.batch``) for ``parse``, ``progress`` for the bar, ``exits`` for the statuses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from ctparse import __version__

from .exits import EXIT_USAGE, STATUS_HELP, interrupted
from .streams import hold_closed

__all__ = ["main"]

_PARSE_EXAMPLES = (
    """\
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

"""
    + STATUS_HELP
)

_MAIN_EXAMPLES = """\
examples:
  ctparse parse pages/ -o trials.jsonl --errors errors.jsonl
  ctparse schema > record.schema.json
  ctparse parse --help
"""


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
    from ctparse.batch.pool import MAX_JOBS

    if jobs > MAX_JOBS:
        raise argparse.ArgumentTypeError(f"at most {MAX_JOBS} worker processes")
    return jobs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    hold_closed()
    try:
        return _run(argv)
    except KeyboardInterrupt:
        # Ctrl-C before a command took over (most of start-up is loading the parser, below):
        # nothing has been written yet.
        return interrupted()


def _run(argv: Sequence[str] | None) -> int:
    # Loaded here, not at the top, so that a Ctrl-C while they load is handled by ``main``.
    from .commands import parse_command, render_command, schema_command

    parser = _argument_parser()
    args = parser.parse_args(argv)
    if args.command == "schema":
        return schema_command(args)

    def usage(message: str) -> NoReturn:
        parser.exit(EXIT_USAGE, f"ctparse {args.command}: error: {message}\n")

    commands: dict[str, Callable[[argparse.Namespace, Callable[[str], NoReturn]], int]] = {
        "parse": parse_command,
        "render": render_command,
    }
    if args.command in commands:
        return commands[args.command](args, usage)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
