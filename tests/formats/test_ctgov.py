"""``from_ctgov`` / ``to_ctgov``: the registry record and the Trial model, both ways."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from ctparse.eligibility.criteria import criteria_lines, parse_criteria
from ctparse.errors import RecordError
from ctparse.formats.ctgov import from_ctgov, normalise_prose, to_ctgov
from ctparse.formats.registry import month_end
from ctparse.model import (
    Age,
    AgencyClass,
    AgeUnit,
    Arm,
    ArmGroupType,
    Identifier,
    IdentifierType,
    Intervention,
    InterventionType,
    Investigator,
    Location,
    Masking,
    ObservationalModel,
    OfficialRole,
    Sex,
    Sponsor,
    Status,
    StudyType,
    TimePerspective,
    WhoMasked,
)
from support.paths import CORPUS, corpus_files


def _same(value: Any) -> Any:
    return value


def _day(value: Any) -> Any:
    """Month-only registry dates are the month's last day, as the pages print them."""
    return month_end(value) if isinstance(value, str) and len(value) == 7 else value


def _prose(value: Any) -> Any:
    """Prose as the model keeps it (see ``normalise_prose``), at every list depth."""
    if isinstance(value, list):
        return [_prose(item) for item in value]
    return normalise_prose(value)


def _flat(value: Any) -> Any:
    """The model keeps other names as one flat list, not per intervention."""
    return [name for names in value for name in names]


def _criteria(value: Any) -> Any:
    """The model keeps the criteria as parsed structure, not as the registry's markdown."""
    return parse_criteria(criteria_lines(value or ""))


# Every registry field the model carries, and how the model normalises it. ``a[]`` walks a
# list; a missing list reads as ``[]``, a missing value as ``None``.
PATHS: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("hasResults", _same),
    ("protocolSection.identificationModule.nctId", _same),
    ("protocolSection.identificationModule.briefTitle", _same),
    ("protocolSection.identificationModule.orgStudyIdInfo.id", _same),
    ("protocolSection.identificationModule.secondaryIdInfos[].id", _same),
    ("protocolSection.identificationModule.secondaryIdInfos[].type", _same),
    ("protocolSection.identificationModule.secondaryIdInfos[].domain", _same),
    ("protocolSection.statusModule.overallStatus", _same),
    ("protocolSection.statusModule.startDateStruct.date", _day),
    ("protocolSection.statusModule.completionDateStruct.date", _day),
    ("protocolSection.statusModule.lastUpdatePostDateStruct.date", _day),
    ("protocolSection.sponsorCollaboratorsModule.responsibleParty.investigatorFullName", _same),
    ("protocolSection.sponsorCollaboratorsModule.leadSponsor.name", _same),
    ("protocolSection.sponsorCollaboratorsModule.leadSponsor.class", _same),
    ("protocolSection.sponsorCollaboratorsModule.collaborators[].name", _same),
    ("protocolSection.sponsorCollaboratorsModule.collaborators[].class", _same),
    ("protocolSection.descriptionModule.briefSummary", _prose),
    ("protocolSection.descriptionModule.detailedDescription", _prose),
    ("protocolSection.conditionsModule.conditions[]", _same),
    ("protocolSection.conditionsModule.keywords[]", _same),
    ("protocolSection.designModule.studyType", _same),
    ("protocolSection.designModule.phases[]", _same),
    ("protocolSection.designModule.designInfo.allocation", _same),
    ("protocolSection.designModule.designInfo.interventionModel", _same),
    ("protocolSection.designModule.designInfo.primaryPurpose", _same),
    ("protocolSection.designModule.designInfo.observationalModel", _same),
    ("protocolSection.designModule.designInfo.timePerspective", _same),
    ("protocolSection.designModule.designInfo.maskingInfo.masking", _same),
    ("protocolSection.designModule.designInfo.maskingInfo.whoMasked[]", _same),
    ("protocolSection.designModule.enrollmentInfo.count", _same),
    ("protocolSection.armsInterventionsModule.armGroups[].label", _same),
    ("protocolSection.armsInterventionsModule.armGroups[].type", _same),
    ("protocolSection.armsInterventionsModule.armGroups[].description", _prose),
    ("protocolSection.armsInterventionsModule.armGroups[].interventionNames[]", _same),
    ("protocolSection.armsInterventionsModule.interventions[].type", _same),
    ("protocolSection.armsInterventionsModule.interventions[].name", _same),
    ("protocolSection.armsInterventionsModule.interventions[].description", _prose),
    ("protocolSection.armsInterventionsModule.interventions[].otherNames[]", _flat),
    ("protocolSection.eligibilityModule.eligibilityCriteria", _criteria),
    ("protocolSection.eligibilityModule.healthyVolunteers", _same),
    ("protocolSection.eligibilityModule.sex", _same),
    ("protocolSection.eligibilityModule.minimumAge", _same),
    ("protocolSection.eligibilityModule.maximumAge", _same),
    ("protocolSection.contactsLocationsModule.overallOfficials[].name", _same),
    ("protocolSection.contactsLocationsModule.overallOfficials[].affiliation", _same),
    ("protocolSection.contactsLocationsModule.overallOfficials[].role", _same),
    ("protocolSection.contactsLocationsModule.locations[].facility", _same),
    ("protocolSection.contactsLocationsModule.locations[].city", _same),
    ("protocolSection.contactsLocationsModule.locations[].state", _same),
    ("protocolSection.contactsLocationsModule.locations[].country", _same),
)


