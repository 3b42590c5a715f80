"""From a ``ResultsPage`` (the page's lines by role) to ``Results``.

Typed values are converted here; tables are read by ``tables``; whatever follows the known
parts is kept generically by ``sections`` and reported. Every problem is a ``Problem`` with a
code, made in ``report``.
"""

from __future__ import annotations

import datetime
import re

import regex

from ctparse.model import (
    Baseline,
    BaselineCell,
    BaselineGroup,
    BaselineMeasure,
    DiagnosticCode,
    FlowGroup,
    FlowPeriod,
    Milestone,
    ParticipantFlow,
    Phase,
    PrimaryOutcome,
    Results,
    Status,
    Withdrawal,
)
from ctparse.pages.markdown import unescape
from ctparse.pages.problems import Problem
from ctparse.pages.results import vocabulary as page
from ctparse.pages.results.report import cut_part, problem
from ctparse.pages.results.sections import read_sections
from ctparse.pages.results.tables import (
    HEADER_COUNT,
    SECOND_LINE,
    Grid,
    read_bare,
    read_labelled_baseline,
    read_labelled_flow,
)
from ctparse.pages.results.transformer import Line, ResultsPage, TableLines

__all__ = ["build_results"]

_PHASE_SPLIT = re.compile(r"/|, ?")


def build_results(parsed: ResultsPage, problems: list[Problem], *, cut: bool) -> Results:
    """Assemble the Results; ``cut`` says the page's last line was cut (and dropped)."""
    title, nct_from_title = _title(parsed.title)
    nct_id = parsed.nct_id.text.removeprefix("NCT ID: ") if parsed.nct_id else nct_from_title
    flow, groups = _flow(parsed, problems)
    baseline = _baseline(parsed, title, problems, groups)
    rest = _rest(parsed)
    sections = read_sections(rest, problems) if rest else ()
    return Results(
        nct_id=nct_id,
        title=title,
        last_updated=_date(parsed.last_updated, "Last Updated: ", problems),
        status=Status(parsed.status.text) if parsed.status else None,
        phases=_phases(parsed.phases),
        enrollment=int(parsed.enrollment.text.split()[0]) if parsed.enrollment else None,
        results_posted=_date(parsed.posted, "", problems),
        primary_outcome=PrimaryOutcome(
            description=_text(parsed.description), time_frame=_text(parsed.time_frame)
        ),
        participant_flow=flow,
        baseline=baseline,
        sections=sections,
        truncated=cut or any(p.code == DiagnosticCode.CUT_OFF for p in problems),
    )


def _text(line: Line | None) -> str | None:
    return unescape(line.text) if line is not None else None


def _title(line: Line | None) -> tuple[str | None, str | None]:
    if line is None:
        return None, None
    text = line.text.removeprefix(page.TITLE_PREFIX)
    suffix = page.TITLE_SUFFIX.search(text)
    if suffix is None:
        return unescape(text), None
    return unescape(text[: suffix.start()]), suffix[1]


def _date(line: Line | None, prefix: str, problems: list[Problem]) -> datetime.date | None:
    if line is None:
        return None
    try:
        return datetime.date.fromisoformat(line.text.removeprefix(prefix))
    except ValueError:
        problems.append(
            problem(
                line.number,
                f"'{line.text}' is not a date (YYYY-MM-DD)",
                DiagnosticCode.INVALID_VALUE,
            )
        )
        return None


def _phases(line: Line | None) -> tuple[Phase, ...]:
    if line is None:
        return ()
    return tuple(Phase(word) for word in _PHASE_SPLIT.split(line.text))


# ---------------------------------------------------------------- Participant Flow


def _flow(parsed: ResultsPage, problems: list[Problem]) -> tuple[ParticipantFlow, int | None]:
    notes = tuple(unescape(line.text) for line in parsed.notes)
    unit = parsed.unit.text.removeprefix(page.UNIT_PREFIX) if parsed.unit else None
    groups: tuple[FlowGroup, ...] = ()
    periods: dict[str, FlowPeriod] = {}
    count: int | None = None
    if parsed.milestones is not None and parsed.milestones.start is not None:
        grid = _grid(parsed.milestones, None, parsed, problems, page.MILESTONES_CAPTION)
        groups = tuple(_flow_group(cell) for cell in grid.header)
        # The group count the withdrawals table shares: the rows' width, else the header's.
        count = len(grid.rows[0][1]) if grid.rows else (len(groups) or None)
        parsed.flow_titles_only = bool(groups) and all(len(cell) == 1 for cell in grid.header)
        for labels, cells in grid.rows:
            period = periods.setdefault(labels[0].text, FlowPeriod(title=unescape(labels[0].text)))
            milestone = Milestone(type=unescape(labels[1].text), counts=_counts(cells))
            periods[labels[0].text] = _add(period, milestones=(milestone,))
    reported: bool | None = None
    if parsed.not_reported is not None:
        reported = False
    elif parsed.withdrawals is not None and (
        parsed.withdrawals.start is not None or parsed.withdrawals.repeated
    ):
        reported = True
        if parsed.withdrawals.start is not None:
            grid = _grid(parsed.withdrawals, count, parsed, problems, page.WITHDRAWALS_CAPTION)
            shared = tuple(_flow_group(cell) for cell in grid.header)
            if not groups and (count is None or len(shared) == count):
                # The same groups head both tables: the withdrawals header stands in.
                groups = shared
            for labels, cells in grid.rows:
                period = periods.setdefault(
                    labels[0].text, FlowPeriod(title=unescape(labels[0].text))
                )
                reason = Withdrawal(reason=unescape(labels[1].text), counts=_counts(cells))
                periods[labels[0].text] = _add(period, withdrawals=(reason,))
    flow = ParticipantFlow(
        notes=notes,
        unit_of_analysis=unescape(unit) if unit is not None else None,
        groups=groups,
        periods=tuple(periods.values()),
        withdrawals_reported=reported,
    )
    return flow, count


