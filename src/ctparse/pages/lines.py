"""Prepare raw page text for the grammar: one newline style, no BOM, lines glued back apart.

Everything here keeps line numbers meaningful: a split line is recorded so that positions
can be reported in the caller's own lines, and a cut-off tail is blanked, not removed.
"""

from __future__ import annotations

import bisect
import difflib
from typing import Final

from attrs import frozen

from ctparse.pages.trial.vocabulary import (
    RESULTS_AVAILABLE,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_PENDING_LABEL,
    SECTIONS,
)

__all__ = ["CutOff", "NearHelper", "Source", "prepare"]

# What must follow each fixed line. A heading is only a heading when its helper follows, and
# a page cut inside one of these lines is cut off, not malformed.
# (``Final``, so that the compiled build reads them without a look-up by name.)
_FOLLOWERS: Final[dict[str, tuple[str, ...]]] = {
    heading: (helper,) for heading, helper in SECTIONS if helper
}
_FOLLOWERS["Study Results"] = (
    RESULTS_PENDING_LABEL,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_AVAILABLE,
)
_FOLLOWERS[RESULTS_PENDING_LABEL] = (RESULTS_PENDING,)
_FOLLOWERS[RESULTS_AVAILABLE_LABEL] = (RESULTS_AVAILABLE,)
_HEADINGS: Final = tuple(heading for heading, _ in SECTIONS)
_SECTION_OF: Final = {heading: heading for heading in _HEADINGS}
_SECTION_OF.update(
    {RESULTS_PENDING_LABEL: "Study Results", RESULTS_AVAILABLE_LABEL: "Study Results"}
)
_HELPER_OF: Final = {heading: helper for heading, helper in SECTIONS if helper}
# A line this much like a heading's helper sentence, and not it, is reported: the section
# is then not recognised, and its lines would silently join the section before.
_NEAR_HELPER: Final = 0.85


# The quick check of every page reads its lines once: a heading glued to the end of a longer
# line is looked for only among the headings that end as the line does.
_TAIL: Final = 4
_ENDING_SO: Final = {
    heading[-_TAIL:]: tuple(h for h in _HEADINGS if h.endswith(heading[-_TAIL:]))
    for heading in _HEADINGS
}
_LAST_LETTERS: Final = "".join(sorted({heading[-1] for heading in _HEADINGS}))
# Lines shorter than this hold no heading glued after something else.
_SHORTEST_GLUED: Final = min(len(heading) for heading in _HEADINGS) + 1
# Lines longer than this are no heading (nor a label of Study Results).
_LONGEST_HEADING: Final = max(len(heading) for heading in _SECTION_OF)


@frozen(kw_only=True)
class NearHelper:
    """A heading line followed by a line that is nearly, but not, its helper sentence."""

    line: int
    section: str


@frozen(kw_only=True)
class CutOff:
    """The page ends inside a fixed line or right after a heading."""

    line: int
    section: str


@frozen(kw_only=True)
class Source:
    """Page text ready for the grammar, with what it takes to speak of the caller's lines."""

    text: str
    # Prepared-text line numbers (1-based) at which a glued line was split in two.
    splits: tuple[int, ...] = ()
    # Column offsets of the second halves, by prepared line number.
    split_columns: tuple[int, ...] = ()
    cut_off: CutOff | None = None
    # What the cut-off tail held before it was blanked for the grammar.
    cut_lines: tuple[str, ...] = ()
    last_line: int = 1
    ends_with_newline: bool = True
    near_helpers: tuple[NearHelper, ...] = ()

    @property
    def whole_text(self) -> str:
        """The prepared text with the cut-off tail put back: what the caller gave."""
        if not self.cut_lines:
            return self.text
        lines = self.text.split("\n")
        start = len(lines) - 1 - len(self.cut_lines)
        lines[start:-1] = self.cut_lines
        return "\n".join(lines)

    def position(self, line: int, column: int = 1) -> tuple[int, int]:
        """The caller's (line, column) of a position in the prepared text."""
        if not self.splits:
            return line, column
        index = bisect.bisect_right(self.splits, line)
        if index and self.splits[index - 1] == line:
            column += self.split_columns[index - 1]
        return line - index, column


def prepare(raw: str) -> Source:
    """Normalise newlines, drop a BOM and trailing blanks, split glued headings."""
    text = raw[1:] if raw.startswith("\ufeff") else raw
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    ends_with_newline = text.endswith("\n")
    if not ends_with_newline:
        text += "\n"
    lines = text.split("\n")
    lines.pop()  # the empty string after the newline that ends the text
    if not _needs_mending(lines):
        # The common page: nothing to mend but, perhaps, a cut-off tail.
        cut_off = _cut_off_tail(lines)
        if cut_off is None:
            return Source(text=text, last_line=len(lines), ends_with_newline=ends_with_newline)
    # Any white space at a line's end goes (a line of only \xa0 is blank), and a heading
    # indented by the scrape is still a heading.
    lines = [line.rstrip() for line in lines]
    lines = [
        line.lstrip() if line[:1].isspace() and line.lstrip() in _SECTION_OF else line
        for line in lines
    ]
    lines, splits, split_columns = _split_glued_headings(lines)
    near_helpers = _mend_helpers(lines)
    cut_off = _cut_off_tail(lines)
    cut_lines: tuple[str, ...] = ()
    if cut_off is not None:
        cut_lines = tuple(lines[cut_off.line - 1 :])
        for number in range(cut_off.line - 1, len(lines)):
            lines[number] = ""
    return Source(
        text="\n".join(lines) + "\n",
        splits=tuple(splits),
        split_columns=tuple(split_columns),
        cut_off=cut_off,
        cut_lines=cut_lines,
        last_line=len(lines) - len(splits),
        ends_with_newline=ends_with_newline,
        near_helpers=near_helpers,
    )


