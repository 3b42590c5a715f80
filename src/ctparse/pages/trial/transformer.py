"""From the grammar's output to the sections of a page.

``PageTransformer`` has one method per grammar rule and turns typed lines into model values
while the parser runs (no tree is built); ``assembly.build_trial`` then makes the Trial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from attrs import frozen

from ctparse.model import (
    AgencyClass,
    Allocation,
    Identifier,
    IdentifierType,
    InterventionModel,
    Investigator,
    Masking,
    ObservationalModel,
    OfficialRole,
    Phase,
    PrimaryPurpose,
    RelatedTrial,
    Sponsor,
    Status,
    StudyType,
    TimePerspective,
)
from ctparse.pages.lean import line_tokens
from ctparse.pages.tokens import Token
from ctparse.pages.trial.values import (
    after_prefix,
    read_identifier_source,
    read_who_masked,
)
from ctparse.pages.trial.vocabulary import SECTION_SPECS

__all__ = [
    "SECTION_HEADINGS",
    "PageTransformer",
    "ParsedPage",
    "Section",
    "token_text",
    "token_value",
]

# Section rule name -> heading as printed, in page order.
SECTION_HEADINGS: dict[str, str] = {spec.rule: spec.heading for spec in SECTION_SPECS}


@frozen
class Section:
    name: str
    heading: Token
    items: tuple[Any, ...]


@frozen
class ParsedPage:
    header: dict[str, Any]
    sections: tuple[Section, ...]


def token_value(token: Token) -> str | None:
    """A typed line's value; ``None`` for a token the error recovery made up."""
    return str(token).rstrip("\n") if token else None


def token_text(token: Token) -> str:
    return str(token).strip()


def _enum(kind: Callable[[str], Any], token: Token, prefix: str | None = None) -> Any:
    """A typed line's enum value, after the line's fixed prefix (a ``LINE_PREFIXES`` key)."""
    value = token_value(token)
    if value is None:
        return None
    return kind(value if prefix is None else after_prefix(value, prefix))


# Terminals that hold a run of free lines (see the grammar); sections get them line by line.
_RUNS = frozenset({"LINES", "CRITERIA_LINES", "GROUP_LINES", "INTERVENTION_LINES"})
_SPLIT = _RUNS | {"NAME_LINE"}


def _line_tokens(items: Sequence[Any]) -> tuple[Any, ...]:
    """A section's items with each run of lines split into one TEXT token a line."""
    found: list[Any] | None = None  # made at the first item to split
    for index, item in enumerate(items):
        if not isinstance(item, Token) or item.type not in _SPLIT:
            if found is not None:
                found.append(item)
            continue
        if found is None:
            found = list(items[:index])
        if item.type == "NAME_LINE":
            found.append(Token.new_borrow_pos("TEXT", item, item))
            continue
        found.extend(line_tokens(item, "TEXT"))
    return tuple(items) if found is None else tuple(found)


def _section_rule(name: str) -> Callable[[Any, list[Any]], Section]:
    def rule(self: Any, children: list[Any]) -> Section:
        return Section(name=name, heading=children[0], items=_line_tokens(children[1:]))

    rule.__name__ = name
    return rule


class PageTransformer:
    """One method per grammar rule; each returns model values, never a tree."""

    def start(self, children: list[Any]) -> ParsedPage:
        header, *sections = children
        return ParsedPage(header=header, sections=tuple(sections))

    def header(self, children: list[tuple[str, Any]]) -> dict[str, Any]:
        return dict(children)

    def title(self, children: list[Token]) -> tuple[str, Any]:
        return ("title", token_text(children[0]))

    def nct_id(self, children: list[Token]) -> tuple[str, Any]:
        return ("nct_id", after_prefix(str(children[0]), "nct_id"))

    def last_updated(self, children: list[Token]) -> tuple[str, Any]:
        # Kept as the token: an impossible date is reported where it stands.
        return ("last_updated", children[0])

    # -- Basic Information: each value rule yields (Trial field, value)
    def status(self, children: list[Token]) -> tuple[str, Any]:
        return ("status", _enum(Status, children[0]))

    def phases(self, children: list[Token]) -> tuple[str, Any]:
        value = token_value(children[0]) or ""
        return ("phases", tuple(Phase(p.strip()) for p in value.replace("/", ",").split(",") if p))

    def enrollment(self, children: list[Token]) -> tuple[str, Any]:
        value = token_value(children[0])
        return ("enrollment", None if value is None else int(value.split(" ", 1)[0]))

    def study_type(self, children: list[Token]) -> tuple[str, Any]:
        return ("study_type", _enum(StudyType, children[0]))

    def start_date(self, children: list[Token]) -> tuple[str, Any]:
        return ("start_date", token_value(children[0]))

    def completion_date(self, children: list[Token]) -> tuple[str, Any]:
        return ("completion_date", token_value(children[0]))

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
        return ("who_masked", read_who_masked(token_value(children[0]) or ""), children[0])

    def observational_model(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("observational_model", _enum(ObservationalModel, children[0]), children[0])

    def time_perspective(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("time_perspective", _enum(TimePerspective, children[0]), children[0])

    def other_design(self, children: list[Token]) -> tuple[str, Any, Token]:
        return ("other", children[0], children[0])

    # -- pairs and triples
    def related_trial(self, children: list[Token]) -> RelatedTrial | Token:
        title, number = children
        nct = token_value(number)
        # A title whose NCT line is missing cannot make a RelatedTrial; keep its line.
        return title if nct is None else RelatedTrial(nct_id=nct, title=token_text(title))

    def sponsor(self, children: list[Token]) -> Sponsor:
        name, agency = children
        return Sponsor(name=token_text(name), agency_class=_enum(AgencyClass, agency))

    def person(self, children: list[Token]) -> Investigator:
        name, role = children
        return Investigator(name=token_text(name), role=_enum(OfficialRole, role, "role"))

    def identifier(self, children: list[Token]) -> Identifier:
        ident, kind, source = children
        kind_value = token_value(kind)
        source_value = token_value(source)
        return Identifier(
            id=token_text(ident),
            type=None
            if kind_value is None or kind_value.endswith(": -")
            else IdentifierType(after_prefix(kind_value, "identifier_type")),
            source=read_identifier_source(source_value),
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
