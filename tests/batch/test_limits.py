"""parse_file / read_page within bounds: gzip told by its bytes, a size limit, no special files."""

from __future__ import annotations

import gzip
import os
import threading
from pathlib import Path

import pytest

import ctparse
from ctparse.batch.inputs import read_page
from ctparse.batch.limits import MAX_FILE_BYTES
from ctparse.model.diagnostics import DiagnosticCode
from support.paths import SEED_PAGE

needs_posix = pytest.mark.skipif(
    not hasattr(os, "mkfifo") or not os.path.exists("/dev/zero"), reason="needs POSIX devices"
)


@pytest.mark.parametrize("name", ["page.txt", "PAGE.TXT.GZ", "page.Gz", "page"])
def test_gzip_is_told_by_its_bytes_whatever_the_name(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(gzip.compress(SEED_PAGE.read_bytes()))
    assert ctparse.parse_file(tmp_path / name) == ctparse.parse_file(SEED_PAGE)


@pytest.mark.parametrize("name", ["page.txt.gz", "page.TXT.GZ"])
def test_a_plain_file_named_gz_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(SEED_PAGE.read_bytes())
    with pytest.raises(ctparse.ParseError, match=r"named \.gz but is not gzip-compressed"):
        ctparse.parse_file(tmp_path / name)


def test_broken_gzip_is_refused(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_bytes(gzip.compress(SEED_PAGE.read_bytes())[:-30])
    with pytest.raises(ctparse.ParseError, match="not valid gzip"):
        ctparse.parse_file(tmp_path / "page.txt")


def test_text_over_the_limit_is_refused_where_the_limit_is_crossed(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes(b"line\n" * 3 + b"x" * 100)
    with pytest.raises(ctparse.ParseError) as caught:
        read_page(page, max_bytes=50)
    assert "longer than 50 bytes: pass a larger max_bytes" in str(caught.value)
    assert caught.value.code is DiagnosticCode.TOO_LARGE
    assert (caught.value.line, caught.value.column) == (4, 36)
    assert read_page(page, max_bytes=115) == "line\n" * 3 + "x" * 100
    assert MAX_FILE_BYTES == 32 << 20


def test_a_gzip_bomb_stops_at_the_limit(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.txt.gz"
    bomb.write_bytes(gzip.compress(b"a" * (8 << 20)))
    with pytest.raises(ctparse.ParseError, match="longer than 1048576 bytes"):
        ctparse.parse_file(bomb, max_bytes=1 << 20)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ctparse.ParseError, match="is a directory, not a regular") as caught:
        ctparse.parse_file(tmp_path)
    assert caught.value.code is DiagnosticCode.UNREADABLE


@needs_posix
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_devices_are_refused_and_bounded_when_allowed(device: str) -> None:
    with pytest.raises(ctparse.ParseError, match="a character device, not a regular file"):
        ctparse.parse_file(device)
    with pytest.raises(ctparse.ParseError, match="longer than 65536 bytes"):
        ctparse.parse_file(device, allow_special=True, max_bytes=1 << 16)


@needs_posix
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "page.txt"
    os.mkfifo(fifo)
    done = threading.Event()

    def unblock() -> None:
        # Should the reader open the FIFO, a writer lets it go on instead of hanging the suite.
        while not done.wait(0.05):
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                continue
            return

    writer = threading.Thread(target=unblock, daemon=True)
    writer.start()
    try:
        with pytest.raises(ctparse.ParseError, match="a FIFO \\(named pipe\\), not a regular"):
            ctparse.parse_file(fifo)
    finally:
        done.set()
        writer.join()
