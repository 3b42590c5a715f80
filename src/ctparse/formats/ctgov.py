"""Between ClinicalTrials.gov API v2 study records and the ``Trial`` model.

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
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

from ctparse.eligibility.criteria import criteria_lines, format_criteria, parse_criteria
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

_E = TypeVar("_E", bound=StrEnum)

ORG_STUDY_ID = "org_study_id"
SECONDARY_ID = "secondary_id"

# The registry's prefix on arm intervention names: ``DIETARY_SUPPLEMENT`` -> ``Dietary Supplement``.
_TYPE_PREFIX: dict[InterventionType, str] = {
    kind: kind.value.replace("_", " ").title() + ": " for kind in InterventionType
}


# ------------------------------------------------------------------ small helpers


def _get(mapping: Mapping[str, Any], *keys: str) -> Any:
    """``mapping[k1][k2]...``, or ``None`` where a level is missing."""
    value: Any = mapping
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _enum(kind: type[_E], value: str | None) -> _E | None:
    return None if value is None else kind(value)


def _enums(kind: type[_E], values: Iterable[str] | None) -> tuple[_E, ...]:
    return tuple(kind(value) for value in values or ())


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def normalise_prose(text: str | None) -> str | None:
    """Registry prose as a page carries it: non-blank lines, stripped, unescaped."""
    if text is None:
        return None
    lines = [unescape(line.strip()) for line in text.splitlines() if line.strip()]
    return "\n".join(lines) or None


def _age(text: str | None) -> Age | None:
    """``"18 Years"`` / ``"1 Year"`` -> ``Age(18, YEARS)``; the registry drops the s for 1."""
    if text is None:
        return None
    number, unit = text.split(" ", 1)
    return Age(value=int(number), unit=AgeUnit(unit.upper().removesuffix("S") + "S"))


def age_text(age: Age) -> str:
    """``Age(18, YEARS)`` -> ``"18 Years"``; ``Age(1, YEARS)`` -> ``"1 Year"``, as the registry."""
    unit = age.unit.value.title()
    return f"{age.value} {unit.removesuffix('s') if age.value == 1 else unit}"


def _date(text: str | None) -> datetime.date | None:
    return None if text is None else datetime.date.fromisoformat(text)


def _strip_type_prefix(name: str) -> str:
    for prefix in _TYPE_PREFIX.values():
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


# ------------------------------------------------------------------ registry -> Trial


def from_ctgov(study: Mapping[str, Any]) -> Trial:
    """The Trial one API v2 study record describes, as far as a page can show it."""
    protocol: Mapping[str, Any] = study.get("protocolSection", {})

    def module(name: str) -> Mapping[str, Any]:
        found: Mapping[str, Any] = protocol.get(name, {})
        return found

    ident = module("identificationModule")
    status = module("statusModule")
    design = module("designModule")
    sponsors = module("sponsorCollaboratorsModule")
    arms = module("armsInterventionsModule")
    places = module("contactsLocationsModule")
    locations = _locations(places.get("locations", ()))
    return Trial(
        nct_id=ident.get("nctId"),
        title=ident.get("briefTitle"),
        last_updated=_date(_get(status, "lastUpdatePostDateStruct", "date")),
        has_results=study.get("hasResults"),
        status=_enum(Status, status.get("overallStatus")),
        phases=_enums(Phase, design.get("phases")),
        enrollment=_get(design, "enrollmentInfo", "count"),
        study_type=_enum(StudyType, design.get("studyType")),
        start_date=_get(status, "startDateStruct", "date"),
        completion_date=_get(status, "completionDateStruct", "date"),
        brief_summary=normalise_prose(_get(protocol, "descriptionModule", "briefSummary")),
        detailed_description=normalise_prose(
            _get(protocol, "descriptionModule", "detailedDescription")
        ),
        conditions=tuple(_get(protocol, "conditionsModule", "conditions") or ()),
        keywords=tuple(_get(protocol, "conditionsModule", "keywords") or ()),
        design=_design(design.get("designInfo", {})),
        arms=tuple(_arm(arm) for arm in arms.get("armGroups", ())),
        interventions=tuple(_intervention(item) for item in arms.get("interventions", ())),
        other_intervention_names=tuple(
            name for item in arms.get("interventions", ()) for name in item.get("otherNames", ())
        ),
        eligibility=_eligibility(module("eligibilityModule")),
        lead_sponsor=_sponsor(sponsors.get("leadSponsor")),
        collaborators=tuple(_sponsor_of(item) for item in sponsors.get("collaborators", ())),
        responsible_party=_get(sponsors, "responsibleParty", "investigatorFullName"),
        investigators=tuple(_investigator(item) for item in places.get("overallOfficials", ())),
        locations=locations,
        countries=_countries(locations),
        identifiers=_identifiers(ident),
    )


def _design(info: Mapping[str, Any]) -> Design:
    return Design(
        allocation=_enum(Allocation, info.get("allocation")),
        intervention_model=_enum(InterventionModel, info.get("interventionModel")),
        primary_purpose=_enum(PrimaryPurpose, info.get("primaryPurpose")),
        masking=_enum(Masking, _get(info, "maskingInfo", "masking")),
        who_masked=_enums(WhoMasked, _get(info, "maskingInfo", "whoMasked")),
        observational_model=_enum(ObservationalModel, info.get("observationalModel")),
        time_perspective=_enum(TimePerspective, info.get("timePerspective")),
    )


def _arm(arm: Mapping[str, Any]) -> Arm:
    return Arm(
        label=arm["label"],
        type=_enum(ArmGroupType, arm.get("type")),
        description=normalise_prose(arm.get("description")),
        interventions=tuple(_strip_type_prefix(n) for n in arm.get("interventionNames", ())),
    )


def _intervention(item: Mapping[str, Any]) -> Intervention:
    # The page prints intervention descriptions like arm descriptions, so they are prose too.
    return Intervention(
        name=item["name"],
        type=_enum(InterventionType, item.get("type")),
        description=normalise_prose(item.get("description")),
    )


def _eligibility(module: Mapping[str, Any]) -> Eligibility:
    inclusion, exclusion, other = parse_criteria(
        criteria_lines(module.get("eligibilityCriteria") or "")
    )
    return Eligibility(
        inclusion=inclusion,
        exclusion=exclusion,
        other=other,
        min_age=_age(module.get("minimumAge")),
        max_age=_age(module.get("maximumAge")),
        sex=_enum(Sex, module.get("sex")),
        healthy_volunteers=module.get("healthyVolunteers"),
    )


def _sponsor(item: Mapping[str, Any] | None) -> Sponsor | None:
    return None if item is None else _sponsor_of(item)


def _sponsor_of(item: Mapping[str, Any]) -> Sponsor:
    return Sponsor(name=item["name"], agency_class=_enum(AgencyClass, item.get("class")))


def _investigator(item: Mapping[str, Any]) -> Investigator:
    return Investigator(
        name=item["name"],
        role=_enum(OfficialRole, item.get("role")),
        affiliation=item.get("affiliation"),
    )


def _locations(items: Iterable[Mapping[str, Any]]) -> tuple[Location, ...]:
    return tuple(
        Location(
            facility=item.get("facility"),
            city=item.get("city"),
            state=item.get("state"),
            country=item.get("country"),
        )
        for item in items
    )


def _countries(locations: Iterable[Location]) -> tuple[str, ...]:
    """The distinct location countries, in first-seen order."""
    return tuple(dict.fromkeys(loc.country for loc in locations if loc.country is not None))


def _identifiers(ident: Mapping[str, Any]) -> tuple[Identifier, ...]:
    found: list[Identifier] = []
    org_id = _get(ident, "orgStudyIdInfo", "id")
    if org_id is not None:
        found.append(Identifier(id=org_id, source=ORG_STUDY_ID))
    found.extend(
        Identifier(
            id=item["id"],
            type=_enum(IdentifierType, item.get("type")),
            source=item.get("domain", SECONDARY_ID),
        )
        for item in ident.get("secondaryIdInfos", ())
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
