"""From the grammar's output to a ``Trial``.

``PageTransformer`` has one method per grammar rule and turns typed lines into model values
while the parser runs (no tree is built). ``build_trial`` then assembles the sections from a
table of small functions, one per section, and decides what a line grammar cannot.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from attrs import define, field, frozen
from lark import Token, Transformer

from ctparse.eligibility.criteria import parse_criteria
from ctparse.model import (
    Age,
    AgencyClass,
    AgeUnit,
    Allocation,
    Design,
    Eligibility,
    Identifier,
    IdentifierType,
    InterventionModel,
    Investigator,
    Location,
    Masking,
    ObservationalModel,
    OfficialRole,
    Phase,
    PrimaryPurpose,
    RelatedTrial,
    Sex,
    Sponsor,
    Status,
    StudyType,
    TimePerspective,
    Trial,
    WhoMasked,
)
from ctparse.model.diagnostics import DiagnosticCode
from ctparse.pages.markdown import unescape
from ctparse.pages.problems import PAGE_HEADER, Problem
from ctparse.pages.trial.groups import read_groups
from ctparse.pages.trial.vocabulary import SECTION_SPECS, WHO_MASKED_WORDS

__all__ = ["Page", "PageTransformer", "Section", "build_trial"]

# Section rule name -> heading as printed, in page order.
SECTION_HEADINGS: dict[str, str] = {spec.rule: spec.heading for spec in SECTION_SPECS}
_ORDER = {name: index for index, name in enumerate(SECTION_HEADINGS)}
_WHO_MASKED = {words: WhoMasked(key) for key, words in WHO_MASKED_WORDS.items()}
_AGE_UNITS = {unit.value.lower().removesuffix("s"): unit for unit in AgeUnit}


@frozen
class Section:
    name: str
    heading: Token
    items: tuple[Any, ...]


@frozen
class Page:
    header: dict[str, Any]
    sections: tuple[Section, ...]


def _value(token: Token) -> str | None:
    """A typed line's value; ``None`` for a token the error recovery made up."""
    return str(token).rstrip("\n") if token else None


def _text(token: Token) -> str:
    return str(token).strip()


def _enum(kind: Callable[[str], Any], token: Token, prefix: str = "") -> Any:
    value = _value(token)
    return None if value is None else kind(value[len(prefix) :])


# Terminals that hold a run of free lines (see the grammar); sections get them line by line.
_RUNS = frozenset({"LINES", "CRITERIA_LINES", "GROUP_LINES", "INTERVENTION_LINES"})
_SPLIT = _RUNS | {"NAME_LINE"}


def _line_tokens(items: Sequence[Any]) -> tuple[Any, ...]:
    """A section's items with each run of lines split into one TEXT token a line."""
    if not any(isinstance(item, Token) and item.type in _SPLIT for item in items):
        return tuple(items)
    found: list[Any] = []
    for item in items:
        if not isinstance(item, Token) or item.type not in _SPLIT:
            found.append(item)
            continue
        if item.type == "NAME_LINE":
            found.append(Token.new_borrow_pos("TEXT", item, item))
            continue
        first = item.line or 1
        for offset, line in enumerate(item.split("\n")):
            if line:
                found.append(_text_token(line + "\n", first + offset))
    return tuple(found)


def _text_token(value: str, line: int) -> Token:
    """A TEXT token for one line of a run. Built directly: ``Token(...)`` sorts out its
    keyword arguments on every call, which costs more than the rest of reading a line, and
    a page holds a hundred such lines."""
    token = str.__new__(Token, value)
    token.type = "TEXT"
    token.value = value
    token.line = token.end_line = line
    token.column = 1
    token.start_pos = token.end_column = token.end_pos = None
    return token


def _section_rule(name: str) -> Callable[[Any, list[Any]], Section]:
    def rule(self: Any, children: list[Any]) -> Section:
        return Section(name=name, heading=children[0], items=_line_tokens(children[1:]))

    rule.__name__ = name
    return rule


