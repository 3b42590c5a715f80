"""Telling a page's kind from its text: a results page starts ``Trial Outcomes & Findings
for``; anything else is read as a trial page (whose reader reports what it cannot place)."""

from __future__ import annotations

from typing import Literal

from ctparse.pages.results.vocabulary import TITLE_PREFIX

__all__ = ["PageKind", "page_kind"]

PageKind = Literal["trial", "results"]


def page_kind(text: str) -> PageKind:
    """``results`` when the first line that is not blank starts a results page. Reads only
    as far as that line: every page of a dump is classified."""
    body = text.lstrip("\ufeff")
    start = len(body) - len(body.lstrip())
    return "results" if body.startswith(TITLE_PREFIX, start) else "trial"