def pick(data: Any, path: str) -> Any:
    """The value at ``path``; ``a[]`` maps the rest of the path over the list ``a``."""
    head, _, rest = path.partition(".")
    mapping = data if isinstance(data, Mapping) else {}
    if head.endswith("[]"):
        items = mapping.get(head[:-2]) or []
        return [pick(item, rest) for item in items] if rest else list(items)
    value = mapping.get(head)
    return pick(value, rest) if rest else value


def leaf_paths(data: Any, prefix: str = "") -> set[str]:
    """Every path to a leaf value, lists written as ``[]``."""
    if isinstance(data, Mapping):
        return {p for key, value in data.items() for p in leaf_paths(value, f"{prefix}.{key}")}
    if isinstance(data, list):
        if data and not isinstance(data[0], Mapping | list):
            return {prefix + "[]"}
        return {p for item in data for p in leaf_paths(item, prefix + "[]")}
    return {prefix}


@cache
def record(stem: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CORPUS / f"{stem}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(params=corpus_files(), ids=lambda path: path.stem)
def study(request: pytest.FixtureRequest) -> dict[str, Any]:
    path: Path = request.param
    return record(path.stem)


# ------------------------------------------------------------------ all 400 records


def test_round_trip_keeps_every_carried_field(study: dict[str, Any]) -> None:
    back = to_ctgov(from_ctgov(study))
    wrong = [
        path
        for path, normalise in PATHS
        if normalise(pick(back, path)) != normalise(pick(study, path))
    ]
    assert wrong == []


def test_to_ctgov_writes_only_carried_fields(study: dict[str, Any]) -> None:
    written = leaf_paths(to_ctgov(from_ctgov(study)))
    assert written <= {"." + path for path, _ in PATHS}


def test_to_ctgov_leaves_absent_values_out(study: dict[str, Any]) -> None:
    def empties(data: Any) -> list[Any]:
        if isinstance(data, Mapping):
            return [v for v in data.values() if v in (None, [], {})] + [
                e for v in data.values() for e in empties(v)
            ]
        if isinstance(data, list):
            return [e for item in data for e in empties(item)]
        return []

    assert empties(to_ctgov(from_ctgov(study))) == []


def test_from_ctgov_inverts_to_ctgov(study: dict[str, Any]) -> None:
    trial = from_ctgov(study)
    assert from_ctgov(to_ctgov(trial)) == trial


def test_countries_are_the_distinct_location_countries(study: dict[str, Any]) -> None:
    locations = study["protocolSection"].get("contactsLocationsModule", {}).get("locations", [])
    countries = from_ctgov(study).countries
    assert len(set(countries)) == len(countries)
    assert set(countries) == {site["country"] for site in locations if "country" in site}


# ------------------------------------------------------------------ specific records


def test_values_of_an_interventional_record_with_domains_and_other_names() -> None:
    trial = from_ctgov(record("NCT00184587"))
    assert trial.nct_id == "NCT00184587"
    assert trial.title == "Prophylactic Treatment of Episodic Cluster Headache"
    assert trial.last_updated == datetime.date(2013, 4, 23)
    assert trial.has_results is False
    assert trial.status is Status.COMPLETED
    assert trial.start_date == "2005-03-31"
    assert trial.completion_date == "2009-12-31"
    assert trial.enrollment == 40
    assert trial.design.masking is Masking.TRIPLE
    assert trial.design.who_masked == (
        WhoMasked.PARTICIPANT,
        WhoMasked.CARE_PROVIDER,
        WhoMasked.INVESTIGATOR,
    )
    assert trial.arms[1] == Arm(
        label="placebo",
        type=ArmGroupType.PLACEBO_COMPARATOR,
        description="placebo one tablet/day in week 1 and 2 tablets/day in week 3, provided "
        "for the study by AstraZeneca. Same size, weight, taste and appearance as "
        "experimental drug",
        interventions=("placebo",),
    )
    assert trial.interventions == (
        Intervention(name="candesartan cilexetil", type=InterventionType.DRUG),
        Intervention(name="placebo", type=InterventionType.DRUG),
    )
    assert trial.other_intervention_names == ("angiotensin II receptor blocker",)
    assert trial.eligibility.healthy_volunteers is True
    assert trial.eligibility.max_age == Age(value=75, unit=AgeUnit.YEARS)
    assert trial.lead_sponsor == Sponsor(
        name="Norwegian University of Science and Technology", agency_class=AgencyClass.OTHER
    )
    assert trial.collaborators == (Sponsor(name="AstraZeneca", agency_class=AgencyClass.INDUSTRY),)
    assert trial.responsible_party is None  # the sponsor is responsible: no person named
    assert trial.identifiers == (
        Identifier(id="D2452L0004", source="org_study_id"),
        Identifier(id="2004-002737-39", type=IdentifierType.EUDRACT_NUMBER, source="secondary_id"),
        Identifier(
            id="045-04", type=IdentifierType.OTHER, source="Norwegian National Headache Centre"
        ),
        Identifier(id="10815", type=IdentifierType.OTHER, source="NSD"),
    )
    assert trial.countries == ("Norway",)

    back = to_ctgov(trial)["protocolSection"]
    assert back["identificationModule"]["secondaryIdInfos"] == [
        {"id": "2004-002737-39", "type": "EUDRACT_NUMBER"},
        {"id": "045-04", "type": "OTHER", "domain": "Norwegian National Headache Centre"},
        {"id": "10815", "type": "OTHER", "domain": "NSD"},
    ]
    assert back["armsInterventionsModule"]["interventions"][0] == {
        "type": "DRUG",
        "name": "candesartan cilexetil",
        "otherNames": ["angiotensin II receptor blocker"],
    }
    assert "responsibleParty" not in back["sponsorCollaboratorsModule"]


def test_values_of_a_record_with_results_and_multi_paragraph_arms() -> None:
    study = record("NCT00712335")
    trial = from_ctgov(study)
    assert trial.has_results is True
    assert trial.responsible_party == "Chang-Keun Kim, Dr."
    assert trial.brief_summary == (
        "The purpose of this study is:\n"
        "1. To compare neutrophilia, eosinophilic inflammatory markers and asthma symptom "
        "indices between smokers and non-smokers.\n"
        "2. To elucidate the mechanism by which cigarette smokers are resistant to "
        "corticosteroids."
    )
    assert trial.arms[1] == Arm(
        label="2",
        type=ArmGroupType.EXPERIMENTAL,
        description="Asthmatic smoker treated with Montelukast only:\n"
        "Montelukast dosage: PO 10 mg QHS for 3 months",
        interventions=("Montelukast",),
    )
    assert trial.arms[4] == Arm(
        label="5", type=ArmGroupType.NO_INTERVENTION, description="Normal controls"
    )
    assert trial.other_intervention_names == (
        "inhaled corticosteroid",
        "leukotriene receptor antagonist",
        "long-acting beta-agonist",
    )
    assert trial.investigators == (
        Investigator(
            name="Chang-Keun Kim, MD, PhD",
            role=OfficialRole.PRINCIPAL_INVESTIGATOR,
            affiliation="Asthma and Allergy Center, Inje University Sanggye Paik Hospital",
        ),
    )
    assert trial.locations == (
        Location(
            facility="Asthma and Allergy Center, Inje University Sanggye Paik Hospital",
            city="Seoul",
            country="South Korea",
        ),
    )
    # The registry's "PC20 \< 4mg/ml" reads without its escape.
    texts = [c.text for c in trial.eligibility.inclusion] + [
        child.text for c in trial.eligibility.inclusion for child in c.children
    ]
    assert any("PC20 < 4mg/ml" in text for text in texts)

    back = to_ctgov(trial)
    assert back["hasResults"] is True
    arms = back["protocolSection"]["armsInterventionsModule"]["armGroups"]
    assert arms[0]["interventionNames"] == ["Drug: Fluticasone Propionate", "Drug: Salmeterol"]
    assert "interventionNames" not in arms[4]
    others = [
        i.get("otherNames")
        for i in back["protocolSection"]["armsInterventionsModule"]["interventions"]
    ]
    # The Trial does not say whose other names they are: all go to the first intervention.
    assert others == [list(trial.other_intervention_names), None, None]
    assert back["protocolSection"]["sponsorCollaboratorsModule"]["responsibleParty"] == {
        "investigatorFullName": "Chang-Keun Kim, Dr."
    }


def test_values_of_an_observational_record_with_a_one_year_age() -> None:
    trial = from_ctgov(record("NCT01100827"))
    assert trial.study_type is StudyType.OBSERVATIONAL
    assert trial.status is Status.UNKNOWN
    assert trial.phases == ()
    assert trial.enrollment is None
    assert trial.detailed_description is None
    assert trial.design.observational_model is ObservationalModel.COHORT
    assert trial.design.time_perspective is TimePerspective.RETROSPECTIVE
    assert trial.design.allocation is None
    assert trial.eligibility.min_age == Age(value=1, unit=AgeUnit.YEARS)
    assert trial.eligibility.max_age is None
    assert trial.eligibility.sex is Sex.ALL
    assert trial.eligibility.healthy_volunteers is None
    assert trial.arms == (
        Arm(
            label="EGFR mutation status in patients",
            interventions=("EGFR mutation status in patients",),
        ),
    )
    assert trial.locations == (
        Location(
            facility="National University Hospital Singapore",
            city="Singapore",
            state="Singapore",
            country="Singapore",
        ),
    )
    assert trial.identifiers == (Identifier(id="NS01/03/10", source="org_study_id"),)

    back = to_ctgov(trial)["protocolSection"]
    assert back["eligibilityModule"]["minimumAge"] == "1 Year"
    assert "maximumAge" not in back["eligibilityModule"]
    assert back["designModule"] == {
        "studyType": "OBSERVATIONAL",
        "designInfo": {"observationalModel": "COHORT", "timePerspective": "RETROSPECTIVE"},
    }
    assert back["statusModule"] == {
        "overallStatus": "UNKNOWN",
        "startDateStruct": {"date": "2013-02-28"},
        "completionDateStruct": {"date": "2015-02-28"},
        "lastUpdatePostDateStruct": {"date": "2013-12-11"},
    }
    assert back["armsInterventionsModule"]["armGroups"] == [
        {
            "label": "EGFR mutation status in patients",
            "interventionNames": ["Other: EGFR mutation status in patients"],
        }
    ]


def test_prose_normalisation() -> None:
    assert normalise_prose("  First \\> line\n\n\n  * second\\_one  \n") == (
        "First > line\n* second_one"
    )
    assert normalise_prose(" \n\n ") is None
    assert normalise_prose(None) is None


# ------------------------------------------------------------------ odd records


def _edit(path: str, value: Any) -> dict[str, Any]:
    """The NCT00184587 record with the value at the dotted ``path`` (``a.0.b``) replaced."""
    study = json.loads(json.dumps(record("NCT00184587")))
    *parents, last = path.split(".")
    target: Any = study
    for key in parents:
        target = target[int(key)] if key.isdigit() else target[key]
    if value is _DROP:
        del target[last]
    elif last.isdigit():
        target[int(last)] = value
    else:
        target[last] = value
    return study


_DROP = object()
P = "protocolSection"
ODD = [
    (f"{P}.statusModule.overallStatus", "DONE",
     f'{P}.statusModule.overallStatus: expected one of "ACTIVE_NOT_RECRUITING", '),
    (f"{P}.designModule.phases", "PHASE2", f'{P}.designModule.phases: expected a list, found '),
    (f"{P}.designModule.enrollmentInfo.count", "40",
     f'{P}.designModule.enrollmentInfo.count: expected a whole number, found "40"'),
    (f"{P}.conditionsModule.conditions", "Cluster Headache",
     f"{P}.conditionsModule.conditions: expected a list, found "),
    (f"{P}.sponsorCollaboratorsModule.leadSponsor.name", _DROP,
     f"{P}.sponsorCollaboratorsModule.leadSponsor.name: missing"),
    (f"{P}.armsInterventionsModule.armGroups.0", None,
     f"{P}.armsInterventionsModule.armGroups[0]: expected an object, found null"),
    (f"{P}.armsInterventionsModule.interventions.0.name", 7,
     f"{P}.armsInterventionsModule.interventions[0].name: expected a string, found 7"),
    (f"{P}.eligibilityModule.minimumAge", "18",
     f"{P}.eligibilityModule.minimumAge: expected an age such as '18 Years', found '18'"),
    (f"{P}.statusModule.startDateStruct.date", "2005-13",
     f'{P}.statusModule.startDateStruct.date: expected a date YYYY-MM-DD or YYYY-MM, found'),
    (f"{P}.statusModule.lastUpdatePostDateStruct", "2013-04-23",
     f'{P}.statusModule.lastUpdatePostDateStruct: expected an object, found "2013-04-23"'),
    ("hasResults", "false", 'hasResults: expected true or false, found "false"'),
    (P, _DROP,
     "protocolSection: missing: expected an API v2 study record (its keys: derivedSection"),
]


@pytest.mark.parametrize(("path", "value", "message"), ODD)
def test_an_odd_value_is_named_by_its_path(path: str, value: Any, message: str) -> None:
    with pytest.raises(RecordError) as caught:
        from_ctgov(_edit(path, value))
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    "data",
    [
        {"nct_id": "NCT00184587", "title": "A ctparse record, not a registry one"},
        {"studies": [{"protocolSection": {}}], "nextPageToken": "x"},
        {"protocolSection": "NCT00184587"},
    ],
)
def test_a_dict_of_another_shape_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(RecordError, match=r"^protocolSection: missing: expected an API v2 study"):
        from_ctgov(data)


