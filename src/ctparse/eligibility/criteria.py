"""Eligibility criteria: the registry's markdown lines to a tree of ``Criterion``, and back.

(Over 400 lines: the reader and its inverse share the header and marker rules and stay
together, so that ``format_criteria`` writes only what ``parse_criteria`` reads back.)

Rules of ``parse_criteria`` (one pass, linear):

* Every non-blank line is either a consumed header or exactly one criterion; nothing is dropped.
  A line that is only a marker (``-``, ``\\-``) is a criterion whose text is that marker.
* Headers switch the section.  ``[≤3 words] Inclusion|Exclusion|Non-inclusion|Ineligibility
  [Criteria] [short qualifier][:]``, any case, any indentation, with ``**``/``__``/``#``
  decoration or a trailing ``:-``.  Sentences are not headers: no stop words (``not``, ``meet``,
  ``may``, ``apply`` ...), no sentence punctuation, a short qualifier unless the line ends with
  ``:``.  ``Eligibility Criteria`` and ``Inclusion and Exclusion Criteria`` name neither side, so
  what follows them goes to ``other``, like everything before the first header.  A header glued
  to text (``Exclusion Criteria:Patients with``, ``Inclusion criteria. Age ≥22.``) is split; a
  glued lone marker (``Exclusion Criteria:1.``) is part of the header.  A bullet (``*``, ``-``
  ...) is a header only if it ends with an unescaped ``:`` or is bold, so that ``format_criteria``
  can write any text as a bullet; a numbered or lettered line (``I. INCLUSION CRITERIA``) needs
  neither.
* A header with a qualifier (``Key Inclusion Criteria:``, ``Inclusion Criteria (Controls):``,
  ``Pre-Operative Exclusion Criteria:``, ``Exclusion criteria for biomarkers substudy ...:``)
  switches the section too, and is a *group node* there: a ``Criterion`` whose text is the
  header line as written (stripped; marker and decoration kept, nothing removed) and whose
  children are the criteria up to the next header.  A criterion glued after it
  (``Study Exclusion Criteria. History of ...``) is its first child.  A plain header (keyword
  and ``criteria`` only, any case and decoration) makes no node, as before.
  ``format_criteria`` writes the group nodes at the end of a side back as their header line
  with their children under it; a group node followed by a plain criterion is written as a
  bullet holding its children (a header cannot be closed), which reads back the same.
* One leading marker is removed: ``* - + • · ▪ o``, ``-Text``, ``1. 1) (1) 1、 ①``, ``a. a) (a)``,
  ``A.``, roman ``i. iv) (ii)`` (a lone ``i``/``v``/``x`` is a letter only right after ``h``/``u``/
  ``w``), escaped forms (``\\-``, ``1\\.``).  An ordered marker needs a space or a capital / CJK
  letter after it (``9.The``; ``1.5 mg`` is text).  Then escapes are undone and the text stripped.
* Nesting: a line indented deeper than the open item is its child.  At the same indentation
  (indentation lost) a line whose marker kind differs from the line above is its child when that
  line ends with ``:`` (``1. One of:`` then ``* a``), unless it continues the numbering of an
  open item (``2.`` after ``a. x:``) or is a paragraph after a paragraph; or when an ordered list
  starts at 1/a/i under a shallower outline level (``1.`` then ``a.`` or ``(1)``; ``a.`` then
  ``i.``).  Otherwise a line whose marker kind matches an open item at that indentation is that
  item's sibling, and any other line a sibling of the line above.  Plain paragraphs are a marker
  kind of their own: between top-level bullets they are top-level criteria of the current
  section; bullets after a ``Smokers:`` line are its children; an indented paragraph is a child.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from ctparse.eligibility.constraints import constraints
from ctparse.model import Criterion
from ctparse.pages.markdown import escape, unescape

__all__ = ["criteria_lines", "format_criteria", "parse_criteria"]

INCLUSION_HEADER: Final = "Inclusion Criteria"
EXCLUSION_HEADER: Final = "Exclusion Criteria"

# One leading list marker.  Every alternative is anchored and bounded: no nested repetition.
_MARKER: Final = re.compile(
    r"""
    (?:
        (?P<bullet>\\?[*+\-\u2013\u2014])[ \t\u00a0]+
      | \\?(?P<dash>-)(?=[^\W\d_])
      | (?P<glyph>[•·▪▫◦●○■□►▸➢➤✓✔‣\u2043∙])[ \t\u00a0]*
      | (?P<oh>o)[ \t\u00a0]+
      | (?:
            \\?\((?P<pval>[0-9]{1,3}|[a-zA-Z]|[ivxIVX]{2,5})\\?\)
          | (?P<val>[0-9]{1,3}|[a-zA-Z]|[ivxIVX]{2,5})\\?(?P<delim>[.)、\uff0e])
        )
        (?P<space>[ \t\u00a0]+|(?<=[、\uff0e])|(?=[^\W\d_]))
      | (?P<circled>[①-⑳])[ \t\u00a0]*
    )
    """,
    re.VERBOSE,
)

# [≤3 words] keyword [and/or other keyword] [criteria] tail.  Prefix words hold no colon.
_HEADER: Final = re.compile(
    r"""(?isx)
    (?P<prefix>(?:[^\s:]+[ \t]+){0,3}?)
    (?P<kw>non[- ]?inclusions?|inclusions?|inclusión|exclusions?|exclusión|ineligibility
          |eligibility)
    (?![^\W_]|-)
    (?P<both>[ \t]*(?:/|&|and|or)[ \t]*(?:inclusion|exclusion|inclusión|exclusión))?
    (?P<crit>[ \t]+(?:criteria|criterion|criterias|requirements))?
    (?![^\W_])
    (?P<tail>.*)
    """
)
_CRITERIA_FOR: Final = re.compile(
    r"(?i)criteria[ \t]+(?:for|of)[ \t]+(?:study[ \t]+)?(?P<kw>inclusion|exclusion|non-inclusion"
    r"|eligibility)$"
)
# What follows a glued header: ``:`` or ``.``, then the first criterion's text.
_GLUE: Final = re.compile(r"(?:\*\*|__)?[ \t]*(?P<sep>[:\uff1a.])(?:\*\*|__)?[ \t]*(?P<rest>\S.*)")
# A glued remainder that is only a marker (``Exclusion Criteria:1.``) belongs to the header.
_LONE_MARKER: Final = re.compile(r"(?:\d{1,3}|[a-zA-Z])?\\?[.)]?|\\?[-*•]")
_WORD: Final = re.compile(r"[^\W\d_]+")
_STOP_PREFIX: Final = frozenset(
    (
        *("not", "no", "none", "meet", "meets", "met", "meeting", "any", "all", "of", "the"),
        *("to", "does", "do", "did", "who", "which", "that", "with", "without", "see", "per"),
        *("fail", "fails", "failed", "failure", "these", "those", "this", "for", "in", "on"),
        *("by", "from", "if", "as", "be"),
    )
)
_STOP_SUFFIX: Final = frozenset(
    (
        *("is", "are", "was", "were", "be", "been", "being", "may", "might", "apply", "applies"),
        *("applied", "will", "must", "should", "shall", "can", "could", "not", "no", "met"),
        *("meet", "meets", "include", "includes", "included", "see", "above"),
    )
)
# Words before the keyword that only say "criteria" (``Criterios de inclusión``).
_PLAIN_PREFIX: Final = frozenset(("criterios", "criterio", "de", "del"))
# Fullwidth forms too: translated records use them.
_COLONS: Final = ":\uff1a"
_COLON_TUPLE: Final = (":", "\uff1a")
_DASHES: Final = "-\u2013\u2014"
_EXCLUDING: Final = frozenset(("exclusion", "exclusions", "exclusión", "ineligibility"))

_OTHER: Final = 0
_INCLUSION: Final = 1
_EXCLUSION: Final = 2
# The marker kind of an open group node (a qualified header): no line has it.
_GROUP: Final = "group"

# Outline levels of ordered classes: I. > A. > 1. > a. > i.
_RANK: Final = {"I": 0, "A": 1, "n": 2, "a": 3, "i": 4}
_ROMAN: Final = {"i": 1, "v": 5, "x": 10}
# How far back along one indentation the parser looks for a matching marker kind.
_RUN_LIMIT: Final = 32


def criteria_lines(markdown: str) -> list[str]:
    """The lines a page prints for a registry eligibilityCriteria markdown string."""
    lines = []
    for line in markdown.splitlines():
        line = line.rstrip()
        if line:
            lines.append(line)
    return lines


def _roman(value: str) -> int | None:
    """The value of a roman numeral of i, v, x (``iv`` is 4), or None if it is not one."""
    low = value.lower()
    total = 0
    for i, char in enumerate(low):
        digit = _ROMAN[char]
        if i + 1 < len(low) and _ROMAN[low[i + 1]] > digit:
            total -= digit
        else:
            total += digit
    if total <= 0 or _to_roman(total) != low:
        return None
    return total


def _to_roman(number: int) -> str:
    out = []
    for value, symbol in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out.append(symbol)
            number -= value
    return "".join(out)


# A header: (section, glued remainder or None, whether it has a qualifier).
_Header = tuple[int, str | None, bool]


def _header_section(line: str, *, glue: bool) -> _Header | None:
    """``(section, glued remainder, qualified)`` if ``line`` (stripped, raw) is a header.

    Qualified: words beside the keyword and ``criteria`` (``Key``, ``(Controls)``, ``for
    biomarkers substudy``); decoration, case, a colon or a glued marker are not qualifiers.
    """
    # Cheap gate: the keyword comes within the first four words of a header.
    head = line[:120].lower()
    if "clus" not in head and "ligib" not in head:
        return None
    core = line.lstrip("#*_ \t")
    if core[:8].lower() == "criteria":
        match = _CRITERIA_FOR.match(core.rstrip("*_ \t." + _COLONS + _DASHES))
        if match is not None:
            return _section_of(match["kw"].lower(), both=False), None, False
    match = _HEADER.match(core)
    if match is None:
        return None
    prefix = match["prefix"].split()
    if any(word.lower().strip("()-") in _STOP_PREFIX for word in prefix):
        return None
    section = _section_of(match["kw"].lower(), both=bool(match["both"]))
    start = match.start("tail")
    end = max(len(core.rstrip("*_ \t." + _COLONS + _DASHES)), start)
    colon = any(char in _COLONS for char in core[end:])
    tail = core[start:end]
    if not tail:
        if match["crit"] is None and prefix and not colon:
            return None
        return section, None, _qualified(prefix)
    glued = _GLUE.fullmatch(tail)
    if glued is not None:
        if not glue or (match["crit"] is None and glued["sep"] == "."):
            return None
        rest = core[start + glued.start("rest") :]
        if _LONE_MARKER.fullmatch(rest) or not rest.strip("*_. \t" + _COLONS + _DASHES):
            return section, None, _qualified(prefix)
        return section, rest, _qualified(prefix)
    if match["crit"] is None or tail[0] not in " \t(":
        return None
    words = _WORD.findall(tail)
    if colon:
        if len(words) > 15 or ". " in tail or ";" in tail:
            return None
    elif (
        len(words) > 6
        or any(char in tail for char in ".,;")
        or any(word.lower() in _STOP_SUFFIX for word in words)
    ):
        return None
    return section, None, True


def _qualified(prefix: list[str]) -> bool:
    """Whether words before the keyword qualify it (``Key``, ``Pre-Operative``)."""
    return any(word.lower() not in _PLAIN_PREFIX for word in prefix)


def _section_of(keyword: str, *, both: bool) -> int:
    if both or keyword == "eligibility":
        return _OTHER
    if keyword in _EXCLUDING or keyword.startswith("non"):
        return _EXCLUSION
    return _INCLUSION


def _bullet_header(content: str) -> bool:
    """Whether a bullet's raw content is a header: it must end with ``:`` or be bold."""
    bold = content.startswith(("**", "__")) and content.rstrip(":").endswith(("**", "__"))
    colon = content.endswith(":") and not content.endswith("\\:")
    return (bold or colon) and _header_section(content, glue=False) is not None


