"""The grammar file and the Python model speak the same words."""

from __future__ import annotations

import re
from enum import StrEnum

import pytest
from lark import Lark

import ctparse
from ctparse.pages.trial.reader import grammar_text
from ctparse.pages.trial.vocabulary import BASIC_LABELS, DESIGN_LABELS, SECTIONS, WHO_MASKED_WORDS

GRAMMAR = grammar_text()


def terminal(name: str) -> str:
    match = re.search(rf"^{name}(?:\.\d+)?: (.*)$", GRAMMAR, re.M)
    assert match, name
    return match.group(1)


def alternatives(name: str, prefix: str = "") -> set[str]:
    """The words of a terminal written as ``/prefix(?:A|B|C)\\n/``."""
    pattern = terminal(name)
    inner = re.search(re.escape(prefix) + r"\(\?:([^()]*)\)", pattern)
    assert inner, pattern
    return set(inner.group(1).split("|"))


@pytest.mark.parametrize(
    ("name", "enum", "prefix"),
    [
        ("STATUS", ctparse.Status, ""),
        ("STUDY_TYPE", ctparse.StudyType, ""),
        ("ALLOCATION", ctparse.Allocation, ""),
        ("INTERVENTION_MODEL", ctparse.InterventionModel, ""),
        ("MASKING", ctparse.Masking, ""),
        ("GROUP_TYPE", ctparse.ArmGroupType, "Group Type "),
        ("INTERVENTION_TYPE", ctparse.InterventionType, "Intervention Type "),
        ("SEX", ctparse.Sex, ""),
        ("AGENCY_CLASS", ctparse.AgencyClass, ""),
        ("ROLE", ctparse.OfficialRole, "Role: "),
    ],
)
def test_enum_terminals_list_every_member(name: str, enum: type[StrEnum], prefix: str) -> None:
    assert alternatives(name, prefix) == {member.value for member in enum}


def test_other_is_its_own_terminal_for_the_design_enums() -> None:
    # OTHER is shared by three design fields; the Python side places a bare OTHER.
    assert alternatives("PRIMARY_PURPOSE") | {"OTHER"} == {m.value for m in ctparse.PrimaryPurpose}
    assert alternatives("OBSERVATIONAL_MODEL") | {"OTHER"} == {
        m.value for m in ctparse.ObservationalModel
    }
    assert alternatives("TIME_PERSPECTIVE") | {"OTHER"} == {
        m.value for m in ctparse.TimePerspective
    }


def test_identifier_types_and_dash() -> None:
    expected = {m.value for m in ctparse.IdentifierType} | {"-"}
    assert alternatives("IDENTIFIER_TYPE", "Identifier Type: ") == expected


TERMINALS = {
    t.name: re.compile(t.pattern.to_regexp()) for t in Lark(GRAMMAR, parser="lalr").terminals
}


def matches(name: str, line: str) -> bool:
    return TERMINALS[name].fullmatch(line) is not None


def test_phase_and_age_terminals() -> None:
    assert alternatives("PHASES") == {m.value for m in ctparse.Phase}
    assert matches("PHASES", "PHASE1/PHASE2\n") and matches("PHASES", "PHASE2, PHASE3\n")
    for unit in ctparse.AgeUnit:
        word = unit.value.capitalize()
        assert matches("AGE", f"18 {word}\n") and matches("AGE", f"1 {word[:-1]}\n"), word
    assert not matches("AGE", "18 years\n")


def test_every_heading_is_recognised_with_its_helper_sentence_only() -> None:
    names = [n for n in TERMINALS if n.startswith("H_") and n != "H_STUDY_RESULTS"]
    assert len(names) == len(SECTIONS) - 1
    for heading, helper in SECTIONS[1:]:
        found = [n for n in names if matches(n, f"{heading}\n{helper}\n")]
        assert len(found) == 1, heading
        assert matches(found[0], f"{heading}\n\n\n{helper}\n")
        assert not matches(found[0], f"{heading}\n")


def test_labels_and_who_masked_words_are_in_the_grammar() -> None:
    for label in (*BASIC_LABELS.values(), *DESIGN_LABELS.values()):
        assert f'"{label}" _EOL' in GRAMMAR, label
    assert alternatives("WHO_MASKED") == set(WHO_MASKED_WORDS.values())


def test_grammar_builds_without_conflicts() -> None:
    # LALR reports reduce/reduce conflicts as errors and would refuse to build.
    Lark(GRAMMAR, parser="lalr", lexer="contextual")
