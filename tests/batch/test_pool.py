"""The worker pool: results in input order whatever the workers, and a dead worker costs only
the page that killed it."""

from __future__ import annotations

import functools
import json
import multiprocessing
from collections.abc import Iterator
from pathlib import Path

import pytest

from ctparse.batch import pool
from ctparse.batch.inputs import Item
from ctparse.batch.records import crashed_record
from ctparse.batch.run import Outcome, work_on
from ctparse.batch.sinks import encode_error, encode_record
from ctparse.batch.splitter import Page
from support.command import FULL, golden

CRASHING_WORK = """
import os

from ctparse.batch.run import work_on


def work(items, **options):
    if any(item.page.data.startswith(b"CRASH") for item in items):
        os._exit(3)
    return work_on(items, **options)
"""


def _square_all(numbers: list[int]) -> list[int]:
    return [number * number for number in numbers]


@pytest.mark.parametrize("jobs", [1, 2])
def test_results_come_in_input_order_and_the_window_is_bounded(jobs: int) -> None:
    read = 0

    def numbers() -> Iterator[int]:
        nonlocal read
        for number in range(500):
            read += 1
            yield number

    held: list[int] = []
    results = pool.ordered_results(
        numbers(),
        _square_all,
        jobs,
        size=lambda _: 1,
        lost=lambda _: -1,
        context=multiprocessing.get_context("spawn"),
    )
    for number, square in results:
        held.append(read - number)
        assert square == number * number
    # Never more items read ahead than the chunks a window holds.
    window = max(jobs, 1) * pool.CHUNKS_PER_WORKER * pool.CHUNK_ITEMS
    assert max(held) <= window
    assert read == 500


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
        Item(Page(path="d.txt", line=i + 1, data=b"CRASH" if i == 40 else page), i)
        for i in range(100)
    ]
    encode = functools.partial(encode_record, to="page", lenient=False)
    work = functools.partial(
        crashing_work.work, lenient=False, encode=encode, encode_error=encode_error
    )

    def lost(item: Item) -> Outcome:
        return Outcome("internal_error", 0, encode_error(crashed_record(item.page)))

    outcomes = list(
        pool.ordered_results(
            items,
            work,
            2,
            size=lambda item: len(item.page.data),
            lost=lost,
            context=multiprocessing.get_context("spawn"),
        )
    )
    assert [item.page.line for item, _ in outcomes] == list(range(1, 101))
    assert [outcome.code is None for _, outcome in outcomes] == [i != 40 for i in range(100)]
    crashed = json.loads(outcomes[40][1].encoded)
    assert crashed == {
        "kind": None,
        "source": {"path": "d.txt", "line": 41},
        "line": 41,
        "column": 1,
        "code": "internal_error",
        "message": "internal error: the worker process died while reading this page; "
        "please report it with the page",
    }
    last = json.loads(outcomes[99][1].encoded)
    assert last.pop("source") == {"path": "d.txt", "line": 100}
    assert last.pop("kind") == "trial"
    assert last == golden(FULL)
    # The same work in one process gives the same outcomes.
    assert work_on(items[98:], lenient=False, encode=encode, encode_error=encode_error) == [
        outcome for _, outcome in outcomes[98:]
    ]


def test_read_ahead_does_not_grow_with_the_number_of_workers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Many chunks per worker allowed, few bytes: the bytes decide how far the input is read.
    monkeypatch.setattr(pool, "CHUNKS_PER_WORKER", 1000)
    monkeypatch.setattr(pool, "WINDOW_BYTES", 10 * pool.CHUNK_BYTES)
    read = 0

    def blocks() -> Iterator[bytes]:
        nonlocal read
        for _ in range(60):
            read += 1
            yield bytes(pool.CHUNK_BYTES)

    ahead = []
    results = pool.ordered_results(
        blocks(), list, 2, size=len, lost=bytes, context=multiprocessing.get_context("spawn")
    )
    for done, (block, result) in enumerate(results, 1):
        assert result == block
        ahead.append(read - done)
    assert read == 60
    assert max(ahead) <= 10


def test_an_absurd_number_of_workers_is_refused() -> None:
    with pytest.raises(ValueError, match=f"at most {pool.MAX_JOBS} worker processes, not 10000"):
        next(pool.ordered_results([1], _square_all, 10000, size=len, lost=int))
