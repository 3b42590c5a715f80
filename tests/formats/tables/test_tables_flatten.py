"""``flatten``: one page to rows per table, values as the page gives them, ids local to the page."""

from __future__ import annotations

import datetime
import pickle

import pytest

from ctparse import (
    Age,
    AgeUnit,
    Arm,
    Criterion,
    Design,
    Eligibility,
    Intervention,
    Masking,
    Phase,
    Trial,
    WhoMasked,
    parse,
)
from ctparse.tables import TABLE_BY_NAME, age_years, flatten, page_kind
from support.paths import FIXTURES


def as_dicts(rows: dict[str, list[tuple[object, ...]]], table: str) -> list[dict[str, object]]:
    names = TABLE_BY_NAME[table].column_names
    return [dict(zip(names, row, strict=True)) for row in rows.get(table, [])]


def test_seed_page_studies_row(seed_trial: Trial) -> None:
    rows = flatten(seed_trial)
    assert as_dicts(rows, "studies") == [
        {
            "nct_id": "NCT05001971",
            "brief_title": seed_trial.title,
            "overall_status": "COMPLETED",
            "phase": "PHASE2",
            "enrollment": 65,
            "study_type": "INTERVENTIONAL",
            "start_date": "2021-01-30",
            "completion_date": "2025-04-15",
            "last_update_posted_date": datetime.date(2026, 1, 15),
            "has_results": False,
        }
    ]
    assert seed_trial.title is not None and seed_trial.title.startswith("Anlotinib Plus")
    # The page's Brief Summary section is empty: no row, not a row with a null description.
    assert "brief_summaries" not in rows
    (description,) = as_dicts(rows, "detailed_descriptions")
    assert str(description["description"]).startswith("Eligible patients will receive")


def test_seed_page_people_places_and_links(seed_trial: Trial) -> None:
    rows = flatten(seed_trial)
    assert [
        (r["lead_or_collaborator"], r["agency_class"], r["name"])
        for r in as_dicts(rows, "sponsors")
    ] == [
        ("lead", "OTHER", "Fuzhou Pulmonary Hospital of Fujian"),
        ("collaborator", "INDUSTRY", "Chia Tai Tianqing Pharmaceutical Group Co., Ltd."),
        ("collaborator", "OTHER", "Hunan Cancer Hospital"),
    ]
    assert as_dicts(rows, "facilities") == [
        {
            "id": 1,
            "nct_id": "NCT05001971",
            "name": "Nong Yang",
            "city": "Changsha",
            "state": "Hunan",
            "country": "China",
        }
    ]
    assert as_dicts(rows, "overall_officials") == [
        {
            "id": 1,
            "nct_id": "NCT05001971",
            "role": "PRINCIPAL_INVESTIGATOR",
            "name": "Nong Yang, PhD",
            "affiliation": "Hunan Cancer Hospital",
        }
    ]
    assert as_dicts(rows, "id_information") == [
        {
            "id": 1,
            "nct_id": "NCT05001971",
            "id_source": "org_study_id",
            "id_value": "ALTER-L041",
            "id_type": None,
        }
    ]
    related = as_dicts(rows, "related_trials")
    assert [(r["related_nct_id"], r["list"]) for r in related] == [
        ("NCT03735264", "related"),
        ("NCT04012619", "related"),
        ("NCT05387109", "related"),
        ("NCT03781869", "related"),
        ("NCT03732846", "related"),
    ]
    assert [r["id"] for r in related] == [1, 2, 3, 4, 5]


def test_seed_page_design_eligibility_and_criteria(seed_trial: Trial) -> None:
    rows = flatten(seed_trial)
    (design,) = as_dicts(rows, "designs")
    assert design["allocation"] == "NA"
    assert design["intervention_model"] == "SINGLE_GROUP"
    assert design["masking"] == "NONE"
    # Masking NONE: nobody is masked, which is known, so False rather than null.
    assert [design[f"{who}_masked"] for who in ("subject", "caregiver", "investigator")] == [
        False,
        False,
        False,
    ]
    assert as_dicts(rows, "eligibilities") == [
        {
            "nct_id": "NCT05001971",
            "gender": "ALL",
            "minimum_age": "18 Years",
            "maximum_age": "75 Years",
            "healthy_volunteers": False,
            "minimum_age_num": 18,
            "minimum_age_unit": "YEARS",
            "maximum_age_num": 75,
            "maximum_age_unit": "YEARS",
            "minimum_age_years": 18.0,
            "maximum_age_years": 75.0,
        }
    ]
    criteria = as_dicts(rows, "criteria")
    sides = [row["side"] for row in criteria]
    assert sides.count("inclusion") == len(seed_trial.eligibility.inclusion) == 6
    assert sides.count("exclusion") == len(seed_trial.eligibility.exclusion) == 24
    assert criteria[0]["text"] == (
        "Small cell lung cancer pathologically confirmed, with measurable nidus (RECIST 1.1)"
    )
    assert [row["position"] for row in criteria[:7]] == [1, 2, 3, 4, 5, 6, 1]
    assert {row["depth"] for row in criteria} == {1}
    assert {row["parent_id"] for row in criteria} == {None}


