"""Constructs typed between two saves count as the developer's own; foreign ones do not."""

from __future__ import annotations

from mindgap.knowledge.typed import typed_constructs
from mindgap.provenance.regions import Region
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

SAVED = "def size(items):\n    return len(items)\n"


def document(text: str) -> SyntaxDocument:
    return SyntaxDocument("file:///size.py", text, language_named("python"))


def test_constructs_on_added_lines_are_typed() -> None:
    now = SAVED + "\n\nsquares = [x * x for x in range(3)]\nkey = lambda item: item\n"
    keys = typed_constructs(document(now), SAVED, [])
    assert "python/list-comprehension" in keys and "python/lambda" in keys


def test_constructs_in_foreign_regions_and_on_old_lines_are_not() -> None:
    foreign = "key = lambda item: item"
    now = "squares = [x * x for x in range(3)]\n" + SAVED + foreign + "\n"
    start = now.index(foreign)
    region = Region(start, start + len(foreign), foreign, "paste")
    keys = typed_constructs(
        document(now), SAVED + "squares = [x * x for x in range(3)]\n", [region]
    )
    assert "python/lambda" not in keys  # foreign
    assert keys == []  # the comprehension moved but was there before: nothing new typed
