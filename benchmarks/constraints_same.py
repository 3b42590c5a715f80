"""Same constraints before and after a change to the extraction: ``ctparse.constraints`` of
every criterion text, as one file.

    python benchmarks/constraints_same.py OUT.jsonl          # write the outputs
    python benchmarks/constraints_same.py OUT.jsonl --against BEFORE.jsonl

The texts: every criterion (at any depth) of the shipped registry records, the labelled
examples and the hand-written cases under fixtures/constraints/; each also in lower case,
upper case and title case, since the vocabulary is matched case-insensitively except for
a few abbreviations. Run it with the code before a change, then after, and compare. Not a
test: it only says whether two runs gave the same constraints, and times the extraction.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import ctparse  # noqa: E402
from ctparse.formats.json import to_dict  # noqa: E402
from ctparse.model.trial import Criterion  # noqa: E402
from support.paths import FIXTURES, corpus_files  # noqa: E402


def criteria_texts(nodes: tuple[Criterion, ...]) -> Iterator[str]:
    for node in nodes:
        yield node.text
        yield from criteria_texts(node.children)


def corpus_texts() -> list[str]:
    texts: list[str] = []
    for path in corpus_files():
        trial = ctparse.from_ctgov(json.loads(path.read_text(encoding="utf-8")))
        eligibility = trial.eligibility
        if eligibility is None:
            continue
        for side in (eligibility.inclusion, eligibility.exclusion, eligibility.other):
            texts += criteria_texts(side)
    return texts


def fixture_texts() -> list[str]:
    examples = FIXTURES / "constraints" / "examples.jsonl"
    texts = [json.loads(line)["text"] for line in examples.read_text("utf-8").splitlines()]
    lines = (FIXTURES / "constraints" / "cases.md").read_text("utf-8").splitlines()
    # A case's text is the line after its first "." line (format in cases.md).
    texts += [
        lines[i + 1]
        for i in range(1, len(lines) - 1)
        if lines[i] == "." and lines[i - 1] not in (".", "") and lines[i - 1][0] != "#"
    ]
    return texts


def first_call() -> float:
    """The first extraction of a fresh process (what compiling the patterns costs it)."""
    code = (
        "import time, ctparse; t = time.perf_counter(); "
        "ctparse.constraints('ECOG 0-1; ANC ≥ 1.5 x 10^9/L, AST/ALT ≤ 2.5 x ULN'); "
        "print(time.perf_counter() - t)"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
        )
        for _ in range(5)
    ]
    return statistics.median(float(run.stdout) for run in runs)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("out", type=Path)
    options.add_argument("--against", type=Path)
    args = options.parse_args()
    corpus = corpus_texts()
    texts = corpus + fixture_texts()
    texts += [
        variant for text in list(texts) for variant in (text.lower(), text.upper(), text.title())
    ]
    first = first_call()
    corpus_seconds = float("inf")
    for _ in range(5):  # the best of five: this machine's speed swings
        start = time.perf_counter()
        for text in corpus:
            ctparse.constraints(text)
        corpus_seconds = min(corpus_seconds, time.perf_counter() - start)
    found = 0
    with args.out.open("w", encoding="utf-8") as out:
        for text in texts:
            result = ctparse.constraints(text)
            found += len(result)
            out.write(json.dumps([text, [to_dict(c) for c in result]], ensure_ascii=False) + "\n")
    print(
        f"{len(corpus)} corpus criteria: {corpus_seconds * 1e3:.0f} ms "
        f"({corpus_seconds / len(corpus) * 1e6:.1f} µs each); first call {first * 1e3:.0f} ms; "
        f"{len(texts)} texts compared, {found} constraints"
    )
    if args.against is not None:
        before = args.against.read_text(encoding="utf-8").splitlines()
        after = args.out.read_text(encoding="utf-8").splitlines()
        differ = [i for i, (a, b) in enumerate(zip(before, after, strict=False)) if a != b]
        if len(before) != len(after) or differ:
            print(f"DIFFERENT: {len(differ)} texts, {len(before)} vs {len(after)} lines")
            for i in differ[:10]:
                print(f"  before {before[i]}\n  after  {after[i]}")
            sys.exit(1)
        print("same constraints for every text")


if __name__ == "__main__":
    main()
