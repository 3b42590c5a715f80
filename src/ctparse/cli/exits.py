"""Exit statuses of the ``ctparse`` command, in one place (``--help`` lists them from here)."""

from __future__ import annotations

import signal

__all__ = [
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


# The exit statuses as ``parse --help`` lists them.
STATUS_HELP = (
    f"exit status: {EXIT_OK} every page became a Trial, {EXIT_FAILED_PAGES} some pages failed "
    f"(the rest are written),\n{EXIT_USAGE} usage error, {interrupted()} interrupted.\n"
)
