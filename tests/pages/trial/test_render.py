"""``render``: a Trial written back as page text, in the bare and the labelled layout."""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

import attrs
import pytest

import ctparse
from ctparse.formats.ctgov import from_ctgov
from ctparse.model import (
    Age,
    AgencyClass,
    AgeUnit,
    Allocation,
    Arm,
    ArmGroupType,
    Design,
    Eligibility,
    Identifier,
    IdentifierType,
    Intervention,
    InterventionModel,
    InterventionType,
    Investigator,
    Location,
    Masking,
    OfficialRole,
    Phase,
    PrimaryPurpose,
    RelatedTrial,
    Sex,
    Sponsor,
    Status,
    StudyType,
    Trial,
    WhoMasked,
)
from ctparse.pages.trial.render import Layout, render, section_lines
from ctparse.pages.trial.vocabulary import RESULTS_AVAILABLE, SECTIONS
from support.pages import interventions_determined
from support.paths import SEED_EXPECTED, SEED_PAGE, corpus_files

HELPER = dict(SECTIONS)


def seed_text() -> str:
    # Bytes, not read_text: the comparison is byte for byte, line endings included.
    return SEED_PAGE.read_bytes().decode("utf-8")


# ------------------------------------------------------------------ the example page


def test_seed_page_from_its_expected_parse_byte_for_byte() -> None:
    trial = ctparse.from_dict(json.loads(SEED_EXPECTED.read_text(encoding="utf-8")))
    assert render(trial, "bare") == seed_text()


def test_seed_page_from_its_parse_byte_for_byte() -> None:
    assert render(ctparse.parse(seed_text()), "bare") == seed_text()


# ------------------------------------------------------------------ layouts, line by line

SMALL = Trial(
    nct_id="NCT01234567",
    title="A Small Trial",
    last_updated=datetime.date(2024, 5, 6),
    has_results=True,
    status=Status.RECRUITING,
    phases=(Phase.PHASE1, Phase.PHASE2),
    enrollment=12,
    study_type=StudyType.INTERVENTIONAL,
    start_date="2023-01",
    completion_date="2025-12-31",
    brief_summary="Dose > 5 mg [daily].\nSecond paragraph.",
    conditions=("Migraine",),
    keywords=("pain",),
    design=Design(
        allocation=Allocation.RANDOMIZED,
        intervention_model=InterventionModel.PARALLEL,
        primary_purpose=PrimaryPurpose.TREATMENT,
        masking=Masking.DOUBLE,
        who_masked=(WhoMasked.PARTICIPANT, WhoMasked.OUTCOMES_ASSESSOR),
    ),
    arms=(
        Arm(
            label="Drug arm",
            type=ArmGroupType.EXPERIMENTAL,
            description="Takes the drug.",
            interventions=("Drug X",),
        ),
        Arm(label="Watch", type=ArmGroupType.NO_INTERVENTION),
    ),
    interventions=(
        Intervention(name="Drug X", type=InterventionType.DRUG, description="5 mg daily"),
    ),
    other_intervention_names=("X-1",),
    eligibility=Eligibility(
        min_age=Age(value=1, unit=AgeUnit.YEARS),
        max_age=Age(value=65, unit=AgeUnit.YEARS),
        sex=Sex.FEMALE,
        healthy_volunteers=True,
    ),
    lead_sponsor=Sponsor(name="Acme", agency_class=AgencyClass.INDUSTRY),
    collaborators=(Sponsor(name="Uni", agency_class=AgencyClass.OTHER),),
    responsible_party="Jane Doe",
    investigators=(
        Investigator(
            name="Jane Doe, MD", role=OfficialRole.PRINCIPAL_INVESTIGATOR, affiliation="Uni"
        ),
    ),
    locations=(Location(facility="Uni Hospital", city="Oslo", country="Norway"),),
    countries=("Norway",),
    identifiers=(
        Identifier(id="ACME-1", source="org_study_id"),
        Identifier(id="2020-1", type=IdentifierType.EUDRACT_NUMBER, source="secondary_id"),
    ),
    related_trials=(RelatedTrial(nct_id="NCT07654321", title="Another Trial"),),
)


def heading(name: str) -> list[str]:
    return [name, HELPER[name]]