# An open criterion while its children are still being read:
# (indent, marker kind, outline rank, ordinal, ends with a colon, text, children).
# The rank of an ordered marker is its outline level, -1 for bullets and paragraphs; the
# ordinal is its number (1 for 1, a, i, A, I, ①), 0 when unordered.  A tuple: this runs per line.
_Open = tuple[int, str, int, int, bool, str, list[Criterion]]


def _marker(line: str, indent: int, stack: list[_Open]) -> tuple[str, int, int, str]:
    """``(kind, rank, ordinal, raw content)`` of a stripped line; kind ``text`` if unmarked."""
    match = _MARKER.match(line)
    if match is None or match.end() == len(line):
        return "text", -1, 0, line
    # Glued to the text, an ordered marker needs a capital or caseless letter: ``9.The``, not
    # ``e.g.``.
    glued = match["space"] == "" and match["delim"] not in ("、", "\uff0e")
    if glued and line[match.end()].islower():
        return "text", -1, 0, line
    content = line[match.end() :]
    bullet = match["bullet"] or match["dash"] or match["glyph"] or match["oh"]
    if bullet is not None:
        return bullet.lstrip("\\"), -1, 0, content
    if match["circled"] is not None:
        return "nc", _RANK["n"], ord(match["circled"]) - 0x245F, content
    value = match["pval"] or match["val"]
    delim = "(" if match["pval"] else match["delim"]
    if delim in "、\uff0e":
        delim = "."
    if value.isdigit():
        return "n" + delim, _RANK["n"], int(value), content
    if len(value) > 1:
        number = _roman(value)
        if number is None:
            return "text", -1, 0, line
        cls = "i" if value.islower() else "I"
        return cls + delim, _RANK[cls], number, content
    cls = "a" if value.islower() else "A"
    letter = ord(value.lower()) - 96
    if value.lower() in _ROMAN:
        # A lone i / v / x is a letter only right after h / u / w in the same list.
        roman = "i" if value.islower() else "I"
        after_letter = _open_ordinal(stack, indent, cls + delim) == letter - 1
        number = _ROMAN[value.lower()]
        if not after_letter and (
            number == 1 or _open_ordinal(stack, indent, roman + delim) == number - 1
        ):
            return roman + delim, _RANK[roman], number, content
    return cls + delim, _RANK[cls], letter, content


