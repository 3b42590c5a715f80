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
page (``decode_page``), in the worker that parses the page.
"""

from __future__ import annotations

import gzip
import io
import os
import re
import sys
import zlib
from collections.abc import Callable, Iterator
from typing import BinaryIO, NamedTuple

from attrs import frozen

from ctparse.batch.inputs import decode
from ctparse.errors import ParseError
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.trial.vocabulary import (
    BASIC_LABELS,
    DESIGN_LABELS,
    RESULTS_AVAILABLE,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_PENDING_LABEL,
    SECTIONS,
    VIEW_FULL_RESULTS,
)

__all__ = [
    "EXCERPT_BYTES",
    "MAX_PAGE_BYTES",
    "PAGE_SUFFIXES",
    "STDIN",
    "Page",
    "Splitter",
    "decode_page",
    "page_files",
    "read_pages",
    "split_pages",
]

# Shown as the path of pages read from standard input.
STDIN = "<stdin>"
# What a directory walk picks up (compared without regard to case).
PAGE_SUFFIXES = (".txt", ".text", ".txt.gz")
# A real page is at most some hundred kilobytes; past this, no page start was found for far
# too long and the bytes so far become an error record rather than a growing buffer.
MAX_PAGE_BYTES = 32 << 20
# The scraper cuts excerpts after this many bytes (shared/FORMAT.md); in a dump made by
# joining files, the next page then starts right at that byte, inside the excerpt's last line.
EXCERPT_BYTES = 2000

_CHUNK = 1 << 16
# A line longer than this (binary data, minified HTML) is passed on in pieces.
_PIECE = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"

_NCT_ID = re.compile(rb"NCT ID: NCT\d{8}")
_LAST_UPDATED = b"Last Updated: "
_RESULTS_TITLE = b"Trial Outcomes & Findings for "
_NOT_PLAIN = (b"NCT ID: ", _BOM)
_RESULTS_PAGE = re.compile(rb"Trial Outcomes & Findings for .* \(NCT NCT\d{8}\)")
_NCT_NUMBER = re.compile(rb"NCT\d{8}")
_STUDY_RESULTS = b"Study Results"
_RESULTS_FOLLOWERS = frozenset(
    line.encode()
    for line in (RESULTS_PENDING_LABEL, RESULTS_AVAILABLE_LABEL, RESULTS_PENDING, RESULTS_AVAILABLE)
)
# Lines that are part of the page's fixed wording: never a trial's title.
_FIXED_LINES = frozenset(
    line.encode()
    for line in (
        *(part for section in SECTIONS for part in section if part),
        RESULTS_PENDING,
        RESULTS_AVAILABLE,
        RESULTS_PENDING_LABEL,
        RESULTS_AVAILABLE_LABEL,
        VIEW_FULL_RESULTS,
        *BASIC_LABELS.values(),
        *DESIGN_LABELS.values(),
    )
)
# Sentences a whole page may end with (the helper of its last section): a title glued to
# one of them starts right after it. Headings and labels are too short to tell from the start
# of a title.
_PAGE_ENDINGS = frozenset(
    line.encode() for line in (*(helper for _, helper in SECTIONS if helper), RESULTS_PENDING)
)
_OFFSET = re.compile(r"at offset (\d+)")


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
    # Set when these bytes cannot be read as text at all (binary, UTF-16, unreadable file).
    error: str | None = None
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

    def __init__(self) -> None:
        self._line = 1  # the line number the next piece belongs to
        self._position = 0  # byte offset of the next piece
        self._continued = False  # the last piece did not end its line
        self._emitted = False
        self._reset(1, 1, 0)

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
                # Blank lines before the first page carry nothing: the page starts after them.
                self._reset(number, 1, offset)
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
        if (
            self._body is None
            and index
            and text
            and not (_NCT_ID.fullmatch(text) or text.startswith(_LAST_UPDATED))
        ):
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
            if _is_fixed(title_text):
                # A page without a title line, right after the fixed wording of the page before.
                return (index, 0) if self._body is not None else None
            glued = self._glue_point(title)
            if glued:
                return title, glued
            # Index 0 always holds content: a title past it ends the page before it.
            return (title, 0) if title > 0 else None
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
        return page


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


def _is_fixed(text: bytes) -> bool:
    return (
        text in _FIXED_LINES
        or _NCT_NUMBER.fullmatch(text) is not None
        or _NCT_ID.fullmatch(text) is not None
        or text.startswith(_LAST_UPDATED)
    )


def split_pages(data: bytes) -> list[tuple[int, int, int, bytes]]:
    """``(line, column, offset, data)`` of each page in ``data``."""
    splitter = Splitter()
    pages: list[tuple[int, int, int, bytes]] = []
    for pieces in _pieces(_reader(data)):
        pages.extend(splitter.feed_lines(pieces))
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


def _pieces(read: Callable[[int], bytes], first: bytes = b"") -> Iterator[list[bytes]]:
    """The stream's lines with their line breaks, in pieces of at most ``_PIECE`` bytes,
    a chunk's worth at a time."""
    rest = first
    while True:
        chunk = read(_CHUNK)
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


