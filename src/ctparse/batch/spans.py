"""Spans: a regular file handed to the workers as byte ranges, so that the parent process
neither reads nor splits pages, and only writes what the workers encoded.

The parent cuts a dump every ``SPAN_BYTES`` or so, at a line where a page most likely starts
(a title before an ``NCT ID:`` line, a results page's title), found with one regular
expression over the bytes, and counts the line breaks before it (both at the speed of C).
A worker splits its span with the dump splitter resumed there, reads and encodes each page,
and goes on past the span's end until it cuts a page at or past the next span's start in a
state that a splitter resumed at that cut would have too (``Splitter.resumes_here``): that
cut is where the span ends, and every page before it is the span's.

Whether the next span's worker started where a page starts cannot be told from its bytes
alone (the rule of ``ctparse.pages.boundaries`` looks back over the page so far), so each
worker also lists the cuts where it could be resumed (``syncs``). The parent takes the next
span's pages from the cut where the span before it ended: where both splitters are in the
same state, they cut every following page the same. Where that cut is not among them (a
worker that started in the middle of a page which then does not end at a cut it could be
resumed at), the parent splits that stretch again itself from where the span before ended
(``SpanChain``). A worker that died is handled the same way, page by page. So the pages,
their lines, columns and offsets are exactly those of ``ctparse.batch.inputs.read_pages``.

Standard input, gzip, special files and files that are no text at their start keep that
path: the parent splits them.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from typing import BinaryIO, NamedTuple

from attrs import evolve, frozen

from ctparse.batch.encoding import not_text
from ctparse.batch.inputs import (
    Item,
    found_items,
    page_of_bytes,
    read_failure,
    unreadable,
)
from ctparse.batch.splitter import READ_BYTES, Page, Splitter, pieces
from ctparse.batch.walk import files, printable
from ctparse.pages.results.vocabulary import TITLE_PREFIX

__all__ = [
    "SPAN_BYTES",
    "Span",
    "SpanChain",
    "SpanPages",
    "SpanResult",
    "page_start",
    "plan",
    "split_span",
    "units",
]

# Bytes of a file a worker is handed at a time: some hundred pages, so that the parent's work
# per span (one read, one search, one count) is little per page, and few spans are in flight.
SPAN_BYTES = 1 << 20
# How far past a span's nominal end the parent looks for a page start.
_SEARCH_BYTES = 1 << 18
# How far before an ``NCT ID:`` line its title is looked for.
_TITLE_BYTES = 1 << 12
# Cuts of a span where the span before it may end (see ``_Cuts``).
_EARLY_CUTS = 8
_GZIP_MAGIC = b"\x1f\x8b"
_LIKELY_START = re.compile(
    rb"^(?:NCT ID: NCT\d{8}[ \t]*\r?$|" + re.escape(TITLE_PREFIX.encode()) + rb")", re.MULTILINE
)


@frozen(kw_only=True)
class Span:
    """Part of a regular file for a worker: split from ``start`` (where a line starts, or
    where a page starts when split again) up to the first cut at or past ``stop`` that a
    splitter can be resumed at (``None``: to the end of the file)."""

    path: str  # to open
    shown: str  # as records show it
    start: int
    line: int  # of ``start``
    column: int = 1  # of ``start`` (past 1 inside a line, when split again)
    stop: int | None
    size: int  # bytes it stands for, for the window of work in flight
    base: int  # bytes of all input before this file, for the progress bar


class SpanPages(NamedTuple):
    """A span split: its pages; where each cut that a splitter can be resumed at lies
    (offset) and the index of the page that starts there; and ``(line, column, offset)``
    where the span ended (``None``: at the end of the file)."""

    pages: list[Page]
    syncs: dict[int, int]
    end: tuple[int, int, int] | None


class SpanResult(NamedTuple):
    """What a worker hands back for a span: one result per page (an ``Outcome``), each
    page's start and end offsets, and the span's ``syncs`` and ``end`` (see ``SpanPages``);
    ``crashed`` when its worker died."""

    outcomes: list[object]
    starts: list[int]
    ends: list[int]
    syncs: dict[int, int]
    end: tuple[int, int, int] | None
    crashed: bool = False


# ---------------------------------------------------------------- the parent: planning


def units(
    paths: Sequence[str], on_empty: Callable[[str], None] | None = None
) -> Iterator[Item | Span]:
    """Every input of PATHs as work, in input order: the spans of each regular text file,
    and the pages of everything else (split here, as ``ctparse.batch.inputs.items`` does)."""
    done = 0
    for found in files(paths, on_empty):
        if isinstance(found, str) and (size := plain_size(found)) is not None:
            yield from plan(found, size, done)
            done += size
        else:
            done = yield from found_items(found, done)


def plain_size(path: str) -> int | None:
    """The size of a regular file that is text at its start and no gzip; ``None`` for
    anything else (read as before: a special file, gzip, a file that is not text)."""
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode) or path.lower().endswith(".gz"):
            return None
        with open(path, "rb") as raw:
            head = raw.read(READ_BYTES)
    except OSError:
        return None
    if head.startswith(_GZIP_MAGIC) or not_text(head) is not None:
        return None
    return status.st_size


def plan(path: str, size: int, base: int = 0) -> Iterator[Span]:
    """The spans of a regular text file of ``size`` bytes."""
    shown = printable(path)
    if size <= SPAN_BYTES + SPAN_BYTES // 2:
        yield Span(path=path, shown=shown, start=0, line=1, stop=None, size=size, base=base)
        return
    start, line = 0, 1
    try:
        with open(path, "rb") as raw:
            for stop, stop_line in _starts(raw, size):
                yield Span(
                    path=path,
                    shown=shown,
                    start=start,
                    line=line,
                    stop=stop,
                    size=stop - start,
                    base=base,
                )
                start, line = stop, stop_line
    except OSError:
        pass  # the worker of the last span reads on, and reports what it cannot read
    yield Span(
        path=path, shown=shown, start=start, line=line, stop=None, size=size - start, base=base
    )


def _starts(raw: BinaryIO, size: int) -> Iterator[tuple[int, int]]:
    """Where spans start past the first: ``(offset, line)``, one every ``SPAN_BYTES`` or so.
    Only a window of the file is held; every byte is counted once."""
    buffer = b""
    at, at_line = 0, 1  # offset and line of ``buffer[0]``
    boundary = SPAN_BYTES
    while size - boundary > SPAN_BYTES // 2:
        while at + len(buffer) < boundary + _SEARCH_BYTES:
            chunk = raw.read(SPAN_BYTES)
            if not chunk:
                break
            buffer += chunk
        if at + len(buffer) <= boundary:
            return  # the file is shorter than it was
        # Drop what lies before the boundary (one byte kept, to tell a line start), counted.
        keep = boundary - at - 1
        if buffer[keep - 1 : keep + 1] == b"\r\n":
            keep -= 1
        at_line += line_breaks(buffer, keep)
        buffer, at = buffer[keep:], at + keep
        found = page_start(buffer, boundary - at, boundary - at + _SEARCH_BYTES)
        if found is None:
            boundary += SPAN_BYTES
            continue
        yield at + found, at_line + line_breaks(buffer, found)
        boundary = at + found + SPAN_BYTES


def line_breaks(data: bytes, end: int | None = None) -> int:
    """Line breaks in ``data[:end]`` as the splitter counts them: ``\\r\\n``, ``\\r`` and
    ``\\n`` (counted in place: the parent counts every byte of a dump)."""
    end = len(data) if end is None else end
    newlines = data.count(b"\n", 0, end)
    if data.find(b"\r", 0, end) == -1:
        return newlines
    return newlines + data.count(b"\r", 0, end) - data.count(b"\r\n", 0, end)


def page_start(data: bytes, begin: int, end: int) -> int | None:
    """Where a page most likely starts in ``data[begin:end]`` (``begin`` > 0): at a results
    page's title, or at the title before an ``NCT ID:`` line; else where the first line starts.
    ``None`` when no line starts there."""
    for match in _LIKELY_START.finditer(data, begin, end):
        if match[0].startswith(b"NCT ID: "):
            window = max(0, match.start() - _TITLE_BYTES)
            before = data[window : match.start()].rstrip(b" \t\r\n")
            title = window + max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
            if title > window and title >= begin:
                return title
            continue
        return match.start()
    starts = []
    newline = data.find(b"\n", begin - 1, end)
    if newline != -1 and newline + 1 < len(data):
        starts.append(newline + 1)
    carriage = data.find(b"\r", begin - 1, end)
    if carriage != -1 and carriage + 1 < len(data) and data[carriage + 1] != 0x0A:
        starts.append(carriage + 1)
    return min(starts) if starts else None


# ---------------------------------------------------------------- a worker: splitting


class _Cuts:
    """Follows a splitter's cuts: where it can be resumed, and where the span ends."""

    def __init__(self, splitter: Splitter, stop: int | None) -> None:
        self.splitter = splitter
        self.stop = stop
        self.count = 0  # cuts so far: the index of the page being read
        self.syncs: dict[int, int] = {splitter.pending[2]: 0}
        self.end: tuple[int, int, int] | None = None
        self.end_index = 0

    def cut(self) -> None:
        self.count += 1
        pending = self.splitter.pending
        ending = self.stop is not None and pending[2] >= self.stop
        # The span before ends at one of the first cuts, if not at the start: later ones
        # are not looked at (a span joined further on is split again, ``SpanChain``).
        if self.end is not None or not (ending or self.count <= _EARLY_CUTS):
            return
        if not self.splitter.resumes_here():
            return
        self.syncs[pending[2]] = self.count
        if ending:
            self.end, self.end_index = pending, self.count


