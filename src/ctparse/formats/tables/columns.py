"""Every flat table: its name, the page kind that fills it, and its typed columns.

Names are AACT's (ClinicalTrials.gov as flat PostgreSQL tables) where AACT has the concept.
A column that holds one model field takes that field's type from ``ctparse.model.types``, the
module the JSON Schema uses too; only computed columns (ids, ``phase``, ages in years, ...)
name their type here.  A new page kind adds its tables by adding entries to ``TABLES``.
"""

from __future__ import annotations

from attrs import frozen

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
    RelatedTrial,
    Sponsor,
    Trial,
)
from ctparse.model.types import ValueType, field_value_type

__all__ = ["RUN_KIND", "TABLES", "TABLE_BY_NAME", "Column", "Table", "tables_of_kind"]

# ``type`` is a Column field name, so the class body needs another name for the builtin.
_ModelClass = type

# The kind of the tables every run writes, whatever pages it reads.
RUN_KIND = "run"


@frozen(kw_only=True)
class Column:
    """One column: its type, and for a ``*_id`` column the table whose ``id`` it holds."""

    name: str
    type: ValueType
    nullable: bool = True
    references: str | None = None
    # The model field the type was derived from, as ``(class, field name)``.
    source: tuple[_ModelClass, str] | None = None


@frozen(kw_only=True)
class Table:
    name: str
    # The page kind whose flattening fills the table (``trial``), or ``run`` for every run.
    kind: str
    columns: tuple[Column, ...]
    description: str

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def has_id(self) -> bool:
        return self.columns[0].name == "id"

    @property
    def references(self) -> tuple[tuple[int, str], ...]:
        """``(column position, referenced table)`` of every ``*_id`` column."""
        return tuple(
            (position, column.references)
            for position, column in enumerate(self.columns)
            if column.references is not None
        )


def _model(name: str, cls: type, field: str, *, nullable: bool | None = None) -> Column:
    """A column holding one model field (or the items of a tuple field), typed by the model."""
    value_type, field_nullable = field_value_type(cls, field)
    return Column(
        name=name,
        type=value_type,
        nullable=field_nullable if nullable is None else nullable,
        source=(cls, field),
    )


def _computed(name: str, value_type: ValueType, *, nullable: bool = True) -> Column:
    return Column(name=name, type=value_type, nullable=nullable)


def _id() -> Column:
    return Column(name="id", type=ValueType.INTEGER, nullable=False)


def _reference(name: str, table: str, *, nullable: bool = False) -> Column:
    return Column(name=name, type=ValueType.INTEGER, nullable=nullable, references=table)


def _nct_id() -> Column:
    return _model("nct_id", Trial, "nct_id")


