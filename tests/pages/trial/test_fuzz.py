"""Hostile input: real pages mutated at random, and files that are not trial pages at all.

Properties, for any mutation of a real page (lines deleted, duplicated, swapped, moved,
glued, indented; the page cut at any offset; random text, control characters, NUL, U+2028,
RTL marks or page furniture put in; newlines changed to ``\\r\\n`` or ``\\r``):

* strict ``parse`` raises nothing but ``ParseError``, whose message ends
  ``(at line L, column C)`` with L a line of the text given, and agrees with the lenient
  parse (same first problem; same Trial when there is none);
* ``parse(..., lenient=True)`` never raises;
* every non-blank input line is accounted for: a diagnostic names it, or its text is held
  by a field of the Trial, or it is fixed page furniture of the section it stands in.

The accounting checker (``unaccounted``) works on its own: it normalises the text as the
format prescribes, tracks the sections by their heading and helper, and for each line lists
what the Trial must hold for the line to count as read. Values are consumed from a multiset
of what the Trial holds, section by section, so a duplicated line whose copy was dropped is
caught; only Study Groups, which repeats the Interventions lines, is checked as a set. The
Trial must also hold no blank string that no line gave it.

The pages: ../shared/pages/*.txt, fixtures/*/*.txt (results pages aside) and, for each of
the 400 registry records in ../shared/corpus/ctgov, its rendered page in both layouts, with
rendered and with verbatim criteria. Known library bugs are pinned by strict-xfail tests at
the end; the properties excuse only the lines those bugs explain (see ``excuse``).
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ctparse
from ctparse.formats.ctgov import from_ctgov
from ctparse.pages.trial.render import render
from ctparse.pages.trial.vocabulary import (
    BASIC_LABELS,
    DESIGN_LABELS,
    RESULTS_AVAILABLE,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_PENDING_LABEL,
    SECTIONS,
    VIEW_FULL_RESULTS,
    WHO_MASKED_WORDS,
)
from support.golden import pages as golden_pages
from support.pages import page_with_raw_criteria
from support.paths import FIXTURES, SHARED, corpus_files

# ------------------------------------------------------------------ the pages to mutate


def _page_files() -> list[Path]:
    files = sorted((SHARED / "pages").glob("*.txt")) + golden_pages()
    return [path for path in files if not path.name.endswith("_results.txt")]


def _records() -> list[Path]:
    return corpus_files()


PAGE_FILES = _page_files()
SEED = FIXTURES / "valid" / "NCT05001971.txt"  # the same page as ../shared/pages/
RECORDS = _records()


@functools.cache
def rendered(index: int, layout: str, raw_criteria: bool) -> str:
    """The page of corpus record ``index``; with ``raw_criteria`` its criteria lines are
    the record's markdown lines verbatim, as a real page prints them."""
    record = json.loads(RECORDS[index].read_text(encoding="utf-8"))
    if not raw_criteria:
        return render(from_ctgov(record), layout)  # type: ignore[arg-type]
    return page_with_raw_criteria(record, layout)


@functools.cache
def page_file(index: int) -> str:
    return PAGE_FILES[index].read_bytes().decode("utf-8-sig")


def page_names() -> list[tuple[str, Any]]:
    pages: list[tuple[str, Any]] = [(p.name, (page_file, i)) for i, p in enumerate(PAGE_FILES)]
    for i, path in enumerate(RECORDS):
        for layout in ("bare", "labelled"):
            for raw in (False, True):
                pages.append((f"{path.stem}/{layout}/{raw}", (rendered, i, layout, raw)))
    return pages


PAGES = page_names()


def load(entry: tuple[str, Any]) -> str:
    function, *args = entry[1]
    return str(function(*args))


# ------------------------------------------------------------------ the accounting checker

HEADINGS = {heading: helper for heading, helper in SECTIONS}
HEADING_ORDER = [heading for heading, _ in SECTIONS]
HELPERS = {helper for _, helper in SECTIONS if helper}
RESULTS_LINES = {
    RESULTS_PENDING_LABEL,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_AVAILABLE,
    VIEW_FULL_RESULTS,
}
# What must follow a fixed line; a page cut inside the follower is reported at the fixed line.
FOLLOWERS: dict[str, tuple[str, ...]] = {h: (helper,) for h, helper in SECTIONS if helper}
FOLLOWERS["Study Results"] = (
    RESULTS_PENDING_LABEL,
    RESULTS_AVAILABLE_LABEL,
    RESULTS_PENDING,
    RESULTS_AVAILABLE,
)
FOLLOWERS[RESULTS_PENDING_LABEL] = (RESULTS_PENDING,)
FOLLOWERS[RESULTS_AVAILABLE_LABEL] = (RESULTS_AVAILABLE,)
# Lines that stay what they are when the scrape indents them.
INDENTABLE = {*HEADINGS, RESULTS_PENDING_LABEL, RESULTS_AVAILABLE_LABEL}

