"""ctparse benchmark: one command, figures for this machine.

    python benchmarks/run.py [--pages N] [--runs R] [--skip-cli] [--skip-memory] [--start-up]

It builds its corpus from fixtures/ctgov (each record rendered as a page in both
layouts, repeated up to N pages), then reports:

- parse throughput of ``ctparse.parse`` on one core (pages/s, MB/s; median of R runs), next
  to a floor: a bare pass that only splits each page into sections at its heading lines and
  builds nothing; ctparse is reported as a ratio to that floor;
- import time of ``ctparse`` and time to the first parse, in fresh processes (``.pyc``
  files and caches warm; ``--start-up`` for this alone);
- the cost of extracting constraints from the criteria: ``ctparse.parse`` with and without
  it, on the median page and on the whole corpus;
- CLI throughput for ``--jobs 1`` and ``--jobs 2``, JSON encoding and file I/O included,
  run alternately, and the CPU time the parent process spends a page (what would hold
  many workers back);
- peak memory of the CLI for 10,000 and 100,000 pages (``--skip-memory`` to leave out).

Nothing here is asserted: the test suite times nothing.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The 400 registry records shipped with the tests (fixtures/ctgov/SOURCE.md).
CORPUS = ROOT / "fixtures" / "ctgov" / "records.jsonl.gz"
# ``--installed``: the ctparse of this interpreter's environment, not this checkout's src/.
INSTALLED = "--installed" in sys.argv[1:]
if not INSTALLED:
    sys.path.insert(0, str(ROOT / "src"))

import ctparse  # noqa: E402
from ctparse.compiled import build_description  # noqa: E402
from ctparse.eligibility import criteria  # noqa: E402
from ctparse.formats.ctgov import from_ctgov  # noqa: E402
from ctparse.pages.trial.render import render  # noqa: E402
from ctparse.pages.trial.vocabulary import SECTIONS  # noqa: E402

HEADINGS = frozenset(heading for heading, _ in SECTIONS)


def environment() -> dict[str, str]:
    """The environment of the processes started: the same ctparse as this one."""
    if INSTALLED:
        return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return {**os.environ, "PYTHONPATH": str(ROOT / "src")}


def build_corpus(count: int) -> list[str]:
    """Pages rendered from the registry records, both layouts, repeated up to ``count``."""
    pages: list[str] = []
    for record in records():
        trial = from_ctgov(record)
        pages.append(render(trial, "bare"))
        pages.append(render(trial, "labelled"))
    return [pages[i % len(pages)] for i in range(count)]


def records() -> list[dict[str, object]]:
    lines = gzip.decompress(CORPUS.read_bytes()).decode("utf-8").splitlines()
    return [json.loads(line)["record"] for line in lines]


def median_bare_and_results(runs: int) -> None:
    """The issue's yardsticks: ``ctparse.parse`` on the median bare-layout page, and
    ``ctparse.parse_results`` on results pages rendered from the 46 records with results."""
    bare = sorted((render(from_ctgov(r), "bare") for r in records()), key=len)
    median = bare[len(bare) // 2]
    results = [
        ctparse.render(page, layout)  # type: ignore[arg-type]
        for page in (ctparse.results_from_ctgov(r) for r in records())
        if page is not None
        for layout in ("bare", "labelled")
    ]
    repeat = 300
    best_median = best_floor = best_results = float("inf")
    for _ in range(runs):
        best_median = min(
            best_median, timed(lambda: [ctparse.parse(median) for _ in range(repeat)], 1)
        )
        best_floor = min(
            best_floor, timed(lambda: [split_sections(median) for _ in range(repeat)], 1)
        )
        best_results = min(
            best_results, timed(lambda: [ctparse.parse_results(p) for p in results], 1)
        )
    print("| yardstick | pages/s (best of runs) |")
    print("|---|---|")
    print(
        f"| floor on the median bare page ({len(median.encode())} B) | {repeat / best_floor:,.0f} |"
    )
    print(f"| ctparse.parse, median bare page | {repeat / best_median:,.0f} |")
    rate = len(results) / best_results
    print(f"| ctparse.parse_results, {len(results)} results pages | {rate:,.0f} |")


def split_sections(text: str) -> list[tuple[str, list[str]]]:
    """The floor: cut a page into (heading, lines) at its heading lines. Builds nothing."""
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line in text.split("\n"):
        if line in HEADINGS:
            sections.append((line, []))
        elif line:
            sections[-1][1].append(line)
    return sections


def timed(action: Callable[[], object], runs: int) -> float:
    """Median wall time of ``runs`` runs, after one warm-up."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def parse_throughput(pages: Sequence[str], runs: int) -> None:
    megabytes = sum(len(page.encode()) for page in pages) / 1e6
    sizes = sorted(len(page.encode()) for page in pages)
    floor = timed(lambda: [split_sections(page) for page in pages], runs)
    parse = timed(lambda: [ctparse.parse(page) for page in pages], runs)
    to_dict = timed(lambda: [ctparse.to_dict(ctparse.parse(page)) for page in pages], runs)
    print(f"corpus: {len(pages)} pages, {megabytes:.1f} MB, median page {sizes[len(sizes) // 2]} B")
    print("| pass | pages/s | MB/s | x floor |")
    print("|---|---|---|---|")
    for name, seconds in (
        ("floor: split into sections", floor),
        ("ctparse.parse", parse),
        ("ctparse.parse + to_dict", to_dict),
    ):
        print(
            f"| {name} | {len(pages) / seconds:,.0f} | {megabytes / seconds:.1f} "
            f"| {floor / seconds:.3f} |"
        )


