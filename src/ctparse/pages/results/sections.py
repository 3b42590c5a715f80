"""What follows the known parts of a results page, read generically and reported.

Nobody has seen a results page past its baseline table, so anything after it is kept as
``{heading, paragraphs, tables}`` (RESULTS-FORMAT.md, "Beyond the evidence"): a labelled
table starts at a line followed by the same line and ``Measure``; a bare table at ``| Measure
|`` (its caption is the line before); a short Title Case line is a heading; anything else is
a paragraph. Each section is reported with an ``unknown_section`` problem at its first line.
"""

from __future__ import annotations

import regex

from ctparse.model import DiagnosticCode, ResultsSection, ResultsTable, TableColumn, TableRow
from ctparse.pages.markdown import unescape
from ctparse.pages.problems import Problem
from ctparse.pages.results.report import cut_part, problem
from ctparse.pages.results.tables import read_bare
from ctparse.pages.results.transformer import Line
from ctparse.pages.results.vocabulary import BARE_MEASURE, MEASURE

__all__ = ["read_sections"]

# Title Case: every word capitalised but the small ones; no sentence punctuation at the end.
_HEADING = regex.compile(
    r"\p{Lu}[\w'\u2019&/-]*"
    r"(?: (?:\p{Lu}[\w'\u2019&/-]*|of|and|or|the|in|to|for|by|a|an|on|with|per|at))*"
)


def read_sections(lines: list[Line], problems: list[Problem]) -> tuple[ResultsSection, ...]:
    sections: list[_Open] = []
    index = 0
    while index < len(lines):
        text = lines[index].text
        start = lines[index]
        if index + 1 < len(lines) and lines[index + 1].text == BARE_MEASURE:
            table, index = _bare_table(lines, index, problems)
            _current(sections, start).tables.append(table)
        elif _labelled_start(lines, index):
            table, index = _labelled_table(lines, index)
            _current(sections, start).tables.append(table)
        elif len(text) <= 80 and _HEADING.fullmatch(text):
            sections.append(_Open(lines[index], unescape(text)))
            index += 1
        else:
            _current(sections, lines[index]).paragraphs.append(unescape(text))
            index += 1
    for section in sections:
        name = section.heading or "text"
        problems.append(
            problem(
                section.first.number,
                f"{name}: a part of the results page ctparse does not know; "
                "kept as text in 'sections'",
                DiagnosticCode.UNKNOWN_SECTION,
                section.heading,
            )
        )
    return tuple(section.close() for section in sections)


class _Open:
    def __init__(self, first: Line, heading: str | None) -> None:
        self.first = first
        self.heading = heading
        self.paragraphs: list[str] = []
        self.tables: list[ResultsTable] = []

    def close(self) -> ResultsSection:
        return ResultsSection(
            heading=self.heading, paragraphs=tuple(self.paragraphs), tables=tuple(self.tables)
        )


def _current(sections: list[_Open], line: Line) -> _Open:
    if not sections:
        sections.append(_Open(line, None))
    return sections[-1]


def _labelled_start(lines: list[Line], index: int) -> bool:
    return (
        index + 2 < len(lines)
        and lines[index + 1].text == lines[index].text
        and lines[index + 2].text == MEASURE
    )


def _bare_table(lines: list[Line], index: int, problems: list[Problem]) -> tuple[ResultsTable, int]:
    caption = lines[index].text
    body = lines[index + 2 :]
    grid = read_bare(body)
    if grid.cut is not None:
        problems.append(cut_part(grid.cut.number, caption))
    columns = tuple(
        TableColumn(
            title=unescape(cell[0].text) if cell else "",
            lines=tuple(unescape(line.text) for line in cell[1:]),
        )
        for cell in grid.header
    )
    rows = tuple(
        TableRow(
            labels=tuple(unescape(line.text) for line in labels),
            cells=tuple(tuple(unescape(line.text) for line in cell) for cell in cells),
        )
        for labels, cells in grid.rows
    )
    return ResultsTable(caption=unescape(caption), columns=columns, rows=rows), len(lines) - len(
        grid.rest
    )


def _labelled_table(lines: list[Line], index: int) -> tuple[ResultsTable, int]:
    """A labelled table of unknown shape: its lines are kept as one cell, up to the next
    table's start (the labelled layout gives no way to split them without knowing it)."""
    caption = lines[index].text
    end = index + 3
    while end < len(lines) and not _labelled_start(lines, end):
        end += 1
    cell = tuple(unescape(line.text) for line in lines[index + 3 : end])
    rows = (TableRow(labels=(), cells=(cell,)),) if cell else ()
    return ResultsTable(caption=unescape(caption), rows=rows), end
