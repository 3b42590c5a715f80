"""Telling a page's kind from its text: a results page starts ``Trial Outcomes & Findings
for``; anything else is read as a trial page (whose reader reports what it cannot place)."""

from __future__ import annotations

from typing import Literal

__all__ = ["PageKind", "page_kind"]

PageKind = Literal["trial", "results"]

RESULTS_TITLE_PREFIX = "Trial Outcomes & Findings for "


def page_kind(text: str) -> PageKind:
    """``results`` when the first line that is not blank starts a results page."""
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            return "results" if line.lstrip().startswith(RESULTS_TITLE_PREFIX) else "trial"
    return "trial"
