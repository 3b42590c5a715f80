"""The typed model of one trial page: frozen, slotted, keyword-only attrs classes.

Enum values are the ClinicalTrials.gov API v2 names, exactly as the pages print them.
Field order is the order of the JSON output.
"""

from __future__ import annotations

import datetime
from enum import StrEnum

from attrs import field, frozen

from ctparse.model.constraints import Constraint
from ctparse.model.diagnostics import Diagnostic

__all__ = [
    "Age",
    "AgeUnit",
    "AgencyClass",
    "Allocation",
    "Arm",
    "ArmGroupType",
    "Criterion",
    "Design",
    "Eligibility",
    "Identifier",
    "IdentifierType",
    "Intervention",
    "InterventionModel",
    "InterventionType",
    "Investigator",
    "Location",
    "Masking",
    "ObservationalModel",
    "OfficialRole",
    "Phase",
    "PrimaryPurpose",
    "RelatedTrial",
    "Sex",
    "Sponsor",
    "Status",
    "StudyType",
    "TimePerspective",
    "Trial",
    "WhoMasked",
]


class Status(StrEnum):
    """Overall recruitment status."""

    ACTIVE_NOT_RECRUITING = "ACTIVE_NOT_RECRUITING"
    COMPLETED = "COMPLETED"
    ENROLLING_BY_INVITATION = "ENROLLING_BY_INVITATION"
    NOT_YET_RECRUITING = "NOT_YET_RECRUITING"
    RECRUITING = "RECRUITING"
    SUSPENDED = "SUSPENDED"
    TERMINATED = "TERMINATED"
    WITHDRAWN = "WITHDRAWN"
    AVAILABLE = "AVAILABLE"
    NO_LONGER_AVAILABLE = "NO_LONGER_AVAILABLE"
    TEMPORARILY_NOT_AVAILABLE = "TEMPORARILY_NOT_AVAILABLE"
    APPROVED_FOR_MARKETING = "APPROVED_FOR_MARKETING"
    WITHHELD = "WITHHELD"
    UNKNOWN = "UNKNOWN"


class Phase(StrEnum):
    NA = "NA"
    EARLY_PHASE1 = "EARLY_PHASE1"
    PHASE1 = "PHASE1"
    PHASE2 = "PHASE2"
    PHASE3 = "PHASE3"
    PHASE4 = "PHASE4"


class StudyType(StrEnum):
    EXPANDED_ACCESS = "EXPANDED_ACCESS"
    INTERVENTIONAL = "INTERVENTIONAL"
    OBSERVATIONAL = "OBSERVATIONAL"


class Allocation(StrEnum):
    RANDOMIZED = "RANDOMIZED"
    NON_RANDOMIZED = "NON_RANDOMIZED"
    NA = "NA"


class InterventionModel(StrEnum):
    SINGLE_GROUP = "SINGLE_GROUP"
    PARALLEL = "PARALLEL"
    CROSSOVER = "CROSSOVER"
    FACTORIAL = "FACTORIAL"
    SEQUENTIAL = "SEQUENTIAL"


class PrimaryPurpose(StrEnum):
    TREATMENT = "TREATMENT"
    PREVENTION = "PREVENTION"
    DIAGNOSTIC = "DIAGNOSTIC"
    ECT = "ECT"
    SUPPORTIVE_CARE = "SUPPORTIVE_CARE"
    SCREENING = "SCREENING"
    HEALTH_SERVICES_RESEARCH = "HEALTH_SERVICES_RESEARCH"
    BASIC_SCIENCE = "BASIC_SCIENCE"
    DEVICE_FEASIBILITY = "DEVICE_FEASIBILITY"
    OTHER = "OTHER"


class Masking(StrEnum):
    NONE = "NONE"
    SINGLE = "SINGLE"
    DOUBLE = "DOUBLE"
    TRIPLE = "TRIPLE"
    QUADRUPLE = "QUADRUPLE"


class WhoMasked(StrEnum):
    PARTICIPANT = "PARTICIPANT"
    CARE_PROVIDER = "CARE_PROVIDER"
    INVESTIGATOR = "INVESTIGATOR"
    OUTCOMES_ASSESSOR = "OUTCOMES_ASSESSOR"


