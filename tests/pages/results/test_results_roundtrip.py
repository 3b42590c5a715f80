"""The 46 registry records with results, rendered as results pages in both layouts, read back
to the same Results; the same pages cut at many offsets keep every complete row and return
no cut one; the twin excerpts (one trial, both layouts) give the same record."""

from __future__ import annotations

import functools
import json

import attrs
import pytest

import ctparse
from ctparse import FlowPeriod, Results
from support.paths import FIXTURES, corpus_files

LAYOUTS = ("bare", "labelled")


@functools.cache
def records() -> list[tuple[str, Results]]:
    found = []
    for path in corpus_files():
        results = ctparse.results_from_ctgov(json.loads(path.read_text(encoding="utf-8")))
        if results is not None:
            found.append((path.stem, results))
    return found


def joined(results: Results) -> Results:
    """Group descriptions with their line breaks made spaces: the labelled layout joins them."""

    def one(group: object) -> object:
        description = getattr(group, "description", None)
        if description is None:
            return group
        return attrs.evolve(group, description=description.replace("\n", " "))  # type: ignore[misc]

    flow = results.participant_flow
    flow = attrs.evolve(flow, groups=tuple(one(g) for g in flow.groups))  # type: ignore[misc]
    baseline = results.baseline
    if baseline is not None:
        baseline = attrs.evolve(baseline, groups=tuple(one(g) for g in baseline.groups))  # type: ignore[misc]
    return attrs.evolve(results, participant_flow=flow, baseline=baseline)


def test_there_are_46_records_with_results() -> None:
    assert len(records()) == 46
    assert ctparse.results_from_ctgov({"protocolSection": {}}) is None


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", [name for name, _ in records()])
def test_render_then_parse_gives_the_record_back(name: str, layout: str) -> None:
    results = dict(records())[name]
    text = ctparse.render(results, layout=layout)  # type: ignore[arg-type]
    back = ctparse.parse_results(text)  # strict: a whole page has nothing to report
    expected = joined(results) if layout == "labelled" else results
    assert back == expected
    assert ctparse.parse_page(text) == back
    assert ctparse.from_dict(ctparse.to_dict(back)) == back
    # What the page carries goes back to the record's own fields.
    record = ctparse.to_ctgov(back)
    again = ctparse.results_from_ctgov(record)
    assert again is not None
    assert again.participant_flow == back.participant_flow
    assert again.primary_outcome == back.primary_outcome
    assert (again.nct_id, again.title, again.status, again.phases, again.enrollment) == (
        back.nct_id,
        back.title,
        back.status,
        back.phases,
        back.enrollment,
    )


# ---------------------------------------------------------------- cutting


def _rows(results: Results) -> dict[str, list[object]]:
    flow = results.participant_flow
    return {
        "milestones": [(p.title, m) for p in flow.periods for m in p.milestones],
        "withdrawals": [(p.title, w) for p in flow.periods for w in p.withdrawals],
        "measures": list(results.baseline.measures) if results.baseline else [],
    }


def _with_rows(results: Results, part: str, count: int) -> Results:
    """The record with only the first ``count`` rows of ``part`` and nothing after it."""
    flow = results.participant_flow
    periods = []
    taken = {"milestones": 0, "withdrawals": 0}
    for period in flow.periods:
        milestones = period.milestones
        withdrawals = period.withdrawals
        if part == "milestones":
            milestones = milestones[: max(0, count - taken["milestones"])]
            withdrawals = ()
        elif part == "withdrawals":
            withdrawals = withdrawals[: max(0, count - taken["withdrawals"])]
        taken["milestones"] += len(period.milestones)
        taken["withdrawals"] += len(period.withdrawals)
        periods.append(
            FlowPeriod(title=period.title, milestones=milestones, withdrawals=withdrawals)
        )
    reported = None if part == "milestones" else flow.withdrawals_reported
    flow = attrs.evolve(flow, periods=tuple(periods), withdrawals_reported=reported)
    baseline = None
    if part == "measures" and results.baseline is not None:
        baseline = attrs.evolve(results.baseline, measures=results.baseline.measures[:count])
    return attrs.evolve(results, participant_flow=flow, baseline=baseline)