def _add(
    period: FlowPeriod,
    milestones: tuple[Milestone, ...] = (),
    withdrawals: tuple[Withdrawal, ...] = (),
) -> FlowPeriod:
    return FlowPeriod(
        title=period.title,
        milestones=period.milestones + milestones,
        withdrawals=period.withdrawals + withdrawals,
    )


def _counts(cells: list[list[Line]]) -> tuple[int, ...]:
    return tuple(int(cell[0].text) for cell in cells)


def _flow_group(cell: list[Line]) -> FlowGroup:
    description = "\n".join(unescape(line.text) for line in cell[1:])
    return FlowGroup(title=unescape(cell[0].text) if cell else "", description=description or None)


def _grid(
    table: TableLines,
    groups: int | None,
    parsed: ResultsPage,
    problems: list[Problem],
    section: str,
    *,
    baseline: bool = False,
) -> Grid:
    """Read a table in its layout, report its cut part and shape problems, and check its
    rows: a bare row's labels and cells must have the lines their table wants."""
    at_end = _is_last(table, parsed)
    lines = list(table.lines)
    bare = table.start is not None and table.start.kind == "bare_measure"
    if bare:
        grid = read_bare(lines, at_end=at_end)
    elif baseline:
        grid = read_labelled_baseline(lines, at_end=at_end)
    else:
        described = not parsed.flow_titles_only
        grid = read_labelled_flow(lines, groups, at_end=at_end, described=described)
    for line, message in grid.misfits:
        code = DiagnosticCode.MISPLACED_LINE
        problems.append(problem(line.number, f"{section}: {message}", code, section))
    if bare:
        _check_bare_rows(grid, problems, section, baseline=baseline)
    parsed.leftover.extend(grid.rest)
    if grid.cut is not None:
        problems.append(cut_part(grid.cut.number, section))
    elif grid.ends_early and lines:
        problems.append(cut_part(lines[-1].number, section, "the table's header"))
    return grid


def _check_bare_rows(grid: Grid, problems: list[Problem], section: str, *, baseline: bool) -> None:
    kept = []
    for labels, cells in grid.rows:
        if baseline:
            fits = 1 <= len(labels) <= 2 and all(1 <= len(cell) <= 2 for cell in cells)
        else:
            fits = len(labels) == 2 and all(
                len(cell) == 1 and cell[0].text.isdigit() for cell in cells
            )
        if fits:
            kept.append((labels, cells))
            continue
        first = labels[0] if labels else next((c[0] for c in cells if c), None)
        if first is not None:
            problems.append(
                problem(
                    first.number,
                    f"{section}: a row that does not fit the table's columns; it is left out",
                    DiagnosticCode.MISPLACED_LINE,
                    section,
                )
            )
    grid.rows = kept


def _is_last(table: TableLines, parsed: ResultsPage) -> bool:
    order = [parsed.milestones, parsed.withdrawals, parsed.baseline_table]
    present = [t for t in order if t is not None]
    return bool(present) and present[-1] is table and not parsed.after_not_reported


# ---------------------------------------------------------------- Baseline Characteristics


def _baseline(
    parsed: ResultsPage, title: str | None, problems: list[Problem], flow_groups: int | None
) -> Baseline | None:
    if parsed.baseline is None:
        return None
    population = _text(parsed.population)
    if population is not None and population == title:
        population = None
    groups: tuple[BaselineGroup, ...] = ()
    measures: list[BaselineMeasure] = []
    table = parsed.baseline_table
    if table is not None and table.start is not None:
        grid = _grid(table, None, parsed, problems, page.BASELINE_CAPTION, baseline=True)
        groups = tuple(_baseline_group(cell) for cell in grid.header)
        for labels, cells in grid.rows:
            measures.append(
                BaselineMeasure(
                    title=unescape(labels[0].text),
                    category=unescape(labels[1].text) if len(labels) > 1 else None,
                    cells=tuple(_cell(cell) for cell in cells),
                )
            )
    return Baseline(population=population, groups=groups, measures=tuple(measures))


def _baseline_group(cell: list[Line]) -> BaselineGroup:
    count: int | None = None
    units: str | None = None
    rest = cell[1:]
    if rest and (match := HEADER_COUNT.fullmatch(rest[0].text)):
        count, units = int(match[1]), match[2]
        rest = rest[1:]
    description = "\n".join(unescape(line.text) for line in rest)
    return BaselineGroup(
        title=unescape(cell[0].text) if cell else "",
        count=count,
        units=units,
        description=description or None,
    )


_VALUE = regex.compile(r"(\S+)(?: (.+))?")


def _cell(lines: list[Line]) -> BaselineCell:
    value_line = lines[0].text if lines else ""
    value = _VALUE.fullmatch(value_line)
    second = SECOND_LINE.fullmatch(lines[1].text) if len(lines) > 1 else None
    return BaselineCell(
        value=unescape(value[1]) if value else None,
        unit=unescape(value[2]) if value and value[2] else None,
        dispersion=second["dispersion"] if second else None,
        spread=unescape(second["spread"]) if second and second["spread"] else None,
        note=unescape(second["note"]) if second and second["note"] else None,
    )


# ---------------------------------------------------------------- what follows


def _rest(parsed: ResultsPage) -> list[Line]:
    """Lines after the known parts: what the last table did not take."""
    return sorted([*parsed.after_not_reported, *parsed.leftover], key=lambda line: line.number)