# The Trial fields each section feeds.
SECTION_FIELDS: dict[str | None, tuple[str, ...]] = {
    None: ("title", "nct_id", "last_updated"),
    "Study Results": (),
    "Basic Information": (
        "status",
        "phases",
        "enrollment",
        "study_type",
        "start_date",
        "completion_date",
    ),
    "Brief Summary": ("brief_summary",),
    "Related Clinical Trials": ("related_trials",),
    "Detailed Description": ("detailed_description",),
    "Conditions": ("conditions",),
    "Keywords": ("keywords",),
    "Study Design": ("design",),
    "Study Groups": ("arms", "interventions"),
    "Interventions": ("interventions",),
    "Other Intervention Names": ("other_intervention_names",),
    "Eligibility Criteria": ("eligibility",),
    "Sponsors": ("lead_sponsor", "collaborators"),
    "Responsible Party": ("responsible_party",),
    "Principal Investigators": ("investigators",),
    "Locations": ("locations",),
    "Countries": ("countries",),
    "Other Identifiers": ("identifiers",),
    "More Related Trials": ("more_related_trials",),
}
WHO_MASKED = {words: key for key, words in WHO_MASKED_WORDS.items()}

_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")
_NCT_ID = re.compile(r"NCT ID: (NCT\d{8})")
_LAST_UPDATED = re.compile(r"Last Updated: (\d{4}-\d{2}-\d{2})")
_ENROLLMENT = re.compile(r"(\d+) participants?")
_PHASES = re.compile(r"(?:NA|EARLY_PHASE1|PHASE[1-4])(?:(?:/|, ?)(?:NA|EARLY_PHASE1|PHASE[1-4]))*")
_AGE = re.compile(r"(\d+) (Year|Month|Week|Day|Hour|Minute)s?")
_WHO = re.compile(r"(?:Participants|Caregivers|Investigators|Outcome Assessors)")
# One leading list marker of a criterion (bullets, numbering, letters, roman, glyphs).
_MARKER = re.compile(
    r"""^(?:
        \\?[*+\-\u2013\u2014][ \t\u00a0]+
      | \\?-(?=[^\W\d_])
      | [•·▪▫◦●○■□►▸➢➤✓✔‣\u2043∙][ \t\u00a0]*
      | o[ \t\u00a0]+
      | \\?\((?:\d{1,3}|[a-zA-Z]|[ivxIVX]{2,5})\\?\)[ \t\u00a0]*
      | (?:\d{1,3}|[a-zA-Z]|[ivxIVX]{2,5})\\?[.)、\uff0e][ \t\u00a0]*
      | [①-⑳][ \t\u00a0]*
    )""",
    re.VERBOSE,
)
_KEYWORD = (
    r"(?:non[- ]?inclusions?|inclusions?|inclusión|exclusions?|exclusión|ineligibility"
    r"|eligibility)"
)
_HEADER_CORE = (
    rf"(?:[^\s:]+[ \t]+){{0,3}}?{_KEYWORD}"
    rf"(?:[ \t]*(?:/|&|and|or)[ \t]*{_KEYWORD})?"
    r"(?:[ \t]+(?:criteria|criterion|criterias|requirements))?"
)
# A criteria header alone: keyword, optional qualifier, decoration and a colon.
_HEADER = re.compile(
    rf"(?i)[#*_ \t]*{_HEADER_CORE}(?P<tail>[ \t(][^.;]{{0,120}})?[*_ \t.:\uff1a\-\u2013\u2014]*"
)
_HEADER_OF = re.compile(
    rf"(?i)[#*_ \t]*criteria[ \t]+(?:for|of)[ \t]+(?:study[ \t]+)?{_KEYWORD}[*_ \t.:\uff1a\-]*"
)
# A header glued to the first criterion: ``Exclusion Criteria:Patients with ...``.
_GLUED_HEADER = re.compile(
    rf"(?i)[#*_ \t]*{_HEADER_CORE}(?:\*\*|__)?[ \t]*[:\uff1a.](?:\*\*|__)?[ \t]*(?P<rest>\S.*)"
)

Key = tuple[Any, ...]


def unescape(text: str) -> str:
    return _ESCAPE.sub(r"\1", text)


@attrs.frozen
class Line:
    """A line of the normalised text: its number in the caller's text, and its text."""

    number: int
    text: str


