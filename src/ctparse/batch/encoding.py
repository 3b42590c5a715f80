"""Bytes to text: the one place that decodes page bytes and names what they are when they are
not UTF-8 text.

``parse_file``, ``iter_pages`` and the command all decode here, so a file is called the same
thing (``UTF-32``, ``UTF-16``, binary, not UTF-8) whichever way it is read.
"""

from __future__ import annotations

import re

from ctparse.errors import ParseError
from ctparse.model.diagnostics import DiagnosticCode

__all__ = [
    "byte_order_mark",
    "decode",
    "decode_page_bytes",
    "not_text",
    "position",
]

# Longest first: the UTF-32 little-endian mark starts with the UTF-16 one.
_MARKS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)
_OFFSET = re.compile(r"at offset (\d+)")


def byte_order_mark(data: bytes) -> str | None:
    """The encoding named by a UTF-16 or UTF-32 byte order mark at the start of ``data``."""
    for mark, name in _MARKS:
        if data.startswith(mark):
            return name
    return None


def _wrong_encoding(name: str) -> ParseError:
    return ParseError(
        f"the file is {name} (it starts with a {name} byte order mark): expected UTF-8 text",
        1,
        1,
        code=DiagnosticCode.NOT_TEXT,
    )


def decode(data: bytes) -> str:
    """UTF-8 text of ``data``; a UTF-8 BOM is dropped, anything else that is not UTF-8 is
    refused with a ``ParseError`` (line and column of the bad byte; code ``not_text`` for
    UTF-16 and UTF-32, ``not_utf8`` for other bytes)."""
    name = byte_order_mark(data)
    if name is not None:
        raise _wrong_encoding(name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line, column = position(data, error.start)
        raise ParseError(
            f"the file is not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} "
            "cannot be decoded; expected UTF-8 text",
            line,
            column,
            code=DiagnosticCode.NOT_UTF8,
        ) from None


def not_text(head: bytes) -> ParseError | None:
    """Why a file that starts with ``head`` is no UTF-8 text at all, or ``None``."""
    name = byte_order_mark(head)
    if name is not None:
        return _wrong_encoding(name)
    nul = head.find(b"\x00")
    if nul != -1:
        return ParseError(
            f"the file is binary: it holds a NUL byte at offset {nul} (UTF-16 text without a "
            "byte order mark looks like this too); expected UTF-8 text",
            1,
            1,
            code=DiagnosticCode.NOT_TEXT,
        )
    return None


def decode_page_bytes(data: bytes, offset: int = 0) -> tuple[str, int | None]:
    """The text of one page of a file (``offset``: where it starts in the file) and, when the
    page ends inside a multi-byte character (the scraper cuts pages at a byte count), the page
    line where that incomplete character was dropped.

    Raises ``ParseError`` with a code, a line and a column of the page's own lines; offsets in the
    message are offsets in the file.
    """
    nul = data.find(b"\x00")
    if nul != -1:
        line, column = position(data, nul)
        raise ParseError(
            f"the page holds binary data: a NUL byte at offset {offset + nul} of the file; "
            "expected UTF-8 text",
            line,
            column,
            code=DiagnosticCode.NOT_TEXT,
        )
    data, cut_line = _drop_cut_character(data)
    try:
        return decode(data), cut_line
    except ParseError as error:
        if not offset:
            raise
        reason = _OFFSET.sub(lambda m: f"at offset {offset + int(m.group(1))}", error.reason)
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
                line, _ = position(data, index)
                return data[:index] + data[end:], line
            break
    return data, None


def position(data: bytes, index: int) -> tuple[int, int]:
    """1-based line and column of byte ``index``, counting ``\\r\\n``, ``\\r`` and ``\\n``
    as one line break each, as ``parse`` does."""
    before = data[:index].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
    line = before.count(b"\n") + 1
    start = before.rfind(b"\n") + 1
    column = len(before[start:].decode("utf-8", "replace")) + 1
    return line, column
