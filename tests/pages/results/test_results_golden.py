"""Every shared results excerpt parses to its expected JSON (written by reading the page);
the strict read fails as recorded; the shipped copies are the shared evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import ctparse
from support.golden import expected_of, results_pages
from support.paths import FIXTURES, SHARED, require_shared

PAGES = results_pages()


def test_every_shared_results_excerpt_is_a_golden_pair() -> None:
    names = {page.name for page in PAGES}
    assert len(names) == 14
    assert all(page.with_suffix(".json").exists() for page in PAGES)
    require_shared()
    shared = {p.name for p in (SHARED / "pages" / "real").glob("*_results*.txt")}
    assert names == shared
    for page in PAGES:
        assert page.read_bytes() == (SHARED / "pages" / "real" / page.name).read_bytes()


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_lenient_parse_matches_golden(page: Path) -> None:
    expected, _ = expected_of(page)
    results = ctparse.parse_file(page, lenient=True, kind="results")
    assert ctparse.to_dict(results) == expected
    assert ctparse.parse_file(page, lenient=True, kind="auto") == results


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_strict_parse_fails_at_the_cut_as_recorded(page: Path) -> None:
    _, error = expected_of(page)
    assert error is not None, "every excerpt is cut, so the strict read fails"
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse_file(page, kind="results")
    assert str(caught.value) == error
    assert caught.value.code == ctparse.DiagnosticCode.CUT_OFF
    assert tuple(caught.value.diagnostics) == ctparse.parse_file(
        page, lenient=True, kind="results"
    ).diagnostics


def _golden(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (FIXTURES / "results" / f"{name}.json").read_text(encoding="utf-8")
    )
    return data


def test_values_read_off_the_pages() -> None:
    # A few values checked here by hand, beside the golden files.
    heart = _golden("NCT00382863_results")
    assert heart["title"] == (
        "Prospective Evaluation of Elastic Restraint to LESSen the Effects of Heart Failure "
        "(PEERLESS-HF) Trial"
    )
    assert heart["phases"] == ["PHASE2", "PHASE3"]
    assert heart["results_posted"] == heart["last_updated"] == "2012-07-13"
    flow = heart["participant_flow"]
    assert isinstance(flow, dict)
    counts = [m["counts"] for m in flow["periods"][0]["milestones"]]
    assert counts == [[96, 114], [81, 78], [15, 36]]
    assert flow["periods"][0]["withdrawals"][-1] == {
        "reason": "Withdrawal by Subject",
        "counts": [5, 25],
    }
    baseline = heart["baseline"]
    assert isinstance(baseline, dict)
    assert baseline["population"] is None  # the brief title again
    assert [g["count"] for g in baseline["groups"]] == [96, 114, 210]
    assert baseline["measures"] == []  # the only row is cut inside its first cell
    iron = _golden("NCT04253626_results")
    iron_baseline = iron["baseline"]
    assert isinstance(iron_baseline, dict)
    (age,) = iron_baseline["measures"]
    assert age["title"] == "Age, Continuous" and age["category"] is None
    assert [c["value"] for c in age["cells"]] == ["34.0", "32.0", "32.0"]
    notes = [c["note"] for c in age["cells"]]
    assert notes == ["n=5 Participants", "n=7 Participants", "n=5 Participants"]
    assert _golden("NCT00819013_results")["primary_outcome"] == {
        "description": None,
        "time_frame": "Day 0 through Day 60 post-vaccination",
    }
    assert _golden("NCT03089281_results")["participant_flow"]["withdrawals_reported"] is False  # type: ignore[index]
    assert _golden("NCT01511107_results")["participant_flow"]["withdrawals_reported"] is None  # type: ignore[index]
    testosterone = _golden("NCT02349386_results")
    assert "(T < 50 ng/dL)" in str(testosterone["primary_outcome"])
    # The last value of this page, ``10``, may be the start of a longer number: not data.
    lcz = _golden("NCT02661217_results")
    reasons = lcz["participant_flow"]["periods"][0]["withdrawals"]  # type: ignore[index]
    assert reasons[-1] == {"reason": "Withdrawal by Subject", "counts": [15, 19]}