def normalise(text: str) -> tuple[list[Line], bool]:
    """The lines the format defines: BOM dropped, ``\\r\\n``/``\\r`` as newlines, trailing
    blanks stripped, a heading glued to the end of a line put on a line of its own."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    ends_with_newline = text.endswith("\n")
    raw = text.split("\n")
    if ends_with_newline:
        raw.pop()
    # Any trailing white space goes (a line of only \xa0 is blank); an indented heading is a
    # heading.
    raw = [line.rstrip() for line in raw]
    raw = [
        line.lstrip() if line[:1].isspace() and line.lstrip() in INDENTABLE else line
        for line in raw
    ]
    lines: list[Line] = []
    for index, line in enumerate(raw):
        after = next((later for later in raw[index + 1 :] if later), None)
        glued = next(
            (h for h in HEADING_ORDER if line.endswith(h) and len(line) > len(h) >= 0), None
        )
        if len(line) >= 9 and glued and after is not None and after in FOLLOWERS[glued]:
            lines.append(Line(index + 1, line[: -len(glued)].rstrip()))
            lines.append(Line(index + 1, glued))
        else:
            lines.append(Line(index + 1, line))
    return lines, ends_with_newline


def _next_content(lines: list[Line], index: int) -> str | None:
    return next((line.text for line in lines[index + 1 :] if line.text), None)


def _is_heading(lines: list[Line], index: int) -> bool:
    """A heading line counts only with its helper (or, for Study Results, a results line)
    as the next non-blank line, as the grammar says; a helper is compared with its white
    space normalised (an indented or doubled-space helper is still the helper)."""
    text = lines[index].text
    if text not in HEADINGS:
        return False
    after = _next_content(lines, index)
    if after is None:
        return False
    if text == "Study Results":
        return after in (RESULTS_PENDING_LABEL, RESULTS_AVAILABLE_LABEL) or after.startswith(
            ("The study team has not published", "Outcome measurements, participant flow")
        )
    return " ".join(after.split()) == HEADINGS[text]


def _strings(value: Any, skip: frozenset[str] = frozenset()) -> Iterator[str]:
    """Every line of every string in a ``to_dict`` value (keys in ``skip`` left out)."""
    if isinstance(value, str):
        for line in value.split("\n"):
            yield line.strip()
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skip)


def held(record: dict[str, Any], fields: tuple[str, ...]) -> Counter[Key]:
    """What the Trial holds in ``fields``, as a multiset of keys a line may consume."""
    found: Counter[Key] = Counter()
    for name in fields:
        value = record[name]
        if name == "enrollment":
            if value is not None:
                found["enrollment", value] += 1
            continue
        if name == "locations":
            for site in value:
                found.update(("s", s) for s in _strings(site.get("facility")))
                place = [site[k] for k in ("city", "state", "country") if site[k] is not None]
                if place:
                    found["place", ", ".join(place)] += 1
            continue
        if name == "identifiers":
            for ident in value:
                found.update(("s", s) for s in _strings(ident["id"]))
                found["id type", ident["type"]] += 1
                found["id source", ident["source"]] += 1
            continue
        if name == "eligibility":
            for age in ("min_age", "max_age"):
                if value[age] is not None:
                    found["age", value[age]["value"], value[age]["unit"]] += 1
            if value["healthy_volunteers"] is not None:
                found["healthy volunteers", value["healthy_volunteers"]] += 1
            skip = frozenset({"min_age", "max_age"})
            found.update(("s", s) for s in _strings(value, skip))
            continue
        found.update(("s", s) for s in _strings(value))
    return found


def _text_forms(text: str, *, criterion: bool = False) -> list[list[Key]]:
    """The ways a free-text line may be held: as printed, without escapes, and for a
    criterion without its list marker."""
    stripped = text.strip()
    forms = [stripped, unescape(stripped).strip()]
    if criterion:
        content = _MARKER.sub("", stripped, count=1)
        if content != stripped:
            forms += [content, unescape(content).strip(), content.strip()]
    return [[("s", form)] for form in dict.fromkeys(forms)]


def _criterion_header(text: str) -> bool:
    core = _MARKER.sub("", text.strip(), count=1) if text.strip()[:1] not in "*_" else text
    core = core.strip()
    for candidate in (core, text.strip()):
        if _HEADER_OF.fullmatch(candidate):
            return True
        match = _HEADER.fullmatch(candidate)
        if match is None:
            continue
        tail = match["tail"] or ""
        if len(re.findall(r"[^\W\d_]+", tail)) <= 15:
            return True
    return False


def _glued_criterion(text: str) -> list[list[Key]]:
    stripped = text.strip()
    core = _MARKER.sub("", stripped, count=1)
    forms: list[list[Key]] = []
    for candidate in dict.fromkeys((stripped, core)):
        match = _GLUED_HEADER.fullmatch(candidate)
        if match is not None:
            forms += _text_forms(match["rest"], criterion=True)
    return forms


def _needs(section: str | None, text: str, first: bool) -> list[list[Key]] | None:
    """What the Trial must hold for this line (alternatives); ``None`` for furniture."""
    stripped = text.strip()
    if section is None:
        if nct := _NCT_ID.fullmatch(text):
            return [[("s", nct[1])]]
        if updated := _LAST_UPDATED.fullmatch(text):
            return [[("s", updated[1])]]
        return _text_forms(text) if first else []
    if section == "Study Results":
        return None if text in RESULTS_LINES else []
    if section == "Basic Information":
        if text in BASIC_LABELS.values():
            return None
        if enrollment := _ENROLLMENT.fullmatch(text):
            return [[("enrollment", int(enrollment[1]))]]
        if _PHASES.fullmatch(text):
            return [[("s", p.strip()) for p in text.replace("/", ",").split(",") if p]]
        return [[("s", text)]]
    if section == "Study Design":
        if text in DESIGN_LABELS.values():
            return None
        if re.fullmatch(rf"{_WHO.pattern}(?: {_WHO.pattern})*", text):
            return [[("s", WHO_MASKED[word]) for word in _WHO.findall(text)]]
        return [[("s", text)]]
    if section in ("Study Groups", "Interventions"):
        for prefix in ("Group Type ", "Intervention Type "):
            if text.startswith(prefix) and text[len(prefix) :].isupper():
                return [[("s", text[len(prefix) :])], *_text_forms(text)]
        return _text_forms(text)
    if section == "Eligibility Criteria":
        if age := _AGE.fullmatch(text):
            unit = age[2].upper() + "S"
            return [[("age", int(age[1]), unit)], *_text_forms(text, criterion=True)]
        if text in ("Yes", "No"):
            return [[("healthy volunteers", text == "Yes")], [("s", text)]]
        return _text_forms(text, criterion=True) + _glued_criterion(text)
    if section == "Principal Investigators" and text.startswith("Role: "):
        return [[("s", text[6:])], *_text_forms(text)]
    if section == "Locations":
        place = ", ".join(part.strip() for part in text.split(", "))
        return [*_text_forms(text), [("place", place)], [("place", stripped)]]
    if section == "Other Identifiers":
        if text.startswith("Identifier Type: "):
            kind = text[17:]
            return [[("id type", None if kind == "-" else kind)], *_text_forms(text)]
        if text.startswith("Identifier Source: "):
            source = text[19:].strip()
            return [[("id source", source or None)], *_text_forms(text)]
    return _text_forms(text)


@attrs.frozen
class Missing:
    """A line not accounted for, with the section it stands in (and that heading's line)."""

    line: int
    text: str
    section: str | None
    heading_line: int | None


def unaccounted(text: str, trial: ctparse.Trial) -> list[Missing]:
    """The non-blank lines of ``text`` that are neither in ``trial`` nor diagnosed nor
    fixed furniture of the section they stand in."""
    lines, _ = normalise(text)
    record = ctparse.to_dict(trial)
    diagnosed = {d.line for d in trial.diagnostics}
    pools = {section: held(record, fields) for section, fields in SECTION_FIELDS.items()}
    # A line of whitespace only (``\xa0``, ``\x0c``, the rest of `` Countries`` once the
    # heading is split off) holds nothing to account for.
    content = [i for i, line in enumerate(lines) if line.text.strip()]
    missing: list[Missing] = []
    section: str | None = None
    heading_line: int | None = None
    first_text = True
    skip_helper = -1
    for position, index in enumerate(content):
        line = lines[index]
        if index == skip_helper:
            continue
        if _is_heading(lines, index):
            section, heading_line = line.text, line.number
            if section != "Study Results":
                skip_helper = content[position + 1]
            continue
        if line.number in diagnosed:
            first_text = False
            continue
        if (
            position == len(content) - 1
            and position > 0
            and lines[content[position - 1]].number in diagnosed
            and any(
                f.startswith(line.text) and f != line.text
                for f in FOLLOWERS.get(lines[content[position - 1]].text, ())
            )
        ):
            continue  # cut inside a fixed line (newline or not): reported at the line before
        needs = _needs(section, line.text, first_text)
        first_text = False
        if needs is None:
            continue
        if section == "Eligibility Criteria" and _criterion_header(line.text):
            needs = [*needs, []]  # a consumed criteria header, unless it is held
        pool = pools[section]
        if section == "Study Groups":
            found = any(needed and all(pool[k] for k in needed) for needed in needs)
        else:
            found = False
            for needed in needs:
                count = Counter(needed)
                if all(pool[k] >= n for k, n in count.items()):
                    pool.subtract(count)
                    found = True
                    break
        if not found:
            missing.append(Missing(line.number, line.text, section, heading_line))
    return missing


def phantoms(trial: ctparse.Trial) -> list[str]:
    """Values of the Trial that no page line can have given: blank strings."""
    found: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, str):
            if not value.strip():
                found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    record = ctparse.to_dict(trial)
    record.pop("diagnostics")
    walk(record)
    return found


