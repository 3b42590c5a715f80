"""Reading page files: UTF-8 with or without BOM, optionally gzip-compressed."""

from __future__ import annotations

import os
from typing import Literal, overload

from ctparse.batch.limits import MAX_FILE_BYTES, read_bounded
from ctparse.errors import ParseError
from ctparse.model import Results, Trial
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.dispatch import parse_page
from ctparse.pages.results.reader import parse_results
from ctparse.pages.trial.reader import parse

__all__ = ["parse_file", "read_page"]


def read_page(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    allow_special: bool = False,
) -> str:
    """The text of a page file; gzip (recognised by its bytes, not its name) is undone.

    Raises ``ParseError`` (line and column of the bad byte) when the bytes are not UTF-8,
    when the text is longer than ``max_bytes`` (32 MiB by default), and when ``path`` is not
    a regular file (a FIFO, a device) unless ``allow_special`` is true.
    """
    return decode(read_bounded(path, max_bytes=max_bytes, allow_special=allow_special))


def decode(data: bytes) -> str:
    """UTF-8 text of ``data``; a BOM is dropped, anything else that is not UTF-8 is refused."""
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise ParseError(
            "the file is UTF-32 (it starts with a UTF-32 byte order mark): expected UTF-8 text",
            1,
            1,
            code=DiagnosticCode.NOT_TEXT,
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ParseError(
            "the file is UTF-16 (it starts with a UTF-16 byte order mark): expected UTF-8 text",
            1,
            1,
            code=DiagnosticCode.NOT_TEXT,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        # Lines as parse counts them: \r\n, \r and \n all end one.
        before = data[: error.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = before.count(b"\n") + 1
        start = error.start - (len(before) - before.rfind(b"\n") - 1)
        column = len(data[start : error.start].decode("utf-8", "replace")) + 1
        raise ParseError(
            f"the file is not UTF-8: byte 0x{data[error.start]:02x} at offset {error.start} "
            "cannot be decoded; expected UTF-8 text",
            line,
            column,
            code=DiagnosticCode.NOT_UTF8,
        ) from None


@overload
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = ...,
    max_bytes: int = ...,
    allow_special: bool = ...,
    kind: Literal["trial"] = ...,
) -> Trial: ...
@overload
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = ...,
    max_bytes: int = ...,
    allow_special: bool = ...,
    kind: Literal["results"],
) -> Results: ...
@overload
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = ...,
    max_bytes: int = ...,
    allow_special: bool = ...,
    kind: Literal["auto"],
) -> Trial | Results: ...
def parse_file(
    path: str | os.PathLike[str],
    *,
    lenient: bool = False,
    max_bytes: int = MAX_FILE_BYTES,
    allow_special: bool = False,
    kind: Literal["trial", "results", "auto"] = "trial",
) -> Trial | Results:
    """Read the page stored at ``path`` (plain or gzip-compressed), read by ``read_page``.

    ``kind`` says how: ``trial`` (the default, as before: ``parse``, which refuses a results
    page), ``results`` (``parse_results``) or ``auto`` (``parse_page``: the text decides).
    """
    text = read_page(path, max_bytes=max_bytes, allow_special=allow_special)
    if kind == "results":
        return parse_results(text, lenient=lenient)
    if kind == "auto":
        return parse_page(text, lenient=lenient)
    return parse(text, lenient=lenient)
