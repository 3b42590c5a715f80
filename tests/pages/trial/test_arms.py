"""The arm reader's test of how labels and names look."""

from __future__ import annotations

import pytest

from ctparse.pages.trial.arms import _LIST_ITEM, label_like

_STARTS = [chr(code) for code in range(0x20, 0x80)] + [
    "•",
    "\u0661",
    "\u0663",
    "é",
    "\u00a0",
    "\u2013",
]


@pytest.mark.parametrize("rest", ["", " ", ". Drug", ") Drug", "2. Drug", "\\. Drug", "1) x"])
def test_a_list_item_is_told_by_the_regular_expression_alone(rest: str) -> None:
    # Lines that start with an ASCII character no list item starts with skip the regular
    # expression: the verdict is the same as the expression's on every start.
    for start in _STARTS:
        line = start + rest
        expected = _LIST_ITEM.match(line) is None and not line.endswith((".", ":", ";", ","))
        assert label_like(line) is expected, repr(line)


def test_label_like_values() -> None:
    assert label_like("Placebo group")
    assert not label_like("* Placebo group")
    assert not label_like("1. Placebo group")
    assert not label_like("(2) Placebo group")
    assert not label_like("• Placebo group")
    assert not label_like("Patients received placebo.")
    assert not label_like("x" * 61)
    assert label_like("x" * 61, 100)
