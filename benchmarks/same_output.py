"""Same output before and after a speed change: ``to_json`` of every page, as one file.

    python benchmarks/same_output.py OUT.jsonl          # write the outputs
    python benchmarks/same_output.py OUT.jsonl --against BEFORE.jsonl

The pages: each shipped registry record (tests/support/paths.py ``corpus_files()``) rendered
in both layouts and read strictly; the same pages damaged (cut off mid-page, a stray line
put in, two sections swapped) and read leniently, so that error recovery is compared too;
and every page under fixtures/ read leniently. Run it with the code before a change, then
after, and compare. Not a test: it only says whether two runs gave the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import ctparse  # noqa: E402
from support.paths import FIXTURES, corpus_files  # noqa: E402


def damaged(page: str, number: int) -> str:
    """One of three faults, chosen by ``number``: cut, stray line, sections swapped."""
    lines = page.split("\n")
    middle = len(lines) // 2
    if number % 3 == 0:
        return "\n".join(lines[:middle]) + "\n" + lines[middle][: len(lines[middle]) // 2]
    if number % 3 == 1:
        return "\n".join([*lines[:middle], "A stray line nobody expected", *lines[middle:]])
    return "\n".join(lines[middle:] + lines[:middle])


def outputs() -> Iterator[tuple[str, str]]:
    number = 0
    for path in corpus_files():
        trial = ctparse.from_ctgov(json.loads(path.read_text(encoding="utf-8")))
        for layout in ("bare", "labelled"):
            page = ctparse.render(trial, layout)
            yield f"{path.stem} {layout}", ctparse.to_json(ctparse.parse(page))
            bad = damaged(page, number)
            number += 1
            yield f"{path.stem} {layout} damaged", ctparse.to_json(ctparse.parse(bad, lenient=True))
    for path in sorted(FIXTURES.rglob("*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        record = ctparse.to_json(ctparse.parse(text, lenient=True))
        yield str(path.relative_to(FIXTURES.parent)), record


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("out", type=Path)
    options.add_argument("--against", type=Path)
    args = options.parse_args()
    with args.out.open("w", encoding="utf-8") as out:
        count = 0
        for name, text in outputs():
            out.write(json.dumps([name, text], ensure_ascii=False) + "\n")
            count += 1
    print(f"{count} pages written to {args.out}")
    if args.against is not None:
        before = args.against.read_text(encoding="utf-8").splitlines()
        after = args.out.read_text(encoding="utf-8").splitlines()
        differ = [json.loads(b)[0] for b, a in zip(before, after, strict=False) if a != b]
        if len(before) != len(after) or differ:
            print(f"DIFFERENT: {len(before)} vs {len(after)} pages; differ: {differ[:10]}")
            sys.exit(1)
        print(f"identical to {args.against}")


if __name__ == "__main__":
    main()