def test_something_that_is_not_a_dict_is_refused() -> None:
    with pytest.raises(RecordError, match=r"^the record: expected an object, found \"x\""):
        from_ctgov("x")  # type: ignore[arg-type]


def test_null_modules_and_lists_read_as_absent() -> None:
    study = _edit(f"{P}.armsInterventionsModule", None)
    study[P]["conditionsModule"]["keywords"] = None
    study[P]["statusModule"]["startDateStruct"] = None
    trial = from_ctgov(study)
    assert (trial.arms, trial.interventions, trial.other_intervention_names) == ((), (), ())
    assert trial.keywords == () and trial.start_date is None
    assert trial.nct_id == "NCT00184587"


def test_na_ages_are_no_limit() -> None:
    study = _edit(f"{P}.eligibilityModule.minimumAge", "N/A")
    study[P]["eligibilityModule"]["maximumAge"] = "N/A"
    eligibility = from_ctgov(study).eligibility
    assert (eligibility.min_age, eligibility.max_age) == (None, None)


@pytest.mark.parametrize(
    ("given", "page"),
    [("2021-03", "2021-03-31"), ("2024-02", "2024-02-29"), ("2023-02", "2023-02-28"),
     ("2021-04", "2021-04-30"), ("2021-03-05", "2021-03-05")],
)
def test_month_only_dates_are_the_months_last_day_as_on_pages(given: str, page: str) -> None:
    study = _edit(f"{P}.statusModule.startDateStruct.date", given)
    study[P]["statusModule"]["lastUpdatePostDateStruct"]["date"] = given
    trial = from_ctgov(study)
    assert trial.start_date == page
    assert trial.last_updated == datetime.date.fromisoformat(page)