def _names(table: str, cls: type, field: str, description: str) -> Table:
    """A table of one name per row: conditions, keywords, countries, other names."""
    return Table(
        name=table,
        kind="trial",
        columns=(_id(), _nct_id(), _model("name", cls, field)),
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
            _model("brief_title", Trial, "title"),
            _model("overall_status", Trial, "status"),
            # The page's string, such as PHASE1/PHASE2: one value to group by.
            _computed("phase", _STRING),
            _model("enrollment", Trial, "enrollment"),
            _model("study_type", Trial, "study_type"),
            _model("start_date", Trial, "start_date"),
            _model("completion_date", Trial, "completion_date"),
            _model("last_update_posted_date", Trial, "last_updated"),
            _model("has_results", Trial, "has_results"),
        ),
    ),
    Table(
        name="brief_summaries",
        kind="trial",
        description="The brief summary, when the page has one.",
        columns=(_nct_id(), _model("description", Trial, "brief_summary", nullable=False)),
    ),
    Table(
        name="detailed_descriptions",
        kind="trial",
        description="The detailed description, when the page has one.",
        columns=(_nct_id(), _model("description", Trial, "detailed_description", nullable=False)),
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
            _model("allocation", Design, "allocation"),
            _model("intervention_model", Design, "intervention_model"),
            _model("observational_model", Design, "observational_model"),
            _model("primary_purpose", Design, "primary_purpose"),
            _model("time_perspective", Design, "time_perspective"),
            _model("masking", Design, "masking"),
            _computed("subject_masked", ValueType.BOOLEAN),
            _computed("caregiver_masked", ValueType.BOOLEAN),
            _computed("investigator_masked", ValueType.BOOLEAN),
            _computed("outcomes_assessor_masked", ValueType.BOOLEAN),
        ),
    ),
    Table(
        name="design_groups",
        kind="trial",
        description="One row per study group (arm or cohort).",
        columns=(
            _id(),
            _nct_id(),
            _model("group_type", Arm, "type"),
            _model("title", Arm, "label"),
            _model("description", Arm, "description"),
        ),
    ),
    Table(
        name="interventions",
        kind="trial",
        description="One row per intervention, plus one per name a group lists that the "
        "Interventions section does not.",
        columns=(
            _id(),
            _nct_id(),
            _model("intervention_type", Intervention, "type"),
            _model("name", Intervention, "name"),
            _model("description", Intervention, "description"),
        ),
    ),
    Table(
        name="design_group_interventions",
        kind="trial",
        description="Which group receives which intervention.",
        columns=(
            _id(),
            _nct_id(),
            _reference("design_group_id", "design_groups"),
            _reference("intervention_id", "interventions"),
        ),
    ),
    Table(
        name="eligibilities",
        kind="trial",
        description="One row per trial page: ages as printed, as number and unit, and in years.",
        columns=(
            _nct_id(),
            _model("gender", Eligibility, "sex"),
            _computed("minimum_age", _STRING),
            _computed("maximum_age", _STRING),
            _model("healthy_volunteers", Eligibility, "healthy_volunteers"),
            _model("minimum_age_num", Age, "value", nullable=True),
            _model("minimum_age_unit", Age, "unit", nullable=True),
            _model("maximum_age_num", Age, "value", nullable=True),
            _model("maximum_age_unit", Age, "unit", nullable=True),
            _computed("minimum_age_years", ValueType.NUMBER),
            _computed("maximum_age_years", ValueType.NUMBER),
        ),
    ),
    Table(
        name="criteria",
        kind="trial",
        description="One row per criterion node; depth 1 and a null parent_id at the top.",
        columns=(
            _id(),
            _nct_id(),
            _reference("parent_id", "criteria", nullable=True),
            _computed("side", _STRING, nullable=False),
            _computed("depth", ValueType.INTEGER, nullable=False),
            _computed("position", ValueType.INTEGER, nullable=False),
            _model("text", Criterion, "text"),
        ),
    ),
    Table(
        name="sponsors",
        kind="trial",
        description="The lead sponsor and every collaborator.",
        columns=(
            _id(),
            _nct_id(),
            _model("agency_class", Sponsor, "agency_class"),
            _computed("lead_or_collaborator", _STRING, nullable=False),
            _model("name", Sponsor, "name"),
        ),
    ),
    Table(
        name="overall_officials",
        kind="trial",
        description="One row per investigator the page lists.",
        columns=(
            _id(),
            _nct_id(),
            _model("role", Investigator, "role"),
            _model("name", Investigator, "name"),
            _model("affiliation", Investigator, "affiliation"),
        ),
    ),
    Table(
        name="facilities",
        kind="trial",
        description="One row per location (site).",
        columns=(
            _id(),
            _nct_id(),
            _model("name", Location, "facility"),
            _model("city", Location, "city"),
            _model("state", Location, "state"),
            _model("country", Location, "country"),
        ),
    ),
    Table(
        name="id_information",
        kind="trial",
        description="One row per other identifier.",
        columns=(
            _id(),
            _nct_id(),
            _model("id_source", Identifier, "source"),
            _model("id_value", Identifier, "id"),
            _model("id_type", Identifier, "type"),
        ),
    ),
    Table(
        name="related_trials",
        kind="trial",
        description="Related and more related trials, in page order.",
        columns=(
            _id(),
            _nct_id(),
            _model("related_nct_id", RelatedTrial, "nct_id"),
            _model("title", RelatedTrial, "title"),
            _computed("list", _STRING, nullable=False),
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
            _id(),
            _nct_id(),
            _computed("kind", _STRING, nullable=False),
            _computed("source_path", _STRING),
            _computed("source_line", ValueType.INTEGER),
            _computed("diagnostic_count", ValueType.INTEGER, nullable=False),
        ),
    ),
    Table(
        name="diagnostics",
        kind=RUN_KIND,
        description="What a lenient parse reported about a page.",
        columns=(
            _id(),
            _reference("page_id", "pages"),
            _computed("line", ValueType.INTEGER),
            _computed("column", ValueType.INTEGER),
            _computed("code", _STRING),
            _computed("section", _STRING),
            _computed("message", _STRING, nullable=False),
        ),
    ),
    Table(
        name="errors",
        kind=RUN_KIND,
        description="Every page that could not be read.",
        columns=(
            _computed("source_path", _STRING),
            _computed("line", ValueType.INTEGER),
            _computed("column", ValueType.INTEGER),
            _computed("code", _STRING),
            _computed("message", _STRING, nullable=False),
        ),
    ),
)

TABLES: tuple[Table, ...] = (*_TRIAL_TABLES, *_RUN_TABLES)
TABLE_BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}


def tables_of_kind(kind: str) -> tuple[Table, ...]:
    return tuple(table for table in TABLES if table.kind == kind)