def _open_ordinal(stack: list[_Open], indent: int, kind: str) -> int:
    """The ordinal of the nearest open item of ``kind`` at ``indent``, or -1."""
    for item in reversed(stack[-_RUN_LIMIT:]):
        if item[0] < indent:
            break
        if item[0] == indent and item[1] == kind:
            return item[3]
    return -1


def _pop(stack: list[_Open], root: list[Criterion]) -> None:
    """Close the innermost open item: it becomes a ``Criterion`` of its parent."""
    item = stack.pop()
    done = Criterion(text=item[5], children=tuple(item[6]), constraints=constraints(item[5]))
    (stack[-1][6] if stack else root).append(done)


def _place(
    stack: list[_Open], root: list[Criterion], indent: int, kind: str, rank: int, ordinal: int
) -> None:
    """Close the open items that the new line cannot be a child of."""
    while stack and stack[-1][0] > indent:
        _pop(stack, root)
    if not stack or stack[-1][0] < indent:
        return
    top = stack[-1]
    if kind == top[1]:
        _pop(stack, root)
        return
    ancestor = _ancestor(stack, indent, kind)
    if top[4] and (ancestor is None or (kind != "text" and ordinal != stack[ancestor][3] + 1)):
        return  # lost indentation after "...:": a child of the line above
    if ancestor is not None:
        while len(stack) > ancestor:
            _pop(stack, root)
    elif not (rank >= top[2] >= 0 and ordinal == 1):
        # Not a sub-list starting at 1 / a / i under a shallower outline level: a sibling.
        _pop(stack, root)


