"""The typed model: frozen, slotted, keyword-only attrs classes and the enums they use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctparse.model.constraints import *  # noqa: F403
from ctparse.model.constraints import __all__ as _constraints_all
from ctparse.model.diagnostics import Diagnostic, DiagnosticCode
from ctparse.model.trial import *  # noqa: F403
from ctparse.model.trial import __all__ as _trial_all

# The results page's classes are imported on first use (module ``__getattr__``): reading a
# trial page does not need them, and making them costs a process some milliseconds.
if TYPE_CHECKING:
    from ctparse.model.results import *  # noqa: F403

# ctparse.model.results.__all__, written here so that listing the names imports nothing
# (a test checks the two agree).
_RESULTS_NAMES = (
    "Baseline",
    "BaselineCell",
    "BaselineGroup",
    "BaselineMeasure",
    "FlowGroup",
    "FlowPeriod",
    "Milestone",
    "ParticipantFlow",
    "PrimaryOutcome",
    "Results",
    "ResultsSection",
    "ResultsTable",
    "TableColumn",
    "TableRow",
    "Withdrawal",
)

__all__ = ["Diagnostic", "DiagnosticCode", *_trial_all, *_RESULTS_NAMES, *_constraints_all]


def __getattr__(name: str) -> object:
    if name not in _RESULTS_NAMES:
        raise AttributeError(f"module 'ctparse.model' has no attribute {name!r}")
    from ctparse.model import results

    value = getattr(results, name)
    globals()[name] = value
    return value
