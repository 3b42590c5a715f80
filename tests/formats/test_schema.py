"""The JSON Schema of an output record follows the attrs model and accepts every golden file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from attrs import frozen

from ctparse import Status, Trial
from ctparse.formats.schema import _Builder, error_schema, record_schema
from support.golden import pages
from support.paths import FIXTURES, SEED_EXPECTED

# The seed page's expectation as shipped: the copy in ../shared has no "constraints" lists.
GOLDEN = [page.with_suffix(".json") for page in pages()] + [SEED_EXPECTED]


def validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def golden_record() -> dict[str, Any]:
    record: dict[str, Any] = json.loads(
        (FIXTURES / "valid" / "NCT05001971.json").read_text(encoding="utf-8")
    )
    return record


def test_the_schema_is_draft_2020_12() -> None:
    schema = record_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator(schema)


def test_keys_are_the_model_fields_in_order_plus_source() -> None:
    schema = record_schema()
    fields = [field.name for field in attrs.fields(Trial)]
    assert list(schema["properties"]) == ["source", *fields]
    # Every Trial key is always written; the pretty single Trial has no source.
    assert schema["required"] == fields
    assert schema["additionalProperties"] is False
    assert schema["$defs"]["Source"]["required"] == ["path", "line"]


def test_enums_and_nullable_values_come_from_the_model() -> None:
    schema = record_schema()
    assert schema["$defs"]["Status"]["enum"] == [member.value for member in Status]
    assert schema["properties"]["status"] == {
        "anyOf": [{"$ref": "#/$defs/Status"}, {"type": "null"}]
    }
    assert schema["properties"]["enrollment"] == {"type": ["integer", "null"]}
    assert schema["properties"]["last_updated"] == {"type": ["string", "null"], "format": "date"}
    assert schema["properties"]["phases"] == {"type": "array", "items": {"$ref": "#/$defs/Phase"}}
    # A criterion holds criteria: the definition refers to itself.
    assert schema["$defs"]["Criterion"]["properties"]["children"] == {
        "type": "array",
        "items": {"$ref": "#/$defs/Criterion"},
    }


@pytest.mark.parametrize("path", GOLDEN, ids=lambda path: f"{path.parent.name}/{path.name}")
def test_every_golden_json_validates(path: Path) -> None:
    record = json.loads(path.read_text(encoding="utf-8"))
    assert list(validator(record_schema()).iter_errors(record)) == []


def test_golden_files_are_present() -> None:
    assert len(GOLDEN) >= 3
    assert FIXTURES / "valid" / "NCT05001971.json" in GOLDEN


def test_a_record_with_source_validates_and_mistakes_do_not() -> None:
    check = validator(record_schema())
    record = {"source": {"path": "dump.txt", "line": 118}, **golden_record()}
    assert list(check.iter_errors(record)) == []
    wrong = [
        {**record, "extra": 1},
        {key: value for key, value in record.items() if key != "countries"},
        {**record, "status": "FINISHED"},
        {**record, "last_updated": "15 January 2026"},
        {**record, "source": {"path": "dump.txt", "line": 0}},
        {**record, "enrollment": "65"},
    ]
    assert [len(list(check.iter_errors(item))) for item in wrong] == [1, 1, 1, 1, 1, 1]


def test_error_records_have_their_own_schema() -> None:
    check = validator(error_schema())
    error = {
        "kind": "trial",
        "source": {"path": "pages/a.txt", "line": 1},
        "line": 95,
        "column": 1,
        "code": "misplaced_line",
        "message": "Sponsors: expected an agency class such as INDUSTRY or OTHER",
    }
    assert list(check.iter_errors(error)) == []
    without_code = {key: value for key, value in error.items() if key != "code"}
    assert len(list(check.iter_errors(without_code))) == 1
    assert len(list(check.iter_errors({**error, "nct_id": None}))) == 1
    assert len(list(validator(record_schema()).iter_errors(error))) > 0
    # A text that is no page has no kind; a kind that does not exist is refused.
    assert list(check.iter_errors({**error, "kind": None})) == []
    assert len(list(check.iter_errors({**error, "kind": "other"}))) == 1


def test_a_field_type_the_schema_does_not_know_fails_loudly() -> None:
    @frozen(kw_only=True)
    class Odd:
        scores: dict[str, int]

    with pytest.raises(TypeError, match="no JSON Schema for dict"):
        _Builder().object_schema(Odd)