def check_accounted(text: str, trial: ctparse.Trial) -> None:
    missing = unaccounted(text, trial)
    assert not missing, (missing, trial.diagnostics)
    blank = phantoms(trial)
    assert not blank, blank


# ------------------------------------------------------------------ mutations

# A list in a fixed order (sets are sorted): derandomized draws must not depend on the
# process's hash seed, or a run cannot be repeated.
FURNITURE = [
    *HEADINGS,
    *sorted(HELPERS),
    *sorted(RESULTS_LINES),
    *BASIC_LABELS.values(),
    *DESIGN_LABELS.values(),
    "COMPLETED",
    "PHASE1/PHASE2",
    "120 participants",
    "INTERVENTIONAL",
    "2021-01-30",
    "2021-02-30",
    "RANDOMIZED",
    "NA",
    "OTHER",
    "Participants Investigators",
    "Group Type EXPERIMENTAL",
    "Intervention Type DRUG",
    "18 Years",
    "1 Year",
    "ALL",
    "Yes",
    "No",
    "INDUSTRY",
    "Role: PRINCIPAL_INVESTIGATOR",
    "Identifier Type: -",
    "Identifier Source: org_study_id",
    "NCT01234567",
    "NCT ID: NCT01234567",
    "Last Updated: 2026-01-15",
    "Inclusion Criteria:",
    "Exclusion Criteria",
    "* a bullet",
    "1. numbered",
    "Changsha, Hunan, China",
]
ODD_CHARACTERS = [
    "\x00",
    "\x01",
    "\x07",
    "\x08",
    "\t",
    "\x0b",
    "\x0c",
    "\x1b",
    "\x1c",
    "\x7f",
    "\x85",
    "\xa0",
    "\u2028",
    "\u2029",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\ufeff",
    "\ufffd",
    "\ud800",
    "\u3000",
    "\\",
    "\r",
]
MUTATIONS = (
    "delete",
    "duplicate",
    "swap",
    "move",
    "truncate",
    "cut",
    "glue",
    "insert text",
    "insert furniture",
    "replace with furniture",
    "odd character",
    "indent",
    "newlines",
    "bom",
)


