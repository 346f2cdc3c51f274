"""JavaScript/TypeScript function style: arrow functions or `function` expressions, for
callbacks and for functions assigned to variables.

Only interchangeable functions count: a `function` expression that uses `this`,
`arguments`, `super` or `new.target`, is a generator, or is named (it may call itself) could
not be an arrow; an arrow that uses `this` could not be a plain `function`. The finding
underlines the function's head (up to `=>` or the parameter list), not its body.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

ARROW = "arrow"
FUNCTION = "function"
_QUERY = shared_query(
    JS_FAMILY,
    "(arrow_function) @arrow (function_expression) @function",
)
_BOUND_WORDS = re.compile(rb"\b(?:this|arguments|super)\b|\bnew\s*\.\s*target\b")
_THIS = re.compile(rb"\bthis\b")
_Judge = Callable[[SourceFile, tree_sitter.Node, str], Observation | None]


def _aspect(function: tree_sitter.Node) -> str | None:
    parent = function.parent
    if parent is None:
        return None
    if parent.type == "arguments":
        return "callback"
    if parent.type == "variable_declarator" and parent.child_by_field_name("value") == function:
        return "assigned"
    return None


def _arrow(source: SourceFile, arrow: tree_sitter.Node, aspect: str) -> Observation | None:
    body = arrow.child_by_field_name("body")
    if body is None or _THIS.search(body.text or b""):
        return None
    head_end = next((child for child in arrow.children if child.type == "=>"), None)
    if head_end is None:
        return None
    start, _ = span(source, arrow)
    _, end = span(source, head_end)
    return Observation("function-style", aspect, ARROW, start, end)


def _function(source: SourceFile, function: tree_sitter.Node, aspect: str) -> Observation | None:
    body = function.child_by_field_name("body")
    parameters = function.child_by_field_name("parameters")
    if body is None or parameters is None or function.child_by_field_name("name") is not None:
        return None
    if any(child.type == "*" for child in function.children):
        return None
    if _BOUND_WORDS.search(body.text or b""):
        return None
    head_last = function.child_by_field_name("return_type") or parameters
    start, _ = span(source, function)
    _, end = span(source, head_last)
    type_parameters = function.child_by_field_name("type_parameters")
    rewrites: dict[str, str] = {}
    # `<T>(x: T) =>` reads as JSX in a .tsx file: no mechanical rewrite there
    if type_parameters is None or source.language != "tsx":
        is_async = function.children[0].type == "async"
        head = "".join(
            text_of(part)
            for part in (type_parameters, parameters, function.child_by_field_name("return_type"))
            if part is not None
        )
        rewrites[ARROW] = f"{'async ' if is_async else ''}{head} =>"
    return Observation("function-style", aspect, FUNCTION, start, end, rewrites)


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    sites: list[tuple[tree_sitter.Node, _Judge]]
    sites = [(node, _arrow) for node in found.get("arrow", ())]
    sites += [(node, _function) for node in found.get("function", ())]
    sites.sort(key=lambda site: site[0].start_byte)
    for node, judge in sites:
        aspect = _aspect(node)
        if aspect is None or node.has_error:
            continue
        if (observation := judge(source, node, aspect)) is not None:
            yield observation


_WORDS = words_of(__name__)  # js_function_style.toml
OBSERVERS = [
    Observer(
        dimension="function-style",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
