"""Convention observers, one small module per dimension and language family.

Every module in this package that defines `OBSERVERS` (a list of conventions.model.Observer)
is picked up by `all_observers()`; adding a dimension means adding a module, and beside it
a data file of the same name (`python_quotes.toml` for python_quotes.py) with its words: how
findings and docs/conventions.md say its aspects and choices (`words_of`), and the prose the
page shows for it: what it checks, why, an example and what to use instead.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

from mindgap.conventions.model import Observer, Prose

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@cache
def _declared() -> tuple[tuple[str, tuple[Observer, ...]], ...]:
    """(module name, its observers) for every observer module, by module name."""
    declared = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        observers = tuple(getattr(loaded, "OBSERVERS", []))
        if observers:
            declared.append((module.name, observers))
    return tuple(declared)


@cache
def all_observers() -> tuple[Observer, ...]:
    return tuple(observer for _, observers in _declared() for observer in observers)


def observers_for(language: str) -> list[Observer]:
    return [observer for observer in all_observers() if language in observer.languages]


class Words(NamedTuple):
    aspects: dict[str, str]  # aspect -> what it is, in a message: {"function": "function names"}
    choices: dict[str, str]  # choice -> how to say it: {"f-string": "f-strings"}


WORD_TABLES = ("aspects", "choices")


def words_of(module: str) -> Words:
    """How findings and docs/conventions.md say the aspects and choices of the observer in
    `module` (its __name__): the [aspects] and [choices] tables of the data file beside it.
    The choices are the module's own values (its constants, its literals); the file words
    them. Naming observers take their choices' words from casing.STYLE_WORDS instead."""
    data = _data_file(module.rpartition(".")[2])
    return Words(dict(data.get("aspects", {})), dict(data.get("choices", {})))


@cache
def _data_file(name: str) -> dict[str, Any]:
    return tomllib.loads(resources.files(__name__).joinpath(f"{name}.toml").read_text("utf-8"))


def documented_observers() -> list[tuple[Observer, Prose]]:
    """Every observer with its prose, read from the data file beside its module (only the
    docs need the prose). A file with a missing or unknown key fails here, and so in the
    docs' test."""
    documented: list[tuple[Observer, Prose]] = []
    for name, observers in _declared():
        data = _data_file(name)
        prose = Prose(**{key: value for key, value in data.items() if key not in WORD_TABLES})
        documented.extend((observer, prose) for observer in observers)
    return documented
