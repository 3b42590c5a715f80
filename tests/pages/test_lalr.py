"""The Lark internals ctparse relies on (``ctparse.pages.lalr``), each on a tiny grammar.

A Lark release that changes its parse table or interactive parser fails here, by name.
"""

from __future__ import annotations

import re

import lark
import pytest
from lark import Lark, Token

from ctparse.pages import lalr, pattern_cache

GRAMMAR = r"""
start: pair*
pair: NAME VALUE
NAME.2: /[a-z]+/ "\n"
VALUE.2: /\d+/ "\n"
"""


def interactive() -> lalr.InteractiveParser:
    parser: lalr.InteractiveParser = Lark(GRAMMAR, parser="lalr").parse_interactive("")
    return parser


def test_choices_names_the_next_terminals() -> None:
    parser = interactive()
    assert lalr.choices(parser) >= {"NAME", "$END"}
    lalr.feed(parser, Token("NAME", "a\n"))
    assert lalr.choices(parser) == {"VALUE"}


def test_accepts_walks_the_table_without_moving_the_parser() -> None:
    parser = interactive()
    before = lalr.state_stack(parser)
    assert lalr.accepts(parser, ("NAME", "VALUE", "NAME"))
    assert not lalr.accepts(parser, ("VALUE",))
    assert not lalr.accepts(parser, ("NAME", "NAME"))
    assert lalr.state_stack(parser) == before
    assert isinstance(lalr.state(parser), int)


def test_state_changes_as_tokens_are_fed() -> None:
    parser = interactive()
    first = lalr.state(parser)
    lalr.feed(parser, Token("NAME", "a\n"))
    assert lalr.state(parser) != first
    assert len(lalr.state_stack(parser)) == 2


def test_errors_carry_an_interactive_parser() -> None:
    seen: list[tuple[str, set[str]]] = []

    def on_error(error: lalr.UnexpectedInput) -> bool:
        assert isinstance(error, lalr.UnexpectedToken)
        seen.append((error.token.type, lalr.choices(error.interactive_parser)))
        return True

    Lark(GRAMMAR, parser="lalr").parse("a\n1\n2\n", on_error=on_error)
    assert seen == [("VALUE", {"NAME", "$END"})]


def test_the_lark_version_is_in_the_tested_range() -> None:
    major, minor = (int(part) for part in lark.__version__.split(".")[:2])
    if (major, minor) != (1, 3):
        pytest.fail(f"lark {lark.__version__} is outside the tested range >=1.3,<1.4")


# The lean parser: a grammar with a transformer built in, headings of high priority, a
# terminal callback, ignored blank lines and a string terminal that a regex also matches
# (Lark settles those with a callback of its own).
LEAN_GRAMMAR = r"""
start: _item*
_item: section | pair | note
section: H_PART NAME*
pair: NAME VALUE
note: "note\n"
H_PART.3: /Part [A-Z]\n/
NAME: /[a-z]+/ "\n"
VALUE: /\d+/ "\n"
%ignore /\n+/
"""


class Values(lark.Transformer[Token, object]):
    def section(self, children: list[Token]) -> tuple[str, ...]:
        return ("section", *children)

    def pair(self, children: list[Token]) -> tuple[str, int]:
        return (children[0].rstrip(), int(children[1]))

    def note(self, children: list[Token]) -> str:
        return "note"


def lean_and_lark() -> tuple[lalr.LeanParser, Lark]:
    built = Lark(LEAN_GRAMMAR, parser="lalr", lexer="contextual", transformer=Values())
    return lalr.LeanParser(built), built


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
    lean, built = lean_and_lark()
    assert lean.parse(text) == built.parse(text)


