"""Exit statuses of the ``ctparse`` command, in one place (``--help`` lists them from here)."""

from __future__ import annotations

import signal

__all__ = [
    "EXIT_BROKEN_PIPE",
    "EXIT_FAILED_PAGES",
    "EXIT_OK",
    "EXIT_USAGE",
    "EXIT_WRITE_FAILED",
    "STATUS_HELP",
    "interrupted",
]

EXIT_OK = 0
EXIT_FAILED_PAGES = 1
EXIT_USAGE = 2
EXIT_WRITE_FAILED = 3


def interrupted(signum: int = signal.SIGINT) -> int:
    """The status of a run stopped by a signal: 128 + its number (130 for Ctrl-C)."""
    return 128 + signum


# The reader of standard output went away (``| head -1``): the status a Unix tool killed by
# SIGPIPE has, so that ``set -o pipefail`` still sees that the output was cut short.
EXIT_BROKEN_PIPE = interrupted(signal.SIGPIPE)

# The exit statuses as ``--help`` lists them.
STATUS_HELP = f"""\
exit status:
  {EXIT_OK}    every page became a record
  {EXIT_FAILED_PAGES}    some pages failed (error records; the rest are written)
  {EXIT_USAGE}    usage error (bad option, missing PATH, an output that cannot be created)
  {EXIT_WRITE_FAILED}    writing failed mid-run (a full disk); outputs left as they were
  {interrupted()}  interrupted (Ctrl-C); outputs left as they were
  {EXIT_BROKEN_PIPE}  the reader of standard output went away (| head); stopped quietly
  {interrupted(signal.SIGTERM)}  stopped by SIGTERM; outputs left as they were
"""
