"""Run one Python dimension's observers over a snippet, the way mining and checking do."""

from __future__ import annotations

import ast
import textwrap

from mindgap.conventions.dimensions import all_observers
from mindgap.conventions.model import Observation, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex


def source_file(code: str, path: str = "pkg/module.py", *, is_test: bool = False) -> SourceFile:
    text = textwrap.dedent(code)
    tree = language_named("python").parser().parse(text.encode("utf-8"))
    return SourceFile(path, "python", LineIndex(text), tree, is_test)


def observations(
    dimension: str, code: str, path: str = "pkg/module.py", *, is_test: bool = False
) -> list[Observation]:
    source = source_file(code, path, is_test=is_test)
    found = [
        observation
        for observer in all_observers()
        if observer.dimension == dimension and "python" in observer.languages
        for observation in observer.observe(source)
    ]
    assert all(o.dimension == dimension for o in found)
    return sorted(found, key=lambda o: (o.start, o.end))


def sites(
    dimension: str, code: str, path: str = "pkg/module.py", *, is_test: bool = False
) -> list[tuple[str, str, str]]:
    """(aspect, choice, the text of the site) for every observation, in file order."""
    source = source_file(code, path, is_test=is_test)
    return [
        (o.aspect, o.choice, source.text[o.start : o.end])
        for o in observations(dimension, code, path, is_test=is_test)
    ]


def rewritten(code: str, observation: Observation, choice: str) -> str:
    """The snippet with one observation's rewrite applied; it must still be valid Python."""
    text = textwrap.dedent(code)
    result = text[: observation.start] + observation.rewrites[choice] + text[observation.end :]
    ast.parse(result)
    return result
