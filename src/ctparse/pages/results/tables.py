"""Reading the tables of a results page from their lines, in both layouts.

The grammar hands over a table as lines; how many lines a header cell or a row takes is
decided here, by RESULTS-FORMAT.md's rules: pipes delimit cells in the bare layout; in the
labelled layout flow rows are a period, a label and one whole-line integer per group (the
group count is the number of integers after the first ``STARTED``), and baseline header
cells are three lines with ``n=`` in the middle while baseline cells are two lines, the
second a dispersion and/or ``n=`` line (a cell's first line never has one).

A table read here is a ``Grid``: header cells, complete rows, the lines after it that were
not part of it (``rest``) and, when the lines ran out inside a header cell or a row, the
first line of that cut part (``cut``). What was cut is never returned as a row.
"""

from __future__ import annotations

import regex
from attrs import define, field

from ctparse.pages.results.transformer import Line
from ctparse.pages.results.vocabulary import DISPERSIONS, MEASURE, PIPE

__all__ = [
    "SECOND_LINE",
    "Grid",
    "is_count",
    "read_bare",
    "read_labelled_baseline",
    "read_labelled_flow",
]

SEPARATOR = regex.compile(r"\|(?:---\|)+")
COUNT = regex.compile(r"\d+")
HEADER_COUNT = regex.compile(r"n=(\d+) (.+)")
TOTAL_DESCRIPTION = "Total of all reporting groups"
# A baseline cell's second line: ``[«dispersion» «spread» • ]n=«k» «units»``, or the
# dispersion alone.
SECOND_LINE = regex.compile(
    r"(?:(?P<dispersion>" + "|".join(DISPERSIONS) + r") (?P<spread>.+?)(?: • |$))?"
    r"(?P<note>n=.*)?"
)


def is_count(text: str) -> bool:
    """Only whole-line integers are flow values (titles may start with digits)."""
    return COUNT.fullmatch(text) is not None


def is_second_line(text: str) -> bool:
    match = SECOND_LINE.fullmatch(text)
    return match is not None and bool(match["dispersion"] or match["note"])


@define
class Grid:
    header: list[list[Line]] = field(factory=list)
    rows: list[tuple[list[Line], list[list[Line]]]] = field(factory=list)
    rest: list[Line] = field(factory=list)
    cut: Line | None = None
    # The page ends inside the table's header, right after a whole line.
    ends_early: bool = False
    # Problems with the table's shape: (line, message).
    misfits: list[tuple[Line, str]] = field(factory=list)


def read_bare(lines: list[Line], *, at_end: bool = True) -> Grid:
    """A bare table after its ``| Measure |`` line: header cells up to the ``|---|`` line,
    then rows ``|`` labels ``|`` cell ``|`` ... ``|``; the table ends at the first line after
    a row's closing ``|`` that is not ``|``. ``at_end``: nothing follows the table, so lines
    running out mean the page was cut."""
    grid = Grid()
    segment: list[Line] = []
    index = 0
    while index < len(lines) and not SEPARATOR.fullmatch(lines[index].text):
        if lines[index].text == PIPE:
            grid.header.append(segment)
            segment = []
        else:
            segment.append(lines[index])
        index += 1
    if index == len(lines):
        if at_end:
            # The page ends in the header: its closed cells stand, the open one is cut.
            grid.cut = segment[0] if segment else (lines[-1] if lines else None)
        else:
            # Another part follows, so the page is not cut here: the table lacks its line.
            grid.header = []
            if lines:
                message = "no |---| line ends the header; the table is not read"
                grid.misfits.append((lines[0], message))
        return grid
    separator = lines[index]
    columns = len(grid.header)
    cells = separator.text.count("---")
    if cells != columns + 1:
        grid.misfits.append(
            (
                separator,
                f"the separator has {cells} cells for {columns} header cells and "
                "the label column; the header is not read",
            )
        )
        # The rows follow the separator's pipes; the header's groups cannot be placed.
        columns = cells - 1
        grid.header = []
    index += 1
    while index < len(lines) and lines[index].text == PIPE:
        start = index
        segments, index = _segments(lines, index + 1, columns + 1)
        if len(segments) < columns + 1:
            if index >= len(lines) and at_end:
                grid.cut = lines[start]
                return grid
            index = start
            break
        grid.rows.append((segments[0], segments[1:]))
    grid.rest = lines[index:]
    return grid


def _segments(lines: list[Line], index: int, wanted: int) -> tuple[list[list[Line]], int]:
    """Up to ``wanted`` runs of lines, each closed by a ``|`` line."""
    segments: list[list[Line]] = []
    segment: list[Line] = []
    while index < len(lines) and len(segments) < wanted:
        line = lines[index]
        if SEPARATOR.fullmatch(line.text) or line.text == MEASURE:
            break
        if line.text == PIPE:
            segments.append(segment)
            segment = []
        else:
            segment.append(line)
        index += 1
    return segments, index


