"""One registry of the languages mindgap understands: extensions and LSP ids -> grammar."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

import tree_sitter


@dataclass(frozen=True)
class LanguageSpec:
    name: str  # the key used everywhere else (query folders, findings)
    extensions: tuple[str, ...]
    lsp_ids: tuple[str, ...]
    load: Callable[[], object]  # returns the grammar's language capsule

    @functools.cached_property
    def grammar(self) -> tree_sitter.Language:
        return tree_sitter.Language(self.load())

    def parser(self) -> tree_sitter.Parser:
        return tree_sitter.Parser(self.grammar)


def _python() -> object:
    import tree_sitter_python

    return tree_sitter_python.language()


def _javascript() -> object:
    import tree_sitter_javascript

    return tree_sitter_javascript.language()


def _typescript() -> object:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_typescript()


def _tsx() -> object:
    import tree_sitter_typescript

    return tree_sitter_typescript.language_tsx()


def _go() -> object:
    import tree_sitter_go

    return tree_sitter_go.language()


def _rust() -> object:
    import tree_sitter_rust

    return tree_sitter_rust.language()


def _java() -> object:
    import tree_sitter_java

    return tree_sitter_java.language()


LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec("python", (".py", ".pyi", ".pyw"), ("python",), _python),
    LanguageSpec(
        "javascript",
        (".js", ".mjs", ".cjs", ".jsx"),
        ("javascript", "javascriptreact"),
        _javascript,
    ),
    LanguageSpec("typescript", (".ts", ".mts", ".cts"), ("typescript",), _typescript),
    LanguageSpec("tsx", (".tsx",), ("typescriptreact",), _tsx),
    LanguageSpec("go", (".go",), ("go",), _go),
    LanguageSpec("rust", (".rs",), ("rust",), _rust),
    LanguageSpec("java", (".java",), ("java",), _java),
)

_BY_EXTENSION = {ext: spec for spec in LANGUAGES for ext in spec.extensions}
_BY_LSP_ID = {lsp_id: spec for spec in LANGUAGES for lsp_id in spec.lsp_ids}
_BY_NAME = {spec.name: spec for spec in LANGUAGES}


def language_for(path: str | None = None, lsp_id: str | None = None) -> LanguageSpec | None:
    """The language of a file, by its LSP language id first, then by its extension.

    None means mindgap has no grammar for it: provenance still works, analysis is skipped.
    """
    if lsp_id and lsp_id in _BY_LSP_ID:
        return _BY_LSP_ID[lsp_id]
    if path:
        return _BY_EXTENSION.get(PurePath(path).suffix.lower())
    return None


def language_named(name: str) -> LanguageSpec:
    return _BY_NAME[name]


def watched_globs() -> list[str]:
    """Glob patterns for every source file mindgap can analyse (for file watching)."""
    extensions = sorted({ext.lstrip(".") for spec in LANGUAGES for ext in spec.extensions})
    return [f"**/*.{{{','.join(extensions)}}}"]
