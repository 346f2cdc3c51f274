"""JavaScript/TypeScript semicolons: statements ended with `;` or left to automatic insertion.

Read from the tree: a statement that may end with a semicolon either has `;` as its last
child or has none. Statements with a syntax error inside, and declarations inside a `for`
header (where the `;` is part of the loop syntax), are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    SharedQuery,
    span,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

SEMICOLON = "semicolon"
NO_SEMICOLON = "no-semicolon"
_JS_STATEMENTS = [
    "expression_statement",
    "lexical_declaration",
    "variable_declaration",
    "return_statement",
    "throw_statement",
    "break_statement",
    "continue_statement",
    "debugger_statement",
    "import_statement",
    "export_statement",
]
_TS_STATEMENTS = [*_JS_STATEMENTS, "type_alias_declaration"]
_QUERY_JS = "[" + " ".join(f"({kind})" for kind in _JS_STATEMENTS) + "] @statement"
_QUERY_TS = "[" + " ".join(f"({kind})" for kind in _TS_STATEMENTS) + "] @statement"
_QUERY = SharedQuery({"javascript": _QUERY_JS, "typescript": _QUERY_TS, "tsx": _QUERY_TS})
_WHOLE_TOKENS = frozenset({"string", "template_string", "regex"})  # one token to a reader
_LOOP_HEADERS = frozenset({"for_statement", "for_in_statement"})
# A line starting with one of these continues the previous statement when there is no `;`
_CONTINUATION_STARTS = tuple("([`+-/<*,.")


def _counts(statement: tree_sitter.Node) -> bool:
    if statement.has_error:
        return False
    parent = statement.parent
    if parent is None or parent.type in _LOOP_HEADERS or parent.type == "ambient_declaration":
        return False
    if statement.type == "export_statement":
        # `export const x = 1;` ends with the inner declaration's `;`; `export function f() {}`
        # and `export default class {}` have none to choose
        if statement.child_by_field_name("declaration") is not None:
            return False
        value = statement.child_by_field_name("value")
        return value is None or value.type not in ("class", "function_expression")
    return True


def _last_token(node: tree_sitter.Node) -> tree_sitter.Node:
    while node.child_count and node.type not in _WHOLE_TOKENS:
        children = [child for child in node.children if not child.is_extra]
        if not children:
            break
        node = children[-1]
    return node


def _next_statement(statement: tree_sitter.Node) -> tree_sitter.Node | None:
    sibling = statement.next_named_sibling
    while sibling is not None and sibling.is_extra:
        sibling = sibling.next_named_sibling
    return sibling


def _removal_is_safe(source: SourceFile, statement: tree_sitter.Node, end: int) -> bool:
    """Dropping the `;` leaves the code meaning the same: the statement ends its line and the
    next statement does not start with a character that would continue it."""
    rest_of_line = source.text[end : source.text.find("\n", end) % (len(source.text) + 1)]
    rest = rest_of_line.strip()
    if rest and not rest.startswith(("//", "}")):
        return False
    following = _next_statement(statement)
    if following is None:
        return True
    start, _ = span(source, following)
    return not source.text.startswith(_CONTINUATION_STARTS, start)


def _observation(source: SourceFile, statement: tree_sitter.Node) -> Observation | None:
    last = _last_token(statement)
    if last.is_missing:
        return None
    start, end = span(source, last)
    if last.type == ";":
        rewrites = {NO_SEMICOLON: ""} if _removal_is_safe(source, statement, end) else {}
        return Observation("semicolons", "statement", SEMICOLON, start, end, rewrites)
    token = source.text[start:end]
    return Observation(
        "semicolons", "statement", NO_SEMICOLON, start, end, {SEMICOLON: f"{token};"}
    )


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    for statement in found.get("statement", ()):
        if _counts(statement) and (observation := _observation(source, statement)) is not None:
            yield observation


_WORDS = words_of(__name__)  # js_semicolons.toml
OBSERVERS = [
    Observer(
        dimension="semicolons",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
