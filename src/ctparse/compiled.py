"""Which build is installed: pure Python, or with some modules compiled by mypyc.

The compiled build (``CTPARSE_COMPILED=1 pip install .``, see hatch_build.py) puts a C
extension beside each compiled module's source; Python imports the extension first. So the
build is read from the files in the package, without importing the modules themselves.
"""

from __future__ import annotations

from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

__all__ = ["build_description", "compiled_modules"]

_PACKAGE = Path(__file__).resolve().parent

# The library the compiled modules share (mypyc's runtime and their code), not a module.
_SHARED = "_native__mypyc"


def compiled_modules() -> tuple[str, ...]:
    """The dotted names of the modules installed compiled, sorted; empty for pure Python."""
    # Longest first: ``.cpython-311-x86_64-linux-gnu.so`` before the plain ``.so``.
    suffixes = sorted(EXTENSION_SUFFIXES, key=len, reverse=True)
    found: set[str] = set()
    for path in _PACKAGE.rglob("*"):
        name = path.relative_to(_PACKAGE).as_posix()
        suffix = next((s for s in suffixes if name.endswith(s)), None)
        if suffix is not None and name[: -len(suffix)] != _SHARED:
            found.add("ctparse." + name[: -len(suffix)].replace("/", "."))
    return tuple(sorted(found))


def build_description() -> str:
    """``compiled: ctparse.eligibility.criteria, ...`` or ``pure Python``."""
    modules = compiled_modules()
    return f"compiled: {', '.join(modules)}" if modules else "pure Python"
