"""One results page to rows of the results tables (``results_columns``), ids local to the page.

Groups come first: the participant-flow groups as ``FG000``, ``FG001``, ... and then the
baseline groups as ``BG000``, ... (the ``Total`` column last), the codes the registry gives
them, in page order.  A count or cell refers to the group at its position; one beyond the
groups the page's header gave (a header the reader could not split) keeps its value with a
null ``result_group_id``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from ctparse.formats.tables.rows import RowBuilder, Rows
from ctparse.model import Baseline, BaselineGroup, FlowGroup, ParticipantFlow, Results

__all__ = ["OUTCOME_TYPE", "flatten_results", "flow_details", "registry_number"]

# The Results Overview shows the primary outcome (its time frame is labelled so).
OUTCOME_TYPE = "PRIMARY"

# A plain decimal as the registry writes values: no thousands separators, no words.
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")


def registry_number(text: str | None) -> float | None:
    """``55.1`` as 55.1; null for anything that is not one finite number (``NA``,
    ``33 to 76``, ``1e999``)."""
    if text is None or _NUMBER.fullmatch(text) is None:
        return None
    number = float(text)
    return number if math.isfinite(number) else None


def flow_details(notes: Sequence[str]) -> tuple[str | None, str | None]:
    """``(recruitment_details, pre_assignment_details)`` from the flow's prose lines.

    The page prints recruitment details, then pre-assignment details, one line each, and
    leaves out an empty one; so a single line could be either.  It is taken by position:
    the first line is recruitment details, the lines after it pre-assignment details.
    """
    if not notes:
        return None, None
    rest = "\n".join(notes[1:])
    return notes[0], rest or None


def flatten_results(results: Results) -> Rows:
    rows = RowBuilder()
    nct_id = results.nct_id
    flow = results.participant_flow
    baseline = results.baseline
    flow_ids = _groups(rows, nct_id, "FG", "participant_flow", flow.groups)
    baseline_ids = _groups(
        rows, nct_id, "BG", "baseline", () if baseline is None else baseline.groups
    )
    _flow(rows, nct_id, flow, flow_ids)
    if baseline is not None:
        _baseline(rows, nct_id, baseline, baseline_ids)
    outcome = results.primary_outcome
    if outcome.description is not None or outcome.time_frame is not None:
        rows.add(
            "outcomes",
            nct_id=nct_id,
            outcome_type=OUTCOME_TYPE,
            description=outcome.description,
            time_frame=outcome.time_frame,
        )
    return rows.rows


def _groups(
    rows: RowBuilder,
    nct_id: str | None,
    code_prefix: str,
    result_type: str,
    groups: Sequence[FlowGroup | BaselineGroup],
) -> list[int]:
    """One ``result_groups`` row per group, coded ``FG000``, ... in page order; their ids."""
    return [
        rows.add(
            "result_groups",
            nct_id=nct_id,
            ctgov_group_code=f"{code_prefix}{position:03d}",
            result_type=result_type,
            title=group.title,
            description=group.description,
        )
        for position, group in enumerate(groups)
    ]


def _group_id(group_ids: Sequence[int], position: int) -> int | None:
    return group_ids[position] if position < len(group_ids) else None


def _flow(
    rows: RowBuilder, nct_id: str | None, flow: ParticipantFlow, group_ids: Sequence[int]
) -> None:
    recruitment, pre_assignment = flow_details(flow.notes)
    rows.add(
        "participant_flows",
        nct_id=nct_id,
        recruitment_details=recruitment,
        pre_assignment_details=pre_assignment,
        units_analyzed=flow.unit_of_analysis,
    )
    for period in flow.periods:
        # A milestone row's label is its ``title`` column, a withdrawal row's its ``reason``.
        for table, label_column, labelled in (
            ("milestones", "title", [(item.type, item.counts) for item in period.milestones]),
            (
                "drop_withdrawals",
                "reason",
                [(item.reason, item.counts) for item in period.withdrawals],
            ),
        ):
            for label, counts in labelled:
                for position, count in enumerate(counts):
                    rows.add(
                        table,
                        nct_id=nct_id,
                        result_group_id=_group_id(group_ids, position),
                        period=period.title,
                        count=count,
                        **{label_column: label},
                    )


def _baseline(
    rows: RowBuilder, nct_id: str | None, baseline: Baseline, group_ids: Sequence[int]
) -> None:
    for group, group_id in zip(baseline.groups, group_ids, strict=True):
        if group.count is not None:
            rows.add(
                "baseline_counts",
                nct_id=nct_id,
                result_group_id=group_id,
                units=group.units,
                count=group.count,
            )
    for measure in baseline.measures:
        for position, cell in enumerate(measure.cells):
            rows.add(
                "baseline_measurements",
                nct_id=nct_id,
                result_group_id=_group_id(group_ids, position),
                title=measure.title,
                category=measure.category,
                param_value=cell.value,
                param_value_num=registry_number(cell.value),
                dispersion_type=cell.dispersion,
                dispersion_value=cell.spread,
                dispersion_value_num=registry_number(cell.spread),
                units=cell.unit,
            )
