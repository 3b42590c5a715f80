"""The Lark internals ctparse relies on (``ctparse.pages.lalr``), each on a tiny grammar.

A Lark release that changes its parse table, its callbacks' wrappers, its lexer states or
its interactive parser fails here, by name.
"""

from __future__ import annotations

import lark
import pytest
from lark import Lark, Token
from lark.parsers.lalr_analysis import Shift

from ctparse.pages import lalr, lean
from ctparse.pages.tokens import Token as OwnToken
from support.grammars import SHAPES_GRAMMAR, Shapes

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


def test_a_table_reads_lark_s_wrappers() -> None:
    # The wrappers Lark puts around a rule's callback: a child filter (keeping
    # ``to_include``), the single-child check of a ``?rule``, each around ``node_builder``.
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
    rules = {
        (origin, size): (kept, single, name)
        for origin, size, kept, single, name in lalr.table(built)["rules"]
    }
    assert rules["group", 3] == ([[0, False], [1, True]], False, "group")
    assert rules["pick", 2] == ([[1, True]], True, "pick")
    assert rules["plain", 2] == (None, False, "plain")
    inlined = {origin for origin, _ in rules if origin.startswith("_")}
    assert inlined == {
        "_block", "_line", "_pair", "__start_star_0", "__group_star_1", "__pick_plus_2"
    }  # fmt: skip


def test_a_table_holds_lark_s_states_and_its_lexers_alternations() -> None:
    built = Lark(SHAPES_GRAMMAR, parser="lalr", lexer="contextual")
    analysis = built.parser.parser.parser.parse_table
    made = lalr.table(built)
    assert made["layout"] == lean.LAYOUT
    assert (made["start"], made["end"]) == (
        analysis.start_states["start"],
        analysis.end_states["start"],
    )
    assert len(made["rows"]) == len(analysis.states)
    for state, row in enumerate(made["rows"]):
        kinds = {made["symbols"][number] for number in row[::2]}
        assert kinds == set(analysis.states[state])
        pairs = zip(row[::2], row[1::2], strict=True)
        shifts = {made["symbols"][n]: step for n, step in pairs if step >= 0}
        assert shifts == {
            kind: state for kind, (action, state) in analysis.states[state].items()
            if action is Shift
        }  # fmt: skip
    lexer = made["lexer"]
    assert len(lexer["states"]) == len(analysis.states)
    regexes = {t.name: t.pattern.to_regexp() for t in built.terminals}
    assert lexer["terminals"] == regexes
    # The headings: one shared regex, the states that try them first leaving them to it.
    assert lexer["shared"] == ["H_GROUP", "H_PLAIN"]
    basics = built.parser.lexer.lexers
    for state, number in enumerate(lexer["states"]):
        heads, own, retype, newlines, ignored = lexer["lexers"][number]
        # In Lark's order; "pick\n" (``__ANON_0``) is a NAME to the scanner, retyped after.
        tried = [t.name for t in basics[state].terminals if t.name != "__ANON_0"]
        assert heads + own == tried
        assert set(heads) <= {"H_GROUP", "H_PLAIN"}
        keyword = "__ANON_0" in {t.name for t in basics[state].terminals}
        assert retype == ({"NAME": ["__ANON_0"]} if keyword else {})
        assert ignored == ["__IGNORE_0"]
        assert set(newlines) <= {t.name for t in basics[state].terminals}
    assert any(heads for heads, *_ in lexer["lexers"])


def test_a_table_is_made_only_of_what_the_lean_loop_runs() -> None:
    with pytest.raises(ValueError, match="contextual lexer"):
        lalr.table(Lark(GRAMMAR, parser="lalr", lexer="basic"))
    with pytest.raises(ValueError, match="contextual lexer"):
        lalr.table(Lark(GRAMMAR, parser="earley"))
    positions = Lark(SHAPES_GRAMMAR, parser="lalr", lexer="contextual", propagate_positions=True)
    with pytest.raises(ValueError, match="callback wrapper"):
        lalr.table(positions)


def test_a_string_terminal_a_regex_takes_is_retyped_as_lark_does() -> None:
    grammar = r"""
    start: (WORD | IF)*
    IF: "if"
    WORD: /[a-z]+/
    %ignore " "
    """
    built = Lark(grammar, parser="lalr", lexer="contextual")
    retyped = [lexer[2] for lexer in lalr.table(built)["lexer"]["lexers"]]
    assert {"WORD"} == {kind for retype in retyped for kind in retype}
    parser = lean.LeanParser(lalr.table(built), object())
    tree = parser.parse("if iffy if")
    assert [(token.type, str(token)) for token in tree.children] == [
        ("IF", "if"), ("WORD", "iffy"), ("IF", "if")
    ]  # fmt: skip


def test_lark_s_tokens_reach_a_transformer_as_ctparse_tokens() -> None:
    seen: list[type] = []

    class Pairs:
        def pair(self, children: list[OwnToken]) -> str:
            seen.extend(type(child) for child in children)
            return "pair"

    built = Lark(GRAMMAR, parser="lalr", lexer="contextual", transformer=lalr.OwnTokens(Pairs()))
    tree = built.parse("a\n1\nb\n2\n")
    assert tree.children == ["pair", "pair"]
    assert seen == [OwnToken] * 4
    # A name the transformer lacks is a name Lark builds a tree for.
    assert not hasattr(lalr.OwnTokens(Pairs()), "start")


def test_lark_s_errors_reach_the_lean_parser_s_caller_as_unexpected() -> None:
    parse = lalr.lark_parse(Lark(GRAMMAR, parser="lalr", lexer="contextual"))
    with pytest.raises(lean.Unexpected) as raised:
        parse("a\n1\n!!\n", None)
    assert (raised.value.line, raised.value.column) == (3, 1)
    assert isinstance(raised.value.__cause__, lalr.UnexpectedInput)
