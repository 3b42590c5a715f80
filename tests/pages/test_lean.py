"""The lean parser (``ctparse.pages.lean``) gives what Lark gives, from a table alone."""

from __future__ import annotations

import json
import pickle
import re
import subprocess
import sys

import pytest
from lark import Lark
from lark import Token as LarkToken

from ctparse.pages import grammar, lalr, lean, pattern_cache
from ctparse.pages.tokens import Token
from support.grammars import (
    HEADINGS_GRAMMAR,
    LEAN_GRAMMAR,
    SHAPES_GRAMMAR,
    SHAPES_TEXTS,
    Shapes,
    Values,
)
from support.paths import SEED_PAGE


def lean_and_lark(grammar: str, transformer: object) -> tuple[lean.LeanParser, Lark]:
    """A lean parser of ``grammar`` (its table as the file keeps it: through JSON) with
    Lark as its fallback, and Lark's own parser with the same transformer."""
    made = json.loads(json.dumps(lalr.table(Lark(grammar, parser="lalr", lexer="contextual"))))

    def fallback() -> object:
        built = Lark(grammar, parser="lalr", transformer=lalr.OwnTokens(transformer))
        return lalr.lark_parse(built)

    parser = lean.LeanParser(made, transformer, fallback)  # type: ignore[arg-type]
    return parser, Lark(grammar, parser="lalr", lexer="contextual", transformer=transformer)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "a\n1\n",
        "\n\na\n1\n\nnote\nb\n22\nPart B\nx\ny\n\nnote\n",
        "Part A\nPart C\nnote\n",
    ],
)
def test_the_lean_parser_gives_what_lark_gives(text: str) -> None:
    parser, built = lean_and_lark(LEAN_GRAMMAR, Values())
    assert parser.parse(text) == built.parse(text)


def test_the_lean_parser_keeps_token_positions() -> None:
    parser, _ = lean_and_lark(LEAN_GRAMMAR, Values())
    tree = parser.parse("\na\n1\nPart B\nx\n")
    pair, section = tree.children
    assert pair == ("a", 1)
    # A line the string terminal takes from the regex one (Lark's check, done by the table).
    assert parser.parse("note\nb\n2\n").children == ["note", ("b", 2)]
    heading = section[1]
    assert type(heading) is Token
    assert (heading.type, heading.line, heading.column, heading.start_pos) == ("H_PART", 4, 1, 5)
    assert (heading.end_line, heading.end_column, heading.end_pos) == (5, 1, 12)
    name = section[2]
    assert (name.line, name.column, name.end_pos) == (5, 1, 14)


def test_the_lean_parser_hands_errors_to_lark_and_its_recovery() -> None:
    seen: list[tuple[str, int]] = []

    def on_error(error: lalr.UnexpectedInput) -> bool:
        assert isinstance(error, lalr.UnexpectedToken)
        seen.append((error.token.type, error.token.line or 0))
        return True

    parser, built = lean_and_lark(LEAN_GRAMMAR, Values())
    # A stray value (line 3), then text no terminal matches at all.
    text = "a\n1\n2\nb\n3\n"
    assert parser.parse(text, on_error=on_error) == built.parse(text, on_error=on_error)
    assert seen == [("VALUE", 3), ("VALUE", 3)]
    with pytest.raises(lean.Unexpected) as raised:
        parser.parse("a\n1\n!!\n")
    assert (raised.value.line, raised.value.column) == (3, 1)


def test_what_lark_reads_reaches_the_transformer_as_ctparse_tokens() -> None:
    parser, _ = lean_and_lark(SHAPES_GRAMMAR, Shapes())
    recovered = parser.parse("# title\n7\nGroup\na\nend\n", on_error=lambda error: True)
    head, group = recovered.children
    assert head == ("head", "# title\n") and group == ("group", "Group\n", "a\n")
    assert [type(value) for value in (*head[1:], *group[1:])] == [Token, Token, Token]


def test_a_parser_without_a_fallback_raises_where_the_table_stops() -> None:
    made = lalr.table(Lark(LEAN_GRAMMAR, parser="lalr", lexer="contextual"))
    parser = lean.LeanParser(made, Values())
    assert parser.parse("a\n1\n").children == [("a", 1)]
    with pytest.raises(lean.Unexpected):
        parser.parse("a\n1\n2\n")


def test_a_table_of_another_layout_is_refused() -> None:
    made = lalr.table(Lark(LEAN_GRAMMAR, parser="lalr", lexer="contextual"))
    with pytest.raises(ValueError, match="layout"):
        lean.LeanParser({**made, "layout": lean.LAYOUT + 1}, Values())


def test_a_heading_a_state_does_not_take_is_lexed_as_lark_would() -> None:
    parser, built = lean_and_lark(HEADINGS_GRAMMAR, object())
    text = "Part A\nx\nPart A\nPart B\ny\n"
    tree = parser.parse(text)
    assert tree == built.parse(text)
    a_part, b_part = tree.children
    assert [(t.type, str(t)) for t in a_part.children] == [
        ("H_A", "Part A\n"),
        ("NAME", "x\n"),
        ("TEXT", "Part A\n"),
    ]
    assert [t.type for t in b_part.children] == ["H_B", "NAME"]


