"""What works on either page kind: ``parse_page`` decides the kind from the text, ``render``
from the record's type. Each kind's reader and renderer load when first asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ctparse.model import Trial
from ctparse.pages.kind import page_kind
from ctparse.pages.trial.reader import parse

if TYPE_CHECKING:
    from ctparse.model import Results
    from ctparse.pages.trial.render import Layout

__all__ = ["parse_page", "render"]


def parse_page(text: str, *, lenient: bool = False) -> Trial | Results:
    """Read a page of either kind: a text whose first line that is not blank starts
    ``Trial Outcomes & Findings for`` is a results page (``parse_results``); anything else
    is read as a trial page (``parse``), which reports what it cannot place."""
    if not isinstance(text, str):
        raise TypeError(f"parse_page() takes the page text as str, not {type(text).__name__}")
    if page_kind(text) == "results":
        from ctparse.pages.results.reader import parse_results

        return parse_results(text, lenient=lenient)
    return parse(text, lenient=lenient)


def render(record: Trial | Results, layout: Layout = "bare") -> str:
    """The page text of a Trial (trial page) or Results (results page) in the given layout
    (``bare`` or ``labelled``)."""
    from ctparse.model import Results

    if isinstance(record, Results):
        from ctparse.pages.results.render import render_results

        return render_results(record, layout)
    if isinstance(record, Trial):
        from ctparse.pages.trial.render import render as render_trial

        return render_trial(record, layout)
    raise TypeError(f"render() takes a Trial or Results, not {type(record).__name__}")
