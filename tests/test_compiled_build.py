"""Which build the tests run against: pure Python, or the compiled build (hatch_build.py).

``CTPARSE_EXPECT_COMPILED`` says which one the run must be testing: ``1`` the compiled build,
with every module pyproject.toml lists compiled; ``0`` pure Python. CI sets it for each of its
two runs, so a broken compiled build cannot pass as a second pure-Python run. Unset, the tests
check only that what ``ctparse.compiled`` reports is what Python imports.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import tomllib
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

import ctparse
from ctparse.compiled import build_description, compiled_modules
from support.paths import ROOT

EXPECT = os.environ.get("CTPARSE_EXPECT_COMPILED")


def listed_modules() -> tuple[str, ...]:
    """The modules pyproject.toml lists for the compiled build, as dotted names."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    paths = config["tool"]["hatch"]["build"]["targets"]["wheel"]["hooks"]["custom"]["compiled"]
    names = (path.removeprefix("src/").removesuffix(".py").replace("/", ".") for path in paths)
    return tuple(sorted(names))


def is_extension(module_name: str) -> bool:
    location = importlib.import_module(module_name).__file__
    assert location is not None
    return location.endswith(tuple(EXTENSION_SUFFIXES))


def test_every_listed_module_is_a_module_of_the_package() -> None:
    assert listed_modules()
    for name in listed_modules():
        source = ROOT / "src" / (name.replace(".", "/") + ".py")
        assert source.is_file(), name
        assert importlib.util.find_spec(name) is not None, name


def test_what_is_reported_compiled_is_what_python_imports() -> None:
    reported = set(compiled_modules())
    for name in listed_modules():
        assert is_extension(name) == (name in reported), name
    assert reported <= set(listed_modules())


@pytest.mark.skipif(EXPECT != "1", reason="CTPARSE_EXPECT_COMPILED=1 is not set")
def test_the_compiled_build_is_installed_and_imported() -> None:
    assert compiled_modules() == listed_modules()
    assert all(is_extension(name) for name in listed_modules())
    assert build_description() == "compiled: " + ", ".join(listed_modules())
    # The installed package, not the source tree beside the tests.
    assert not Path(ctparse.__file__).resolve().is_relative_to(ROOT / "src")


@pytest.mark.skipif(EXPECT != "0", reason="CTPARSE_EXPECT_COMPILED=0 is not set")
def test_the_pure_build_compiles_nothing() -> None:
    assert compiled_modules() == ()
    assert build_description() == "pure Python"
    assert not any(is_extension(name) for name in listed_modules())
