"""Where the ``ctparse`` command starts.

The command's modules are loaded here, inside ``main``, so that a Ctrl-C while they load
ends the run as an interrupted one (status 130) rather than with Python's traceback: all
that runs before is the interpreter and ``import ctparse``, which loads nothing.
"""

from __future__ import annotations

from ctparse.cli.exits import interrupted

__all__ = ["main"]


def main() -> int:
    """The ``ctparse`` console script."""
    try:
        from ctparse.cli.main import main as run
    except KeyboardInterrupt:
        return interrupted()
    return run()
