"""Study Groups and Interventions: which plain line is a name and which a description.

The bare layout prints arms and interventions as plain lines with nothing to tell a name
from a description. A line grammar cannot decide; these functions do, by reading the two
sections against each other: an arm lists each of its interventions as the name followed by
that intervention's description, exactly as the Interventions section prints them. The
labelled layout's ``Group Type`` / ``Intervention Type`` lines settle most cases outright.

One module, over 400 lines, on purpose: the arm reader, the readings it scores and the
scores themselves are one algorithm, tuned together on the registry records; split apart,
a score would sit far from the reading it weighs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import regex
from lark import Token

from ctparse.model import Arm, ArmGroupType, Intervention, InterventionType
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.markdown import unescape
from ctparse.pages.trial.values import after_prefix

__all__ = ["read_groups"]

# (token, code, section, detail): how a reading reports a line it cannot use.
Report = Callable[[Token, DiagnosticCode, str, str], None]

_TEXT = "TEXT"
_GROUP_TYPE = "GROUP_TYPE"
_INTERVENTION_TYPE = "INTERVENTION_TYPE"


def _line(token: Token) -> str:
    return str(token).strip()


def _kind(tokens: Sequence[Token], index: int) -> str | None:
    return tokens[index].type if index < len(tokens) else None


def _joined(lines: Sequence[str]) -> str | None:
    """Description lines as one text, escapes removed; ``None`` when there are none."""
    return "\n".join(unescape(line) for line in lines) or None


def _labelled_interventions(tokens: list[Token], report: Report) -> tuple[Intervention, ...]:
    found: list[Intervention] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type != _TEXT:
            report(
                token,
                DiagnosticCode.INCOMPLETE_ENTRY,
                "Interventions",
                "an 'Intervention Type' line with no name before it",
            )
            i += 1
            continue
        name = _line(token)
        kind: InterventionType | None = None
        i += 1
        if _kind(tokens, i) == _INTERVENTION_TYPE:
            kind = InterventionType(after_prefix(_line(tokens[i]), "intervention_type"))
            i += 1
        start = i
        # The description runs up to the next name, which its type line gives away.
        while _kind(tokens, i) == _TEXT and _kind(tokens, i + 1) != _INTERVENTION_TYPE:
            i += 1
        description = _joined([_line(t) for t in tokens[start:i]])
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
        return 0.5 if _label_like(line) else 0.0

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
        while live and s + length < n and length <= _MAX_DESCRIPTION_LINES:
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
            short_lines += _label_like(following)
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
    read_lines = _Lines(groups, labelled=any(t.type != _TEXT for t in (*groups, *items)))
    if any(t.type == _INTERVENTION_TYPE for t in items):
        tables = [_labelled_interventions(items, report)]
    elif items:
        lines = [_line(t) for t in items]
        # (``kinds`` ends with an extra None, for the line after the last.)
        texts = zip(read_lines.text, read_lines.kinds, strict=False)
        index = _GroupIndex([text for text, kind in texts if kind == _TEXT])
        splits = {
            tuple(_segment(lines, index)),
            tuple(_segment(lines, index, strict=False)),
            tuple((i, min(i + 2, len(lines))) for i in range(0, len(lines), 2)),
            tuple((i, i + 1) for i in range(len(lines))),
        }
        tables = [
            tuple(
                Intervention(name=lines[start], description=_joined(lines[start + 1 : end]))
                for start, end in split
            )
            for split in sorted(splits)
        ]
    else:
        tables = [()]
    # Most plausible reading first; arms never score above zero, so a reading whose own
    # score is already below the best total cannot win and is not read.
    scored = sorted(((_table_score(table, ()), table) for table in tables), key=lambda t: -t[0])
    best: tuple[float, tuple[Arm, ...], tuple[Intervention, ...], _ArmReader] | None = None
    for own_score, table in scored:
        if best is not None and own_score < best[0]:
            continue
        reader = _ArmReader(read_lines, table)
        arms, score = reader.read()
        score += _table_score(table, arms)
        if best is None or score > best[0]:
            best = (score, arms, table, reader)
    assert best is not None
    _, arms, table, reader = best
    for token in reader.stray:
        report(
            token,
            DiagnosticCode.MISPLACED_LINE,
            "Study Groups",
            f"'{_line(token)}' stands where an arm label belongs",
        )
    return arms, table + _check_blocks(read_lines, reader.blocks, table, report)


def _check_blocks(
    lines: _Lines,
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
        typed = start + 1 < end and lines.kinds[start + 1] == _INTERVENTION_TYPE
        first = start + 2 if typed else start + 1
        kind = (
            InterventionType(after_prefix(lines.text[start + 1], "intervention_type"))
            if typed
            else None
        )
        description = _joined(lines.text[first:end])
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
_NO_INTERVENTION_DESCRIPTION = -2.75
_UNUSED_INTERVENTION = -2.0
_DUPLICATE = -5.0
_ARM_WITHOUT_INTERVENTIONS = -3.0
_ARM_WITHOUT_DESCRIPTION = -1.7
_MULTILINE_DESCRIPTION = -2.0
_EXTRA_LINE = -0.4
_LABEL_IN_DESCRIPTION = -2.5
_LONG_LABEL = -3.9
_SHORT_DESCRIPTION = -0.5
_NAME_LIKE_DESCRIPTION = -1.0
_DESCRIBED_BY_A_NAME = -2.0
_LABEL_IS_A_NAME = -1.0
_NAMED_AFTER_INTERVENTION = 0.3
_LABELLED_WITH_TYPE = 0.5
_ARM = -1.0
_MAX_DESCRIPTION_LINES = 40
_MAX_LABELLED_LINES = 2000
_MAX_INTERVENTIONS = 60
_MAX_REPEATS = 64
_LARGE_SECTION = 2000
# Any reading that places every line beats one that leaves a line over.
_STRAY = -1000.0


def _table_score(table: Sequence[Intervention], arms: Sequence[Arm]) -> float:
    """How plausible an Interventions reading is, given the arms read with it."""
    names = [item.name for item in table]
    used = {name for arm in arms for name in arm.interventions}
    score = _DUPLICATE * (len(names) - len(set(names)))
    score += _NO_INTERVENTION_DESCRIPTION * sum(item.description is None for item in table)
    score += _NAME_LIKE_DESCRIPTION * sum(
        item.description is not None and _label_like(item.description) for item in table
    )
    if arms:
        score += _UNUSED_INTERVENTION * sum(name not in used for name in set(names))
    return score


_LIST_ITEM = regex.compile(r"\\?(?:[*•\-]|\d{1,3}\\?[.)]|\(\d{1,3}\))\s")


def _label_like(line: str, limit: int = 60) -> bool:
    """Short, not a sentence, not a list item: how labels and names look."""
    if len(line) > limit or line.endswith((".", ":", ";", ",")):
        return False
    return _LIST_ITEM.match(line) is None


class _Lines:
    """What the arm reader asks of each Study Groups line, worked out once per section."""

    def __init__(self, tokens: list[Token], *, labelled: bool) -> None:
        self.tokens = tokens
        self.kinds = [t.type for t in tokens] + [None]
        self.text = [_line(t) for t in tokens]
        self.plain = [unescape(line) for line in self.text]
        self.folded = [line.casefold() for line in self.text]
        self.fits_label = [_label_like(line, 100) for line in self.text]
        # ``_label_like(line)``: the same test with the lower length limit.
        self.short = [
            fits and len(line) <= 60 for fits, line in zip(self.fits_label, self.text, strict=True)
        ]
        self.shorts_before = [0]
        for short in self.short:
            self.shorts_before.append(self.shorts_before[-1] + short)
        self.labelled = labelled


class _ArmReader:
    """Dynamic programming over Study Groups lines for one reading of Interventions.

    An arm is a label, description lines, a ``Group Type`` line (labelled), then blocks of
    an intervention name with its description lines. Scores favour arms that give
    interventions, one-line descriptions, and few arms; every arm's end is tried.
    """

    def __init__(self, lines: _Lines, table: Sequence[Intervention]) -> None:
        self.lines = lines
        self.by_name: dict[str, Intervention] = {}
        for intervention in table:
            self.by_name.setdefault(intervention.name, intervention)
        self.has_table = bool(table)
        n = len(lines.text)
        self.is_name = [line in self.by_name for line in lines.text] + [False]
        self.block = [self._block_end(i) for i in range(n)] + [None]
        self.chains: list[list[tuple[int, int, int, str | None]] | None] = [None] * (n + 1)
        # Filled by ``read``: lines left over, and the (start, end) of each intervention
        # block the arms read.
        self.stray: list[Token] = []
        self.blocks: list[tuple[int, int]] = []

    def _block_end(self, i: int) -> int | None:
        """Where the intervention block starting at ``i`` ends; ``None`` if none starts."""
        lines = self.lines
        kinds = lines.kinds
        if kinds[i] != _TEXT:
            return None
        j = i + 1
        typed = kinds[j] == _INTERVENTION_TYPE
        if typed:
            j += 1
        known = self.by_name.get(lines.text[i])
        if known is None:
            return _labelled_block_end(lines.tokens, j) if typed else None
        if lines.labelled and not typed and known.type is not None:
            return None
        expected = known.description.split("\n") if known.description else []
        end = j + len(expected)
        if (
            expected
            and end <= len(lines.text)
            and all(kind == _TEXT for kind in kinds[j:end])
            and lines.plain[j:end] == expected
        ):
            return end
        # A typed block whose description differs ends at its type line: what follows is
        # read as what it can be (the next arm, say), not taken on trust as description.
        return j if typed or not expected else None

    def _header_scores(self, start: int) -> tuple[float, float]:
        """The score of an arm's label alone, and with a one-line description: the parts of
        an arm's header score that stay the same while its description grows."""
        lines = self.lines
        # The registry caps arm labels at 100 characters.
        score = _ARM + (0.0 if lines.fits_label[start] else _LONG_LABEL)
        if self.is_name[start]:
            score += _LABEL_IS_A_NAME
        if start + 1 >= len(lines.text):
            return score + _ARM_WITHOUT_DESCRIPTION, score
        described = score
        if self.is_name[start + 1]:
            described += _DESCRIBED_BY_A_NAME
        elif lines.short[start + 1]:
            described += _SHORT_DESCRIPTION
        return score + _ARM_WITHOUT_DESCRIPTION, described

    def _chain(self, start: int) -> list[tuple[int, int, int, str | None]]:
        """The ends an arm's intervention blocks can give it from ``start`` on: for each,
        (end, number of blocks, repeated names, the last block's folded name). The same
        for every arm whose blocks begin at ``start``, so worked out once."""
        found = self.chains[start]
        if found is not None:
            return found
        found = [(start, 0, 0, None)]
        end, count, duplicates = start, 0, 0
        seen: set[str] = set()
        while True:
            block = self.block[end]
            if block is None or count == _MAX_INTERVENTIONS:
                break
            name = self.lines.folded[end]
            duplicates += name in seen
            seen.add(name)
            count += 1
            end = block
            found.append((end, count, duplicates, name))
        self.chains[start] = found
        return found

    def read(self) -> tuple[tuple[Arm, ...], float]:
        lines = self.lines
        kinds = lines.kinds
        n = len(lines.text)
        best = [0.0] * (n + 1)
        # For each start: (description end, after the type line, arm end, number of blocks).
        plan: list[tuple[int, int, int, int] | None] = [None] * (n + 1)
        # A labelled page ends each description at a type line; a huge section (no real
        # page has one) is read with short descriptions, to stay linear.
        limit = _MAX_LABELLED_LINES if lines.labelled else _MAX_DESCRIPTION_LINES
        if n > _LARGE_SECTION:
            limit = 3
        for i in range(n - 1, -1, -1):
            if kinds[i] != _TEXT:
                best[i] = best[i + 1] + _STRAY  # a typed line left over: skipped, reported
                continue
            self._read_arm(i, limit, best, plan)
        return self._arms(plan), best[0]

    def _read_arm(
        self, i: int, limit: int, best: list[float], plan: list[tuple[int, int, int, int] | None]
    ) -> None:
        """The best arm starting at line ``i``, every later start already settled."""
        lines = self.lines
        kinds, labelled, shorts_before = lines.kinds, lines.labelled, lines.shorts_before
        chains = self.chains
        has_table = self.has_table
        # No arm scores above zero, and so no reading of the lines after an arm does
        # (``best`` of what follows is at most 0): an arm's score is at most its header's
        # plus the bonus for being named after an intervention.
        bonus = _NAMED_AFTER_INTERVENTION if has_table else 0.0
        without_description, described = self._header_scores(i)
        # A description that grows only loses points, unless a type line may yet end it
        # (labelled pages) and so take the multi-line penalty away.
        typed_bound = described + _LABELLED_WITH_TYPE if labelled else float("-inf")
        best_i = float("-inf")
        best_plan: tuple[int, int, int, int] | None = None
        label = lines.folded[i]
        description_end = i + 1
        while True:
            after = description_end
            typed = kinds[after] == _GROUP_TYPE
            if typed:
                after += 1
            # The label, description and type of the arm.
            count = description_end - i - 1
            header = without_description if count == 0 else described
            if count > 1 and not (labelled and typed):
                # A group type line marks the end for certain; otherwise a line that could
                # be the next arm's label is suspect inside a description.
                header += _MULTILINE_DESCRIPTION + _EXTRA_LINE * (count - 2)
                header += _LABEL_IN_DESCRIPTION * (
                    shorts_before[description_end] - shorts_before[i + 2]
                )
            if labelled and typed:
                header += _LABELLED_WITH_TYPE
            # Neither this description nor a longer one can beat the best found: stop (a
            # margin keeps rounding from ever cutting off a tie's winner).
            if count and (header if header > typed_bound else typed_bound) + bonus < best_i - 1e-9:
                break
            named = False
            for end, blocks, duplicates, name in chains[after] or self._chain(after):
                if name is not None and not named:
                    named = name in label or label in name
                score = header + best[end]
                if has_table:
                    score += _DUPLICATE * duplicates
                    score += _NAMED_AFTER_INTERVENTION if named else 0.0
                    score += 0.0 if blocks else _ARM_WITHOUT_INTERVENTIONS
                if score > best_i:
                    best_i, best_plan = score, (description_end, after, end, blocks)
            if kinds[description_end] != _TEXT or description_end - i > limit:
                break
            description_end += 1
        best[i], plan[i] = best_i, best_plan

    def _arms(self, plan: list[tuple[int, int, int, int] | None]) -> tuple[Arm, ...]:
        lines = self.lines
        arms: list[Arm] = []
        stray = self.stray
        i = 0
        while i < len(lines.text):
            step = plan[i]
            if step is None:
                stray.append(lines.tokens[i])
                i += 1
                continue
            description_end, after, end, count = step
            names = []
            block = after
            for _ in range(count):
                names.append(lines.text[block])
                block_end = self.block[block] or block + 1
                self.blocks.append((block, block_end))
                block = block_end
            kind = None
            if after > description_end:
                kind = ArmGroupType(after_prefix(lines.text[description_end], "group_type"))
            arms.append(
                Arm(
                    label=lines.text[i],
                    type=kind,
                    description=_joined(lines.text[i + 1 : description_end]),
                    interventions=tuple(names),
                )
            )
            i = end
        return tuple(arms)


def _labelled_block_end(tokens: list[Token], i: int) -> int:
    """A labelled intervention block with no Interventions section to check it against:
    its description runs until a line that begins the next intervention or arm."""
    while _kind(tokens, i) == _TEXT:
        after = _kind(tokens, i + 1)
        if after in (_INTERVENTION_TYPE, _GROUP_TYPE):
            break
        if after == _TEXT and _kind(tokens, i + 2) == _GROUP_TYPE:
            break
        i += 1
    return i
