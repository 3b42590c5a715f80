"""End to end: the installed ``ctparse`` command, run in a subprocess."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import pty
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import jsonschema
import pytest

import ctparse
from ctparse.batch.splitter import Page
from ctparse.cli import main as cli
from support.paths import ROOT

VALID = ROOT / "fixtures" / "valid"
REAL = ROOT / "fixtures" / "real"
CTPARSE = shutil.which("ctparse", path=str(Path(sys.executable).parent)) or "ctparse"

# Pages the strict parse reads without an error, with their golden JSON beside them.
FULL = VALID / "NCT05001971.txt"  # 117 lines, no final line break
LABELLED = VALID / "labelled_two_arms.txt"  # 249 lines, ends with a line break
OBSERVATIONAL = VALID / "observational_bare.txt"  # 61 lines
WITHDRAWN = VALID / "withdrawn_missing_values.txt"  # 40 lines


class Run(NamedTuple):
    status: int
    stdout: bytes
    stderr: str

    def records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stdout.decode("utf-8").splitlines()]

    def error_records(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stderr.splitlines() if line.startswith("{")]

    def summary(self) -> str:
        return self.stderr.splitlines()[-1]


def run(*args: str, cwd: Path, stdin: bytes | None = None, command: Any = None) -> Run:
    done = subprocess.run(
        [*(command or [CTPARSE]), *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        cwd=cwd,
        timeout=300,
    )
    return Run(done.returncode, done.stdout, done.stderr.decode("utf-8"))


def golden(page: Path) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    return result


def without_source(record: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in record.items() if key != "source"}


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def summary_of(pages: int, records: int, errors: int) -> str:
    def count(number: int, word: str) -> str:
        return f"{number} {word}{'' if number == 1 else 's'}"

    return (
        f"ctparse: {count(pages, 'page')} read, {count(records, 'record')} written, "
        f"{count(errors, 'error')}"
    )


@pytest.fixture(scope="module")
def schemas() -> tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator]:
    """The validators of ``ctparse schema`` and ``ctparse schema --error``, as printed."""
    here = Path.cwd()
    record = run("schema", cwd=here)
    error = run("schema", "--error", cwd=here)
    assert (record.status, error.status) == (0, 0)
    checkers = []
    for printed in (record, error):
        schema = json.loads(printed.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        checkers.append(
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        )
    return checkers[0], checkers[1]


def assert_valid(
    schemas: tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator],
    records: Sequence[dict[str, Any]],
    errors: Sequence[dict[str, Any]] = (),
) -> None:
    for record in records:
        assert list(schemas[0].iter_errors(record)) == []
    for error in errors:
        assert list(schemas[1].iter_errors(error)) == []


# ---------------------------------------------------------------- one page


def test_one_page_prints_its_trial_as_pretty_json(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    result = run("parse", "page.txt", cwd=tmp_path)
    assert result.status == 0
    assert result.stdout == FULL.with_suffix(".json").read_bytes()
    assert result.summary().startswith(summary_of(1, 1, 0) + "; ")
    assert result.summary().endswith(" s)")


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    result = run("parse", "page.txt", cwd=tmp_path, command=[sys.executable, "-m", "ctparse"])
    assert result.status == 0
    assert result.stdout == FULL.with_suffix(".json").read_bytes()


def test_a_gzip_file(tmp_path: Path) -> None:
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(FULL.read_bytes()))
    result = run("parse", "page.txt.gz", cwd=tmp_path)
    assert (result.status, json.loads(result.stdout)) == (0, golden(FULL))


def test_standard_input_plain_and_gzip(tmp_path: Path) -> None:
    plain = run("parse", "-", cwd=tmp_path, stdin=FULL.read_bytes())
    assert (plain.status, plain.stdout) == (0, FULL.with_suffix(".json").read_bytes())
    packed = run("parse", "-", cwd=tmp_path, stdin=gzip.compress(FULL.read_bytes()))
    assert (packed.status, packed.stdout) == (0, FULL.with_suffix(".json").read_bytes())
    dump = FULL.read_bytes() + b"\n" + LABELLED.read_bytes()
    many = run("parse", "-", cwd=tmp_path, stdin=dump)
    assert [record["source"] for record in many.records()] == [
        {"path": "<stdin>", "line": 1},
        {"path": "<stdin>", "line": 118},
    ]


def test_one_page_with_format_options(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    lines = run("parse", "page.txt", "--format", "jsonl", cwd=tmp_path)
    assert lines.stdout.count(b"\n") == 1
    assert lines.records() == [{"source": {"path": "page.txt", "line": 1}, **golden(FULL)}]
    array = run("parse", "page.txt", "--format", "json", cwd=tmp_path)
    assert json.loads(array.stdout) == lines.records()
    to_file = run("parse", "page.txt", "-o", "out.jsonl", cwd=tmp_path)
    assert (to_file.status, to_file.stdout) == (0, b"")
    assert (tmp_path / "out.jsonl").read_bytes() == lines.stdout


# ---------------------------------------------------------------- many pages


def test_a_three_page_dump_gives_three_records_with_their_lines(
    tmp_path: Path, schemas: Any
) -> None:
    dump = FULL.read_bytes() + b"\n" + LABELLED.read_bytes() + OBSERVATIONAL.read_bytes()
    (tmp_path / "dump.txt").write_bytes(dump)
    result = run("parse", "dump.txt", cwd=tmp_path)
    assert result.status == 0
    assert result.stdout.endswith(b"}\n") and b"\n\n" not in result.stdout
    records = result.records()
    assert [record["source"] for record in records] == [
        {"path": "dump.txt", "line": 1},
        {"path": "dump.txt", "line": 118},
        {"path": "dump.txt", "line": 367},
    ]
    assert [without_source(record) for record in records] == [
        golden(FULL),
        golden(LABELLED),
        golden(OBSERVATIONAL),
    ]
    assert result.summary().startswith(summary_of(3, 3, 0))
    assert_valid(schemas, records)


def test_a_dump_of_scraped_excerpts_joined_without_line_breaks(tmp_path: Path) -> None:
    excerpts = sorted(REAL.glob("*.txt"))
    (tmp_path / "dump.txt").write_bytes(b"".join(path.read_bytes() for path in excerpts))
    result = run("parse", "dump.txt", "--lenient", "--format", "jsonl", cwd=tmp_path)
    records = result.records()
    assert len(records) == len(excerpts) == 17
    expected = [ctparse.to_dict(ctparse.parse_file(path, lenient=True)) for path in excerpts]
    # Each page reads as it does from its own file; only the diagnostics' lines move.
    for record, alone in zip(records, expected, strict=True):
        start = record["source"]["line"]
        for diagnostic in alone["diagnostics"]:
            diagnostic["line"] += start - 1
        assert without_source(record) == alone
    starts = [1, 42, 64, 128, 173, 277, 354, 406, 466, 558, 602, 681, 722, 751, 792, 842, 888]
    assert [record["source"]["line"] for record in records] == starts


def test_a_directory_tree_is_walked_in_order(tmp_path: Path, schemas: Any) -> None:
    tree = tmp_path / "pages"
    (tree / "b" / "deeper").mkdir(parents=True)
    shutil.copy(FULL, tree / "a.txt")
    shutil.copy(LABELLED, tree / "b" / "c.text")
    (tree / "b" / "d.txt.gz").write_bytes(gzip.compress(OBSERVATIONAL.read_bytes()))
    shutil.copy(WITHDRAWN, tree / "b" / "deeper" / "e.txt")
    (tree / "b" / "notes.md").write_text("not a page", encoding="utf-8")
    (tree / "b" / "trial.json").write_text("{}", encoding="utf-8")
    result = run("parse", "pages", "-o", "out.jsonl", cwd=tmp_path)
    assert (result.status, result.stdout) == (0, b"")
    records = jsonl(tmp_path / "out.jsonl")
    assert [record["source"]["path"] for record in records] == [
        "pages/a.txt",
        "pages/b/c.text",
        "pages/b/d.txt.gz",
        "pages/b/deeper/e.txt",
    ]
    assert [without_source(record) for record in records] == [
        golden(FULL),
        golden(LABELLED),
        golden(OBSERVATIONAL),
        golden(WITHDRAWN),
    ]
    assert result.stderr.splitlines()[0].startswith(summary_of(4, 4, 0))
    assert_valid(schemas, records)


def bad_tree(tmp_path: Path) -> Path:
    """Two good pages, a two-page dump and seven files that are no good page."""
    tree = tmp_path / "mixed"
    tree.mkdir()
    shutil.copy(FULL, tree / "a_good.txt")
    shutil.copy(WITHDRAWN, tree / "b_good.txt")
    (tree / "c_dump.txt").write_bytes(OBSERVATIONAL.read_bytes() + WITHDRAWN.read_bytes())
    (tree / "d_empty.txt").write_bytes(b"")
    (tree / "e_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    (tree / "f_html.txt").write_bytes(
        b"<!DOCTYPE html>\n<html><head><title>NCT05001971</title></head></html>\n"
    )
    (tree / "g_utf16.txt").write_bytes(FULL.read_text(encoding="utf-8").encode("utf-16"))
    # The sponsor on line 96 spelled in Latin-1.
    (tree / "h_latin1.txt").write_bytes(
        FULL.read_bytes().replace(b"Hunan Cancer Hospital\nOTHER", b"H\xf4pital Hunan\nOTHER")
    )
    # Cut right after a heading (line 52), as the scraper leaves some pages.
    full = FULL.read_bytes()
    (tree / "i_cut.txt").write_bytes(full[: full.index(b"Eligibility Criteria\n") + 20])
    return tree


def test_good_and_bad_files_every_page_ends_up_in_one_place(tmp_path: Path, schemas: Any) -> None:
    bad_tree(tmp_path)
    result = run("parse", "mixed", "-o", "out.jsonl", "--errors", "errors.jsonl", cwd=tmp_path)
    assert result.status == 1
    records = jsonl(tmp_path / "out.jsonl")
    errors = jsonl(tmp_path / "errors.jsonl")
    assert [record["source"] for record in records] == [
        {"path": "mixed/a_good.txt", "line": 1},
        {"path": "mixed/b_good.txt", "line": 1},
        {"path": "mixed/c_dump.txt", "line": 1},
        {"path": "mixed/c_dump.txt", "line": 62},
    ]
    by_file = {error["source"]["path"]: error for error in errors}
    assert list(by_file) == [
        "mixed/d_empty.txt",
        "mixed/e_binary.txt",
        "mixed/f_html.txt",
        "mixed/g_utf16.txt",
        "mixed/h_latin1.txt",
        "mixed/i_cut.txt",
    ]
    assert by_file["mixed/d_empty.txt"]["message"] == "the text is empty: expected a trial page"
    assert by_file["mixed/e_binary.txt"]["message"] == (
        "the file is binary: it holds a NUL byte at offset 8 (UTF-16 text without a byte "
        "order mark looks like this too); expected UTF-8 text"
    )
    assert by_file["mixed/f_html.txt"]["message"].startswith("not a trial page")
    assert by_file["mixed/g_utf16.txt"]["message"] == (
        "the file is UTF-16 (it starts with a UTF-16 byte order mark): expected UTF-8 text"
    )
    latin1 = by_file["mixed/h_latin1.txt"]
    assert (latin1["line"], latin1["column"]) == (96, 2)
    assert latin1["message"].startswith("the file is not UTF-8: byte 0xf4 at offset ")
    cut = by_file["mixed/i_cut.txt"]
    assert (cut["line"], cut["column"]) == (52, 1)
    assert "cut off" in cut["message"]
    # Ten pages in: four records and six errors, and the summary says so.
    assert result.summary().startswith(summary_of(10, 4, 6) + " (in errors.jsonl); ")
    assert_valid(schemas, records, errors)


def test_without_errfile_error_records_go_to_stderr(tmp_path: Path) -> None:
    bad_tree(tmp_path)
    result = run("parse", "mixed", "-o", "out.jsonl", cwd=tmp_path)
    assert result.status == 1
    assert [error["source"]["path"] for error in result.error_records()][:2] == [
        "mixed/d_empty.txt",
        "mixed/e_binary.txt",
    ]
    assert len(result.error_records()) == 6
    assert result.summary().startswith(summary_of(10, 4, 6) + "; ")


def test_lenient_writes_partial_trials_with_diagnostics(tmp_path: Path, schemas: Any) -> None:
    bad_tree(tmp_path)
    result = run(
        "parse", "mixed", "--lenient", "-o", "out.jsonl", "--errors", "e.jsonl", cwd=tmp_path
    )
    records = jsonl(tmp_path / "out.jsonl")
    errors = jsonl(tmp_path / "e.jsonl")
    # Only bytes that are no UTF-8 text stay errors.
    assert [error["source"]["path"] for error in errors] == [
        "mixed/e_binary.txt",
        "mixed/g_utf16.txt",
        "mixed/h_latin1.txt",
    ]
    assert len(records) == 7
    cut = next(record for record in records if record["source"]["path"] == "mixed/i_cut.txt")
    assert [diagnostic["line"] for diagnostic in cut["diagnostics"]] == [52]
    assert result.status == 1
    assert result.summary().startswith(summary_of(10, 7, 3) + ", 3 with diagnostics")
    assert_valid(schemas, records, errors)


def test_diagnostics_and_errors_count_lines_of_the_file(tmp_path: Path) -> None:
    stray = FULL.read_bytes().replace(b"65 participants\n", b"65 participants\nabout 65\n")
    (tmp_path / "dump.txt").write_bytes(FULL.read_bytes() + b"\n" + stray)
    # 'about 65' is line 11 of the second page, which starts at line 118.
    strict = run("parse", "dump.txt", "--errors", "e.jsonl", cwd=tmp_path)
    (error,) = jsonl(tmp_path / "e.jsonl")
    assert (error["source"], error["line"], error["column"]) == (
        {"path": "dump.txt", "line": 118},
        128,
        1,
    )
    assert strict.status == 1
    lenient = run("parse", "dump.txt", "--lenient", cwd=tmp_path)
    assert [d["line"] for d in lenient.records()[1]["diagnostics"]] == [128]
    assert lenient.status == 0


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    pages = [FULL, LABELLED, OBSERVATIONAL, WITHDRAWN, *sorted(REAL.glob("*.txt"))]
    dump = b"".join(path.read_bytes() + b"\n" for path in pages * 12)
    (tmp_path / "dump.txt").write_bytes(dump)
    bad_tree(tmp_path)
    outputs = []
    for jobs in ("1", "2", "0"):
        options = ["-j", jobs, "-o", f"out{jobs}", "--errors", f"err{jobs}"]
        result = run("parse", "dump.txt", "mixed", *options, cwd=tmp_path)
        assert result.status == 1
        records = (tmp_path / f"out{jobs}").read_bytes()
        errors = (tmp_path / f"err{jobs}").read_bytes()
        # 21 pages 12 times, and 10 pages in the mixed directory.
        assert records.count(b"\n") + errors.count(b"\n") == 262
        assert result.summary().startswith(
            summary_of(262, records.count(b"\n"), errors.count(b"\n"))
        )
        outputs.append((records, errors))
    assert outputs[0] == outputs[1] == outputs[2]
    assert [json.loads(line)["source"]["line"] for line in outputs[0][0].splitlines()][:4] == [
        1,
        118,
        368,
        430,
    ]


def test_format_json_is_one_array(tmp_path: Path, schemas: Any) -> None:
    (tmp_path / "dump.txt").write_bytes(FULL.read_bytes() + b"\n" + WITHDRAWN.read_bytes())
    result = run("parse", "dump.txt", "--format", "json", cwd=tmp_path)
    records = json.loads(result.stdout)
    assert [record["source"]["line"] for record in records] == [1, 118]
    assert_valid(schemas, records)
    nothing = run("parse", "dump.txt", "--format", "json", "--errors", "e", cwd=tmp_path, stdin=b"")
    assert nothing.status == 0
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    failed = run("parse", "empty.txt", "--format", "json", "--errors", "e.jsonl", cwd=tmp_path)
    assert (failed.status, json.loads(failed.stdout)) == (1, [])


def test_a_directory_without_pages_is_said_to_be_empty(tmp_path: Path) -> None:
    (tmp_path / "nothing").mkdir()
    (tmp_path / "nothing" / "notes.md").write_text("not a page", encoding="utf-8")
    result = run("parse", "nothing", cwd=tmp_path)
    assert (result.status, result.stdout) == (0, b"")
    first, summary = result.stderr.splitlines()
    assert first == "ctparse: no *.txt, *.text or *.txt.gz files under nothing"
    assert summary.startswith(summary_of(0, 0, 0) + "; 0 pages/s")


# ---------------------------------------------------------------- the output file


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
    [error] = [json.loads(line) for line in result.stderr.splitlines()]
    assert error == {
        "source": {"path": "/proc/self/mem", "line": 1},
        "line": 1,
        "column": 1,
        "message": "the file could not be read to the end (Input/output error): the pages "
        "from this line on are lost",
    }
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
    assert process.wait(timeout=60) == 1
    assert json.loads(first)["source"] == {"path": "dump.txt", "line": 1}
    assert stderr == b""


# ---------------------------------------------------------------- the terminal


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
    assert draws[-1].startswith("\x1b[K" + summary_of(50, 50, 0) + "; ")
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
    assert [json.loads(line) for line in failing.stderr.splitlines()] == [
        {
            "source": {"path": "empty.txt", "line": 1},
            "line": 1,
            "column": 1,
            "message": "the text is empty: expected a trial page",
        }
    ]


# ---------------------------------------------------------------- usage


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["parse", "missing.txt"], "ctparse parse: error: no such file or directory: missing.txt"),
        (["parse", "page.txt", "--bogus"], "unrecognized arguments: --bogus"),
        (["parse", "page.txt", "-j", "-1"], "must be 0 (one per core) or more"),
        (["parse", "page.txt", "-j", "many"], "not a number: 'many'"),
        (["parse", "page.txt", "--format", "xml"], "invalid choice: 'xml'"),
        (["parse", "-", "-"], "standard input (-) can be read only once"),
        (["parse", "page.txt", "-o", "no/such/dir/out.jsonl"], "its directory does not exist"),
        (["parse", "page.txt", "-o", "same", "--errors", "same"], "must be different files"),
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
    assert (version.status, version.stdout) == (0, f"ctparse {ctparse.__version__}\n".encode())
    top = run("--help", cwd=tmp_path)
    assert top.status == 0 and b"examples:" in top.stdout and b"ctparse schema" in top.stdout
    sub = run("parse", "--help", cwd=tmp_path)
    assert sub.status == 0
    for words in (b"examples:", b"ctparse parse pages/ -o trials.jsonl", b"--lenient", b"exit"):
        assert words in sub.stdout


# ---------------------------------------------------------------- inside the command


def test_a_fault_in_the_parser_costs_one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str, *, lenient: bool = False) -> ctparse.Trial:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "parse", broken)
    outcome = cli.parse_page(Page(path="a.txt", line=7, data=b"Title\n"), False)
    assert not outcome.ok
    assert json.loads(outcome.json) == {
        "source": {"path": "a.txt", "line": 7},
        "line": 7,
        "column": 1,
        "message": "internal error while reading this page (RuntimeError: boom); "
        "please report it with the page",
    }


CRASHING_WORK = """
import os

