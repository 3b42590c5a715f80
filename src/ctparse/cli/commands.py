"""The commands ``parse`` and ``tables`` (through the batch engine, ``running``) and ``schema``.

Each takes the parsed arguments and a ``usage`` function that exits with status 2, and
returns the exit status.
"""

from __future__ import annotations

import argparse
import os
import sys

from ctparse.batch.sinks import ErrorSink, JsonSink, Sink
from ctparse.batch.walk import clash

from .exits import EXIT_OK
from .progress import Progress
from .running import Outputs, Usage, check_inputs, run_batch
from .streams import binary

__all__ = ["parse_command", "schema_command", "tables_command"]


# Each command loads the formats it writes when it runs: a ``parse`` to JSON Lines does not
# pay for the tables, the schema or Parquet.


def schema_command(args: argparse.Namespace) -> int:
    from ctparse.formats import deepjson
    from ctparse.formats.schema import error_schema, page_record_schema

    schema = error_schema() if args.error else page_record_schema()
    sys.stdout.write(deepjson.dumps(schema, indent=2) + "\n")
    return EXIT_OK


def _check_outputs(paths: list[str], output: str | None, errfile: str | None, usage: Usage) -> None:
    for target in (path for path in (output, errfile) if path is not None):
        if os.path.isdir(target):
            usage(f"{target} is a directory")
        destroys = clash(paths, target)
        if destroys is not None:
            usage(f"{destroys}: refusing to overwrite it")
        if not os.path.isdir(os.path.dirname(os.path.abspath(target))):
            usage(f"cannot write {target}: its directory does not exist")
    if (
        output
        and errfile
        and os.path.realpath(output) == os.path.realpath(errfile)
        and (os.path.isfile(output) or not os.path.exists(output))
    ):
        usage("OUT and ERRFILE must be different files")


def parse_command(args: argparse.Namespace, usage: Usage) -> int:
    output = args.output if args.output not in (None, "-") else None
    # ``--errors -`` is standard error, as ``-`` is standard input or output elsewhere.
    errfile = args.errors if args.errors not in (None, "-") else None
    check_inputs(args.paths, usage)
    _check_outputs(args.paths, output, errfile, usage)
    error_form = args.error_format or ("jsonl" if errfile else "text")

    def make(progress: Progress) -> tuple[Sink, Sink]:
        shape = "page" if args.to == "trial" else args.to
        stdout = binary(sys.stdout, "standard output")
        records = JsonSink(output, stdout, form=args.format, to=shape, lenient=args.lenient)
        stderr = binary(sys.stderr, "standard error")
        errors = ErrorSink(errfile, stderr, form=error_form, before_write=progress.clear)
        return records, errors

    return run_batch(args, Outputs(make, errfile), usage)


def tables_command(args: argparse.Namespace, usage: Usage) -> int:
    from ctparse.batch.table_sink import RefusedTarget, TablesSink
    from ctparse.formats.tables import ParquetUnavailableError
    from ctparse.formats.tables.parquet import require_pyarrow

    check_inputs(args.paths, usage)
    if args.format == "parquet":
        try:
            require_pyarrow()
        except ParquetUnavailableError as error:
            usage(str(error))
    tables = TablesSink(args.output, args.format)

    def make(progress: Progress) -> tuple[Sink, Sink]:
        return tables, tables.errors

    errors_in = os.path.join(args.output, f"errors.{args.format}")
    try:
        return run_batch(args, Outputs(make, errors_in), usage)
    except RefusedTarget as refused:  # a DIR that is a file, or holds files that are no tables
        usage(str(refused))
