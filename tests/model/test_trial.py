"""The model's own behaviour: a short repr that keeps attrs equality."""

from __future__ import annotations

import attrs

import ctparse
from ctparse.model import Criterion, Eligibility, Trial
from support.paths import SEED_PAGE


def test_repr_of_a_full_trial_is_short_and_says_what_it_is() -> None:
    trial = ctparse.parse(SEED_PAGE.read_text(encoding="utf-8"))
    text = repr(trial)
    assert text.startswith("Trial(nct_id='NCT05001971', title='Anlotinib Plus")
    assert "\u2026'" in text
    assert ", status=COMPLETED, phases=PHASE2, " in text
    assert f"{len(trial.arms)} arm" in text
    assert len(text) < 200


def test_repr_of_an_empty_trial_and_counts_at_every_depth() -> None:
    assert repr(Trial()) == "Trial(nct_id=None, title=None, status=None, phases=None)"
    nested = Criterion(text="a", children=(Criterion(text="b"), Criterion(text="c")))
    trial = Trial(title="Short", eligibility=Eligibility(inclusion=(nested,)))
    assert repr(trial) == (
        "Trial(nct_id=None, title='Short', status=None, phases=None, 3 criteria)"
    )


def test_equality_and_evolve_are_the_attrs_ones() -> None:
    trial = ctparse.parse(SEED_PAGE.read_text(encoding="utf-8"))
    again = ctparse.parse(SEED_PAGE.read_text(encoding="utf-8"))
    assert trial == again and trial is not again
    assert attrs.evolve(trial, title="Other") != trial
    assert hash(trial) == hash(again)
