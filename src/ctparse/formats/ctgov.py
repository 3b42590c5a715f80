"""Between ClinicalTrials.gov API v2 study records and the ``Trial`` model.

(Over 400 lines: both directions stay in one module so that each mapping sits beside its
inverse; the checked reading of record values lives in ``formats/registry.py``.)

``from_ctgov`` keeps what a trial page can show; ``to_ctgov`` writes a v2-shaped record back
holding only what a ``Trial`` carries: a field the Trial lacks is absent, never ``None``.

Where the registry and the page differ:

* Prose (brief summary, detailed description, arm and intervention descriptions) is kept the
  way a page carries it: ``normalise_prose`` keeps the non-blank lines, each stripped, joined
  with ``"\\n"``, without markdown escapes; nothing left is ``None``.
* ``responsible_party`` is ``responsibleParty.investigatorFullName``, else ``None``: the page
  names a person there, and a sponsor-responsible record has no name of its own.
* ``countries`` are derived: the distinct location countries in first-seen order. The record
  stores no country list, so ``to_ctgov`` writes none.
* ``identifiers``: ``orgStudyIdInfo.id`` first (type ``None``, source ``org_study_id``), then
  each secondary id with its type and source = its ``domain``, else ``secondary_id``.
* ``other_intervention_names`` is flat; the Trial does not say whose names they are, so
  ``to_ctgov`` gives them all to the first intervention (flattening gives the same list).
* Arm intervention names lose the registry's type prefix (``Drug: ``); ``to_ctgov`` puts it
  back from the type of the first intervention of that name, when it has one.
* A month-only date (``2021-03``) is the month's last day (``2021-03-31``): pages print it so.
  An age of ``N/A`` is no limit. ``null`` reads as absent. Anything else that does not fit the
  model raises ``RecordError`` naming the key path (see ``formats/registry.py``).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from ctparse.eligibility.criteria import criteria_lines, format_criteria, parse_criteria
from ctparse.errors import RecordError
from ctparse.formats.registry import Node
from ctparse.model import (
    Age,
    AgencyClass,
    AgeUnit,
    Allocation,
    Arm,
    ArmGroupType,
    Design,
    Eligibility,
    Identifier,
    IdentifierType,
    Intervention,
    InterventionModel,
    InterventionType,
    Investigator,
    Location,
    Masking,
    ObservationalModel,
    OfficialRole,
    Phase,
    PrimaryPurpose,
    Sex,
    Sponsor,
    Status,
    StudyType,
    TimePerspective,
    Trial,
    WhoMasked,
)
from ctparse.pages.markdown import unescape

__all__ = ["age_text", "from_ctgov", "normalise_prose", "to_ctgov"]

ORG_STUDY_ID = "org_study_id"
SECONDARY_ID = "secondary_id"

# The registry's prefix on arm intervention names: ``DIETARY_SUPPLEMENT`` -> ``Dietary Supplement``.
_TYPE_PREFIX: dict[InterventionType, str] = {
    kind: kind.value.replace("_", " ").title() + ": " for kind in InterventionType
}


# ------------------------------------------------------------------ small helpers


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def normalise_prose(text: str | None) -> str | None:
    """Registry prose as a page carries it: non-blank lines, stripped, unescaped."""
    if text is None:
        return None
    lines = [unescape(line.strip()) for line in text.splitlines() if line.strip()]
    return "\n".join(lines) or None


_AGE = re.compile(r"(?P<value>\d+) (?P<unit>(?:Year|Month|Week|Day|Hour|Minute)s?)")


def _age(node: Node, key: str) -> Age | None:
    """``"18 Years"`` / ``"1 Year"`` -> ``Age(18, YEARS)``; ``"N/A"`` is no limit."""
    text = node.get(key, str)
    if text is None or text == "N/A":
        return None
    match = _AGE.fullmatch(text)
    if match is None:
        raise RecordError(node.at(key), f"expected an age such as '18 Years', found {text!r}")
    unit = AgeUnit(match["unit"].upper().removesuffix("S") + "S")
    return Age(value=int(match["value"]), unit=unit)


def age_text(age: Age) -> str:
    """``Age(18, YEARS)`` -> ``"18 Years"``; ``Age(1, YEARS)`` -> ``"1 Year"``, as the registry."""
    unit = age.unit.value.title()
    return f"{age.value} {unit.removesuffix('s') if age.value == 1 else unit}"


def _strip_type_prefix(name: str) -> str:
    for prefix in _TYPE_PREFIX.values():
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# ------------------------------------------------------------------ registry -> Trial


def from_ctgov(study: Mapping[str, Any]) -> Trial:
    """The Trial one API v2 study record describes, as far as a page can show it.

    Raises ``RecordError`` naming the key path for a value of the wrong type, an enum value
    the model lacks, a required name left out, or a dict that is no study record.
    """
    record = Node(study, "")
    if not isinstance(study.get("protocolSection"), Mapping):
        found = ", ".join(record.keys()[:8]) or "none"
        raise RecordError(
            "protocolSection",
            f"missing: expected an API v2 study record (its keys: {found})",
        )
    protocol = record.node("protocolSection")
    ident = protocol.node("identificationModule")
    status = protocol.node("statusModule")
    design = protocol.node("designModule")
    sponsors = protocol.node("sponsorCollaboratorsModule")
    arms = protocol.node("armsInterventionsModule")
    places = protocol.node("contactsLocationsModule")
    text = protocol.node("descriptionModule")
    topics = protocol.node("conditionsModule")
    last_updated = status.node("lastUpdatePostDateStruct").date("date")
    interventions = arms.nodes("interventions")
    locations = tuple(_site(item) for item in places.nodes("locations"))
    lead = sponsors.node("leadSponsor") if sponsors.has("leadSponsor") else None
    return Trial(
        nct_id=ident.get("nctId", str),
        title=ident.get("briefTitle", str),
        last_updated=None if last_updated is None else datetime.date.fromisoformat(last_updated),
        has_results=record.get("hasResults", bool),
        status=status.get("overallStatus", Status),
        phases=design.all("phases", Phase),
        enrollment=design.node("enrollmentInfo").get("count", int),
        study_type=design.get("studyType", StudyType),
        start_date=status.node("startDateStruct").date("date"),
        completion_date=status.node("completionDateStruct").date("date"),
        brief_summary=normalise_prose(text.get("briefSummary", str)),
        detailed_description=normalise_prose(text.get("detailedDescription", str)),
        conditions=topics.all("conditions", str),
        keywords=topics.all("keywords", str),
        design=_design(design.node("designInfo")),
        arms=tuple(_arm(arm) for arm in arms.nodes("armGroups")),
        interventions=tuple(_intervention(item) for item in interventions),
        other_intervention_names=tuple(
            name for item in interventions for name in item.all("otherNames", str)
        ),
        eligibility=_eligibility(protocol.node("eligibilityModule")),
        lead_sponsor=None if lead is None else _sponsor(lead),
        collaborators=tuple(_sponsor(item) for item in sponsors.nodes("collaborators")),
        responsible_party=sponsors.node("responsibleParty").get("investigatorFullName", str),
        investigators=tuple(_investigator(item) for item in places.nodes("overallOfficials")),
        locations=locations,
        countries=_countries(locations),
        identifiers=_identifiers(ident),
    )


def _design(info: Node) -> Design:
    masking = info.node("maskingInfo")
    return Design(
        allocation=info.get("allocation", Allocation),
        intervention_model=info.get("interventionModel", InterventionModel),
        primary_purpose=info.get("primaryPurpose", PrimaryPurpose),
        masking=masking.get("masking", Masking),
        who_masked=masking.all("whoMasked", WhoMasked),
        observational_model=info.get("observationalModel", ObservationalModel),
        time_perspective=info.get("timePerspective", TimePerspective),
    )


def _arm(arm: Node) -> Arm:
    return Arm(
        label=arm.need("label", str),
        type=arm.get("type", ArmGroupType),
        description=normalise_prose(arm.get("description", str)),
        interventions=tuple(_strip_type_prefix(n) for n in arm.all("interventionNames", str)),
    )


def _intervention(item: Node) -> Intervention:
    # The page prints intervention descriptions like arm descriptions, so they are prose too.
    return Intervention(
        name=item.need("name", str),
        type=item.get("type", InterventionType),
        description=normalise_prose(item.get("description", str)),
    )


def _eligibility(module: Node) -> Eligibility:
    inclusion, exclusion, other = parse_criteria(
        criteria_lines(module.get("eligibilityCriteria", str) or "")
    )
    return Eligibility(
        inclusion=inclusion,
        exclusion=exclusion,
        other=other,
        min_age=_age(module, "minimumAge"),
        max_age=_age(module, "maximumAge"),
        sex=module.get("sex", Sex),
        healthy_volunteers=module.get("healthyVolunteers", bool),
    )


def _sponsor(item: Node) -> Sponsor:
    return Sponsor(name=item.need("name", str), agency_class=item.get("class", AgencyClass))


def _investigator(item: Node) -> Investigator:
    return Investigator(
        name=item.need("name", str),
        role=item.get("role", OfficialRole),
        affiliation=item.get("affiliation", str),
    )


def _site(item: Node) -> Location:
    return Location(
        facility=item.get("facility", str),
        city=item.get("city", str),
        state=item.get("state", str),
        country=item.get("country", str),
    )


def _or(value: str | None, default: str) -> str:
    return default if value is None else value


def _countries(locations: Iterable[Location]) -> tuple[str, ...]:
    """The distinct location countries, in first-seen order."""
    return tuple(dict.fromkeys(loc.country for loc in locations if loc.country is not None))


def _identifiers(ident: Node) -> tuple[Identifier, ...]:
    found: list[Identifier] = []
    org_id = ident.node("orgStudyIdInfo").get("id", str)
    if org_id is not None:
        found.append(Identifier(id=org_id, source=ORG_STUDY_ID))
    found.extend(
        Identifier(
            id=item.need("id", str),
            type=item.get("type", IdentifierType),
            source=_or(item.get("domain", str), SECONDARY_ID),
        )
        for item in ident.nodes("secondaryIdInfos")
    )
    return tuple(found)


# ------------------------------------------------------------------ Trial -> registry


def to_ctgov(trial: Trial) -> dict[str, Any]:
    """A v2-shaped record of the Trial: official names and enum values, nothing invented."""
    types = _types_by_name(trial.interventions)
    protocol = {
        "identificationModule": _identification_module(trial),
        "statusModule": {
            "overallStatus": _value(trial.status),
            "startDateStruct": {"date": trial.start_date},
            "completionDateStruct": {"date": trial.completion_date},
            "lastUpdatePostDateStruct": {
                "date": None if trial.last_updated is None else trial.last_updated.isoformat()
            },
        },
        "sponsorCollaboratorsModule": {
            "responsibleParty": {"investigatorFullName": trial.responsible_party},
            "leadSponsor": _sponsor_dict(trial.lead_sponsor),
            "collaborators": [_sponsor_dict(item) for item in trial.collaborators],
        },
        "descriptionModule": {
            "briefSummary": trial.brief_summary,
            "detailedDescription": trial.detailed_description,
        },
        "conditionsModule": {
            "conditions": list(trial.conditions),
            "keywords": list(trial.keywords),
        },
        "designModule": {
            "studyType": _value(trial.study_type),
            "phases": [phase.value for phase in trial.phases],
            "designInfo": _design_info(trial.design),
            "enrollmentInfo": {"count": trial.enrollment},
        },
        "armsInterventionsModule": {
            "armGroups": [_arm_dict(arm, types) for arm in trial.arms],
            "interventions": _intervention_dicts(trial),
        },
        "eligibilityModule": _eligibility_module(trial.eligibility),
        "contactsLocationsModule": {
            "overallOfficials": [_official(person) for person in trial.investigators],
            "locations": [_location(place) for place in trial.locations],
        },
    }
    return _compact({"protocolSection": protocol, "hasResults": trial.has_results})


def _compact(record: dict[str, Any]) -> dict[str, Any]:
    """Drop ``None``, empty lists and empty dicts at every depth: absent means not carried."""
    kept: dict[str, Any] = {}
    for key, value in record.items():
        cleaned = _compact_value(value)
        if cleaned is not None and cleaned != [] and cleaned != {}:
            kept[key] = cleaned
    return kept


def _compact_value(value: Any) -> Any:
    if isinstance(value, dict):
        return _compact(value)
    if isinstance(value, list):
        return [_compact_value(item) for item in value]
    return value


def _identification_module(trial: Trial) -> dict[str, Any]:
    org = next((i for i in trial.identifiers if i.source == ORG_STUDY_ID), None)
    return {
        "nctId": trial.nct_id,
        "orgStudyIdInfo": None if org is None else {"id": org.id},
        "secondaryIdInfos": [_secondary_id(item) for item in trial.identifiers if item is not org],
        "briefTitle": trial.title,
    }


def _secondary_id(item: Identifier) -> dict[str, Any]:
    # Sources the mapping made up are not domains.
    domain = None if item.source in (None, ORG_STUDY_ID, SECONDARY_ID) else item.source
    return {"id": item.id, "type": _value(item.type), "domain": domain}


def _sponsor_dict(item: Sponsor | None) -> dict[str, Any] | None:
    if item is None:
        return None
    return {"name": item.name, "class": _value(item.agency_class)}


def _design_info(design: Design) -> dict[str, Any]:
    return {
        "allocation": _value(design.allocation),
        "interventionModel": _value(design.intervention_model),
        "primaryPurpose": _value(design.primary_purpose),
        "observationalModel": _value(design.observational_model),
        "timePerspective": _value(design.time_perspective),
        "maskingInfo": {
            "masking": _value(design.masking),
            "whoMasked": [who.value for who in design.who_masked],
        },
    }


def _arm_dict(arm: Arm, types: Mapping[str, InterventionType]) -> dict[str, Any]:
    return {
        "label": arm.label,
        "type": _value(arm.type),
        "description": arm.description,
        "interventionNames": [_prefixed(name, types.get(name)) for name in arm.interventions],
    }


def _types_by_name(interventions: Iterable[Intervention]) -> dict[str, InterventionType]:
    """The type of the first intervention of each name that has one."""
    types: dict[str, InterventionType] = {}
    for item in interventions:
        if item.type is not None:
            types.setdefault(item.name, item.type)
    return types


def _prefixed(name: str, kind: InterventionType | None) -> str:
    return name if kind is None else _TYPE_PREFIX[kind] + name


def _intervention_dicts(trial: Trial) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = [
        {"type": _value(item.type), "name": item.name, "description": item.description}
        for item in trial.interventions
    ]
    if found:
        found[0]["otherNames"] = list(trial.other_intervention_names)
    return found


def _eligibility_module(eligibility: Eligibility) -> dict[str, Any]:
    criteria = "\n".join(
        format_criteria(eligibility.inclusion, eligibility.exclusion, eligibility.other)
    )
    return {
        "eligibilityCriteria": criteria or None,
        "healthyVolunteers": eligibility.healthy_volunteers,
        "sex": _value(eligibility.sex),
        "minimumAge": None if eligibility.min_age is None else age_text(eligibility.min_age),
        "maximumAge": None if eligibility.max_age is None else age_text(eligibility.max_age),
    }


def _official(person: Investigator) -> dict[str, Any]:
    return {"name": person.name, "affiliation": person.affiliation, "role": _value(person.role)}


def _location(place: Location) -> dict[str, Any]:
    return {
        "facility": place.facility,
        "city": place.city,
        "state": place.state,
        "country": place.country,
    }
