"""The public names of ``ctparse``: each is the object of the module that defines it, and
importing the package loads none of them until asked (a page parse loads only its own path)."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

import ctparse


def test_every_public_name_has_a_source() -> None:
    assert set(ctparse._SOURCE_OF) == set(ctparse.__all__) - {"__version__"}


@pytest.mark.parametrize("name", sorted(set(ctparse.__all__) - {"__version__"}))
def test_every_public_name_is_its_module_s_object(name: str) -> None:
    module_name, attribute = ctparse._SOURCE_OF[name]
    module = importlib.import_module(module_name)
    expected = getattr(module, attribute) if attribute else module
    assert getattr(ctparse, name) is expected
    assert name in dir(ctparse)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        _ = ctparse.nothing_here  # type: ignore[attr-defined]


def loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    return set(out.split())


def test_import_loads_nothing_and_a_parse_loads_only_its_path() -> None:
    assert not {m for m in loaded_after("import ctparse") if m.startswith("ctparse.")}
    after_parse = loaded_after("import ctparse\nctparse.parse('Title\\nNCT ID: NCT01234567\\n')")
    assert "ctparse.pages.trial.reader" in after_parse
    for module in ("ctparse.tables", "ctparse.formats", "ctparse.batch", "ctparse.cli"):
        assert module not in after_parse
    # Nor the results page's model, the JSON converters, the grammar lookup by package.
    for module in ("ctparse.model.results", "cattrs", "importlib.resources", "pathlib"):
        assert module not in after_parse


def test_the_model_lists_the_results_classes_it_imports_on_first_use() -> None:
    import ctparse.model
    from ctparse.model import results

    assert tuple(results.__all__) == ctparse.model._RESULTS_NAMES
    assert set(results.__all__) <= set(ctparse.model.__all__)
    assert ctparse.model.Results is results.Results
    with pytest.raises(AttributeError, match="no attribute 'Nothing'"):
        _ = ctparse.model.Nothing
