"""Every flat table: its name, the page kind that fills it, and its typed columns.

Names are AACT's (ClinicalTrials.gov as flat PostgreSQL tables) where AACT has the concept.
A column that holds one model field takes that field's type from ``ctparse.model.types``, the
module the JSON Schema uses too; only computed columns (ids, ``phase``, ages in years, ...)
name their type here.  The trial page's tables and the tables of every run are here, the
results page's in ``results_columns``; a new page kind adds its tables to ``TABLES``.
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
from ctparse.formats.tables.results_columns import RESULTS_TABLES
from ctparse.model import (
    Age,
    Arm,
    Criterion,
    Design,
    Eligibility,
    Identifier,
    Intervention,
    Investigator,
    Location,
    Measurement,
    PerformanceStatus,
    RelatedTrial,
    Sponsor,
    Trial,
)
from ctparse.model.types import ValueType

__all__ = ["RUN_KIND", "TABLES", "TABLE_BY_NAME", "Column", "Table", "tables_of_kind"]

# The kind of the tables every run writes, whatever pages it reads.
RUN_KIND = "run"


def _nct_id() -> Column:
    return model_column("nct_id", Trial, "nct_id")


def _names(table: str, cls: type, field: str, description: str) -> Table:
    """A table of one name per row: conditions, keywords, countries, other names."""
    return Table(
        name=table,
        kind="trial",
        columns=(id_column(), _nct_id(), model_column("name", cls, field)),
        description=description,
    )


_STRING = ValueType.STRING

_TRIAL_TABLES = (
    Table(
        name="studies",
        kind="trial",
        description="One row per trial page.",
        columns=(
            _nct_id(),
            model_column("brief_title", Trial, "title"),
            model_column("overall_status", Trial, "status"),
            # The page's string, such as PHASE1/PHASE2: one value to group by.
            computed_column("phase", _STRING),
            model_column("enrollment", Trial, "enrollment"),
            model_column("study_type", Trial, "study_type"),
            model_column("start_date", Trial, "start_date"),
            model_column("completion_date", Trial, "completion_date"),
            model_column("last_update_posted_date", Trial, "last_updated"),
            model_column("has_results", Trial, "has_results"),
        ),
    ),
    Table(
        name="brief_summaries",
        kind="trial",
        description="The brief summary, when the page has one.",
        columns=(_nct_id(), model_column("description", Trial, "brief_summary", nullable=False)),
    ),
    Table(
        name="detailed_descriptions",
        kind="trial",
        description="The detailed description, when the page has one.",
        columns=(
            _nct_id(),
            model_column("description", Trial, "detailed_description", nullable=False),
        ),
    ),
    _names("conditions", Trial, "conditions", "One row per condition."),
    _names("keywords", Trial, "keywords", "One row per keyword."),
    _names("countries", Trial, "countries", "One row per country the page lists."),
    _names(
        "intervention_other_names",
        Trial,
        "other_intervention_names",
        "One row per other intervention name (the page lists them for the trial as a whole).",
    ),
    Table(
        name="designs",
        kind="trial",
        description="One row per trial page; the *_masked flags are null when the page gives "
        "no masking.",
        columns=(
            _nct_id(),
            model_column("allocation", Design, "allocation"),
            model_column("intervention_model", Design, "intervention_model"),
            model_column("observational_model", Design, "observational_model"),
            model_column("primary_purpose", Design, "primary_purpose"),
            model_column("time_perspective", Design, "time_perspective"),
            model_column("masking", Design, "masking"),
            computed_column("subject_masked", ValueType.BOOLEAN),
            computed_column("caregiver_masked", ValueType.BOOLEAN),
            computed_column("investigator_masked", ValueType.BOOLEAN),
            computed_column("outcomes_assessor_masked", ValueType.BOOLEAN),
        ),
    ),
    Table(
        name="design_groups",
        kind="trial",
        description="One row per study group (arm or cohort).",
        columns=(
            id_column(),
            _nct_id(),
            model_column("group_type", Arm, "type"),
            model_column("title", Arm, "label"),
            model_column("description", Arm, "description"),
        ),
    ),
    Table(
        name="interventions",
        kind="trial",
        description="One row per intervention, plus one per name a group lists that the "
        "Interventions section does not.",
        columns=(
            id_column(),
            _nct_id(),
            model_column("intervention_type", Intervention, "type"),
            model_column("name", Intervention, "name"),
            model_column("description", Intervention, "description"),
        ),
    ),
    Table(
        name="design_group_interventions",
        kind="trial",
        description="Which group receives which intervention.",
        columns=(
            id_column(),
            _nct_id(),
            reference_column("design_group_id", "design_groups"),
            reference_column("intervention_id", "interventions"),
        ),
    ),
    Table(
        name="eligibilities",
        kind="trial",
        description="One row per trial page: ages as printed, as number and unit, and in years.",
        columns=(
            _nct_id(),
            model_column("gender", Eligibility, "sex"),
            computed_column("minimum_age", _STRING),
            computed_column("maximum_age", _STRING),
            model_column("healthy_volunteers", Eligibility, "healthy_volunteers"),
            model_column("minimum_age_num", Age, "value", nullable=True),
            model_column("minimum_age_unit", Age, "unit", nullable=True),
            model_column("maximum_age_num", Age, "value", nullable=True),
            model_column("maximum_age_unit", Age, "unit", nullable=True),
            computed_column("minimum_age_years", ValueType.NUMBER),
            computed_column("maximum_age_years", ValueType.NUMBER),
        ),
    ),
    Table(
        name="criteria",
        kind="trial",
        description="One row per criterion node; depth 1 and a null parent_id at the top.",
        columns=(
            id_column(),
            _nct_id(),
            reference_column("parent_id", "criteria", nullable=True),
            computed_column("side", _STRING, nullable=False),
            computed_column("depth", ValueType.INTEGER, nullable=False),
            computed_column("position", ValueType.INTEGER, nullable=False),
            model_column("text", Criterion, "text"),
        ),
    ),
    Table(
        name="criteria_constraints",
        kind="trial",
        description="One row per constraint of a criterion node: a performance status range "
        "(scale, min, max), a measurement threshold (measure, op, value, unit) or a life "
        "expectancy (op, value, unit).",
        columns=(
            id_column(),
            _nct_id(),
            reference_column("criterion_id", "criteria"),
            computed_column("kind", ValueType.STRING, nullable=False),
            model_column("scale", PerformanceStatus, "scale"),
            model_column("measure", Measurement, "measure", nullable=True),
            model_column("op", Measurement, "op", nullable=True),
            model_column("value", Measurement, "value", nullable=True),
            model_column("unit", Measurement, "unit"),
            model_column("min", PerformanceStatus, "min", nullable=True),
            model_column("max", PerformanceStatus, "max", nullable=True),
        ),
    ),
    Table(
        name="sponsors",
        kind="trial",
        description="The lead sponsor and every collaborator.",
        columns=(
            id_column(),
            _nct_id(),
            model_column("agency_class", Sponsor, "agency_class"),
            computed_column("lead_or_collaborator", _STRING, nullable=False),
            model_column("name", Sponsor, "name"),
        ),
    ),
    Table(
        name="overall_officials",
        kind="trial",
        description="One row per investigator the page lists.",
        columns=(
            id_column(),
            _nct_id(),
            model_column("role", Investigator, "role"),
            model_column("name", Investigator, "name"),
            model_column("affiliation", Investigator, "affiliation"),
        ),
    ),
    Table(
        name="facilities",
        kind="trial",
        description="One row per location (site).",
        columns=(
            id_column(),
            _nct_id(),
            model_column("name", Location, "facility"),
            model_column("city", Location, "city"),
            model_column("state", Location, "state"),
            model_column("country", Location, "country"),
        ),
    ),
    Table(
        name="id_information",
        kind="trial",
        description="One row per other identifier.",
        columns=(
            id_column(),
            _nct_id(),
            model_column("id_source", Identifier, "source"),
            model_column("id_value", Identifier, "id"),
            model_column("id_type", Identifier, "type"),
        ),
    ),
    Table(
        name="related_trials",
        kind="trial",
        description="Related and more related trials, in page order.",
        columns=(
            id_column(),
            _nct_id(),
            model_column("related_nct_id", RelatedTrial, "nct_id"),
            model_column("title", RelatedTrial, "title"),
            computed_column("list", _STRING, nullable=False),
        ),
    ),
)

_RUN_TABLES = (
    Table(
        name="pages",
        kind=RUN_KIND,
        description="Every page read, in input order: duplicates and both kinds of one trial "
        "stay visible.",
        columns=(
            id_column(),
            _nct_id(),
            computed_column("kind", _STRING, nullable=False),
            computed_column("source_path", _STRING),
            computed_column("source_line", ValueType.INTEGER),
            computed_column("diagnostic_count", ValueType.INTEGER, nullable=False),
        ),
    ),
    Table(
        name="diagnostics",
        kind=RUN_KIND,
        description="What a lenient parse reported about a page.",
        columns=(
            id_column(),
            reference_column("page_id", "pages"),
            computed_column("line", ValueType.INTEGER),
            computed_column("column", ValueType.INTEGER),
            computed_column("code", _STRING),
            computed_column("section", _STRING),
            computed_column("message", _STRING, nullable=False),
        ),
    ),
    Table(
        name="errors",
        kind=RUN_KIND,
        description="Every page that could not be read.",
        columns=(
            computed_column("source_path", _STRING),
            computed_column("line", ValueType.INTEGER),
            computed_column("column", ValueType.INTEGER),
            computed_column("code", _STRING),
            computed_column("message", _STRING, nullable=False),
        ),
    ),
)

TABLES: tuple[Table, ...] = (*_TRIAL_TABLES, *RESULTS_TABLES, *_RUN_TABLES)
TABLE_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def tables_of_kind(kind: str) -> tuple[Table, ...]:
    return tuple(table for table in TABLES if table.kind == kind)
