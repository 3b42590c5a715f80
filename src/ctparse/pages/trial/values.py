"""How the value of one typed line of the trial page is read: dates, locations, who is masked,
identifier sources, ages."""

from __future__ import annotations

import datetime

from ctparse.model import Age, AgeUnit, Location, WhoMasked
from ctparse.pages.tokens import Token
from ctparse.pages.trial.vocabulary import LINE_PREFIXES, WHO_MASKED_WORDS

__all__ = [
    "COMMA_COUNTRIES",
    "after_prefix",
    "read_age",
    "read_date",
    "read_identifier_source",
    "read_location",
    "read_who_masked",
]

_WHO_MASKED = {words: WhoMasked(key) for key, words in WHO_MASKED_WORDS.items()}
_AGE_UNITS = {unit.value.lower().removesuffix("s"): unit for unit in AgeUnit}


def after_prefix(line: str, kind: str) -> str:
    """The value of a typed line after its fixed prefix: ``Role: X`` -> ``X``."""
    return line.rstrip("\n").removeprefix(LINE_PREFIXES[kind])


def read_identifier_source(value: str | None) -> str | None:
    # "-" stands for no source, as it does for no type.
    source = None if value is None else after_prefix(value, "identifier_source").strip()
    return None if source in (None, "", "-") else source


def read_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def read_who_masked(value: str) -> tuple[WhoMasked, ...]:
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


def read_location(facility: str, place: str | None) -> Location:
    """``City, State, Country`` (state optional); a city may not itself hold ``, ``."""
    if place is None:
        return Location(facility=facility)
    # Split at ", " exactly: a city may hold ", " itself, spaces and all.
    parts = place.strip().split(", ")
    if len(parts) > 1 and f"{parts[-2]}, {parts[-1]}" in COMMA_COUNTRIES:
        parts[-2:] = [f"{parts[-2]}, {parts[-1]}"]
    if len(parts) == 1:
        return Location(facility=facility, country=parts[0] or None)
    if len(parts) == 2:
        return Location(facility=facility, city=parts[0], country=parts[1])
    # ``City, , Country``: the page printed an empty state; no state, not an empty one.
    return Location(
        facility=facility, city=", ".join(parts[:-2]), state=parts[-2] or None, country=parts[-1]
    )


# Registry country names that hold ", " themselves.
COMMA_COUNTRIES = frozenset(
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


def read_age(token: Token) -> Age:
    number, unit = str(token).rstrip("\n").split(" ", 1)
    return Age(value=int(number), unit=_AGE_UNITS[unit.lower().removesuffix("s")])
