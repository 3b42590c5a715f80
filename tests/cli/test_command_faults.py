"""``ctparse parse`` under faults around it: odd trees, outputs that are inputs, killed
parents, closed streams. Nothing is lost without a word, nothing hangs."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from support.command import FULL, WITHDRAWN, run, summary_of


def test_a_walk_follows_linked_directories_and_reports_a_fifo(tmp_path: Path) -> None:
    (tmp_path / "t/2023").mkdir(parents=True)
    (tmp_path / "elsewhere/2025").mkdir(parents=True)
    shutil.copy(FULL, tmp_path / "t/2023/p.txt")
    shutil.copy(WITHDRAWN, tmp_path / "elsewhere/2025/r.txt")
    (tmp_path / "t/2025").symlink_to(tmp_path / "elsewhere/2025")
    (tmp_path / "t/2025/loop").symlink_to(tmp_path / "t")
    os.mkfifo(tmp_path / "t/2023/q.txt")  # would block the run if opened
    result = run("parse", "t", "-o", "out.jsonl", cwd=tmp_path)
    assert result.status == 1
    assert result.error_records() == [
        {
            "source": {"path": "t/2023/q.txt", "line": 1},
            "line": 1,
            "column": 1,
            "code": "unreadable",
            "message": "not a regular file (a named pipe or device): skipped",
        }
    ]
    assert result.summary().startswith(summary_of(3, 2, 1))
    lines = (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()
    assert [line.split(',"nct_id"')[0] for line in lines] == [
        '{"source":{"path":"t/2023/p.txt","line":1}',
        '{"source":{"path":"t/2025/r.txt","line":1}',
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "-o", "a.txt"], "a.txt is also an input"),
        (["a.txt", "b.txt", "--errors", "b.txt"], "b.txt is also an input"),
        (["pages", "-o", "pages/b.txt"], "pages/b.txt is inside pages, which is read as input"),
        (["pages", "-o", "pages/new.txt"], "pages/new.txt is inside pages"),
    ],
)
def test_an_output_that_is_an_input_is_refused(
    tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "pages").mkdir()
    for name in ["a.txt", "b.txt", "pages/b.txt"]:
        shutil.copy(FULL, tmp_path / name)
    result = run("parse", *args, cwd=tmp_path)
    assert result.status == 2
    assert f"ctparse parse: error: {message}" in result.stderr
    for name in ["a.txt", "b.txt", "pages/b.txt"]:
        assert (tmp_path / name).read_bytes() == FULL.read_bytes()
    assert not (tmp_path / "pages/new.txt").exists()


def test_an_output_beside_the_pages_of_a_walked_tree_is_fine(tmp_path: Path) -> None:
    shutil.copy(FULL, tmp_path / "a.txt")
    result = run("parse", ".", "-o", "trials.jsonl", "--errors", "errors.jsonl", cwd=tmp_path)
    assert result.status == 0
    assert len((tmp_path / "trials.jsonl").read_text(encoding="utf-8").splitlines()) == 1
