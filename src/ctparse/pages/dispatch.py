"""What works on either page kind: ``parse_page`` decides the kind from the text, ``render``
from the record's type."""

from __future__ import annotations

from ctparse.model import Results, Trial
from ctparse.pages.kind import page_kind
from ctparse.pages.results.reader import parse_results
from ctparse.pages.results.render import render_results
from ctparse.pages.trial.reader import parse
from ctparse.pages.trial.render import Layout
from ctparse.pages.trial.render import render as render_trial

__all__ = ["parse_page", "render"]


def parse_page(text: str, *, lenient: bool = False) -> Trial | Results:
    """Read a page of either kind: a text whose first line that is not blank starts
    ``Trial Outcomes & Findings for`` is a results page (``parse_results``); anything else
    is read as a trial page (``parse``), which reports what it cannot place."""
    if not isinstance(text, str):
        raise TypeError(f"parse_page() takes the page text as str, not {type(text).__name__}")
    if page_kind(text) == "results":
        return parse_results(text, lenient=lenient)
    return parse(text, lenient=lenient)


def render(record: Trial | Results, layout: Layout = "bare") -> str:
    """The page text of a Trial (trial page) or Results (results page) in the given layout
    (``bare`` or ``labelled``)."""
    if isinstance(record, Results):
        return render_results(record, layout)
    if isinstance(record, Trial):
        return render_trial(record, layout)
    raise TypeError(f"render() takes a Trial or Results, not {type(record).__name__}")
