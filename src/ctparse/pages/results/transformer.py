"""From the results grammar's output to a ``ResultsPage``: the page's lines sorted by role.

``ResultsTransformer`` has one method per grammar rule; it keeps every value as a ``Line``
(its number and text, unescaping left to assembly) so that what the line grammar cannot
decide alone (tables, cut rows, sections nobody has seen) is decided in ``assembly``.
Tokens invented by the error recovery have empty text and count as missing.
"""

from __future__ import annotations

from typing import Any

from attrs import define, field, frozen

from ctparse.pages.tokens import Token

__all__ = ["Line", "ResultsPage", "ResultsTransformer", "TableLines"]


@frozen
class Line:
    number: int
    text: str
    # ``text``, ``pipe``, ``separator``, ``measure`` or ``bare_measure``.
    kind: str = "text"


@frozen
class TableLines:
    """A table as the grammar saw it: its caption lines, ``Measure`` line and the lines after."""

    caption: Line | None
    repeated: bool
    start: Line | None
    lines: tuple[Line, ...]


@define
class ResultsPage:
    title: Line | None = None
    nct_id: Line | None = None
    last_updated: Line | None = None
    overview: Line | None = None
    description: Line | None = None
    status: Line | None = None
    phases: Line | None = None
    enrollment: Line | None = None
    time_frame: Line | None = None
    posted: Line | None = None
    flow: Line | None = None
    notes: list[Line] = field(factory=list)
    unit: Line | None = None
    milestones: TableLines | None = None
    withdrawals: TableLines | None = None
    not_reported: Line | None = None
    # Lines after ``Withdrawal data not reported`` that no known part takes.
    after_not_reported: tuple[Line, ...] = ()
    baseline: Line | None = None
    population: Line | None = None
    baseline_table: TableLines | None = None
    # Lines the tables did not take, gathered while they are read.
    leftover: list[Line] = field(factory=list)
    # The milestones header had titles only (no group descriptions).
    flow_titles_only: bool = False


_KINDS = {
    "PIPE": "pipe",
    "SEPARATOR": "separator",
    "MEASURE": "measure",
    "BARE_MEASURE": "bare_measure",
}


def _line(token: Token) -> Line | None:
    text = str(token).rstrip("\n")
    if not text:
        return None  # invented by the error recovery
    return Line(token.line or 1, text, _KINDS.get(token.type, "text"))


def _lines(children: list[Any]) -> tuple[Line, ...]:
    found = (_line(child) for child in children if isinstance(child, Token))
    return tuple(line for line in found if line is not None)


def _table(children: list[Any]) -> TableLines:
    captions = [c for c in children if isinstance(c, Token)]
    table = next((c for c in children if isinstance(c, tuple)), ())
    start = table[0] if table and table[0].kind in ("measure", "bare_measure") else None
    caption = _line(captions[0]) if captions else None
    repeated = len([c for c in captions if str(c).strip()]) > 1
    return TableLines(caption, repeated, start, table[1:] if start else table)


class ResultsTransformer:
    """One method per rule: each returns ``(field, value)`` pairs that ``start`` collects."""

    def start(self, children: list[Any]) -> ResultsPage:
        page = ResultsPage()
        for part in children:
            for name, value in part:
                setattr(page, name, value)
        return page

    def header(self, children: list[Any]) -> list[tuple[str, Any]]:
        return [pair for child in children for pair in child]

    def title(self, children: list[Token]) -> list[tuple[str, Any]]:
        return [("title", _line(children[0]))]

    def nct_id(self, children: list[Token]) -> list[tuple[str, Any]]:
        return [("nct_id", _line(children[0]))]

    def last_updated(self, children: list[Token]) -> list[tuple[str, Any]]:
        return [("last_updated", _line(children[0]))]

    def overview(self, children: list[Any]) -> list[tuple[str, Any]]:
        pairs: list[tuple[str, Any]] = [("overview", _line(children[0]))]
        return pairs + [pair for child in children[1:] for pair in child]

    def description(self, children: list[Token]) -> list[tuple[str, Any]]:
        return [("description", _line(children[0]))]

    def facts(self, children: list[Any]) -> list[tuple[str, Any]]:
        return [pair for child in children for pair in child]

    def _fact(self, name: str, children: list[Token]) -> list[tuple[str, Any]]:
        lines = _lines(children)
        return [(name, lines[-1] if lines else None)]

    def status(self, children: list[Token]) -> list[tuple[str, Any]]:
        return self._fact("status", children)

    def phases(self, children: list[Token]) -> list[tuple[str, Any]]:
        return self._fact("phases", children)

    def enrollment(self, children: list[Token]) -> list[tuple[str, Any]]:
        return self._fact("enrollment", children)

    def time_frame(self, children: list[Token]) -> list[tuple[str, Any]]:
        return self._fact("time_frame", children)

    def posted(self, children: list[Token]) -> list[tuple[str, Any]]:
        return self._fact("posted", children)

    def flow(self, children: list[Any]) -> list[tuple[str, Any]]:
        pairs: list[tuple[str, Any]] = [("flow", _line(children[0]))]
        notes = [c for c in children[1:] if isinstance(c, Line)]
        pairs.append(("notes", notes))
        return pairs + [pair for c in children[1:] if isinstance(c, list) for pair in c]

    def note(self, children: list[Token]) -> Line | None:
        return _line(children[0])

    def unit(self, children: list[Token]) -> list[tuple[str, Any]]:
        return [("unit", _line(children[0]))]

    def milestones(self, children: list[Any]) -> list[tuple[str, Any]]:
        return [("milestones", _table(children))]

    def withdrawals(self, children: list[Any]) -> list[tuple[str, Any]]:
        if any(isinstance(c, Token) and c.type == "NOT_REPORTED" for c in children):
            marker = next(c for c in children if isinstance(c, Token) and c.type == "NOT_REPORTED")
            after = [c for c in children if isinstance(c, Token)]
            after = after[after.index(marker) + 1 :]
            return [("not_reported", _line(marker)), ("after_not_reported", _lines(after))]
        return [("withdrawals", _table(children))]

    def baseline(self, children: list[Any]) -> list[tuple[str, Any]]:
        pairs: list[tuple[str, Any]] = [("baseline", _line(children[0]))]
        return pairs + [pair for child in children[1:] for pair in child]

    def population(self, children: list[Token]) -> list[tuple[str, Any]]:
        return [("population", _line(children[0]))]

    def baseline_table(self, children: list[Any]) -> list[tuple[str, Any]]:
        return [("baseline_table", _table(children))]

    def table(self, children: list[Token]) -> tuple[Line, ...]:
        return _lines(children)