@pytest.mark.parametrize("text", SHAPES_TEXTS)
def test_the_lean_loop_reduces_every_shape_of_rule_as_lark_does(text: str) -> None:
    parser, built = lean_and_lark(SHAPES_GRAMMAR, Shapes())
    assert parser.parse(text) == built.parse(text)


def test_a_single_child_stands_for_a_question_mark_rule() -> None:
    parser, _ = lean_and_lark(SHAPES_GRAMMAR, Shapes())
    tree = parser.parse("pick\na\npick\nb\nc\n")
    assert tree.children == [("head",), Token("NAME", "a\n"), ("pick", "b\n", "c\n")]
    assert tree.children[1].type == "NAME"


def test_an_inlined_rule_with_a_value_of_its_own_is_refused() -> None:
    class Inlined(Shapes):
        def _pair(self, children: list[Token]) -> str:
            return "pair"

    made = lalr.table(Lark(SHAPES_GRAMMAR, parser="lalr", lexer="contextual"))
    with pytest.raises(ValueError, match="_pair"):
        lean.LeanParser(made, Inlined())


def test_a_parser_fed_tokens_reads_one_at_a_time() -> None:
    grammar = "start: NAME VALUE*\nNAME: /[a-z]+/\nVALUE: /[0-9]+/\n"
    made = lalr.table(Lark(grammar, parser="lalr", lexer=lalr.FedTokens))
    assert made["lexer"] is None
    parser = lean.LeanParser(made, object())
    interactive = parser.interactive()
    assert not interactive.may_end()
    interactive.feed(Token("NAME", "a"))
    assert interactive.may_end()
    interactive.feed(Token("VALUE", "1"))
    assert interactive.end().children == ["a", "1"]
    refused = parser.interactive()
    with pytest.raises(lean.Unexpected) as raised:
        refused.feed(Token("VALUE", "1", line=2, column=3))
    assert (raised.value.token, raised.value.line, raised.value.column) == ("1", 2, 3)
    with pytest.raises(lean.Unexpected):
        parser.interactive().end()
    # Text is not what such a parser reads.
    with pytest.raises(lean.Unexpected):
        parser.parse("a 1")


def test_the_lean_parser_compiles_its_states_through_the_pattern_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    compile_pattern = pattern_cache.compile

    def noting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        asked.append(pattern)
        return compile_pattern(pattern, flags)

    parser, built = lean_and_lark(LEAN_GRAMMAR, Values())
    monkeypatch.setattr(pattern_cache, "compile", noting)
    text = "\na\n1\nnote\nb\n22\nPart B\nx\n"
    assert parser.parse(text) == built.parse(text)
    # Each state's alternation, and Lark's check of which strings a regex terminal takes.
    assert any("(?P<NAME>" in pattern for pattern in asked)
    assert any("(?P<H_PART>" in pattern for pattern in asked)


def test_line_tokens_are_the_tokens_lark_would_make_a_line_at_a_time() -> None:
    run = Token("LINES", "first\n\nsecond line\nthird\n", line=7, column=1, start_pos=40)
    tokens = lean.line_tokens(run, "TEXT")
    expected = [
        LarkToken("TEXT", "first\n", line=7, column=1, end_line=7),
        LarkToken("TEXT", "second line\n", line=9, column=1, end_line=9),
        LarkToken("TEXT", "third\n", line=10, column=1, end_line=10),
    ]
    assert tokens == expected
    for token, wanted in zip(tokens, expected, strict=True):
        assert type(token) is Token
        for slot in ("type", "value", "line", "column", "end_line", "start_pos", "end_pos"):
            assert getattr(token, slot) == getattr(wanted, slot), slot
        assert token.end_column is None


def test_a_token_is_lark_s_shape_and_survives_pickling() -> None:
    token = Token("NAME", "a\n", 4, 2, 1, 3, 1, 6)
    lark_token = LarkToken("NAME", "a\n", 4, 2, 1, 3, 1, 6)
    slots = ("type", "value", "start_pos", "line", "column", "end_line", "end_column", "end_pos")
    assert [getattr(token, s) for s in slots] == [getattr(lark_token, s) for s in slots]
    assert repr(token) == repr(lark_token) == "Token('NAME', 'a\\n')"
    again = pickle.loads(pickle.dumps(token))
    assert type(again) is Token and [getattr(again, s) for s in slots] == [
        getattr(token, s) for s in slots
    ]
    borrowed = Token.new_borrow_pos("VALUE", "", lark_token)
    assert (borrowed.type, borrowed, borrowed.line, borrowed.end_pos) == ("VALUE", "", 2, 6)


def test_reading_a_page_imports_neither_lark_nor_regex() -> None:
    if grammar.cache_folder() is None:
        pytest.skip("no writable temporary folder: every run makes its tables with Lark")
    # The tables are on disk after the first run; the second reads a page from them.
    script = (
        "import sys, ctparse\n"
        "ctparse.parse(open(sys.argv[1], encoding='utf-8').read())\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'lark', 'regex'}))\n"
    )
    command = [sys.executable, "-c", script, str(SEED_PAGE)]
    subprocess.run(command, check=True, capture_output=True)
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"
