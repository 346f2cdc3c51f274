"""Question generators, one small unit per question type (see base.py for the contract).

Every module in this package that defines `GENERATORS` (a list of QuestionGenerator) is
picked up by `all_generators()`; adding a question type means adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil

from mindgap.gate.questions.base import QuestionGenerator


def all_generators() -> list[QuestionGenerator]:
    generators: list[QuestionGenerator] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name == "base":
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        generators.extend(getattr(loaded, "GENERATORS", []))
    return generators