def mutate(data: st.DataObject, text: str) -> str:
    kind = data.draw(st.sampled_from(MUTATIONS), label="mutation")
    lines = text.split("\n")
    n = len(lines)

    def index(extra: int = 0) -> int:
        return data.draw(st.integers(0, max(n - 1 + extra, 0)))

    if kind == "delete":
        i = index()
        del lines[i : i + data.draw(st.integers(1, 3))]
    elif kind == "duplicate":
        i = index()
        block = lines[i : i + data.draw(st.integers(1, 3))]
        j = data.draw(st.sampled_from([i, index(1)]))
        lines[j:j] = block
    elif kind == "swap":
        i, j = index(), index()
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "move":
        line = lines.pop(index())
        lines.insert(index(), line)
    elif kind == "truncate":
        lines = lines[: index(1)]
    elif kind == "cut":
        return text[: data.draw(st.integers(0, len(text)))]
    elif kind == "glue":
        i = index()
        if i + 1 < len(lines):
            separator = data.draw(st.sampled_from(["", " ", "\t"]))
            lines[i : i + 2] = [lines[i] + separator + lines[i + 1]]
    elif kind == "insert text":
        lines.insert(index(1), data.draw(st.text(max_size=40), label="text"))
    elif kind == "insert furniture":
        lines.insert(index(1), data.draw(st.sampled_from(FURNITURE)))
    elif kind == "replace with furniture":
        lines[index()] = data.draw(st.sampled_from(FURNITURE))
    elif kind == "odd character":
        i = index()
        at = data.draw(st.integers(0, len(lines[i])))
        odd = data.draw(st.sampled_from(ODD_CHARACTERS))
        lines[i] = lines[i][:at] + odd + lines[i][at:]
    elif kind == "indent":
        i = index()
        lines[i] = data.draw(st.sampled_from([" ", "  ", "\t", "\u00a0"])) + lines[i]
    elif kind == "newlines":
        newline = data.draw(st.sampled_from(["\r\n", "\r"]))
        if data.draw(st.booleans()):
            return text.replace("\n", newline)
        i = index()
        return "\n".join(lines[:i]) + newline + "\n".join(lines[i + 1 :]) if i < n else text
    elif kind == "bom":
        return "\ufeff" + text
    return "\n".join(lines)


