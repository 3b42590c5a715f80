"""Splitting dumps into pages: where each page starts."""

from __future__ import annotations

from pathlib import Path

import pytest

from ctparse.batch import splitter as dump
from ctparse.batch.inputs import read_pages
from ctparse.batch.splitter import split_pages
from support.paths import FIXTURES

FULL = FIXTURES / "valid" / "NCT05001971.txt"  # bare layout: 117 lines, no final line break
LABELLED = FIXTURES / "real" / "NCT07258953.txt"  # labelled excerpt: 2,000 bytes, 47 lines
FROM_RESULTS = FIXTURES / "real" / "NCT06738667.txt"  # starts at Study Results: 30 lines
RESULTS_PAGE = FIXTURES / "real" / "NCT02524158_results.txt"  # 'Trial Outcomes ...': 46 lines
CRLF_BOM = FIXTURES / "valid" / "crlf_bom_NCT05001971.txt"  # 117 lines, ends with \r


def text(path: Path) -> bytes:
    return path.read_bytes()


def starts(data: bytes) -> list[tuple[int, int]]:
    return [(line, column) for line, column, _, _ in split_pages(data)]


# ---------------------------------------------------------------- page starts


def test_pages_joined_with_line_breaks_start_at_their_title_lines() -> None:
    pages = [text(FULL) + b"\n", text(LABELLED) + b"\n", text(FROM_RESULTS) + b"\n"]
    data = b"".join(pages)
    found = split_pages(data)
    assert [(line, column) for line, column, _, _ in found] == [(1, 1), (118, 1), (165, 1)]
    assert [page for _, _, _, page in found] == pages
    assert [offset for _, _, offset, _ in found] == [0, len(pages[0]), len(pages[0] + pages[1])]


def test_blank_lines_between_pages_stay_with_the_page_before() -> None:
    data = text(FULL) + b"\n\n\n" + text(LABELLED)
    found = split_pages(data)
    assert starts(data) == [(1, 1), (120, 1)]
    assert found[0][3].endswith(b"similarity analysis.\n\n\n")


def test_blank_lines_before_the_first_page_are_not_part_of_it() -> None:
    data = b"\n  \n\n" + text(FULL)
    ((line, column, offset, page),) = split_pages(data)
    assert (line, column, offset) == (4, 1, 5)
    assert page == text(FULL)


def test_an_excerpt_starting_at_study_results_is_a_page_of_its_own() -> None:
    data = text(LABELLED) + b"\n" + text(FROM_RESULTS) + b"\n" + text(FROM_RESULTS)
    assert starts(data) == [(1, 1), (48, 1), (78, 1)]


def test_study_results_of_a_page_right_after_its_header_is_no_new_page() -> None:
    # Title, NCT ID, Last Updated, then Study Results: all one page.
    assert starts(text(FULL)) == [(1, 1)]
    # The labelled layout has blank lines and a label between heading and sentence.
    assert starts(text(LABELLED)) == [(1, 1)]


def test_a_results_page_starts_at_its_trial_outcomes_line() -> None:
    data = text(FULL) + b"\n" + text(RESULTS_PAGE) + b"\n" + text(FULL)
    assert starts(data) == [(1, 1), (118, 1), (164, 1)]


def test_a_page_without_title_after_the_fixed_wording_of_the_page_before() -> None:
    headless = text(FULL).split(b"\n", 1)[1]  # from 'NCT ID:' on
    data = text(FULL) + b"\n" + headless
    assert starts(data) == [(1, 1), (118, 1)]
    assert split_pages(data)[1][3].startswith(b"NCT ID: NCT05001971\n")


def test_pages_with_crlf_and_a_byte_order_mark_in_the_middle_of_a_dump() -> None:
    data = text(FULL) + b"\n" + text(CRLF_BOM) + b"\n" + text(FULL)
    found = split_pages(data)
    assert [(line, column) for line, column, _, _ in found] == [(1, 1), (118, 1), (235, 1)]
    assert found[1][3] == text(CRLF_BOM) + b"\n"


def test_a_lone_carriage_return_counts_as_a_line_break() -> None:
    page = text(FULL).replace(b"\n", b"\r")
    assert starts(page + b"\r" + page) == [(1, 1), (118, 1)]


def test_empty_and_blank_streams_are_one_page() -> None:
    assert split_pages(b"") == [(1, 1, 0, b"")]
    assert split_pages(b"\n \n\t\n") == [(1, 1, 0, b"\n \n\t\n")]


