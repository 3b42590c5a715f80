"""The public API: values read from real excerpts, variants, errors and their positions."""

from __future__ import annotations

import datetime
import gzip
from pathlib import Path

import attrs
import pytest

import ctparse
from ctparse import Phase, Status, StudyType
from support.paths import FIXTURES, SEED_PAGE

REAL = FIXTURES / "real"

# (file, title, nct_id, last_updated, status, phases, enrollment, start, completion), read
# off the excerpts by hand.
EXCERPTS = [
    ("NCT01415492", "Multiple Risk Behavior Intervention in Health Care Settings",
     "NCT01415492", "2018-12-19", "COMPLETED", ["NA"], 2440, "2009-03-31", "2012-01-31"),
    ("NCT02457338", "Infant Microbiota and Probiotic Intake Study",
     "NCT02457338", "2025-12-05", "ACTIVE_NOT_RECRUITING", ["NA"], 120, "2014-11-01",
     "2027-06-07"),
    ("NCT04797468",
     "A Phase 1 Study of the CD73 Inhibitor(HLX23) Alone in Participants With Solid Tumor",
     "NCT04797468", "2023-01-17", "WITHDRAWN", ["PHASE1"], None, "2022-07-18", "2023-01-13"),
    ("NCT05901298", "Development of 'My Breastfeeding Guide' Mobile Nursing Application",
     "NCT05901298", "2024-09-19", "RECRUITING", ["NA"], 88, "2023-12-15", "2024-12-15"),
    ("NCT06336811", "Virtual Reality Distraction During Phlebotomy in Children",
     "NCT06336811", "2024-03-29", "COMPLETED", ["NA"], 150, "2023-05-30", "2023-12-30"),
    ("NCT06387849", "Aromatherapy Effect on Pain and Anxiety After C-section",
     "NCT06387849", "2024-04-29", "COMPLETED", ["NA"], 100, "2023-04-21", "2023-08-31"),
    ("NCT06738667", None, None, None, "NOT_YET_RECRUITING", ["NA"], 48, "2025-06-01",
     "2026-12-31"),
    ("NCT07098845", "Mindfulness-Based Intervention With a Supplement for Stress-Related "
     "Problems in College Students Across Multiple Sites (4SITE)", "NCT07098845",
     "2025-11-14", "RECRUITING", ["NA"], 120, "2025-09-01", "2026-12-31"),
    ("NCT07098845.v2", "Mindfulness-Based Intervention With a Supplement for Stress-Related "
     "Problems in College Students Across Multiple Sites (4SITE)", "NCT07098845",
     "2025-11-14", "RECRUITING", ["NA"], 120, "2025-09-01", "2026-12-31"),
    ("NCT07258953", "ShotBlocker, Cold Needling, and Both Methods in Combination Pain and "
     "Satisfaction", "NCT07258953", "2025-12-31", "NOT_YET_RECRUITING", ["NA"], 132,
     "2026-02-01", "2026-06-10"),
    ("NCT07341477", None, None, None, "NOT_YET_RECRUITING", ["NA"], 172, "2026-02-28",
     "2027-07-31"),
]  # fmt: skip


@pytest.mark.parametrize("row", EXCERPTS, ids=[row[0] for row in EXCERPTS])
def test_real_excerpt_header_and_basic_information(row: tuple[object, ...]) -> None:
    name, title, nct_id, updated, status, phases, enrollment, start, completion = row
    trial = ctparse.parse_file(REAL / f"{name}.txt", lenient=True)
    assert trial.title == title
    assert trial.nct_id == nct_id
    assert trial.last_updated == (updated and datetime.date.fromisoformat(str(updated)))
    assert trial.status == Status(status)
    assert list(trial.phases) == [Phase(p) for p in phases]  # type: ignore[attr-defined]
    assert trial.enrollment == enrollment
    assert trial.study_type is StudyType.INTERVENTIONAL
    assert (trial.start_date, trial.completion_date) == (start, completion)
    assert trial.has_results is False


def test_every_real_trial_excerpt_is_covered() -> None:
    names = {p.stem for p in REAL.glob("*.txt") if not p.stem.endswith("_results")}
    assert names == {row[0] for row in EXCERPTS}


