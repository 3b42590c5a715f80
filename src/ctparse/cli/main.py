"""The ``ctparse`` command: the argument parser and the entry point.

The work is done elsewhere: ``commands`` (``parse``, ``tables``, ``schema``), ``render``,
``running`` (what runs through the batch engine, ``ctparse.batch``), ``progress`` for the
bar, ``exits`` for the statuses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from ctparse import __version__

from .exits import EXIT_USAGE, STATUS_HELP, interrupted
from .streams import hold_closed

__all__ = ["main"]

_INPUT_HELP = """\
Directories are walked for *.txt, *.text and *.txt.gz. A file may hold many pages back to
back, of both kinds (trial pages and results pages, 'Trial Outcomes & Findings for ...');
each page becomes one record of its kind, in input order whatever -j.
"""

_SHAPE_HELP = """\
The output's shape depends only on the options, never on how many pages the input holds:
JSON Lines (one record a line) unless --format json (one array). Every record has 'kind'
('trial' or 'results') and 'source' {path, line} beside the page's keys.
"""

_ERRORS_HELP = """\
Pages that fail are error records. On standard error (no --errors, or --errors -) they read
as a compiler's messages, 'path:line:column: code: message'; with --errors FILE they are
JSON Lines ({kind, source, line, column, code, message}; kind is null for a text that is no
page at all). --error-format chooses either anywhere. OUT and ERRFILE are written under a
temporary name and renamed when the run ends; an interrupted run leaves them as they were.
"""

_PARSE_EXAMPLES = (
    """\
examples:
  ctparse parse NCT05001971.txt                  one page: one JSON line
  ctparse parse pages/ -o pages.jsonl            a directory tree to JSON Lines
  ctparse parse dump.txt.gz -o pages.jsonl --errors errors.jsonl -j 0
  cat dump.txt | ctparse parse - > pages.jsonl   standard input
  ctparse parse pages/ --lenient -o pages.jsonl  partial records with diagnostics

"""
    + _INPUT_HELP
    + "\n"
    + _SHAPE_HELP
    + "\n"
    + _ERRORS_HELP
    + "\n"
    + STATUS_HELP
)

_TABLES_EXAMPLES = (
    """\
examples:
  ctparse tables pages/ -o tables/               CSV files, one per table
  ctparse tables dump.txt.gz -o tables/ --format parquet -j 0

"""
    + _INPUT_HELP
    + """
DIR gets one file per table (studies.csv, criteria.csv, ...; see the README's "Flat tables").
Every page read is a row of 'pages' or of 'errors'. DIR is written as a whole when the run
ends, or left as it was; an existing DIR must hold only table files.

"""
    + STATUS_HELP
)

_MAIN_EXAMPLES = (
    """\
examples:
  ctparse parse pages/ -o pages.jsonl --errors errors.jsonl
  ctparse tables pages/ -o tables/ --format parquet
  ctparse render pages.jsonl --layout labelled
  ctparse schema > record.schema.json
  ctparse parse --help

"""
    + STATUS_HELP
)


def _batch_options(command: argparse.ArgumentParser) -> None:
    """Options of the commands that read pages (``parse``, ``tables``)."""
    command.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="a page file or dump (.txt, .text, .gz), a directory (walked recursively), "
        "or - for standard input",
    )
    command.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="worker processes (0: one per core; default 1); output order does not change",
    )
    command.add_argument(
        "--lenient",
        action="store_true",
        help="write partial records with their diagnostics instead of error records "
        "(text that is no page at all, such as HTML, stays an error record)",
    )
    command.add_argument(
        "-q", "--quiet", action="store_true", help="no progress bar and no closing summary"
    )


def _parse_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = commands.add_parser(
        "parse",
        help="turn pages of both kinds into JSON Lines (or one JSON array)",
        description="Turn trial and results pages into JSON records, one a line.",
        epilog=_PARSE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _batch_options(run)
    run.add_argument("-o", "--output", metavar="OUT", help="write records to OUT, not stdout")
    run.add_argument(
        "--errors",
        metavar="ERRFILE",
        help="write error records to ERRFILE (JSON Lines), not stderr; - is stderr",
    )
    run.add_argument(
        "--error-format",
        choices=("text", "jsonl"),
        help="error records as 'path:line:column: code: message' lines (text) or JSON Lines "
        "(default: text on stderr, jsonl in ERRFILE)",
    )
    run.add_argument(
        "--format",
        choices=("jsonl", "json"),
        default="jsonl",
        help="jsonl: one record a line (default); json: one JSON array of records",
    )
    run.add_argument(
        "--to",
        choices=("page", "ctgov", "trial"),
        default="page",
        help="record shape: the page's keys (default) or a ClinicalTrials.gov API v2 study "
        "record (protocolSection; resultsSection for results pages); 'trial' is the old "
        "name of 'page' and still works",
    )


class _Version(argparse.Action):
    """``ctparse 0.1.0 (pure Python)`` or ``(compiled: ...)``: which build is installed. Read
    only when asked, so that other commands do not pay for looking at the package's files."""

    def __init__(self, option_strings: Sequence[str], dest: str, **options: Any) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, nargs=0, **options)

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> NoReturn:
        from ctparse.compiled import build_description

        sys.stdout.write(f"ctparse {__version__} ({build_description()})\n")
        parser.exit()