class ObservationalModel(StrEnum):
    COHORT = "COHORT"
    CASE_CONTROL = "CASE_CONTROL"
    CASE_ONLY = "CASE_ONLY"
    CASE_CROSSOVER = "CASE_CROSSOVER"
    ECOLOGIC_OR_COMMUNITY = "ECOLOGIC_OR_COMMUNITY"
    FAMILY_BASED = "FAMILY_BASED"
    DEFINED_POPULATION = "DEFINED_POPULATION"
    NATURAL_HISTORY = "NATURAL_HISTORY"
    OTHER = "OTHER"


class TimePerspective(StrEnum):
    RETROSPECTIVE = "RETROSPECTIVE"
    PROSPECTIVE = "PROSPECTIVE"
    CROSS_SECTIONAL = "CROSS_SECTIONAL"
    OTHER = "OTHER"


class ArmGroupType(StrEnum):
    EXPERIMENTAL = "EXPERIMENTAL"
    ACTIVE_COMPARATOR = "ACTIVE_COMPARATOR"
    PLACEBO_COMPARATOR = "PLACEBO_COMPARATOR"
    SHAM_COMPARATOR = "SHAM_COMPARATOR"
    NO_INTERVENTION = "NO_INTERVENTION"
    OTHER = "OTHER"


class InterventionType(StrEnum):
    BEHAVIORAL = "BEHAVIORAL"
    BIOLOGICAL = "BIOLOGICAL"
    COMBINATION_PRODUCT = "COMBINATION_PRODUCT"
    DEVICE = "DEVICE"
    DIAGNOSTIC_TEST = "DIAGNOSTIC_TEST"
    DIETARY_SUPPLEMENT = "DIETARY_SUPPLEMENT"
    DRUG = "DRUG"
    GENETIC = "GENETIC"
    PROCEDURE = "PROCEDURE"
    RADIATION = "RADIATION"
    OTHER = "OTHER"


class Sex(StrEnum):
    ALL = "ALL"
    FEMALE = "FEMALE"
    MALE = "MALE"


class AgeUnit(StrEnum):
    YEARS = "YEARS"
    MONTHS = "MONTHS"
    WEEKS = "WEEKS"
    DAYS = "DAYS"
    HOURS = "HOURS"
    MINUTES = "MINUTES"


class AgencyClass(StrEnum):
    NIH = "NIH"
    FED = "FED"
    OTHER_GOV = "OTHER_GOV"
    INDIV = "INDIV"
    INDUSTRY = "INDUSTRY"
    NETWORK = "NETWORK"
    AMBIG = "AMBIG"
    OTHER = "OTHER"
    UNKNOWN = "UNKNOWN"


class OfficialRole(StrEnum):
    STUDY_CHAIR = "STUDY_CHAIR"
    STUDY_DIRECTOR = "STUDY_DIRECTOR"
    PRINCIPAL_INVESTIGATOR = "PRINCIPAL_INVESTIGATOR"
    SUB_INVESTIGATOR = "SUB_INVESTIGATOR"


class IdentifierType(StrEnum):
    NIH = "NIH"
    FDA = "FDA"
    VA = "VA"
    CDC = "CDC"
    AHRQ = "AHRQ"
    SAMHSA = "SAMHSA"
    OTHER_GRANT = "OTHER_GRANT"
    EUDRACT_NUMBER = "EUDRACT_NUMBER"
    CTIS = "CTIS"
    REGISTRY = "REGISTRY"
    OTHER = "OTHER"


@frozen(kw_only=True)
class Age:
    """An age limit as printed: ``18 Years`` is ``Age(value=18, unit=AgeUnit.YEARS)``."""

    value: int
    unit: AgeUnit


@frozen(kw_only=True)
class Criterion:
    """One eligibility criterion; nested bullets and numbering become ``children``."""

    text: str
    children: tuple[Criterion, ...] = ()
    # What the text requires as data (performance status, thresholds, life expectancy).
    constraints: tuple[Constraint, ...] = ()


