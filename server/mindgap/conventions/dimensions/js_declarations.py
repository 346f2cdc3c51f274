"""JavaScript/TypeScript declarations: `var` or `let`/`const`.

`var` is rewritten to `let` only where that cannot change the meaning: the declaration sits
directly in a function body (so block and function scope coincide), its names are plain
identifiers, and nothing in the function mentions them before the declaration or declares
them again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    is_declaration_file,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

VAR = "var"
LET_CONST = "let-const"
_QUERY = shared_query(
    JS_FAMILY,
    "(variable_declaration) @var (lexical_declaration) @lexical",
)
_FUNCTIONS = frozenset(
    {
        "function_declaration",
        "function_expression",
        "arrow_function",
        "method_definition",
        "generator_function_declaration",
        "generator_function",
    }
)


def _declared_names(declaration: tree_sitter.Node) -> list[str] | None:
    names = []
    for declarator in declaration.named_children:
        if declarator.type != "variable_declarator":
            continue
        name = declarator.child_by_field_name("name")
        if name is None or name.type != "identifier":
            return None
        names.append(text_of(name))
    return names or None


def _let_is_safe(declaration: tree_sitter.Node) -> bool:
    body = declaration.parent
    function = body.parent if body is not None else None
    if body is None or body.type != "statement_block" or function is None:
        return False
    if function.type not in _FUNCTIONS:
        return False
    names = _declared_names(declaration)
    if names is None:
        return False
    function_text = text_of(function)
    declared_at = len(
        (function.text or b"")[: declaration.start_byte - function.start_byte].decode(
            "utf-8", "replace"
        )
    )
    before = function_text[:declared_at]
    for name in names:
        word = re.escape(name)
        if re.search(rf"(?<![\w$.]){word}(?![\w$])", before):
            return False  # a parameter, or a use that `let` would put in the dead zone
        declarations = re.findall(
            rf"\b(?:var|let|const|function|class)\s+{word}(?![\w$])", function_text
        )
        if len(declarations) != 1:
            return False
    return True


def observe(source: SourceFile) -> Iterator[Observation]:
    if is_declaration_file(source):
        return
    found = _QUERY.captures(source)
    sites = [*found.get("var", ()), *found.get("lexical", ())]
    sites.sort(key=lambda node: node.start_byte)
    for declaration in sites:
        parent = declaration.parent
        if declaration.has_error or (parent is not None and parent.type == "ambient_declaration"):
            continue  # `declare var` is the only way to declare a global
        keyword = declaration.children[0] if declaration.child_count else None
        if keyword is None or keyword.type not in ("var", "let", "const"):
            continue
        start, end = span(source, keyword)
        if keyword.type == "var":
            rewrites = {LET_CONST: "let"} if _let_is_safe(declaration) else {}
            yield Observation("declarations", "keyword", VAR, start, end, rewrites)
        else:
            yield Observation("declarations", "keyword", LET_CONST, start, end)


_WORDS = words_of(__name__)  # js_declarations.toml
OBSERVERS = [
    Observer(
        dimension="declarations",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
