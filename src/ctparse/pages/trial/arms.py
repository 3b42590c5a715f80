"""The arm reader: which Study Groups lines are an arm's label, its description and its
interventions, for one reading of the Interventions section.

Dynamic programming over the section's lines; each reading is scored, and the scores below
were tuned together on the registry records, so they sit beside the reading they weigh.
``groups.py`` chooses among the readings of Interventions and reports what is left over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Final

from ctparse.model import Arm, ArmGroupType, Intervention
from ctparse.pages.markdown import unescape
from ctparse.pages.tokens import Token
from ctparse.pages.trial.values import after_prefix

__all__ = [
    "GROUP_TYPE",
    "INTERVENTION_TYPE",
    "MAX_DESCRIPTION_LINES",
    "TEXT",
    "ArmReader",
    "GroupLines",
    "joined",
    "kind_at",
    "label_like",
    "line_text",
    "table_score",
]

TEXT: Final = "TEXT"
GROUP_TYPE: Final = "GROUP_TYPE"
INTERVENTION_TYPE: Final = "INTERVENTION_TYPE"


def line_text(token: Token) -> str:
    return str(token).strip()


def kind_at(tokens: Sequence[Token], index: int) -> str | None:
    return tokens[index].type if index < len(tokens) else None


def joined(lines: Sequence[str]) -> str | None:
    """Description lines as one text, escapes removed; ``None`` when there are none."""
    return "\n".join([_plain(line) for line in lines]) or None


def _plain(line: str) -> str:
    # Most lines hold no escape: the check here spares the compiled build a call into
    # ``unescape``, which runs as Python.
    return unescape(line) if "\\" in line else line


_NO_INTERVENTION_DESCRIPTION: Final = -2.75
_UNUSED_INTERVENTION: Final = -2.0
_DUPLICATE: Final = -5.0
_ARM_WITHOUT_INTERVENTIONS: Final = -3.0
_ARM_WITHOUT_DESCRIPTION: Final = -1.7
_MULTILINE_DESCRIPTION: Final = -2.0
_EXTRA_LINE: Final = -0.4
_LABEL_IN_DESCRIPTION: Final = -2.5
_LONG_LABEL: Final = -3.9
_SHORT_DESCRIPTION: Final = -0.5
_NAME_LIKE_DESCRIPTION: Final = -1.0
_DESCRIBED_BY_A_NAME: Final = -2.0
_LABEL_IS_A_NAME: Final = -1.0
_NAMED_AFTER_INTERVENTION: Final = 0.3
_LABELLED_WITH_TYPE: Final = 0.5
_ARM: Final = -1.0
MAX_DESCRIPTION_LINES: Final = 40
_MAX_LABELLED_LINES: Final = 2000
_MAX_INTERVENTIONS: Final = 60
_LARGE_SECTION: Final = 2000
# Below any score (``float`` of a string is not worked out again for every line).
_NOTHING: Final = float("-inf")
# Any reading that places every line beats one that leaves a line over.
_STRAY: Final = -1000.0


def table_score(table: Sequence[Intervention], arms: Sequence[Arm]) -> float:
    """How plausible an Interventions reading is, given the arms read with it."""
    names = [item.name for item in table]
    used = {name for arm in arms for name in arm.interventions}
    score = _DUPLICATE * (len(names) - len(set(names)))
    score += _NO_INTERVENTION_DESCRIPTION * sum(item.description is None for item in table)
    score += _NAME_LIKE_DESCRIPTION * sum(
        item.description is not None and label_like(item.description) for item in table
    )
    if arms:
        score += _UNUSED_INTERVENTION * sum(name not in used for name in set(names))
    return score


# ``[^\S\x1c-\x1f]``: white space as Unicode has it, which ``\s`` of ``re`` takes four
# separator controls into.
_LIST_ITEM: Final = re.compile(r"\\?(?:[*•\-]|\d{1,3}\\?[.)]|\(\d{1,3}\))[^\S\x1c-\x1f]")
# The ASCII characters a list item can start with: a line starting with any other ASCII
# character is not one, and is not given to the regular expression.
_ASCII_ITEM_STARTS: Final = "\\*-(0123456789"


def label_like(line: str, limit: int = 60) -> bool:
    """Short, not a sentence, not a list item: how labels and names look."""
    if len(line) > limit or line.endswith((".", ":", ";", ",")):
        return False
    first = line[:1]
    if first < "\x80" and first not in _ASCII_ITEM_STARTS:
        return True
    return _LIST_ITEM.match(line) is None


class GroupLines:
    """What the arm reader asks of each Study Groups line, worked out once per section."""

    def __init__(self, tokens: list[Token], *, labelled: bool) -> None:
        self.tokens = tokens
        self.kinds = [t.type for t in tokens] + [None]
        self.text = [line_text(t) for t in tokens]
        self.plain = [_plain(line) for line in self.text]
        self.folded = [line.casefold() for line in self.text]
        self.fits_label = [label_like(line, 100) for line in self.text]
        # ``label_like(line)``: the same test with the lower length limit.
        self.short = [
            fits and len(line) <= 60 for fits, line in zip(self.fits_label, self.text, strict=True)
        ]
        self.shorts_before = [0]
        for short in self.short:
            self.shorts_before.append(self.shorts_before[-1] + short)
        self.labelled = labelled


class ArmReader:
    """Dynamic programming over Study Groups lines for one reading of Interventions.

    An arm is a label, description lines, a ``Group Type`` line (labelled), then blocks of
    an intervention name with its description lines. Scores favour arms that give
    interventions, one-line descriptions, and few arms; every arm's end is tried.
    """

    def __init__(self, lines: GroupLines, table: Sequence[Intervention]) -> None:
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
        if kinds[i] != TEXT:
            return None
        j = i + 1
        typed = kinds[j] == INTERVENTION_TYPE
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
            and all(kind == TEXT for kind in kinds[j:end])
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
        limit = _MAX_LABELLED_LINES if lines.labelled else MAX_DESCRIPTION_LINES
        if n > _LARGE_SECTION:
            limit = 3
        for i in range(n - 1, -1, -1):
            if kinds[i] != TEXT:
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
        typed_bound = described + _LABELLED_WITH_TYPE if labelled else _NOTHING
        best_i = _NOTHING
        best_plan: tuple[int, int, int, int] | None = None
        label = lines.folded[i]
        description_end = i + 1
        while True:
            after = description_end
            typed = kinds[after] == GROUP_TYPE
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
            if kinds[description_end] != TEXT or description_end - i > limit:
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
                    description=joined(lines.text[i + 1 : description_end]),
                    interventions=tuple(names),
                )
            )
            i = end
        return tuple(arms)


def _labelled_block_end(tokens: list[Token], i: int) -> int:
    """A labelled intervention block with no Interventions section to check it against:
    its description runs until a line that begins the next intervention or arm."""
    while kind_at(tokens, i) == TEXT:
        after = kind_at(tokens, i + 1)
        if after in (INTERVENTION_TYPE, GROUP_TYPE):
            break
        if after == TEXT and kind_at(tokens, i + 2) == GROUP_TYPE:
            break
        i += 1
    return i
