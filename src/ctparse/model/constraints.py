"""What a criterion requires, as data: performance status ranges, measurement thresholds and
life expectancy (the rules are in README.md, "Constraints in criteria")."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar, TypeAlias

from attrs import frozen

__all__ = [
    "Constraint",
    "LifeExpectancy",
    "LifeExpectancyUnit",
    "Measure",
    "Measurement",
    "Op",
    "PerformanceStatus",
    "Scale",
]


class Scale(StrEnum):
    """A performance status scale."""

    ECOG = "ECOG"
    KARNOFSKY = "KARNOFSKY"
    LANSKY = "LANSKY"
    WHO = "WHO"


class Measure(StrEnum):
    """A laboratory value or vital sign a criterion may set a threshold on."""

    ANC = "ANC"
    WBC = "WBC"
    PLATELETS = "PLATELETS"
    HEMOGLOBIN = "HEMOGLOBIN"
    LYMPHOCYTES = "LYMPHOCYTES"
    CREATININE = "CREATININE"
    CREATININE_CLEARANCE = "CREATININE_CLEARANCE"
    EGFR = "EGFR"
    TOTAL_BILIRUBIN = "TOTAL_BILIRUBIN"
    AST = "AST"
    ALT = "ALT"
    ALP = "ALP"
    ALBUMIN = "ALBUMIN"
    INR = "INR"
    APTT = "APTT"
    HBA1C = "HBA1C"
    FASTING_GLUCOSE = "FASTING_GLUCOSE"
    BMI = "BMI"
    LVEF = "LVEF"
    QTC = "QTC"
    SBP = "SBP"
    DBP = "DBP"
    TSH = "TSH"
    CD4 = "CD4"
    PSA = "PSA"


class Op(StrEnum):
    """A comparator: the value stated is compared with the threshold this way."""

    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    EQ = "="


class LifeExpectancyUnit(StrEnum):
    DAYS = "DAYS"
    WEEKS = "WEEKS"
    MONTHS = "MONTHS"
    YEARS = "YEARS"


@frozen(kw_only=True)
class PerformanceStatus:
    """The inclusive range of scores allowed on a scale (``scale`` null when none is named)."""

    kind: ClassVar[str] = "performance_status"  # how JSON names the class

    scale: Scale | None
    min: int
    max: int


@frozen(kw_only=True)
class Measurement:
    """A threshold on a measure; ``unit`` as written (lightly normalised), null if none is."""

    kind: ClassVar[str] = "measurement"

    measure: Measure
    op: Op
    value: float  # an int when the text writes no fraction (1500, not 1500.0)
    unit: str | None


@frozen(kw_only=True)
class LifeExpectancy:
    """How long the patient is expected to live, compared with a bound."""

    kind: ClassVar[str] = "life_expectancy"

    op: Op
    value: float
    unit: LifeExpectancyUnit


Constraint: TypeAlias = PerformanceStatus | Measurement | LifeExpectancy