def _ancestor(stack: list[_Open], indent: int, kind: str) -> int | None:
    """The index of the nearest open item at ``indent`` with marker ``kind``, below the top."""
    for i in range(len(stack) - 2, max(len(stack) - _RUN_LIMIT, 0) - 1, -1):
        if stack[i][0] != indent:
            return None
        if stack[i][1] == kind:
            return i
    return None


def _line_marker(line: str, indent: int, stack: list[_Open]) -> tuple[str, int, int, str]:
    if line[:2] == "* ":  # the common bullet, without the regex
        return "*", -1, 0, line[2:].lstrip(" \t\u00a0")
    return _marker(line, indent, stack)


def _line_header(kind: str, rank: int, content: str) -> _Header | None:
    """The header a line is, given its marker kind, rank and raw content, or None."""
    if kind == "text" or rank >= 0:
        return _header_section(content, glue=kind == "text")
    if (content[-1] == ":" or content[0] in "*_") and _bullet_header(content):
        return _header_section(content, glue=False)
    return None


def parse_criteria(
    lines: Sequence[str],
) -> tuple[tuple[Criterion, ...], tuple[Criterion, ...], tuple[Criterion, ...]]:
    """Split the eligibility criteria lines of a page into (inclusion, exclusion, other)."""
    sections: tuple[list[Criterion], list[Criterion], list[Criterion]] = ([], [], [])
    root = sections[_OTHER]
    stack: list[_Open] = []
    for raw in lines:
        line = raw.lstrip()
        if not line:
            continue
        indent = len(raw) - len(line)
        line = line.rstrip()
        kind, rank, ordinal, content = _line_marker(line, indent, stack)
        header = _line_header(kind, rank, content)
        if header is not None:
            while stack:
                _pop(stack, root)
            root = sections[header[0]]
            if header[2]:
                # A qualified header is a group node: its text is the header as written, its
                # children the criteria up to the next header (indent -1: all lines are deeper).
                text = line if header[1] is None else line[: len(line) - len(header[1])].rstrip()
                stack.append((-1, _GROUP, -1, 0, False, text, []))
            if header[1] is None:
                continue
            kind, rank, ordinal, content = _marker(header[1], indent, stack)
        text = (unescape(content) if "\\" in content else content).strip() or content
        if stack:
            top = stack[-1]
            if top[0] == indent and top[1] == kind:  # the common sibling, inlined
                del stack[-1]
                done = Criterion(
                    text=top[5], children=tuple(top[6]), constraints=constraints(top[5])
                )
                (stack[-1][6] if stack else root).append(done)
            else:
                _place(stack, root, indent, kind, rank, ordinal)
        stack.append((indent, kind, rank, ordinal, text.endswith(_COLON_TUPLE), text, []))
    while stack:
        _pop(stack, root)
    other, inclusion, exclusion = sections
    return tuple(inclusion), tuple(exclusion), tuple(other)


