"""``ctparse parse`` under faults around it: odd trees, outputs that are inputs, killed
parents, closed streams. Nothing is lost without a word, nothing hangs."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from support.command import CTPARSE, FULL, WITHDRAWN, run


def test_a_walk_follows_linked_directories_and_reports_a_fifo(tmp_path: Path) -> None:
    (tmp_path / "t/2023").mkdir(parents=True)
    (tmp_path / "elsewhere/2025").mkdir(parents=True)
    shutil.copy(FULL, tmp_path / "t/2023/p.txt")
    shutil.copy(WITHDRAWN, tmp_path / "elsewhere/2025/r.txt")
    (tmp_path / "t/2025").symlink_to(tmp_path / "elsewhere/2025")
    (tmp_path / "t/2025/loop").symlink_to(tmp_path / "t")
    os.mkfifo(tmp_path / "t/2023/q.txt")  # would block the run if opened
    result = run("parse", "t", "-o", "out.jsonl", cwd=tmp_path)
    assert result.status == 1
    assert result.stderr.splitlines()[0] == (
        "t/2023/q.txt:1:1: unreadable: not a regular file (a named pipe or device): skipped"
    )
    assert result.summary().startswith("ctparse: 3 pages read (2 trial, 1 not a page), ")
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [line.split(',"nct_id"')[0] for line in lines] == [
        '{"kind":"trial","source":{"path":"t/2023/p.txt","line":1}',
        '{"kind":"trial","source":{"path":"t/2025/r.txt","line":1}',
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "-o", "a.txt"], "a.txt is also an input"),
        (["a.txt", "b.txt", "--errors", "b.txt"], "b.txt is also an input"),
        (["pages", "-o", "pages/b.txt"], "pages/b.txt is inside pages, which is read as input"),
        (["pages", "-o", "pages/new.txt"], "pages/new.txt is inside pages"),
    ],
)
def test_an_output_that_is_an_input_is_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "pages").mkdir()
    for name in ["a.txt", "b.txt", "pages/b.txt"]:
        shutil.copy(FULL, tmp_path / name)
    result = run("parse", *args, cwd=tmp_path)
    assert result.status == 2
    assert f"ctparse parse: error: {message}" in result.stderr
    for name in ["a.txt", "b.txt", "pages/b.txt"]:
        assert (tmp_path / name).read_bytes() == FULL.read_bytes()
    assert not (tmp_path / "pages/new.txt").exists()


def test_an_output_beside_the_pages_of_a_walked_tree_is_fine(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "a.txt")
    result = run("parse", ".", "-o", "trials.jsonl", "--errors", "errors.jsonl", cwd=tmp_path)
    assert result.status == 0
    assert len((tmp_path / "trials.jsonl").read_text(encoding="utf-8").splitlines()) == 1


def test_workers_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    # A caller waiting for the end of the output (capture_output) must not wait forever:
    # workers, forkserver and resource tracker all hold the parent's stdout and stderr.
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 20000)
    process = subprocess.Popen(
        [CTPARSE, "parse", "dump.txt", "-j", "2", "-q"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    assert process.stdout is not None
    assert process.stdout.readline().startswith(b'{"kind":')  # the workers are at work
    process.kill()
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        _end_orphans(process.pid)
        raise
    assert process.returncode == -signal.SIGKILL
    # The resource tracker may say that it removed the pool's semaphores; nothing else.
    assert b"Traceback" not in err


def _end_orphans(parent: int) -> None:
    # The processes the killed command left behind (found by its process group), so that a
    # failing run of this test leaves nothing running.
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if os.getpgid(int(entry.name)) == parent:
                    os.kill(int(entry.name), signal.SIGKILL)


def _children(pid: int) -> list[int]:
    try:
        listed = Path(f"/proc/{pid}/task/{pid}/children").read_text(encoding="ascii")
    except OSError:
        return []
    return [int(child) for child in listed.split()]


def _forkserver_of(pid: int) -> bool:
    for child in _children(pid):
        with contextlib.suppress(OSError):
            if b"multiprocessing.forkserver" in Path(f"/proc/{child}/cmdline").read_bytes():
                return True
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs /proc")
def test_ctrl_c_while_workers_start_prints_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "dump.txt").write_bytes((FULL.read_bytes() + b"\n") * 2000)
    process = subprocess.Popen(
        [CTPARSE, "parse", "dump.txt", "-j", "2", "-q", "-o", "out.jsonl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    # Ctrl-C reaches the whole group once the command has taken over (its temporary output
    # is open) and while workers start: the forkserver starts as soon as the arguments are
    # read, and imports the parser beside the command's own loading.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not (
        _forkserver_of(process.pid) and list(tmp_path.glob(".out.jsonl.*.tmp"))
    ):
        time.sleep(0.001)
    os.killpg(process.pid, signal.SIGINT)
    try:
        _, err = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        _end_orphans(process.pid)
        raise
    assert process.returncode == 130
    assert err.decode() == "ctparse: interrupted after 0 pages; out.jsonl left as before\n"


def test_errfile_failing_at_its_last_flush_leaves_both_outputs_as_they_were(
    tmp_path: Path,
) -> None:
    # OUT (one record, under 1 KiB) fits the file size limit; ERRFILE's 30 error records
    # (~6 KiB) do not, but sit in its write buffer until the final flush.
    (tmp_path / "pages").mkdir()
    shutil.copy(WITHDRAWN, tmp_path / "pages/a.txt")
    for number in range(30):
        (tmp_path / f"pages/b{number:02}.txt").write_bytes(b"hello\n")
    (tmp_path / "out.jsonl").write_text("old out\n", encoding="utf-8")
    (tmp_path / "errors.jsonl").write_text("old errors\n", encoding="utf-8")

    def limit() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (4000, 4000))

    done = subprocess.run(
        [CTPARSE, "parse", "pages", "-o", "out.jsonl", "--errors", "errors.jsonl", "-q"],
        cwd=tmp_path,
        capture_output=True,
        timeout=300,
        preexec_fn=limit,
    )
    assert done.stderr.decode() == (
        "ctparse: cannot write errors.jsonl (File too large); stopped after 31 pages; "
        "out.jsonl, errors.jsonl left as before\n"
    )
    assert done.returncode == 3
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "old out\n"
    assert (tmp_path / "errors.jsonl").read_text(encoding="utf-8") == "old errors\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "errors.jsonl",
        "out.jsonl",
        "pages",
    ]


def _shell(command: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # The redirections close a standard stream before the command starts.
    return subprocess.run(
        ["/bin/sh", "-c", command], cwd=cwd, capture_output=True, timeout=300, input=b""
    )


def test_closed_standard_streams_give_the_documented_statuses(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    (tmp_path / "bad.txt").write_bytes(b"hello\n")
    command = CTPARSE
    # stderr closed: a good run is a good run; an error record with nowhere to go is a
    # failed write; with --errors the error record is in ERRFILE.
    assert _shell(f"{command} parse page.txt -o out.jsonl 2>&-", tmp_path).returncode == 0
    assert len((tmp_path / "out.jsonl").read_bytes().splitlines()) == 1
    assert _shell(f"{command} parse bad.txt -o out.jsonl 2>&-", tmp_path).returncode == 3
    done = _shell(f"{command} parse bad.txt -o o2.jsonl --errors e.jsonl 2>&-", tmp_path)
    assert done.returncode == 1
    assert b'"code":"not_a_page"' in (tmp_path / "e.jsonl").read_bytes()
    # stdin closed: an error record for standard input.
    done = _shell(f"{command} parse - -q <&-", tmp_path)
    assert (done.returncode, done.stdout) == (1, b"")
    assert (
        done.stderr.decode()
        == "<stdin>:1:1: unreadable: cannot read standard input: it is closed\n"
    )
    # stdout closed: records have nowhere to go (a failed write); with -o it is not needed.
    done = _shell(f"{command} parse page.txt >&-", tmp_path)
    assert done.returncode == 3
    assert done.stderr.decode() == (
        "ctparse: cannot write standard output (standard output is closed); stopped after 1 page\n"
    )
    done = _shell(f"{command} parse page.txt -o o3.jsonl -q >&-", tmp_path)
    assert (done.returncode, done.stderr) == (0, b"")


def test_a_reader_of_stderr_that_goes_away_stops_the_run(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    for number in range(3000):
        (tmp_path / f"pages/{number:04}.txt").write_bytes(b"hello\n")  # not a page
    (tmp_path / "out.jsonl").write_text("old\n", encoding="utf-8")
    process = subprocess.Popen(
        [CTPARSE, "parse", "pages", "-o", "out.jsonl"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stderr.readline().startswith(b"pages/0000.txt:1:1: not_a_page: ")
    process.stderr.close()
    assert process.stdout.read() == b""
    assert process.wait(timeout=60) == 141  # as for a reader of stdout that goes away
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "old\n"
    assert [path.name for path in tmp_path.iterdir() if path.name.startswith(".")] == []


def test_a_read_only_out_is_refused_and_a_linked_out_replaces_its_target(
    tmp_path: Path,
) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    (tmp_path / "kept.jsonl").write_text("kept\n", encoding="utf-8")
    (tmp_path / "kept.jsonl").chmod(0o444)
    result = run("parse", "page.txt", "-o", "kept.jsonl", cwd=tmp_path)
    assert result.status == 2
    assert result.stderr == (
        "ctparse parse: error: cannot write kept.jsonl: the file is read-only\n"
    )
    assert (tmp_path / "kept.jsonl").read_text(encoding="utf-8") == "kept\n"
    (tmp_path / "data").mkdir()
    (tmp_path / "data/trials.jsonl").write_text("old\n", encoding="utf-8")
    (tmp_path / "data/trials.jsonl").chmod(0o640)
    (tmp_path / "out.jsonl").symlink_to("data/trials.jsonl")
    result = run("parse", "page.txt", "-o", "out.jsonl", "--format", "jsonl", cwd=tmp_path)
    assert result.status == 0
    assert (tmp_path / "out.jsonl").is_symlink()
    assert (
        (tmp_path / "data/trials.jsonl").read_text(encoding="utf-8").startswith('{"kind":"trial"')
    )
    assert (tmp_path / "data/trials.jsonl").stat().st_mode & 0o777 == 0o640
    assert sorted(path.name for path in (tmp_path / "data").iterdir()) == ["trials.jsonl"]


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("delay", [0.1, 0.2, 0.3])
def test_ctrl_c_while_the_command_loads_prints_no_traceback(
    tmp_path: Path, delay: float, jobs: str
) -> None:
    # Python and the command's first module are up in some 30 ms; loading the parser and
    # reading the page take a good part of the next 200, and the run may be over by 0.3 s.
    # With workers, the forkserver loads the parser meanwhile.
    shutil.copy(FULL, tmp_path / "page.txt")
    process = subprocess.Popen(
        [CTPARSE, "parse", "page.txt", "-q", "-o", "out.jsonl", "-j", jobs],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert b"Traceback" not in err
    # 130 when the command took the signal; killed by it (a shell shows 130 too) when it
    # came in the last moments of the interpreter's exit, after Python gave SIGINT back its
    # default action; 0 when the run was over.
    assert process.returncode in (0, 130, -signal.SIGINT)
