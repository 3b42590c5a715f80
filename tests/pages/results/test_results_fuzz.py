"""Hostile input for results pages: real and rendered results pages mutated at random.

Properties, for any mutation (lines deleted, duplicated, swapped, moved, glued, indented;
the page cut at any offset; random text, control characters, pipes, captions, headings or
trial-page lines put in; newlines changed to ``\\r\\n`` or ``\\r``):

* ``parse_results(..., lenient=True)`` and ``parse_page(..., lenient=True)`` never raise;
* strict ``parse_results`` raises nothing but ``ParseError``, whose message ends ``(at line
  L, column C)`` with L a line of the text given, and agrees with the lenient read (its
  code and position are the first diagnostic that is not ``unknown_section``; with none,
  the two reads give the same Results);
* every count returned is a whole line of the text, and every row has one count per group
  (when the groups could be read).
"""

from __future__ import annotations

import functools
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ctparse
from ctparse.pages.results import vocabulary as page
from support.paths import FIXTURES, corpus_files

POSITION = re.compile(r"\(at line (\d+), column (\d+)\)$")


@functools.cache
def pages() -> tuple[str, ...]:
    excerpts = sorted((FIXTURES / "results").glob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in excerpts]
    for path in corpus_files():
        results = ctparse.results_from_ctgov(json.loads(path.read_text(encoding="utf-8")))
        if results is not None:
            texts += [ctparse.render(results, layout="bare"), ctparse.render(results, "labelled")]
        if len(texts) >= 30:
            break
    return tuple(texts)


FURNITURE = (
    page.OVERVIEW,
    page.PARTICIPANT_FLOW,
    page.BASELINE,
    page.MILESTONES_CAPTION,
    page.WITHDRAWALS_CAPTION,
    page.NOT_REPORTED,
    page.BASELINE_CAPTION,
    page.MEASURE,
    page.BARE_MEASURE,
    page.PIPE,
    "|---|---|",
    "STARTED",
    "COMPLETED",
    "NA",
    "12",
    "n=5 Participants",
    "STANDARD_DEVIATION 1.5 • n=3 Participants",
    "NCT ID: NCT01234567",
    "Last Updated: 2020-02-30",
    "Basic Information",
    "Trial Outcomes & Findings for X (NCT NCT01234567)",
    "Outcome Measures",
    *page.FACT_LABELS,
)
ODD = st.sampled_from(["\x00", "\u2028", "\u202e", "\x1b[31m", "\t", " ", "\ufeff", "\\", "•"])
LINE = st.one_of(st.sampled_from(FURNITURE), st.text(max_size=30), ODD)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(pages())).split("\n")
    for _ in range(draw(st.integers(0, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "swap", "move", "glue", "indent", "insert"])
        )
        if action == "delete":
            del lines[at]
        elif action == "duplicate":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "move":
            lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(at))
        elif action == "glue" and at + 1 < len(lines):
            lines[at : at + 2] = [lines[at] + lines[at + 1]]
        elif action == "indent":
            lines[at] = "  " + lines[at]
        else:
            lines.insert(at, draw(LINE))
    text = "\n".join(lines)
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return text.replace("\n", newline)


def _lines_of(text: str) -> int:
    return text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_mutated_results_pages(text: str) -> None:
    lenient = ctparse.parse_results(text, lenient=True)
    assert isinstance(ctparse.parse_page(text, lenient=True), (ctparse.Results, ctparse.Trial))
    failures = [d for d in lenient.diagnostics if d.code != ctparse.DiagnosticCode.UNKNOWN_SECTION]
    try:
        strict = ctparse.parse_results(text)
    except ctparse.ParseError as error:
        position = POSITION.search(str(error))
        assert position, str(error)
        assert 1 <= error.line <= _lines_of(text)
        assert failures, "strict failed where lenient reports nothing"
        first = failures[0]
        assert (error.line, error.column, error.code) == (first.line, first.column, first.code)
    else:
        assert not failures
        assert strict == lenient
    _check_counts(lenient, text)


def _check_counts(results: ctparse.Results, text: str) -> None:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = {line.strip() for line in normalised.split("\n")}
    flow = results.participant_flow
    for period in flow.periods:
        rows = [m.counts for m in period.milestones] + [w.counts for w in period.withdrawals]
        for counts in rows:
            if flow.groups:
                assert len(counts) == len(flow.groups)
            assert all(str(count) in lines for count in counts)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_is_read_or_refused_cleanly(text: str) -> None:
    ctparse.parse_results(text, lenient=True)
    ctparse.parse_page(text, lenient=True)
    try:
        ctparse.parse_results(text)
    except ctparse.ParseError as error:
        assert POSITION.search(str(error))