def page_files(path: str) -> Iterator[str]:
    """The page files under a directory, in a stable order: each directory's files by name,
    then its subdirectories by name."""
    for root, directories, names in os.walk(path):
        directories.sort()
        for name in sorted(names):
            if name.lower().endswith(PAGE_SUFFIXES):
                yield os.path.join(root, name)


def read_pages(path: str | None, *, shown: str | None = None) -> Iterator[Page]:
    """Every page of the file at ``path`` (``None``: standard input), never raising.

    A file that cannot be read as text gives one ``Page`` with ``error`` set; a stream that
    breaks off (a truncated ``.gz``) gives the pages before the break and one error for the
    rest.
    """
    name = shown if shown is not None else (STDIN if path is None else _printable(path))
    try:
        raw: BinaryIO = sys.stdin.buffer if path is None else open(path, "rb")  # noqa: SIM115
    except OSError as error:
        yield Page(path=name, line=1, error=f"cannot read the file: {_os_reason(error)}")
        return
    try:
        yield from _read_stream(raw, name, path is not None and path.lower().endswith(".gz"))
    finally:
        if path is not None:
            raw.close()


def _read_stream(raw: BinaryIO, name: str, named_gz: bool) -> Iterator[Page]:
    splitter = Splitter()

    def consumed() -> int:
        try:
            return raw.tell()
        except OSError:  # a pipe
            return 0

    try:
        head = raw.read(_CHUNK)
        read: Callable[[int], bytes] = raw.read
        if head.startswith(_GZIP_MAGIC):
            # Sniffed rather than told by the name: ``-`` and ``.txt`` may be gzip too.
            read = gzip.GzipFile(fileobj=_Prefixed(head, raw), mode="rb").read
            head = read(_CHUNK)
        elif named_gz and head:
            yield Page(
                path=name,
                line=1,
                consumed=consumed(),
                error="the file is named .gz but is not gzip-compressed",
            )
            return
        problem = _not_text(head)
        if problem is not None:
            yield Page(path=name, line=1, consumed=consumed(), error=problem)
            return
        for pieces in _pieces(read, head):
            for line, column, offset, data in splitter.feed_lines(pieces):
                yield _page(name, line, column, offset, data, consumed())
    except (OSError, EOFError, zlib.error) as error:
        if isinstance(error, EOFError | zlib.error | gzip.BadGzipFile):
            what = "the gzip data is corrupt or cut off"
        else:
            what = "the file could not be read to the end"
        yield Page(
            path=name,
            line=splitter.pending_line,
            consumed=consumed(),
            error=f"{what} ({_os_reason(error)}): the pages from this line on are lost",
        )
        return
    for line, column, offset, data in splitter.finish():
        yield _page(name, line, column, offset, data, consumed())


