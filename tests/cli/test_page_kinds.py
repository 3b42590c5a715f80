"""Both page kinds through the command, and the command line without surprises: one output
shape, compiler-style errors, render of whatever parse writes, no empty record for a text
that is no page, one rule for where pages start, criteria of any depth."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import ctparse
from ctparse.cli.progress import progress_line
from ctparse.formats import deepjson
from ctparse.model import Criterion, Eligibility, Trial
from support.command import (
    FULL,
    HTML,
    WITHDRAWN,
    assert_valid,
    golden,
    jsonl,
    results_page,
    run,
    summary_of,
)

JSON_FILE = b'{"nct_id": "NCT05001971", "title": "a record, not a page"}\n'


def mixed_dump(tmp_path: Path) -> Path:
    """A trial page, a results page and a trial page, in one file (lines 1, 118, ...)."""
    results_text = results_page()[1]
    dump = tmp_path / "mixed.txt"
    dump.write_text(
        FULL.read_text(encoding="utf-8") + "\n" + results_text + WITHDRAWN.read_text("utf-8"),
        encoding="utf-8",
    )
    return dump


def test_a_dump_of_both_kinds_gives_a_record_of_each_kind(tmp_path: Path, schemas: Any) -> None:
    mixed_dump(tmp_path)
    (tmp_path / "html.txt").write_bytes(HTML)
    result = run("parse", "mixed.txt", "html.txt", "--errors", "e.jsonl", cwd=tmp_path)
    assert result.status == 1
    records = result.records()
    results, text = results_page()
    third = 118 + text.count("\n")
    assert [(r["kind"], r["source"]["line"]) for r in records] == [
        ("trial", 1),
        ("results", 118),
        ("trial", third),
    ]
    assert records[1] == {
        "kind": "results",
        "source": {"path": "mixed.txt", "line": 118},
        **ctparse.to_dict(results),
    }
    assert {k: v for k, v in records[0].items() if k not in ("kind", "source")} == golden(FULL)
    errors = jsonl(tmp_path / "e.jsonl")
    assert [(e["kind"], e["code"]) for e in errors] == [(None, "not_a_page")]
    assert result.summary().startswith(
        summary_of(4, 3, 1, trial=2, results=1, none=1) + " (in e.jsonl: 1 not_a_page); "
    )
    assert_valid(schemas, records, errors)
    # The schema tells the kinds apart: a results record is no trial record.
    assert list(schemas[0].iter_errors({**records[1], "kind": "trial"})) != []


def test_to_ctgov_writes_results_records_with_their_results_section(tmp_path: Path) -> None:
    mixed_dump(tmp_path)
    result = run("parse", "mixed.txt", "--to", "ctgov", "-q", cwd=tmp_path)
    trial, results, _ = result.records()
    assert trial["kind"] == "trial" and "resultsSection" not in trial
    assert results["kind"] == "results"
    expected = ctparse.to_ctgov(results_page()[0])
    assert {k: v for k, v in results.items() if k not in ("kind", "source")} == expected
    assert results["protocolSection"]["identificationModule"]["nctId"] == results_page()[0].nct_id
    assert set(results["resultsSection"]) >= {"participantFlowModule", "outcomeMeasuresModule"}


def test_the_shape_does_not_depend_on_the_number_of_pages(tmp_path: Path) -> None:
    one = run("parse", str(FULL), "-q", cwd=tmp_path)
    two = run("parse", str(FULL), str(WITHDRAWN), "-q", cwd=tmp_path)
    assert two.stdout.startswith(one.stdout)
    assert [set(record) for record in one.records()] == [set(two.records()[0])]
    assert list(one.records()[0])[:2] == ["kind", "source"]
    array = run("parse", str(FULL), "-q", "--format", "json", cwd=tmp_path)
    assert json.loads(array.stdout) == one.records()


@pytest.mark.parametrize("lenient", [[], ["--lenient"]])
def test_text_that_is_no_page_stays_an_error_record(tmp_path: Path, lenient: list[str]) -> None:
    (tmp_path / "page.html").write_bytes(HTML)
    (tmp_path / "record.json").write_bytes(JSON_FILE)
    result = run("parse", "page.html", "record.json", "-q", *lenient, cwd=tmp_path)
    assert (result.status, result.stdout) == (1, b"")
    assert [line.split(": ")[:2] for line in result.error_lines()] == [
        ["page.html:1:1", "not_a_page"],
        ["record.json:1:1", "not_a_page"],
    ]


def test_errors_dash_is_standard_error_and_formats_can_be_chosen(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    dash = run("parse", "empty.txt", "--errors", "-", "-q", cwd=tmp_path)
    assert dash.stderr == "empty.txt:1:1: empty: the text is empty: expected a trial page\n"
    assert not (tmp_path / "-").exists()
    as_json = run("parse", "empty.txt", "--error-format", "jsonl", "-q", cwd=tmp_path)
    assert as_json.error_records() == [
        {
            "kind": None,
            "source": {"path": "empty.txt", "line": 1},
            "line": 1,
            "column": 1,
            "code": "empty",
            "message": "the text is empty: expected a trial page",
        }
    ]
    run("parse", "empty.txt", "--errors", "e.txt", "--error-format", "text", cwd=tmp_path)
    assert (tmp_path / "e.txt").read_text(encoding="utf-8") == dash.stderr


@pytest.mark.parametrize("layout", ["bare", "labelled"])
def test_render_reads_every_shape_parse_writes(tmp_path: Path, layout: str) -> None:
    mixed_dump(tmp_path)
    lines = run("parse", "mixed.txt", "-q", cwd=tmp_path).stdout
    pages = [
        ctparse.render(ctparse.from_dict(json.loads(line)), layout)  # type: ignore[arg-type]
        for line in lines.splitlines()
    ]
    want = ("\n".join(pages) + "\n").encode()
    for options in ([], ["--format", "json"]):
        written = run("parse", "mixed.txt", "-q", *options, cwd=tmp_path).stdout
        shown = run("render", "-", "--layout", layout, cwd=tmp_path, stdin=written)
        assert (shown.status, shown.stderr, shown.stdout) == (0, "", want)
    ctgov = run("parse", "mixed.txt", "-q", "--to", "ctgov", cwd=tmp_path).stdout
    shown = run("render", "-", "--layout", layout, cwd=tmp_path, stdin=ctgov)
    assert (shown.status, shown.stderr) == (0, "")
    again = run("parse", "-", "-q", cwd=tmp_path, stdin=shown.stdout).records()
    assert [(r["kind"], r["nct_id"]) for r in again] == [
        ("trial", "NCT05001971"),
        ("results", results_page()[0].nct_id),
        ("trial", "NCT09000003"),
    ]
    # A results page read back from its own rendering is the same Results.
    assert ctparse.from_dict(again[1]) == results_page()[0]


def test_a_mistyped_nct_id_line_is_one_page_with_the_library_s_error(tmp_path: Path) -> None:
    text = FULL.read_text(encoding="utf-8").replace("NCT ID: NCT05001971", "NCT ID:NCT05001971")
    (tmp_path / "page.txt").write_text(text, encoding="utf-8")
    result = run("parse", "page.txt", "--errors", "e.jsonl", "-q", cwd=tmp_path)
    with pytest.raises(ctparse.ParseError) as raised:
        ctparse.parse(text)
    (error,) = jsonl(tmp_path / "e.jsonl")
    assert result.stdout == b""
    assert (error["code"], error["line"], error["column"], error["message"]) == (
        raised.value.code,
        raised.value.line,
        raised.value.column,
        raised.value.reason,
    )


def test_criteria_of_any_depth_go_through_the_command(tmp_path: Path) -> None:
    criterion = Criterion(text="innermost")
    for level in range(1999, 0, -1):
        criterion = Criterion(text=f"level {level}:", children=(criterion,))
    deep = Trial(
        nct_id="NCT01234567",
        title="A deep trial",
        eligibility=Eligibility(inclusion=(criterion,), exclusion=(Criterion(text="x"),)),
    )
    (tmp_path / "deep.txt").write_text(ctparse.render(deep), encoding="utf-8")
    result = run("parse", "deep.txt", "-q", "--lenient", cwd=tmp_path)
    assert result.status == 0
    (record,) = [deepjson.loads(line) for line in result.stdout.decode().splitlines()]
    depth, node = 0, record["eligibility"]["inclusion"][0]
    while node["children"]:
        depth, node = depth + 1, node["children"][0]
    assert (depth, node["text"]) == (1999, "innermost")
    shown = run("render", "-", cwd=tmp_path, stdin=result.stdout)
    assert (shown.status, shown.stdout.decode()) == (0, ctparse.render(deep) + "\n")


@pytest.mark.parametrize("width", [20, 30, 40, 60, 67, 80, 120])
def test_the_progress_line_fits_the_terminal(width: int) -> None:
    for done in (None, 0.0, 0.5, 1.0):
        line = progress_line(123_456, 12.5, done, width)
        assert len(line) < width
        assert "123,456 pages" in line or width < 16
    assert progress_line(1, 1.0, None, 80).startswith("1 page  ")
    assert progress_line(2, 1.0, None, 80).startswith("2 pages  ")
