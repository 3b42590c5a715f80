"""The directory walk: nothing under a PATH is skipped without an error record."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ctparse.batch import walk
from ctparse.batch.inputs import items
from ctparse.batch.splitter import Page
from ctparse.batch.walk import clash, files, page_files, printable
from ctparse.model.diagnostics import DiagnosticCode


def _shown(found: list[str | Page | None], root: Path) -> list[str]:
    shown = []
    for item in found:
        assert item is not None
        if isinstance(item, Page):
            assert item.code is DiagnosticCode.UNREADABLE
            shown.append(f"error {Path(item.path).relative_to(root).as_posix()}: {item.error}")
        else:
            shown.append(Path(item).relative_to(root).as_posix())
    return shown


def _tree(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"")


def test_a_directory_that_cannot_be_listed_is_an_error_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, "2023/p.txt", "2024/q.txt", "2025/r.txt")
    real_scandir = os.scandir

    def scandir(path: str) -> object:
        if path.endswith("2024"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    assert _shown(list(files([str(tmp_path)])), tmp_path) == [
        "2023/p.txt",
        "error 2024: cannot list the directory: Permission denied",
        "2025/r.txt",
    ]


def test_an_unlistable_top_path_is_an_error_not_an_empty_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _tree(tmp_path, "top/p.txt")
    empty: list[str] = []

    def scandir(path: str) -> object:
        raise PermissionError(13, "Permission denied", path)

    monkeypatch.setattr(walk.os, "scandir", scandir)
    (page,) = files([str(tmp_path / "top")], empty.append)
    assert isinstance(page, Page)
    assert page.error == "cannot list the directory: Permission denied"
    assert empty == []
    # It reaches the run as a page: counted, written as an error record.
    (item,) = items([str(tmp_path / "top")])
    assert item.page == page


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any directory whatever its mode")
def test_a_directory_without_permission_is_an_error_record(tmp_path: Path) -> None:
    _tree(tmp_path, "a/p.txt", "b/q.txt")
    (tmp_path / "b").chmod(0)
    try:
        assert _shown(list(page_files(str(tmp_path))), tmp_path) == [
            "a/p.txt",
            "error b: cannot list the directory: Permission denied",
        ]
    finally:
        (tmp_path / "b").chmod(0o755)


def test_symlinked_directories_are_followed_and_each_real_file_read_once(tmp_path: Path) -> None:
    _tree(tmp_path, "t/2023/p.txt", "elsewhere/2025/r.txt", "t/2024/q.txt")
    (tmp_path / "t/2025").symlink_to(tmp_path / "elsewhere/2025")
    (tmp_path / "t/2024/loop").symlink_to(tmp_path / "t")  # back up the tree
    (tmp_path / "t/again").symlink_to(tmp_path / "t/2023")  # a second way to 2023
    (tmp_path / "t/2023/same.txt").hardlink_to(tmp_path / "t/2023/p.txt")
    assert _shown(list(page_files(str(tmp_path / "t"))), tmp_path) == [
        "t/2023/p.txt",
        "t/2024/q.txt",
        "t/2025/r.txt",
    ]


def test_a_dangling_link_and_a_fifo_named_like_pages_are_error_records(tmp_path: Path) -> None:
    _tree(tmp_path, "a.txt")
    os.mkfifo(tmp_path / "b.txt")
    (tmp_path / "c.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "d").symlink_to(tmp_path / "nowhere")
    os.mkfifo(tmp_path / "e.json")  # not a page name: not read, not reported
    assert _shown(list(page_files(str(tmp_path))), tmp_path) == [
        "a.txt",
        "error b.txt: not a regular file (a named pipe or device): skipped",
        "error c.txt: cannot read the file: No such file or directory",
        "error d: cannot follow the link: No such file or directory",
    ]


def test_file_names_that_are_not_utf8_stay_different() -> None:
    names = [os.fsdecode(b"p\xff.txt"), os.fsdecode(b"p\xfe.txt"), "p\\xff.txt", "pé.txt"]
    shown = [printable(name) for name in names]
    assert shown == ["p\\xff.txt", "p\\xfe.txt", "p\\\\xff.txt", "pé.txt"]
    assert len(set(shown)) == len(names)


def test_an_output_that_is_an_input_or_would_be_walked_clashes(tmp_path: Path) -> None:
    _tree(tmp_path, "a.txt", "b.txt", "pages/c.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "hard.txt").hardlink_to(tmp_path / "b.txt")
    inputs = [str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), str(tmp_path / "pages")]
    for target in ["a.txt", "link.txt", "hard.txt", "pages/c.txt", "pages/new.txt"]:
        assert clash(inputs, str(tmp_path / target)) is not None, target
    for target in ["out.jsonl", "pages/out.jsonl", "c.txt"]:
        assert clash(inputs, str(tmp_path / target)) is None, target
    assert clash(["-"], os.devnull) is None


def test_a_directory_given_twice_is_walked_once_and_not_called_empty(tmp_path: Path) -> None:
    _tree(tmp_path, "pages/a.txt", "none/b.json")
    empty: list[str] = []
    pages, none = str(tmp_path / "pages"), str(tmp_path / "none")
    found = list(files([pages, pages, none], empty.append))
    assert _shown(found, tmp_path) == ["pages/a.txt"]
    assert empty == [none]