def _page(name: str, line: int, column: int, offset: int, data: bytes, consumed: int) -> Page:
    if len(data) > MAX_PAGE_BYTES:
        return Page(
            path=name,
            line=line,
            column=column,
            offset=offset,
            consumed=consumed,
            error=f"no page start found in over {MAX_PAGE_BYTES >> 20} MiB from this line: "
            "expected trial pages",
        )
    return Page(path=name, line=line, column=column, offset=offset, data=data, consumed=consumed)


class _Prefixed:
    """A binary stream that first gives back bytes already read from it."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def read(self, size: int = -1) -> bytes:
        if self._head:
            if size < 0 or size >= len(self._head):
                head, self._head = self._head, b""
                more = self._rest.read(-1 if size < 0 else size - len(head))
                return head + more
            head, self._head = self._head[:size], self._head[size:]
            return head
        return self._rest.read(size)

    def seek(self, offset: int, /) -> int:
        # Only rewinding a GzipFile seeks, and pages are read once, front to back.
        raise io.UnsupportedOperation("seek")


def _not_text(head: bytes) -> str | None:
    """Why a file that starts with ``head`` is no text at all, or ``None``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            decode(head[:2])
        except ParseError as error:
            return error.reason
    nul = head.find(b"\x00")
    if nul != -1:
        return (
            f"the file is binary: it holds a NUL byte at offset {nul} (UTF-16 text without a "
            "byte order mark looks like this too); expected UTF-8 text"
        )
    return None


def decode_page(page: Page) -> tuple[str, int | None]:
    """The text of a page and, when the page ends inside a multi-byte character (the scraper
    cuts pages at a byte count), the page line where that incomplete character was dropped.

    Raises ``ParseError`` with a line and column of the page's own lines.
    """
    data = page.data
    nul = data.find(b"\x00")
    if nul != -1:
        line, column = _position(data, nul)
        raise ParseError(
            f"the page holds binary data: a NUL byte at offset {page.offset + nul} of the file; "
            "expected UTF-8 text",
            line,
            column,
            code=DiagnosticCode.NOT_TEXT,
        )
    data, cut_line = _drop_cut_character(data)
    try:
        return decode(data), cut_line
    except ParseError as error:
        reason = error.reason
        if page.offset:
            # ``decode`` counts from the start of the page; the reader needs the file's offset.
            reason = _OFFSET.sub(lambda m: f"at offset {page.offset + int(m.group(1))}", reason)
        raise ParseError(reason, error.line, error.column, code=error.code) from None


def _drop_cut_character(data: bytes) -> tuple[bytes, int | None]:
    """``data`` without an incomplete UTF-8 sequence ending its last non-blank line."""
    end = len(data.rstrip(b"\r\n \t"))
    for back in range(1, 4):
        index = end - back
        if index < 0:
            break
        byte = data[index]
        if byte < 0x80:
            break
        if byte >= 0xC0:
            needed = 2 if byte < 0xE0 else 3 if byte < 0xF0 else 4
            if back < needed and all(0x80 <= b < 0xC0 for b in data[index + 1 : end]):
                line, _ = _position(data, index)
                return data[:index] + data[end:], line
            break
    return data, None


def _position(data: bytes, index: int) -> tuple[int, int]:
    """1-based line and column of byte ``index``, counting breaks as the parser does."""
    lines = data[:index].splitlines(keepends=True)
    if not lines:
        return 1, 1
    last = lines[-1]
    if last.endswith((b"\n", b"\r")):
        return len(lines) + 1, 1
    return len(lines), len(last.decode("utf-8", "replace")) + 1


def _printable(path: str) -> str:
    # A file name that is not UTF-8 must still go into UTF-8 JSON.
    return os.fsencode(path).decode("utf-8", "replace")


def _os_reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