def _bullet_text(text: str) -> str:
    """Escape a criterion's text so that, written after ``* ``, it reads back as itself."""
    content = escape(text)
    if _bullet_header(content):
        content = content[:-1] + "\\:"
    return content


def _walk(criteria: Sequence[Criterion]) -> Iterator[tuple[int, Criterion]]:
    """Depth-first ``(depth, criterion)``, without recursion: trees may be deep."""
    stack = [iter(criteria)]
    while stack:
        for criterion in stack[-1]:
            yield len(stack) - 1, criterion
            if criterion.children:
                stack.append(iter(criterion.children))
            break
        else:
            stack.pop()


def _group_line(criterion: Criterion, side: int) -> bool:
    """Whether a top-level criterion reads back as itself when written as a header line."""
    line = criterion.text
    if not line or line != line.strip() or "\n" in line or "\r" in line:
        return False
    kind, rank, _, content = _line_marker(line, 0, [])
    header = _line_header(kind, rank, content)
    return header is not None and header[0] == side and header[1] is None and header[2]


def format_criteria(
    inclusion: Sequence[Criterion],
    exclusion: Sequence[Criterion],
    other: Sequence[Criterion],
) -> list[str]:
    """The lines a page prints for these criteria.

    ``parse_criteria(format_criteria(i, e, o)) == (i, e, o)``.  Group nodes at the end of a
    side are written as their header line with their children under it; anything else is a
    bullet (a group node before a plain criterion too: a header cannot be closed).
    """
    lines: list[str] = []
    # Always bullets: a bare line could read as a header, an age, a sex or a Yes/No value.
    sections = (
        (None, _OTHER, other),
        (INCLUSION_HEADER, _INCLUSION, inclusion),
        (EXCLUSION_HEADER, _EXCLUSION, exclusion),
    )
    for header, side, criteria in sections:
        groups = len(criteria)
        while groups and _group_line(criteria[groups - 1], side):
            groups -= 1
        if header is not None and groups:
            lines.append(header)
        _bullets(criteria[:groups], lines)
        for group in criteria[groups:]:
            lines.append(group.text)
            _bullets(group.children, lines)
    return lines


def _bullets(criteria: Sequence[Criterion], lines: list[str]) -> None:
    for depth, criterion in _walk(criteria):
        lines.append("  " * depth + "* " + _bullet_text(criterion.text))
