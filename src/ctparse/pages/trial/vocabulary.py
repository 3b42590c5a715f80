"""Fixed wording of the trial page: section headings, their helper sentences, layout labels.

The grammar (``grammars/page.lark``) spells the same words as terminals; a test keeps the two
in step. Python code that writes pages (``render``) or talks about sections (error messages)
reads them from here.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from attrs import frozen

from ctparse.model.trial import (
    AgencyClass,
    Allocation,
    ArmGroupType,
    IdentifierType,
    InterventionModel,
    InterventionType,
    Masking,
    ObservationalModel,
    OfficialRole,
    Phase,
    PrimaryPurpose,
    Sex,
    Status,
    StudyType,
    TimePerspective,
)

__all__ = [
    "BASIC_LABELS",
    "DESIGN_LABELS",
    "GRAMMAR_WORDS",
    "HEADINGS",
    "LINE_PREFIXES",
    "RESULTS_AVAILABLE",
    "RESULTS_AVAILABLE_LABEL",
    "RESULTS_PENDING",
    "RESULTS_PENDING_LABEL",
    "SECTIONS",
    "SECTION_SPECS",
    "VIEW_FULL_RESULTS",
    "WHO_MASKED_WORDS",
    "SectionSpec",
]


# The section registry: every section of the trial page, in page order, as the grammar's rule
# names it, with its heading and the helper sentence printed under it. Everything that knows the
# sections (the grammar's heading lists, line preparation, recovery, assembly, rendering) reads
# them from here; tests/pages/trial/test_grammar.py checks the grammar's heading terminals.
@frozen(kw_only=True)
class SectionSpec:
    rule: str
    heading: str
    helper: str


SECTION_SPECS: Final[tuple[SectionSpec, ...]] = (
    SectionSpec(
        rule="study_results",
        heading="Study Results",
        helper="",
    ),
    SectionSpec(
        rule="basic_information",
        heading="Basic Information",
        helper=(
            "Get a concise snapshot of the trial, including recruitment status, study phase, "
            "enrollment targets, and key timeline milestones."
        ),
    ),
    SectionSpec(
        rule="brief_summary",
        heading="Brief Summary",
        helper=(
            "Review the sponsor-provided synopsis that highlights what the study is about and why"
            " it is being conducted."
        ),
    ),
    SectionSpec(
        rule="related_trials",
        heading="Related Clinical Trials",
        helper=(
            "Explore similar clinical trials based on study characteristics and research focus."
        ),
    ),
    SectionSpec(
        rule="detailed_description",
        heading="Detailed Description",
        helper=(
            "Dive into the extended narrative that explains the scientific background, "
            "objectives, and procedures in greater depth."
        ),
    ),
    SectionSpec(
        rule="conditions",
        heading="Conditions",
        helper=(
            "See the medical conditions and disease areas that this research is targeting or "
            "investigating."
        ),
    ),
    SectionSpec(
        rule="keywords",
        heading="Keywords",
        helper=(
            "Explore important study keywords that can help with search, categorization, and "
            "topic discovery."
        ),
    ),
    SectionSpec(
        rule="study_design",
        heading="Study Design",
        helper=(
            "Understand how the trial is structured, including allocation methods, masking "
            "strategies, primary purpose, and other design elements."
        ),
    ),
    SectionSpec(
        rule="study_groups",
        heading="Study Groups",
        helper=(
            "Review each arm or cohort in the study, along with the interventions and objectives "
            "associated with them."
        ),
    ),
    SectionSpec(
        rule="interventions",
        heading="Interventions",
        helper=(
            "Learn about the drugs, procedures, or behavioral strategies being tested and how "
            "they are applied within this trial."
        ),
    ),
    SectionSpec(
        rule="other_intervention_names",
        heading="Other Intervention Names",
        helper=(
            "Discover alternative or legacy names that may be used to describe the listed "
            "interventions across different sources."
        ),
    ),
    SectionSpec(
        rule="eligibility",
        heading="Eligibility Criteria",
        helper=(
            "Check the participation requirements, including inclusion and exclusion rules, age "
            "limits, and whether healthy volunteers are accepted."
        ),
    ),
    SectionSpec(
        rule="sponsors",
        heading="Sponsors",
        helper=(
            "Meet the organizations funding or collaborating on the study and learn about their "
            "roles."
        ),
    ),
    SectionSpec(
        rule="responsible_party",
        heading="Responsible Party",
        helper=(
            "Identify the individual or organization who holds primary responsibility for the "
            "study information submitted to regulators."
        ),
    ),
    SectionSpec(
        rule="investigators",
        heading="Principal Investigators",
        helper=(
            "Learn about the lead researchers overseeing the trial and their institutional "
            "affiliations."
        ),
    ),
    SectionSpec(
        rule="locations",
        heading="Locations",
        helper=(
            "Explore where the study is taking place and check the recruitment status at each "
            "participating site."
        ),
    ),
    SectionSpec(
        rule="countries",
        heading="Countries",
        helper="Review the countries where the study has at least one active or historical site.",
    ),
    SectionSpec(
        rule="identifiers",
        heading="Other Identifiers",
        helper=(
            "Review additional registry numbers or institutional identifiers associated with this"
            " trial."
        ),
    ),
    SectionSpec(
        rule="more_related_trials",
        heading="More Related Trials",
        helper="Additional clinical trials that may be relevant based on similarity analysis.",
    ),
)
# (heading, helper sentence) pairs, in page order.
SECTIONS: Final[tuple[tuple[str, str], ...]] = tuple(
    (spec.heading, spec.helper) for spec in SECTION_SPECS
)
HEADINGS: Final[tuple[str, ...]] = tuple(spec.heading for spec in SECTION_SPECS)

# Study Results has no helper sentence of its own: the sentence says whether results exist.
RESULTS_PENDING: Final = (
    "The study team has not published outcome measurements, participant flow, or safety data "
    "for this trial yet. Check back later for updates."
)
RESULTS_AVAILABLE: Final = (
    "Outcome measurements, participant flow, baseline characteristics, and adverse events "
    "have been published for this study."
)
VIEW_FULL_RESULTS: Final = "View full results"
RESULTS_PENDING_LABEL: Final = "Results pending"
RESULTS_AVAILABLE_LABEL: Final = "Results available"

# What typed lines start with, before their value: ``NCT ID: NCT05001971``.
LINE_PREFIXES: Final[dict[str, str]] = {
    "nct_id": "NCT ID: ",
    "last_updated": "Last Updated: ",
    "role": "Role: ",
    "identifier_type": "Identifier Type: ",
    "identifier_source": "Identifier Source: ",
    "group_type": "Group Type ",
    "intervention_type": "Intervention Type ",
}

# Labelled layout: the label line printed before each value, by Trial field.
BASIC_LABELS: Final[dict[str, str]] = {
    "status": "Recruitment Status",
    "phases": "Clinical Phase",
    "enrollment": "Total Enrollment",
    "study_type": "Study Classification",
    "start_date": "Study Start Date",
    "completion_date": "Study Completion Date",
}
DESIGN_LABELS: Final[dict[str, str]] = {
    "allocation": "Allocation Method",
    "intervention_model": "Intervention Model",
    "primary_purpose": "Primary Study Purpose",
    "masking": "Blinding Strategy",
    "observational_model": "Observational Model Type",
    "time_perspective": "Study Time Perspective",
}

# Labelled layout: the line after the masking value names who is masked, in these words.
WHO_MASKED_WORDS: Final[dict[str, str]] = {
    "PARTICIPANT": "Participants",
    "CARE_PROVIDER": "Caregivers",
    "INVESTIGATOR": "Investigators",
    "OUTCOMES_ASSESSOR": "Outcome Assessors",
}


def _members(kind: type[StrEnum], *, without_other: bool = False) -> tuple[str, ...]:
    return tuple(m.value for m in kind if not (without_other and m.value == "OTHER"))


# The word lists the grammar names as ``<<NAME>>`` (see ctparse.pages.grammar): the section
# headings, and the values of the model's enums as the page prints them. OTHER is a terminal
# of its own in Study Design, where the Python side places it.
GRAMMAR_WORDS: Final[dict[str, tuple[str, ...]]] = {
    "HEADINGS": HEADINGS,
    "STATUS": _members(Status),
    "PHASE": _members(Phase),
    "STUDY_TYPE": _members(StudyType),
    "ALLOCATION": _members(Allocation),
    "INTERVENTION_MODEL": _members(InterventionModel),
    "PRIMARY_PURPOSE": _members(PrimaryPurpose, without_other=True),
    "MASKING": _members(Masking),
    "WHO_MASKED": tuple(WHO_MASKED_WORDS.values()),
    "OBSERVATIONAL_MODEL": _members(ObservationalModel, without_other=True),
    "TIME_PERSPECTIVE": _members(TimePerspective, without_other=True),
    "GROUP_TYPE": _members(ArmGroupType),
    "INTERVENTION_TYPE": _members(InterventionType),
    "SEX": _members(Sex),
    "AGENCY_CLASS": _members(AgencyClass),
    "ROLE": _members(OfficialRole),
    "IDENTIFIER_TYPE": ("-", *_members(IdentifierType)),
    **{f"PREFIX_{field.upper()}": (prefix,) for field, prefix in LINE_PREFIXES.items()},
}