def constraints_cost(pages: Sequence[str], runs: int) -> None:
    """``ctparse.parse`` with and without constraint extraction (switched off for the
    measurement by replacing the function the criteria reader calls)."""
    unique = sorted(set(pages), key=len)
    median = unique[len(unique) // 2]
    extract = criteria.constraints
    repeat = 200

    def median_page() -> None:
        for _ in range(repeat):
            ctparse.parse(median)

    def corpus() -> None:
        for page in unique:
            ctparse.parse(page)

    def without(action: Callable[[], None]) -> Callable[[], None]:
        def run() -> None:
            criteria.constraints = lambda text: ()  # type: ignore[assignment]
            try:
                action()
            finally:
                criteria.constraints = extract

        return run

    # This machine's speed swings from one minute to the next: the two are run alternately,
    # and the best of each is kept.
    with_median = bare_median = with_corpus = bare_corpus = float("inf")
    for _ in range(runs):
        with_median = min(with_median, timed(median_page, 1))
        bare_median = min(bare_median, timed(without(median_page), 1))
        with_corpus = min(with_corpus, timed(corpus, 1))
        bare_corpus = min(bare_corpus, timed(without(corpus), 1))
    print("| constraints | parse without | parse with | added |")
    print("|---|---|---|---|")
    for name, bare, full, count in (
        (f"median page ({len(median.encode())} B)", bare_median, with_median, repeat),
        (f"every page ({len(unique)})", bare_corpus, with_corpus, len(unique)),
    ):
        print(
            f"| {name} | {bare / count * 1e3:.3f} ms | {full / count * 1e3:.3f} ms "
            f"| {(full / bare - 1) * 100:+.1f}% |"
        )


# Run in a fresh interpreter: the clock starts before ``import ctparse`` and stops after the
# first ``ctparse.parse`` of a page (``{page}`` is filled in).
START_UP_CODE = (
    "import time; t = time.perf_counter(); import ctparse; i = time.perf_counter(); "
    "ctparse.parse(open({page!r}, encoding='utf-8').read()); "
    "print(i - t, time.perf_counter() - t)"
)


def start_up_times(src: Path | None, runs: int) -> tuple[float, float, float, float]:
    """Median seconds, over ``runs`` fresh processes running the checkout at ``src``, of:
    ``import ctparse``; import and first parse, in the process (from before the import);
    (``src`` None: the installed ctparse)
    the whole process (interpreter start to exit, as the caller sees it); and a bare
    interpreter's whole process (``python -c pass``), for reference.

    With caches warm, as a user's second run sees it: the ``.pyc`` files are written first
    (``compileall``: ``PYTHONDONTWRITEBYTECODE`` may be set), and one untimed run makes the
    parse tables and fills ctparse's pattern cache in the temporary folder."""
    page = ROOT / "fixtures" / "valid" / "NCT05001971.txt"
    environment = {**os.environ, "PYTHONPATH": str(src)} if src else globals()["environment"]()
    package = src / "ctparse" if src else Path(ctparse.__file__).parent
    subprocess.run(  # best effort: an installed copy may be read-only, and compiled already
        [sys.executable, "-m", "compileall", "-q", str(package)],
        check=False,
        capture_output=True,
    )
    command = [sys.executable, "-c", START_UP_CODE.format(page=str(page))]
    subprocess.run(command, env=environment, check=True, capture_output=True)
    imports, firsts, wholes, bares = [], [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(command, env=environment, check=True, capture_output=True)
        wholes.append(time.perf_counter() - start)
        imported, first = (float(x) for x in out.stdout.split())
        imports.append(imported)
        firsts.append(first)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=environment, check=True)
        bares.append(time.perf_counter() - start)
    median = statistics.median
    return median(imports), median(firsts), median(wholes), median(bares)


def start_up(runs: int) -> None:
    imports, first, whole, bare = start_up_times(None if INSTALLED else ROOT / "src", max(runs, 11))
    print(
        f"import ctparse: {imports * 1000:.0f} ms; import + first parse: {first * 1000:.0f} ms "
        f"in the process, {whole * 1000:.0f} ms the whole process "
        f"(a bare interpreter: {bare * 1000:.0f} ms); medians, caches warm"
    )


# Runs the command and prints the CPU seconds of its own process (the parent: workers are
# not its children's children it waits for, and are not counted).
_CLI = (
    "import resource, sys\n"
    "from ctparse.cli.main import main\n"
    "if __name__ == '__main__':\n"
    "    status = main(sys.argv[1:])\n"
    "    usage = resource.getrusage(resource.RUSAGE_SELF)\n"
    "    print(usage.ru_utime + usage.ru_stime)\n"
    "    sys.exit(status)\n"
)


def cli_run(dump: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall seconds of one ``ctparse parse`` run, and the CPU seconds of its parent process."""
    args = ["parse", str(dump), "-o", str(out), "-j", str(jobs), "--quiet"]
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CLI, *args], capture_output=True, text=True, env=environment()
    )
    wall = time.perf_counter() - start
    return wall, float(done.stdout.split()[-1])


def cli_throughput(pages: Sequence[str], runs: int) -> None:
    """``--jobs 1`` and ``--jobs 2`` run alternately (best of ``runs`` each), and the CPU
    time of the parent process a page: a run's less that of a run over one page (start-up,
    imports and the pool's start), over the pages between."""
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / "dump.txt"
        dump.write_text("\n".join(pages), encoding="utf-8")
        one = Path(folder) / "one.txt"
        one.write_text(pages[0], encoding="utf-8")
        out = Path(folder) / "out.jsonl"
        walls: dict[int, list[float]] = {1: [], 2: []}
        costs: dict[int, list[float]] = {1: [], 2: []}
        for round_ in range(runs + 1):  # the first round warms the caches
            for jobs in (1, 2):
                wall, parent = cli_run(dump, out, jobs)
                _, start_up = cli_run(one, out, jobs)
                if round_:
                    walls[jobs].append(wall)
                    costs[jobs].append(max(parent - start_up, 0.0) / (len(pages) - 1))
        print("| CLI | pages/s (best) | slowest run | parent CPU a page (best, median) |")
        print("|---|---|---|---|")
        for jobs in (1, 2):
            cost = min(costs[jobs]) * 1e3, statistics.median(costs[jobs]) * 1e3
            print(
                f"| --jobs {jobs} | {len(pages) / min(walls[jobs]):,.0f} "
                f"| {len(pages) / max(walls[jobs]):,.0f} | {cost[0]:.3f} ms, {cost[1]:.3f} ms |"
            )
        best = {jobs: min(times) for jobs, times in walls.items()}
        print(f"--jobs 2 / --jobs 1: {best[1] / best[2]:.2f}x")


def peak_memory(pages: Sequence[str]) -> None:
    script = ROOT / "benchmarks" / "cli_memory.py"
    if script.exists():
        subprocess.run([sys.executable, str(script)], check=False)
    else:
        print("peak memory: benchmarks/cli_memory.py not found")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=3200)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--start-up", action="store_true", help="only the start-up figures")
    parser.add_argument(
        "--installed", action="store_true", help="measure the installed ctparse, not src/"
    )
    options = parser.parse_args(argv)
    if options.start_up:
        start_up(options.runs)
        return
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, ctparse {ctparse.__version__} ({build_description()})"
    )
    pages = build_corpus(options.pages)
    parse_throughput(pages, options.runs)
    median_bare_and_results(options.runs)
    constraints_cost(pages, options.runs)
    start_up(options.runs)
    if not options.skip_cli:
        cli_throughput(pages, max(1, options.runs // 2))
    if not options.skip_memory:
        peak_memory(pages)


if __name__ == "__main__":
    main()
