"""``ctparse render``: records back to page text."""

from __future__ import annotations

import json
from pathlib import Path

from support.command import (
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
    assert "mixed.jsonl:2: not a Trial record" in result.stderr
    assert result.stdout.startswith(b"A Withdrawn Study With Nothing Filled In\n")
