"""Fixed wording of the trial page: section headings, their helper sentences, layout labels.

The grammar (``grammars/page.lark``) spells the same words as terminals; a test keeps the two
in step. Python code that writes pages (``render``) or talks about sections (error messages)
reads them from here.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "BASIC_LABELS",
    "DESIGN_LABELS",
    "RESULTS_AVAILABLE",
    "RESULTS_AVAILABLE_LABEL",
    "RESULTS_PENDING",
    "RESULTS_PENDING_LABEL",
    "SECTIONS",
    "VIEW_FULL_RESULTS",
    "WHO_MASKED_WORDS",
]

# (heading, helper sentence), in page order.
SECTIONS: Final[tuple[tuple[str, str], ...]] = (
    ("Study Results", ""),
    (
        "Basic Information",
        "Get a concise snapshot of the trial, including recruitment status, study phase, "
        "enrollment targets, and key timeline milestones.",
    ),
    (
        "Brief Summary",
        "Review the sponsor-provided synopsis that highlights what the study is about and why "
        "it is being conducted.",
    ),
    (
        "Related Clinical Trials",
        "Explore similar clinical trials based on study characteristics and research focus.",
    ),
    (
        "Detailed Description",
        "Dive into the extended narrative that explains the scientific background, objectives, "
        "and procedures in greater depth.",
    ),
    (
        "Conditions",
        "See the medical conditions and disease areas that this research is targeting or "
        "investigating.",
    ),
    (
        "Keywords",
        "Explore important study keywords that can help with search, categorization, and topic "
        "discovery.",
    ),
    (
        "Study Design",
        "Understand how the trial is structured, including allocation methods, masking "
        "strategies, primary purpose, and other design elements.",
    ),
    (
        "Study Groups",
        "Review each arm or cohort in the study, along with the interventions and objectives "
        "associated with them.",
    ),
    (
        "Interventions",
        "Learn about the drugs, procedures, or behavioral strategies being tested and how they "
        "are applied within this trial.",
    ),
    (
        "Other Intervention Names",
        "Discover alternative or legacy names that may be used to describe the listed "
        "interventions across different sources.",
    ),
    (
        "Eligibility Criteria",
        "Check the participation requirements, including inclusion and exclusion rules, age "
        "limits, and whether healthy volunteers are accepted.",
    ),
    (
        "Sponsors",
        "Meet the organizations funding or collaborating on the study and learn about their roles.",
    ),
    (
        "Responsible Party",
        "Identify the individual or organization who holds primary responsibility for the "
        "study information submitted to regulators.",
    ),
    (
        "Principal Investigators",
        "Learn about the lead researchers overseeing the trial and their institutional "
        "affiliations.",
    ),
    (
        "Locations",
        "Explore where the study is taking place and check the recruitment status at each "
        "participating site.",
    ),
    (
        "Countries",
        "Review the countries where the study has at least one active or historical site.",
    ),
    (
        "Other Identifiers",
        "Review additional registry numbers or institutional identifiers associated with this "
        "trial.",
    ),
    (
        "More Related Trials",
        "Additional clinical trials that may be relevant based on similarity analysis.",
    ),
)

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