LABELLED_LINES = [
    "A Small Trial",
    "NCT ID: NCT01234567",
    "Last Updated: 2024-05-06",
    "Study Results",
    "Results available",
    RESULTS_AVAILABLE,
    "View full results",
    *heading("Basic Information"),
    "Recruitment Status", "RECRUITING",
    "Clinical Phase", "PHASE1/PHASE2",
    "Total Enrollment", "12 participants",
    "Study Classification", "INTERVENTIONAL",
    "Study Start Date", "2023-01",
    "Study Completion Date", "2025-12-31",
    *heading("Brief Summary"),
    "Dose \\> 5 mg \\[daily\\].",
    "Second paragraph.",
    *heading("Related Clinical Trials"),
    "Another Trial", "NCT07654321",
    *heading("Detailed Description"),
    *heading("Conditions"),
    "Migraine",
    *heading("Keywords"),
    "pain",
    *heading("Study Design"),
    "Allocation Method", "RANDOMIZED",
    "Intervention Model", "PARALLEL",
    "Primary Study Purpose", "TREATMENT",
    "Blinding Strategy", "DOUBLE",
    "Participants Outcome Assessors",
    *heading("Study Groups"),
    "Drug arm", "Takes the drug.", "Group Type EXPERIMENTAL",
    "Drug X", "Intervention Type DRUG", "5 mg daily",
    "Watch", "Group Type NO_INTERVENTION",
    *heading("Interventions"),
    "Drug X", "Intervention Type DRUG", "5 mg daily",
    *heading("Other Intervention Names"),
    "X-1",
    *heading("Eligibility Criteria"),
    "1 Year", "65 Years", "FEMALE", "Yes",
    *heading("Sponsors"),
    "Acme", "INDUSTRY", "Uni", "OTHER",
    *heading("Responsible Party"),
    "Jane Doe",
    *heading("Principal Investigators"),
    "Jane Doe, MD", "Role: PRINCIPAL_INVESTIGATOR", "Uni",
    *heading("Locations"),
    "Uni Hospital", "Oslo, Norway",
    *heading("Countries"),
    "Norway",
    *heading("Other Identifiers"),
    "ACME-1", "Identifier Type: -", "Identifier Source: org_study_id",
    "2020-1", "Identifier Type: EUDRACT_NUMBER", "Identifier Source: secondary_id",
    *heading("More Related Trials"),
]  # fmt: skip


def test_labelled_layout_line_by_line() -> None:
    assert render(SMALL, "labelled") == "\n\n".join(LABELLED_LINES)


def test_bare_layout_drops_labels_and_type_lines() -> None:
    labels = {
        "Results available", "Recruitment Status", "Clinical Phase", "Total Enrollment",
        "Study Classification", "Study Start Date", "Study Completion Date",
        "Allocation Method", "Intervention Model", "Primary Study Purpose",
        "Blinding Strategy", "Participants Outcome Assessors", "Group Type EXPERIMENTAL",
        "Group Type NO_INTERVENTION", "Intervention Type DRUG",
    }  # fmt: skip
    assert render(SMALL) == "\n".join(line for line in LABELLED_LINES if line not in labels)


def test_sections_of_the_bare_layout() -> None:
    assert section_lines(SMALL, "Study Results") == [RESULTS_AVAILABLE, "View full results"]
    assert section_lines(SMALL, "Study Groups") == [
        "Drug arm", "Takes the drug.", "Drug X", "5 mg daily", "Watch",
    ]  # fmt: skip
    pending = attrs.evolve(SMALL, has_results=False)
    assert section_lines(pending, "Study Results", "labelled") == [
        "Results pending",
        "The study team has not published outcome measurements, participant flow, or safety "
        "data for this trial yet. Check back later for updates.",
    ]
    state = Location(facility="Site", city="Changsha", state="Hunan", country="China")
    assert section_lines(attrs.evolve(SMALL, locations=(state,)), "Locations") == [
        "Site", "Changsha, Hunan, China",
    ]  # fmt: skip


def test_empty_sections_are_printed_except_keywords_and_unknown_results() -> None:
    text = render(Trial())
    headings = [name for name, _ in SECTIONS]
    present = [name for name in headings if name in text.split("\n")]
    assert present == [n for n in headings if n not in ("Study Results", "Keywords")]
    assert text.startswith("Basic Information\n")
    assert text.endswith(HELPER["More Related Trials"])


def test_multi_line_descriptions_print_one_line_each() -> None:
    trial = attrs.evolve(
        SMALL,
        arms=(Arm(label="A", description="First:\nsecond * line", interventions=("Drug X",)),),
        interventions=(Intervention(name="Drug X", description="a\nb"),),
    )
    assert section_lines(trial, "Study Groups") == [
        "A", "First:", "second \\* line", "Drug X", "a", "b",
    ]  # fmt: skip


