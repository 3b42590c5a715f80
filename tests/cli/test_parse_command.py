"""``ctparse parse``: pages in, records and error records out, in input order."""

from __future__ import annotations

import gzip
import json
import shutil
import sys
from pathlib import Path
from typing import Any

import ctparse
from support.command import (
    FULL,
    LABELLED,
    OBSERVATIONAL,
    REAL,
    WITHDRAWN,
    assert_valid,
    golden,
    jsonl,
    run,
    summary_of,
    without_source,
)
from support.paths import ROOT


def test_one_page_is_one_json_line_like_any_other(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    result = run("parse", "page.txt", cwd=tmp_path)
    assert result.status == 0
    assert result.stdout.count(b"\n") == 1
    expected = {"kind": "trial", "source": {"path": "page.txt", "line": 1}, **golden(FULL)}
    assert result.records() == [expected]
    assert result.summary().startswith(summary_of(1, 1, 0, trial=1) + "; ")
    assert result.summary().endswith(" s)")


def test_python_dash_m_is_the_same_command(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    result = run("parse", "page.txt", cwd=tmp_path, command=[sys.executable, "-m", "ctparse"])
    assert result.status == 0
    assert [without_source(record) for record in result.records()] == [golden(FULL)]


def test_a_gzip_file(tmp_path: Path) -> None:
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(FULL.read_bytes()))
    result = run("parse", "page.txt.gz", cwd=tmp_path)
    assert (result.status, without_source(json.loads(result.stdout))) == (0, golden(FULL))


def test_standard_input_plain_and_gzip(tmp_path: Path) -> None:
    plain = run("parse", "-", cwd=tmp_path, stdin=FULL.read_bytes())
    assert plain.status == 0
    assert plain.records() == [
        {"kind": "trial", "source": {"path": "<stdin>", "line": 1}, **golden(FULL)}
    ]
    packed = run("parse", "-", cwd=tmp_path, stdin=gzip.compress(FULL.read_bytes()))
    assert (packed.status, packed.stdout) == (0, plain.stdout)
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
    assert lines.records() == [
        {"kind": "trial", "source": {"path": "page.txt", "line": 1}, **golden(FULL)}
    ]
    array = run("parse", "page.txt", "--format", "json", cwd=tmp_path)
    assert json.loads(array.stdout) == lines.records()
    to_file = run("parse", "page.txt", "-o", "out.jsonl", cwd=tmp_path)
    assert (to_file.status, to_file.stdout) == (0, b"")
    assert (tmp_path / "out.jsonl").read_bytes() == lines.stdout


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
    assert result.summary().startswith(summary_of(3, 3, 0, trial=3))
    assert_valid(schemas, records)


def test_a_dump_of_scraped_excerpts_joined_without_line_breaks(tmp_path: Path) -> None:
    excerpts = sorted(REAL.glob("*.txt"))
    (tmp_path / "dump.txt").write_bytes(b"".join(path.read_bytes() for path in excerpts))
    result = run("parse", "dump.txt", "--lenient", "--format", "jsonl", cwd=tmp_path)
    records = result.records()
    assert len(records) == len(excerpts) == 17
    expected = [
        ctparse.to_dict(ctparse.parse_file(path, lenient=True, kind="auto")) for path in excerpts
    ]
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
    assert result.stderr.splitlines()[0].startswith(summary_of(4, 4, 0, trial=4))
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
    assert {path: error["code"] for path, error in by_file.items()} == {
        "mixed/d_empty.txt": "empty",
        "mixed/e_binary.txt": "not_text",
        "mixed/f_html.txt": "not_a_page",
        "mixed/g_utf16.txt": "not_text",
        "mixed/h_latin1.txt": "not_utf8",
        "mixed/i_cut.txt": "cut_off",
    }
    # Ten pages in: four records and six errors, and the summary says so, by kind and code.
    assert [error["kind"] for error in errors] == [None] * 5 + ["trial"]
    assert result.summary().startswith(
        summary_of(10, 4, 6, trial=5, none=5)
        + " (in errors.jsonl: 2 not_text, 1 empty, 1 not_a_page, 1 not_utf8, 1 cut_off); "
    )
    assert_valid(schemas, records, errors)


def test_without_errfile_error_records_go_to_stderr(tmp_path: Path) -> None:
    bad_tree(tmp_path)
    result = run("parse", "mixed", "-o", "out.jsonl", cwd=tmp_path)
    assert result.status == 1
    # As a compiler writes them: path:line:column: code: message.
    lines = result.error_lines()
    assert lines[0] == "mixed/d_empty.txt:1:1: empty: the text is empty: expected a trial page"
    assert lines[4].startswith("mixed/h_latin1.txt:96:2: not_utf8: the file is not UTF-8: ")
    assert lines[5].startswith("mixed/i_cut.txt:52:1: cut_off: ")
    assert len(lines) == 6
    assert result.summary().startswith(
        summary_of(10, 4, 6, trial=5, none=5)
        + " (2 not_text, 1 empty, 1 not_a_page, 1 not_utf8, 1 cut_off); "
    )


def test_lenient_writes_partial_trials_with_diagnostics(tmp_path: Path, schemas: Any) -> None:
    bad_tree(tmp_path)
    result = run(
        "parse", "mixed", "--lenient", "-o", "out.jsonl", "--errors", "e.jsonl", cwd=tmp_path
    )
    records = jsonl(tmp_path / "out.jsonl")
    errors = jsonl(tmp_path / "e.jsonl")
    # Bytes that are no UTF-8 text, and text that is no page at all, stay errors.
    assert [error["source"]["path"] for error in errors] == [
        "mixed/d_empty.txt",
        "mixed/e_binary.txt",
        "mixed/f_html.txt",
        "mixed/g_utf16.txt",
        "mixed/h_latin1.txt",
    ]
    assert len(records) == 5
    cut = next(record for record in records if record["source"]["path"] == "mixed/i_cut.txt")
    assert [diagnostic["line"] for diagnostic in cut["diagnostics"]] == [52]
    assert result.status == 1
    assert result.summary().startswith(
        summary_of(10, 5, 5, trial=5, none=5)
        + " (in e.jsonl: 2 not_text, 1 empty, 1 not_a_page, 1 not_utf8), 1 with diagnostics; "
    )
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
        written, failed = records.count(b"\n"), errors.count(b"\n")
        assert result.summary().startswith("ctparse: 262 pages read (")
        assert f"{written} records written, {failed} errors" in result.summary()
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


def test_workers_that_split_their_own_part_of_a_dump_write_what_one_process_writes(
    tmp_path: Path,
) -> None:
    # Every fixture page, glued to the one before as cat joins scraped pages, until the dump
    # is handed to the workers in several spans (ctparse.batch.spans.SPAN_BYTES).
    pages = [
        path.read_bytes()
        for kind in ("valid", "real", "invalid", "results")
        for path in sorted((ROOT / "fixtures" / kind).glob("*.txt"))
    ]
    # Not the files that are no text at all: at the start of a dump, they make all of it so.
    data = b"".join(page for page in pages if b"\x00" not in page and b"\xff\xfe" not in page)
    (tmp_path / "dump.txt").write_bytes(data * (2_500_000 // len(data) + 1))
    outputs = {}
    for jobs in ("1", "2"):
        done = run(
            "parse", "dump.txt", "-j", jobs, "-q", "--errors", f"e{jobs}.jsonl",
            "-o", f"o{jobs}.jsonl", cwd=tmp_path,
        )  # fmt: skip
        assert done.status == 1  # some fixture pages are no pages at all
        outputs[jobs] = [(tmp_path / f"{kind}{jobs}.jsonl").read_bytes() for kind in "oe"]
    assert outputs["1"] == outputs["2"]
    records, errors = outputs["2"]
    assert records.count(b"\n") > 200 and errors.count(b"\n") > 10
