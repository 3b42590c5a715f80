"""Eligibility criteria: markdown lines to ``Criterion`` trees and back (ctparse.criteria)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ctparse.eligibility.constraints import constraints
from ctparse.eligibility.criteria import criteria_lines, format_criteria, parse_criteria
from ctparse.formats.json import _converter
from ctparse.model import Criterion
from ctparse.pages.markdown import unescape
from support.paths import FIXTURES, SEED_EXPECTED, SEED_PAGE, corpus_files

CASES = FIXTURES / "criteria" / "cases.md"
PAGE = SEED_PAGE
EXPECTED = SEED_EXPECTED
CORPUS = corpus_files()

def C(text: str, children: tuple[Criterion, ...] = ()) -> Criterion:
    """A criterion as ``parse_criteria`` builds it: its constraints read from its text."""
    return Criterion(text=text, children=children, constraints=constraints(text))


def as_json(criteria: Sequence[Criterion]) -> list[dict[str, Any]]:
    """Criteria as ``to_dict`` writes them (text, children, constraints)."""
    result: list[dict[str, Any]] = _converter().unstructure(tuple(criteria))
    return result


def dump(result: tuple[Sequence[Criterion], Sequence[Criterion], Sequence[Criterion]]) -> str:
    """The tree notation of fixtures/criteria/cases.md."""
    out: list[str] = []
    for name, criteria in zip(("inclusion", "exclusion", "other"), result, strict=True):
        if criteria:
            out.append(name + ":")
            out.extend("  " * (depth + 1) + c.text for depth, c in walk(criteria))
    return "\n".join(out) or "(empty)"


def walk(criteria: Sequence[Criterion]) -> Iterator[tuple[int, Criterion]]:
    """Depth-first ``(depth, criterion)``, without recursion."""
    stack = [iter(criteria)]
    while stack:
        criterion = next(stack[-1], None)
        if criterion is None:
            stack.pop()
        else:
            yield len(stack) - 1, criterion
            stack.append(iter(criterion.children))


def flatten(criteria: Sequence[Criterion]) -> list[str]:
    return [c.text for _, c in walk(criteria)]


def roundtrip(
    inclusion: Sequence[Criterion], exclusion: Sequence[Criterion], other: Sequence[Criterion]
) -> None:
    lines = format_criteria(inclusion, exclusion, other)
    assert parse_criteria(lines) == (tuple(inclusion), tuple(exclusion), tuple(other)), lines


# --- the example page -------------------------------------------------------------------------


def page_criteria_lines() -> list[str]:
    lines = [line for line in PAGE.read_text(encoding="utf-8").splitlines() if line.strip()]
    start = lines.index("Eligibility Criteria") + 2  # the heading, then its helper sentence
    end = lines.index("18 Years")
    return lines[start:end]


@pytest.mark.skipif(not PAGE.is_file(), reason="../shared is not beside the repository")
def test_example_page_gives_the_expected_criteria() -> None:
    lines = page_criteria_lines()
    assert lines[0] == "Inclusion Criteria"
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))["eligibility"]
    inclusion, exclusion, other = parse_criteria(lines)
    assert as_json(inclusion) == expected["inclusion"]
    assert as_json(exclusion) == expected["exclusion"]
    assert as_json(other) == expected["other"] == []
    assert len(inclusion) == 6 and len(exclusion) == 24
    assert exclusion[10].text.startswith("abnormal coagulation (INR > 1.5 or prothrombin")


@pytest.mark.skipif(not PAGE.is_file(), reason="../shared is not beside the repository")
def test_example_page_prints_back_the_same_lines() -> None:
    lines = page_criteria_lines()
    inclusion, exclusion, other = parse_criteria(lines)
    printed = format_criteria(inclusion, exclusion, other)
    # Same shape as the page: header without colon, "* " bullets; only escapes may differ.
    assert printed[0] == "Inclusion Criteria" and printed[7] == "Exclusion Criteria"
    assert [unescape(line) for line in printed] == [unescape(line) for line in lines]


# --- fixture cases ---------------------------------------------------------------------------


def read_cases() -> list[tuple[str, list[str], str]]:
    cases: list[tuple[str, list[str], str]] = []
    lines = iter(CASES.read_text(encoding="utf-8").splitlines())
    for line in lines:
        if not line.strip() or line.startswith("#"):
            continue
        title = line
        assert next(lines) == ".", title
        given_lines = list(iter(lines.__next__, "."))
        expected = list(iter(lines.__next__, "."))
        cases.append((title, given_lines, "\n".join(expected)))
    return cases


@pytest.mark.parametrize(
    ("given_lines", "expected"), [c[1:] for c in read_cases()], ids=[c[0] for c in read_cases()]
)
def test_fixture_case(given_lines: list[str], expected: str) -> None:
    result = parse_criteria(given_lines)
    assert dump(result) == expected
    roundtrip(*result)


def test_fixture_file_has_many_cases() -> None:
    assert len(read_cases()) >= 40


# --- headers ---------------------------------------------------------------------------------

INCLUSION_HEADERS = [
    "Inclusion Criteria",
    "Inclusion Criteria:",
    "Inclusion criteria:",
    "inclusion criteria :",
    "INCLUSION CRITERIA:",
    "**Inclusion Criteria:**",
    "**Inclusion Criteria**:",
    "__Inclusion Criteria__",
    "# Inclusion Criteria",
    "Inclusion Criteria:-",
    "Inclusion Criteria: -",
    "Inclusion:",
    "Criteria for inclusion:",
    "   Inclusion Criteria:",
    "* Inclusion Criteria:",
    "- Inclusion Criteria:",
    "* **Inclusion Criteria**",
    "I. INCLUSION CRITERIA",
    "1. Inclusion criteria",
    "Criterios de inclusión:",
]
EXCLUSION_HEADERS = [
    "Exclusion Criteria",
    "Exclusion Criteria:",
    "EXCLUSION CRITERIA",
    "Exclusion:",
    "Ineligibility Criteria",
    "Non-inclusion criteria:",
    "Non inclusion criteria",
    "II. EXCLUSION CRITERIA",
]
# Headers with a qualifier: each is a group node of the side it names.
QUALIFIED_INCLUSION_HEADERS = [
    "Key Inclusion Criteria:",
    "Main Inclusion Criteria:",
    "Inclusion criteria for the cases :",
    "Inclusion Criteria for Healthy Volunteers:",
    "Inclusion Criteria (screening)",
    "Inclusion Criteria (Controls):",
    "Patient Inclusion Criteria:",
    "Radiological Inclusion Criteria",
    "**Key Inclusion Criteria:**",
    "1. Main inclusion criteria",
]
QUALIFIED_EXCLUSION_HEADERS = [
    "Key Exclusion Criteria:",
    "Other exclusion criteria:",
    "Disease-specific exclusion criteria:",
    "Pre-Operative Exclusion Criteria:",
    "Intra-operative Exclusion Criteria:",
    "Exclusion criteria determined after tissue explant/sequestrectomy",
    "Exclusion Criteria prior Transplantation/Implantation",
    "Exclusion criteria for biomarkers substudy (50% of patients in each study arm):",
    "Intra-surgery (tissue explant/sequestrectomy) Exclusion Criteria",
    "    Intraoperative exclusion criteria:",
    "* Key Exclusion Criteria:",
]
OTHER_HEADERS = [
    "Eligibility Criteria:",
    "Eligibility Criteria",
    "Inclusion and Exclusion Criteria:",
    "Inclusion/Exclusion Criteria",
]
NOT_HEADERS = [
    "Other inclusion and exclusion criteria may apply.",
    "Further inclusion criteria apply.",
    "Note: Other protocol-defined inclusion/exclusion criteria apply.",
    "Does not meet inclusion criteria",
    "Failure to meet any of the inclusion criteria",
    "Meet all inclusion criteria",
    "Inclusion criteria is willingness to consent and be of age 18 and older",
    "Exclusion criteria as above",
    "Patients who do not meet the inclusion criteria",
    "* Exclusion Criteria",
    "* Inclusion criteria is willingness to consent",
    "* Other protocol-defined exclusion criteria may apply.",
    "Use of antipsychotic medication in the last 4 weeks before inclusion",
    "Inclusion of patients with diabetes",
    "Early exclusion",
    "No exclusion",
    "* Inclusion Criteria\\:",
]


@pytest.mark.parametrize("header", INCLUSION_HEADERS)
def test_inclusion_header_is_consumed(header: str) -> None:
    assert parse_criteria([header, "* a"]) == ((C(text="a"),), (), ())


@pytest.mark.parametrize("header", EXCLUSION_HEADERS)
def test_exclusion_header_is_consumed(header: str) -> None:
    assert parse_criteria([header, "* a"]) == ((), (C(text="a"),), ())


@pytest.mark.parametrize(
    ("header", "side"),
    [(h, 0) for h in QUALIFIED_INCLUSION_HEADERS] + [(h, 1) for h in QUALIFIED_EXCLUSION_HEADERS],
)
def test_qualified_header_is_a_group_node_and_written_back(header: str, side: int) -> None:
    group = C(text=header.strip(), children=(C(text="a"), C(text="b", children=(C(text="c"),))))
    expected: list[tuple[Criterion, ...]] = [(), (), ()]
    expected[side] = (C(text="x"), group)
    opening = "Inclusion Criteria:" if side == 0 else "Exclusion Criteria:"
    result = parse_criteria([opening, "* x", header, "* a", "* b", "  * c"])
    assert result == tuple(expected)
    lines = format_criteria(*result)
    assert header.strip() in lines
    roundtrip(*result)


def test_a_group_before_a_plain_criterion_is_written_as_a_bullet() -> None:
    # A header line cannot be closed, so only groups at the end of a side are written as one.
    group = C(text="Key Inclusion Criteria:", children=(C(text="a"),))
    lines = format_criteria((group, C(text="b")), (), ())
    assert lines == ["Inclusion Criteria", "* Key Inclusion Criteria\\:", "  * a", "* b"]
    roundtrip((group, C(text="b")), (), ())
    # A header naming the other side is no group of this one.
    lines = format_criteria((C(text="Key Exclusion Criteria:"),), (), ())
    assert lines == ["Inclusion Criteria", "* Key Exclusion Criteria\\:"]


@pytest.mark.parametrize("header", OTHER_HEADERS)
def test_generic_header_is_consumed_into_other(header: str) -> None:
    # A generic header says nothing about which side follows: "other", and it ends a section.
    result = parse_criteria(["Inclusion Criteria:", "* a", header, "* b"])
    assert result == ((C(text="a"),), (), (C(text="b"),))


@pytest.mark.parametrize("line", NOT_HEADERS)
def test_sentence_mentioning_criteria_is_a_criterion(line: str) -> None:
    inclusion, exclusion, other = parse_criteria(["Exclusion Criteria:", line])
    assert inclusion == () and other == ()
    assert len(exclusion) == 1
    assert unescape(line.strip()).endswith(exclusion[0].text)


def test_glued_headers_are_split() -> None:
    assert parse_criteria(["Exclusion Criteria:Patients with", "* fracture"]) == (
        (),
        (C(text="Patients with"), C(text="fracture")),
        (),
    )
    assert parse_criteria(["Study Exclusion Criteria. History of aspiration. Unable."]) == (
        (),
        (
            C(
                text="Study Exclusion Criteria.",
                children=(C(text="History of aspiration. Unable."),),
            ),
        ),
        (),
    )
    assert parse_criteria(["Inclusion Criteria: - Informed consent obtained"]) == (
        (C(text="Informed consent obtained"),),
        (),
        (),
    )
    # A lone marker glued to the header is the orphaned start of the next item.
    assert parse_criteria(["Exclusion Criteria:1.", "* a"]) == ((), (C(text="a"),), ())
    # Ordered and bullet lines are never split: they are one criterion.
    assert parse_criteria(["* Inclusion criteria: age over 18"]) == (
        (),
        (),
        (C(text="Inclusion criteria: age over 18"),),
    )


def test_header_only_inputs() -> None:
    assert parse_criteria([]) == ((), (), ())
    assert parse_criteria(["Inclusion Criteria:"]) == ((), (), ())
    assert parse_criteria(["Inclusion Criteria", "Exclusion Criteria"]) == ((), (), ())
    assert parse_criteria(["Exclusion Criteria:", "", "   "]) == ((), (), ())


def test_repeated_sections_accumulate() -> None:
    lines = ["Inclusion Criteria:", "* a", "Exclusion Criteria:", "* b"] * 2
    assert parse_criteria(lines) == (
        (C(text="a"), C(text="a")),
        (C(text="b"), C(text="b")),
        (),
    )


# --- markers, text and nesting ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "text"),
    [
        ("* Age 18", "Age 18"),
        ("*\tAge 18", "Age 18"),
        ("- Age 18", "Age 18"),
        ("-Age 18", "Age 18"),
        ("-age 18", "age 18"),
        ("\\- Age 18", "Age 18"),
        ("\\-Age 18", "Age 18"),
        ("\\* Age 18", "Age 18"),
        ("+ Age 18", "Age 18"),
        ("• Age 18", "Age 18"),
        ("•Age 18", "Age 18"),
        ("· Age 18", "Age 18"),
        ("▪ Age 18", "Age 18"),
        ("o Age 18", "Age 18"),
        ("\u2013 Age 18", "Age 18"),
        ("1. Age 18", "Age 18"),
        ("12. Age 18", "Age 18"),
        ("123) Age 18", "Age 18"),
        ("(1) Age 18", "Age 18"),
        ("1\\. Age 18", "Age 18"),
        ("1\\) Age 18", "Age 18"),
        ("9.The subjects", "The subjects"),
        ("1、患者年龄", "患者年龄"),
        ("1.患者年龄", "患者年龄"),
        ("a. Age 18", "Age 18"),
        ("a) Age 18", "Age 18"),
        ("(a) Age 18", "Age 18"),
        ("A. Age 18", "Age 18"),
        ("B) Age 18", "Age 18"),
        ("a.Neutrophils ≥ 1.5", "Neutrophils ≥ 1.5"),
        ("i. Age 18", "Age 18"),
        ("ii. Age 18", "Age 18"),
        ("iv) Age 18", "Age 18"),
        ("(iii) Age 18", "Age 18"),
        ("XII. Age 18", "Age 18"),
        ("① Age 18", "Age 18"),
        ("③Age 18", "Age 18"),
        # Not markers: kept whole.
        ("1.18 ≤ age", "1.18 ≤ age"),
        ("1.5 mg", "1.5 mg"),
        ("e.g. aspirin", "e.g. aspirin"),
        ("i.e. aspirin", "i.e. aspirin"),
        ("-5 °C", "-5 °C"),
        ("*emphasis*", "*emphasis*"),
        ("**Note:** bold", "**Note:** bold"),
        ("2016. A year", "2016. A year"),
        ("iiv. not roman", "iiv. not roman"),
        ("(s)he consents", "(s)he consents"),
        ("ABC. Letters", "ABC. Letters"),
        ("oAge", "oAge"),
        ("18 Years", "18 Years"),
        ("ALL", "ALL"),
        ("Yes", "Yes"),
        # Lone markers are text.
        ("-", "-"),
        ("\\-", "-"),
        ("*", "*"),
        ("1.", "1."),
        ("•", "•"),
        # Escapes and surrounding space.
        ("* INR \\> 1.5", "INR > 1.5"),
        ("*   spaced out   ", "spaced out"),
        ("* 10\\^4 \\[AJCC\\] Broderick \\& Metz", "10^4 [AJCC] Broderick & Metz"),
        ("* a \\\\ b", "a \\ b"),
        ("* not an escape: \\d \\é", "not an escape: \\d \\é"),
    ],
)
def test_marker_is_removed_and_escapes_undone(line: str, text: str) -> None:
    assert parse_criteria([line]) == ((), (), (C(text=text),))


def test_only_one_marker_is_removed() -> None:
    other = parse_criteria(["* • Type 2", "• 1. The patient", "* 2\\. Patients"])[2]
    assert flatten(other) == ["• Type 2", "1. The patient", "2. Patients"]


def test_nesting_by_indentation() -> None:
    lines = ["Inclusion Criteria:", "* a", "  * a1", "    * a2", "  * a3", "* b"]
    assert parse_criteria(lines)[0] == (
        C(text="a", children=(C(text="a1", children=(C(text="a2"),)), C(text="a3"))),
        C(text="b"),
    )


def test_nesting_after_colon_with_lost_indentation() -> None:
    lines = ["1. Has one of:", "* x", "* y", "2. Next"]
    assert parse_criteria(lines)[2] == (
        C(text="Has one of:", children=(C(text="x"), C(text="y"))),
        C(text="Next"),
    )


def test_numbered_items_with_lettered_sub_items() -> None:
    lines = ["1. Organ function", "a. ANC", "b. Platelets", "2. Consent"]
    assert parse_criteria(lines)[2] == (
        C(text="Organ function", children=(C(text="ANC"), C(text="Platelets"))),
        C(text="Consent"),
    )


def test_paragraphs_are_criteria_of_the_current_section() -> None:
    lines = ["Exclusion Criteria:", "* a", "A paragraph.", "* b"]
    assert parse_criteria(lines)[1] == (C(text="a"), C(text="A paragraph."), C(text="b"))


def test_criteria_before_any_header_go_to_other() -> None:
    lines = ["Healthy Controls", "Inclusion Criteria:", "* a"]
    assert parse_criteria(lines) == ((C(text="a"),), (), (C(text="Healthy Controls"),))


def test_criteria_lines() -> None:
    markdown = "Inclusion Criteria:\r\n\r\n* a  \n  * b\t\n   \n\n1. c\n"
    assert criteria_lines(markdown) == ["Inclusion Criteria:", "* a", "  * b", "1. c"]
    assert criteria_lines("") == []
    assert criteria_lines("x\u2028y") == ["x", "y"]


# --- format_criteria -------------------------------------------------------------------------


def test_format_shape() -> None:
    inclusion = (C(text="a", children=(C(text="a1", children=(C(text="a11"),)),)), C(text="b"))
    exclusion = (C(text="INR > 1.5"),)
    other = (C(text="Healthy Controls"),)
    assert format_criteria(inclusion, exclusion, other) == [
        "* Healthy Controls",
        "Inclusion Criteria",
        "* a",
        "  * a1",
        "    * a11",
        "* b",
        "Exclusion Criteria",
        "* INR \\> 1.5",
    ]
    assert format_criteria((), (), ()) == []
    assert format_criteria((), exclusion, ()) == ["Exclusion Criteria", "* INR \\> 1.5"]


def test_format_escapes_a_header_looking_bullet() -> None:
    assert format_criteria((), (), (C(text="Inclusion Criteria:"),)) == ["* Inclusion Criteria\\:"]
    assert format_criteria((), (), (C(text="Has one of:"),)) == ["* Has one of:"]


HOSTILE = [
    "Inclusion Criteria",
    "Inclusion Criteria:",
    "Exclusion Criteria",
    "Exclusion Criteria:",
    "Exclusion Criteria:1.",
    "Exclusion Criteria:Patients with",
    "**Inclusion Criteria:**",
    "__Exclusion__:",
    "# Inclusion Criteria",
    "Eligibility Criteria:",
    "Inclusion Criteria\\:",
    "Inclusion Criteria\\",
    "Inclusion Criteria::",
    "Inclusion Criteria\uff1a",
    "* a",
    "*",
    "**",
    "* * *",
    "- a",
    "-",
    "-a",
    "\\- a",
    "+ a",
    "• a",
    "1. a",
    "1.",
    "1) a",
    "(1) a",
    "a. b",
    "iv. b",
    "① b",
    "1、患者",
    "o a",
    "\\",
    "\\\\",
    "a\\",
    "\\*",
    "\\>",
    "a \\> b",
    "ALL",
    "FEMALE",
    "Yes",
    "No",
    "18 Years",
    "N/A",
    "Sponsors",
    "Eligibility Criteria",
    "INR > 1.5",
    "10^4 [AJCC] & <b> `code` | ~ #",
    "Has one of:",
    "ends with a backslash colon \\:",
    "İstanbul ≥ µ ® \u00d7 中文 \U0001f600",
    "a\u200bb",
    "\x00",
    "a\x1fb",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_roundtrips_in_every_section_and_depth(text: str) -> None:
    leaf = C(text=text)
    nested = C(text=text, children=(C(text=text, children=(leaf,)), leaf))
    for tree in ((leaf,), (nested, leaf)):
        roundtrip(tree, (), ())
        roundtrip((), tree, ())
        roundtrip((), (), tree)
        roundtrip(tree, tree, tree)


def test_hostile_texts_roundtrip_together() -> None:
    criteria = tuple(C(text=t, children=(C(text=t),)) for t in HOSTILE)
    roundtrip(criteria, criteria[::-1], criteria)


def test_deep_trees_do_not_recurse() -> None:
    tree = C(text="leaf")
    for i in range(3000):
        tree = C(text=f"level {i}", children=(tree,))
    lines = format_criteria((tree,), (), ())
    assert len(lines) == 3002
    assert lines[-1] == "  " * 3000 + "* leaf"
    # Compared flat: attrs' own == recurses.
    result = parse_criteria(lines)
    assert [(d, c.text) for d, c in walk(result[0])] == [(d, c.text) for d, c in walk((tree,))]


# Texts a page can hold: one line (no line separator), stripped, not empty.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
TEXTS = (
    st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters=LINE_BREAKS),
        min_size=1,
        max_size=30,
    )
    | st.sampled_from(HOSTILE)
    | st.builds(
        "".join,
        st.lists(
            st.sampled_from(["*", "-", "1.", "a)", " ", ":", "\\", "Inclusion", "Criteria", "x"]),
            min_size=1,
            max_size=6,
        ),
    )
).filter(lambda t: t == t.strip() and t != "")
CRITERIA = st.recursive(
    st.builds(lambda t: C(text=t), TEXTS),
    lambda children: st.builds(
        lambda t, c: C(text=t, children=tuple(c)), TEXTS, st.lists(children, max_size=3)
    ),
    max_leaves=12,
)
SECTION = st.lists(CRITERIA, max_size=4).map(tuple)


@settings(max_examples=400, deadline=None)
@given(SECTION, SECTION, SECTION)
def test_roundtrip_property(
    inclusion: tuple[Criterion, ...], exclusion: tuple[Criterion, ...], other: tuple[Criterion, ...]
) -> None:
    roundtrip(inclusion, exclusion, other)
    # And the printed lines survive the page's own line handling.
    lines = format_criteria(inclusion, exclusion, other)
    assert criteria_lines("\n".join(lines)) == lines


# --- the corpus ------------------------------------------------------------------------------

HEADER_WORD = re.compile(r"(?i)inclusi|exclusi|eligib")
BOTH_HEADERS = (
    re.compile(r"(?i)\W*(?:key |main )?inclusion criteria\W*"),
    re.compile(r"(?i)\W*(?:key |main )?exclusion criteria\W*"),
)


def record_criteria(path: Path) -> str:
    record = json.loads(path.read_text(encoding="utf-8"))
    text: str = record["protocolSection"]["eligibilityModule"].get("eligibilityCriteria", "")
    return text


@pytest.mark.skipif(not CORPUS, reason="../shared is not beside the repository")
@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
def test_corpus_record(path: Path) -> None:
    lines = criteria_lines(record_criteria(path))
    result = parse_criteria(lines)
    inclusion, exclusion, other = result
    # Every line is a consumed header or the (marker-stripped, unescaped) text of the next
    # criterion of some section, in document order.
    sections = [flatten(inclusion), flatten(exclusion), flatten(other)]
    taken = [0, 0, 0]
    current = 2
    for line in lines:
        plain = unescape(line.strip())
        for s in (current, 0, 1, 2):
            head = sections[s][taken[s]] if taken[s] < len(sections[s]) else ""
            if HEADER_WORD.search(head) and line.strip().startswith(head) and plain != head:
                # A qualified header glued to its first criterion: the group node, then it.
                taken[s] += 1
                current = s
                plain = unescape(line.strip()[len(head) :].strip())
                break
        for s in (current, 0, 1, 2):
            if taken[s] < len(sections[s]) and plain.endswith(sections[s][taken[s]]):
                prefix = plain[: len(plain) - len(sections[s][taken[s]])].strip()
                # What was removed is a marker, or a header glued to the text.
                if len(prefix) <= 4 or HEADER_WORD.search(prefix):
                    taken[s] += 1
                    current = s
                    break
        else:
            assert HEADER_WORD.search(plain), f"line lost: {line!r}"
    assert taken == [len(s) for s in sections], "criteria that no line accounts for"
    if all(any(h.fullmatch(line.strip()) for line in lines) for h in BOTH_HEADERS):
        assert inclusion and exclusion
    # No criterion is empty or padded, and the printed form reads back the same.
    assert all(t and t == t.strip() for s in sections for t in s)
    roundtrip(*result)


@pytest.mark.skipif(not CORPUS, reason="../shared is not beside the repository")
def test_corpus_totals() -> None:
    blocks = [criteria_lines(record_criteria(path)) for path in CORPUS]
    results = [parse_criteria(lines) for lines in blocks]
    with_both = sum(1 for inc, exc, _ in results if inc and exc)
    only_other = sum(1 for inc, exc, oth in results if oth and not inc and not exc)
    nested = sum(1 for r in results if any(c.children for s in r for c in s))
    assert len(results) == 400
    assert with_both >= 385
    assert only_other <= 5
    assert nested >= 40


# --- huge and hostile input ---------------------------------------------------------------
# Their speed is measured by benchmarks/pathological.py (growth check), never asserted here.


def test_huge_input_is_read_whole() -> None:
    bullets = [f"* criterion number {i} with some text" for i in range(200_000)]
    inclusion = parse_criteria(["Inclusion Criteria:", *bullets])[0]
    assert len(inclusion) == 200_000
    # Alternating colon lines are the worst case of the same-indentation look-back.
    alternating = ["1. one of:" if i % 2 else "a. one of:" for i in range(100_000)]
    _, _, other = parse_criteria(alternating)
    assert sum(1 for _ in other) >= 1


def test_no_catastrophic_backtracking() -> None:
    evil = [
        "Inclusion criteria " + "x " * 20_000 + ":",
        "a " * 20_000 + "inclusion",
        "1" * 50_000 + ".",
        "(" * 50_000,
        "\\" * 50_000,
        "Exclusion Criteria:" + ":" * 50_000 + "x",
        "**" * 20_000 + "Inclusion Criteria" + "**" * 20_000,
    ]
    for line in evil:
        inclusion, exclusion, other = parse_criteria([line] * 20)
        assert len(inclusion) + len(exclusion) + len(other) >= 1


# The real records whose qualified sub-headers were lost: (side, group text, criteria in it).
GROUPED_RECORDS = {
    "NCT03648918": [
        ("inclusion", "Inclusion Criteria (Families):", 3),
        ("inclusion", "Inclusion Criteria (Controls):", 2),
        ("exclusion", "Exclusion Criteria (Families):", 2),
        ("exclusion", "Exclusion Criteria (Controls):", 1),
    ],
    "NCT03433391": [
        ("exclusion", "Pre-Operative Exclusion Criteria:", 22),
        ("exclusion", "Intra-operative Exclusion Criteria:", 1),
    ],
    "NCT06751849": [
        ("exclusion", "Disease-specific exclusion criteria:", 2),
        ("exclusion", "Exclusion criteria for medical history and comorbidities:", 13),
        ("exclusion", "Other exclusion criteria:", 4),
    ],
    "NCT06751901": [
        ("exclusion", "Disease-specific exclusion criteria:", 2),
        ("exclusion", "Exclusion criteria for medical history and comorbidities:", 13),
        ("exclusion", "Other exclusion criteria:", 4),
    ],
    "NCT01640457": [
        ("inclusion", "Radiological Inclusion Criteria", 6),
        ("exclusion", "Radiological Exclusion Criteria", 2),
        ("exclusion", "Intra-surgery (tissue explant/sequestrectomy) Exclusion Criteria", 1),
        ("exclusion", "Exclusion criteria determined after tissue explant/sequestrectomy", 3),
        ("exclusion", "Exclusion Criteria prior Transplantation/Implantation", 1),
    ],
    "NCT05160233": [
        ("inclusion", "Patient Inclusion Criteria:", 3),
        ("inclusion", "Clinic Inclusion Criteria:", 1),
        ("exclusion", "Patient Exclusion Criteria:", 1),
        ("exclusion", "Clinic Exclusion Criteria:", 1),
    ],
    "NCT04970355": [
        ("inclusion", "Inclusion Criteria (screening)", 6),
        ("inclusion", "Inclusion Criteria (Baseline)", 3),
    ],
    "NCT05868044": [
        ("inclusion", "Main Inclusion Criteria:", 8),
        ("exclusion", "Main Exclusion Criteria:", 10),
    ],
    "NCT05962437": [
        ("exclusion",
         "Exclusion criteria for biomarkers substudy (50% of patients in each study arm):", 7),
    ],
}


@pytest.mark.parametrize("nct_id", sorted(GROUPED_RECORDS))
def test_real_qualified_sub_headers_are_kept_as_groups(nct_id: str) -> None:
    path = next(p for p in CORPUS if p.stem == nct_id)
    inclusion, exclusion, other = parse_criteria(criteria_lines(record_criteria(path)))
    sides = {"inclusion": inclusion, "exclusion": exclusion}
    headers = {text for _, text, _ in GROUPED_RECORDS[nct_id]}
    found = [
        (name, c.text, len(c.children))
        for name, side in sides.items()
        for c in side
        if c.text in headers
    ]
    assert found == GROUPED_RECORDS[nct_id]
    roundtrip(inclusion, exclusion, other)
    # Written back, each group is its header line as the record has it.
    lines = format_criteria(inclusion, exclusion, other)
    assert headers <= set(lines)
