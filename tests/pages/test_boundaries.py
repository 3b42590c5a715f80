"""Where a page starts: ``parse`` and the dump splitter follow one rule."""

from __future__ import annotations

import pytest

import ctparse
from ctparse.batch.splitter import split_pages
from ctparse.pages import boundaries
from ctparse.pages.boundaries import Start, nct_id_start, second_page_start
from support.paths import FIXTURES

FULL = (FIXTURES / "valid" / "NCT05001971.txt").read_text(encoding="utf-8")
BASIC = (
    "Basic Information\nGet a concise snapshot of the trial, including recruitment status, "
    "study phase, enrollment targets, and key timeline milestones.\n"
)


@pytest.mark.parametrize(
    "line",
    ["NCT ID: NCT01234567", "Last Updated: 2024-01-02", "NCT ID: NCT0123456", "A title", ""],
)
def test_header_lines_alike_as_text_and_bytes(line: str) -> None:
    assert boundaries.is_header_bytes(line.encode()) == boundaries.is_header_line(line)


def test_the_rule() -> None:
    assert nct_id_start(None, False, False) is None
    # A title that is the page's first line is that page's own.
    assert nct_id_start("A trial", True, False) is None
    assert nct_id_start("Another trial", False, True) is Start.AT_TITLE
    # Fixed wording is never a title: the page starts at its NCT ID line, once there is a body.
    assert nct_id_start("Basic Information", False, True) is Start.AT_NCT_ID
    assert nct_id_start("NCT ID: NCT00000001", False, False) is None
    assert nct_id_start("Last Updated: 2024-01-02", False, False) is None


TEXTS = {
    "two pages": FULL + "\n" + FULL,
    "a repeated header line": "A trial\nNCT ID: NCT00000001\nNCT ID: NCT00000002\n",
    "a header then a body": "A trial\nNCT ID: NCT00000001\nLast Updated: 2024-01-02\n"
    + BASIC
    + "Second\nNCT ID: NCT00000002\n",
    "no title after fixed wording": "A trial\nNCT ID: NCT00000001\n"
    + BASIC
    + "Conditions\nNCT ID: NCT00000002\n",
    "blank lines before the title": "A trial\nNCT ID: NCT00000001\nBody\n\n\nSecond\n\n"
    "NCT ID: NCT00000002\n",
}


@pytest.mark.parametrize("name", list(TEXTS))
def test_parse_and_the_splitter_agree(name: str) -> None:
    text = TEXTS[name]
    split = [line for line, _, _, _ in split_pages(text.encode())]
    second = second_page_start(text.split("\n"))
    assert split == [1] + ([second[0] + 1] if second else [])
    diagnostics = ctparse.parse(text, lenient=True).diagnostics
    starts = [d.line for d in diagnostics if d.message.startswith("a second trial page")]
    assert starts == split[1:]


def test_a_run_of_nct_id_lines_is_read_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    # Once quadratic: every later NCT ID line re-checked all lines since the first.
    calls = 0
    rule = boundaries.nct_id_start

    def counted(previous: str | None, previous_is_first: bool, has_body: bool) -> Start | None:
        nonlocal calls
        calls += 1
        return rule(previous, previous_is_first, has_body)

    monkeypatch.setattr(boundaries, "nct_id_start", counted)
    for count in (1_000, 4_000):
        calls = 0
        trial = ctparse.parse("A trial\n" + "NCT ID: NCT01234567\n" * count, lenient=True)
        assert trial.nct_id == "NCT01234567"
        assert calls == count  # once a line: the work grows with the lines, not their square


@pytest.mark.parametrize(
    "mistyped",
    [
        "NCT ID: NCT0500197",
        "NCT ID:NCT05001971",
        "NCT ID : NCT05001971",
        "nct id: NCT05001971",
        "NCTID: NCT05001971",
        " NCT ID: NCT05001971",
    ],
)
def test_a_mistyped_nct_id_line_leaves_one_page_for_splitter_and_parse(mistyped: str) -> None:
    text = FULL.replace("NCT ID: NCT05001971", mistyped, 1)
    assert len(split_pages(text.encode("utf-8"))) == 1
    with pytest.raises(ctparse.ParseError) as raised:
        ctparse.parse(text)
    # The library's message is about the mistyped line, not about a second page.
    assert (raised.value.code, raised.value.line) == ("misplaced_line", 2)


def test_an_excerpt_starting_at_study_results_after_a_page_is_still_its_own_page() -> None:
    excerpt = FULL[FULL.index("Study Results") :]
    pages = split_pages((FULL + "\n" + excerpt).encode("utf-8"))
    assert [page[0] for page in pages] == [1, FULL.count("\n") + 2]
    assert boundaries.holds_section([b"A title", b"Study Results"])
    assert not boundaries.holds_section([b"A title", b"NCT ID:NCT05001971", b"Last Updated: x"])
