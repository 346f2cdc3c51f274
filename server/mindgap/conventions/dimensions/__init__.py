"""Convention observers, one small module per dimension and language family.

Every module in this package that defines `OBSERVERS` (a list of conventions.model.Observer)
is picked up by `all_observers()`; adding a dimension means adding a module.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from mindgap.conventions.model import Observer


@cache
def all_observers() -> tuple[Observer, ...]:
    observers: list[Observer] = []
    for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module.name.startswith("_"):
            continue
        loaded = importlib.import_module(f"{__name__}.{module.name}")
        observers.extend(getattr(loaded, "OBSERVERS", []))
    return tuple(observers)


def observers_for(language: str) -> list[Observer]:
    return [observer for observer in all_observers() if language in observer.languages]
