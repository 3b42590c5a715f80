"""Study Groups and Interventions: which plain line is a name and which a description.

The bare layout prints arms and interventions as plain lines with nothing to tell a name
from a description. A line grammar cannot decide; these functions do, by reading the two
sections against each other: an arm lists each of its interventions as the name followed by
that intervention's description, exactly as the Interventions section prints them. The
labelled layout's ``Group Type`` / ``Intervention Type`` lines settle most cases outright.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lark import Token

from .model import Arm, ArmGroupType, Intervention, InterventionType
from .text import unescape

__all__ = ["build_arms", "build_interventions"]

Report = Callable[[Token, str], None]

_TEXT = "TEXT"
_GROUP_TYPE = "GROUP_TYPE"
_INTERVENTION_TYPE = "INTERVENTION_TYPE"


def _line(token: Token) -> str:
    return str(token)[:-1].strip()


def _kind(tokens: Sequence[Token], index: int) -> str | None:
    return tokens[index].type if index < len(tokens) else None


def build_interventions(
    items: Sequence[Token], group_items: Sequence[Token], report: Report
) -> tuple[Intervention, ...]:
    """The Interventions section: name, ``Intervention Type X`` (labelled), description."""
    tokens = [t for t in items if t]
    if any(t.type == _INTERVENTION_TYPE for t in tokens):
        return _labelled_interventions(tokens, report)
    lines = [_line(t) for t in tokens]
    return tuple(
        Intervention(name=lines[start], description=_description(lines, start, end))
        for start, end in _segment(lines, [_line(t) for t in group_items if t.type == _TEXT])
    )


def _description(lines: list[str], start: int, end: int) -> str | None:
    return unescape(lines[start + 1]) if end - start == 2 else None


def _labelled_interventions(tokens: list[Token], report: Report) -> tuple[Intervention, ...]:
    found: list[Intervention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != _TEXT:
            report(token, "Interventions: an 'Intervention Type' line with no name before it")
            i += 1
            continue
        name = _line(token)
        kind: InterventionType | None = None
        i += 1
        if _kind(tokens, i) == _INTERVENTION_TYPE:
            kind = InterventionType(_line(tokens[i]).removeprefix("Intervention Type "))
            i += 1
        description = None
        if _kind(tokens, i) == _TEXT and _kind(tokens, i + 1) != _INTERVENTION_TYPE:
            description = unescape(_line(tokens[i]))
            i += 1
        found.append(Intervention(name=name, type=kind, description=description))
    return tuple(found)


def _segment(lines: list[str], group_lines: list[str]) -> list[tuple[int, int]]:
    """Split bare Interventions lines into (name, description?) runs.

    Without Study Groups to compare with, every name has a description. With them, choose
    the split that Study Groups bears out best: names that arms list, and name/description
    pairs that arms print one after the other. Linear dynamic programming, no search.
    """
    n = len(lines)
    if not group_lines:
        return [(i, min(i + 2, n)) for i in range(0, n, 2)]
    listed = set(group_lines)
    pairs = set(zip(group_lines, group_lines[1:], strict=False))

    def score(start: int, end: int) -> float:
        name = lines[start]
        value = 1.0 if name in listed else 0.0
        if end - start == 2:
            value += 1.0 if (name, lines[start + 1]) in pairs else 0.25
        return value

    best: list[float] = [0.0] * (n + 1)
    step: list[int] = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        best[i], step[i] = score(i, i + 1) + best[i + 1], 1
        if i + 2 <= n:
            two = score(i, i + 2) + best[i + 2]
            if two >= best[i]:
                best[i], step[i] = two, 2
    runs = []
    i = 0
    while i < n:
        runs.append((i, i + step[i]))
        i += step[i]
    return runs


def build_arms(
    items: Sequence[Token], interventions: Sequence[Intervention], report: Report
) -> tuple[Arm, ...]:
    """Study Groups: per arm its label, description, group type and intervention names."""
    tokens = [t for t in items if t]
    by_name: dict[str, Intervention] = {}
    for intervention in interventions:
        by_name.setdefault(intervention.name, intervention)
    labelled = any(t.type != _TEXT for t in tokens)

    def starts_intervention(i: int) -> bool:
        if _kind(tokens, i) != _TEXT:
            return False
        if _kind(tokens, i + 1) == _INTERVENTION_TYPE:
            return True
        known = by_name.get(_line(tokens[i]))
        if known is None or labelled and known.type is not None:
            return False
        if known.description is None:
            return True
        return _kind(tokens, i + 1) == _TEXT and unescape(_line(tokens[i + 1])) == (
            known.description
        )

    arms: list[Arm] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != _TEXT:
            report(token, f"Study Groups: '{_line(token)}' stands where an arm label belongs")
            i += 1
            continue
        label = _line(token)
        i += 1
        description = None
        if _kind(tokens, i) == _TEXT and not starts_intervention(i):
            description = unescape(_line(tokens[i]))
            i += 1
        kind: ArmGroupType | None = None
        if _kind(tokens, i) == _GROUP_TYPE:
            kind = ArmGroupType(_line(tokens[i]).removeprefix("Group Type "))
            i += 1
        names: list[str] = []
        while starts_intervention(i):
            name = _line(tokens[i])
            names.append(name)
            i += 1
            if _kind(tokens, i) == _INTERVENTION_TYPE:
                i += 1
            if _owns_description(tokens, i, by_name.get(name), labelled):
                i += 1
        arms.append(Arm(label=label, type=kind, description=description, interventions=tuple(names)))
    return tuple(arms)


def _owns_description(
    tokens: list[Token], i: int, known: Intervention | None, labelled: bool
) -> bool:
    """Is the line at ``i`` the description of the intervention just named?"""
    if _kind(tokens, i) != _TEXT:
        return False
    if known is not None:
        return known.description is not None and unescape(_line(tokens[i])) == known.description
    if not labelled:
        return False
    # Labelled page without its Interventions section: a line followed by a type line, or
    # by a line and a group type, begins the next arm or intervention instead.
    after = _kind(tokens, i + 1)
    if after in (_INTERVENTION_TYPE, _GROUP_TYPE):
        return False
    return not (after == _TEXT and _kind(tokens, i + 2) == _GROUP_TYPE)
