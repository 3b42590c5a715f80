"""The one error class, and the words used to say what a line should have been."""

from __future__ import annotations

from typing import Any

from ctparse.model.diagnostics import Diagnostic, DiagnosticCode

__all__ = ["ParseError", "RecordError", "describe_terminal", "format_message"]


class ParseError(ValueError):
    """Text that cannot be read as a page.

    ``line`` and ``column`` are 1-based positions in the text given to the reader; ``code`` is
    a stable ``DiagnosticCode``; ``section`` the heading the problem stands under (or
    ``None``). The message says what was found and what was expected there, and ends with the
    position. ``diagnostics`` lists every problem a lenient read would report, this one first
    among them in page order.
    """

    def __init__(
        self,
        message: str,
        line: int,
        column: int = 1,
        *,
        code: DiagnosticCode,
        section: str | None = None,
        diagnostics: tuple[Diagnostic, ...] = (),
    ) -> None:
        self.line = line
        self.column = column
        self.reason = message
        self.code = code
        self.section = section
        self.diagnostics = diagnostics or (
            Diagnostic(line=line, column=column, code=code, section=section, message=message),
        )
        super().__init__(format_message(message, line, column))

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep the error picklable across worker processes (keyword arguments included).
        return (
            _rebuild,
            (self.reason, self.line, self.column, self.code, self.section, self.diagnostics),
        )


def _rebuild(
    message: str,
    line: int,
    column: int,
    code: DiagnosticCode,
    section: str | None,
    diagnostics: tuple[Diagnostic, ...],
) -> ParseError:
    return ParseError(message, line, column, code=code, section=section, diagnostics=diagnostics)


class RecordError(ValueError):
    """A record (``from_dict`` / ``from_ctgov`` input) that does not have the model's shape.

    ``path`` names the key: ``eligibility.inclusion[3].text``; empty for the record itself.
    The message starts with the path: ``eligibility.inclusion[3].text: expected a string,
    found 12``.
    """

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}" if path else f"the record: {problem}")

    def __reduce__(self) -> tuple[type[RecordError], tuple[str, str]]:
        return (type(self), (self.path, self.problem))


def format_message(message: str, line: int, column: int) -> str:
    return f"{message} (at line {line}, column {column})"


# What a person would call each terminal the grammar may expect.
_TERMINALS: dict[str, str] = {
    "TEXT": "a line of text",
    "NCT_ID": "'NCT ID: NCT########'",
    "LAST_UPDATED": "'Last Updated: YYYY-MM-DD'",
    "NCT_NUMBER": "an NCT number line such as NCT01234567",
    "RESULTS_PENDING_LABEL": "'Results pending'",
    "RESULTS_AVAILABLE_LABEL": "'Results available'",
    "RESULTS_PENDING": "the results-pending sentence",
    "RESULTS_AVAILABLE": "the results-available sentence",
    "VIEW_FULL_RESULTS": "'View full results'",
    "STATUS": "a recruitment status such as COMPLETED",
    "PHASES": "a phase such as PHASE2 or PHASE1/PHASE2",
    "ENROLLMENT": "an enrollment such as '120 participants'",
    "STUDY_TYPE": "a study type such as INTERVENTIONAL",
    "DATE": "a date (YYYY-MM-DD or YYYY-MM)",
    "ALLOCATION": "an allocation such as RANDOMIZED",
    "INTERVENTION_MODEL": "an intervention model such as PARALLEL",
    "PRIMARY_PURPOSE": "a primary purpose such as TREATMENT",
    "MASKING": "a masking such as DOUBLE",
    "WHO_MASKED": "who is masked (e.g. 'Participants Investigators')",
    "OBSERVATIONAL_MODEL": "an observational model such as COHORT",
    "TIME_PERSPECTIVE": "a time perspective such as PROSPECTIVE",
    "OTHER": "OTHER",
    "GROUP_TYPE": "'Group Type X'",
    "INTERVENTION_TYPE": "'Intervention Type X'",
    "AGE": "an age such as '18 Years'",
    "SEX": "ALL, FEMALE or MALE",
    "YES_NO": "Yes or No",
    "AGENCY_CLASS": "an agency class such as INDUSTRY or OTHER",
    "ROLE": "'Role: X' such as 'Role: PRINCIPAL_INVESTIGATOR'",
    "IDENTIFIER_TYPE": "'Identifier Type: X' (or '-')",
    "IDENTIFIER_SOURCE": "'Identifier Source: X'",
    "$END": "the end of the page",
}


def describe_terminal(name: str) -> str:
    """A terminal's name as a person would say it: ``AGE`` -> ``an age such as '18 Years'``."""
    if name in _TERMINALS:
        return _TERMINALS[name]
    if name.startswith("H_"):
        return "a section heading"
    if name.endswith("_LABEL"):
        return "a label line"
    return name