def test_the_lean_parser_keeps_token_positions() -> None:
    lean, _ = lean_and_lark()
    tree = lean.parse("\na\n1\nPart B\nx\n")
    pair, section = tree.children
    assert pair == ("a", 1)
    # A line the string terminal takes from the regex one (through Lark's own callback).
    assert lean.parse("note\nb\n2\n").children == ["note", ("b", 2)]
    heading = section[1]
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

    lean, built = lean_and_lark()
    # A stray value (line 3), then text no terminal matches at all.
    text = "a\n1\n2\nb\n3\n"
    assert lean.parse(text, on_error=on_error) == built.parse(text, on_error=on_error)
    assert seen == [("VALUE", 3), ("VALUE", 3)]
    with pytest.raises(lalr.UnexpectedInput):
        lean.parse("a\n1\n!!\n")


def test_the_lean_parser_takes_only_what_it_can_run() -> None:
    with pytest.raises(ValueError, match="contextual lexer"):
        lalr.LeanParser(Lark(GRAMMAR, parser="lalr", lexer="basic"))
    with pytest.raises(ValueError, match="contextual lexer"):
        lalr.LeanParser(Lark(GRAMMAR, parser="earley"))


# Headings that only some states take: within Part A, a second Part A line is free text.
HEADINGS_GRAMMAR = r"""
start: a_part? b_part?
a_part: H_A (NAME | TEXT)*
b_part: H_B NAME*
H_A.3: /Part A\n/
H_B.3: /Part B\n/
NAME.2: /[a-z]+\n/
TEXT: /[^\n]+\n/
"""


def test_a_heading_a_state_does_not_take_is_lexed_as_lark_would() -> None:
    built = Lark(HEADINGS_GRAMMAR, parser="lalr", lexer="contextual")
    lean = lalr.LeanParser(built)
    text = "Part A\nx\nPart A\nPart B\ny\n"
    tree = lean.parse(text)
    assert tree == built.parse(text)
    a_part, b_part = tree.children
    assert [(t.type, str(t)) for t in a_part.children] == [
        ("H_A", "Part A\n"),
        ("NAME", "x\n"),
        ("TEXT", "Part A\n"),
    ]
    assert [t.type for t in b_part.children] == ["H_B", "NAME"]


# Every shape of rule the lean loop reduces by itself: a ``_rule`` inlined into its parent,
# ``*`` runs (Lark's ``__x_star`` rules), filtered-out tokens, a ``?rule`` that a single
# child stands for, a rule without a method (a Tree), and an empty rule.
SHAPES_GRAMMAR = r"""
start: head _block*
head: TITLE?
_block: group | pick | plain | _pair
group: H_GROUP _line* _END
_line: NAME | _pair
_pair: NAME VALUE
?pick: "pick\n" NAME+
plain: H_PLAIN NAME
H_GROUP.3: /Group\n/
H_PLAIN.3: /Plain\n/
TITLE.2: /# [^\n]+\n/
_END.2: /end\n/
NAME: /[a-z]+\n/
VALUE.2: /\d+\n/
%ignore /\n+/
"""


class Shapes(lark.Transformer[Token, object]):
    def head(self, children: list[Token]) -> tuple[str, ...]:
        return ("head", *children)

    def group(self, children: list[Token]) -> tuple[object, ...]:
        return ("group", *children)

    def pick(self, children: list[Token]) -> tuple[object, ...]:
        return ("pick", *children)


SHAPES_TEXTS = [
    "",
    "# title\n",
    "# title\nGroup\na\n1\nb\nend\nx\n2\n",
    "Group\nend\npick\na\npick\nb\nc\nPlain\nd\n",
    "a\n1\n" * 50 + "Group\n" + "b\n" * 40 + "end\n",
]


@pytest.mark.parametrize("text", SHAPES_TEXTS)
def test_the_lean_loop_reduces_every_shape_of_rule_as_lark_does(text: str) -> None:
    built = Lark(SHAPES_GRAMMAR, parser="lalr", lexer="contextual", transformer=Shapes())
    lean = lalr.LeanParser(built)
    assert lean.direct
    assert lean.parse(text) == built.parse(text)


def test_a_single_child_stands_for_a_question_mark_rule() -> None:
    built = Lark(SHAPES_GRAMMAR, parser="lalr", lexer="contextual", transformer=Shapes())
    tree = lalr.LeanParser(built).parse("pick\na\npick\nb\nc\n")
    assert tree.children == [("head",), Token("NAME", "a\n"), ("pick", "b\n", "c\n")]
    assert tree.children[1].type == "NAME"