@st.composite
def mutated_pages(draw: st.DrawFn) -> str:
    data = draw(st.data())
    text = load(draw(st.sampled_from(PAGES)))
    for _ in range(draw(st.integers(1, 4), label="mutations")):
        text = mutate(data, text)
    return text


# ------------------------------------------------------------------ the properties

# CI replays the same 1,000 draws every run. For a deeper hunt, set CTPARSE_FUZZ_EXAMPLES
# (say 20000) and CTPARSE_FUZZ_RANDOM=1 to draw afresh each run.
FUZZ = settings(
    max_examples=int(os.environ.get("CTPARSE_FUZZ_EXAMPLES", "1000")),
    derandomize=not os.environ.get("CTPARSE_FUZZ_RANDOM"),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
POSITION = re.compile(r"\(at line (\d+), column (\d+)\)\Z")


def caller_lines(text: str) -> list[str]:
    """The lines of the text given, as a person counts them (BOM, \\r\\n and \\r aside)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def check_strict(text: str) -> None:
    lenient = ctparse.parse(text, lenient=True)
    try:
        trial = ctparse.parse(text)
    except ctparse.ParseError as error:
        match = POSITION.search(str(error))
        assert match is not None, str(error)
        line, column = int(match[1]), int(match[2])
        assert (line, column) == (error.line, error.column)
        lines = caller_lines(text)
        assert 1 <= line <= len(lines), (str(error), len(lines))
        assert 1 <= column <= len(lines[line - 1]) + 1, (str(error), lines[line - 1])
        assert lenient.diagnostics, "strict raised where lenient found nothing"
        assert lenient.diagnostics[0].line == line
    else:
        assert not lenient.diagnostics, lenient.diagnostics
        assert trial == lenient


@FUZZ
@given(mutated_pages())
def test_strict_raises_only_parse_errors_naming_a_line(text: str) -> None:
    check_strict(text)


@FUZZ
@given(mutated_pages())
def test_lenient_accounts_for_every_line(text: str) -> None:
    check_accounted(text, ctparse.parse(text, lenient=True))


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(st.text(max_size=300))
def test_any_text(text: str) -> None:
    check_strict(text)
    check_accounted(text, ctparse.parse(text, lenient=True))


ODD_BYTES = [b"\xe9", b"\x93", b"\xc3", b"\xe2\x80", b"\xff\xfe", b"\x00", b"\xef\xbb\xbf"]


@st.composite
def mutated_page_bytes(draw: st.DrawFn) -> bytes:
    """A page's UTF-8 bytes with random bytes put in (stray Latin-1, cut sequences, NUL)."""
    data = load(draw(st.sampled_from(PAGES))).encode("utf-8")
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.one_of(st.binary(min_size=1, max_size=4), st.sampled_from(ODD_BYTES)))
        data = data[:at] + junk + data[at:]
    return data


