"""Where a page starts: the one rule that ``parse`` (a second page in a text) and the dump
splitter (``ctparse.batch.splitter``, on bytes) both follow, so the command and the library
agree on what is one page.

A ``NCT ID: NCT########`` line starts a new page when the page so far already holds more than
its header (its title, ``NCT ID:`` and ``Last Updated:`` lines): the new page starts at its
title, the content line before the ``NCT ID:`` line, unless that line is part of a page's fixed
wording (a heading, a helper sentence, a label, a header line), in which case the new page has
no title and starts at the ``NCT ID:`` line itself.

A ``Study Results`` heading (followed by its results label or sentence) starts a new page
only when the page so far already holds a section heading of its own (``holds_section``):
an excerpt that starts at that heading follows a page with sections, whereas a page whose
``NCT ID:`` line is mistyped holds only its title and header before its own ``Study Results``,
and stays one page (as ``parse`` reads it, reporting the mistyped line).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable

from ctparse.pages.trial.vocabulary import (
    BASIC_LABELS,
    DESIGN_LABELS,
    HEADINGS,
    RESULTS_AVAILABLE,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_PENDING_LABEL,
    SECTIONS,
    VIEW_FULL_RESULTS,
)

__all__ = [
    "FIXED_LINES",
    "NCT_ID_LINE",
    "SECTION_HEADING_BYTES",
    "Start",
    "StartTracker",
    "holds_section",
    "is_fixed_line",
    "is_header_bytes",
    "is_header_line",
    "nct_id_start",
    "second_page_start",
]

_NCT_ID = r"NCT ID: (NCT\d{8})"
NCT_ID_LINE = re.compile(_NCT_ID)
_NCT_NUMBER = re.compile(r"NCT\d{8}")
_LAST_UPDATED = "Last Updated: "
# The same header test on bytes, for the dump splitter's per-line loop.
_NCT_ID_BYTES = re.compile(_NCT_ID.encode())
_LAST_UPDATED_BYTES = _LAST_UPDATED.encode()

# Lines that are part of the page's fixed wording: never a trial's title.
FIXED_LINES = frozenset(
    (
        *(part for section in SECTIONS for part in section if part),
        RESULTS_PENDING,
        RESULTS_AVAILABLE,
        RESULTS_PENDING_LABEL,
        RESULTS_AVAILABLE_LABEL,
        VIEW_FULL_RESULTS,
        *BASIC_LABELS.values(),
        *DESIGN_LABELS.values(),
    )
)


# Section headings as bytes, for the dump splitter.
SECTION_HEADING_BYTES = frozenset(heading.encode() for heading in HEADINGS)


def holds_section(lines: Iterable[bytes | None]) -> bool:
    """Whether a page's lines so far (without their line breaks) hold a section heading:
    only then may a ``Study Results`` heading start another page."""
    return any(line in SECTION_HEADING_BYTES for line in lines if line is not None)


class Start(enum.Enum):
    """Where the page an ``NCT ID:`` line belongs to starts."""

    AT_TITLE = "title"  # at the content line before the NCT ID line
    AT_NCT_ID = "nct_id"  # at the NCT ID line (a page without a title)


def is_header_line(line: str) -> bool:
    """An ``NCT ID:`` or ``Last Updated:`` line: part of a page's header, not of its body."""
    return NCT_ID_LINE.fullmatch(line) is not None or line.startswith(_LAST_UPDATED)


def is_header_bytes(line: bytes) -> bool:
    """``is_header_line`` for a line of UTF-8 bytes."""
    return _NCT_ID_BYTES.fullmatch(line) is not None or line.startswith(_LAST_UPDATED_BYTES)


def is_fixed_line(line: str) -> bool:
    """A line of a page's fixed wording, a header line or an NCT number: never a title."""
    return line in FIXED_LINES or _NCT_NUMBER.fullmatch(line) is not None or is_header_line(line)


def nct_id_start(previous: str | None, previous_is_first: bool, has_body: bool) -> Start | None:
    """Whether an ``NCT ID:`` line starts a new page, and where.

    ``previous`` is the content line before it (``None``: none in the page so far),
    ``previous_is_first`` whether that line is the first of the page so far, ``has_body``
    whether the page so far holds a line past its header.
    """
    if previous is None:
        return None
    if is_fixed_line(previous):
        return Start.AT_NCT_ID if has_body else None
    # The first line of a page is its own title, never the next page's.
    return None if previous_is_first else Start.AT_TITLE


class StartTracker:
    """The rule applied to a page's lines one at a time (blank lines left out), keeping only
    what it needs: the work per line is constant, whatever the page holds."""

    def __init__(self) -> None:
        self._count = 0  # content lines seen
        self._previous: str | None = None
        self.has_body = False

    def add(self, line: str) -> Start | None:
        """Take the next content line; where a new page starts if it is an ``NCT ID:`` line
        that starts one (the line is then not taken)."""
        if NCT_ID_LINE.fullmatch(line):
            start = nct_id_start(self._previous, self._count == 1, self.has_body)
            if start is not None:
                return start
        elif self._count and not self.has_body and not is_header_line(line):
            self.has_body = True
        self._count += 1
        self._previous = line
        return None


def second_page_start(lines: Iterable[str]) -> tuple[int, str] | None:
    """The 0-based index of the line where a second page starts in ``lines`` and its NCT id;
    ``None`` for one page. One pass, constant work a line."""
    tracker = StartTracker()
    previous = 0
    for index, line in enumerate(lines):
        if not line:
            continue
        start = tracker.add(line)
        if start is not None:
            match = NCT_ID_LINE.fullmatch(line)
            assert match is not None
            return (previous if start is Start.AT_TITLE else index), match[1]
        previous = index
    return None
