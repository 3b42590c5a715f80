"""Per-page records: ``iter_pages`` (text without parsing) and ``read_record`` (what a worker
does with a page), with codes on every error."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest

import ctparse
from ctparse.batch import records
from ctparse.batch.records import PageError, PageRecord, PageSource, PageText, read_record
from ctparse.batch.splitter import Page
from support.command import FULL, WITHDRAWN
from support.paths import FIXTURES


def test_iter_pages_yields_each_page_of_a_dump_with_its_source(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt.gz"
    path.write_bytes(gzip.compress(FULL.read_bytes() + b"\n" + WITHDRAWN.read_bytes()))
    pages = list(ctparse.iter_pages(str(path)))
    assert [page.source for page in pages] == [
        PageSource(path=str(path), line=1),
        PageSource(path=str(path), line=118),
    ]
    assert [page.error for page in pages] == [None, None]
    assert pages[0].text == FULL.read_text(encoding="utf-8") + "\n"
    assert pages[1].text == WITHDRAWN.read_text(encoding="utf-8")
    # Not parsed: the texts are what parse() would be given.
    assert ctparse.parse(pages[1].text).nct_id == ctparse.parse_file(WITHDRAWN).nct_id


def test_iter_pages_reads_a_binary_file_object() -> None:
    stream = io.BytesIO(FULL.read_bytes() + b"\nA second\nNCT ID: NCT00000002\nBody\n")
    pages = list(ctparse.iter_pages(stream))
    assert [(page.source.path, page.source.line) for page in pages] == [
        ("<stream>", 1),
        ("<stream>", 118),
    ]
    assert pages[1].text == "A second\nNCT ID: NCT00000002\nBody\n"
    assert not stream.closed


def test_iter_pages_gives_decoding_errors_as_records(tmp_path: Path) -> None:
    path = tmp_path / "dump.txt"
    second = WITHDRAWN.read_bytes().replace(b"Nothing", b"N\xf6thing")
    path.write_bytes(FULL.read_bytes() + b"\n" + second)
    first, bad = ctparse.iter_pages(str(path))
    assert first.error is None
    assert bad == PageText(
        source=PageSource(path=str(path), line=118),
        text=None,
        error=PageError(
            code="not_utf8",
            line=118,
            column=25,  # 'A Withdrawn Study With N\xf6thing ...'
            message=f"the file is not UTF-8: byte 0xf6 at offset {len(FULL.read_bytes()) + 25} "
            "cannot be decoded; expected UTF-8 text",
        ),
    )
    (missing,) = ctparse.iter_pages(str(tmp_path / "gone.txt"))
    assert missing.error is not None
    assert (missing.error.code, missing.error.message) == (
        "unreadable",
        "cannot read the file: No such file or directory",
    )


def test_read_record_puts_lines_in_terms_of_the_file() -> None:
    page = Page(path="d.txt", line=101, data=b"A trial\nNCT ID: NCT00000001\nstray\n")
    record = read_record(page, lenient=False)
    # An error record keeps the kind the text was read as.
    assert (record.kind, record.page) == ("trial", None)
    assert record.error is not None
    assert (record.error.code, record.error.line) == ("misplaced_line", 103)
    lenient = read_record(page, lenient=True)
    assert lenient.kind == "trial" and lenient.error is None
    assert isinstance(lenient.page, ctparse.Trial)
    assert [d.line for d in lenient.page.diagnostics] == [103]


def test_read_record_marks_a_character_cut_by_the_scraper() -> None:
    data = "A trial\nNCT ID: NCT00000001\nSpeed ≥ 3".encode()[:-3]
    record = read_record(Page(path="d.txt", line=11, data=data), lenient=True)
    assert isinstance(record.page, ctparse.Trial)
    cut = record.page.diagnostics[-1]
    assert (cut.line, cut.code) == (13, "cut_character")


def test_a_fault_in_the_parser_costs_one_page(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(text: str, *, lenient: bool = False) -> ctparse.Trial:
        raise RuntimeError("boom")

    monkeypatch.setattr(records, "parse_page", broken)
    record = read_record(Page(path="a.txt", line=7, data=b"Title\n"), False)
    assert record.page is None
    assert record.error == PageError(
        code="internal_error",
        line=7,
        column=1,
        message="internal error while reading this page (RuntimeError: boom); "
        "please report it with the page",
    )


def test_a_record_holds_a_page_or_an_error_never_both() -> None:
    source = PageSource(path="a.txt", line=1)
    error = PageError(code="empty", line=1, column=1, message="the text is empty")
    with pytest.raises(ValueError, match="exactly one of page and error"):
        PageRecord(source=source, kind="trial", page=ctparse.Trial(), error=error)
    with pytest.raises(ValueError, match="exactly one of text and error"):
        PageText(source=source, text=None, error=None)


@pytest.mark.parametrize("lenient", [False, True])
@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"<html>\n<body><p>Not a page</p></body>\n</html>\n", "not_a_page"),
        (b'{"nct_id": "NCT00000001", "title": "JSON, not a page"}\n', "not_a_page"),
        (b"\n  \n", "empty"),
    ],
)
def test_text_that_is_no_page_is_an_error_of_no_kind_in_every_mode(
    data: bytes, code: str, lenient: bool
) -> None:
    record = read_record(Page(path="x.txt", line=5, data=data), lenient)
    assert (record.kind, record.page) == (None, None)
    assert record.error is not None
    assert (record.error.code, record.error.line) == (code, 5)


def test_a_results_page_is_read_as_one() -> None:
    text = (FIXTURES / "results" / "NCT00528372_results.txt").read_bytes()
    record = read_record(Page(path="r.txt", line=1, data=text), lenient=True)
    assert record.kind == "results" and isinstance(record.page, ctparse.Results)
    assert record.page.nct_id == "NCT00528372"
    strict = read_record(Page(path="r.txt", line=1, data=text), lenient=False)
    assert strict.kind == "results" and strict.error is not None
    assert strict.error.code == "cut_off"
