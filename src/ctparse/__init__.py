"""ctparse: read scraped ClinicalTrials.gov pages into typed, frozen attrs objects.

Two page kinds: the trial page (``Trial``) and the results page (``Results``, ``Trial
Outcomes & Findings for ...``).

>>> import ctparse
>>> trial = ctparse.parse(text)            # strict: raises ctparse.ParseError
>>> trial = ctparse.parse(text, lenient=True)  # never raises; see trial.diagnostics
>>> results = ctparse.parse_results(text, lenient=True)
>>> record = ctparse.parse_page(text)      # either kind, decided from the text
>>> ctparse.to_json(record)
>>> for page in ctparse.iter_pages("dump.txt.gz"):  # pages of a dump, not parsed
...     page.source, page.text or page.error
"""

from __future__ import annotations

from ctparse import tables
from ctparse.batch.inputs import parse_file
from ctparse.batch.records import iter_pages
from ctparse.eligibility.constraints import constraints
from ctparse.errors import ParseError, RecordError
from ctparse.formats.ctgov import from_ctgov
from ctparse.formats.ctgov_results import results_from_ctgov, to_ctgov
from ctparse.formats.json import from_json, to_dict, to_json
from ctparse.formats.json import record_from_dict as from_dict
from ctparse.model import (
    Age,
    AgencyClass,
    AgeUnit,
    Allocation,
    Arm,
    ArmGroupType,
    Baseline,
    BaselineCell,
    BaselineGroup,
    BaselineMeasure,
    Constraint,
    Criterion,
    Design,
    Diagnostic,
    DiagnosticCode,
    Eligibility,
    FlowGroup,
    FlowPeriod,
    Identifier,
    IdentifierType,
    Intervention,
    InterventionModel,
    InterventionType,
    Investigator,
    LifeExpectancy,
    LifeExpectancyUnit,
    Location,
    Masking,
    Measure,
    Measurement,
    Milestone,
    ObservationalModel,
    OfficialRole,
    Op,
    ParticipantFlow,
    PerformanceStatus,
    Phase,
    PrimaryOutcome,
    PrimaryPurpose,
    RelatedTrial,
    Results,
    ResultsSection,
    ResultsTable,
    Scale,
    Sex,
    Sponsor,
    Status,
    StudyType,
    TableColumn,
    TableRow,
    TimePerspective,
    Trial,
    WhoMasked,
    Withdrawal,
)
from ctparse.pages.dispatch import parse_page, render
from ctparse.pages.results.reader import parse_results
from ctparse.pages.trial.reader import parse

__version__ = "0.1.0"

__all__ = [
    "Age",
    "AgeUnit",
    "AgencyClass",
    "Allocation",
    "Arm",
    "ArmGroupType",
    "Baseline",
    "BaselineCell",
    "BaselineGroup",
    "BaselineMeasure",
    "Constraint",
    "Criterion",
    "Design",
    "Diagnostic",
    "DiagnosticCode",
    "Eligibility",
    "FlowGroup",
    "FlowPeriod",
    "Identifier",
    "IdentifierType",
    "Intervention",
    "InterventionModel",
    "InterventionType",
    "Investigator",
    "LifeExpectancy",
    "LifeExpectancyUnit",
    "Location",
    "Masking",
    "Measure",
    "Measurement",
    "Milestone",
    "ObservationalModel",
    "OfficialRole",
    "Op",
    "ParseError",
    "ParticipantFlow",
    "PerformanceStatus",
    "Phase",
    "PrimaryOutcome",
    "PrimaryPurpose",
    "RecordError",
    "RelatedTrial",
    "Results",
    "ResultsSection",
    "ResultsTable",
    "Scale",
    "Sex",
    "Sponsor",
    "Status",
    "StudyType",
    "TableColumn",
    "TableRow",
    "TimePerspective",
    "Trial",
    "WhoMasked",
    "Withdrawal",
    "__version__",
    "constraints",
    "from_ctgov",
    "from_dict",
    "from_json",
    "iter_pages",
    "parse",
    "parse_file",
    "parse_page",
    "parse_results",
    "render",
    "results_from_ctgov",
    "tables",
    "to_ctgov",
    "to_dict",
    "to_json",
]