# ------------------------------------------------------------------ 400 records, both layouts
#
# ``parse(render(from_ctgov(r), layout))`` must give back everything the page carries. What a
# page cannot carry is normalised away below, each with its reason.


def arms_determined(trial: Trial, layout: Layout) -> bool:
    """Can a reader tell where each arm starts?"""
    known = {item.name for item in trial.interventions}
    if not interventions_determined(trial, layout) or any(
        name not in known for arm in trial.arms for name in arm.interventions
    ):
        return False  # interventions are recognised by their names and descriptions
    if layout == "labelled":
        # An arm ends at its interventions or at its "Group Type" line; with neither, the
        # next arm's label reads as more of its description.
        return all(arm.interventions or arm.type is not None for arm in trial.arms[:-1])
    # Bare: an arm ends only at its interventions. A later arm whose label is also an
    # intervention's name reads as one more intervention of the arm before it; a description
    # line that is an intervention's name reads as that intervention.
    # And an arm whose description runs over several lines cannot be told from a shorter
    # description followed by an arm without interventions.
    return (
        all(arm.interventions for arm in trial.arms[:-1])
        and not any("\n" in (arm.description or "") for arm in trial.arms)
        and not any(arm.label in known for arm in trial.arms[1:])
        and not any(
            line in known for arm in trial.arms for line in (arm.description or "").split("\n")
        )
    )


def carried(trial: Trial, layout: Layout, source: Trial) -> Trial:
    """``trial`` as far as a page in ``layout`` made from ``source`` carries it."""
    arms = arms_determined(source, layout)
    interventions = interventions_determined(source, layout)
    # Sites are matched by position; a site the source does not have is compared as read.
    placeable = [_placeable(site) for site in source.locations]
    view = attrs.evolve(
        trial,
        locations=tuple(
            site if index >= len(placeable) or placeable[index] else _as_written(site)
            for index, site in enumerate(trial.locations)
        ),
        eligibility=_ages(trial.eligibility),
        arms=trial.arms if arms else (),
        interventions=trial.interventions if interventions else (),
    )
    if layout == "bare":
        # Who is masked, group types and intervention types are labelled-layout lines only.
        view = attrs.evolve(
            view,
            design=attrs.evolve(view.design, who_masked=()),
            arms=tuple(attrs.evolve(arm, type=None) for arm in view.arms),
            interventions=tuple(attrs.evolve(item, type=None) for item in view.interventions),
        )
    return view


def _placeable(site: Location) -> bool:
    # "City, State, Country" is split at ", ": a part that holds ", " itself ("Korea,
    # Republic of") cannot be placed, so such a site is compared as the line written.
    return not any(", " in part for part in (site.city, site.state, site.country) if part)


def _as_written(site: Location) -> Location:
    place = ", ".join(part for part in (site.city, site.state, site.country) if part)
    return Location(facility=site.facility, city=place)


def _ages(eligibility: Eligibility) -> Eligibility:
    # A lone age line cannot say whether it is the minimum or the maximum: it reads as the
    # minimum.
    if eligibility.min_age is None and eligibility.max_age is not None:
        return attrs.evolve(eligibility, min_age=eligibility.max_age, max_age=None)
    return eligibility


@pytest.fixture(params=["bare", "labelled"])
def layout(request: pytest.FixtureRequest) -> Layout:
    value: Layout = request.param
    return value


@pytest.mark.parametrize("path", corpus_files(), ids=lambda path: path.stem)
def test_page_parses_back_to_the_trial(path: Path, layout: Layout) -> None:
    study: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    trial = from_ctgov(study)
    parsed = ctparse.parse(render(trial, layout))  # strict: any line it cannot place fails
    assert carried(parsed, layout, trial) == carried(trial, layout, trial)
    # Where the page cannot say which line is which, the parse must still give the same
    # lines back.
    assert section_lines(parsed, "Study Groups", layout) == section_lines(
        trial, "Study Groups", layout
    )
    assert section_lines(parsed, "Interventions", layout) == section_lines(
        trial, "Interventions", layout
    )


@pytest.mark.parametrize("layout", ["fancy", "Labelled", ""])
def test_an_unknown_layout_is_refused(layout: str) -> None:
    trial = ctparse.parse(SEED_PAGE.read_text(encoding="utf-8"))
    with pytest.raises(ValueError, match=f"unknown layout '{layout}': expected one of 'bare'"):
        ctparse.render(trial, layout)  # type: ignore[arg-type]