@frozen(kw_only=True)
class Eligibility:
    inclusion: tuple[Criterion, ...] = ()
    exclusion: tuple[Criterion, ...] = ()
    # Criteria outside a recognised inclusion / exclusion header: kept, never dropped.
    other: tuple[Criterion, ...] = ()
    min_age: Age | None = None
    max_age: Age | None = None
    sex: Sex | None = None
    healthy_volunteers: bool | None = None


@frozen(kw_only=True)
class Design:
    allocation: Allocation | None = None
    intervention_model: InterventionModel | None = None
    primary_purpose: PrimaryPurpose | None = None
    masking: Masking | None = None
    who_masked: tuple[WhoMasked, ...] = ()
    observational_model: ObservationalModel | None = None
    time_perspective: TimePerspective | None = None


@frozen(kw_only=True)
class Arm:
    """A study group (arm or cohort) with the names of the interventions it receives."""

    label: str
    type: ArmGroupType | None = None
    description: str | None = None
    interventions: tuple[str, ...] = ()


@frozen(kw_only=True)
class Intervention:
    name: str
    type: InterventionType | None = None
    description: str | None = None


@frozen(kw_only=True)
class Sponsor:
    name: str
    agency_class: AgencyClass | None = None


@frozen(kw_only=True)
class Investigator:
    name: str
    role: OfficialRole | None = None
    affiliation: str | None = None


@frozen(kw_only=True)
class Location:
    facility: str | None = None
    city: str | None = None
    state: str | None = None
    country: str | None = None


@frozen(kw_only=True)
class Identifier:
    id: str
    type: IdentifierType | None = None
    source: str | None = None


@frozen(kw_only=True)
class RelatedTrial:
    nct_id: str
    title: str


@frozen(kw_only=True)
class Trial:
    """Everything one trial page holds. Absent values are ``None`` or empty tuples."""

    nct_id: str | None = None
    title: str | None = None
    last_updated: datetime.date | None = None
    has_results: bool | None = None
    status: Status | None = None
    phases: tuple[Phase, ...] = ()
    enrollment: int | None = None
    study_type: StudyType | None = None
    # ``YYYY-MM-DD`` or ``YYYY-MM``, as the page gives it.
    start_date: str | None = None
    completion_date: str | None = None
    brief_summary: str | None = None
    detailed_description: str | None = None
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    design: Design = field(factory=Design)
    arms: tuple[Arm, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    other_intervention_names: tuple[str, ...] = ()
    eligibility: Eligibility = field(factory=Eligibility)
    lead_sponsor: Sponsor | None = None
    collaborators: tuple[Sponsor, ...] = ()
    responsible_party: str | None = None
    investigators: tuple[Investigator, ...] = ()
    locations: tuple[Location, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    related_trials: tuple[RelatedTrial, ...] = ()
    more_related_trials: tuple[RelatedTrial, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    def __repr__(self) -> str:
        # Short: the generated repr of a full trial runs to thousands of characters.
        title = self.title
        if title is not None and len(title) > _REPR_TITLE:
            title = title[: _REPR_TITLE - 1].rstrip() + "\u2026"
        phases = "/".join(phase.value for phase in self.phases) or None
        parts = [f"nct_id={self.nct_id!r}", f"title={title!r}", f"status={_name(self.status)}"]
        parts.append(f"phases={phases}")
        counts = (
            ("arm", len(self.arms)),
            ("intervention", len(self.interventions)),
            ("criterion", _criteria_count(self.eligibility)),
            ("location", len(self.locations)),
            ("diagnostic", len(self.diagnostics)),
        )
        parts += [f"{n} {_plural(noun, n)}" for noun, n in counts if n]
        return f"Trial({', '.join(parts)})"


_REPR_TITLE = 40


def _name(member: StrEnum | None) -> str:
    return "None" if member is None else member.value


def _plural(noun: str, count: int) -> str:
    if count == 1:
        return noun
    return "criteria" if noun == "criterion" else noun + "s"


def _criteria_count(eligibility: Eligibility) -> int:
    """Criteria at every depth, counted without recursion: trees may be deep."""
    pending = [*eligibility.inclusion, *eligibility.exclusion, *eligibility.other]
    count = 0
    while pending:
        criterion = pending.pop()
        count += 1
        pending.extend(criterion.children)
    return count