@settings(max_examples=200, derandomize=True, deadline=None, database=None)
@given(mutated_page_bytes())
def test_parse_file_raises_only_parse_errors(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.txt"
        path.write_bytes(data)
        for lenient in (False, True):
            try:
                ctparse.parse_file(path, lenient=lenient)
            except ctparse.ParseError as error:
                assert POSITION.search(str(error)), str(error)
                lines = caller_lines(data.decode("utf-8", "replace"))
                assert 1 <= error.line <= len(lines), (str(error), len(lines))


@pytest.mark.parametrize("entry", PAGES, ids=[name for name, _ in PAGES])
def test_checker_accepts_the_pages_as_they_are(entry: tuple[str, Any]) -> None:
    """The checker is calibrated: each unmutated page has every line accounted for."""
    text = load(entry)
    check_accounted(text, ctparse.parse(text, lenient=True))


def test_checker_catches_a_dropped_line() -> None:
    """The checker is honest: a Trial missing a line's value, or a repeated line's second
    value, is caught."""
    text = SEED.read_text(encoding="utf-8")
    trial = ctparse.parse(text)
    fewer = attrs.evolve(trial, collaborators=trial.collaborators[:1])
    assert [m.line for m in unaccounted(text, fewer)] == [96, 97]
    criterion = "* main organs function is normal"
    doubled = text.replace(criterion, criterion + "\n" + criterion)
    assert ctparse.parse(doubled) != trial
    assert [m.line for m in unaccounted(doubled, trial)] == [60]
    no_age = attrs.evolve(trial, eligibility=attrs.evolve(trial.eligibility, max_age=None))
    assert [m.line for m in unaccounted(text, no_age)] == [87]


# ------------------------------------------------------------------ files that are not pages

RESULTS_PAGES = sorted((SHARED / "pages" / "real").glob("*_results.txt")) or sorted(
    FIXTURES.glob("real/*_results.txt")
)


def _seed() -> str:
    return SEED.read_text(encoding="utf-8")


BAD_FILES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "empty": (lambda: b"", ("text is empty",)),
    "whitespace": (lambda: b" \n\t\r\n  \n\x0b", ("text is empty",)),
    "binary": (lambda: bytes(range(256)) * 8, ("not UTF-8", "0x80", "offset 128")),
    "png": (lambda: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("not UTF-8", "0x89", "offset 0")),
    "html": (
        lambda: (FIXTURES / "invalid" / "html_page.txt").read_bytes(),
        ("not a trial page", "no 'NCT ID:' line"),
    ),
    "json": (
        lambda: json.dumps({"nctId": "NCT05001971", "briefTitle": "A trial"}, indent=2).encode(),
        ("not a trial page", "no 'NCT ID:' line"),
    ),
    "utf-16 le": (lambda: _seed().encode("utf-16"), ("UTF-16", "byte order mark")),
    "utf-16 be": (
        lambda: b"\xfe\xff" + _seed().encode("utf-16-be"),
        ("UTF-16", "byte order mark"),
    ),
    "latin-1": (
        lambda: "Étude de phase II\nNCT ID: NCT05001971\n".encode("latin-1"),
        ("not UTF-8", "0xc9", "offset 0"),
    ),
    "cp1252": (
        lambda: "A “quoted” trial\nNCT ID: NCT05001971\n".encode("cp1252"),
        ("not UTF-8", "0x93", "offset 2"),
    ),
}


@pytest.mark.parametrize("name", list(BAD_FILES))
@pytest.mark.parametrize("suffix", [".txt", ".txt.gz"])
def test_bad_file(tmp_path: Path, name: str, suffix: str) -> None:
    make, words = BAD_FILES[name]
    data: bytes = make()
    path = tmp_path / f"page{suffix}"
    path.write_bytes(gzip.compress(data) if suffix.endswith(".gz") else data)
    for lenient in (False, True):
        try:
            trial = ctparse.parse_file(path, lenient=lenient)
        except ctparse.ParseError as error:
            message = str(error)
        else:
            assert lenient
            message = trial.diagnostics[0].message
        for word in words:
            assert word in message
    text = data.decode("utf-8", "replace") if name not in ("utf-16 le", "utf-16 be") else None
    if text is not None:
        check_strict(text)
        check_accounted(text, ctparse.parse(text, lenient=True))


def test_latin1_error_names_the_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(
        _seed().replace("Nong Yang, PhD", "Nöng Yang, PhD").encode("latin-1", "replace")
    )
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse_file(path)
    assert "not UTF-8" in str(caught.value)
    assert (caught.value.line, caught.value.column) == (102, 2)


@pytest.mark.parametrize("path", RESULTS_PAGES, ids=lambda p: p.stem)
def test_results_page(path: Path) -> None:
    with pytest.raises(ctparse.ParseError, match=r"results page .*not a trial page") as caught:
        ctparse.parse_file(path)
    assert (caught.value.line, caught.value.column) == (1, 1)
    text = path.read_text(encoding="utf-8-sig")
    trial = ctparse.parse(text, lenient=True)
    assert trial.has_results is True
    assert trial.nct_id == re.search(r"NCT\d{8}", path.name)[0]  # type: ignore[index]
    check_accounted(text, trial)


@pytest.mark.parametrize(
    "text, words",
    [
        ("", ("text is empty",)),
        ("   \n\t\n", ("text is empty",)),
        ("\ufeff", ("text is empty",)),
        ("\x00" * 100, ("not a trial page",)),
        ("<html><body>NCT ID: NCT05001971</body></html>", ("not a trial page",)),
        ('{"nctId": "NCT05001971"}', ("not a trial page",)),
    ],
)
def test_bad_text(text: str, words: tuple[str, ...]) -> None:
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(text)
    for word in words:
        assert word in str(caught.value)
    check_strict(text)


def test_bytes_are_refused_with_a_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        ctparse.parse(b"NCT ID: NCT05001971")  # type: ignore[arg-type]


# ------------------------------------------------------------------ found bugs, one page each
#
# Each bug the properties found has a test with a minimal page (``test_fixed_*``), so that it
# stays fixed.


def page(*sections: tuple[str, list[str]], head: str = "A trial\nNCT ID: NCT01234567\n") -> str:
    """A small page: the header, then each section's heading, helper and lines."""
    text = head
    for heading, lines in sections:
        helper = HEADINGS[heading.strip()]
        text += heading + "\n" + (helper + "\n" if helper else "")
        text += "".join(line + "\n" for line in lines)
    return text