def split_span(span: Span) -> SpanPages:
    """The pages of a span, as ``read_pages`` cuts them from the whole file; never raises."""
    here = (span.line, span.column, span.start)
    if span.stop is not None and span.start >= span.stop:
        return SpanPages([], {span.start: 0}, here)  # split again where it had ended
    splitter = Splitter(span.line, span.column, span.start)
    cuts = _Cuts(splitter, span.stop)
    splitter.on_cut = cuts.cut
    found: list[tuple[int, int, int, bytes]] = []
    try:
        raw = open(span.path, "rb")  # noqa: SIM115 - closed below
    except OSError as error:
        return SpanPages([unreadable(span.shown, span.line, error)], cuts.syncs, None)
    try:
        with raw:
            raw.seek(span.start)
            for lines in pieces(_aligned(raw, span.start)):
                found.extend(splitter.feed_lines(lines))
                if cuts.end is not None:
                    break
            else:
                found.extend(splitter.finish())
    except OSError as error:
        pages = [page_of_bytes(span.shown, *page) for page in found]
        pages.append(read_failure(span.shown, splitter.pending_line, error))
        return SpanPages(pages, cuts.syncs, None)
    if cuts.end is not None:
        del found[cuts.end_index :]
    return SpanPages([page_of_bytes(span.shown, *page) for page in found], cuts.syncs, cuts.end)


