"""Study Groups and Interventions: which plain line is a name and which a description.

The bare layout prints arms and interventions as plain lines with nothing to tell a name
from a description. A line grammar cannot decide; these functions do, by reading the two
sections against each other: an arm lists each of its interventions as the name followed by
that intervention's description, exactly as the Interventions section prints them. The
labelled layout's ``Group Type`` / ``Intervention Type`` lines settle most cases outright.

The arm reader itself, with the scores it weighs readings by, is ``arms.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Final

from ctparse.model import Arm, Intervention, InterventionType
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.tokens import Token
from ctparse.pages.trial.arms import (
    INTERVENTION_TYPE,
    MAX_DESCRIPTION_LINES,
    TEXT,
    ArmReader,
    GroupLines,
    joined,
    kind_at,
    label_like,
    line_text,
    table_score,
)
from ctparse.pages.trial.values import after_prefix

__all__ = ["read_groups"]

# How many places of a line a reading of Interventions tries (a line repeated more is rare).
_MAX_REPEATS: Final = 64

# (token, code, section, detail): how a reading reports a line it cannot use.
Report = Callable[[Token, DiagnosticCode, str, str], None]


def _labelled_interventions(tokens: list[Token], report: Report) -> tuple[Intervention, ...]:
    found: list[Intervention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != TEXT:
            report(
                token,
                DiagnosticCode.INCOMPLETE_ENTRY,
                "Interventions",
                "an 'Intervention Type' line with no name before it",
            )
            i += 1
            continue
        name = line_text(token)
        kind: InterventionType | None = None
        i += 1
        if kind_at(tokens, i) == INTERVENTION_TYPE:
            kind = InterventionType(after_prefix(line_text(tokens[i]), "intervention_type"))
            i += 1
        start = i
        # The description runs up to the next name, which its type line gives away.
        while kind_at(tokens, i) == TEXT and kind_at(tokens, i + 1) != INTERVENTION_TYPE:
            i += 1
        description = joined([line_text(t) for t in tokens[start:i]])
        found.append(Intervention(name=name, type=kind, description=description))
    return tuple(found)


class _GroupIndex:
    """Where each Study Groups line stands, and which lines stand right before it."""

    def __init__(self, group_lines: list[str]) -> None:
        self.lines = group_lines
        self.listed = set(group_lines)
        self.positions: dict[str, list[int]] = {}
        self.before: dict[str, set[str | None]] = {}
        for index, line in enumerate(group_lines):
            self.positions.setdefault(line, []).append(index)
            self.before.setdefault(line, set()).add(group_lines[index - 1] if index else None)


def _segment(lines: list[str], index: _GroupIndex, *, strict: bool = True) -> list[tuple[int, int]]:
    """Split bare Interventions lines into runs of a name and its description lines.

    Choose the split that Study Groups bears out best: an arm prints each intervention as
    its name followed by the very same description lines; names are short, descriptions
    read as sentences. ``strict`` also asks that a description line stand nowhere else in
    Study Groups. Dynamic programming over the lines; a run only grows while Study Groups
    holds it, so the work stays linear in practice.
    """
    n = len(lines)
    group_lines, listed = index.lines, index.listed
    positions, before = index.positions, index.before

    def name_score(line: str) -> float:
        return 0.5 if label_like(line) else 0.0

    best = [0.0] * (n + 1)
    step = [1] * (n + 1)
    for s in range(n - 1, -1, -1):
        # Each run costs a little, so that a longer run that Study Groups bears out wins.
        best[s] = (1.0 if lines[s] in listed else 0.5) + name_score(lines[s]) - 0.01
        best[s] += best[s + 1]
        if s + 2 <= n and lines[s] not in listed and lines[s + 1] not in listed:
            # An intervention no arm lists: assume the usual one-line description.
            score = 0.99 + name_score(lines[s]) + best[s + 2]
            if score > best[s]:
                best[s], step[s] = score, 2
        # Bounded, as no real page repeats a name in hundreds of arms or describes an
        # intervention in more lines than an arm's description may have.
        live = positions.get(lines[s], [])[:_MAX_REPEATS]
        length = 1
        short_lines = 0
        while live and s + length < n and length <= MAX_DESCRIPTION_LINES:
            following = lines[s + length]
            if strict and before.get(following) != {lines[s + length - 1]}:
                break
            live = [
                p
                for p in live
                if p + length < len(group_lines) and group_lines[p + length] == following
            ]
            length += 1
            if not live:
                break
            short_lines += label_like(following)
            score = length - 0.01 + name_score(lines[s]) + best[s + length] - 0.5 * short_lines
            if score > best[s]:
                best[s], step[s] = score, length
    runs = []
    i = 0
    while i < n:
        runs.append((i, i + step[i]))
        i += step[i]
    return runs


def read_groups(
    group_items: Sequence[Token], intervention_items: Sequence[Token], report: Report
) -> tuple[tuple[Arm, ...], tuple[Intervention, ...]]:
    """Arms and interventions, read from the two sections together.

    The labelled layout says which line is a name. For the bare layout, each plausible way
    to split the Interventions section is tried, Study Groups is read against it, and the
    reading that explains both sections best is kept.
    """
    groups = [t for t in group_items if t]
    items = [t for t in intervention_items if t]
    # A labelled page says so in either section: a description line in Study Groups that
    # names a typed intervention is then no intervention of the arm.
    read_lines = GroupLines(groups, labelled=any(t.type != TEXT for t in (*groups, *items)))
    if any(t.type == INTERVENTION_TYPE for t in items):
        tables = [_labelled_interventions(items, report)]
    elif items:
        lines = [line_text(t) for t in items]
        # (``kinds`` ends with an extra None, for the line after the last.)
        texts = zip(read_lines.text, read_lines.kinds, strict=False)
        index = _GroupIndex([text for text, kind in texts if kind == TEXT])
        splits = {
            tuple(_segment(lines, index)),
            tuple(_segment(lines, index, strict=False)),
            tuple((i, min(i + 2, len(lines))) for i in range(0, len(lines), 2)),
            tuple((i, i + 1) for i in range(len(lines))),
        }
        tables = [
            tuple(
                Intervention(name=lines[start], description=joined(lines[start + 1 : end]))
                for start, end in split
            )
            for split in sorted(splits)
        ]
    else:
        tables = [()]
    # Most plausible reading first; arms never score above zero, so a reading whose own
    # score is already below the best total cannot win and is not read.
    scored = sorted(((table_score(table, ()), table) for table in tables), key=lambda t: -t[0])
    best: tuple[float, tuple[Arm, ...], tuple[Intervention, ...], ArmReader] | None = None
    for own_score, table in scored:
        if best is not None and own_score < best[0]:
            continue
        reader = ArmReader(read_lines, table)
        arms, score = reader.read()
        score += table_score(table, arms)
        if best is None or score > best[0]:
            best = (score, arms, table, reader)
    assert best is not None
    _, arms, table, reader = best
    for token in reader.stray:
        report(
            token,
            DiagnosticCode.MISPLACED_LINE,
            "Study Groups",
            f"'{line_text(token)}' stands where an arm label belongs",
        )
    return arms, table + _check_blocks(read_lines, reader.blocks, table, report)


def _check_blocks(
    lines: GroupLines,
    blocks: Sequence[tuple[int, int]],
    table: Sequence[Intervention],
    report: Report,
) -> tuple[Intervention, ...]:
    """Hold each arm's intervention block against the Interventions section.

    A block says what the section says, or it is reported line by line; a block whose name
    the section lacks (or a page without the section) is an intervention of its own, so its
    type and description are kept, not lost.
    """
    known: dict[str, list[Intervention]] = {}
    for item in table:
        known.setdefault(item.name, []).append(item)  # names may repeat
    extra: dict[str, Intervention] = {}
    for start, end in blocks:
        name = lines.text[start]
        typed = start + 1 < end and lines.kinds[start + 1] == INTERVENTION_TYPE
        first = start + 2 if typed else start + 1
        kind = (
            InterventionType(after_prefix(lines.text[start + 1], "intervention_type"))
            if typed
            else None
        )
        description = joined(lines.text[first:end])
        listed = known.get(name) or ([extra[name]] if name in extra else [])
        if not listed:
            extra[name] = Intervention(name=name, type=kind, description=description)
            continue
        if kind is not None and all(kind != item.type for item in listed):
            report(
                lines.tokens[start + 1],
                DiagnosticCode.CONTRADICTION,
                "Study Groups",
                f"'{lines.text[start + 1]}' for '{name}' differs from the "
                f"Interventions section ({listed[0].type or 'no type'})",
            )
        if first < end and all(description != item.description for item in listed):
            for token in lines.tokens[first:end]:
                report(
                    token,
                    DiagnosticCode.CONTRADICTION,
                    "Study Groups",
                    f"description line of '{name}' differs from the Interventions section",
                )
    return tuple(extra.values())


# Scores are rough log-odds from the 400 registry records: how much rarer a reading makes
# the page. Few arms lack interventions (5 %) or a description (15 %), few interventions
# lack a description (6 %), and one arm in eleven has a description of several lines.
