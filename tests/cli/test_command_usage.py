"""Usage errors, ``--version`` and ``--help``."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import ctparse
from ctparse.compiled import build_description
from support.command import (
    FULL,
    run,
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "missing.txt"], "ctparse parse: error: no such file or directory: missing.txt"),
        (["parse", "page.txt", "--bogus"], "unrecognized arguments: --bogus"),
        (["parse", "page.txt", "-j", "-1"], "must be 0 (one per core) or more"),
        (["parse", "page.txt", "-j", "many"], "not a number: 'many'"),
        (["parse", "page.txt", "-j", "99999999999999999999"], "at most 256 worker processes"),
        (["parse", "page.txt", "--format", "xml"], "invalid choice: 'xml'"),
        (["parse", "-", "-"], "standard input (-) can be read only once"),
        (["parse", "page.txt", "-o", "no/such/dir/out.jsonl"], "its directory does not exist"),
        (["parse", "page.txt", "-o", "same", "--errors", "same"], "must be different files"),
        (["tables", "page.txt"], "the following arguments are required: -o/--output"),
        (["tables", "page.txt", "-o", "page.txt"], "it exists and is not a folder"),
        (["tables", "page.txt", "-o", "t", "--format", "xlsx"], "invalid choice: 'xlsx'"),
        (["parse"], "the following arguments are required: PATH"),
        ([], "usage: ctparse"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    result = run(*args, cwd=tmp_path)
    assert (result.status, result.stdout) == (2, b"")
    assert message in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["page.txt"]


def test_version_and_help(tmp_path: Path) -> None:
    version = run("--version", cwd=tmp_path)
    expected = f"ctparse {ctparse.__version__} ({build_description()})\n"
    assert (version.status, version.stdout) == (0, expected.encode())
    top = run("--help", cwd=tmp_path)
    assert top.status == 0 and b"examples:" in top.stdout and b"ctparse schema" in top.stdout
    sub = run("parse", "--help", cwd=tmp_path)
    assert sub.status == 0
    for words in (b"examples:", b"ctparse parse pages/ -o pages.jsonl", b"--lenient", b"exit"):
        assert words in sub.stdout
    short = run("-V", cwd=tmp_path)
    assert (short.status, short.stdout) == (0, version.stdout)


@pytest.mark.parametrize("command", [[], ["parse"], ["tables"], ["render"]])
def test_help_lists_every_exit_status(tmp_path: Path, command: list[str]) -> None:
    shown = run(*command, "--help", cwd=tmp_path).stdout.decode()
    statuses = [line.split()[0] for line in shown.split("exit status:\n", 1)[1].splitlines()]
    assert statuses == ["0", "1", "2", "3", "130", "141", "143"]


def test_help_says_the_shape_depends_only_on_options(tmp_path: Path) -> None:
    shown = " ".join(run("parse", "--help", cwd=tmp_path).stdout.decode().split())
    assert "depends only on the options, never on how many pages the input holds" in shown
    assert "'path:line:column: code: message'" in shown


def test_the_old_name_of_the_page_record_shape_still_works(tmp_path: Path) -> None:
    old = run("parse", str(FULL), "--to", "trial", "-q", cwd=tmp_path)
    new = run("parse", str(FULL), "--to", "page", "-q", cwd=tmp_path)
    assert old.status == new.status == 0
    assert old.stdout == new.stdout