def test_a_line_longer_than_the_read_size_is_kept_whole() -> None:
    long_line = b"x" * (3 * (1 << 20) + 17) + b"\n"
    data = text(FULL) + b"\n" + long_line + text(LABELLED)
    found = split_pages(data)
    assert starts(data) == [(1, 1), (119, 1)]
    assert found[0][3] == text(FULL) + b"\n" + long_line


def test_no_page_start_for_too_long_becomes_its_own_piece(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(dump, "MAX_PAGE_BYTES", 5000)
    path = tmp_path / "noise.txt"
    path.write_bytes(b"noise line\n" * 1000)  # 11,000 bytes without a page start
    pages = list(read_pages(str(path)))
    assert [(page.line, page.error is not None) for page in pages] == [
        (1, True),
        (456, True),
        (911, False),
    ]
    assert pages[0].error == (
        "no page start found in over 0 MiB from this line: expected trial pages"
    )
    assert pages[0].code == "too_large"
    assert pages[2].data == b"noise line\n" * 90


# ---------------------------------------------------------------- pages glued to the one before


def test_excerpts_joined_without_line_breaks_split_at_the_scrapers_cut() -> None:
    excerpts = sorted((FIXTURES / "real").glob("*.txt"))
    assert all(len(text(path)) == dump.EXCERPT_BYTES for path in excerpts)
    data = b"".join(text(path) for path in excerpts)
    found = split_pages(data)
    # Each page comes back byte for byte, wherever it starts.
    assert [page for _, _, _, page in found] == [text(path) for path in excerpts]
    line, column = 1, 1
    for (start_line, start_column, _, _), path in zip(found, excerpts, strict=True):
        assert (start_line, start_column) == (line, column)
        data_lines = text(path).split(b"\n")
        line += len(data_lines) - 1
        tail = len(data_lines[-1].decode("utf-8"))
        column = column + tail if len(data_lines) == 1 else tail + 1


def test_a_whole_page_joined_to_the_next_splits_after_its_last_sentence() -> None:
    data = text(FULL) + text(LABELLED) + text(FULL)
    found = split_pages(data)
    # 'Additional clinical trials ... similarity analysis.' is 77 characters, the excerpt's
    # last line (a paragraph cut off) 819.
    assert [(line, column) for line, column, _, _ in found] == [(1, 1), (117, 78), (163, 820)]
    assert [page for _, _, _, page in found] == [text(FULL), text(LABELLED), text(FULL)]


def test_a_title_glued_to_an_nct_number_ending_a_page() -> None:
    page = text(FULL) + b"\nMore Related Trials\nSome Trial\nNCT01234567"
    data = page + text(LABELLED)
    assert [p for _, _, _, p in split_pages(data)] == [page, text(LABELLED)]
    assert starts(data) == [(1, 1), (120, 12)]


def test_study_results_and_results_titles_glued_to_the_page_before() -> None:
    data = text(FULL) + text(FROM_RESULTS) + text(RESULTS_PAGE)
    found = split_pages(data)
    assert [page for _, _, _, page in found] == [
        text(FULL),
        text(FROM_RESULTS),
        text(RESULTS_PAGE),
    ]
    assert [(line, column) for line, column, _, _ in found][:2] == [(1, 1), (117, 78)]


def test_a_short_page_before_a_title_line_does_not_split_that_title() -> None:
    # Byte 2,000 falls on the 'i' of 'Anlotinib' in the title line of the next page.
    head = b"Short Title\nNCT ID: NCT09000001\nLast Updated: 2024-01-01\nBasic Information\n"
    short = head + b"x" * (dump.EXCERPT_BYTES - 5 - len(head) - 1) + b"\n"
    data = short + text(FULL)
    assert len(short) == dump.EXCERPT_BYTES - 5
    assert starts(data) == [(1, 1), (6, 1)]
    assert split_pages(data)[1][3] == text(FULL)


def test_a_title_line_of_its_own_is_never_split() -> None:
    # Starts like a heading and like a helper sentence's first words: still one title line.
    titled = b"Interventions for Sleep Apnea\nNCT ID: NCT09000009\nLast Updated: 2024-01-01\n"
    data = text(FULL) + b"\n" + titled + b"Study Results\n"
    found = split_pages(data)
    assert starts(data) == [(1, 1), (118, 1)]
    assert found[1][3].startswith(b"Interventions for Sleep Apnea\n")
