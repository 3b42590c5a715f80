"""Assembly: the sections a trial page was parsed into become one ``Trial``.

``build_trial`` reports sections repeated or out of page order, then runs one small function
per section from a table, and reads Study Groups against Interventions (``groups.py``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import define, field

from ctparse.eligibility.criteria import parse_criteria
from ctparse.model import (
    Age,
    Design,
    Eligibility,
    Investigator,
    Location,
    ObservationalModel,
    PrimaryPurpose,
    RelatedTrial,
    Sex,
    StudyType,
    TimePerspective,
    Trial,
)
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.markdown import unescape
from ctparse.pages.problems import PAGE_HEADER, Problem
from ctparse.pages.tokens import Token
from ctparse.pages.trial.groups import read_groups
from ctparse.pages.trial.transformer import (
    SECTION_HEADINGS,
    ParsedPage,
    Section,
    token_text,
    token_value,
)
from ctparse.pages.trial.values import after_prefix, read_age, read_date, read_location

__all__ = ["build_trial"]

_ORDER = {name: index for index, name in enumerate(SECTION_HEADINGS)}


@define
class _Builder:
    fields: dict[str, Any] = field(factory=dict)
    problems: list[Problem] = field(factory=list)

    # Lines with a problem already, built on first need and kept up to date, so that
    # checking many lines stays linear.
    reported: set[int] | None = None

    def problem(self, token: Token, code: DiagnosticCode, section: str, detail: str) -> None:
        line = token.line or 1
        self.problems.append(Problem.at(line, token.column or 1, code, section, detail))
        if self.reported is not None:
            self.reported.add(line)

    def unreported(self, token: Token, code: DiagnosticCode, section: str, detail: str) -> None:
        """Report a line unless the parser already did (a cut-off page, say)."""
        if self.reported is None:
            self.reported = {problem.line for problem in self.problems}
        if (token.line or 1) not in self.reported:
            self.problem(token, code, section, detail)


def build_trial(page: ParsedPage, problems: list[Problem], text: str) -> Trial:
    """Assemble the sections of a page into a Trial, adding what it could not place.

    ``text`` is the text parsed, to speak of every line of a section that is not used (a
    repeated one); it is split into lines only then, as few pages repeat a section.
    """
    lines: list[str] | None = None
    builder = _Builder(fields=dict(page.header), problems=problems)
    updated = builder.fields.pop("last_updated", None)
    if updated:
        builder.fields["last_updated"] = read_date(after_prefix(str(updated), "last_updated"))
        if builder.fields["last_updated"] is None:
            builder.problem(
                updated,
                DiagnosticCode.INVALID_VALUE,
                PAGE_HEADER,
                f"'{token_text(updated)}' is not a real date",
            )
    seen: dict[str, Section] = {}
    last = -1
    for index, section in enumerate(page.sections):
        heading = SECTION_HEADINGS[section.name]
        if section.name in seen:
            builder.problem(
                section.heading,
                DiagnosticCode.REPEATED_SECTION,
                heading,
                "section repeated; its lines are not used",
            )
            if lines is None:
                lines = text.split("\n")
            following = page.sections[index + 1 : index + 2]
            end = (following[0].heading.line if following else None) or len(lines) + 1
            _unused_lines(builder, section, end, lines, heading)
            continue
        if _ORDER[section.name] < last:
            builder.problem(
                section.heading, DiagnosticCode.OUT_OF_ORDER, heading, "section out of page order"
            )
        last = max(last, _ORDER[section.name])
        seen[section.name] = section
    for name, section in seen.items():
        if name not in ("study_groups", "interventions"):
            _SECTION_BUILDERS[name](section, builder)
    _groups(seen.get("study_groups"), seen.get("interventions"), builder)
    _place_other_design(builder)
    return Trial(**builder.fields)


def _unused_lines(
    b: _Builder,
    section: Section,
    end: int,
    lines: Sequence[str],
    heading: str,
) -> None:
    """One problem for each line of ``section`` (between its heading and line ``end``) that
    has none yet; the section's items may be model objects that no longer know their lines."""
    if b.reported is None:
        b.reported = {problem.line for problem in b.problems}
    reported = b.reported
    detail = "line in a repeated section not used"
    start = section.heading.end_line or section.heading.line or 1
    for number in range(start, min(end, len(lines) + 1)):
        if lines[number - 1].strip() and number not in reported:
            b.problems.append(
                Problem.at(number, 1, DiagnosticCode.REPEATED_SECTION, heading, detail)
            )
            reported.add(number)


def _results(section: Section, b: _Builder) -> None:
    types = {item.type for item in section.items if isinstance(item, Token) and item}
    if "RESULTS_AVAILABLE" in types:
        b.fields["has_results"] = True
    elif "RESULTS_PENDING" in types:
        b.fields["has_results"] = False


def _pairs(section: Section, b: _Builder) -> None:
    b.fields.update(item for item in section.items if item[1] is not None)


def _prose(section: Section, b: _Builder) -> None:
    text = "\n".join(unescape(token_text(token)) for token in section.items)
    b.fields[section.name] = text or None


def _list(section: Section, b: _Builder) -> None:
    b.fields[section.name] = tuple(token_text(token) for token in section.items)


def _responsible_party(section: Section, b: _Builder) -> None:
    b.fields["responsible_party"] = "\n".join(token_text(t) for t in section.items) or None