def assert_read(text: str) -> ctparse.Trial:
    """Every line accounted for, nothing blank invented."""
    trial = ctparse.parse(text, lenient=True)
    missing = unaccounted(text, trial)
    assert not missing, (missing, trial.diagnostics)
    assert not phantoms(trial)
    return trial


def test_fixed_groups_block_without_intervention() -> None:
    # An 'Intervention Type' line in Study Groups that contradicts Interventions is reported.
    trial = assert_read(
        page(
            ("Study Groups", ["Arm A", "Drug X", "Intervention Type DEVICE", "Given daily."]),
            ("Interventions", ["Drug X", "Intervention Type DRUG", "Given daily."]),
        )
    )
    assert [d.line for d in trial.diagnostics] == [7]
    assert "differs from the Interventions section (DRUG)" in trial.diagnostics[0].message
    # With no Interventions section, the block in Study Groups is the intervention.
    trial = assert_read(
        page(
            (
                "Study Groups",
                [
                    "Arm A",
                    "Group Type EXPERIMENTAL",
                    "Drug X",
                    "Intervention Type DRUG",
                    "Given daily.",
                ],
            )
        )
    )
    assert trial.interventions == (
        ctparse.Intervention(
            name="Drug X", type=ctparse.InterventionType.DRUG, description="Given daily."
        ),
    )
    assert trial.arms[0].interventions == ("Drug X",)


def test_fixed_location_without_place() -> None:
    text = page(("Locations", ["Site A", "Paris, France", "Site B"]), ("Countries", ["France"]))
    trial = assert_read(text)
    assert trial.countries == ("France",)


def test_fixed_related_title_without_nct() -> None:
    assert_read(page(("Related Clinical Trials", ["Title A", "Title B", "NCT01234567"])))


def test_fixed_design_value_twice() -> None:
    assert_read(page(("Study Design", ["RANDOMIZED", "RANDOMIZED"])))


def test_fixed_repeated_structured_section() -> None:
    text = page(("Sponsors", ["Acme", "INDUSTRY"]), ("Sponsors", ["Beta", "OTHER"]))
    trial = assert_read(text)
    assert [d.line for d in trial.diagnostics] == [7, 9, 10]
    assert trial.lead_sponsor is not None and trial.lead_sponsor.name == "Acme"


def test_fixed_not_a_page_cut_tail() -> None:
    # A last line that starts a fixed sentence is judged with the rest of the text.
    assert_read("hello\nResults pending\nThe study team")
    with pytest.raises(ctparse.ParseError, match=r"^Basic Information: the page is cut off"):
        ctparse.parse("Basic Information")


def test_fixed_whitespace_line_is_a_value() -> None:
    trial = assert_read(page(("Conditions", ["Asthma", "\xa0"]), ("  Keywords", ["k1"])))
    assert trial.conditions == ("Asthma",)
    ctparse.parse(page(("Basic Information", ["COMPLETED"]), (" Conditions", ["Asthma"])))


def test_fixed_recovery_invents_identifier() -> None:
    text = page(
        (
            "Other Identifiers",
            ["X-1", "Identifier Type: -", "Identifier Type: -", "Identifier Source: org_study_id"],
        )
    )
    trial = assert_read(text)
    assert [ident.id for ident in trial.identifiers] == ["X-1"]


def test_fixed_end_of_page_error_names_a_blank_line() -> None:
    text = page(("Sponsors", ["Acme"])) + "\n\n"
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(text)
    assert caught.value.line == 5


@pytest.mark.parametrize(
    "data",
    [
        b"not gzip at all",
        gzip.compress(b"A trial\nNCT ID: NCT01234567\n" * 50)[:40],
        gzip.compress(b"A trial\nNCT ID: NCT01234567\n")[:-8] + b"\0" * 8,
    ],
    ids=["not gzip", "truncated", "bad crc"],
)
def test_fixed_bad_gzip(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "page.txt.gz"
    path.write_bytes(data)
    with pytest.raises(ctparse.ParseError):
        ctparse.parse_file(path, lenient=True)


def test_fixed_utf32_called_utf16(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes("A trial\n".encode("utf-32"))
    with pytest.raises(ctparse.ParseError, match="UTF-32"):
        ctparse.parse_file(path)


def test_fixed_decode_error_line_with_cr(tmp_path: Path) -> None:
    path = tmp_path / "page.txt"
    path.write_bytes(b"A trial\rNCT ID: NCT01234567\rTitle \xe9\r")
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse_file(path)
    assert (caught.value.line, caught.value.column) == (3, 7)
