"""Line preparation: helper sentences compared with white space normalised, near misses
reported, headings glued after a space split off; a section is never read silently as the
section before."""

from __future__ import annotations

import pytest

import ctparse
from ctparse import DiagnosticCode
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
