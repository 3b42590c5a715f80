"""The batch engine: pages in, records through a pool of workers, out to sinks in input order.

The parent process hands out work (the spans of regular files, ``ctparse.batch.spans``, and
the pages of everything else, which it splits itself) and writes every result in input order;
workers split their spans, read each page into a ``PageRecord`` and encode it for its sink
(the record sink, or the error sink for a page that failed). Work in flight is bounded, so
memory does not grow with the number of pages.

>>> from ctparse.batch.spans import units
>>> from ctparse.batch.run import BatchRun
>>> from ctparse.batch.sinks import ErrorSink, JsonSink
>>> records = JsonSink("trials.jsonl", sys.stdout.buffer)
>>> batch = BatchRun(records, ErrorSink("errors.jsonl", sys.stderr.buffer))
>>> summary = batch.run(units(["pages/"]), jobs=2)  # summary.codes: errors by code
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from multiprocessing.context import BaseContext
from typing import Any, NamedTuple

from attrs import define, field

from ctparse.batch.inputs import Item
from ctparse.batch.pool import ordered_results
from ctparse.batch.records import PageRecord, crashed_record, read_record
from ctparse.batch.sinks import Sink
from ctparse.batch.spans import Span, SpanChain, SpanResult, split_span

__all__ = ["BatchRun", "Outcome", "Summary", "work_on", "work_on_units"]


class Outcome(NamedTuple):
    """What became of one page, as the worker hands it back: the error's code (``None`` for
    a record), the number of diagnostics, the record encoded for its sink, and the page's
    kind (``None``: no page of either kind)."""

    code: str | None
    diagnostics: int
    encoded: Any
    kind: str | None = None


@define
class Summary:
    """The counts of a run so far."""

    pages: int = 0
    records: int = 0
    # Records with at least one diagnostic (lenient mode).
    diagnosed: int = 0
    # Error records by code, in order of first appearance.
    codes: Counter[str] = field(factory=Counter)
    # Pages by kind (``trial``, ``results``; ``None`` for text that is no page), records
    # and errors alike.
    kinds: Counter[str | None] = field(factory=Counter)

    @property
    def errors(self) -> int:
        return sum(self.codes.values())


Encoder = Callable[[PageRecord], Any]


def _outcome(record: PageRecord, encode: Encoder, encode_error: Encoder) -> Outcome:
    if record.error is not None:
        return Outcome(record.error.code, 0, encode_error(record), record.kind)
    diagnostics = getattr(record.page, "diagnostics", ())
    return Outcome(None, len(diagnostics), encode(record), record.kind)


def work_on(
    items: list[Item], lenient: bool, encode: Encoder, encode_error: Encoder
) -> list[Outcome]:
    """What a worker does with a chunk of pages: read each, encode it for its sink."""
    return [_outcome(read_record(item.page, lenient), encode, encode_error) for item in items]


def work_on_units(
    units: list[Item | Span], lenient: bool, encode: Encoder, encode_error: Encoder
) -> list[Outcome | SpanResult]:
    """``work_on`` for pages and spans: a span is split here, and each of its pages read."""
    done: list[Outcome | SpanResult] = []
    for unit in units:
        if isinstance(unit, Span):
            split = split_span(unit)
            items = [Item(page, 0) for page in split.pages]
            outcomes: list[object] = list(work_on(items, lenient, encode, encode_error))
            starts = [page.offset for page in split.pages]
            ends = [page.offset + len(page.data) for page in split.pages]
            done.append(SpanResult(outcomes, starts, ends, split.syncs, split.end))
        else:
            done.extend(work_on([unit], lenient, encode, encode_error))
    return done


def _size(unit: Item | Span) -> int:
    return unit.size if isinstance(unit, Span) else len(unit.page.data)


class _Reading:
    """The pool of workers of a run, and the spans joined into the pages of their files."""

    def __init__(
        self,
        work: Callable[[list[Any]], list[Any]],
        jobs: int,
        lost: Callable[[Any], Any],
        context: BaseContext | None,
    ) -> None:
        self._work = work
        self._jobs = jobs
        self._lost = lost
        self._context = context
        self.chain = SpanChain(self.redo)

    def results(self, units: Iterable[Any]) -> Iterator[tuple[Any, Any]]:
        return ordered_results(
            units, self._work, self._jobs, size=_size, lost=self._lost, context=self._context
        )

    def redo(self, span: Span, given: SpanResult) -> SpanResult:
        """Rare (see ``SpanChain``): ``span`` split here; the pages its worker did not read as
        these are read one at a time (a page that kills a worker costs only itself)."""
        split = split_span(span)
        known = dict(zip(zip(given.starts, given.ends, strict=True), given.outcomes, strict=True))
        pages = [Item(page, page.offset + len(page.data)) for page in split.pages]
        outcomes = [known.get((item.page.offset, item.position)) for item in pages]
        missing = [item for item, outcome in zip(pages, outcomes, strict=True) if outcome is None]
        found = iter([outcome for _, outcome in self.results(missing)] if missing else [])
        return SpanResult(
            [next(found) if outcome is None else outcome for outcome in outcomes],
            [item.page.offset for item in pages],
            [item.position for item in pages],
            split.syncs,
            split.end,
        )


class BatchRun:
    """One run: every page of the input becomes a record in ``sink`` or an error record in
    ``errors``, in input order; ``summary`` counts them as the run goes."""

    def __init__(self, sink: Sink, errors: Sink, *, summary: Summary | None = None) -> None:
        self.sink = sink
        self.errors = errors
        self.summary = summary if summary is not None else Summary()

    def run(
        self,
        items: Iterable[Item | Span],
        *,
        jobs: int = 1,
        lenient: bool = False,
        on_page: Callable[[int, int], None] | None = None,
        work: Callable[..., list[Any]] = work_on_units,
        context: BaseContext | None = None,
    ) -> Summary:
        """Open both sinks, read every page, prepare both sinks, then commit both; on any
        exception (an interrupt, a failed write) abort both and re-raise (a sink already
        committed when the other's commit fails stays committed: its ``committed`` says so).
        ``on_page(pages, position)`` is called after each page (for a progress bar)."""
        sinks = (self.sink, self.errors)
        opened: list[Sink] = []
        try:
            for sink in sinks:
                sink.open()
                opened.append(sink)
            bound = functools.partial(
                work,
                lenient=lenient,
                encode=self.sink.encoder(),
                encode_error=self.errors.encoder(),
            )
            read = _Reading(bound, jobs, self._lost(), context)
            results = read.results(items)
            try:
                for unit, result in results:
                    if not isinstance(unit, Span):
                        self._take(result)
                        if on_page is not None:
                            on_page(self.summary.pages, unit.position)
                        continue
                    outcomes, ends = read.chain.take(unit, result)
                    for outcome, end in zip(outcomes, ends, strict=True):
                        self._take(outcome)
                        if on_page is not None:
                            on_page(self.summary.pages, unit.base + end)
            finally:
                close = getattr(results, "close", None)
                if close is not None:
                    close()
            # Both or neither: everything is written out first (where a full disk fails),
            # and only then put in place.
            for sink in sinks:
                prepare = getattr(sink, "prepare", None)
                if prepare is not None:
                    prepare()
            for sink in sinks:
                sink.commit()
        except BaseException:
            for sink in opened:
                sink.abort()
            raise
        return self.summary

    def _lost(self) -> Callable[[Item | Span], Outcome | SpanResult]:
        return functools.partial(_lost_outcome, encode_error=self.errors.encoder())

    def _take(self, outcome: Any) -> None:
        summary = self.summary
        summary.pages += 1
        summary.kinds[outcome.kind] += 1
        if outcome.code is not None:
            summary.codes[outcome.code] += 1
            self.errors.write(outcome.encoded)
            return
        summary.records += 1
        if outcome.diagnostics:
            summary.diagnosed += 1
        self.sink.write(outcome.encoded)


def _lost_outcome(item: Item | Span, encode_error: Encoder) -> Outcome | SpanResult:
    if isinstance(item, Span):
        # Split again in the parent and read page by page (``SpanChain``).
        return SpanResult([], [], [], {}, None, crashed=True)
    record = crashed_record(item.page)
    assert record.error is not None
    return Outcome(record.error.code, 0, encode_error(record), record.kind)
