"""Pages made for tests, and what a page in each layout can carry back."""

from __future__ import annotations

from typing import Any

import attrs

from ctparse import Trial, from_ctgov, render
from ctparse.eligibility.criteria import criteria_lines
from ctparse.pages.trial.render import Layout
from ctparse.pages.trial.vocabulary import SECTIONS

HELPER = dict(SECTIONS)
ELIGIBILITY_HELPER = HELPER["Eligibility Criteria"]


def page_with_raw_criteria(record: dict[str, Any], layout: str) -> str:
    """The page of a registry record, its criteria lines the record's markdown lines
    verbatim, as a real page prints them."""
    trial = from_ctgov(record)
    bare = attrs.evolve(
        trial,
        eligibility=attrs.evolve(trial.eligibility, inclusion=(), exclusion=(), other=()),
    )
    text = render(bare, layout)  # type: ignore[arg-type]
    raw = criteria_lines(
        record["protocolSection"]["eligibilityModule"].get("eligibilityCriteria", "")
    )
    gap = "\n\n" if layout == "labelled" else "\n"
    block = gap.join(raw)
    head, tail = text.split(ELIGIBILITY_HELPER + "\n", 1)
    return head + ELIGIBILITY_HELPER + "\n" + (block + gap if block else "") + tail.lstrip("\n")


def interventions_determined(trial: Trial, layout: Layout) -> bool:
    """Can a reader tell where each intervention starts?"""
    if layout == "labelled":
        # The name is the line before its ``Intervention Type`` line.
        return all(item.type is not None for item in trial.interventions)
    # Bare: plain lines, so only name / one-line-description pairs can be told apart.
    return all(
        item.description is not None and "\n" not in item.description
        for item in trial.interventions
    )