def test_labelled_excerpt_reads_groups_with_types() -> None:
    trial = ctparse.parse_file(REAL / "NCT04797468.txt", lenient=True)
    assert [(a.label, a.type, a.description, a.interventions) for a in trial.arms] == [
        ("HLX23", ctparse.ArmGroupType.EXPERIMENTAL, "HLX23 administered IV.", ("HLX23",))
    ]
    assert trial.design.intervention_model is ctparse.InterventionModel.SEQUENTIAL
    assert [(d.line, d.message) for d in trial.diagnostics] == [
        (91, "Interventions: the page is cut off after this heading")
    ]


def test_who_masked_line_of_labelled_layout() -> None:
    trial = ctparse.parse_file(REAL / "NCT06336811.txt", lenient=True)
    assert trial.design.masking is ctparse.Masking.SINGLE
    assert trial.design.who_masked == (ctparse.WhoMasked.INVESTIGATOR,)
    assert trial.conditions == ("Pain, Acute Child, Only Anxiety and Fear",)


@pytest.mark.parametrize("name", sorted(p.stem for p in REAL.glob("*_results.txt")))
def test_results_pages_are_named_as_such(name: str) -> None:
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse_file(REAL / f"{name}.txt")
    assert "this is a results page" in str(caught.value)
    assert (caught.value.line, caught.value.column) == (1, 1)


def test_error_message_ends_with_position() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8").replace(
        "65 participants\n", "65 participants\nabout sixty-five\n"
    )
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(text)
    error = caught.value
    assert isinstance(error, ValueError)
    assert (error.line, error.column) == (11, 1)
    assert str(error) == (
        "Basic Information: expected a date (YYYY-MM-DD or YYYY-MM), a study type such as "
        "INTERVENTIONAL, a label line or a section heading, found 'about sixty-five' "
        "(at line 11, column 1)"
    )


def test_lenient_keeps_everything_else_and_reports_the_line() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8").replace(
        "65 participants\n", "65 participants\nabout sixty-five\n"
    )
    trial = ctparse.parse(text, lenient=True)
    assert [d.line for d in trial.diagnostics] == [11]
    assert trial.study_type is StudyType.INTERVENTIONAL
    assert trial.completion_date == "2025-04-15"
    assert len(trial.eligibility.exclusion) == 24


def test_empty_text() -> None:
    with pytest.raises(ctparse.ParseError, match=r"the text is empty.*\(at line 1, column 1\)"):
        ctparse.parse("")
    trial = ctparse.parse("\n \n", lenient=True)
    assert trial.nct_id is None and trial.diagnostics[0].line == 1


def test_not_a_page_reports_every_line() -> None:
    trial = ctparse.parse("hello\n\nworld\n", lenient=True)
    assert [d.line for d in trial.diagnostics] == [1, 3]
    assert "not a trial page" in trial.diagnostics[0].message


@pytest.mark.parametrize("first", ["NCT ID: NCT00000001", "Study Results", "Basic Information"])
def test_a_text_whose_first_line_marks_a_page_is_a_page(first: str) -> None:
    # The mark is looked for after a newline, and at the very start of the text.
    trial = ctparse.parse(first + "\nsomething\n", lenient=True)
    assert all("not a trial page" not in d.message for d in trial.diagnostics)
    assert (
        "not a trial page" in ctparse.parse("x" + first + "\n", lenient=True).diagnostics[0].message
    )


def test_a_second_page_is_found_after_a_first_that_starts_the_text() -> None:
    page = SEED_PAGE.read_text(encoding="utf-8")
    headless = page[page.index("NCT ID: ") :]  # no title line: the text starts with NCT ID
    second = headless.replace("NCT05001971", "NCT05001972")
    trial = ctparse.parse(headless + "\n" + second, lenient=True)
    assert trial.nct_id == "NCT05001971"
    assert "second trial page (NCT05001972)" in trial.diagnostics[0].message


def test_a_dump_given_as_one_text_reads_its_first_page() -> None:
    page = SEED_PAGE.read_text(encoding="utf-8")
    second = page.replace("NCT05001971", "NCT05001972")
    dump = page + "\n" + second
    second_start = page.count("\n") + 2  # the second page's title line
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(dump)
    assert str(caught.value) == (
        "a second trial page (NCT05001972) starts here: parse() reads one page; the ctparse "
        f"command splits a file of many pages (at line {second_start}, column 1)"
    )
    trial = ctparse.parse(dump, lenient=True)
    assert trial.nct_id == "NCT05001971"
    assert attrs.evolve(trial, diagnostics=()) == ctparse.parse(page)
    lines = [d.line for d in trial.diagnostics]
    content = [n for n, line in enumerate(dump.split("\n"), 1) if line and n >= second_start]
    assert lines == content  # every line of the second page, each once