def _needs_mending(lines: list[str]) -> bool:
    """Does any line end in white space, start with it before a heading, end with a heading
    glued to something else, or follow a heading as its helper spoilt (``_helper_problem``)?

    A heading's helper is the next line that is not empty; the line found so is not itself
    taken as a heading, so that a heading standing where a helper belongs is not checked for
    its own helper here (``_mend_helpers`` checks it when the page is mended).
    """
    heading: str | None = None
    for line in lines:
        if not line:
            continue
        last = line[-1]
        if last.isspace():
            return True
        if line[0].isspace() and line.lstrip() in _SECTION_OF:
            return True
        if last in _LAST_LETTERS and _glued(line):
            return True
        if heading is not None:
            if _helper_problem(heading, line) is not None:
                return True
            heading = None
        elif len(line) <= _LONGEST_HEADING and line in _HELPER_OF:
            heading = line
    return False


def _normal(line: str) -> str:
    """A line with its white space (NBSP included) as single spaces, and none at the ends."""
    return " ".join(line.split())


def _helper_problem(heading: str, line: str) -> str | None:
    """``"mend"`` when ``line`` is the heading's helper but for white space, ``"near"`` when it
    is nearly the helper, else ``None``."""
    helper = _HELPER_OF[heading]
    if line == helper:
        return None
    normal = _normal(line)
    if normal == helper:
        return "mend"
    if abs(len(normal) - len(helper)) > len(helper) // 5:
        return None
    similar = difflib.SequenceMatcher(None, normal.casefold(), helper.casefold(), autojunk=False)
    return "near" if similar.ratio() >= _NEAR_HELPER else None


def _mend_helpers(lines: list[str]) -> tuple[NearHelper, ...]:
    """Put back the exact helper where only white space differs (a leading NBSP, a doubled
    space), and list the lines that are nearly a helper (in prepared line numbers)."""
    near: list[NearHelper] = []
    heading: str | None = None
    for index, line in enumerate(lines):
        if heading is not None and line:
            verdict = _helper_problem(heading, line)
            if verdict == "mend":
                lines[index] = _HELPER_OF[heading]
            elif verdict == "near":
                near.append(NearHelper(line=index + 1, section=heading))
        if line:
            heading = line if line in _HELPER_OF else None
    return tuple(near)


def _split_glued_headings(lines: list[str]) -> tuple[list[str], list[int], list[int]]:
    """``View full resultsBasic Information`` becomes two lines when the helper follows."""
    if not any(_glued(line) for line in lines):
        return lines, [], []
    out: list[str] = []
    splits: list[int] = []
    columns: list[int] = []
    # The next line that is not blank, for every line: one pass from the end.
    following: list[str | None] = [None] * len(lines)
    ahead: str | None = None
    for index in range(len(lines) - 1, -1, -1):
        following[index] = ahead
        if lines[index]:
            ahead = lines[index]
    for index, line in enumerate(lines):
        heading = _glued_heading(line)
        follower = following[index]
        if heading and follower is not None and _follows(heading, follower):
            cut = len(line) - len(heading)
            # ``... regulators. Locations``: the helper before keeps no space at its end.
            out.append(line[:cut].rstrip())
            out.append(heading)
            splits.append(len(out))
            columns.append(cut)
        else:
            out.append(line)
    return out, splits, columns


def _glued(line: str) -> bool:
    """Does a heading end the line without starting it?"""
    if len(line) < _SHORTEST_GLUED:
        return False
    for heading in _ENDING_SO.get(line[-_TAIL:], ()):
        if len(line) > len(heading) and line.endswith(heading):
            return True
    return False


def _glued_heading(line: str) -> str | None:
    if len(line) < _SHORTEST_GLUED:
        return None
    for heading in _HEADINGS:
        if line.endswith(heading) and len(line) > len(heading):
            return heading
    return None


def _follows(fixed: str, follower: str) -> bool:
    return follower in _FOLLOWERS.get(fixed, ())


def _cut_off_tail(lines: list[str]) -> CutOff | None:
    """A page cut right after a heading, or inside the fixed line that must follow it.

    Looks only at the last two lines that are not empty, so it costs nothing on a whole page.
    """
    last = _before_empty(lines, len(lines))
    if last < 0:
        return None
    tail = lines[last]
    if tail in _SECTION_OF:
        return CutOff(line=last + 1, section=_SECTION_OF[tail])
    before = _before_empty(lines, last)
    if before < 0:
        return None
    heading = lines[before]
    if any(f.startswith(tail) and f != tail for f in _FOLLOWERS.get(heading, ())):
        return CutOff(line=before + 1, section=_SECTION_OF.get(heading, "Study Results"))
    return None


def _before_empty(lines: list[str], end: int) -> int:
    """The index of the last line before ``end`` that is not empty; -1 if none is."""
    index = end - 1
    while index >= 0 and not lines[index]:
        index -= 1
    return index
