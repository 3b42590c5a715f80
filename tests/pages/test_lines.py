"""Line preparation: helper sentences compared with white space normalised, near misses
reported, headings glued after a space split off; a section is never read silently as the
section before."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

import ctparse
from ctparse import DiagnosticCode
from ctparse.pages import lines as page_lines
from ctparse.pages.trial.vocabulary import SECTIONS
from support.paths import SEED_PAGE

HELPER = dict(SECTIONS)
LOCATIONS = HELPER["Locations"]


def seed() -> str:
    return SEED_PAGE.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "spoiled",
    [
        " " + LOCATIONS,
        "\u00a0" + LOCATIONS,
        "\t" + LOCATIONS + " ",
        LOCATIONS.replace(" check ", "  check "),
        LOCATIONS.replace(" check ", " \u00a0check "),
    ],
    ids=["space", "nbsp", "tab", "double-space", "inner-nbsp"],
)
def test_a_helper_with_other_white_space_is_still_the_helper(spoiled: str) -> None:
    expected = ctparse.parse(seed())
    trial = ctparse.parse(seed().replace("\n" + LOCATIONS, "\n" + spoiled))
    assert trial == expected
    assert trial.locations and trial.locations[0].city == "Changsha"


@pytest.mark.parametrize(
    "spoiled",
    [LOCATIONS.replace("study", "studdy"), LOCATIONS.replace("each", "every")],
)
def test_a_line_that_is_nearly_a_helper_is_reported(spoiled: str) -> None:
    text = seed().replace("\n" + LOCATIONS, "\n" + spoiled)
    line = text.split("\n").index(spoiled) + 1
    trial = ctparse.parse(text, lenient=True)
    near = [d for d in trial.diagnostics if d.code is DiagnosticCode.NEAR_HEADING]
    assert [(d.line, d.section) for d in near] == [(line, "Locations")]
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(text)
    assert DiagnosticCode.NEAR_HEADING in {d.code for d in caught.value.diagnostics}


def test_a_heading_glued_after_a_space_to_the_helper_before_is_split() -> None:
    lines = seed().split("\n")
    heading = lines.index("Locations")
    before = heading - 1
    while not lines[before]:
        before -= 1
    lines[before] += " Locations"
    del lines[heading]
    trial = ctparse.parse("\n".join(lines))
    assert trial == ctparse.parse(seed())


def test_a_criterion_that_names_a_section_stays_text() -> None:
    # A heading's name before a line unlike its helper is an ordinary line.
    text = seed().replace(
        "Inclusion Criteria\n", "Inclusion Criteria\nLocations\nany site in the region\n", 1
    )
    assert "any site in the region" in text
    trial = ctparse.parse(text, lenient=True)
    assert not [d for d in trial.diagnostics if d.code is DiagnosticCode.NEAR_HEADING]


# The quick check that lets a page skip mending, held against the regular expressions it
# replaced (on the reversed text, then the text itself): the same verdict on every line of
# the seed page spoilt in each way that needs mending, and on lines that do not.
_HEADINGS = [heading for heading, _ in SECTIONS]
_REVERSED_SPACE_OR_GLUED = re.compile(
    r"\n(?:[^\S\n]|(?:" + "|".join(re.escape(h[::-1]) for h in _HEADINGS) + r")[^\n])"
)
_INDENTED = re.compile(r"\n[^\S\n]+([^\n]*)")
_HEADING_AND_NEXT = re.compile(
    r"\n(" + "|".join(re.escape(h) for h in HELPER if HELPER[h]) + r")\n(?:[^\S\n]*\n)*([^\n]*)"
)


def _reference_needs_mending(text: str) -> bool:
    return bool(
        _REVERSED_SPACE_OR_GLUED.search(text[::-1])
        or any(m[1] in page_lines._SECTION_OF for m in _INDENTED.finditer("\n" + text))
        or any(
            page_lines._helper_problem(m[1], m[2]) is not None
            for m in _HEADING_AND_NEXT.finditer("\n" + text)
        )
    )


_SPOILERS = {
    "trailing-space": lambda line: line + " ",
    "trailing-nbsp": lambda line: line + "\u00a0",
    "blank-of-spaces": lambda line: "  \n" + line,
    "indented": lambda line: "\u2003" + line,
    "glued-after": lambda line: line + "Locations",
    "glued-label": lambda line: "x" + line,
    "heading-before": lambda line: "Locations\n" + line,
    "helper-spoilt": lambda line: line + "\n" + LOCATIONS.replace("study", "studdy"),
    "helper-spaced": lambda line: line + "\n" + LOCATIONS.replace(" ", "  ", 1),
    "empty-before": lambda line: "\n" + line,
    "unchanged": lambda line: line,
}


@pytest.mark.parametrize("spoil", _SPOILERS.values(), ids=_SPOILERS.keys())
def test_the_quick_check_agrees_with_the_full_scan(spoil: Callable[[str], str]) -> None:
    page = seed().split("\n")
    needing = 0
    for index in range(len(page)):
        text = "\n".join([*page[:index], spoil(page[index]), *page[index + 1 :]]) + "\n"
        split = text.split("\n")[:-1]
        expected = _reference_needs_mending(text)
        assert page_lines._needs_mending(split) is expected, (index, text.split("\n")[index])
        needing += expected
    # A heading's name or an empty line before a line (a heading among them) spoils
    # nothing; the others meet a line they spoil somewhere on the page.
    harmless = (_SPOILERS["heading-before"], _SPOILERS["empty-before"], _SPOILERS["unchanged"])
    assert (needing > 0) is (spoil not in harmless)


def test_a_page_that_needs_no_mending_is_kept_as_given() -> None:
    text = seed()
    source = page_lines.prepare(text)
    assert source.text == (text if text.endswith("\n") else text + "\n")
    assert (source.splits, source.cut_off, source.near_helpers) == ((), None, ())
    assert source.last_line == source.text.count("\n")


def test_an_indented_results_label_is_mended() -> None:
    labelled = seed().replace("\nStudy Results\n", "\nStudy Results\nResults pending\n", 1)
    assert "\nResults pending\nThe study team has not published" in labelled
    source = page_lines.prepare(labelled.replace("\nResults pending\n", "\n  Results pending\n"))
    assert source.text == page_lines.prepare(labelled).text
    assert "\n  Results pending" not in source.text