def test_direct_reductions_read_lark_s_wrappers() -> None:
    # The wrappers Lark puts around a transformer's methods: a child filter (keeping
    # ``to_include``), the single-child check of a ``?rule``, and a partial of its default
    # callback for a rule without a method; each around ``node_builder``.
    from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild

    built = Lark(SHAPES_GRAMMAR, parser="lalr", lexer="contextual", transformer=Shapes())
    callbacks = built.parser.parser.parser.callbacks
    # For each rule name, its longest expansion (``group: H_GROUP __group_star_1 _END``).
    ordered = sorted(
        (rule for rule in callbacks if not isinstance(rule, str)), key=lambda r: len(r.expansion)
    )
    by_name = {rule.origin.name: callbacks[rule] for rule in ordered}
    group = by_name["group"]
    assert isinstance(group, ChildFilterLALR_NoPlaceholders)
    assert [(index, bool(splice)) for index, splice in group.to_include] == [(0, False), (1, True)]
    pick = by_name["pick"]
    assert isinstance(pick, ChildFilterLALR_NoPlaceholders)
    assert isinstance(pick.node_builder, ExpandSingleChild)
    tree = by_name["plain"]
    assert tree.func.__name__ == "default_callback" and tree.args == ("plain",)
    reductions = lalr.direct_reductions(callbacks)
    assert reductions is not None
    inlined = {rule.origin.name for rule, (_, call) in reductions.items() if call is None}
    assert inlined == {
        "_block", "_line", "_pair", "__start_star_0", "__group_star_1", "__pick_plus_2"
    }  # fmt: skip


def test_wrappers_the_loop_does_not_know_leave_lark_s_callbacks_in_place() -> None:
    built = Lark(
        SHAPES_GRAMMAR,
        parser="lalr",
        lexer="contextual",
        transformer=Shapes(),
        propagate_positions=True,
    )
    lean = lalr.LeanParser(built)
    assert not lean.direct
    for text in SHAPES_TEXTS:
        assert lean.parse(text) == built.parse(text)


def test_the_lean_parser_compiles_its_states_through_the_pattern_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []
    compile_pattern = pattern_cache.compile

    def noting(pattern: str, flags: int = 0) -> re.Pattern[str]:
        asked.append(pattern)
        return compile_pattern(pattern, flags)

    monkeypatch.setattr(pattern_cache, "compile", noting)
    lean, built = lean_and_lark()
    text = "\na\n1\nnote\nb\n22\nPart B\nx\n"
    assert lean.parse(text) == built.parse(text)
    # Each state's alternation, and Lark's check of which strings a regex terminal takes.
    assert any("(?P<" in pattern for pattern in asked)
    assert any("(?P<" not in pattern for pattern in asked)
    # A state lexing text with ``re`` compiles through the cache, to the same patterns.
    basic = next(iter(built.parser.lexer.lexers.values()))
    assert lalr._re_of(basic) is lalr._CachedRe
    assert lalr._CachedRe.compile("a|b") == re.compile("a|b")
    assert lalr._CachedRe.match("a+", "aab", 0).group() == "aa"  # type: ignore[union-attr]


def test_line_tokens_are_the_tokens_lark_would_make_a_line_at_a_time() -> None:
    run = Token("LINES", "first\n\nsecond line\nthird\n", line=7, column=1, start_pos=40)
    tokens = lalr.line_tokens(run, "TEXT")
    expected = [
        Token("TEXT", "first\n", line=7, column=1, end_line=7),
        Token("TEXT", "second line\n", line=9, column=1, end_line=9),
        Token("TEXT", "third\n", line=10, column=1, end_line=10),
    ]
    assert tokens == expected
    for token, wanted in zip(tokens, expected, strict=True):
        assert type(token) is Token
        for slot in ("type", "value", "line", "column", "end_line", "start_pos", "end_pos"):
            assert getattr(token, slot) == getattr(wanted, slot), slot
        assert token.end_column is None
