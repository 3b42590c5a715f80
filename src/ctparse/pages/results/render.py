"""Write ``Results`` back as results page text, in the bare or the labelled layout.

The known parts only (header, overview, key facts, flow, baseline); ``sections`` are not
written. Choices where the pages seen say nothing:

* A value that is absent leaves its line out (and its label, in the labelled layout).
* Descriptions keep their line breaks in the bare layout and are joined with single spaces
  in the labelled one, as the twin pages show; flow notes are one line each.
* Baseline's line after the heading is the population, else the brief title.
* A baseline cell's second line is ``[«dispersion» «spread» • ]«note»``; a cell without
  either has none.
* The text ends with a newline: a text that does not is read as cut inside its last line.
"""

from __future__ import annotations

from collections.abc import Iterable

from ctparse.model import Baseline, BaselineCell, ParticipantFlow, Results
from ctparse.pages.markdown import escape
from ctparse.pages.results import vocabulary as page
from ctparse.pages.trial.render import Layout

__all__ = ["render_results"]


def render_results(results: Results, layout: Layout = "bare") -> str:
    """The results page text of ``results`` in the given layout."""
    labelled = layout == "labelled"
    blocks: list[list[str]] = [[line] for line in _head(results, labelled)]
    blocks += _flow(results.participant_flow, labelled)
    if results.baseline is not None:
        blocks += _baseline(results.baseline, results.title, labelled)
    if labelled:
        # One blank line between lines outside tables, none inside a table.
        return "\n\n".join("\n".join(block) for block in blocks) + "\n"
    return "\n".join(line for block in blocks for line in block) + "\n"


def _head(results: Results, labelled: bool) -> list[str]:
    lines: list[str] = []
    if results.title is not None and results.nct_id is not None:
        lines.append(f"{page.TITLE_PREFIX}{escape(results.title)} (NCT {results.nct_id})")
    if results.nct_id is not None:
        lines.append(f"NCT ID: {results.nct_id}")
    if results.last_updated is not None:
        lines.append(f"Last Updated: {results.last_updated.isoformat()}")
    lines.append(page.OVERVIEW)
    if results.primary_outcome.description is not None:
        lines.append(escape(results.primary_outcome.description))
    facts = (
        None if results.status is None else results.status.value,
        "/".join(phase.value for phase in results.phases) or None,
        None if results.enrollment is None else f"{results.enrollment} participants",
        None
        if results.primary_outcome.time_frame is None
        else escape(results.primary_outcome.time_frame),
        None if results.results_posted is None else results.results_posted.isoformat(),
    )
    for label, value in zip(page.FACT_LABELS, facts, strict=True):
        if value is not None:
            lines += [label, value] if labelled else [value]
    return lines


def _flow(flow: ParticipantFlow, labelled: bool) -> list[list[str]]:
    blocks = [[page.PARTICIPANT_FLOW]] + [[escape(note)] for note in flow.notes]
    if flow.unit_of_analysis is not None:
        blocks.append([page.UNIT_PREFIX + escape(flow.unit_of_analysis)])
    if not flow.groups:
        return blocks
    header = [[escape(g.title), *_prose(g.description, labelled)] for g in flow.groups]
    milestones = [
        ([escape(period.title), escape(m.type)], [[str(count)] for count in m.counts])
        for period in flow.periods
        for m in period.milestones
    ]
    blocks += _table(page.MILESTONES_CAPTION, header, milestones, labelled)
    if flow.withdrawals_reported is False:
        blocks += [[page.WITHDRAWALS_CAPTION], [page.NOT_REPORTED]]
    elif flow.withdrawals_reported:
        withdrawals = [
            ([escape(period.title), escape(w.reason)], [[str(count)] for count in w.counts])
            for period in flow.periods
            for w in period.withdrawals
        ]
        blocks += _table(page.WITHDRAWALS_CAPTION, header, withdrawals, labelled)
    return blocks


def _baseline(baseline: Baseline, title: str | None, labelled: bool) -> list[list[str]]:
    blocks = [[page.BASELINE]]
    population = baseline.population if baseline.population is not None else title
    if population is not None:
        blocks.append([escape(population)])
    if not baseline.groups:
        return blocks
    header = [
        [
            escape(g.title),
            *([] if g.count is None else [f"n={g.count} {escape(g.units or '')}".rstrip()]),
            *_prose(g.description, labelled),
        ]
        for g in baseline.groups
    ]
    rows = [
        (
            [escape(m.title), *([] if m.category is None else [escape(m.category)])],
            [_cell(cell) for cell in m.cells],
        )
        for m in baseline.measures
    ]
    return blocks + _table(page.BASELINE_CAPTION, header, rows, labelled)


def _cell(cell: BaselineCell) -> list[str]:
    value = " ".join(escape(part) for part in (cell.value, cell.unit) if part)
    lines = [value] if value else []
    dispersion = None
    if cell.dispersion and cell.spread:
        dispersion = f"{cell.dispersion} {escape(cell.spread)}"
    second = " • ".join(filter(None, (dispersion, cell.note and escape(cell.note))))
    return lines + ([second] if second else [])


def _prose(text: str | None, labelled: bool) -> list[str]:
    if text is None:
        return []
    lines = [escape(line) for line in text.split("\n")]
    return [" ".join(lines)] if labelled else lines


def _table(
    caption: str,
    header: list[list[str]],
    rows: Iterable[tuple[list[str], list[list[str]]]],
    labelled: bool,
) -> list[list[str]]:
    """A table's blocks: the caption, then the table as one block (no blank lines inside).
    The lines given are page text already (escaped)."""
    if labelled:
        lines = [caption, page.MEASURE, *(line for cell in header for line in cell)]
        for labels, cells in rows:
            lines += labels + [line for cell in cells for line in cell]
        return [[caption], lines]
    lines = [page.BARE_MEASURE]
    for cell in header:
        lines += [*cell, page.PIPE]
    lines.append(page.separator(len(header)))
    for labels, cells in rows:
        lines += [page.PIPE, *labels, page.PIPE]
        for cell in cells:
            lines += [*cell, page.PIPE]
    return [[caption], lines]
