"""Write a ``Trial`` back as page text, in the bare or the labelled layout of FORMAT.md.

Choices where the pages seen say nothing:

* A section with nothing in it is still printed (heading and helper), as the example page
  does, except Keywords, which that page leaves out when there are none; Study Results is
  left out when ``has_results`` is unknown, since its only content is the results sentence.
* Ages follow the registry's spelling: ``18 Years`` but ``1 Year``.
* Arm and intervention descriptions are prose: one page line per line of the description.
* An identifier with no source gets ``Identifier Source: -``, like a missing type.
* The labelled layout puts a blank line between every two lines; the sections whose
  labelled shape is unknown (Eligibility Criteria onwards) get the bare lines.

No line ends the text: the example page has no final newline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Literal, get_args

from ctparse.eligibility.criteria import format_criteria
from ctparse.formats.ctgov import age_text
from ctparse.model import Arm, Design, Intervention, RelatedTrial, Trial
from ctparse.pages.markdown import escape
from ctparse.pages.trial import vocabulary as page
from ctparse.pages.trial.vocabulary import LINE_PREFIXES as PREFIX

__all__ = ["LAYOUTS", "Layout", "render", "section_lines"]

Layout = Literal["bare", "labelled"]
LAYOUTS: tuple[str, ...] = get_args(Layout)

# A section's content lines; ``None`` leaves the section (heading and helper) out.
_Body = Callable[[Trial, bool], list[str] | None]


def render(trial: Trial, layout: Layout = "bare") -> str:
    """The page text of ``trial`` in the given layout (``"bare"`` or ``"labelled"``).

    Raises ``ValueError`` for any other layout: a typo must not silently give the bare one.
    """
    labelled = _labelled(layout)
    lines = _header(trial)
    for heading, helper in page.SECTIONS:
        body = _BODIES[heading](trial, labelled)
        if body is not None:
            lines += [heading, helper] if helper else [heading]
            lines += body
    return ("\n\n" if labelled else "\n").join(lines)


def section_lines(trial: Trial, heading: str, layout: Layout = "bare") -> list[str] | None:
    """The content lines one section gets (``None`` when it is left out)."""
    return _BODIES[heading](trial, _labelled(layout))


def _labelled(layout: str) -> bool:
    if layout not in LAYOUTS:
        raise ValueError(
            f"unknown layout {layout!r}: expected one of {', '.join(map(repr, LAYOUTS))}"
        )
    return layout == "labelled"


def _header(trial: Trial) -> list[str]:
    lines = [] if trial.title is None else [trial.title]
    if trial.nct_id is not None:
        lines.append(PREFIX["nct_id"] + trial.nct_id)
    if trial.last_updated is not None:
        lines.append(PREFIX["last_updated"] + trial.last_updated.isoformat())
    return lines


def _values(
    pairs: Iterable[tuple[str, str | None]], labels: Mapping[str, str], labelled: bool
) -> list[str]:
    """Each known value, after its label in the labelled layout (an enum prints its value)."""
    lines: list[str] = []
    for field, value in pairs:
        if value is not None:
            lines += [labels[field], str(value)] if labelled else [str(value)]
    return lines


def _prose(text: str | None) -> list[str]:
    return [] if text is None else [escape(line) for line in text.split("\n")]


def _plain(text: str | None) -> list[str]:
    return [] if text is None else text.split("\n")


# ------------------------------------------------------------------ sections


def _results(trial: Trial, labelled: bool) -> list[str] | None:
    if trial.has_results is None:
        return None
    if trial.has_results:
        lines = [page.RESULTS_AVAILABLE_LABEL, page.RESULTS_AVAILABLE, page.VIEW_FULL_RESULTS]
    else:
        lines = [page.RESULTS_PENDING_LABEL, page.RESULTS_PENDING]
    return lines if labelled else lines[1:]


def _basic(trial: Trial, labelled: bool) -> list[str]:
    pairs = (
        ("status", trial.status),
        ("phases", "/".join(phase.value for phase in trial.phases) or None),
        ("enrollment", None if trial.enrollment is None else f"{trial.enrollment} participants"),
        ("study_type", trial.study_type),
        ("start_date", trial.start_date),
        ("completion_date", trial.completion_date),
    )
    return _values(pairs, page.BASIC_LABELS, labelled)


def _design(trial: Trial, labelled: bool) -> list[str]:
    design = trial.design
    lines = _values(
        (
            ("allocation", design.allocation),
            ("intervention_model", design.intervention_model),
            ("primary_purpose", design.primary_purpose),
            ("masking", design.masking),
        ),
        page.DESIGN_LABELS,
        labelled,
    )
    if labelled and design.who_masked:
        lines.append(_who_masked(design))
    return lines + _values(
        (
            ("observational_model", design.observational_model),
            ("time_perspective", design.time_perspective),
        ),
        page.DESIGN_LABELS,
        labelled,
    )


def _who_masked(design: Design) -> str:
    return " ".join(page.WHO_MASKED_WORDS[who] for who in design.who_masked)


def _groups(trial: Trial, labelled: bool) -> list[str]:
    by_name: dict[str, Intervention] = {}
    for item in trial.interventions:
        by_name.setdefault(item.name, item)
    lines: list[str] = []
    for arm in trial.arms:
        lines += _arm(arm, labelled)
        for name in arm.interventions:
            lines += _intervention(by_name.get(name, Intervention(name=name)), labelled)
    return lines


def _arm(arm: Arm, labelled: bool) -> list[str]:
    lines = [arm.label, *_prose(arm.description)]
    if labelled and arm.type is not None:
        lines.append(PREFIX["group_type"] + arm.type.value)
    return lines


def _intervention(item: Intervention, labelled: bool) -> list[str]:
    lines = [item.name]
    if labelled and item.type is not None:
        lines.append(PREFIX["intervention_type"] + item.type.value)
    return lines + _prose(item.description)


def _interventions(trial: Trial, labelled: bool) -> list[str]:
    return [line for item in trial.interventions for line in _intervention(item, labelled)]


def _eligibility(trial: Trial, labelled: bool) -> list[str]:
    eligibility = trial.eligibility
    lines = format_criteria(eligibility.inclusion, eligibility.exclusion, eligibility.other)
    for age in (eligibility.min_age, eligibility.max_age):
        if age is not None:
            lines.append(age_text(age))
    if eligibility.sex is not None:
        lines.append(eligibility.sex)
    if eligibility.healthy_volunteers is not None:
        lines.append("Yes" if eligibility.healthy_volunteers else "No")
    return lines


def _sponsors(trial: Trial, labelled: bool) -> list[str]:
    lead = () if trial.lead_sponsor is None else (trial.lead_sponsor,)
    lines: list[str] = []
    for sponsor in (*lead, *trial.collaborators):
        lines.append(sponsor.name)
        if sponsor.agency_class is not None:
            lines.append(sponsor.agency_class.value)
    return lines


def _investigators(trial: Trial, labelled: bool) -> list[str]:
    lines: list[str] = []
    for person in trial.investigators:
        lines.append(person.name)
        if person.role is not None:
            lines.append(PREFIX["role"] + person.role.value)
        if person.affiliation is not None:
            lines.append(person.affiliation)
    return lines


def _locations(trial: Trial, labelled: bool) -> list[str]:
    lines: list[str] = []
    for site in trial.locations:
        if site.facility is not None:
            lines.append(site.facility)
        place = ", ".join(p for p in (site.city, site.state, site.country) if p is not None)
        if place:
            lines.append(place)
    return lines


def _identifiers(trial: Trial, labelled: bool) -> list[str]:
    lines: list[str] = []
    for ident in trial.identifiers:
        lines += [
            ident.id,
            PREFIX["identifier_type"] + ("-" if ident.type is None else ident.type.value),
            PREFIX["identifier_source"] + (ident.source or "-"),
        ]
    return lines


def _related(trials: Iterable[RelatedTrial]) -> list[str]:
    return [line for trial in trials for line in (trial.title, trial.nct_id)]


_BODIES: dict[str, _Body] = {
    "Study Results": _results,
    "Basic Information": _basic,
    "Brief Summary": lambda trial, _: _prose(trial.brief_summary),
    "Related Clinical Trials": lambda trial, _: _related(trial.related_trials),
    "Detailed Description": lambda trial, _: _prose(trial.detailed_description),
    "Conditions": lambda trial, _: list(trial.conditions),
    "Keywords": lambda trial, _: list(trial.keywords) or None,
    "Study Design": _design,
    "Study Groups": _groups,
    "Interventions": _interventions,
    "Other Intervention Names": lambda trial, _: list(trial.other_intervention_names),
    "Eligibility Criteria": _eligibility,
    "Sponsors": _sponsors,
    "Responsible Party": lambda trial, _: _plain(trial.responsible_party),
    "Principal Investigators": _investigators,
    "Locations": _locations,
    "Countries": lambda trial, _: list(trial.countries),
    "Other Identifiers": _identifiers,
    "More Related Trials": lambda trial, _: _related(trial.more_related_trials),
}