def test_groups_link_to_interventions_by_name() -> None:
    trial = parse((FIXTURES / "valid" / "labelled_two_arms.txt").read_text(encoding="utf-8"))
    rows = flatten(trial)
    groups = {row["id"]: row["title"] for row in as_dicts(rows, "design_groups")}
    interventions = {row["id"]: row["name"] for row in as_dicts(rows, "interventions")}
    links = [
        (groups[row["design_group_id"]], interventions[row["intervention_id"]])
        for row in as_dicts(rows, "design_group_interventions")
    ]
    assert links == [
        ("Intravenous iron", "Ferric carboxymaltose"),
        ("Intravenous iron", "Placebo tablet"),
        ("Oral iron", "Ferrous sulfate"),
        ("Oral iron", "Placebo tablet"),
    ]
    (design,) = as_dicts(rows, "designs")
    assert design["masking"] == "TRIPLE"
    assert (
        design["subject_masked"],
        design["caregiver_masked"],
        design["investigator_masked"],
        design["outcomes_assessor_masked"],
    ) == (True, False, True, True)


def test_a_group_naming_an_unlisted_intervention_gets_a_row_for_it() -> None:
    trial = Trial(
        nct_id="NCT00000001",
        arms=(
            Arm(label="A", interventions=("Aspirin", "Diet advice", "Aspirin")),
            Arm(label="B", interventions=("Diet advice",)),
        ),
        interventions=(Intervention(name="Aspirin"),),
    )
    rows = flatten(trial)
    assert [(row["id"], row["name"]) for row in as_dicts(rows, "interventions")] == [
        (1, "Aspirin"),
        (2, "Diet advice"),
    ]
    assert [
        (row["design_group_id"], row["intervention_id"])
        for row in as_dicts(rows, "design_group_interventions")
    ] == [(1, 1), (1, 2), (2, 2)]


def test_criteria_tree_rows_have_parent_depth_and_position() -> None:
    tree = (
        Criterion(
            text="One of:",
            children=(
                Criterion(text="a", children=(Criterion(text="a.i"),)),
                Criterion(text="b"),
            ),
        ),
        Criterion(text="Adults"),
    )
    trial = Trial(eligibility=Eligibility(inclusion=tree, other=(Criterion(text="Note"),)))
    rows = as_dicts(flatten(trial), "criteria")
    assert [
        (row["id"], row["parent_id"], row["side"], row["depth"], row["position"], row["text"])
        for row in rows
    ] == [
        (1, None, "inclusion", 1, 1, "One of:"),
        (2, 1, "inclusion", 2, 1, "a"),
        (3, 2, "inclusion", 3, 1, "a.i"),
        (4, 1, "inclusion", 2, 2, "b"),
        (5, None, "inclusion", 1, 2, "Adults"),
        (6, None, "other", 1, 1, "Note"),
    ]
    assert {row["nct_id"] for row in rows} == {None}


@pytest.mark.parametrize(
    ("unit", "value", "years"),
    [
        (AgeUnit.YEARS, 18, 18.0),
        (AgeUnit.MONTHS, 6, 0.5),
        (AgeUnit.WEEKS, 4, 4 / 52.1775),
        (AgeUnit.DAYS, 30, 30 / 365.25),
        (AgeUnit.HOURS, 8766, 1.0),
        (AgeUnit.MINUTES, 1440, 1440 / 525960),
    ],
)
def test_ages_in_years(unit: AgeUnit, value: int, years: float) -> None:
    assert age_years(Age(value=value, unit=unit)) == pytest.approx(years)
    trial = Trial(eligibility=Eligibility(min_age=Age(value=value, unit=unit)))
    (row,) = as_dicts(flatten(trial), "eligibilities")
    assert row["minimum_age_num"] == value
    assert row["minimum_age_unit"] == unit.value
    assert row["minimum_age_years"] == pytest.approx(years)
    assert row["maximum_age"] is None and row["maximum_age_years"] is None


def test_an_empty_trial_gives_its_one_row_tables_only() -> None:
    rows = flatten(Trial())
    assert sorted(rows) == ["designs", "eligibilities", "studies"]
    (study,) = as_dicts(rows, "studies")
    assert set(study.values()) == {None}
    (design,) = as_dicts(rows, "designs")
    # No masking on the page: who is masked is unknown, not False.
    assert design["subject_masked"] is None


def test_values_are_plain_and_rows_pickle() -> None:
    trial = Trial(
        nct_id="NCT00000002",
        phases=(Phase.PHASE1, Phase.PHASE2),
        design=Design(masking=Masking.SINGLE, who_masked=(WhoMasked.OUTCOMES_ASSESSOR,)),
    )
    rows = flatten(trial)
    (study,) = as_dicts(rows, "studies")
    assert study["phase"] == "PHASE1/PHASE2"
    # StrEnum members become plain str: rows cross process boundaries and go to writers.
    assert all(
        type(value) in (str, int, float, bool, datetime.date, type(None))
        for table in rows.values()
        for row in table
        for value in row
    )
    assert pickle.loads(pickle.dumps(rows)) == rows
    assert page_kind(trial) == "trial"


def test_only_pages_flatten() -> None:
    with pytest.raises(TypeError, match="no flat tables for str"):
        flatten("NCT ID: NCT00000001")