def _row_ends(results: Results, layout: str, text: str) -> dict[str, list[int]]:
    """Where each row's text ends in the page: the page of the record cut after that row
    is a prefix of the whole page."""
    ends: dict[str, list[int]] = {}
    for part, rows in _rows(results).items():
        if part == "withdrawals" and not results.participant_flow.withdrawals_reported:
            continue
        ends[part] = []
        for count in range(1, len(rows) + 1):
            partial = ctparse.render(_with_rows(results, part, count), layout=layout)  # type: ignore[arg-type]
            assert text.startswith(partial)
            ends[part].append(len(partial))
    return ends


def _cuts(text: str, ends: dict[str, list[int]]) -> list[int]:
    step = max(1, len(text) // 25)
    around = {end + delta for values in ends.values() for end in values for delta in (-1, 0)}
    return sorted({*range(1, len(text), step), *around} & set(range(1, len(text))))


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("name", [name for name, _ in records()])
def test_a_cut_page_keeps_every_complete_row_and_no_cut_one(name: str, layout: str) -> None:
    results = dict(records())[name]
    if layout == "labelled":
        results = joined(results)
    text = ctparse.render(results, layout=layout)  # type: ignore[arg-type]
    ends = _row_ends(results, layout, text)
    full = _rows(results)
    for cut in _cuts(text, ends):
        got = ctparse.parse_results(text[:cut], lenient=True)
        rows = _rows(got)
        for part, part_ends in ends.items():
            complete = sum(1 for end in part_ends if end <= cut)
            if layout == "labelled" and part == "milestones" and complete == 1:
                # The labelled layout's group count comes from the first row's integers:
                # a page ending right after that row cannot prove it whole.
                assert rows[part] in ([], full[part][:1]), cut
            else:
                assert rows[part] == full[part][:complete], (part, cut)
        groups = got.participant_flow.groups
        # A labelled header cut before any row is split as (title, description) pairs, the
        # only form seen; groups without descriptions are checked once a row gives their
        # count.
        described = all(g.description for g in results.participant_flow.groups)
        if layout == "bare" or described or got.participant_flow.periods:
            assert groups == results.participant_flow.groups[: len(groups)], cut
        if not text[:cut].endswith("\n"):
            assert got.truncated
            assert any(d.code == ctparse.DiagnosticCode.CUT_OFF for d in got.diagnostics)
        with pytest.raises(ctparse.ParseError):
            ctparse.parse_results(text[:cut]) if got.diagnostics else _raise()


def _raise() -> None:
    raise ctparse.ParseError("no problem reported", 1, code=ctparse.DiagnosticCode.CUT_OFF)


# ---------------------------------------------------------------- twins


def _twin(name: str) -> Results:
    return ctparse.parse_file(FIXTURES / "results" / f"{name}.txt", lenient=True, kind="results")


@pytest.mark.parametrize("trial", ["NCT01511107", "NCT04570371"])
def test_both_layouts_of_one_trial_give_the_same_record(trial: str) -> None:
    labelled = _twin(f"{trial}_results")
    bare = joined(_twin(f"{trial}_results.v2"))
    keys = ("nct_id", "title", "last_updated", "status", "phases", "enrollment")
    for key in (*keys, "results_posted", "primary_outcome"):
        assert getattr(bare, key) == getattr(labelled, key), key
    a, b = bare.participant_flow, labelled.participant_flow
    assert (a.notes, a.unit_of_analysis) == (b.notes, b.unit_of_analysis)
    # Each excerpt is cut at its 2,000th byte, so one reaches further: compare what both reach.
    shorter = min(len(a.groups), len(b.groups))
    assert shorter >= 1
    assert a.groups[:shorter] == b.groups[:shorter]
    assert a.periods[: len(b.periods)] == b.periods[: len(a.periods)]
    for page in (bare, labelled):
        assert page.truncated


def test_the_twins_differ_only_where_one_reaches_further() -> None:
    bare = _twin("NCT04570371_results.v2").participant_flow
    labelled = _twin("NCT04570371_results").participant_flow
    assert [g.title for g in bare.groups] == ["Sequence 1", "Sequence 2", "Sequence 3"]
    assert [g.title for g in labelled.groups] == ["Sequence 1", "Sequence 2"]
    assert "\n" in (bare.groups[0].description or "")
