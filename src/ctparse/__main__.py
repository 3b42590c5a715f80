"""``python -m ctparse``: the same as the ``ctparse`` command."""

from __future__ import annotations

from ctparse.cli.main import main

# Guarded: worker processes import the main module under another name.
if __name__ == "__main__":
    raise SystemExit(main())
