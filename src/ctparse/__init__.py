"""ctparse: read scraped ClinicalTrials.gov trial pages into typed, frozen attrs objects.

>>> import ctparse
>>> trial = ctparse.parse(text)            # strict: raises ctparse.ParseError
>>> trial = ctparse.parse(text, lenient=True)  # never raises; see trial.diagnostics
>>> ctparse.to_json(trial)
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

# Names are imported on first use (module ``__getattr__``), so that ``import ctparse`` costs
# only what a caller uses: parsing a page does not load the tables, formats or batch code.
if TYPE_CHECKING:
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

# Where each public name lives; ``tables`` is a module.
_MODULE_OF = {
    "tables": "ctparse.tables",
    "parse_file": "ctparse.batch.inputs",
    "ParseError": "ctparse.errors",
    "RecordError": "ctparse.errors",
    "from_ctgov": "ctparse.formats.ctgov",
    "to_ctgov": "ctparse.formats.ctgov",
    "from_dict": "ctparse.formats.json",
    "from_json": "ctparse.formats.json",
    "to_dict": "ctparse.formats.json",
    "to_json": "ctparse.formats.json",
    "parse": "ctparse.pages.trial.reader",
    "render": "ctparse.pages.trial.render",
    "Age": "ctparse.model",
    "AgencyClass": "ctparse.model",
    "AgeUnit": "ctparse.model",
    "Allocation": "ctparse.model",
    "Arm": "ctparse.model",
    "ArmGroupType": "ctparse.model",
    "Criterion": "ctparse.model",
    "Design": "ctparse.model",
    "Diagnostic": "ctparse.model",
    "DiagnosticCode": "ctparse.model",
    "Eligibility": "ctparse.model",
    "Identifier": "ctparse.model",
    "IdentifierType": "ctparse.model",
    "Intervention": "ctparse.model",
    "InterventionModel": "ctparse.model",
    "InterventionType": "ctparse.model",
    "Investigator": "ctparse.model",
    "Location": "ctparse.model",
    "Masking": "ctparse.model",
    "ObservationalModel": "ctparse.model",
    "OfficialRole": "ctparse.model",
    "Phase": "ctparse.model",
    "PrimaryPurpose": "ctparse.model",
    "RelatedTrial": "ctparse.model",
    "Sex": "ctparse.model",
    "Sponsor": "ctparse.model",
    "Status": "ctparse.model",
    "StudyType": "ctparse.model",
    "TimePerspective": "ctparse.model",
    "Trial": "ctparse.model",
    "WhoMasked": "ctparse.model",
}


def __getattr__(name: str) -> object:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'ctparse' has no attribute {name!r}")
    imported = importlib.import_module(module)
    value = imported if name == "tables" else getattr(imported, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
