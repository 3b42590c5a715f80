"""Fixed wording of the results page: headings, key-fact labels, table captions.

The grammar (``grammars/results.lark``) spells the same words as terminals; a test keeps the
two in step. ``render`` and the readers take them from here.
"""

from __future__ import annotations

import re
from typing import Final

__all__ = [
    "BARE_MEASURE",
    "BASELINE",
    "BASELINE_CAPTION",
    "DISPERSIONS",
    "FACT_LABELS",
    "MEASURE",
    "MILESTONES_CAPTION",
    "NOT_REPORTED",
    "OVERVIEW",
    "PARTICIPANT_FLOW",
    "PIPE",
    "TITLE_PREFIX",
    "TITLE_SUFFIX",
    "UNIT_PREFIX",
    "WITHDRAWALS_CAPTION",
    "separator",
]

TITLE_PREFIX: Final = "Trial Outcomes & Findings for "
# The suffix names the id twice: `` (NCT NCT00382863)``.
TITLE_SUFFIX: Final = re.compile(r" \(NCT (NCT\d{8})\)$")

OVERVIEW: Final = "Results Overview"
PARTICIPANT_FLOW: Final = "Participant Flow"
BASELINE: Final = "Baseline Characteristics"

# Key facts in page order; the labelled layout puts each label on a line of its own.
FACT_LABELS: Final = (
    "Recruitment status",
    "Study phase",
    "Target enrollment",
    "Primary outcome timeframe",
    "Results posted on",
)

UNIT_PREFIX: Final = "Unit of analysis: "
MILESTONES_CAPTION: Final = "Participant milestones"
WITHDRAWALS_CAPTION: Final = "Reasons for withdrawal"
NOT_REPORTED: Final = "Withdrawal data not reported"
BASELINE_CAPTION: Final = "Baseline characteristics by cohort"

MEASURE: Final = "Measure"
BARE_MEASURE: Final = "| Measure |"
PIPE: Final = "|"

# The registry's dispersion types (``measures[].dispersionType``), as the cells print them.
DISPERSIONS: Final = (
    "STANDARD_DEVIATION",
    "STANDARD_ERROR",
    "INTER_QUARTILE_RANGE",
    "FULL_RANGE",
    "CONFIDENCE_80",
    "CONFIDENCE_90",
    "CONFIDENCE_95",
    "CONFIDENCE_975",
    "CONFIDENCE_99",
    "CONFIDENCE_OTHER",
    "GEOMETRIC_COEFFICIENT",
)


def separator(columns: int) -> str:
    """The bare layout's line under a table header: ``|---|`` once per column and once for
    the label column (2 groups: ``|---|---|---|``)."""
    return "|" + "---|" * (columns + 1)
