"""The output contract: every key always present, with the right type and enum values."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

import ctparse
from ctparse.pages.trial.vocabulary import SECTIONS
from support.golden import pages
from support.paths import SEED_EXPECTED, SEED_PAGE

TRIAL_KEYS = [
    "nct_id", "title", "last_updated", "has_results", "status", "phases", "enrollment",
    "study_type", "start_date", "completion_date", "brief_summary", "detailed_description",
    "conditions", "keywords", "design", "arms", "interventions", "other_intervention_names",
    "eligibility", "lead_sponsor", "collaborators", "responsible_party", "investigators",
    "locations", "countries", "identifiers", "related_trials", "more_related_trials",
    "diagnostics",
]  # fmt: skip

OPT_STR = (str, type(None))
HEADINGS = {heading for heading, _ in SECTIONS}


def enum_or_none(kind: type[Any]) -> Any:
    return lambda value: value is None or value in {member.value for member in kind}


def check_record(record: dict[str, Any]) -> None:
    assert list(record) == TRIAL_KEYS
    for key in ("nct_id", "title", "brief_summary", "detailed_description", "responsible_party"):
        assert isinstance(record[key], OPT_STR), key
    if record["nct_id"] is not None:
        assert re.fullmatch(r"NCT\d{8}", record["nct_id"])
    if record["last_updated"] is not None:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", record["last_updated"])
    for key in ("start_date", "completion_date"):
        assert record[key] is None or re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", record[key])
    assert record["has_results"] in (True, False, None)
    assert enum_or_none(ctparse.Status)(record["status"])
    assert enum_or_none(ctparse.StudyType)(record["study_type"])
    assert all(enum_or_none(ctparse.Phase)(p) for p in record["phases"])
    assert record["enrollment"] is None or type(record["enrollment"]) is int
    for key in ("conditions", "keywords", "other_intervention_names", "countries"):
        assert all(isinstance(item, str) for item in record[key]), key
    design = record["design"]
    assert list(design) == [
        "allocation", "intervention_model", "primary_purpose", "masking", "who_masked",
        "observational_model", "time_perspective",
    ]  # fmt: skip
    assert enum_or_none(ctparse.Allocation)(design["allocation"])
    assert enum_or_none(ctparse.InterventionModel)(design["intervention_model"])
    assert enum_or_none(ctparse.PrimaryPurpose)(design["primary_purpose"])
    assert enum_or_none(ctparse.Masking)(design["masking"])
    assert all(enum_or_none(ctparse.WhoMasked)(w) for w in design["who_masked"])
    assert enum_or_none(ctparse.ObservationalModel)(design["observational_model"])
    assert enum_or_none(ctparse.TimePerspective)(design["time_perspective"])
    for arm in record["arms"]:
        assert list(arm) == ["label", "type", "description", "interventions"]
        assert isinstance(arm["label"], str) and isinstance(arm["description"], OPT_STR)
        assert enum_or_none(ctparse.ArmGroupType)(arm["type"])
        assert all(isinstance(name, str) for name in arm["interventions"])
    for item in record["interventions"]:
        assert list(item) == ["name", "type", "description"]
        assert enum_or_none(ctparse.InterventionType)(item["type"])
    eligibility = record["eligibility"]
    assert list(eligibility) == [
        "inclusion", "exclusion", "other", "min_age", "max_age", "sex", "healthy_volunteers",
    ]  # fmt: skip
    for key in ("inclusion", "exclusion", "other"):
        for criterion in eligibility[key]:
            check_criterion(criterion)
    for key in ("min_age", "max_age"):
        age = eligibility[key]
        if age is not None:
            assert list(age) == ["value", "unit"] and type(age["value"]) is int
            assert enum_or_none(ctparse.AgeUnit)(age["unit"])
    assert enum_or_none(ctparse.Sex)(eligibility["sex"])
    assert eligibility["healthy_volunteers"] in (True, False, None)
    for sponsor in [record["lead_sponsor"], *record["collaborators"]]:
        if sponsor is not None:
            assert list(sponsor) == ["name", "agency_class"]
            assert enum_or_none(ctparse.AgencyClass)(sponsor["agency_class"])
    for person in record["investigators"]:
        assert list(person) == ["name", "role", "affiliation"]
        assert enum_or_none(ctparse.OfficialRole)(person["role"])
    for site in record["locations"]:
        assert list(site) == ["facility", "city", "state", "country"]
        assert all(isinstance(value, OPT_STR) for value in site.values())
    for ident in record["identifiers"]:
        assert list(ident) == ["id", "type", "source"]
        assert enum_or_none(ctparse.IdentifierType)(ident["type"])
    for key in ("related_trials", "more_related_trials"):
        for related in record[key]:
            assert list(related) == ["nct_id", "title"]
            assert re.fullmatch(r"NCT\d{8}", related["nct_id"])
    for diagnostic in record["diagnostics"]:
        assert list(diagnostic) == ["line", "column", "code", "section", "message"]
        assert type(diagnostic["line"]) is int and diagnostic["line"] >= 1
        assert type(diagnostic["column"]) is int and diagnostic["column"] >= 1
        assert diagnostic["code"] in {code.value for code in ctparse.DiagnosticCode}
        assert diagnostic["section"] is None or diagnostic["section"] in HEADINGS
        assert isinstance(diagnostic["message"], str) and diagnostic["message"]


def check_criterion(criterion: dict[str, Any]) -> None:
    assert list(criterion) == ["text", "children", "constraints"]
    assert isinstance(criterion["text"], str)
    for constraint in criterion["constraints"]:
        assert constraint["kind"] in {"performance_status", "measurement", "life_expectancy"}
        assert next(iter(constraint)) == "kind"
    for child in criterion["children"]:
        check_criterion(child)


@pytest.mark.parametrize("page", pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_golden_json_meets_the_contract(page: Path) -> None:
    check_record(json.loads(page.with_suffix(".json").read_text(encoding="utf-8")))


def test_seed_page_golden_is_the_shared_expected_output() -> None:
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    assert ctparse.to_dict(ctparse.parse_file(SEED_PAGE)) == expected


def test_to_json_and_from_dict_round_trip() -> None:
    trial = ctparse.parse_file(SEED_PAGE)
    assert ctparse.from_dict(json.loads(ctparse.to_json(trial))) == trial
    assert ctparse.from_dict(ctparse.to_dict(trial)) == trial


def test_empty_trial_has_every_key() -> None:
    record = ctparse.to_dict(ctparse.Trial())
    check_record(record)
    assert record["phases"] == [] and record["lead_sponsor"] is None
