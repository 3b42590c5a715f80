"""Golden fixtures: ``NAME.txt`` with ``NAME.json`` (the lenient parse) and, when the strict
parse must fail, ``NAME.error`` (its exact message).

Run ``python tests/support/golden.py`` to write the expected files for new pages; review
every written file before committing it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# Run as a script it reads the source tree; imported by the tests it must not, so that the
# tests of an installed (compiled) build test that build.
if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

import ctparse

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


# Folders of golden pairs; fixtures/README.md says what each folder holds.
GOLDEN_FOLDERS = ("valid", "invalid", "real")


def pages() -> list[Path]:
    return sorted(page for folder in GOLDEN_FOLDERS for page in (FIXTURES / folder).glob("*.txt"))


def results_pages() -> list[Path]:
    """Results-page goldens (``fixtures/results/``), read with ``parse_results``."""
    return sorted((FIXTURES / "results").glob("*.txt"))


def expected_of(page: Path) -> tuple[dict[str, object], str | None]:
    expected = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
    error = page.with_suffix(".error")
    return expected, error.read_text(encoding="utf-8").strip() if error.exists() else None


def write(page: Path) -> None:
    text = page.read_bytes().decode("utf-8-sig")
    read = ctparse.parse_results if page.parent.name == "results" else ctparse.parse
    record = read(text, lenient=True)
    page.with_suffix(".json").write_text(ctparse.to_json(record) + "\n", encoding="utf-8")
    try:
        read(text)
    except ctparse.ParseError as error:
        page.with_suffix(".error").write_text(str(error) + "\n", encoding="utf-8")


if __name__ == "__main__":
    only_missing = "--all" not in sys.argv
    for page in pages() + results_pages():
        if only_missing and page.with_suffix(".json").exists():
            continue
        write(page)
        print("wrote", page.relative_to(FIXTURES))