def read_labelled_flow(
    lines: list[Line], groups: int | None, *, at_end: bool, described: bool = True
) -> Grid:
    """A labelled flow table after its ``Measure`` line: header cells of two lines (title,
    description), then rows of a period, a label and ``groups`` whole-line integers.

    ``groups`` comes from the milestones table when this is the withdrawals table; else it
    is counted after the first ``STARTED``. ``described`` says whether the milestones
    table's header cells had descriptions (the withdrawals table has the same header).
    """
    grid = Grid()
    texts = [line.text for line in lines]
    first = next((i for i, text in enumerate(texts) if i >= 1 and text == "STARTED"), None)
    header_end = None if groups is None else 2 * groups
    if groups is not None and not described:
        grid.header = [[line] for line in lines[:groups]]
        _flow_rows(grid, lines, min(groups, len(lines)), groups, at_end=at_end)
        return grid
    if groups is None and first is not None:
        groups = 0
        while first + 1 + groups < len(texts) and is_count(texts[first + 1 + groups]):
            groups += 1
        if at_end and first + 1 + groups == len(texts):
            # The page ends in or right after the first row: its count of integers proves
            # nothing (a group may be missing), so the row waits for a line after it.
            _pairs(grid, lines, first - 1)
            grid.cut = lines[first - 1]
            return grid
        header_end = first - 1
        if header_end == groups:
            # No group has a description: the header is the titles alone.
            grid.header = [[line] for line in lines[:header_end]]
            _flow_rows(grid, lines, header_end, groups, at_end=at_end)
            return grid
        if header_end != 2 * groups:
            grid.misfits.append(
                (lines[0], f"the header has {header_end} lines, not 2 for each of {groups} groups")
            )
    if not groups or header_end is None or header_end > len(lines):
        # No row reached: the header alone, as (title, description) pairs.
        _pairs(grid, lines, len(lines))
        if len(lines) % 2:
            grid.cut = lines[-1]
        grid.ends_early = at_end
        return grid
    if header_end == 2 * groups:
        _pairs(grid, lines, header_end)
    # else the header does not fit its groups (reported): no group is returned from it.
    _flow_rows(grid, lines, header_end, groups, at_end=at_end)
    return grid


def _pairs(grid: Grid, lines: list[Line], end: int) -> None:
    for index in range(0, end - 1, 2):
        grid.header.append([lines[index], lines[index + 1]])


def _flow_rows(grid: Grid, lines: list[Line], index: int, groups: int, *, at_end: bool) -> None:
    size = 2 + groups
    while index < len(lines):
        row = lines[index : index + size]
        counts_fit = all(is_count(line.text) for line in row[2:])
        if len(row) == size and counts_fit:
            grid.rows.append((row[:2], [[line] for line in row[2:]]))
            index += size
            continue
        if len(row) < size and counts_fit and at_end:
            grid.cut = lines[index]
            return
        break
    grid.rest = lines[index:]


def read_labelled_baseline(lines: list[Line], *, at_end: bool) -> Grid:
    """A labelled baseline table after its ``Measure`` line: header cells of three lines
    (title, ``n=«N» «units»``, description), then rows of 1-2 label lines and two lines a
    cell, found by the second lines (``n=`` or a dispersion), which anchor the cells."""
    grid = Grid()
    index = 0
    described: bool | None = None  # do the header cells have descriptions?
    while index + 1 < len(lines) and HEADER_COUNT.fullmatch(lines[index + 1].text):
        if index + 2 >= len(lines):
            grid.cut = lines[index]
            return grid
        size = _header_cell_size(lines, index, described)
        described = size == 3
        grid.header.append(lines[index : index + size])
        index += size
    if not grid.header:
        if at_end and 0 < len(lines) < 3:
            # A title and at most the start of its ``n=`` line: the first header cell, cut.
            grid.cut = lines[0]
        else:
            grid.rest = lines
        return grid
    columns = len(grid.header)
    while index < len(lines):
        start = index
        labels = _label_count(lines, index)
        if labels is None:
            # No anchor where one or two label lines would put it: a cut row when the
            # lines end before the second place, else no row at all.
            if at_end and index + 3 >= len(lines):
                grid.cut = lines[start]
                return grid
            break
        cells = []
        position = index + labels
        for _ in range(columns):
            pair = lines[position : position + 2]
            if len(pair) < 2 or not is_second_line(pair[1].text):
                break
            cells.append(pair)
            position += 2
        if len(cells) < columns:
            if at_end and position + 2 > len(lines):
                grid.cut = lines[start]
                return grid
            index = start
            break
        grid.rows.append((lines[index : index + labels], cells))
        index = position
    grid.rest = lines[index:]
    return grid


def _header_cell_size(lines: list[Line], index: int, described: bool | None) -> int:
    """Three lines (title, ``n=``, description), or two when the next cell's ``n=`` line
    follows at once; the last cell is taken to be like the ones before it."""
    if index + 3 < len(lines) and HEADER_COUNT.fullmatch(lines[index + 3].text):
        return 2
    if index + 4 < len(lines) and HEADER_COUNT.fullmatch(lines[index + 4].text):
        return 3
    # The last cell: the registry's Total column always has its fixed description; else the
    # first row's first ``n=`` line tells, where it can (1 label line: at +4 for two lines,
    # 2 label lines: at +6 for three).
    if index + 2 < len(lines) and lines[index + 2].text == TOTAL_DESCRIPTION:
        return 3
    two = index + 4 < len(lines) and is_second_line(lines[index + 4].text)
    three = index + 6 < len(lines) and is_second_line(lines[index + 6].text)
    if two != three:
        return 2 if two else 3
    return 2 if described is False else 3


def _label_count(lines: list[Line], index: int) -> int | None:
    for labels in (1, 2):
        anchor = index + labels + 1
        if anchor < len(lines) and is_second_line(lines[anchor].text):
            if labels == 2 and is_second_line(lines[index + 1].text):
                return None
            return labels
    return None
