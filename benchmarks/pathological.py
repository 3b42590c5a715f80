"""Time ctparse on pathological inputs (a script, not a test).

    python benchmarks/pathological.py                 # the table, strict and lenient
    python benchmarks/pathological.py --scale 0.1     # every input at a tenth of its size
    python benchmarks/pathological.py --profile NAME  # cProfile of one case (lenient)
    python benchmarks/pathological.py --growth        # each case at 1/10 and full size

Each case should finish within a couple of seconds. A case that runs longer than
``--timeout`` seconds is stopped and shown as ``> N``. With ``--growth`` the ratio of the
full-size to the tenth-size time is shown: about 10 is linear, about 100 quadratic.
"""

from __future__ import annotations

import argparse
import cProfile
import gzip
import io
import pstats
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import ctparse
from ctparse.pages.trial.vocabulary import SECTIONS

HELPER = dict(SECTIONS)
SEED = Path(__file__).resolve().parents[1] / "fixtures" / "valid" / "NCT05001971.txt"
HEAD = "A pathological trial\nNCT ID: NCT01234567\nLast Updated: 2026-01-15\n"
MB = 1024 * 1024


def section(heading: str) -> str:
    return f"{heading}\n{HELPER[heading]}\n"


# ------------------------------------------------------------------ the inputs


def one_line(scale: float) -> str:
    """10 MB of text on one line, no newline: not a page."""
    return "x" * int(10 * MB * scale)


def one_line_in_summary(scale: float) -> str:
    """A page whose Brief Summary is one 10 MB line."""
    return HEAD + section("Brief Summary") + "word " * int(2 * MB * scale) + "\n"


def bullets(scale: float) -> str:
    """200,000 ``* `` criteria under Inclusion Criteria."""
    n = int(200_000 * scale)
    lines = "".join(f"* criterion number {i}\n" for i in range(n))
    return HEAD + section("Eligibility Criteria") + "Inclusion Criteria:\n" + lines + "18 Years\n"


def nested_bullets(scale: float) -> str:
    """200,000 criteria, each indented one step deeper than the one before, 50 levels deep."""
    n = int(200_000 * scale)
    lines = "".join("  " * (i % 50) + f"* level {i}\n" for i in range(n))
    return HEAD + section("Eligibility Criteria") + lines


def repeated_headings(scale: float) -> str:
    """50,000 section headings with their helper sentences, cycling through all sections."""
    n = int(50_000 * scale)
    headings = [heading for heading, helper in SECTIONS if helper]
    return HEAD + "".join(section(headings[i % len(headings)]) for i in range(n))


def repeated_one_heading(scale: float) -> str:
    """50,000 times the same heading and helper, each with one line."""
    n = int(50_000 * scale)
    return HEAD + (section("Conditions") + "Asthma\n") * n


def stray_lines(scale: float) -> str:
    """100,000 stray lines in Basic Information: each one a diagnostic."""
    n = int(100_000 * scale)
    return HEAD + section("Basic Information") + "".join(f"stray {i}\n" for i in range(n))


def stray_pairs(scale: float) -> str:
    """100,000 sponsor names without agency class: each one a recovery."""
    n = int(100_000 * scale)
    return HEAD + section("Sponsors") + "".join(f"Sponsor {i}\n" for i in range(n))


