"""Spans: workers that split their own byte ranges of a dump find exactly the pages that the
parent's splitter finds, and the run writes exactly what it writes."""

from __future__ import annotations

import functools
import io
import itertools
import multiprocessing
import random
from pathlib import Path

import pytest

from ctparse.batch import spans
from ctparse.batch.inputs import items, read_pages
from ctparse.batch.run import BatchRun, _Reading, work_on_units
from ctparse.batch.sinks import ErrorSink, JsonSink
from ctparse.batch.spans import (
    Span,
    SpanChain,
    SpanResult,
    line_breaks,
    page_start,
    plain_size,
    plan,
    split_span,
    units,
)
from ctparse.batch.splitter import Page, Splitter, split_pages
from support.paths import FIXTURES

FULL = FIXTURES / "valid" / "NCT05001971.txt"

CRASHING_SPANS = """
import os

from ctparse.batch.run import work_on_units
from ctparse.batch.spans import Span


def work(units, **options):
    for unit in units:
        if isinstance(unit, Span):
            with open(unit.path, "rb") as raw:
                raw.seek(unit.start)
                if b"CRASH" in raw.read((unit.stop or 1 << 30) - unit.start):
                    os._exit(3)
        elif unit.page.data.startswith(b"CRASH"):
            os._exit(3)
    return work_on_units(units, **options)
"""


def _fixture_pages() -> list[bytes]:
    return [path.read_bytes() for path in sorted(FIXTURES.rglob("*.txt"))]


def _dump(
    tmp_path: Path, name: str, separator: bytes, newline: bytes = b"\n", copies: int = 3
) -> Path:
    """Every fixture page, ``copies`` times in a shuffled order, joined by ``separator``
    (nothing: each page glued to the last line of the one before, as ``cat`` joins scraped
    pages)."""
    pages = _fixture_pages() * copies
    random.Random(13).shuffle(pages)
    data = separator.join(pages).replace(b"\r\n", b"\n")
    path = tmp_path / name
    path.write_bytes(data.replace(b"\n", newline))
    return path


def _key(page: Page) -> tuple[object, ...]:
    return (page.path, page.line, page.column, page.offset, page.data, page.error, page.code)


def _pages_by_spans(path: Path) -> tuple[list[Page], int]:
    """The pages of ``path`` as the workers split it, joined as a run joins them; and how
    many stretches had to be split again."""
    redone = 0

    def result(split: spans.SpanPages) -> SpanResult:
        starts = [page.offset for page in split.pages]
        ends = [page.offset + len(page.data) for page in split.pages]
        return SpanResult(list(split.pages), starts, ends, split.syncs, split.end)

    def redo(span: Span, given: SpanResult) -> SpanResult:
        nonlocal redone
        redone += 1
        return result(split_span(span))

    chain = SpanChain(redo)
    pages: list[Page] = []
    size = plain_size(str(path))
    assert size is not None
    for span in plan(str(path), size):
        taken, _ = chain.take(span, result(split_span(span)))
        pages.extend(page for page in taken if isinstance(page, Page))
    return pages, redone


@pytest.mark.parametrize(
    ("separator", "newline"),
    [(b"", b"\n"), (b"\n", b"\n"), (b"\n\n", b"\n"), (b"\n", b"\r\n"), (b"", b"\r")],
    ids=["glued", "one-break", "blank-line", "crlf", "cr-glued"],
)
@pytest.mark.parametrize("span_bytes", [3000, 40_000])
def test_spans_give_the_pages_the_splitter_gives(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    separator: bytes,
    newline: bytes,
    span_bytes: int,
) -> None:
    monkeypatch.setattr(spans, "SPAN_BYTES", span_bytes)
    monkeypatch.setattr(spans, "_SEARCH_BYTES", span_bytes // 4)
    path = _dump(tmp_path, "dump.txt", separator, newline)
    expected = [_key(page) for page in read_pages(str(path))]
    assert len(list(plan(str(path), path.stat().st_size))) >= 15
    found, _ = _pages_by_spans(path)
    assert [_key(page) for page in found] == expected


def test_a_span_that_starts_inside_a_page_is_joined_at_the_next_shared_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages glued to each other start inside a line: no span starts where one does.
    monkeypatch.setattr(spans, "SPAN_BYTES", 5000)
    path = tmp_path / "glued.txt"
    path.write_bytes(FULL.read_bytes() * 12)
    expected = [_key(page) for page in read_pages(str(path))]
    assert [page.column for page in read_pages(str(path))][1] > 1
    found, redone = _pages_by_spans(path)
    assert [_key(page) for page in found] == expected
    assert len(expected) == 12
    assert redone == 0


def test_plan_cuts_at_titles_and_counts_the_lines_before_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spans, "SPAN_BYTES", 20_000)
    page = FULL.read_bytes() + b"\n"
    path = tmp_path / "dump.txt"
    path.write_bytes(page * 40)
    planned = list(plan(str(path), path.stat().st_size))
    data = path.read_bytes()
    assert planned[0].start == 0 and planned[-1].stop is None
    for before, after in itertools.pairwise(planned):
        assert before.stop == after.start
        # Each span starts at a page's title, on the line the file has it.
        assert after.start % len(page) == 0
        assert after.line == data[: after.start].count(b"\n") + 1
    assert {span.shown for span in planned} == {str(path)}


