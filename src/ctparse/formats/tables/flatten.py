"""One page to rows per table: pure, picklable output, ids local to the page.

``flatten(page)`` (a ``Trial`` or a ``Results``) returns ``{table name: [row, ...]}`` with
each row a tuple in the order of the table's columns (``columns.TABLES``).  ``id`` columns
count from 1 within the page and every ``*_id`` column holds such a page-local id;
``TablesWriter`` adds the running offsets, so flattening can run in worker processes and only
renumbering happens in the writer.  The trial page's rows are made here, the results page's
in ``results_rows``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, assert_never

from ctparse.formats.ctgov import age_text
from ctparse.formats.tables.results_columns import RESULTS_KIND
from ctparse.formats.tables.results_rows import flatten_results
from ctparse.formats.tables.rows import RowBuilder, Rows, Value, enum_text
from ctparse.model import (
    Age,
    AgeUnit,
    Arm,
    Constraint,
    Criterion,
    Intervention,
    LifeExpectancy,
    Measurement,
    PerformanceStatus,
    Results,
    Trial,
    WhoMasked,
)

__all__ = ["AGE_UNITS_PER_YEAR", "Rows", "Value", "age_years", "flatten", "page_kind"]

# How many of each unit make a year: a year is 365.25 days, a month a twelfth of it.
AGE_UNITS_PER_YEAR: dict[AgeUnit, float] = {
    AgeUnit.YEARS: 1.0,
    AgeUnit.MONTHS: 12.0,
    AgeUnit.WEEKS: 52.1775,
    AgeUnit.DAYS: 365.25,
    AgeUnit.HOURS: 8766.0,
    AgeUnit.MINUTES: 525960.0,
}


def age_years(age: Age | None) -> float | None:
    """The age in years: ``6 Months`` is 0.5."""
    return None if age is None else age.value / AGE_UNITS_PER_YEAR[age.unit]


def flatten_trial(trial: Trial) -> Rows:
    rows = RowBuilder()
    nct_id = trial.nct_id
    rows.add(
        "studies",
        nct_id=nct_id,
        brief_title=trial.title,
        overall_status=enum_text(trial.status),
        phase="/".join(phase.value for phase in trial.phases) or None,
        enrollment=trial.enrollment,
        study_type=enum_text(trial.study_type),
        start_date=trial.start_date,
        completion_date=trial.completion_date,
        last_update_posted_date=trial.last_updated,
        has_results=trial.has_results,
    )
    if trial.brief_summary is not None:
        rows.add("brief_summaries", nct_id=nct_id, description=trial.brief_summary)
    if trial.detailed_description is not None:
        rows.add("detailed_descriptions", nct_id=nct_id, description=trial.detailed_description)
    for table_name, names in (
        ("conditions", trial.conditions),
        ("keywords", trial.keywords),
        ("countries", trial.countries),
        ("intervention_other_names", trial.other_intervention_names),
    ):
        for name in names:
            rows.add(table_name, nct_id=nct_id, name=name)
    _design(rows, trial)
    _groups(rows, nct_id, trial.arms, trial.interventions)
    _eligibility(rows, trial)
    _people(rows, trial)
    return rows.rows


def _design(rows: RowBuilder, trial: Trial) -> None:
    design = trial.design
    known = design.masking is not None or bool(design.who_masked)

    def masked(who: WhoMasked) -> bool | None:
        return (who in design.who_masked) if known else None

    rows.add(
        "designs",
        nct_id=trial.nct_id,
        allocation=enum_text(design.allocation),
        intervention_model=enum_text(design.intervention_model),
        observational_model=enum_text(design.observational_model),
        primary_purpose=enum_text(design.primary_purpose),
        time_perspective=enum_text(design.time_perspective),
        masking=enum_text(design.masking),
        subject_masked=masked(WhoMasked.PARTICIPANT),
        caregiver_masked=masked(WhoMasked.CARE_PROVIDER),
        investigator_masked=masked(WhoMasked.INVESTIGATOR),
        outcomes_assessor_masked=masked(WhoMasked.OUTCOMES_ASSESSOR),
    )


def _groups(
    rows: RowBuilder,
    nct_id: str | None,
    arms: Iterable[Arm],
    interventions: Iterable[Intervention],
) -> None:
    """Groups, interventions and the links between them, matched by intervention name.

    A group names its interventions; the first intervention of that name is the one linked.
    A name no intervention has becomes an intervention row of its own (name only), so that
    no link a page prints is lost and every link refers to a row.
    """
    by_name: dict[str, int] = {}
    for item in interventions:
        local_id = rows.add(
            "interventions",
            nct_id=nct_id,
            intervention_type=enum_text(item.type),
            name=item.name,
            description=item.description,
        )
        by_name.setdefault(item.name, local_id)
    for arm in arms:
        group_id = rows.add(
            "design_groups",
            nct_id=nct_id,
            group_type=enum_text(arm.type),
            title=arm.label,
            description=arm.description,
        )
        for name in dict.fromkeys(arm.interventions):
            if name not in by_name:
                by_name[name] = rows.add(
                    "interventions",
                    nct_id=nct_id,
                    intervention_type=None,
                    name=name,
                    description=None,
                )
            rows.add(
                "design_group_interventions",
                nct_id=nct_id,
                design_group_id=group_id,
                intervention_id=by_name[name],
            )


def _eligibility(rows: RowBuilder, trial: Trial) -> None:
    eligibility = trial.eligibility
    low, high = eligibility.min_age, eligibility.max_age
    rows.add(
        "eligibilities",
        nct_id=trial.nct_id,
        gender=enum_text(eligibility.sex),
        minimum_age=None if low is None else age_text(low),
        maximum_age=None if high is None else age_text(high),
        healthy_volunteers=eligibility.healthy_volunteers,
        minimum_age_num=None if low is None else low.value,
        minimum_age_unit=None if low is None else enum_text(low.unit),
        maximum_age_num=None if high is None else high.value,
        maximum_age_unit=None if high is None else enum_text(high.unit),
        minimum_age_years=age_years(low),
        maximum_age_years=age_years(high),
    )
    for side, criteria in (
        ("inclusion", eligibility.inclusion),
        ("exclusion", eligibility.exclusion),
        ("other", eligibility.other),
    ):
        _criteria(rows, trial.nct_id, side, criteria)


def _criteria(
    rows: RowBuilder, nct_id: str | None, side: str, criteria: tuple[Criterion, ...]
) -> None:
    """Criterion nodes in document order (a parent before its children), without recursion."""
    no_parent: int | None = None
    stack = [(criterion, no_parent, 1, position) for position, criterion in enumerate(criteria, 1)]
    stack.reverse()
    while stack:
        criterion, parent_id, depth, position = stack.pop()
        local_id = rows.add(
            "criteria",
            nct_id=nct_id,
            parent_id=parent_id,
            side=side,
            depth=depth,
            position=position,
            text=criterion.text,
        )
        for constraint in criterion.constraints:
            rows.add(
                "criteria_constraints",
                nct_id=nct_id,
                criterion_id=local_id,
                kind=constraint.kind,
                **constraint_values(constraint),
            )
        stack.extend(
            (child, local_id, depth + 1, child_position)
            for child_position, child in reversed(list(enumerate(criterion.children, 1)))
        )


_NO_CONSTRAINT_VALUES: dict[str, Value] = dict.fromkeys(
    ("scale", "measure", "op", "value", "unit", "min", "max")
)


def constraint_values(constraint: Constraint) -> dict[str, Value]:
    """The columns of ``criteria_constraints`` a constraint fills; the others stay null.

    ``value`` is always a float (the model keeps 1500 an int when the text writes no
    fraction), so that a column holds one type in every output.
    """
    values = dict(_NO_CONSTRAINT_VALUES)
    if isinstance(constraint, PerformanceStatus):
        values.update(scale=enum_text(constraint.scale), min=constraint.min, max=constraint.max)
    elif isinstance(constraint, Measurement):
        values.update(
            measure=enum_text(constraint.measure),
            op=enum_text(constraint.op),
            value=float(constraint.value),
            unit=constraint.unit,
        )
    elif isinstance(constraint, LifeExpectancy):
        values.update(
            op=enum_text(constraint.op),
            value=float(constraint.value),
            unit=enum_text(constraint.unit),
        )
    else:
        # A new kind of constraint needs its columns here (mypy checks that none is missed).
        assert_never(constraint)
    return values


def _people(rows: RowBuilder, trial: Trial) -> None:
    nct_id = trial.nct_id
    sponsors = [] if trial.lead_sponsor is None else [("lead", trial.lead_sponsor)]
    sponsors += [("collaborator", sponsor) for sponsor in trial.collaborators]
    for role, sponsor in sponsors:
        rows.add(
            "sponsors",
            nct_id=nct_id,
            agency_class=enum_text(sponsor.agency_class),
            lead_or_collaborator=role,
            name=sponsor.name,
        )
    for person in trial.investigators:
        rows.add(
            "overall_officials",
            nct_id=nct_id,
            role=enum_text(person.role),
            name=person.name,
            affiliation=person.affiliation,
        )
    for site in trial.locations:
        rows.add(
            "facilities",
            nct_id=nct_id,
            name=site.facility,
            city=site.city,
            state=site.state,
            country=site.country,
        )
    for identifier in trial.identifiers:
        rows.add(
            "id_information",
            nct_id=nct_id,
            id_source=identifier.source,
            id_value=identifier.id,
            id_type=enum_text(identifier.type),
        )
    for list_name, related in (
        ("related", trial.related_trials),
        ("more_related", trial.more_related_trials),
    ):
        for item in related:
            rows.add(
                "related_trials",
                nct_id=nct_id,
                related_nct_id=item.nct_id,
                title=item.title,
                list=list_name,
            )


# Each page kind: its model class, its name in the ``pages`` table, and its flattener.
# A new page kind adds one entry here and its tables in ``columns.TABLES``.
_KINDS: tuple[tuple[type, str, Callable[[Any], Rows]], ...] = (
    (Trial, "trial", flatten_trial),
    (Results, RESULTS_KIND, flatten_results),
)


def _kind_of(page: object) -> tuple[str, Callable[[Any], Rows]]:
    for cls, kind, flattener in _KINDS:
        if isinstance(page, cls):
            return kind, flattener
    raise TypeError(f"no flat tables for {type(page).__name__}: expected a Trial or Results")


def page_kind(page: object) -> str:
    """The page's kind as the ``pages`` table names it (``trial`` or ``results``)."""
    return _kind_of(page)[0]


def flatten(page: object) -> Rows:
    """The rows one page gives, per table, with page-local ids (see the module docstring)."""
    return _kind_of(page)[1](page)
