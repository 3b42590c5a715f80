"""The typed model of one results page (``Trial Outcomes & Findings for ...``).

Frozen, slotted, keyword-only attrs classes; field order is the order of the JSON output,
and every field is always written. Values are the page's text, unescaped; counts are
integers; a baseline cell's value stays text (``55.1``, ``NA``) as the page prints it.
"""

from __future__ import annotations

import datetime

from attrs import field, frozen

from ctparse.model.diagnostics import Diagnostic
from ctparse.model.trial import Phase, Status

__all__ = [
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
]


@frozen(kw_only=True)
class PrimaryOutcome:
    """The one outcome the page shows: its description (Results Overview) and time frame."""

    description: str | None = None
    time_frame: str | None = None


@frozen(kw_only=True)
class FlowGroup:
    """A participant-flow group (column): its title and description."""

    title: str
    description: str | None = None


@frozen(kw_only=True)
class Milestone:
    """One milestone row: its type (``STARTED``, ``COMPLETED`` or free text) and one count
    per group, in group order."""

    type: str
    counts: tuple[int, ...] = ()


@frozen(kw_only=True)
class Withdrawal:
    """One reason-for-withdrawal row: the reason and one count per group, in group order."""

    reason: str
    counts: tuple[int, ...] = ()


@frozen(kw_only=True)
class FlowPeriod:
    """A period of the participant flow with its milestone and withdrawal rows."""

    title: str
    milestones: tuple[Milestone, ...] = ()
    withdrawals: tuple[Withdrawal, ...] = ()


@frozen(kw_only=True)
class ParticipantFlow:
    """The Participant Flow section.

    ``notes`` are the prose lines after the heading (recruitment and pre-assignment details;
    a single line cannot be told apart). ``withdrawals_reported`` is false for ``Withdrawal
    data not reported``, true when a withdrawal table is shown, and null when the page does
    not reach that far.
    """

    notes: tuple[str, ...] = ()
    unit_of_analysis: str | None = None
    groups: tuple[FlowGroup, ...] = ()
    periods: tuple[FlowPeriod, ...] = ()
    withdrawals_reported: bool | None = None


@frozen(kw_only=True)
class BaselineGroup:
    """A baseline column: title, the ``n=`` count and its units, and the description."""

    title: str
    count: int | None = None
    units: str | None = None
    description: str | None = None


@frozen(kw_only=True)
class BaselineCell:
    """One baseline value: ``55.1 years`` / ``STANDARD_DEVIATION 10.2 • n=5 Participants``.

    ``note`` keeps the cell's ``n=...`` text as printed; its meaning is unknown (it is not the
    analysed count), so it is never interpreted.
    """

    value: str | None = None
    unit: str | None = None
    dispersion: str | None = None
    spread: str | None = None
    note: str | None = None


@frozen(kw_only=True)
class BaselineMeasure:
    """One baseline row: the measure's title, the category (categorical measures) and one
    cell per column, in column order."""

    title: str
    category: str | None = None
    cells: tuple[BaselineCell, ...] = ()


@frozen(kw_only=True)
class Baseline:
    """Baseline Characteristics. ``population`` is null when the line after the heading is
    only the brief title again."""

    population: str | None = None
    groups: tuple[BaselineGroup, ...] = ()
    measures: tuple[BaselineMeasure, ...] = ()


@frozen(kw_only=True)
class TableColumn:
    """A column of a table the reader does not know: its title and the lines under it."""

    title: str
    lines: tuple[str, ...] = ()


@frozen(kw_only=True)
class TableRow:
    """A row of a table the reader does not know: its label lines and each cell's lines."""

    labels: tuple[str, ...] = ()
    cells: tuple[tuple[str, ...], ...] = ()


@frozen(kw_only=True)
class ResultsTable:
    """A table the reader does not know, kept as text."""

    caption: str
    columns: tuple[TableColumn, ...] = ()
    rows: tuple[TableRow, ...] = ()


@frozen(kw_only=True)
class ResultsSection:
    """A part of the page the reader does not know (anything after the baseline table),
    kept generically; each one is also reported with an ``unknown_section`` diagnostic."""

    heading: str | None = None
    paragraphs: tuple[str, ...] = ()
    tables: tuple[ResultsTable, ...] = ()


@frozen(kw_only=True)
class Results:
    """Everything one results page holds. Absent values are ``None`` or empty tuples.

    ``title`` is the brief title without the page's `` (NCT NCT########)`` suffix;
    ``truncated`` says the page was cut before its end (every scraped excerpt seen is).
    """

    nct_id: str | None = None
    title: str | None = None
    last_updated: datetime.date | None = None
    status: Status | None = None
    phases: tuple[Phase, ...] = ()
    enrollment: int | None = None
    results_posted: datetime.date | None = None
    primary_outcome: PrimaryOutcome = field(factory=PrimaryOutcome)
    participant_flow: ParticipantFlow = field(factory=ParticipantFlow)
    baseline: Baseline | None = None
    sections: tuple[ResultsSection, ...] = ()
    truncated: bool = False
    diagnostics: tuple[Diagnostic, ...] = ()