class PageTransformer(Transformer[Token, Page]):
    """One method per grammar rule; each returns model values, never a tree."""

    def start(self, children: list[Any]) -> Page:
        header, *sections = children
        return Page(header=header, sections=tuple(sections))

    def header(self, children: list[tuple[str, Any]]) -> dict[str, Any]:
        return dict(children)

    def title(self, children: list[Token]) -> tuple[str, Any]:
        return ("title", _text(children[0]))

    def nct_id(self, children: list[Token]) -> tuple[str, Any]:
        return ("nct_id", str(children[0])[8:].rstrip("\n"))

    def last_updated(self, children: list[Token]) -> tuple[str, Any]:
        # Kept as the token: an impossible date is reported where it stands.
        return ("last_updated", children[0])

    # -- Basic Information: each value rule yields (Trial field, value)
    def status(self, children: list[Token]) -> tuple[str, Any]:
        return ("status", _enum(Status, children[0]))

    def phases(self, children: list[Token]) -> tuple[str, Any]:
        value = _value(children[0]) or ""
        return ("phases", tuple(Phase(p.strip()) for p in value.replace("/", ",").split(",") if p))

    def enrollment(self, children: list[Token]) -> tuple[str, Any]:
        value = _value(children[0])
        return ("enrollment", None if value is None else int(value.split(" ", 1)[0]))

    def study_type(self, children: list[Token]) -> tuple[str, Any]:
        return ("study_type", _enum(StudyType, children[0]))

    def start_date(self, children: list[Token]) -> tuple[str, Any]:
        return ("start_date", _value(children[0]))

    def completion_date(self, children: list[Token]) -> tuple[str, Any]:
        return ("completion_date", _value(children[0]))

    labelled_completion_date = completion_date

    # -- Study Design: (Design field, value, its line); a bare OTHER is placed later
    def allocation(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("allocation", _enum(Allocation, children[0]), children[0])

    def intervention_model(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("intervention_model", _enum(InterventionModel, children[0]), children[0])

    def primary_purpose(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("primary_purpose", _enum(PrimaryPurpose, children[0]), children[0])

    def masking(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("masking", _enum(Masking, children[0]), children[0])

    def who_masked(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("who_masked", _who_masked(_value(children[0]) or ""), children[0])

    def observational_model(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("observational_model", _enum(ObservationalModel, children[0]), children[0])

    def time_perspective(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("time_perspective", _enum(TimePerspective, children[0]), children[0])

    def other_design(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("other", children[0], children[0])

    # -- pairs and triples
    def related_trial(self, children: list[Token]) -> RelatedTrial | Token:
        title, number = children
        nct = _value(number)
        # A title whose NCT line is missing cannot make a RelatedTrial; keep its line.
        return title if nct is None else RelatedTrial(nct_id=nct, title=_text(title))

    def sponsor(self, children: list[Token]) -> Sponsor:
        name, agency = children
        return Sponsor(name=_text(name), agency_class=_enum(AgencyClass, agency))

    def person(self, children: list[Token]) -> Investigator:
        name, role = children
        return Investigator(name=_text(name), role=_enum(OfficialRole, role, "Role: "))

    def identifier(self, children: list[Token]) -> Identifier:
        ident, kind, source = children
        kind_value = _value(kind)
        source_value = _value(source)
        return Identifier(
            id=_text(ident),
            type=None
            if kind_value is None or kind_value.endswith(": -")
            else IdentifierType(kind_value[17:]),
            source=_identifier_source(source_value),
        )

    # -- sections: the heading token, then the section's items
    study_results = _section_rule("study_results")
    basic_information = _section_rule("basic_information")
    brief_summary = _section_rule("brief_summary")
    related_trials = _section_rule("related_trials")
    detailed_description = _section_rule("detailed_description")
    conditions = _section_rule("conditions")
    keywords = _section_rule("keywords")
    study_design = _section_rule("study_design")
    study_groups = _section_rule("study_groups")
    interventions = _section_rule("interventions")
    other_intervention_names = _section_rule("other_intervention_names")
    eligibility = _section_rule("eligibility")
    sponsors = _section_rule("sponsors")
    responsible_party = _section_rule("responsible_party")
    investigators = _section_rule("investigators")
    locations = _section_rule("locations")
    countries = _section_rule("countries")
    identifiers = _section_rule("identifiers")
    more_related_trials = _section_rule("more_related_trials")


def _identifier_source(value: str | None) -> str | None:
    # "-" stands for no source, as it does for no type.
    source = None if value is None else value[19:].strip()
    return None if source in (None, "", "-") else source


def _date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def _who_masked(value: str) -> tuple[WhoMasked, ...]:
    found: list[WhoMasked] = []
    rest = value
    while rest:
        for words, who in _WHO_MASKED.items():
            if rest.startswith(words):
                found.append(who)
                rest = rest[len(words) :].lstrip(" ")
                break
        else:  # pragma: no cover - the grammar admits only these words
            break
    return tuple(found)


def _location(facility: str, place: str | None) -> Location:
    """``City, State, Country`` (state optional); a city may not itself hold ``, ``."""
    if place is None:
        return Location(facility=facility)
    # Split at ", " exactly: a city may hold ", " itself, spaces and all.
    parts = place.strip().split(", ")
    if len(parts) > 1 and f"{parts[-2]}, {parts[-1]}" in _COMMA_COUNTRIES:
        parts[-2:] = [f"{parts[-2]}, {parts[-1]}"]
    if len(parts) == 1:
        return Location(facility=facility, country=parts[0] or None)
    if len(parts) == 2:
        return Location(facility=facility, city=parts[0], country=parts[1])
    return Location(
        facility=facility, city=", ".join(parts[:-2]), state=parts[-2], country=parts[-1]
    )


# Registry country names that hold ", " themselves.
_COMMA_COUNTRIES = frozenset(
    {
        "Korea, Republic of",
        "Korea, Democratic People's Republic of",
        "Iran, Islamic Republic of",
        "Moldova, Republic of",
        "Congo, The Democratic Republic of the",
        "Macedonia, The Former Yugoslav Republic of",
        "Micronesia, Federated States of",
        "Tanzania, United Republic of",
        "Venezuela, Bolivarian Republic of",
        "Bolivia, Plurinational State of",
        "Virgin Islands, U.S.",
        "Virgin Islands, British",
        "Palestine, State of",
        "Taiwan, Province of China",
    }
)


# ------------------------------------------------------------------ assembly


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


def build_trial(page: Page, problems: list[Problem], lines: Sequence[str]) -> Trial:
    """Assemble the sections of a page into a Trial, adding what it could not place.

    ``lines`` are the lines of the text parsed, to speak of every line of a section that is
    not used (a repeated one).
    """
    builder = _Builder(fields=dict(page.header), problems=problems)
    updated = builder.fields.pop("last_updated", None)
    if updated:
        builder.fields["last_updated"] = _date(str(updated)[14:].rstrip("\n"))
        if builder.fields["last_updated"] is None:
            builder.problem(
                updated,
                DiagnosticCode.INVALID_VALUE,
                PAGE_HEADER,
                f"'{_text(updated)}' is not a real date",
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
    text = "\n".join(unescape(_text(token)) for token in section.items)
    b.fields[section.name] = text or None


def _list(section: Section, b: _Builder) -> None:
    b.fields[section.name] = tuple(_text(token) for token in section.items)


def _responsible_party(section: Section, b: _Builder) -> None:
    b.fields["responsible_party"] = "\n".join(_text(t) for t in section.items) or None


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
                f"'{_text(item)}' has no NCT number line",
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
        ages.insert(0, _age(items[end - 1]))
        end -= 1
    if ages:
        values["min_age"] = ages[0]
    if len(ages) == 2:
        values["max_age"] = ages[1]
    inclusion, exclusion, other = parse_criteria([str(token).rstrip("\n") for token in items[:end]])
    b.fields["eligibility"] = Eligibility(
        inclusion=inclusion, exclusion=exclusion, other=other, **values
    )


def _age(token: Token) -> Age:
    number, unit = str(token).rstrip("\n").split(" ", 1)
    return Age(value=int(number), unit=_AGE_UNITS[unit.lower().removesuffix("s")])


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
                name=people[-1].name, role=people[-1].role, affiliation=_text(item)
            )
            with_affiliation = True
        else:
            b.problem(
                item,
                DiagnosticCode.INCOMPLETE_ENTRY,
                "Principal Investigators",
                f"'{_text(item)}' has no 'Role:' line",
            )
    b.fields["investigators"] = tuple(people)


def _locations(section: Section, b: _Builder) -> None:
    lines: list[Token] = list(section.items)
    sites = [
        _location(_text(facility), _value(place))
        for facility, place in zip(lines[0::2], lines[1::2], strict=False)
    ]
    if len(lines) % 2:
        facility = lines[-1]
        b.unreported(
            facility,
            DiagnosticCode.INCOMPLETE_ENTRY,
            "Locations",
            f"'{_text(facility)}' has no 'City, Country' line",
        )
        sites.append(Location(facility=_text(facility)))
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
