"""The tables and their columns: AACT's names, and types that agree with the JSON Schema."""

from __future__ import annotations

from typing import Any

import pytest

from ctparse import (
    BaselineGroup,
    Design,
    FlowGroup,
    LifeExpectancy,
    Measurement,
    Results,
    Trial,
)
from ctparse.formats.schema import record_schema, results_record_schema
from ctparse.model.types import ValueType, field_value_type, json_type
from ctparse.tables import TABLE_BY_NAME, TABLES

TRIAL_TABLES = {
    "studies": "nct_id brief_title overall_status phase enrollment study_type start_date "
    "completion_date last_update_posted_date has_results",
    "brief_summaries": "nct_id description",
    "detailed_descriptions": "nct_id description",
    "conditions": "id nct_id name",
    "keywords": "id nct_id name",
    "countries": "id nct_id name",
    "intervention_other_names": "id nct_id name",
    "designs": "nct_id allocation intervention_model observational_model primary_purpose "
    "time_perspective masking subject_masked caregiver_masked investigator_masked "
    "outcomes_assessor_masked",
    "design_groups": "id nct_id group_type title description",
    "interventions": "id nct_id intervention_type name description",
    "design_group_interventions": "id nct_id design_group_id intervention_id",
    "eligibilities": "nct_id gender minimum_age maximum_age healthy_volunteers minimum_age_num "
    "minimum_age_unit maximum_age_num maximum_age_unit minimum_age_years maximum_age_years",
    "criteria": "id nct_id parent_id side depth position text",
    "criteria_constraints": "id nct_id criterion_id kind scale measure op value unit min max",
    "sponsors": "id nct_id agency_class lead_or_collaborator name",
    "overall_officials": "id nct_id role name affiliation",
    "facilities": "id nct_id name city state country",
    "id_information": "id nct_id id_source id_value id_type",
    "related_trials": "id nct_id related_nct_id title list",
}
RESULTS_TABLES = {
    "result_groups": "id nct_id ctgov_group_code result_type title description",
    "participant_flows": "nct_id recruitment_details pre_assignment_details units_analyzed",
    "milestones": "id nct_id result_group_id period title count",
    "drop_withdrawals": "id nct_id result_group_id period reason count",
    "baseline_counts": "id nct_id result_group_id units count",
    "baseline_measurements": "id nct_id result_group_id title category param_value "
    "param_value_num dispersion_type dispersion_value dispersion_value_num units",
    "outcomes": "id nct_id outcome_type description time_frame",
}
RUN_TABLES = {
    "pages": "id nct_id kind source_path source_line diagnostic_count",
    "diagnostics": "id page_id line column code section message",
    "errors": "source_path line column code message",
}


def test_tables_and_columns_are_the_documented_ones() -> None:
    found = {table.name: " ".join(table.column_names) for table in TABLES}
    assert found == {**TRIAL_TABLES, **RESULTS_TABLES, **RUN_TABLES}
    assert {table.name for table in TABLES if table.kind == "trial"} == set(TRIAL_TABLES)
    assert {table.name for table in TABLES if table.kind == "results"} == set(RESULTS_TABLES)
    assert {table.name for table in TABLES if table.kind == "run"} == set(RUN_TABLES)


def test_every_reference_names_a_table_with_ids() -> None:
    references = {
        (table.name, table.columns[position].name, target)
        for table in TABLES
        for position, target in table.references
    }
    assert references == {
        ("design_group_interventions", "design_group_id", "design_groups"),
        ("design_group_interventions", "intervention_id", "interventions"),
        ("criteria", "parent_id", "criteria"),
        ("criteria_constraints", "criterion_id", "criteria"),
        ("diagnostics", "page_id", "pages"),
        ("milestones", "result_group_id", "result_groups"),
        ("drop_withdrawals", "result_group_id", "result_groups"),
        ("baseline_counts", "result_group_id", "result_groups"),
        ("baseline_measurements", "result_group_id", "result_groups"),
    }
    for _, _, target in references:
        assert TABLE_BY_NAME[target].has_id
    for table in TABLES:
        for column in table.columns:
            if column.name == "id" or column.references is not None:
                assert column.type is ValueType.INTEGER
            # Every *_id column is a reference except the registry's own ids.
            if column.name.endswith("_id") and column.name not in ("nct_id", "related_nct_id"):
                assert column.references is not None, (table.name, column.name)


