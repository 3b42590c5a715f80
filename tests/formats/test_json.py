"""from_dict checks what it is given: wrong types, bad enum values and unknown keys are refused
with a RecordError naming the key path; nothing is coerced."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

import ctparse
from support.paths import SEED_PAGE

Record = dict[str, Any]


def seed_record() -> Record:
    return ctparse.to_dict(ctparse.parse_file(SEED_PAGE))


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        target: Any = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


def _drop(path: tuple[Any, ...]) -> Callable[[Record], None]:
    def change(record: Record) -> None:
        target: Any = record
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return change


BAD = [
    (_set(("eligibility", "inclusion", 3, "text"), 12),
     "eligibility.inclusion[3].text: expected a string, found 12"),
    (_set(("has_results",), "false"), 'has_results: expected true or false, found "false"'),
    (_set(("conditions",), "Asthma"), 'conditions: expected a list, found "Asthma"'),
    (_set(("enrollment",), 1.7), "enrollment: expected a whole number, found 1.7"),
    (_set(("enrollment",), True), "enrollment: expected a whole number, found true"),
    (_set(("status",), "DONE"), 'status: expected one of "ACTIVE_NOT_RECRUITING", '),
    (_set(("design", "who_masked"), ["NOBODY"]),
     'design.who_masked[0]: expected one of "PARTICIPANT", '),
    (_set(("eligibility", "min_age", "unit"), "years"),
     'eligibility.min_age.unit: expected one of "YEARS", '),
    (_set(("last_updated",), "2026-02-30"),
     'last_updated: expected a date YYYY-MM-DD, found "2026-02-30"'),
    (_set(("last_updated",), "20260115"),
     'last_updated: expected a date YYYY-MM-DD, found "20260115"'),
    (_set(("arms", 0, "interventions"), None),
     "arms[0].interventions: expected a list, found null"),
    (_set(("design",), []), "design: expected an object (Design), found a list of 0"),
    (_set(("surprise",), 1), "surprise: unknown key; Trial has nct_id, title, "),
    (_set(("lead_sponsor", "klass"), "OTHER"), "lead_sponsor.klass: unknown key; Sponsor has "),
    (_drop(("arms", 0, "label")), "arms[0].label: missing (it has no default)"),
    (_set(("title",), "x" * 100), None),  # a long title is fine: the control case
]


@pytest.mark.parametrize(("change", "message"), BAD)
def test_a_value_that_does_not_fit_the_model_is_named_by_its_path(
    change: Callable[[Record], None], message: str | None
) -> None:
    record = copy.deepcopy(seed_record())
    change(record)
    if message is None:
        assert ctparse.from_dict(record).title == "x" * 100
        return
    with pytest.raises(ctparse.RecordError) as caught:
        ctparse.from_dict(record)
    assert str(caught.value).startswith(message)
    assert isinstance(caught.value, ValueError)
    assert caught.value.path == message.split(":", 1)[0]


@pytest.mark.parametrize("data", ["x", None, 3, ["nct_id"]])
def test_a_record_that_is_not_an_object_is_refused(data: Any) -> None:
    with pytest.raises(ctparse.RecordError, match=r"^the record: expected an object \(Trial\)"):
        ctparse.from_dict(data)


def test_a_long_found_value_is_cut_in_the_message() -> None:
    record = seed_record()
    record["enrollment"] = "many " * 50
    with pytest.raises(ctparse.RecordError) as caught:
        ctparse.from_dict(record)
    assert len(str(caught.value)) < 100
    assert str(caught.value).endswith("\u2026")


def test_missing_keys_take_the_model_defaults_and_the_seed_reads_back() -> None:
    assert ctparse.from_dict({"nct_id": "NCT01234567"}) == ctparse.Trial(nct_id="NCT01234567")
    trial = ctparse.parse_file(SEED_PAGE)
    assert ctparse.from_dict(ctparse.to_dict(trial)) == trial