def test_a_repeated_header_line_starts_no_second_page() -> None:
    # As in the command's splitter: a page starts only once the one before has a body.
    text = "A trial\nNCT ID: NCT00000001\nNCT ID: NCT00000002\n"
    trial = ctparse.parse(text, lenient=True)
    assert trial.nct_id == "NCT00000001"
    assert [d.line for d in trial.diagnostics] == [3]
    assert "second trial page" not in trial.diagnostics[0].message


def test_messages_escape_what_a_terminal_would_act_on() -> None:
    text = (
        "A trial\nNCT ID: NCT01234567\nBasic Information\nGet a concise snapshot of the trial, "
        "including recruitment status, study phase, enrollment targets, and key timeline "
        "milestones.\nst\u202eray\x00\n"
    )
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(text)
    assert str(caught.value).endswith("found 'st\\u202eray\\x00' (at line 5, column 1)")
    [diagnostic] = ctparse.parse(text, lenient=True).diagnostics
    assert diagnostic.message.endswith("found 'st\\u202eray\\x00'")


def test_glued_heading_positions_are_in_the_callers_lines() -> None:
    text = (FIXTURES / "valid" / "bare_shared_interventions.txt").read_text(encoding="utf-8")
    glued = text.replace("40 participants\n", "40 participants\nstray line\n", 1)
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse(glued)
    # The glued heading on line 6 is split in two for the grammar; positions stay the caller's.
    assert caught.value.line == glued.split("\n").index("stray line") + 1
    trial = ctparse.parse(text)
    assert trial.has_results is True and trial.status is Status.COMPLETED


def test_cut_off_inside_a_pair_is_reported_at_the_last_line() -> None:
    lines = SEED_PAGE.read_text(encoding="utf-8").split("\n")
    text = "\n".join(lines[:19]) + "\n" + lines[19][:30]
    trial = ctparse.parse(text, lenient=True)
    assert [d.line for d in trial.diagnostics] == [20]
    assert "cut off" in trial.diagnostics[0].message
    assert [r.nct_id for r in trial.related_trials] == ["NCT03735264"]


def test_newline_styles_and_bom_give_the_same_trial() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8")
    expected = ctparse.parse(text)
    assert ctparse.parse("\ufeff" + text.replace("\n", "\r\n")) == expected
    assert ctparse.parse(text.replace("\n", "\r")) == expected
    assert ctparse.parse(text + "\n\n") == expected


def test_parse_file_reads_gzip_and_refuses_other_encodings(tmp_path: Path) -> None:
    data = SEED_PAGE.read_bytes()
    (tmp_path / "page.txt.gz").write_bytes(gzip.compress(data))
    assert ctparse.parse_file(tmp_path / "page.txt.gz") == ctparse.parse_file(SEED_PAGE)
    (tmp_path / "utf16.txt").write_bytes(SEED_PAGE.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(ctparse.ParseError, match="UTF-16"):
        ctparse.parse_file(tmp_path / "utf16.txt")
    (tmp_path / "latin1.txt").write_bytes("Caf\xe9 study\nNCT ID: NCT01234567\n".encode("latin-1"))
    with pytest.raises(ctparse.ParseError) as caught:
        ctparse.parse_file(tmp_path / "latin1.txt")
    assert "offset 3" in str(caught.value)
    assert (caught.value.line, caught.value.column) == (1, 4)


def test_parse_refuses_bytes() -> None:
    with pytest.raises(TypeError):
        ctparse.parse(b"NCT ID: NCT01234567")  # type: ignore[arg-type]


def test_version() -> None:
    assert ctparse.__version__.count(".") >= 1


def test_an_empty_state_between_commas_is_no_state() -> None:
    text = SEED_PAGE.read_text(encoding="utf-8").replace(
        "Changsha, Hunan, China", "Changsha, , China"
    )
    (site,) = ctparse.parse(text).locations
    assert (site.city, site.state, site.country) == ("Changsha", None, "China")
    assert ctparse.parse(ctparse.render(ctparse.parse(text))).locations == (site,)
