"""Each observer's words - how findings and docs/conventions.md say its aspects and choices -
are in the data file beside its module (dimensions.words_of); the values are the module's.
These tests keep the two in step: a word for a value the module no longer names, or a value
an observer reports with no word for it, fails."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import mindgap
from mindgap.conventions import casing
from mindgap.conventions.dimensions import WORD_TABLES, _data_file, _declared, documented_observers
from mindgap.conventions.model import Observer, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex

DIMENSIONS = Path(mindgap.__file__).parent / "conventions" / "dimensions"
MODULES = [name for name, _ in _declared()]


def strings_named_in(module: str) -> set[str]:
    """The module's string literals, and what comes before a "/" in them (an aspect made
    per module, f"form/{module}", is the aspect "form")."""
    tree = ast.parse((DIMENSIONS / f"{module}.py").read_text(encoding="utf-8"))
    literals = [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    return {*literals, *(literal.split("/", 1)[0] for literal in literals)}


@pytest.mark.parametrize("module", MODULES)
def test_every_word_is_for_a_value_its_module_names(module: str) -> None:
    named = strings_named_in(module)
    data = _data_file(module)
    assert set(data) - {"what", "why", "example", "use_instead"} <= set(WORD_TABLES)
    assert data["aspects"], module
    for table in WORD_TABLES:
        unnamed = [value for value in data.get(table, {}) if value not in named]
        assert unnamed == [], f"{module}.toml [{table}]: {unnamed} not in {module}.py"


@pytest.mark.parametrize("module", MODULES)
def test_every_observer_words_its_choices(module: str) -> None:
    (observer,) = dict(_declared())[module]
    if observer.dimension == "naming" and "choices" not in _data_file(module):
        assert dict(observer.choices) == casing.STYLE_WORDS
    else:
        assert dict(observer.choices) == _data_file(module)["choices"]


def parsed(language: str, text: str, path: str) -> SourceFile:
    tree = language_named(language).parser().parse(text.encode("utf-8"))
    return SourceFile(path, language, LineIndex(text), tree, False)


def observed(observer: Observer, source: SourceFile) -> list[tuple[str, str]]:
    return [(o.aspect, o.choice) for o in observer.observe(source)]


def unworded(observer: Observer, found: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [
        (aspect, choice)
        for aspect, choice in found
        if not observer.offers(aspect) or choice not in observer.choices
    ]


def test_what_observers_report_on_their_own_examples_is_worded() -> None:
    seen = 0
    for observer, prose in documented_observers():
        for language in sorted(observer.languages):
            for text in (prose.example, prose.use_instead):
                found = observed(observer, parsed(language, text, "src/example"))
                seen += len(found)
                assert unworded(observer, found) == [], (observer.dimension, language)
    assert seen > 50


def test_what_the_python_observers_report_on_mindgaps_own_code_is_worded() -> None:
    package = Path(mindgap.__file__).parent
    files = sorted(package.rglob("*.py"))
    observers = [o for o, _ in documented_observers() if "python" in o.languages]
    reported = set()
    for path in files:  # each file parsed once, for every observer
        text = path.read_text(encoding="utf-8")
        source = parsed("python", text, str(path.relative_to(package)))
        for observer in observers:
            found = observed(observer, source)
            assert unworded(observer, found) == [], (observer.dimension, path.name)
            reported.update((observer.dimension, choice) for _, choice in found)
    assert len(reported) > 20
