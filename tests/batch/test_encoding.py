"""Bytes to text: decoding pages, and one name for each encoding whichever way a file is read."""

from __future__ import annotations

import codecs
import pickle
from pathlib import Path

import pytest

import ctparse
from ctparse.batch.encoding import decode, decode_page_bytes, not_text
from ctparse.batch.inputs import read_pages
from ctparse.errors import ParseError
from support.paths import FIXTURES

FULL = FIXTURES / "valid" / "NCT05001971.txt"


def decode_page(data: bytes, offset: int = 0) -> tuple[str, int | None]:
    return decode_page_bytes(data, offset)


def test_decode_page_drops_a_character_cut_in_half_by_the_scraper() -> None:
    whole = "Title\nNCT ID: NCT01234567\nSpeed ≥ 3".encode()
    cut = whole[:-3]  # ' 3' and the last byte of '≥' gone: b'\xe2\x89' remains
    assert decode_page(cut) == ("Title\nNCT ID: NCT01234567\nSpeed ", 3)
    assert decode_page(cut + b"\n\n") == ("Title\nNCT ID: NCT01234567\nSpeed \n\n", 3)
    assert decode_page(whole) == (whole.decode(), None)


def test_decode_page_reports_bad_bytes_at_their_offset_in_the_file() -> None:
    with pytest.raises(ParseError) as caught:
        decode_page(b"Title\nCaf\xe9 au lait\n", offset=5000)
    assert (caught.value.line, caught.value.column) == (2, 4)
    assert caught.value.reason == (
        "the file is not UTF-8: byte 0xe9 at offset 5009 cannot be decoded; expected UTF-8 text"
    )


def test_decode_page_refuses_nul_bytes_inside_a_page() -> None:
    with pytest.raises(ParseError) as caught:
        decode_page(b"Title\nNCT ID: NCT01234567\nab\x00cd\n", offset=100)
    assert (caught.value.line, caught.value.column) == (3, 3)
    assert caught.value.reason == (
        "the page holds binary data: a NUL byte at offset 128 of the file; expected UTF-8 text"
    )


# ---------------------------------------------------------------- one name for each encoding

# Each encoding with a byte order mark, as UTF-8 text's bytes would be written in it.
ENCODED = {
    "UTF-32": ("\ufeff" + "A trial\n").encode("utf-32-le"),
    "UTF-32 big-endian": ("\ufeff" + "A trial\n").encode("utf-32-be"),
    "UTF-16": ("\ufeff" + "A trial\n").encode("utf-16-le"),
    "UTF-16 big-endian": ("\ufeff" + "A trial\n").encode("utf-16-be"),
}


@pytest.mark.parametrize("label", list(ENCODED))
def test_parse_file_iter_pages_and_the_command_name_an_encoding_alike(
    tmp_path: Path, label: str
) -> None:
    name = label.split()[0]
    expected = f"the file is {name} (it starts with a {name} byte order mark): expected UTF-8 text"
    path = tmp_path / "page.txt"
    path.write_bytes(ENCODED[label])
    with pytest.raises(ParseError) as caught:
        ctparse.parse_file(path)
    assert caught.value.reason == expected
    (page,) = ctparse.iter_pages(str(path))
    assert page.error is not None and page.text is None
    assert (page.error.code, page.error.message) == ("not_text", expected)
    (split,) = read_pages(str(path))
    assert (split.code, split.error) == ("not_text", expected)


def test_a_utf32_file_is_not_called_utf16() -> None:
    # The UTF-32 little-endian mark starts with the UTF-16 one: the longer mark wins.
    data = codecs.BOM_UTF32_LE + "A".encode("utf-32-le")
    problem = not_text(data)
    assert problem is not None and "UTF-32" in problem.reason and "UTF-16" not in problem.reason
    with pytest.raises(ParseError) as caught:
        decode(data)
    assert caught.value.code == "not_text" and "UTF-32" in caught.value.reason


def test_binary_and_bad_bytes_have_their_codes() -> None:
    binary = not_text(b"PK\x03\x04\x00\x00")
    assert binary is not None and binary.code == "not_text"
    assert not_text(FULL.read_bytes()) is None
    with pytest.raises(ParseError) as caught:
        decode(b"Title\n\xff\n")
    assert (caught.value.code, caught.value.line, caught.value.column) == ("not_utf8", 2, 1)


def test_a_decode_error_keeps_its_code_across_processes() -> None:
    with pytest.raises(ParseError) as caught:
        decode_page_bytes(b"Title\nab\x00\n", offset=10)
    again = pickle.loads(pickle.dumps(caught.value))
    assert (again.reason, again.line, again.column, again.code) == (
        "the page holds binary data: a NUL byte at offset 18 of the file; expected UTF-8 text",
        2,
        3,
        "not_text",
    )