def _aligned(raw: BinaryIO, start: int) -> Callable[[int], bytes]:
    """``raw.read``, its first read ending where a read from the file's start would end: a
    line too long to keep whole is then cut into the same pieces."""
    first = True

    def read(size: int) -> bytes:
        nonlocal first
        if first:
            first = False
            return raw.read(size - start % size)
        return raw.read(size)

    return read


# ---------------------------------------------------------------- the parent: joining


class SpanChain:
    """Which of each span's results are the file's pages: those from the cut where the span
    before it ended; a stretch that no worker split from there is split again by ``redo``
    (given the span from there, and what its worker gave, to take the pages it has)."""

    def __init__(self, redo: Callable[[Span, SpanResult], SpanResult]) -> None:
        self._redo = redo
        self._next: tuple[int, int, int] | None = None

    def take(self, span: Span, result: SpanResult) -> tuple[list[object], list[int]]:
        """The outcomes and page ends of ``result`` that belong to the file, in order."""
        if span.start == 0:
            self._next = (1, 1, 0)  # a new file
        if self._next is None:
            return [], []  # the file ended in a span before
        line, column, offset = self._next
        if not result.crashed:
            index = result.syncs.get(offset)
            if index is not None:
                self._next = result.end
                return result.outcomes[index:], result.ends[index:]
            if result.end is not None and result.end[2] <= offset:
                return [], []  # the span before read past all of this one
        result = self._redo(evolve(span, start=offset, line=line, column=column), result)
        self._next = result.end
        return result.outcomes, result.ends
