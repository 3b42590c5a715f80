"""The typed model: frozen, slotted, keyword-only attrs classes and the enums they use."""

from __future__ import annotations

from ctparse.model.constraints import *  # noqa: F403
from ctparse.model.constraints import __all__ as _constraints_all
from ctparse.model.diagnostics import Diagnostic, DiagnosticCode
from ctparse.model.results import *  # noqa: F403
from ctparse.model.results import __all__ as _results_all
from ctparse.model.trial import *  # noqa: F403
from ctparse.model.trial import __all__ as _trial_all

__all__ = ["Diagnostic", "DiagnosticCode", *_trial_all, *_results_all, *_constraints_all]
