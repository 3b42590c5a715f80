"""The optional compiled build: the hottest modules compiled to C extensions with mypyc.

Off unless ``CTPARSE_COMPILED=1`` is set for the build (``CTPARSE_COMPILED=1 pip install .``);
a plain install builds a pure-Python ``py3-none-any`` wheel and pulls in neither mypy nor a C
compiler, because ``dependencies`` below asks for mypy and setuptools only when the build is
on. The modules compiled are listed once, in pyproject.toml
(``[tool.hatch.build.targets.wheel.hooks.custom] compiled``).

mypyc runs in a subprocess, in a temporary directory, so nothing it writes (C files, objects,
the extensions) lands in ``src/``: a later pure run from ``src/`` would import them. The
extensions share one library, ``ctparse/_native__mypyc*.so``, inside the package.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SWITCH = "CTPARSE_COMPILED"

# What the build needs beside hatchling when it is on: mypyc (in mypy) and setuptools to
# drive the C compiler; mypy type-checks the modules, so it also needs the project's own
# dependencies and the stubs the type check uses.
BUILD_DEPENDENCIES = ["mypy>=1.11", "setuptools>=70", "types-regex"]

# Run as ``python -c`` in the temporary directory: mypyc writes its C files to ``build``
# there and setuptools puts each extension under ``lib`` by its module path.
_COMPILE = """
import sys
from setuptools import setup
from mypyc.build import mypycify
config, lib, temp, *paths = sys.argv[1:]
setup(
    name="ctparse-compiled-modules",
    ext_modules=mypycify(
        ["--config-file", config, *paths], target_dir="build", group_name="ctparse._native"
    ),
    script_args=["build_ext", "--build-lib", lib, "--build-temp", temp],
)
"""


def switched_on() -> bool:
    return os.environ.get(SWITCH, "").strip().lower() in {"1", "true", "yes", "on"}


class CompiledBuildHook(BuildHookInterface):
    def dependencies(self) -> list[str]:
        if not switched_on():
            return []
        return [*BUILD_DEPENDENCIES, *self.metadata.core.dependencies]

    def modules(self) -> list[str]:
        """The source files to compile, from the hook's ``compiled`` setting."""
        names = self.config.get("compiled", [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise TypeError("the compiled build's `compiled` setting must be a list of paths")
        return names

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if not switched_on() or self.target_name != "wheel":
            return
        if version == "editable":
            raise RuntimeError(
                f"{SWITCH}=1 builds a wheel to install, not an editable install: "
                f"use `{SWITCH}=1 pip install .`"
            )
        root = Path(self.root)
        paths = [str(root / name) for name in self.modules()]
        work = self._work = Path(tempfile.mkdtemp(prefix="ctparse-mypyc-"))
        lib = work / "lib"
        process = subprocess.run(
            [sys.executable, "-c", _COMPILE, str(root / "pyproject.toml"), str(lib),
             str(work / "temp"), *paths],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
        )
        if process.returncode:
            raise RuntimeError(f"mypyc failed:\n{process.stdout}")
        built = sorted(lib.rglob("*.so")) + sorted(lib.rglob("*.pyd"))
        expected = len(paths) + (len(paths) > 1)  # one extension a module, and their shared one
        if len(built) != expected:
            raise RuntimeError(f"mypyc built {len(built)} extensions, expected {expected}: {built}")
        for extension in built:
            build_data["force_include"][str(extension)] = str(extension.relative_to(lib))
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict[str, Any], artifact_path: str) -> None:
        work: Path | None = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
