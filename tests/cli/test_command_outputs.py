"""``ctparse parse`` outputs: written whole or left as they were; progress and quiet."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from support.command import (
    CTPARSE,
    FULL,
    golden,
    jsonl,
    run,
    summary_of,
    without_source,
)


def test_out_is_written_whole_with_the_usual_mode(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    (tmp_path / "out.jsonl").write_text("old content\n", encoding="utf-8")
    result = run("parse", "page.txt", "-o", "out.jsonl", "--errors", "errors.jsonl", cwd=tmp_path)
    assert result.status == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "errors.jsonl",
        "out.jsonl",
        "page.txt",
    ]
    assert (tmp_path / "errors.jsonl").read_bytes() == b""
    assert len(jsonl(tmp_path / "out.jsonl")) == 1
    umask = os.umask(0)
    os.umask(umask)
    assert (tmp_path / "errors.jsonl").stat().st_mode & 0o777 == 0o666 & ~umask


def wait_for_records(folder: Path) -> None:
    """Until the run has written records to its temporary ``out.jsonl``."""
    deadline = time.monotonic() + 60
    while not any(path.stat().st_size for path in folder.glob(".out.jsonl.*.tmp")):
        assert time.monotonic() < deadline
        time.sleep(0.05)


def test_an_interrupted_run_leaves_out_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 4000)
    (tmp_path / "out.jsonl").write_text("old content\n", encoding="utf-8")
    for stop, status in ((signal.SIGINT, 130), (signal.SIGTERM, 143)):
        process = subprocess.Popen(
            [CTPARSE, "parse", "dump.txt", "-o", "out.jsonl", "--errors", "errors.jsonl"],
            cwd=tmp_path,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        wait_for_records(tmp_path)
        process.send_signal(stop)
        _, stderr = process.communicate(timeout=60)
        assert process.returncode == status
        assert stderr.decode().startswith("ctparse: interrupted after ")
        assert stderr.decode().endswith("; out.jsonl, errors.jsonl left as before\n")
        assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "old content\n"
        assert sorted(path.name for path in tmp_path.iterdir()) == ["dump.txt", "out.jsonl"]


def test_a_killed_run_leaves_out_as_it_was(tmp_path: Path) -> None:
    # SIGKILL cannot be caught: the temporary file stays behind, but OUT is untouched.
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 4000)
    (tmp_path / "out.jsonl").write_text("old content\n", encoding="utf-8")
    process = subprocess.Popen(
        [CTPARSE, "parse", "dump.txt", "-o", "out.jsonl", "-q"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for_records(tmp_path)
    process.kill()
    assert process.wait(timeout=60) == -signal.SIGKILL
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "old content\n"
    assert [path.name.startswith(".out.jsonl.") for path in tmp_path.glob(".*")] == [True]


def _file_size_limit(limit: int) -> Any:
    def apply() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_full_disk_stops_the_run_and_leaves_out_as_it_was(tmp_path: Path) -> None:
    # A file size limit stands in for a full disk: writes fail with EFBIG instead of ENOSPC.
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 50)
    (tmp_path / "out.jsonl").write_text("old content\n", encoding="utf-8")
    done = subprocess.run(
        [CTPARSE, "parse", "dump.txt", "-o", "out.jsonl", "-q"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        preexec_fn=_file_size_limit(50_000),
    )
    assert done.returncode == 3
    # How many pages were read before the write failed depends on buffering.
    assert re.fullmatch(
        r"ctparse: cannot write out\.jsonl \(File too large\); stopped after \d+ pages; "
        r"out\.jsonl left as before\n",
        done.stderr.decode(),
    )
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "old content\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["dump.txt", "out.jsonl"]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_full_standard_output_is_reported(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 3)
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [CTPARSE, "parse", "dump.txt"], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE
        )
    assert done.returncode == 3
    assert done.stderr.decode().startswith(
        "ctparse: cannot write standard output (No space left on device); stopped after "
    )


@pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs /proc")
def test_unreadable_input_and_unwritable_out_are_reported(tmp_path: Path) -> None:
    # Reading /proc/self/mem from its start fails with EIO, whoever runs the test.
    result = run("parse", "/proc/self/mem", "-q", cwd=tmp_path)
    assert result.status == 1
    assert result.stderr.splitlines() == [
        "/proc/self/mem:1:1: unreadable: the file could not be read to the end "
        "(Input/output error): the pages from this line on are lost"
    ]
    shutil.copy(FULL, tmp_path / "page.txt")
    result = run("parse", "page.txt", "-o", "/proc/out.jsonl", cwd=tmp_path)
    assert result.status == 2
    assert result.stderr == (
        "ctparse parse: error: cannot write /proc/out.jsonl: No such file or directory\n"
    )


def test_a_named_pipe_as_out_is_written_not_replaced(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [CTPARSE, "parse", "page.txt", "-o", "pipe", "-q"], cwd=tmp_path, stderr=subprocess.PIPE
    )
    with open(fifo, "rb") as reader:
        data = reader.read()
    assert process.wait(timeout=60) == 0
    assert [without_source(json.loads(line)) for line in data.splitlines()] == [golden(FULL)]
    assert fifo.is_fifo()


def test_a_reader_that_goes_away_stops_the_run_quietly(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 300)
    process = subprocess.Popen(
        [CTPARSE, "parse", "dump.txt", "-q"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()
    stderr = process.stderr.read()
    # Quiet, and 141 (128 + SIGPIPE) as a Unix tool killed by SIGPIPE: not 1 (failed pages).
    assert process.wait(timeout=60) == 141
    assert json.loads(first)["source"] == {"path": "dump.txt", "line": 1}
    assert stderr == b""


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 50)

    def stderr_on_a_terminal(*options: str) -> str:
        main, child = pty.openpty()
        process = subprocess.Popen(
            [CTPARSE, "parse", "dump.txt", "-o", "out.jsonl", *options],
            cwd=tmp_path,
            stderr=child,
        )
        os.close(child)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 4096)
            except OSError:  # the terminal closed
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main)
        assert process.wait(timeout=60) == 0
        return b"".join(chunks).decode()

    # The terminal turns each \n into \r\n.
    shown = stderr_on_a_terminal().replace("\r\n", "\n")
    draws = shown.split("\r")
    assert draws[0] == ""
    assert draws[1].startswith("[") and " pages/s  " in draws[1]
    assert draws[1].endswith(" left\x1b[K")
    # The bar is wiped before the summary, which stays alone on its line.
    assert draws[-1].startswith("\x1b[K" + summary_of(50, 50, 0, trial=50) + "; ")
    assert draws[-1].endswith(" s)\n") and draws[-1].count("\n") == 1
    assert stderr_on_a_terminal("--quiet") == ""
    piped = run("parse", "dump.txt", "-o", "out.jsonl", cwd=tmp_path)
    assert "\r" not in piped.stderr and piped.stderr.count("\n") == 1


def test_quiet_leaves_only_error_records(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    (tmp_path / "empty.txt").write_bytes(b"")
    quiet = run("parse", "page.txt", "-q", "-o", "out.jsonl", cwd=tmp_path)
    assert (quiet.status, quiet.stderr) == (0, "")
    failing = run("parse", "page.txt", "empty.txt", "-q", "-o", "out.jsonl", cwd=tmp_path)
    assert failing.status == 1
    assert failing.stderr.splitlines() == [
        "empty.txt:1:1: empty: the text is empty: expected a trial page"
    ]
