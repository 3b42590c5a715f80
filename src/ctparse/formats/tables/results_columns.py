"""The results page's tables: groups, participant flow, baseline and the outcome it shows.

Names and columns are AACT's.  Group titles, counts and cell values take their types from the
``Results`` model (``ctparse.model.results``) through ``ctparse.model.types``, as the trial
page's tables do from ``Trial``.
"""

from __future__ import annotations

from ctparse.formats.tables.definitions import (
    Column,
    Table,
    computed_column,
    id_column,
    model_column,
    reference_column,
)
from ctparse.model import (
    BaselineCell,
    BaselineGroup,
    BaselineMeasure,
    FlowGroup,
    FlowPeriod,
    Milestone,
    ParticipantFlow,
    PrimaryOutcome,
    Results,
    Withdrawal,
)
from ctparse.model.types import ValueType

__all__ = ["RESULTS_KIND", "RESULTS_TABLES"]

# The page kind, as the ``pages`` table names it.
RESULTS_KIND = "results"


def _nct_id() -> Column:
    return model_column("nct_id", Results, "nct_id")


def _group_id() -> Column:
    # Null only for a count or cell beyond the groups the page's header gave.
    return reference_column("result_group_id", "result_groups", nullable=True)


RESULTS_TABLES: tuple[Table, ...] = (
    Table(
        name="result_groups",
        kind=RESULTS_KIND,
        description="The participant-flow groups (FG000, ...) and then the baseline groups "
        "(BG000, ..., Total last), in page order.",
        columns=(
            id_column(),
            _nct_id(),
            computed_column("ctgov_group_code", ValueType.STRING, nullable=False),
            computed_column("result_type", ValueType.STRING, nullable=False),
            model_column("title", FlowGroup, "title"),
            model_column("description", FlowGroup, "description"),
        ),
    ),
    Table(
        name="participant_flows",
        kind=RESULTS_KIND,
        description="One row per results page: the flow's prose lines and unit of analysis.",
        columns=(
            _nct_id(),
            computed_column("recruitment_details", ValueType.STRING),
            computed_column("pre_assignment_details", ValueType.STRING),
            model_column("units_analyzed", ParticipantFlow, "unit_of_analysis"),
        ),
    ),
    Table(
        name="milestones",
        kind=RESULTS_KIND,
        description="One row per milestone and group: a count of the milestones table.",
        columns=(
            id_column(),
            _nct_id(),
            _group_id(),
            model_column("period", FlowPeriod, "title"),
            model_column("title", Milestone, "type"),
            model_column("count", Milestone, "counts"),
        ),
    ),
    Table(
        name="drop_withdrawals",
        kind=RESULTS_KIND,
        description="One row per reason for withdrawal and group.",
        columns=(
            id_column(),
            _nct_id(),
            _group_id(),
            model_column("period", FlowPeriod, "title"),
            model_column("reason", Withdrawal, "reason"),
            model_column("count", Withdrawal, "counts"),
        ),
    ),
    Table(
        name="baseline_counts",
        kind=RESULTS_KIND,
        description="One row per baseline group whose header gives its n= count.",
        columns=(
            id_column(),
            _nct_id(),
            reference_column("result_group_id", "result_groups"),
            model_column("units", BaselineGroup, "units"),
            model_column("count", BaselineGroup, "count", nullable=False),
        ),
    ),
    Table(
        name="baseline_measurements",
        kind=RESULTS_KIND,
        description="One row per cell of the baseline table (measure, category and group).",
        columns=(
            id_column(),
            _nct_id(),
            _group_id(),
            model_column("title", BaselineMeasure, "title"),
            model_column("category", BaselineMeasure, "category"),
            model_column("param_value", BaselineCell, "value"),
            computed_column("param_value_num", ValueType.NUMBER),
            model_column("dispersion_type", BaselineCell, "dispersion"),
            model_column("dispersion_value", BaselineCell, "spread"),
            computed_column("dispersion_value_num", ValueType.NUMBER),
            model_column("units", BaselineCell, "unit"),
        ),
    ),
    Table(
        name="outcomes",
        kind=RESULTS_KIND,
        description="The primary outcome the Results Overview shows, when the page gives it.",
        columns=(
            id_column(),
            _nct_id(),
            computed_column("outcome_type", ValueType.STRING, nullable=False),
            model_column("description", PrimaryOutcome, "description"),
            model_column("time_frame", PrimaryOutcome, "time_frame"),
        ),
    ),
)