def _argument_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ctparse",
        description="Read scraped ClinicalTrials.gov pages (trial pages and results pages, "
        "plain text) into JSON or flat tables.",
        epilog=_MAIN_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-V", "--version", action=_Version, help="show the version and the build, and exit"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    _parse_parser(commands)
    flat = commands.add_parser(
        "tables",
        help="turn pages into flat tables (CSV or Parquet), AACT's names",
        description="Turn trial and results pages into one file per table in DIR.",
        epilog=_TABLES_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _batch_options(flat)
    flat.add_argument("-o", "--output", metavar="DIR", required=True, help="the tables' folder")
    flat.add_argument(
        "--format",
        choices=("csv", "parquet"),
        default="csv",
        help='csv (default) or parquet (needs pyarrow: pip install "ctparse[parquet]")',
    )
    draw = commands.add_parser(
        "render",
        help="write records (what parse writes) back as page text",
        description="Write page text from ctparse JSON: JSON Lines or a JSON array of "
        "records as parse writes them (either kind, either --to shape), or one record. "
        "Pages are written one after the other, separated by a line break.",
        epilog="examples:\n  ctparse render NCT05001971.json\n"
        "  ctparse render pages.jsonl --layout labelled -o pages.txt\n"
        "  ctparse parse dump.txt | ctparse render -\n\n" + STATUS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    draw.add_argument(
        "file", metavar="FILE", help="a .json or .jsonl file of records, or - for stdin"
    )
    draw.add_argument("--layout", choices=("bare", "labelled"), default="bare")
    draw.add_argument("-o", "--output", metavar="OUT", help="write pages to OUT, not stdout")
    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of one output record",
        description="Print the JSON Schema (draft 2020-12) of one output record: a trial "
        "or a results record, told apart by 'kind'.",
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
    parser = _argument_parser()
    args = parser.parse_args(argv)
    if getattr(args, "jobs", 1) != 1:
        # Workers ahead: the process they are forked from loads the parser while this one
        # loads the command.
        from ctparse.batch.pool import cpu_count, start_forkserver

        if args.jobs > 1 or cpu_count() > 1:
            start_forkserver()
    # Loaded here, not at the top, so that a Ctrl-C while they load is handled by ``main``.
    from .commands import parse_command, schema_command, tables_command
    from .render import render_command

    if args.command == "schema":
        return schema_command(args)

    def usage(message: str) -> NoReturn:
        parser.exit(EXIT_USAGE, f"ctparse {args.command}: error: {message}\n")

    commands: dict[str, Callable[[argparse.Namespace, Callable[[str], NoReturn]], int]] = {
        "parse": parse_command,
        "tables": tables_command,
        "render": render_command,
    }
    if args.command in commands:
        return commands[args.command](args, usage)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
