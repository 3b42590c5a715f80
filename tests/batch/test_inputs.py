"""Reading inputs: the directory walk, files, gzip, and what a file that is no text becomes."""

from __future__ import annotations

import gzip
from pathlib import Path

from ctparse.batch.inputs import page_files, read_pages
from support.paths import FIXTURES

FULL = FIXTURES / "valid" / "NCT05001971.txt"  # bare layout: 117 lines, no final line break
LABELLED = FIXTURES / "real" / "NCT07258953.txt"  # labelled excerpt: 2,000 bytes, 47 lines


def text(path: Path) -> bytes:
    return path.read_bytes()


def test_page_files_walks_in_a_stable_order_and_picks_page_suffixes(tmp_path: Path) -> None:
    for name in ["b.txt", "a.TXT", "c.text", "d.txt.gz", "e.json", "f.gz", "sub/z.txt", "sub/y.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = [Path(path).relative_to(tmp_path).as_posix() for path in page_files(str(tmp_path))]
    assert found == ["a.TXT", "b.txt", "c.text", "d.txt.gz", "sub/z.txt"]


def test_gzip_is_recognised_by_its_bytes_whatever_the_name(tmp_path: Path) -> None:
    data = text(FULL) + b"\n" + text(LABELLED)
    for name in ["dump.txt.gz", "dump.txt"]:
        path = tmp_path / name
        path.write_bytes(gzip.compress(data))
        pages = list(read_pages(str(path)))
        assert [(page.path, page.line, page.error) for page in pages] == [
            (str(path), 1, None),
            (str(path), 118, None),
        ]
        assert pages[1].data == text(LABELLED)


def test_a_gz_name_without_gzip_data_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "page.txt.gz"
    path.write_bytes(text(FULL))
    (page,) = read_pages(str(path))
    assert page.error == "the file is named .gz but is not gzip-compressed"


def test_a_truncated_gzip_keeps_the_pages_before_the_break(tmp_path: Path) -> None:
    pages = [text(FULL) + b"\n"] * 40
    compressed = gzip.compress(b"".join(pages), compresslevel=1, mtime=0)
    path = tmp_path / "cut.txt.gz"
    path.write_bytes(compressed[: len(compressed) * 3 // 4])
    found = list(read_pages(str(path)))
    assert all(page.error is None for page in found[:-1])
    assert [page.line for page in found[:-1]] == [1 + 117 * i for i in range(len(found) - 1)]
    last = found[-1]
    assert len(found) == 28
    assert last.line == 1 + 117 * 27
    assert last.error == (
        "the gzip data is corrupt or cut off (Compressed file ended before the "
        "end-of-stream marker was reached): the pages from this line on are lost"
    )


def test_files_that_are_no_text_are_one_error_each(tmp_path: Path) -> None:
    cases = {
        "utf16.txt": ("\ufeff" + text(FULL).decode()).encode("utf-16-le"),
        "utf16_no_bom.txt": text(FULL).decode().encode("utf-16-le"),
        "binary.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\n" * 300,
    }
    errors = {}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        (page,) = read_pages(str(tmp_path / name))
        assert (page.line, page.data) == (1, b"")
        errors[name] = page.error
    assert errors == {
        "utf16.txt": "the file is UTF-16 (it starts with a UTF-16 byte order mark): "
        "expected UTF-8 text",
        "utf16_no_bom.txt": "the file is binary: it holds a NUL byte at offset 1 (UTF-16 text "
        "without a byte order mark looks like this too); expected UTF-8 text",
        "binary.txt": "the file is binary: it holds a NUL byte at offset 8 (UTF-16 text "
        "without a byte order mark looks like this too); expected UTF-8 text",
    }


def test_a_missing_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    (page,) = read_pages(str(tmp_path / "gone.txt"))
    assert (page.line, page.error) == (1, "cannot read the file: No such file or directory")


def test_progress_counts_the_bytes_read(tmp_path: Path) -> None:
    path = tmp_path / "two.txt"
    path.write_bytes(text(FULL) + b"\n" + text(FULL))
    pages = list(read_pages(str(path)))
    assert pages[-1].consumed == path.stat().st_size
