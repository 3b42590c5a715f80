"""Sinks: the interface a run writes through (a custom sink here), the JSON sinks, and atomic
files."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ctparse.batch.inputs import items
from ctparse.batch.records import PageRecord, trial_of
from ctparse.batch.run import BatchRun
from ctparse.batch.sinks import AtomicFile, ErrorSink, JsonSink, Sink, WriteFailed
from support.command import FULL, OBSERVATIONAL, WITHDRAWN, golden


def nct_and_sites(record: PageRecord) -> tuple[str | None, int]:
    """An encoder of a table-like sink: runs in the workers."""
    trial = trial_of(record)
    return trial.nct_id, len(trial.locations)


class ListSink:
    """A sink that keeps what it is given, and says what was called."""

    def __init__(self, encode: Callable[[PageRecord], Any]) -> None:
        self.encode = encode
        self.rows: list[Any] = []
        self.calls: list[str] = []

    def encoder(self) -> Callable[[PageRecord], Any]:
        return self.encode

    def open(self) -> None:
        self.calls.append("open")

    def write(self, encoded: Any) -> None:
        self.rows.append(encoded)

    def commit(self) -> None:
        self.calls.append("commit")

    def abort(self) -> None:
        self.calls.append("abort")


def error_code(record: PageRecord) -> tuple[int, str]:
    assert record.error is not None
    return record.error.line, record.error.code


def dump(tmp_path: Path) -> Path:
    """Two pages (lines 1 and 118), an empty file, a file that is no page, and a page."""
    path = tmp_path / "dump.txt"
    path.write_bytes(FULL.read_bytes() + b"\n" + WITHDRAWN.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "html.txt").write_bytes(b"<html>\n<p>not a page</p>\n</html>\n")
    (tmp_path / "observational.txt").write_bytes(OBSERVATIONAL.read_bytes())
    return path


NAMES = ("dump.txt", "empty.txt", "html.txt", "observational.txt")


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_custom_sink_gets_its_encoded_records_in_input_order(tmp_path: Path, jobs: int) -> None:
    dump(tmp_path)
    records, errors = ListSink(nct_and_sites), ListSink(error_code)
    sinks: tuple[Sink, Sink] = (records, errors)
    summary = BatchRun(*sinks).run(items([str(tmp_path / name) for name in NAMES]), jobs=jobs)
    assert records.rows == [("NCT05001971", 1), ("NCT09000003", 0), ("NCT09000002", 1)]
    assert errors.rows == [(1, "empty"), (1, "not_a_page")]
    assert records.calls == errors.calls == ["open", "commit"]
    assert (summary.pages, summary.records, summary.errors) == (5, 3, 2)
    assert dict(summary.codes) == {"empty": 1, "not_a_page": 1}


def test_a_run_that_fails_aborts_every_sink(tmp_path: Path) -> None:
    dump(tmp_path)

    class Failing(ListSink):
        def write(self, encoded: Any) -> None:
            if len(self.rows) == 1:
                raise WriteFailed("rows", OSError(28, "No space left on device"))
            super().write(encoded)

    records, errors = Failing(nct_and_sites), ListSink(error_code)
    with pytest.raises(WriteFailed):
        BatchRun(records, errors).run(items([str(tmp_path / name) for name in NAMES]))
    assert records.calls == errors.calls == ["open", "abort"]


def test_json_sink_forms(tmp_path: Path) -> None:
    dump(tmp_path)
    for form in ("jsonl", "json"):
        out = tmp_path / f"out.{form}"
        sink = JsonSink(str(out), io.BytesIO(), form=form)
        stderr = io.BytesIO()
        run = BatchRun(sink, ErrorSink(None, stderr))
        run.run(items([str(tmp_path / name) for name in NAMES]))
        text = out.read_text(encoding="utf-8")
        written = json.loads(text) if form == "json" else [json.loads(x) for x in text.splitlines()]
        assert [record["source"]["line"] for record in written] == [1, 118, 1]
        assert written[0]["kind"] == "trial"
        assert {k: v for k, v in written[0].items() if k not in ("kind", "source")} == golden(FULL)
        codes = [json.loads(line)["code"] for line in stderr.getvalue().splitlines()]
        assert codes == ["empty", "not_a_page"]


def test_an_aborted_atomic_file_leaves_the_old_one(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"old\n")
    os.chmod(path, 0o640)
    aborted = AtomicFile(str(path))
    aborted.stream.write(b"new\n")
    aborted.discard()
    assert path.read_bytes() == b"old\n"
    committed = AtomicFile(str(path))
    committed.stream.write(b"new\n")
    assert path.read_bytes() == b"old\n"
    committed.commit()
    assert path.read_bytes() == b"new\n"
    assert os.stat(path).st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]


class _RenameFails(ErrorSink):
    def commit(self) -> None:
        raise WriteFailed(str(self.path), OSError(18, "Invalid cross-device link"))


def test_outputs_are_written_out_before_either_is_put_in_place(tmp_path: Path) -> None:
    out, errors = tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    out.write_text("old out\n", encoding="utf-8")
    errors.write_text("old errors\n", encoding="utf-8")
    (tmp_path / "page.txt").write_bytes(FULL.read_bytes())
    records = JsonSink(str(out), io.BytesIO())
    failing = _RenameFails(str(errors), io.BytesIO())
    with pytest.raises(WriteFailed):
        BatchRun(records, failing).run(items([str(tmp_path / "page.txt")]))
    # Only a failing rename can part them, and the sinks say which is which.
    assert records.committed == str(out) and records.replaced == ()
    assert failing.committed is None and failing.replaced == (str(errors),)
    assert out.read_text(encoding="utf-8").startswith('{"kind":"trial"')
    assert errors.read_text(encoding="utf-8") == "old errors\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "errors.jsonl",
        "out.jsonl",
        "page.txt",
    ]


def test_records_are_encoded_as_deepjson_writes_them_at_any_depth() -> None:
    from ctparse.batch.sinks import _compact
    from ctparse.formats import deepjson

    title = "Ünïcode \u2013 \u201cquoted\u201d"
    shallow = {"kind": "trial", "title": title, "n": [1, 2.5, None, True]}
    deep: dict[str, object] = {"text": "leaf"}
    for _ in range(3000):
        deep = {"children": [deep]}
    for value in (shallow, deep):
        expected = deepjson.dumps(value, separators=(",", ":")).encode("utf-8")
        assert _compact(value) == expected
    assert _compact(shallow).startswith('{"kind":"trial","title":"Ünïcode'.encode())
