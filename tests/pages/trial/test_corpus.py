"""The parser meets the real variety: a page made from each of the 400 registry records.

For each record and both layouts, the page is written from the record (``render`` of
``from_ctgov``), with the record's own criteria lines put in verbatim as a real page prints
them. The parse must agree with the record itself on every field the page carries; the
expectations below are read straight from the record, not from ``from_ctgov``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import ctparse
from ctparse.eligibility.criteria import criteria_lines
from ctparse.formats.registry import month_end
from ctparse.pages.markdown import unescape
from support.pages import page_with_raw_criteria
from support.paths import corpus_files

HEADER = re.compile(r"(?i)criteria|eligib|inclusion|exclusion")


def prose(text: str | None) -> str | None:
    lines = [unescape(line.strip()) for line in (text or "").split("\n") if line.strip()]
    return "\n".join(lines) or None


def page_date(date: str | None) -> str | None:
    return month_end(date) if date is not None and len(date) == 7 else date


def flat(criteria: tuple[ctparse.Criterion, ...]) -> list[str]:
    out: list[str] = []
    for criterion in criteria:
        out.append(criterion.text)
        out.extend(flat(criterion.children))
    return out


def records() -> list[Path]:
    return corpus_files()


@pytest.fixture(scope="module", params=["bare", "labelled"])
def layout(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("path", records(), ids=lambda p: p.stem)
def test_page_from_record_parses_back_to_the_record(path: Path, layout: str) -> None:
    study = json.loads(path.read_text(encoding="utf-8"))
    p = study["protocolSection"]
    text = page_with_raw_criteria(study, layout)
    trial = ctparse.parse(text)
    ident, status, design = p["identificationModule"], p["statusModule"], p["designModule"]
    assert trial.nct_id == ident["nctId"]
    assert trial.title == ident["briefTitle"]
    assert str(trial.last_updated) == status["lastUpdatePostDateStruct"]["date"]
    assert trial.has_results is study.get("hasResults", False)
    assert trial.status == status["overallStatus"]
    assert list(trial.phases) == design.get("phases", [])
    assert trial.enrollment == design.get("enrollmentInfo", {}).get("count")
    assert trial.study_type == design["studyType"]
    # A month-only registry date is printed as the month's last day, as the site does.
    assert trial.start_date == page_date(status.get("startDateStruct", {}).get("date"))
    assert trial.completion_date == page_date(status.get("completionDateStruct", {}).get("date"))
    description = p.get("descriptionModule", {})
    assert trial.brief_summary == prose(description.get("briefSummary"))
    assert trial.detailed_description == prose(description.get("detailedDescription"))
    conditions = p.get("conditionsModule", {})
    assert list(trial.conditions) == conditions.get("conditions", [])
    assert list(trial.keywords) == conditions.get("keywords", [])

    info = design.get("designInfo", {})
    masking = info.get("maskingInfo", {})
    assert trial.design.allocation == info.get("allocation")
    assert trial.design.intervention_model == info.get("interventionModel")
    assert trial.design.primary_purpose == info.get("primaryPurpose")
    assert trial.design.masking == masking.get("masking")
    assert trial.design.observational_model == info.get("observationalModel")
    assert trial.design.time_perspective == info.get("timePerspective")
    if layout == "labelled":
        assert list(trial.design.who_masked) == masking.get("whoMasked", [])

    arms_module = p.get("armsInterventionsModule", {})
    interventions = arms_module.get("interventions", [])
    if layout == "labelled" and all("type" in g for g in arms_module.get("armGroups", [])):
        # Group Type and Intervention Type lines say which line is what: exact.
        assert_groups_agree(trial, arms_module)
    assert list(trial.other_intervention_names) == [
        name for i in interventions for name in i.get("otherNames", [])
    ]

    eligibility = p["eligibilityModule"]
    for key, field in (("minimumAge", "min_age"), ("maximumAge", "max_age")):
        age = getattr(trial.eligibility, field)
        expected = eligibility.get(key)
        if key == "maximumAge" and "minimumAge" not in eligibility and expected:
            # A lone age is read as the minimum: the bare page cannot say which it is.
            age = trial.eligibility.min_age
        assert (None if age is None else f"{age.value} {age.unit.value}") == (
            expected and _age(expected)
        )
    assert trial.eligibility.sex == eligibility.get("sex")
    assert trial.eligibility.healthy_volunteers == eligibility.get("healthyVolunteers")
    texts = flat(
        trial.eligibility.other + trial.eligibility.inclusion + trial.eligibility.exclusion
    )
    raw = [
        unescape(line.strip())
        for line in criteria_lines(eligibility.get("eligibilityCriteria", ""))
    ]
    # Each criterion is one line of the record with its list marker taken off, or a
    # qualified header that starts one (its group node; a criterion may be glued after it) ...
    unmatched = list(raw)
    for text in texts:
        index = next((k for k, line in enumerate(unmatched) if line.endswith(text)), None)
        if index is None and HEADER.search(text):
            index = next(k for k, line in enumerate(unmatched) if line.startswith(text))
            unmatched[index] = unmatched[index][len(text) :].strip()
            continue
        assert index is not None, f"criterion not on the page: {text!r}"
        del unmatched[index]
    # ... and the lines left over are the headers it consumed.
    assert all(HEADER.search(line) for line in unmatched), unmatched

    sponsors = p["sponsorCollaboratorsModule"]
    lead = sponsors["leadSponsor"]
    assert trial.lead_sponsor is not None
    assert (trial.lead_sponsor.name, trial.lead_sponsor.agency_class) == (
        lead["name"],
        lead["class"],
    )
    assert [(c.name, c.agency_class) for c in trial.collaborators] == [
        (c["name"], c["class"]) for c in sponsors.get("collaborators", [])
    ]
    contacts = p.get("contactsLocationsModule", {})
    assert [(o.name, o.role, o.affiliation) for o in trial.investigators] == [
        (o["name"], o.get("role"), o.get("affiliation"))
        for o in contacts.get("overallOfficials", [])
    ]
    locations = contacts.get("locations", [])
    assert [s.facility for s in trial.locations] == [s.get("facility") for s in locations]
    for site, expected_site in zip(trial.locations, locations, strict=True):
        if ", " in expected_site.get("city", "") or ", " in expected_site.get("state", ""):
            continue  # the page cannot tell a city holding ", " from a state
        assert (site.city, site.state, site.country) == (
            expected_site.get("city"),
            expected_site.get("state"),
            expected_site.get("country"),
        )
    ids = ident.get("secondaryIdInfos", [])
    assert [(i.id, i.type) for i in trial.identifiers] == [
        (ident["orgStudyIdInfo"]["id"], None),
        *((s["id"], s.get("type")) for s in ids),
    ]
    assert trial.diagnostics == ()


def assert_groups_agree(trial: ctparse.Trial, arms_module: dict[str, Any]) -> None:
    interventions = arms_module.get("interventions", [])
    assert [i.name for i in trial.interventions] == [i["name"] for i in interventions]
    assert [i.description for i in trial.interventions] == [
        prose(i.get("description")) for i in interventions
    ]
    assert [i.type for i in trial.interventions] == [
        i.get("type") if trial.interventions[0].type else None for i in interventions
    ]
    groups = arms_module.get("armGroups", [])
    assert [a.label for a in trial.arms] == [g["label"] for g in groups]
    assert [a.description for a in trial.arms] == [prose(g.get("description")) for g in groups]
    assert [list(a.interventions) for a in trial.arms] == [
        [name.split(": ", 1)[-1] for name in g.get("interventionNames", [])] for g in groups
    ]
    assert [a.type for a in trial.arms] == [
        g.get("type") if trial.arms[0].type else None for g in groups
    ]


@pytest.mark.parametrize("layout", ["bare", "labelled"])
def test_groups_read_without_type_lines_mostly_agree(layout: str) -> None:
    """Where no type lines mark them, arms and interventions are plain lines that can be
    split in more than one way (an arm without a description next to one without
    interventions, descriptions equal to names). The reader picks the most plausible
    split; measure how often that is the record's own."""
    agree, ambiguous = 0, []
    for path in records():
        study = json.loads(path.read_text(encoding="utf-8"))
        arms_module = study["protocolSection"].get("armsInterventionsModule", {})
        if layout == "labelled" and all("type" in g for g in arms_module.get("armGroups", [])):
            continue  # read exactly, checked record by record
        trial = ctparse.parse(page_with_raw_criteria(study, layout))
        try:
            assert_groups_agree(trial, arms_module)
        except AssertionError:
            ambiguous.append(path.stem)
        else:
            agree += 1
    rate = agree / (agree + len(ambiguous))
    assert rate >= (0.92 if layout == "bare" else 0.85), (rate, ambiguous)


def _age(text: str) -> str:
    number, unit = text.split(" ", 1)
    return f"{number} {unit.upper().removesuffix('S')}S"
