"""Tiny grammars that the lean parser and the table Lark's analysis is written to are
checked on (tests/pages/test_lean.py, test_lalr.py)."""

from __future__ import annotations

from ctparse.pages.tokens import Token

# Headings of high priority, ignored blank lines, and a string terminal that a regex also
# matches (Lark settles those with a callback of its own).
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


class Values:
    def section(self, children: list[Token]) -> tuple[str, ...]:
        return ("section", *children)

    def pair(self, children: list[Token]) -> tuple[str, int]:
        return (children[0].rstrip(), int(children[1]))

    def note(self, children: list[Token]) -> str:
        return "note"


# Every shape of rule the lean loop reduces: a ``_rule`` inlined into its parent, ``*``
# runs (Lark's ``__x_star`` rules), filtered-out tokens, a ``?rule`` that a single child
# stands for, a rule without a method (a Tree), and an empty rule.
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


class Shapes:
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
