"""JavaScript/TypeScript module system: `import` or `require`, and default or named exports.

Only module-level `require('x')` calls count (a `require` inside a function loads lazily on
purpose), and .mjs/.cjs files are left out: their extension decides the system. Re-exports
(`export ... from`) and type-only exports are no choice between default and named.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    first_child_of_type,
    in_source_order,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

ESM = "esm"
COMMONJS = "commonjs"
DEFAULT = "default"
NAMED = "named"
_QUERY = shared_query(
    JS_FAMILY,
    """
(import_statement) @import
(call_expression function: (identifier) @callee arguments: (arguments . (string) .)) @call
(export_statement) @export
""",
)
_TOP_LEVEL_STATEMENTS = frozenset(
    {"lexical_declaration", "variable_declaration", "expression_statement"}
)
_VALUE_DECLARATIONS = frozenset(
    {
        "function_declaration",
        "generator_function_declaration",
        "class_declaration",
        "abstract_class_declaration",
        "lexical_declaration",
        "variable_declaration",
        "enum_declaration",
    }
)


def _is_module_level_require(call: tree_sitter.Node) -> bool:
    node = call.parent
    if node is not None and node.type == "variable_declarator":
        node = node.parent
    if node is None or node.type not in _TOP_LEVEL_STATEMENTS:
        return False
    return node.parent is not None and node.parent.type == "program"


def _import(source: SourceFile, statement: tree_sitter.Node) -> Observation | None:
    if first_child_of_type(statement, "import_require_clause") is not None:
        return None  # TypeScript's `import x = require('x')`
    start, end = span(source, statement)
    return Observation("module-system", "import", ESM, start, end)


def _export(source: SourceFile, statement: tree_sitter.Node) -> Observation | None:
    if statement.child_by_field_name("source") is not None:
        return None  # a re-export
    keyword = statement.children[0]
    if keyword.type != "export":
        return None
    default = first_child_of_type(statement, "default")
    if default is not None:
        return Observation("module-system", "export", DEFAULT, *_span(source, keyword, default))
    declaration = statement.child_by_field_name("declaration")
    clause = first_child_of_type(statement, "export_clause")
    if (declaration is not None and declaration.type in _VALUE_DECLARATIONS) or (
        clause is not None and not any(c.type == "type" for c in statement.children)
    ):
        return Observation("module-system", "export", NAMED, *span(source, keyword))
    return None


def _span(source: SourceFile, first: tree_sitter.Node, last: tree_sitter.Node) -> tuple[int, int]:
    return span(source, first)[0], span(source, last)[1]


def observe(source: SourceFile) -> Iterator[Observation]:
    if source.path.endswith((".mjs", ".cjs", ".d.ts")):
        return
    found = _QUERY.captures(source)
    observations: list[Observation | None] = []
    observations += [_import(source, node) for node in found.get("import", ())]
    observations += [_export(source, node) for node in found.get("export", ())]
    for callee in found.get("callee", ()):
        call = callee.parent
        if text_of(callee) == "require" and call is not None and _is_module_level_require(call):
            observations.append(
                Observation("module-system", "import", COMMONJS, *span(source, call))
            )
    yield from in_source_order(observations)


_WORDS = words_of(__name__)  # js_module_system.toml
OBSERVERS = [
    Observer(
        dimension="module-system",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
