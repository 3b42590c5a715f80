"""``ctparse render``: records back to page text."""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

from support.command import (
    CTPARSE,
    FULL,
    VALID,
    WITHDRAWN,
    run,
    without_source,
)


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
    assert "mixed.jsonl:2:1: not_a_record: not: unknown key" in result.stderr
    assert result.stdout.startswith(b"A Withdrawn Study With Nothing Filled In\n")


def test_render_reports_a_line_that_is_not_utf8_and_goes_on(tmp_path: Path) -> None:
    record = run("parse", str(WITHDRAWN), "-q", "--format", "jsonl", cwd=tmp_path).stdout
    bad = record.replace(b"Withdrawn Study", b"Withdrawn \xff Study", 1)
    (tmp_path / "mixed.jsonl").write_bytes(record + bad + record)
    result = run("render", "mixed.jsonl", cwd=tmp_path)
    assert result.status == 1
    column = bad.index(b"\xff") + 1
    assert result.stderr == (
        f"mixed.jsonl:2:1: not_a_record: not UTF-8 text: byte 0xff at column {column}\n"
    )
    page = run("render", str(tmp_path / "mixed.jsonl"), cwd=tmp_path).stdout.split(b"\n\n")[0]
    assert result.stdout.count(b"A Withdrawn Study With Nothing Filled In\n") == 2
    assert page.startswith(b"A Withdrawn Study With Nothing Filled In\n")


def test_render_streams_each_page_out_before_reading_the_rest(tmp_path: Path) -> None:
    # FILE is a named pipe fed one record: its page must come out while the pipe is open.
    record = run("parse", str(WITHDRAWN), "-q", "--format", "jsonl", cwd=tmp_path).stdout
    fifo = tmp_path / "records.jsonl"
    os.mkfifo(fifo)
    process = subprocess.Popen(
        [CTPARSE, "render", str(fifo)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    # A command that waits for the end of FILE is stopped, so the test fails, not hangs.
    watchdog = threading.Timer(30, process.kill)
    watchdog.start()
    with open(fifo, "wb") as writer:
        writer.write(record)
        writer.flush()
        assert process.stdout.readline() == b"A Withdrawn Study With Nothing Filled In\n"
        writer.write(record)
    rest = process.stdout.read()
    watchdog.cancel()
    assert process.wait(timeout=60) == 0
    assert rest.count(b"A Withdrawn Study With Nothing Filled In\n") == 1
