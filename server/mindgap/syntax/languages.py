"""One registry of the languages mindgap understands: extensions and LSP ids -> grammar."""

from __future__ import annotations

import functools
import importlib
from dataclasses import dataclass
from pathlib import PurePath

import tree_sitter


@dataclass(frozen=True)
class LanguageSpec:
    name: str  # the key used everywhere else (query folders, findings)
    extensions: tuple[str, ...]
    lsp_ids: tuple[str, ...]
    grammar_module: str  # the official grammar wheel, imported only when first needed
    grammar_function: str = "language"

    @functools.cached_property
    def grammar(self) -> tree_sitter.Language:
        module = importlib.import_module(self.grammar_module)
        return tree_sitter.Language(getattr(module, self.grammar_function)())

    def parser(self) -> tree_sitter.Parser:
        return tree_sitter.Parser(self.grammar)


LANGUAGES: tuple[LanguageSpec, ...] = (
    LanguageSpec("python", (".py", ".pyi", ".pyw"), ("python",), "tree_sitter_python"),
    LanguageSpec(
        "javascript",
        (".js", ".mjs", ".cjs", ".jsx"),
        ("javascript", "javascriptreact"),
        "tree_sitter_javascript",
    ),
    LanguageSpec(
        "typescript",
        (".ts", ".mts", ".cts"),
        ("typescript",),
        "tree_sitter_typescript",
        "language_typescript",
    ),
    LanguageSpec("tsx", (".tsx",), ("typescriptreact",), "tree_sitter_typescript", "language_tsx"),
    LanguageSpec("go", (".go",), ("go",), "tree_sitter_go"),
    LanguageSpec("rust", (".rs",), ("rust",), "tree_sitter_rust"),
    LanguageSpec("java", (".java",), ("java",), "tree_sitter_java"),
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
