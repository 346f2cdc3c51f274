"""Run one dimension's observers for JavaScript/TypeScript, Go, Rust or Java over a snippet,
the way mining and checking do, and apply rewrites with a re-parse to prove them valid."""

from __future__ import annotations

import textwrap

import tree_sitter

from mindgap.conventions.dimensions import observers_for
from mindgap.conventions.model import Observation, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex

DEFAULT_PATHS = {
    "javascript": "src/module.js",
    "typescript": "src/module.ts",
    "tsx": "src/component.tsx",
    "go": "pkg/module.go",
    "rust": "src/module.rs",
    "java": "src/main/java/Module.java",
}


def source_file(language: str, code: str, path: str | None = None) -> SourceFile:
    text = textwrap.dedent(code)
    tree = language_named(language).parser().parse(text.encode("utf-8"))
    return SourceFile(path or DEFAULT_PATHS[language], language, LineIndex(text), tree, False)


def observations(
    language: str, dimension: str, code: str, path: str | None = None
) -> list[Observation]:
    source = source_file(language, code, path)
    found = [
        observation
        for observer in observers_for(language)
        if observer.dimension == dimension
        for observation in observer.observe(source)
    ]
    assert all(o.dimension == dimension for o in found)
    return sorted(found, key=lambda o: (o.start, o.end))


def sites(
    language: str, dimension: str, code: str, path: str | None = None
) -> list[tuple[str, str, str]]:
    """(aspect, choice, the text of the site) for every observation, in file order."""
    text = textwrap.dedent(code)
    return [
        (o.aspect, o.choice, text[o.start : o.end])
        for o in observations(language, dimension, code, path)
    ]


def has_syntax_error(language: str, text: str) -> bool:
    tree = language_named(language).parser().parse(text.encode("utf-8"))
    root: tree_sitter.Node = tree.root_node
    return root.has_error


def rewritten(language: str, code: str, observation: Observation, choice: str) -> str:
    """The snippet with one observation's rewrite applied; it must still parse cleanly."""
    text = textwrap.dedent(code)
    assert not has_syntax_error(language, text), "the snippet itself must be valid"
    result = text[: observation.start] + observation.rewrites[choice] + text[observation.end :]
    assert not has_syntax_error(language, result), result
    return result
