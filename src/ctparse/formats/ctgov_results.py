"""Results pages and ClinicalTrials.gov API v2 records, both ways.

``results_from_ctgov`` gives the Results a scraped results page of the record would show
(RESULTS-FORMAT.md says which field each line comes from); ``to_ctgov`` writes what a
Results carries back as a v2-shaped record. Choices where the pages seen say nothing:

* The Results Overview is the first PRIMARY outcome measure (the protocol's first primary
  outcome when there is none), its lines joined with single spaces; so is its time frame.
* Flow notes are the non-blank lines of ``recruitmentDetails`` then ``preAssignmentDetails``.
* A category's row label is the category title, else the class title (a class with both
  shows the category title; the page's form for both is unknown).
* A cell's ``n=`` note: its source is unknown (real pages show numbers that are not the
  group's count); the record's baseline count of the column is used, so that rendered pages
  have the shape real ones have. A cell the record has no measurement for reads ``NA``.
* Limits (``lowerLimit``/``upperLimit``) become the spread ``«lower» to «upper»``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from ctparse.formats.ctgov import _compact, normalise_prose
from ctparse.formats.ctgov import to_ctgov as trial_to_ctgov
from ctparse.model import (
    Baseline,
    BaselineCell,
    BaselineGroup,
    BaselineMeasure,
    FlowGroup,
    FlowPeriod,
    Milestone,
    ParticipantFlow,
    Phase,
    PrimaryOutcome,
    Results,
    Status,
    Trial,
    Withdrawal,
)

__all__ = ["results_from_ctgov", "to_ctgov"]


def _get(mapping: Mapping[str, Any], *keys: str) -> Any:
    """``mapping[k1][k2]...``, or ``None`` where a level is missing."""
    value: Any = mapping
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def registry_date(text: str | None) -> datetime.date | None:
    """A full ``YYYY-MM-DD`` registry date (a month alone is no day a page can print)."""
    if text is None or len(text) != 10:
        return None
    return datetime.date.fromisoformat(text)


def _line(text: str | None) -> str | None:
    """Registry prose as one page line: its lines joined with single spaces."""
    prose = normalise_prose(text)
    return None if prose is None else " ".join(prose.split("\n"))


def results_from_ctgov(study: Mapping[str, Any]) -> Results | None:
    """The Results a results page of ``study`` shows; ``None`` without ``resultsSection``."""
    section = study.get("resultsSection")
    if not isinstance(section, Mapping):
        return None
    protocol = study.get("protocolSection") or {}
    updated = registry_date(_get(protocol, "statusModule", "lastUpdatePostDateStruct", "date"))
    status = _get(protocol, "statusModule", "overallStatus")
    count = _get(protocol, "designModule", "enrollmentInfo", "count")
    return Results(
        nct_id=_get(protocol, "identificationModule", "nctId"),
        title=_line(_get(protocol, "identificationModule", "briefTitle")),
        last_updated=updated,
        status=None if status is None else Status(status),
        phases=tuple(Phase(p) for p in _get(protocol, "designModule", "phases") or ()),
        enrollment=None if count is None else int(count),
        results_posted=updated,
        primary_outcome=_primary_outcome(protocol, section),
        participant_flow=_flow(section.get("participantFlowModule") or {}),
        baseline=_baseline(section.get("baselineCharacteristicsModule"), protocol),
    )


def _primary_outcome(protocol: Mapping[str, Any], section: Mapping[str, Any]) -> PrimaryOutcome:
    measures = _get(section, "outcomeMeasuresModule", "outcomeMeasures") or ()
    primary: Mapping[str, Any] | None = next(
        (m for m in measures if m.get("type") == "PRIMARY"), None
    )
    if primary is None:
        primary = next(iter(_get(protocol, "outcomesModule", "primaryOutcomes") or ()), {})
    return PrimaryOutcome(
        description=_line(primary.get("description")), time_frame=_line(primary.get("timeFrame"))
    )


def _flow(module: Mapping[str, Any]) -> ParticipantFlow:
    groups = module.get("groups") or ()
    ids = [group.get("id") for group in groups]
    notes: list[str] = []
    for name in ("recruitmentDetails", "preAssignmentDetails"):
        prose = normalise_prose(module.get(name))
        notes += prose.split("\n") if prose else []
    periods = []
    reported = False
    for period in module.get("periods") or ():
        withdrawals = tuple(
            Withdrawal(
                reason=_line(item.get("type")) or "", counts=_counts(item.get("reasons"), ids)
            )
            for item in period.get("dropWithdraws") or ()
        )
        reported = reported or bool(withdrawals)
        milestones = tuple(
            Milestone(
                type=_line(item.get("type")) or "", counts=_counts(item.get("achievements"), ids)
            )
            for item in period.get("milestones") or ()
        )
        periods.append(
            FlowPeriod(
                title=_line(period.get("title")) or "",
                milestones=milestones,
                withdrawals=withdrawals,
            )
        )
    return ParticipantFlow(
        notes=tuple(notes),
        unit_of_analysis=_line(module.get("typeUnitsAnalyzed")),
        groups=tuple(
            FlowGroup(
                title=_line(g.get("title")) or "", description=normalise_prose(g.get("description"))
            )
            for g in groups
        ),
        periods=tuple(periods),
        withdrawals_reported=reported,
    )


def _counts(items: Iterable[Mapping[str, Any]] | None, ids: list[Any]) -> tuple[int, ...]:
    by_group = {item.get("groupId"): item.get("numSubjects") for item in items or ()}
    return tuple(int(by_group.get(group) or 0) for group in ids)


def _baseline(module: Mapping[str, Any] | None, protocol: Mapping[str, Any]) -> Baseline | None:
    if not isinstance(module, Mapping):
        return None
    groups = module.get("groups") or ()
    ids = [group.get("id") for group in groups]
    denoms: Mapping[str, Any] = next(iter(module.get("denoms") or ()), {})
    units = denoms.get("units")
    counts = {item.get("groupId"): item.get("value") for item in denoms.get("counts") or ()}
    notes = {g: None if counts.get(g) is None else f"n={counts[g]} {units}" for g in ids}
    measures = []
    for measure in module.get("measures") or ():
        for group_class in measure.get("classes") or ():
            for category in group_class.get("categories") or ():
                label = _line(category.get("title")) or _line(group_class.get("title"))
                cells = _cells(measure, category.get("measurements") or (), ids, notes)
                measures.append(
                    BaselineMeasure(
                        title=_line(measure.get("title")) or "", category=label, cells=cells
                    )
                )
    population = _line(module.get("populationDescription"))
    brief_title = _line(_get(protocol, "identificationModule", "briefTitle"))
    return Baseline(
        population=None if population == brief_title else population,
        groups=tuple(
            BaselineGroup(
                title=_line(group.get("title")) or "",
                count=None if counts.get(group.get("id")) is None else int(counts[group.get("id")]),
                units=units if counts.get(group.get("id")) is not None else None,
                description=normalise_prose(group.get("description")),
            )
            for group in groups
        ),
        measures=tuple(measures),
    )


def _cells(
    measure: Mapping[str, Any],
    measurements: Iterable[Mapping[str, Any]],
    ids: list[Any],
    notes: Mapping[Any, str | None],
) -> tuple[BaselineCell, ...]:
    by_group = {item.get("groupId"): item for item in measurements}
    cells = []
    for group in ids:
        item = by_group.get(group, {})
        spread = item.get("spread")
        if spread is None and item.get("lowerLimit") is not None:
            spread = f"{item.get('lowerLimit')} to {item.get('upperLimit')}"
        cells.append(
            BaselineCell(
                value=item.get("value") or "NA",
                unit=_line(measure.get("unitOfMeasure")) if item.get("value") else None,
                dispersion=measure.get("dispersionType") if spread is not None else None,
                spread=spread,
                note=notes.get(group),
            )
        )
    return tuple(cells)


# ---------------------------------------------------------------- back to a record


def to_ctgov(record: Results | Trial) -> dict[str, Any]:
    """A v2-shaped record of what a Results (or a Trial: ``formats.ctgov.to_ctgov``) carries:
    ``protocolSection`` with the header and key facts, ``resultsSection`` with the flow, the
    baseline and the primary outcome; nothing invented, absent values left out."""
    if isinstance(record, Trial):
        return trial_to_ctgov(record)
    results = record
    updated = None if results.last_updated is None else results.last_updated.isoformat()
    protocol = {
        "identificationModule": {"nctId": results.nct_id, "briefTitle": results.title},
        "statusModule": {
            "overallStatus": None if results.status is None else results.status.value,
            "lastUpdatePostDateStruct": {"date": updated},
        },
        "designModule": {
            "phases": [phase.value for phase in results.phases],
            "enrollmentInfo": {"count": results.enrollment},
        },
    }
    outcome = results.primary_outcome
    section = {
        "participantFlowModule": _flow_module(results.participant_flow),
        "baselineCharacteristicsModule": _baseline_module(results.baseline),
        "outcomeMeasuresModule": {
            "outcomeMeasures": [
                {
                    "type": "PRIMARY",
                    "description": outcome.description,
                    "timeFrame": outcome.time_frame,
                }
            ]
            if outcome.description is not None or outcome.time_frame is not None
            else []
        },
    }
    return _compact({"protocolSection": protocol, "resultsSection": section})


def _flow_module(flow: ParticipantFlow) -> dict[str, Any]:
    ids = [f"FG{index:03d}" for index in range(len(flow.groups))]
    notes = list(flow.notes)
    return {
        # One note cannot be told apart; the first is taken as recruitment details.
        "recruitmentDetails": notes[0] if notes else None,
        "preAssignmentDetails": "\n".join(notes[1:]) or None,
        "typeUnitsAnalyzed": flow.unit_of_analysis,
        "groups": [
            {"id": gid, "title": g.title, "description": g.description}
            for gid, g in zip(ids, flow.groups, strict=True)
        ],
        "periods": [
            {
                "title": period.title,
                "milestones": [
                    {"type": m.type, "achievements": _per_group(ids, m.counts, "numSubjects")}
                    for m in period.milestones
                ],
                "dropWithdraws": [
                    {"type": w.reason, "reasons": _per_group(ids, w.counts, "numSubjects")}
                    for w in period.withdrawals
                ],
            }
            for period in flow.periods
        ],
    }


def _per_group(ids: list[str], values: Iterable[Any], key: str) -> list[dict[str, Any]]:
    return [{"groupId": gid, key: str(value)} for gid, value in zip(ids, values, strict=False)]


def _baseline_module(baseline: Baseline | None) -> dict[str, Any] | None:
    if baseline is None:
        return None
    ids = [f"BG{index:03d}" for index in range(len(baseline.groups))]
    units = next((g.units for g in baseline.groups if g.units), None)
    return {
        "populationDescription": baseline.population,
        "groups": [
            {"id": gid, "title": g.title, "description": g.description}
            for gid, g in zip(ids, baseline.groups, strict=True)
        ],
        "denoms": [
            {
                "units": units,
                "counts": [
                    {"groupId": gid, "value": str(g.count)}
                    for gid, g in zip(ids, baseline.groups, strict=True)
                    if g.count is not None
                ],
            }
        ]
        if units
        else [],
        "measures": [_measure_dict(ids, m) for m in baseline.measures],
    }


def _measure_dict(ids: list[str], measure: BaselineMeasure) -> dict[str, Any]:
    unit = next((c.unit for c in measure.cells if c.unit), None)
    dispersion = next((c.dispersion for c in measure.cells if c.dispersion), None)
    return {
        "title": measure.title,
        "unitOfMeasure": unit,
        "dispersionType": dispersion,
        "classes": [
            {
                "categories": [
                    {
                        "title": measure.category,
                        "measurements": [
                            {"groupId": gid, "value": cell.value, "spread": cell.spread}
                            for gid, cell in zip(ids, measure.cells, strict=False)
                        ],
                    }
                ]
            }
        ],
    }
