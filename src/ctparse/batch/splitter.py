"""Pages out of files, directories and streams: loose pages and dumps of many pages.

A dump is page after page in one file. A new page starts

- at a title line followed (blank lines allowed) by ``NCT ID: NCT########``,
- at a ``Trial Outcomes & Findings for ... (NCT NCT########)`` line (a results page),
- at a ``Study Results`` heading followed by its results label or sentence, once the page
  so far holds more than its header (an excerpt that starts at Study Results).

Scraped pages do not end with a line break, so a dump made by joining files glues each page
to the last line of the one before. Such a page is found inside that line where the start
can be told: a ``Study Results`` heading or a results-page title at the end of the line, or a
title after the fixed wording or NCT number that ends a whole page, or after the byte where
the scraper cut an excerpt (``EXCERPT_BYTES``).

Files are read as a stream of bytes lines, so a dump of any size is split in constant
memory, and each page keeps its exact first line in the file. Bytes are decoded page by
page (``ctparse.batch.encoding``), in the worker that parses the page; files are opened in
``ctparse.batch.inputs``. A splitter can be resumed where a page starts, and tells whether
it is in the state such a resumed splitter would be in (``ctparse.batch.spans`` lets workers
split their own parts of a file with it).

Over 400 lines: the splitter's rules, its state and the fast loop over plain lines read
together, and splitting them apart would spread one state machine over modules.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from attrs import frozen

from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.boundaries import (
    Start,
    holds_section,
    is_fixed_line,
    is_header_bytes,
    nct_id_start,
)
from ctparse.pages.results.vocabulary import TITLE_PREFIX
from ctparse.pages.trial.vocabulary import (
    RESULTS_AVAILABLE,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_PENDING_LABEL,
    SECTIONS,
)

__all__ = [
    "EXCERPT_BYTES",
    "MAX_PAGE_BYTES",
    "READ_BYTES",
    "Page",
    "Splitter",
    "pieces",
    "split_pages",
]

# A real page is at most some hundred kilobytes; past this, no page start was found for far
# too long and the bytes so far become an error record rather than a growing buffer.
MAX_PAGE_BYTES = 32 << 20
# The scraper cuts excerpts after this many bytes (shared/FORMAT.md); in a dump made by
# joining files, the next page then starts right at that byte, inside the excerpt's last line.
EXCERPT_BYTES = 2000

# Bytes read from a file at a time.
READ_BYTES = 1 << 16
# A line longer than this (binary data, minified HTML) is passed on in pieces.
_PIECE = 1 << 20
_BOM = b"\xef\xbb\xbf"

_NCT_ID = re.compile(rb"NCT ID: NCT\d{8}")
_RESULTS_TITLE = TITLE_PREFIX.encode()
_NOT_PLAIN = (b"NCT ID: ", _BOM)
_RESULTS_PAGE = re.compile(re.escape(_RESULTS_TITLE) + rb".* \(NCT NCT\d{8}\)")
_NCT_NUMBER = re.compile(rb"NCT\d{8}")
_STUDY_RESULTS = b"Study Results"
_RESULTS_FOLLOWERS = frozenset(
    line.encode()
    for line in (RESULTS_PENDING_LABEL, RESULTS_AVAILABLE_LABEL, RESULTS_PENDING, RESULTS_AVAILABLE)
)
# Sentences a whole page may end with (the helper of its last section): a title glued to
# one of them starts right after it. Headings and labels are too short to tell from the start
# of a title.
_PAGE_ENDINGS = frozenset(
    line.encode() for line in (*(helper for _, helper in SECTIONS if helper), RESULTS_PENDING)
)


@frozen(kw_only=True)
class Page:
    """One page as found in a file: its bytes, or why the file could not be read."""

    # The path as given on the command line (or found by the walk); ``<stdin>`` for ``-``.
    path: str
    # 1-based line of the file (decompressed, for ``.gz``) where the page starts.
    line: int
    # 1-based column of that line where the page starts (past 1 for a page glued to the
    # end of the page before it).
    column: int = 1
    # The page's bytes exactly as in the file, line endings included.
    data: bytes = b""
    # Byte offset of ``data`` in the (decompressed) file.
    offset: int = 0
    # Set when these bytes cannot be read as text at all (binary, UTF-16, unreadable file),
    # with the code of that error.
    error: str | None = None
    code: DiagnosticCode | None = None
    # Bytes of the file as stored (compressed, for ``.gz``) read when the page was complete.
    consumed: int = 0


class _Line(NamedTuple):
    piece: bytes
    number: int
    # The line without its break, trailing blanks and a leading byte order mark; ``None`` for
    # the tail pieces of a very long line.
    text: bytes | None
    # Bytes of ``piece`` before ``text`` (a byte order mark and blanks after it).
    lead: int


class Splitter:
    """Cuts a stream of lines into pages, keeping only the page being read in memory.

    ``feed`` takes each line with its line break (``\\n``, ``\\r\\n`` or ``\\r``, the breaks
    the parser counts); a line longer than the reader's piece size comes in several pieces,
    of which only the last ends with a break. Pages come out as ``(line, column, offset,
    data)``: a page glued to the end of the page before it starts inside a line.
    """

    def __init__(self, line: int = 1, column: int = 1, position: int = 0) -> None:
        """A splitter for a stream from its start, or resumed where a page starts (``line``,
        ``column`` and byte ``position`` of that start) after pages cut elsewhere."""
        self._line = line  # the line number the next piece belongs to
        self._position = position  # byte offset of the next piece
        self._continued = False  # the last piece did not end its line
        self._emitted = position > 0
        # Called after each cut (``ctparse.batch.spans`` checks there where it may resume).
        self.on_cut: Callable[[], None] | None = None
        self._reset(line, column, position)

    def _reset(self, line: int, column: int, offset: int) -> None:
        self._lines: list[_Line] = []
        self._size = 0
        self._start = line
        self._column = column
        self._offset = offset
        self._content = False  # the page holds a non-blank line (then it is at index 0)
        self._body: int | None = None  # index of the first line beyond the page header

    @property
    def pending_line(self) -> int:
        """The line where the page being read starts."""
        return self._start

    def feed(self, piece: bytes) -> list[tuple[int, int, int, bytes]]:
        """Take one piece; return the pages it completes."""
        number, offset, continued = self._line, self._position, self._continued
        self._continued = not piece.endswith((b"\n", b"\r"))
        self._position += len(piece)
        if not self._continued:
            self._line += 1
        done: list[tuple[int, int, int, bytes]] = []
        if continued:
            # The tail of a very long line: part of the page, never a page start.
            self._add(_Line(piece, number, None, 0))
        else:
            text, lead = _stripped(piece)
            if text and not self._content:
                # Blank lines before the first page carry nothing: the page starts after them
                # (at the column it was resumed at when nothing came before it).
                self._reset(number, self._column if offset == self._offset else 1, offset)
                self._content = True
            self._add(_Line(piece, number, text, lead))
            at = self._split_point(len(self._lines) - 1, text) if text else None
            if at is not None:
                done.append(self._cut(*at))
        if self._size > MAX_PAGE_BYTES:
            # Hand the oversized bytes on (they are reported); reading goes on from here.
            done.append(self._cut(len(self._lines), 0))
        self._emitted = self._emitted or bool(done)
        return done

    def feed_lines(self, pieces: list[bytes]) -> list[tuple[int, int, int, bytes]]:
        """``feed`` for many pieces. Most lines of a page (past its header, whole, nothing
        a page could start with) are only kept: the splitter runs in the parent process,
        ahead of every worker, so this loop is what the command's throughput rests on."""
        done: list[tuple[int, int, int, bytes]] = []
        followers = _RESULTS_FOLLOWERS
        index, count = 0, len(pieces)
        while index < count:
            if self._body is not None and not self._continued:
                # A run of plain lines, with the running counts held in locals.
                lines, size, number = self._lines, self._size, self._line
                start = index
                while index < count:
                    piece = pieces[index]
                    text = piece.rstrip(b"\r\n").rstrip(b" \t")
                    if (
                        not piece.endswith(b"\n")
                        or size + len(piece) > MAX_PAGE_BYTES
                        # What ``_split_point`` looks for, and a BOM, are left to ``feed``.
                        or text.startswith(_NOT_PLAIN)
                        or _RESULTS_TITLE in text
                        or text in followers
                    ):
                        break
                    # ``_Line(...)`` goes through a Python-level ``__new__``: twice the cost.
                    lines.append(tuple.__new__(_Line, (piece, number, text, 0)))
                    size += len(piece)
                    number += 1
                    index += 1
                self._position += size - self._size
                self._size, self._line = size, number
                if index > start:
                    continue
            done.extend(self.feed(pieces[index]))
            index += 1
        return done

    def finish(self) -> list[tuple[int, int, int, bytes]]:
        """The last page. A stream with no content at all is one (empty or blank) page."""
        data = b"".join(line.piece for line in self._lines)
        if self._content:
            return [(self._start, self._column, self._offset, data)]
        if not self._emitted:
            return [(1, 1, 0, data)]
        return []

    def _add(self, line: _Line) -> None:
        index = len(self._lines)
        self._lines.append(line)
        self._size += len(line.piece)
        text = line.text
        if self._body is None and index and text and not is_header_bytes(text):
            self._body = index

    def _previous_content(self, index: int) -> int | None:
        for i in range(index - 1, -1, -1):
            if self._lines[i].text:
                return i
        return None

    def _split_point(self, index: int, text: bytes) -> tuple[int, int] | None:
        """Where a new page starts, if ``text`` shows one: the index of its first line and
        the byte in that line where it starts."""
        if _NCT_ID.fullmatch(text):
            title = self._previous_content(index)
            if title is None:
                return None
            title_text = self._lines[title].text
            assert title_text is not None
            # Index 0 always holds content: the page's first line.
            previous = _text(title_text)
            start = nct_id_start(previous, title == 0, self._body is not None)
            if start is Start.AT_NCT_ID:
                # A page without a title line, right after the fixed wording of the page before.
                return index, 0
            if is_fixed_line(previous):
                return None
            glued = self._glue_point(title)
            if glued:
                return title, glued
            return (title, 0) if start is Start.AT_TITLE else None
        if _RESULTS_TITLE in text:
            at = text.find(_RESULTS_TITLE)
            if _RESULTS_PAGE.fullmatch(text, at) and (at or index):
                return index, self._lines[index].lead + at
            return None
        if text in _RESULTS_FOLLOWERS:
            heading = self._previous_content(index)
            if heading is None or self._body is None:
                return None
            line = self._lines[heading]
            assert line.text is not None
            # Rare (once a page at most): the scan of the page so far costs nothing overall.
            if not holds_section(item.text for item in self._lines[:heading]):
                return None
            if line.text == _STUDY_RESULTS and self._body < heading:
                return heading, 0
            if line.text.endswith(_STUDY_RESULTS) and len(line.text) > len(_STUDY_RESULTS):
                # ``...text of the page beforeStudy Results``: pages joined without a break.
                return heading, line.lead + len(line.text) - len(_STUDY_RESULTS)
        return None

    def _glue_point(self, title: int) -> int:
        """Where a title glued to the end of the page before it starts in its line, or 0.

        Told only where the page before ends in something known: its fixed wording or an NCT
        number (a whole page), or the scraper's cut after EXCERPT_BYTES bytes (an excerpt).
        """
        line = self._lines[title]
        text = line.text
        assert text is not None
        for ending in _PAGE_ENDINGS:
            if text.startswith(ending) and text != ending:
                return line.lead + len(ending)
        number = _NCT_NUMBER.match(text)
        if number and number.end() < len(text) and not text[number.end() :][:1].isspace():
            return line.lead + number.end()
        # The bytes before the title: the page so far less the title and what follows it.
        mark = EXCERPT_BYTES - (self._size - sum(len(after.piece) for after in self._lines[title:]))
        # A short whole page followed by a title on its own line can put the mark inside that
        # title too: split only where a title can start.
        if line.lead < mark < line.lead + len(text) and _starts_title(line.piece[mark]):
            return mark
        return 0

    def _cut(self, at: int, within: int) -> tuple[int, int, int, bytes]:
        head = [line.piece for line in self._lines[:at]]
        rest = self._lines[at:]
        column = self._column if at == 0 else 1
        if within:
            first = rest[0]
            head.append(first.piece[:within])
            column += len(first.piece[:within].decode("utf-8", "replace"))
            text, lead = _stripped(first.piece[within:])
            rest = [_Line(first.piece[within:], first.number, text, lead), *rest[1:]]
        data = b"".join(head)
        page = (self._start, self._column, self._offset, data)
        if rest:
            self._reset(rest[0].number, column, self._offset + len(data))
            self._content = True
            for line in rest:
                self._add(line)
        else:
            self._reset(self._line, 1, self._position)
        if self.on_cut is not None:
            self.on_cut()
        return page

    def state(self) -> tuple[object, ...]:
        """What the pages still to come depend on: two splitters in the same state, fed the
        same pieces, cut the same pages."""
        return (
            self._line,
            self._position,
            self._continued,
            self._lines,
            self._size,
            self._start,
            self._column,
            self._offset,
            self._content,
            self._body,
        )

    def resumes_here(self) -> bool:
        """Whether a splitter resumed where the page being read starts, fed the same lines from
        there, would be in this splitter's state: then whatever follows is cut the same way
        by both. Its lines must be whole lines that a reader started there reads whole."""
        if self._continued or any(
            line.text is None or len(line.piece) > _PIECE for line in self._lines
        ):
            return False
        resumed = Splitter(self._start, self._column, self._offset)
        for line in self._lines:
            if resumed.feed(line.piece):
                return False
        return resumed.state() == self.state()

    @property
    def pending(self) -> tuple[int, int, int]:
        """``(line, column, offset)`` where the page being read starts."""
        return self._start, self._column, self._offset


