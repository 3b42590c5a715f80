"""ctparse: read scraped ClinicalTrials.gov trial pages into typed, frozen attrs objects.

>>> import ctparse
>>> trial = ctparse.parse(text)            # strict: raises ctparse.ParseError
>>> trial = ctparse.parse(text, lenient=True)  # never raises; see trial.diagnostics
>>> ctparse.to_json(trial)
"""

from __future__ import annotations

from ctparse import tables
from ctparse.batch.inputs import parse_file
from ctparse.errors import ParseError, RecordError
from ctparse.formats.ctgov import from_ctgov, to_ctgov
from ctparse.formats.json import from_dict, from_json, to_dict, to_json
from ctparse.model import (
    Age,
    AgencyClass,
    AgeUnit,
    Allocation,
    Arm,
    ArmGroupType,
    Criterion,
    Design,
    Diagnostic,
    DiagnosticCode,
    Eligibility,
    Identifier,
    IdentifierType,
    Intervention,
    InterventionModel,
    InterventionType,
    Investigator,
    Location,
    Masking,
    ObservationalModel,
    OfficialRole,
    Phase,
    PrimaryPurpose,
    RelatedTrial,
    Sex,
    Sponsor,
    Status,
    StudyType,
    TimePerspective,
    Trial,
    WhoMasked,
)
from ctparse.pages.trial.reader import parse
from ctparse.pages.trial.render import render

__version__ = "0.1.0"

__all__ = [
    "Age",
    "AgeUnit",
    "AgencyClass",
    "Allocation",
    "Arm",
    "ArmGroupType",
    "Criterion",
    "Design",
    "Diagnostic",
    "DiagnosticCode",
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
    "ParseError",
    "Phase",
    "PrimaryPurpose",
    "RecordError",
    "RelatedTrial",
    "Sex",
    "Sponsor",
    "Status",
    "StudyType",
    "TimePerspective",
    "Trial",
    "WhoMasked",
    "__version__",
    "from_ctgov",
    "from_dict",
    "from_json",
    "parse",
    "parse_file",
    "render",
    "tables",
    "to_ctgov",
    "to_dict",
    "to_json",
]
