"""Fixtures of the command's tests."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from support.command import run


@pytest.fixture(scope="session")
def schemas() -> tuple[jsonschema.Draft202012Validator, jsonschema.Draft202012Validator]:
    """The validators of ``ctparse schema`` and ``ctparse schema --error``, as printed."""
    here = Path.cwd()
    record = run("schema", cwd=here)
    error = run("schema", "--error", cwd=here)
    assert (record.status, error.status) == (0, 0)
    checkers = []
    for printed in (record, error):
        schema = json.loads(printed.stdout)
        jsonschema.Draft202012Validator.check_schema(schema)
        checkers.append(
            jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
        )
    return checkers[0], checkers[1]