def study_groups(scale: float) -> str:
    """20,000 bare Study Groups lines read against a 2,000-line Interventions section."""
    n = int(20_000 * scale)
    groups = "".join(f"Arm or drug {i % 500}\n" for i in range(n))
    interventions = "".join(f"Arm or drug {i % 500}\n" for i in range(max(n // 10, 1)))
    return HEAD + section("Study Groups") + groups + section("Interventions") + interventions


def glued_lines(scale: float) -> str:
    """100,000 lines ending with a heading name (each a glued-heading candidate)."""
    n = int(100_000 * scale)
    return HEAD + section("Brief Summary") + "".join(f"line {i} Conditions\n" for i in range(n))


def alternating_colon_criteria(scale: float) -> str:
    """100,000 criteria lines alternating ``1. one of:`` / ``a. one of:``: the worst case of
    the criteria tree's look-back for a parent at the same indentation."""
    n = int(100_000 * scale)
    lines = "".join("1. one of:\n" if i % 2 else "a. one of:\n" for i in range(n))
    return HEAD + section("Eligibility Criteria") + lines + "18 Years\n"


def nct_id_lines(scale: float) -> str:
    """A title and 50,000 NCT ID lines (each a candidate start of a second page)."""
    return "A trial\n" + "NCT ID: NCT01234567\n" * int(50_000 * scale)


def titles_without_numbers(scale: float) -> str:
    """40,000 related-trial titles with no NCT number line after them."""
    n = int(40_000 * scale)
    titles = "".join(f"A related trial without its number {i}\n" for i in range(n))
    return HEAD + section("Related Clinical Trials") + titles


def sites_without_places(scale: float) -> str:
    """40,000 one-line sites and a stray line: each site's check looks at what is reported."""
    n = int(40_000 * scale)
    sites = "".join(f"Site {i}\nCity {i}, Country\n" for i in range(n))
    return HEAD + section("Locations") + sites + "A facility with no place\n"


def indented_helpers(scale: float) -> str:
    """20,000 sections whose helper sentence is indented by a no-break space."""
    n = int(20_000 * scale)
    block = "Conditions\n\u00a0" + HELPER["Conditions"] + "\nAsthma\n"
    return HEAD + block * n


def dump(scale: float) -> str:
    """A dump file of 100,000 small pages, one after the other (each ends with a newline)."""
    n = max(int(100_000 * scale), 1)
    return "".join(SMALL_PAGE.replace("NCT01234567", f"NCT{i:08d}") for i in range(n))


def cue_words(scale: float) -> str:
    """1 MB of ``ECOG `` for ``ctparse.constraints``: a cue at every word, no threshold (a
    digit at the end, so that the text is searched)."""
    return "ECOG " * int(200_000 * scale) + "1"


def thresholds(scale: float) -> str:
    """1 MB of thresholds sharing measures, each one a grammar parse."""
    return "AST/ALT ≤ 2.5 x ULN, " * int(50_000 * scale)


def open_chain(scale: float) -> str:
    """A measure list that never reaches a threshold: the longest span at every cue."""
    return "ANC, WBC and platelets or " * int(40_000 * scale) + "1"


def long_number(scale: float) -> str:
    """One cue, a comparator and a 1 MB number."""
    return "ANC ≥ " + "1" * int(MB * scale) + " x 10^9/L"


def criteria_with_thresholds(scale: float) -> str:
    """A page whose 20,000 criteria each state three thresholds."""
    n = int(20_000 * scale)
    line = "* ANC ≥ 1.5 x 10^9/L, platelets ≥ 100 x 10^9/L, ECOG 0-1\n"
    return HEAD + section("Eligibility Criteria") + "Inclusion Criteria:\n" + line * n


SMALL_PAGE = (
    HEAD
    + section("Basic Information")
    + "COMPLETED\nPHASE2\n65 participants\nINTERVENTIONAL\n2021-01-30\n"
    + section("Conditions")
    + "Asthma\n"
    + section("Sponsors")
    + "Acme\nINDUSTRY\n"
)


# How a case is read: "text" through parse, "file" through parse_file, "dump" split into
# pages by ctparse.batch.inputs.read_pages and each page parsed, "constraints" as the text
# of one criterion through ctparse.constraints (strict and lenient are then the same).
Case = tuple[str, Callable[[float], str], str]

CASES: list[Case] = [
    # name, input maker, how it is read
    ("10 MB single line", one_line, "text"),
    ("10 MB line in Brief Summary", one_line_in_summary, "text"),
    ("200,000 '* ' bullets", bullets, "text"),
    ("200,000 nested bullets", nested_bullets, "text"),
    ("50,000 headings + helpers", repeated_headings, "text"),
    ("50,000 x Conditions", repeated_one_heading, "text"),
    ("100,000 stray lines (Basic)", stray_lines, "text"),
    ("100,000 sponsors w/o class", stray_pairs, "text"),
    ("20,000 Study Groups lines", study_groups, "text"),
    ("100,000 '... Conditions'", glued_lines, "text"),
    ("100,000 alternating 'one of:'", alternating_colon_criteria, "text"),
    ("50,000 NCT ID lines", nct_id_lines, "text"),
    ("50,000 NCT ID lines, page by page", nct_id_lines, "dump"),
    ("40,000 related titles w/o NCT", titles_without_numbers, "text"),
    ("40,000 sites", sites_without_places, "text"),
    ("20,000 NBSP-indented helpers", indented_helpers, "text"),
    ("50 MB one-line file", lambda scale: one_line(5 * scale), "file"),
    ("50 MB one-line file (.gz)", lambda scale: one_line(5 * scale), "file"),
    ("100,000-page dump as one text", dump, "file"),
    ("100,000-page dump, page by page", dump, "dump"),
    ("criteria: 20,000 with thresholds", criteria_with_thresholds, "text"),
    ("constraints: 1 MB of cue words", cue_words, "constraints"),
    ("constraints: 1 MB of thresholds", thresholds, "constraints"),
    ("constraints: measures, no threshold", open_chain, "constraints"),
    ("constraints: a 1 MB number", long_number, "constraints"),
]


# ------------------------------------------------------------------ timing


class Timeout(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Timeout


def run(case: Case, scale: float, lenient: bool, workdir: Path) -> tuple[Any, str]:
    """Build the input (untimed), read it, and return (seconds, outcome)."""
    name, make, how = case
    text = make(scale)
    path = workdir / ("page.txt.gz" if name.endswith("(.gz)") else "page.txt")
    if how not in ("text", "constraints"):
        data = text.encode("utf-8")
        path.write_bytes(gzip.compress(data, compresslevel=1) if path.suffix == ".gz" else data)
        del text, data
    start = time.perf_counter()
    try:
        if how == "dump":
            outcome = _dump(path, lenient)
        elif how == "constraints":
            outcome = f"{len(ctparse.constraints(text))} constraints"
        else:
            if how == "file":
                trial = ctparse.parse_file(path, lenient=lenient)
            else:
                trial = ctparse.parse(text, lenient=lenient)
            outcome = f"{len(trial.diagnostics)} diagnostics"
    except ctparse.ParseError as error:
        outcome = "ParseError: " + str(error)[:60]
    except Timeout:
        return None, "timed out"
    except Exception as error:  # a bug: report it, go on with the other cases
        outcome = f"BUG {type(error).__name__}: {error}"[:80]
    return time.perf_counter() - start, outcome


def _dump(path: Path, lenient: bool) -> str:
    from ctparse.batch.encoding import decode_page_bytes
    from ctparse.batch.inputs import read_pages

    pages = errors = 0
    for page in read_pages(str(path)):
        pages += 1
        try:
            text, _ = decode_page_bytes(page.data, page.offset)
            ctparse.parse(text, lenient=lenient)
        except ctparse.ParseError:
            errors += 1
    return f"{pages} pages, {errors} ParseErrors"


def seconds(value: Any, timeout: int) -> str:
    return f"> {timeout}" if value is None else f"{value:.2f}"


def table(cases: list[Case], scale: float, timeout: int, growth: bool) -> None:
    signal.signal(signal.SIGALRM, _alarm)
    columns = ["case", "strict s", "lenient s"] + (["lenient 1/10 s", "growth"] if growth else [])
    print(" | ".join(columns) + " | lenient outcome")
    print("|".join("---" for _ in range(len(columns) + 1)))
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            row = [case[0]]
            for lenient in (False, True):
                signal.alarm(timeout)
                try:
                    took, outcome = run(case, scale, lenient, Path(tmp))
                finally:
                    signal.alarm(0)
                row.append(seconds(took, timeout))
            if growth:
                signal.alarm(timeout)
                try:
                    small, _ = run(case, scale / 10, True, Path(tmp))
                finally:
                    signal.alarm(0)
                row.append(seconds(small, timeout))
                big = None if row[2].startswith(">") else float(row[2])
                ratio = f"{big / small:.0f}x" if big and small and small > 0.005 else "-"
                row.append(ratio)
            print(" | ".join(row) + " | " + outcome, flush=True)


def profile(name: str, scale: float) -> None:
    matches = [case for case in CASES if name.lower() in case[0].lower()]
    if not matches:
        sys.exit(f"no case matches {name!r}: " + ", ".join(case[0] for case in CASES))
    case = matches[0]
    with tempfile.TemporaryDirectory() as tmp:
        profiler = cProfile.Profile()
        profiler.enable()
        took, outcome = run(case, scale, True, Path(tmp))
        profiler.disable()
    print(f"{case[0]} (lenient, scale {scale}): {seconds(took, 0)} s, {outcome}")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0, help="input size factor")
    parser.add_argument("--timeout", type=int, default=120, help="seconds per parse")
    parser.add_argument("--growth", action="store_true", help="also time at a tenth")
    parser.add_argument("--profile", metavar="NAME", help="cProfile one case")
    parser.add_argument("--only", metavar="NAME", help="run the cases whose name holds NAME")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile, args.scale)
        return
    cases = [c for c in CASES if args.only is None or args.only.lower() in c[0].lower()]
    table(cases, args.scale, args.timeout, args.growth)


if __name__ == "__main__":
    main()
