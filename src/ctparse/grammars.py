"""The Lark grammars under ``grammars/``: shipped inside the package (the wheel force-includes
them as ``ctparse/grammars``) or read from a source checkout."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["read_grammar"]


def read_grammar(name: str) -> str:
    """The text of ``grammars/<name>``, from the installed package or the checkout."""
    packaged = resources.files("ctparse").joinpath("grammars", name)
    if packaged.is_file():
        return packaged.read_text(encoding="utf-8")
    checkout = Path(__file__).resolve().parents[2] / "grammars" / name
    return checkout.read_text(encoding="utf-8")
