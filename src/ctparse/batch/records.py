"""Per-page records: where a page starts, its text or why it has none, and what reading it gave.

``read_record`` is what a worker does with one page: decode, parse, and put every line number
in terms of the file the page came from. It never raises: a page that cannot be read becomes a
record with a ``PageError``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from attrs import evolve, frozen

from ctparse.batch.encoding import decode_page_bytes
from ctparse.batch.inputs import read_pages, stream_pages
from ctparse.batch.splitter import Page
from ctparse.errors import ParseError
from ctparse.model import Diagnostic, Results, Trial
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.dispatch import parse_page
from ctparse.pages.kind import page_kind

__all__ = [
    "PageError",
    "PageRecord",
    "PageSource",
    "PageText",
    "crashed_record",
    "iter_pages",
    "page_of",
    "page_text",
    "read_record",
    "record_kind",
    "trial_of",
]

# Codes that judge a whole text to be no page at all: its record is an error of no kind, in
# every mode (a lenient read of HTML is not an empty Trial).
NOT_A_PAGE_CODES = frozenset({DiagnosticCode.EMPTY, DiagnosticCode.NOT_A_PAGE})


@frozen(kw_only=True)
class PageSource:
    """Where a page starts: the file as named on input (``<stdin>`` for standard input) and
    its 1-based line there (of the decompressed bytes, for gzip)."""

    path: str
    line: int


@frozen(kw_only=True)
class PageError:
    """Why a page did not become a record; ``line`` and ``column`` are in the source file.
    ``code`` is a ``DiagnosticCode`` (``not_utf8``, ``not_a_page``, ``cut_off``, ...)."""

    code: str
    line: int
    column: int
    message: str


@frozen(kw_only=True)
class PageRecord:
    """What reading one page gave: the parsed ``page`` (a ``Trial`` for kind ``"trial"``, a
    ``Results`` for ``"results"``), or an ``error``; exactly one of ``page`` and ``error`` is
    set. An error record has the kind the text was read as, or ``None`` when it is no page
    of either kind (not text, empty, no page's wording at all) or could not be read."""

    source: PageSource
    kind: str | None
    page: object | None
    error: PageError | None

    def __attrs_post_init__(self) -> None:
        _exactly_one(self.page, self.error, "page")


@frozen(kw_only=True)
class PageText:
    """One page of a file, not parsed: its ``text``, or the ``error`` that kept it from
    being text (exactly one of the two is set)."""

    source: PageSource
    text: str | None
    error: PageError | None

    def __attrs_post_init__(self) -> None:
        _exactly_one(self.text, self.error, "text")


def _exactly_one(value: object, error: PageError | None, name: str) -> None:
    if (value is None) == (error is None):
        raise ValueError(f"exactly one of {name} and error must be set")


def _error_of(page: Page, error: ParseError) -> PageError:
    return _located(page, error.line, error.column, error.code, error.reason)


def _located(page: Page, line: int, column: int, code: str, message: str) -> PageError:
    """An error at ``line``/``column`` of the page, put in terms of the file."""
    # A page glued to the end of the page before it starts inside its first line.
    column += page.column - 1 if line == 1 else 0
    return PageError(code=code, line=page.line + line - 1, column=column, message=message)


def _read_error(page: Page) -> PageError:
    assert page.error is not None
    return PageError(
        code=page.code or DiagnosticCode.NOT_TEXT, line=page.line, column=1, message=page.error
    )


def page_text(page: Page) -> PageText:
    """The text of a split page, or its decoding error."""
    source = PageSource(path=page.path, line=page.line)
    if page.error is not None:
        return PageText(source=source, text=None, error=_read_error(page))
    try:
        text, _ = decode_page_bytes(page.data, page.offset)
    except ParseError as error:
        return PageText(source=source, text=None, error=_error_of(page, error))
    return PageText(source=source, text=text, error=None)


def iter_pages(path_or_binary_file: str | BinaryIO) -> Iterator[PageText]:
    """Each page of a page file or dump (a path, or a binary file object), not parsed.

    Dumps are split as the ``ctparse`` command splits them; gzip is recognised by its bytes.
    Pages come one at a time, so a dump of any size is read in constant memory. A file that
    cannot be read gives one ``PageText`` with its ``error`` set.
    """
    if isinstance(path_or_binary_file, str):
        pages = read_pages(path_or_binary_file)
    else:
        pages = stream_pages(path_or_binary_file)
    for page in pages:
        yield page_text(page)


_CUT_CHARACTER = (
    "the page is cut off inside a multi-byte character; the incomplete character is dropped"
)


def _whole_text_problem(page: Trial | Results) -> Diagnostic | None:
    """The diagnostic saying that a lenient read found no page at all, if there is one."""
    for item in page.diagnostics:
        if item.code in NOT_A_PAGE_CODES:
            return item
    return None


def record_kind(text: str, code: str) -> str | None:
    """The kind of the record of ``text`` that failed with ``code``: ``None`` for a text
    that is no page of either kind."""
    return None if code in NOT_A_PAGE_CODES else page_kind(text)


def read_record(page: Page, lenient: bool) -> PageRecord:
    """Read one page of either kind into its record; never raises.

    Line numbers in the record (the error's, the diagnostics') are lines of the file named
    by ``source.path``. A text that is no page at all (empty, HTML, JSON) is an error record
    even when ``lenient``.
    """
    source = PageSource(path=page.path, line=page.line)
    if page.error is not None:
        return PageRecord(source=source, kind=None, page=None, error=_read_error(page))
    try:
        text, cut_line = decode_page_bytes(page.data, page.offset)
    except ParseError as error:
        return PageRecord(source=source, kind=None, page=None, error=_error_of(page, error))
    try:
        parsed = parse_page(text, lenient=lenient)
    except ParseError as error:
        kind = record_kind(text, error.code)
        return PageRecord(source=source, kind=kind, page=None, error=_error_of(page, error))
    except Exception as error:
        # A fault in the parser must cost one page, not the run.
        message = (
            f"internal error while reading this page ({type(error).__name__}: {error}); "
            "please report it with the page"
        )
        failure = PageError(
            code=DiagnosticCode.INTERNAL_ERROR, line=page.line, column=1, message=message
        )
        return PageRecord(source=source, kind=page_kind(text), page=None, error=failure)
    problem = _whole_text_problem(parsed)
    if problem is not None:
        failure = _located(page, problem.line, problem.column, problem.code, problem.message)
        return PageRecord(source=source, kind=None, page=None, error=failure)
    return PageRecord(
        source=source,
        kind="results" if isinstance(parsed, Results) else "trial",
        page=_in_file_terms(parsed, page, cut_line, lenient),
        error=None,
    )


def _in_file_terms(
    parsed: Trial | Results, page: Page, cut_line: int | None, lenient: bool
) -> Trial | Results:
    """The page with its diagnostics' lines counted in the file (and the cut character)."""
    diagnostics = list(parsed.diagnostics)
    if lenient and cut_line is not None:
        diagnostics.append(
            Diagnostic(line=cut_line, code=DiagnosticCode.CUT_CHARACTER, message=_CUT_CHARACTER)
        )
    if diagnostics and page.line != 1:
        shift = page.line - 1
        diagnostics = [evolve(item, line=item.line + shift) for item in diagnostics]
    if diagnostics:  # most pages have none: the page is kept as parsed
        return evolve(parsed, diagnostics=tuple(diagnostics))
    return parsed


def crashed_record(page: Page) -> PageRecord:
    """The record of a page whose worker process died while reading it."""
    message = (
        "internal error: the worker process died while reading this page; "
        "please report it with the page"
    )
    return PageRecord(
        source=PageSource(path=page.path, line=page.line),
        kind=None,
        page=None,
        error=PageError(
            code=DiagnosticCode.INTERNAL_ERROR, line=page.line, column=1, message=message
        ),
    )


def trial_of(record: PageRecord) -> Trial:
    """The Trial of a trial record."""
    assert isinstance(record.page, Trial)
    return record.page


def page_of(record: PageRecord) -> Trial | Results:
    """The Trial or Results of a record that is no error."""
    assert isinstance(record.page, Trial | Results)
    return record.page