def _related(section: Section, b: _Builder) -> None:
    trials = []
    heading = SECTION_HEADINGS[section.name]
    for item in section.items:
        if isinstance(item, RelatedTrial):
            trials.append(item)
        elif item:  # a title whose NCT number line is missing
            b.unreported(
                item,
                DiagnosticCode.INCOMPLETE_ENTRY,
                heading,
                f"'{token_text(item)}' has no NCT number line",
            )
    b.fields[section.name] = tuple(trials)


def _design(section: Section, b: _Builder) -> None:
    values: dict[str, Any] = {"other": []}
    for name, value, token in section.items:
        if name == "other":
            values["other"].append(value)
        elif name in values:
            b.problem(
                token,
                DiagnosticCode.DUPLICATE_VALUE,
                "Study Design",
                f"{name} given twice; this line is not used",
            )
        elif value is not None:
            values[name] = value
    b.fields["design"] = values


def _place_other_design(b: _Builder) -> None:
    """A bare OTHER is the purpose of an interventional study; for an observational one
    it is the model, then the time perspective, in the order the page prints them."""
    values = b.fields.get("design")
    if values is None:
        return
    for other in values.pop("other"):
        observational = b.fields.get("study_type") == StudyType.OBSERVATIONAL or any(
            key in values for key in ("observational_model", "time_perspective")
        )
        if not observational and "primary_purpose" not in values:
            values["primary_purpose"] = PrimaryPurpose.OTHER
        elif observational and "observational_model" not in values:
            values["observational_model"] = ObservationalModel.OTHER
        elif observational and "time_perspective" not in values:
            values["time_perspective"] = TimePerspective.OTHER
        else:
            b.problem(
                other,
                DiagnosticCode.MISPLACED_LINE,
                "Study Design",
                "OTHER given where no value is missing",
            )
    b.fields["design"] = Design(**values)


def _eligibility(section: Section, b: _Builder) -> None:
    items: list[Token] = list(section.items)
    # The values come last, in this order, each optional; what comes before is criteria.
    end = len(items)
    values: dict[str, Any] = {}
    if end and items[end - 1].type == "YES_NO":
        values["healthy_volunteers"] = items[end - 1].startswith("Yes")
        end -= 1
    if end and items[end - 1].type == "SEX":
        values["sex"] = Sex(items[end - 1].rstrip("\n"))
        end -= 1
    ages: list[Age] = []
    while end and items[end - 1].type == "AGE" and len(ages) < 2:
        ages.insert(0, read_age(items[end - 1]))
        end -= 1
    if ages:
        values["min_age"] = ages[0]
    if len(ages) == 2:
        values["max_age"] = ages[1]
    inclusion, exclusion, other = parse_criteria([str(token).rstrip("\n") for token in items[:end]])
    b.fields["eligibility"] = Eligibility(
        inclusion=inclusion, exclusion=exclusion, other=other, **values
    )


def _sponsors(section: Section, b: _Builder) -> None:
    sponsors = section.items
    if sponsors:
        b.fields["lead_sponsor"] = sponsors[0]
        b.fields["collaborators"] = tuple(sponsors[1:])


def _investigators(section: Section, b: _Builder) -> None:
    people: list[Investigator] = []
    with_affiliation = True
    for item in section.items:
        if isinstance(item, Investigator):
            people.append(item)
            with_affiliation = False
        elif not with_affiliation:
            people[-1] = Investigator(
                name=people[-1].name, role=people[-1].role, affiliation=token_text(item)
            )
            with_affiliation = True
        else:
            b.problem(
                item,
                DiagnosticCode.INCOMPLETE_ENTRY,
                "Principal Investigators",
                f"'{token_text(item)}' has no 'Role:' line",
            )
    b.fields["investigators"] = tuple(people)


def _locations(section: Section, b: _Builder) -> None:
    lines: list[Token] = list(section.items)
    sites = [
        read_location(token_text(facility), token_value(place))
        for facility, place in zip(lines[0::2], lines[1::2], strict=False)
    ]
    if len(lines) % 2:
        facility = lines[-1]
        b.unreported(
            facility,
            DiagnosticCode.INCOMPLETE_ENTRY,
            "Locations",
            f"'{token_text(facility)}' has no 'City, Country' line",
        )
        sites.append(Location(facility=token_text(facility)))
    b.fields["locations"] = tuple(sites)


def _plain(section: Section, b: _Builder) -> None:
    b.fields[section.name] = tuple(section.items)


def _groups(groups: Section | None, interventions: Section | None, b: _Builder) -> None:
    arms, table = read_groups(
        groups.items if groups else (), interventions.items if interventions else (), b.problem
    )
    if table:
        b.fields["interventions"] = table
    if groups is not None:
        b.fields["arms"] = arms


_SECTION_BUILDERS: dict[str, Callable[[Section, _Builder], None]] = {
    "study_results": _results,
    "basic_information": _pairs,
    "brief_summary": _prose,
    "related_trials": _related,
    "detailed_description": _prose,
    "conditions": _list,
    "keywords": _list,
    "study_design": _design,
    "other_intervention_names": _list,
    "eligibility": _eligibility,
    "sponsors": _sponsors,
    "responsible_party": _responsible_party,
    "investigators": _investigators,
    "locations": _locations,
    "countries": _list,
    "identifiers": _plain,
    "more_related_trials": _related,
}
