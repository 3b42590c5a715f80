"""What a reader could not place, as data: a stable code, where it was, and a message.

Codes are part of the public contract: they never change meaning, so users can count and
filter problems without matching message text. README's error table lists every code.
"""

from __future__ import annotations

from enum import StrEnum

from attrs import frozen

__all__ = ["Diagnostic", "DiagnosticCode"]


class DiagnosticCode(StrEnum):
    # What the text is, judged on all of it.
    EMPTY = "empty"  # nothing but whitespace
    NOT_A_PAGE = "not_a_page"  # no page's fixed wording at all (HTML, JSON, prose)
    RESULTS_PAGE = "results_page"  # a results page given to the trial reader
    TRIAL_PAGE = "trial_page"  # a trial page given to the results reader
    SECOND_PAGE = "second_page"  # a text of several pages given to a one-page reader
    # Lines that could not be placed.
    MISPLACED_LINE = "misplaced_line"  # a line the page's grammar does not allow where it stands
    CUT_OFF = "cut_off"  # the page ends inside something unfinished
    REPEATED_SECTION = "repeated_section"  # a section heading seen twice; the repeat unused
    OUT_OF_ORDER = "out_of_order"  # a section after one that follows it on every page
    UNKNOWN_SECTION = "unknown_section"  # a section the reader does not know, kept generically
    INCOMPLETE_ENTRY = "incomplete_entry"  # an entry missing its second line (a role, an NCT id)
    DUPLICATE_VALUE = "duplicate_value"  # a value given twice; the second is unused
    CONTRADICTION = "contradiction"  # two parts of the page that disagree
    INVALID_VALUE = "invalid_value"  # a value of the right shape that cannot be (2021-02-30)
    NEAR_HEADING = "near_heading"  # a line that is nearly a section heading or its helper
    UNRECOVERABLE = "unrecoverable"  # the reader could not go on past this line
    # Bytes and files.
    NOT_UTF8 = "not_utf8"  # bytes that are not UTF-8
    NOT_TEXT = "not_text"  # a file that is no text at all (NUL bytes, UTF-16, UTF-32, binary)
    CUT_CHARACTER = "cut_character"  # a page cut inside a multi-byte character
    UNREADABLE = "unreadable"  # a file or folder that cannot be read
    TOO_LARGE = "too_large"  # input over a size limit
    INTERNAL_ERROR = "internal_error"  # a fault of ctparse itself: please report it


@frozen(kw_only=True)
class Diagnostic:
    """Something a reader could not place: a line, or a part of the page found cut off.

    ``line`` and ``column`` are 1-based, in the text given to the reader; ``section`` is the
    heading the line stands under (``None`` outside any section).
    """

    line: int
    column: int = 1
    code: DiagnosticCode
    section: str | None = None
    message: str
