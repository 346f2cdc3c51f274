"""JavaScript/TypeScript equality: strict (`===`, `!==`) or loose (`==`, `!=`) comparisons.

`x == null` (and `x == undefined`) is a common deliberate idiom for "null or undefined" and
counts for neither. There is no rewrite: `==` and `===` differ in meaning.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

STRICT = "strict"
LOOSE = "loose"
_OPERATORS = {"===": STRICT, "!==": STRICT, "==": LOOSE, "!=": LOOSE}
_QUERY = shared_query(
    JS_FAMILY,
    '(binary_expression operator: ["==" "!=" "===" "!=="] @operator) @comparison',
)


def _is_nullish(node: tree_sitter.Node | None) -> bool:
    if node is None:
        return False
    return node.type in ("null", "undefined") or (
        node.type == "identifier" and text_of(node) == "undefined"
    )


def observe(source: SourceFile) -> Iterator[Observation]:
    for operator in _QUERY.captures(source).get("operator", ()):
        comparison = operator.parent
        if comparison is None or comparison.has_error:
            continue
        left = comparison.child_by_field_name("left")
        right = comparison.child_by_field_name("right")
        if _is_nullish(left) or _is_nullish(right):
            continue
        start, end = span(source, operator)
        yield Observation("equality", "comparison", _OPERATORS[operator.type], start, end)


_WORDS = words_of(__name__)  # js_equality.toml
OBSERVERS = [
    Observer(
        dimension="equality",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