from ctparse.cli.main import _parse_chunk


def work(pages, lenient):
    if any(page.data.startswith(b"CRASH") for page in pages):
        os._exit(3)
    return _parse_chunk(pages, lenient)
"""


# When a worker dies, CPython 3.11's pool may report a race in its own bookkeeping thread as an
# unhandled thread exception; the outcomes are not affected, and they are what is checked here.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_the_pool_survives_a_worker_that_dies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "crashing_work.py").write_text(CRASHING_WORK, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import crashing_work  # type: ignore[import-not-found]

    page = FULL.read_bytes()
    items = [
        cli._Item(Page(path="d.txt", line=i + 1, data=b"CRASH" if i == 40 else page), i)
        for i in range(100)
    ]
    outcomes = list(
        cli._outcomes(
            items,
            2,
            False,
            work=crashing_work.work,
            context=multiprocessing.get_context("spawn"),
        )
    )
    assert [item.page.line for item, _ in outcomes] == list(range(1, 101))
    assert [outcome.ok for _, outcome in outcomes] == [i != 40 for i in range(100)]
    assert json.loads(outcomes[40][1].json)["message"] == (
        "internal error: the worker process died while reading this page; "
        "please report it with the page"
    )
    assert without_source(json.loads(outcomes[99][1].json)) == golden(FULL)


# ---------------------------------------------------------------- --to ctgov and render


def test_to_ctgov_writes_v2_records_with_source(tmp_path: Path) -> None:
    result = run("parse", str(FULL), str(WITHDRAWN), "--to", "ctgov", "-q", cwd=tmp_path)
    assert result.status == 0
    first, second = result.records()
    assert first["source"] == {"path": str(FULL), "line": 1}
    assert without_source(first) == ctparse.to_ctgov(ctparse.parse_file(FULL))
    assert first["protocolSection"]["statusModule"]["overallStatus"] == "COMPLETED"
    assert second["protocolSection"]["identificationModule"]["nctId"] == "NCT09000003"
    assert "diagnostics" not in first


def test_to_ctgov_lenient_keeps_the_diagnostics(tmp_path: Path) -> None:
    page = ROOT / "fixtures" / "invalid" / "cut_in_helper.txt"
    result = run("parse", str(page), "--to", "ctgov", "--lenient", "-q", cwd=tmp_path)
    assert result.status == 0
    (record,) = [json.loads(result.stdout)]
    assert record["diagnostics"] == [
        {
            "line": 52,
            "column": 1,
            "code": "cut_off",
            "section": "Eligibility Criteria",
            "message": "Eligibility Criteria: the page is cut off after this heading",
        }
    ]
    assert record["hasResults"] is False


def test_render_gives_the_example_page_back(tmp_path: Path) -> None:
    trial_json = tmp_path / "seed.json"
    trial_json.write_bytes(run("parse", str(FULL), cwd=tmp_path).stdout)
    result = run("render", str(trial_json), cwd=tmp_path)
    assert result.status == 0
    assert result.stdout == FULL.read_bytes() + b"\n"


def test_render_json_lines_in_both_layouts_parse_back(tmp_path: Path) -> None:
    records = tmp_path / "all.jsonl"
    assert run("parse", str(VALID), "-o", str(records), "-q", cwd=tmp_path).status == 0
    expected = [without_source(json.loads(line)) for line in records.read_text().splitlines()]
    for layout in ("bare", "labelled"):
        pages = tmp_path / f"{layout}.txt"
        result = run("render", str(records), "--layout", layout, "-o", str(pages), cwd=tmp_path)
        assert result.status == 0
        again = run("parse", str(pages), "-q", cwd=tmp_path)
        assert again.status == 0
        got = [without_source(record) for record in again.records()]
        assert [r["nct_id"] for r in got] == [r["nct_id"] for r in expected]
        assert [r["eligibility"] for r in got] == [r["eligibility"] for r in expected]


def test_render_reports_a_line_that_is_no_trial(tmp_path: Path) -> None:
    records = tmp_path / "mixed.jsonl"
    records.write_text(
        run("parse", str(WITHDRAWN), "-q", "--format", "jsonl", cwd=tmp_path).stdout.decode()
        + '{"not": "a trial"}\n',
        encoding="utf-8",
    )
    result = run("render", str(records), cwd=tmp_path)
    assert result.status == 1
    assert "mixed.jsonl:2: not a Trial record" in result.stderr
    assert result.stdout.startswith(b"A Withdrawn Study With Nothing Filled In\n")
