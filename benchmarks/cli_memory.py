"""Peak memory of ``ctparse parse`` over a dump of 10,000 and of 100,000 pages.

The dump is built in a temporary directory from the repository's fixture pages, each copy
given its own NCT ID, and run through the installed command as a user would run it:

    python benchmarks/cli_memory.py                      # 10k and 100k pages, -j 1 and -j 2
    python benchmarks/cli_memory.py --pages 2000 --jobs 1 2

Memory must not grow with the number of pages: the command streams pages in and records out.
The parent's peak comes from the operating system's accounting of the finished process; the
workers' peaks (``-j`` above 1, Linux only) are sampled from ``/proc`` while the run goes on.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NCT_ID = re.compile(rb"NCT ID: NCT\d{8}")
# Good pages, cut excerpts and pages that fail: every one starts a page of its own in a dump
# (an empty file or an HTML page would run into the page before and not count as one).
PAGES = sorted(
    path
    for kind in ("valid", "real", "invalid")
    for path in (ROOT / "fixtures" / kind).glob("*.txt")
    if NCT_ID.search(path.read_bytes()) or path.read_bytes().startswith(b"Study Results")
)


def build_dump(path: Path, count: int) -> int:
    """Write ``count`` pages to ``path``, one after the other; returns the size in bytes."""
    texts = [page.read_bytes() for page in PAGES]
    with path.open("wb") as out:
        for number, text in zip(range(count), itertools.cycle(texts), strict=False):
            # A distinct trial each time, as in a real dump.
            text = NCT_ID.sub(f"NCT ID: NCT{90000000 + number:08d}".encode(), text, count=1)
            out.write(text if text.endswith(b"\n") else text + b"\n")
    return path.stat().st_size


def command() -> list[str]:
    found = shutil.which("ctparse", path=str(Path(sys.executable).parent))
    return [found] if found else [sys.executable, "-m", "ctparse"]


class WorkerPeaks(threading.Thread):
    """Samples the peak resident memory (VmHWM) of every process below ``root``."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.peaks: dict[int, int] = {}
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.2):
            for pid in self.descendants():
                peak = _vm_hwm(pid)
                if peak:
                    self.peaks[pid] = max(self.peaks.get(pid, 0), peak)

    def descendants(self) -> list[int]:
        parents: dict[int, int] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                # The parent id is the second field after the parenthesised command name.
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
        found, frontier = [], [self.root]
        while frontier:
            children = [pid for pid, parent in parents.items() if parent in frontier]
            found.extend(children)
            frontier = children
        return found


def _vm_hwm(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])  # KiB
    except OSError:
        pass
    return 0


def measure(dump: Path, jobs: int, workdir: Path) -> dict[str, float]:
    out, errors = workdir / "out.jsonl", workdir / "errors.jsonl"
    args = [*command(), "parse", str(dump), "-o", str(out), "--errors", str(errors), "-q"]
    start = time.perf_counter()
    process = subprocess.Popen([*args, "-j", str(jobs)])
    sampler = WorkerPeaks(process.pid)
    if Path("/proc").is_dir():
        sampler.start()
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    sampler.done.set()
    process.returncode = os.waitstatus_to_exitcode(status)
    lines = sum(1 for _ in out.open("rb")) + sum(1 for _ in errors.open("rb"))
    worker_peaks = sorted(sampler.peaks.values())
    return {
        "results": lines,
        "seconds": elapsed,
        # ru_maxrss is KiB on Linux (bytes on macOS).
        "parent_mib": usage.ru_maxrss / (1 << 20 if sys.platform == "darwin" else 1 << 10),
        "worker_mib": (worker_peaks[-1] / 1024) if worker_peaks else 0.0,
        "out_mib": out.stat().st_size / (1 << 20),
    }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--pages", type=int, nargs="+", default=[10_000, 100_000])
    options.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    chosen = options.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ctparse-bench-") as temporary:
        workdir = Path(temporary)
        for count in chosen.pages:
            dump = workdir / f"dump_{count}.txt"
            size = build_dump(dump, count)
            for jobs in chosen.jobs:
                figures = measure(dump, jobs, workdir)
                assert figures["results"] == count, "every page must give one result"
                rows.append((count, size, jobs, figures))
            dump.unlink()
    header = (
        f"{'pages':>8} {'dump MiB':>9} {'jobs':>4} {'seconds':>8} {'pages/s':>8} "
        f"{'parent peak MiB':>16} {'worker peak MiB':>16} {'out MiB':>8}"
    )
    print(header)
    print("-" * len(header))
    for count, size, jobs, figures in rows:
        print(
            f"{count:>8,} {size / (1 << 20):>9.1f} {jobs:>4} {figures['seconds']:>8.1f} "
            f"{count / figures['seconds']:>8,.0f} {figures['parent_mib']:>16.1f} "
            f"{_mib(figures['worker_mib']):>16} {figures['out_mib']:>8.1f}"
        )


def _mib(value: float) -> str:
    # No workers with -j 1: the parent parses.
    return f"{value:.1f}" if value else "-"


if __name__ == "__main__":
    main()