def test_a_small_file_is_one_span_and_gzip_is_split_by_the_parent(tmp_path: Path) -> None:
    plain = tmp_path / "page.txt"
    plain.write_bytes(FULL.read_bytes())
    packed = tmp_path / "page.txt.gz"
    import gzip

    packed.write_bytes(gzip.compress(FULL.read_bytes()))
    found = list(units([str(plain), str(packed)]))
    assert isinstance(found[0], Span) and (found[0].start, found[0].stop) == (0, None)
    assert [type(unit).__name__ for unit in found] == ["Span", "Item"]
    assert found[1].page.data == FULL.read_bytes()  # type: ignore[union-attr]
    assert plain_size(str(tmp_path)) is None
    (tmp_path / "utf16.txt").write_bytes("\ufeffNCT".encode("utf-16-le"))
    assert plain_size(str(tmp_path / "utf16.txt")) is None


def test_page_start_prefers_a_title_before_an_nct_id_line() -> None:
    data = b"x\nbody line\nA Trial Title\n\nNCT ID: NCT01234567\nLast Updated: 2024\n"
    assert page_start(data, 3, len(data)) == data.index(b"A Trial")
    results = b"x\nsome line\nTrial Outcomes & Findings for X (NCT NCT01234567)\n"
    assert page_start(results, 1, len(results)) == results.index(b"Trial Outcomes")
    # Nothing like a page start: the first line start.
    assert page_start(b"abc\r\ndef\rghi\n", 1, 13) == 5
    assert page_start(b"abc\rdef", 1, 7) == 4
    assert page_start(b"abcdef", 1, 6) is None


def test_line_breaks_count_crlf_once() -> None:
    assert line_breaks(b"a\r\nb\rc\nd") == 3
    assert line_breaks(b"a\nb\n") == 2


def test_a_splitter_resumed_where_a_page_starts_cuts_as_the_whole_file_does() -> None:
    data = FULL.read_bytes() * 3  # glued: the second page starts inside a line
    found = split_pages(data)
    line, column, offset, _ = found[1]
    assert column > 1
    resumed = Splitter(line, column, offset)
    rest = data[offset:].splitlines(keepends=True)
    pages = resumed.feed_lines(rest) + resumed.finish()
    assert pages == found[1:]


def _run(
    paths: list[str], jobs: int, lenient: bool, use_spans: bool, work: object = work_on_units
) -> tuple[bytes, bytes, object]:
    out, errors = io.BytesIO(), io.BytesIO()
    batch = BatchRun(
        JsonSink(None, out, lenient=lenient), ErrorSink(None, errors, form="jsonl")
    )
    summary = batch.run(
        units(paths) if use_spans else items(paths),
        jobs=jobs,
        lenient=lenient,
        work=work,  # type: ignore[arg-type]
        context=multiprocessing.get_context("spawn"),
    )
    return out.getvalue(), errors.getvalue(), (summary.pages, summary.codes, summary.kinds)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_over_spans_writes_what_a_run_over_split_pages_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, jobs: int
) -> None:
    monkeypatch.setattr(spans, "SPAN_BYTES", 20_000)
    paths = [
        str(_dump(tmp_path, "glued.txt", b"", copies=1)),
        str(_dump(tmp_path, "crlf.txt", b"\n", b"\r\n", copies=1)),
        str(FIXTURES / "invalid"),
    ]
    redone: list[int] = []
    redo = _Reading.redo

    def counted(self: _Reading, span: Span, given: SpanResult) -> SpanResult:
        redone.append(span.start)
        return redo(self, span, given)

    monkeypatch.setattr(_Reading, "redo", counted)
    lenient = jobs == 2  # each mode once
    assert _run(paths, jobs, lenient, True) == _run(paths, 1, lenient, False)
    # Some spans of the glued dump start inside a page that ends at no cut the span before
    # ends at: those stretches were split again, and read the same.
    assert redone


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_page_that_kills_its_worker_costs_only_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "crashing_spans.py").write_text(CRASHING_SPANS, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    import crashing_spans  # type: ignore[import-not-found]

    page = FULL.read_bytes() + b"\n"
    crash = b"CRASH" + page[page.index(b"\n") :]  # a page whose title is CRASH
    dump = tmp_path / "dump.txt"
    dump.write_bytes(page * 20 + crash + page * 20)
    out, errors, (pages, codes, _) = _run(
        [str(dump)], 2, False, True, functools.partial(crashing_spans.work)
    )
    assert pages == 41
    assert codes == {"internal_error": 1}
    assert out.count(b"\n") == 40
    assert b'"source":{"path":"' + str(dump).encode() + b'","line":2341}' in errors
