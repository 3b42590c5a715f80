"""``ctparse tables``: pages in, one file per table out, written as a whole."""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import ctparse
from ctparse.cli.main import main
from support.command import (
    FULL,
    HTML,
    LABELLED,
    OBSERVATIONAL,
    WITHDRAWN,
    results_page,
    run,
    summary_of,
)


def folder(tmp_path: Path) -> Path:
    """Four trial pages (two in one dump), a results page, an empty file and HTML."""
    pages = tmp_path / "pages"
    pages.mkdir()
    shutil.copy(FULL, pages / "a.txt")
    (pages / "b.txt").write_bytes(LABELLED.read_bytes() + OBSERVATIONAL.read_bytes())
    (pages / "c.txt").write_text(results_page()[1], encoding="utf-8")
    (pages / "d.txt").write_bytes(b"")
    (pages / "e.txt").write_bytes(HTML)
    shutil.copy(WITHDRAWN, pages / "f.txt")
    return pages


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_page_read_is_a_row_of_pages_or_errors(tmp_path: Path) -> None:
    folder(tmp_path)
    result = run("tables", "pages", "-o", "out", cwd=tmp_path)
    assert result.status == 1
    pages = rows(tmp_path / "out" / "pages.csv")
    errors = rows(tmp_path / "out" / "errors.csv")
    assert [(p["id"], p["kind"], p["source_path"], p["source_line"]) for p in pages] == [
        ("1", "trial", "pages/a.txt", "1"),
        ("2", "trial", "pages/b.txt", "1"),
        ("3", "trial", "pages/b.txt", "250"),
        ("4", "results", "pages/c.txt", "1"),
        ("5", "trial", "pages/f.txt", "1"),
    ]
    assert pages[3]["nct_id"] == results_page()[0].nct_id
    assert [(e["source_path"], e["line"], e["code"]) for e in errors] == [
        ("pages/d.txt", "1", "empty"),
        ("pages/e.txt", "1", "not_a_page"),
    ]
    # The results page's own tables, keyed by its nct_id.
    groups = rows(tmp_path / "out" / "result_groups.csv")
    assert groups and {group["nct_id"] for group in groups} == {results_page()[0].nct_id}
    studies = rows(tmp_path / "out" / "studies.csv")
    assert [study["nct_id"] for study in studies] == [
        ctparse.parse_file(path).nct_id for path in (FULL, LABELLED, OBSERVATIONAL, WITHDRAWN)
    ]
    assert result.summary().startswith(
        summary_of(7, 5, 2, trial=4, results=1, none=2)
        + " (in out/errors.csv: 1 empty, 1 not_a_page); "
    )


def test_jobs_and_formats_give_the_same_tables(tmp_path: Path) -> None:
    folder(tmp_path)
    assert run("tables", "pages", "-o", "one", "-q", cwd=tmp_path).status == 1
    assert run("tables", "pages", "-o", "two", "-q", "-j", "2", cwd=tmp_path).status == 1
    names = sorted(path.name for path in (tmp_path / "one").iterdir())
    assert names == sorted(path.name for path in (tmp_path / "two").iterdir())
    for name in names:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    parquet = run("tables", "pages", "-o", "pq", "--format", "parquet", "-q", cwd=tmp_path)
    assert parquet.status == 1
    table = pq.read_table(tmp_path / "pq" / "pages.parquet").to_pylist()
    assert [row["kind"] for row in table] == ["trial"] * 3 + ["results", "trial"]
    assert [row["source_line"] for row in table] == [1, 1, 250, 1, 1]
    assert pq.read_table(tmp_path / "pq" / "errors.parquet").num_rows == 2


def test_a_refused_or_failed_run_leaves_dir_as_it_was(tmp_path: Path) -> None:
    folder(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.md").write_text("mine", encoding="utf-8")
    refused = run("tables", "pages", "-o", "out", cwd=tmp_path)
    assert refused.status == 2 and "holds files that are not tables" in refused.stderr
    assert [path.name for path in (tmp_path / "out").iterdir()] == ["notes.md"]
    missing = run("tables", "pages", "nothing.txt", "-o", "new", cwd=tmp_path)
    assert missing.status == 2 and not (tmp_path / "new").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "pages"]


def test_parquet_without_pyarrow_is_a_usage_error_naming_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FULL, tmp_path / "page.txt")
    # ``None`` in sys.modules makes ``import pyarrow`` fail as if it were not installed.
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exited:
        main(["tables", str(tmp_path / "page.txt"), "-o", str(out), "--format", "parquet"])
    assert exited.value.code == 2
    assert 'pip install "ctparse[parquet]"' in capsys.readouterr().err
    assert not out.exists()
