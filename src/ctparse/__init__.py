"""ctparse: read scraped ClinicalTrials.gov pages into typed, frozen attrs objects.

Two page kinds: the trial page (``Trial``) and the results page (``Results``, ``Trial
Outcomes & Findings for ...``).

>>> import ctparse
>>> trial = ctparse.parse(text)            # strict: raises ctparse.ParseError
>>> trial = ctparse.parse(text, lenient=True)  # never raises; see trial.diagnostics
>>> results = ctparse.parse_results(text, lenient=True)
>>> record = ctparse.parse_page(text)      # either kind, decided from the text
>>> ctparse.to_json(record)
"""

from __future__ import annotations

import importlib

# ``typing.TYPE_CHECKING`` without loading ``typing``: ``import ctparse`` loads nothing else.
TYPE_CHECKING = False

# Names are imported on first use (module ``__getattr__``), so that ``import ctparse`` costs
# only what a caller uses: parsing a page does not load the tables, formats or batch code.
if TYPE_CHECKING:
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

# Where each public name lives: (module, name in it); ``tables`` is the module itself.
_SOURCE_OF: dict[str, tuple[str, str]] = {
    # Capitalised names are the model's classes and enums, but for the two errors below
    # (a later key wins).
    **{name: ("ctparse.model", name) for name in __all__ if name[:1].isupper()},
    "tables": ("ctparse.tables", ""),
    "parse_file": ("ctparse.batch.inputs", "parse_file"),
    "iter_pages": ("ctparse.batch.records", "iter_pages"),
    "constraints": ("ctparse.eligibility.constraints", "constraints"),
    "ParseError": ("ctparse.errors", "ParseError"),
    "RecordError": ("ctparse.errors", "RecordError"),
    "from_ctgov": ("ctparse.formats.ctgov", "from_ctgov"),
    "results_from_ctgov": ("ctparse.formats.ctgov_results", "results_from_ctgov"),
    "to_ctgov": ("ctparse.formats.ctgov_results", "to_ctgov"),
    "from_json": ("ctparse.formats.json", "from_json"),
    "to_dict": ("ctparse.formats.json", "to_dict"),
    "to_json": ("ctparse.formats.json", "to_json"),
    "from_dict": ("ctparse.formats.json", "record_from_dict"),
    "parse_page": ("ctparse.pages.dispatch", "parse_page"),
    "render": ("ctparse.pages.dispatch", "render"),
    "parse_results": ("ctparse.pages.results.reader", "parse_results"),
    "parse": ("ctparse.pages.trial.reader", "parse"),
}


def __getattr__(name: str) -> object:
    source = _SOURCE_OF.get(name)
    if source is None:
        raise AttributeError(f"module 'ctparse' has no attribute {name!r}")
    module = importlib.import_module(source[0])
    value = getattr(module, source[1]) if source[1] else module
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