def test_dates_are_date_columns_only_where_always_full() -> None:
    studies = {column.name: column.type for column in TABLE_BY_NAME["studies"].columns}
    # A page may give YYYY-MM for these two, so they stay strings.
    assert studies["start_date"] is ValueType.STRING
    assert studies["completion_date"] is ValueType.STRING
    assert studies["last_update_posted_date"] is ValueType.DATE


def _schema_leaf(schema: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of one value: null taken out, references followed, arrays' items."""
    if "$ref" in schema:
        return _schema_leaf(definitions[schema["$ref"].rsplit("/", 1)[1]], definitions)
    if "anyOf" in schema:
        (option,) = [item for item in schema["anyOf"] if item != {"type": "null"}]
        return _schema_leaf(option, definitions)
    if schema.get("type") == "array":
        return _schema_leaf(schema["items"], definitions)
    leaf = {key: schema[key] for key in ("type", "format") if key in schema}
    if isinstance(leaf["type"], list):
        (leaf["type"],) = [kind for kind in leaf["type"] if kind != "null"]
    return leaf


def test_model_columns_have_the_json_schema_type_of_their_field() -> None:
    checked = set()
    for top, schema in ((Trial, record_schema()), (Results, results_record_schema())):
        definitions = schema["$defs"]
        for table in TABLES:
            for column in table.columns:
                if column.source is None:
                    continue
                cls, field = column.source
                if cls is not top and cls.__name__ not in definitions:
                    continue
                holder = schema if cls is top else definitions[cls.__name__]
                leaf = _schema_leaf(holder["properties"][field], definitions)
                assert leaf == json_type(column.type), (table.name, column.name)
                checked.add((table.name, column.name))
    # Every column typed from a field, of the trial's tables and the results page's.
    assert checked == {
        (table.name, column.name)
        for table in TABLES
        for column in table.columns
        if column.source is not None
    }
    assert len(checked) > 80


def test_group_titles_and_descriptions_have_one_type_in_both_kinds_of_group() -> None:
    for field in ("title", "description"):
        assert field_value_type(FlowGroup, field) == field_value_type(BaselineGroup, field)
    assert field_value_type(Results, "nct_id") == field_value_type(Trial, "nct_id")


def test_constraint_columns_have_one_type_for_every_kind_that_fills_them() -> None:
    # The columns are typed from Measurement; a life expectancy fills op, value and unit too.
    for field in ("op", "value", "unit"):
        measured, _ = field_value_type(Measurement, field)
        assert field_value_type(LifeExpectancy, field)[0] is measured
    columns = {column.name: column for column in TABLE_BY_NAME["criteria_constraints"].columns}
    assert columns["value"].type is ValueType.NUMBER
    assert columns["min"].type is columns["max"].type is ValueType.INTEGER
    # Each column is null for the kinds that do not have it.
    assert [name for name, column in columns.items() if not column.nullable] == [
        "id",
        "criterion_id",
        "kind",
    ]


def test_field_types_come_from_the_model() -> None:
    assert field_value_type(Trial, "enrollment") == (ValueType.INTEGER, True)
    assert field_value_type(Trial, "last_updated") == (ValueType.DATE, True)
    assert field_value_type(Trial, "status") == (ValueType.STRING, True)
    assert field_value_type(Trial, "conditions") == (ValueType.STRING, False)
    assert field_value_type(Design, "who_masked") == (ValueType.STRING, False)
    with pytest.raises(TypeError, match=r"Trial\.design is"):
        field_value_type(Trial, "design")
    with pytest.raises(KeyError, match="no field 'phase'"):
        field_value_type(Trial, "phase")