def _starts_title(byte: int) -> bool:
    """Whether a title may start with this byte: a capital, a digit, an opening quote or
    bracket, or the first byte of a non-ASCII character."""
    if byte >= 0x80:
        return byte >= 0xC0
    return chr(byte).isupper() or chr(byte).isdigit() or byte in b"\"'(["


def _stripped(piece: bytes) -> tuple[bytes, int]:
    text = piece.rstrip(b"\r\n").rstrip(b" \t")
    if not text.startswith(_BOM):
        return text, 0
    # Dumps made with ``cat`` keep each page file's byte order mark.
    rest = text[len(_BOM) :]
    stripped = rest.lstrip(b" \t")
    return stripped, len(_BOM) + len(rest) - len(stripped)


def _text(line: bytes) -> str:
    # Only header lines and the lines before an NCT ID line are decoded: few a page.
    return line.decode("utf-8", "replace")


def split_pages(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """``(line, column, offset, data)`` of each page in ``data``."""
    splitter = Splitter()
    pages: list[tuple[int, int, int, bytes]] = []
    for lines in pieces(_reader(data)):
        pages.extend(splitter.feed_lines(lines))
    pages.extend(splitter.finish())
    return pages


def _reader(data: bytes) -> Callable[[int], bytes]:
    position = 0

    def read(size: int) -> bytes:
        nonlocal position
        chunk = data[position : position + size]
        position += len(chunk)
        return chunk

    return read


def pieces(read: Callable[[int], bytes], first: bytes = b"") -> Iterator[list[bytes]]:
    """The stream's lines with their line breaks, in pieces of at most ``_PIECE`` bytes,
    a chunk's worth at a time."""
    rest = first
    while True:
        chunk = read(READ_BYTES)
        if not chunk:
            break
        lines = (rest + chunk).splitlines(keepends=True)
        last = lines[-1]
        # A line without its break, or a ``\r`` that may be the first half of ``\r\n``.
        rest = b"" if last.endswith(b"\n") else lines.pop()
        if lines:
            yield lines
        if len(rest) > _PIECE:
            keep = 1 if rest.endswith(b"\r") else 0
            yield [rest[: len(rest) - keep]]
            rest = rest[len(rest) - keep :]
    if rest:
        yield rest.splitlines(keepends=True)
