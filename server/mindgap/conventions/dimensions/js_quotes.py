"""JavaScript/TypeScript quotes: single, double or backtick delimiters for plain strings.

A string that contains a quote character is no vote (its delimiter may have been chosen to
avoid escaping), nor is a template literal with `${...}`, a multi-line or tagged template,
or a JSX attribute value (JSX has its own convention, usually double quotes).
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    shared_query,
    span,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

SINGLE = "single"
DOUBLE = "double"
BACKTICK = "backtick"
_DELIMITERS = {SINGLE: "'", DOUBLE: '"', BACKTICK: "`"}
_BY_DELIMITER = {quote: choice for choice, quote in _DELIMITERS.items()}
_QUERY = shared_query(
    JS_FAMILY,
    "(string) @string (template_string) @template",
)
# Where a template literal is as good as a quoted string: expression positions (not import
# sources, property keys, directives or literal types)
_EXPRESSION_PARENTS = frozenset(
    {
        "variable_declarator",
        "arguments",
        "assignment_expression",
        "augmented_assignment_expression",
        "return_statement",
        "binary_expression",
        "array",
        "ternary_expression",
        "parenthesized_expression",
    }
)


def _is_expression(node: tree_sitter.Node) -> bool:
    parent = node.parent
    if parent is None:
        return False
    if parent.type == "pair":
        return parent.child_by_field_name("value") == node
    return parent.type in _EXPRESSION_PARENTS


def _rewrites(node: tree_sitter.Node, content: str, current: str) -> dict[str, str]:
    """The same string with other delimiters, where that needs no escaping change."""
    found = {SINGLE: f"'{content}'", DOUBLE: f'"{content}"'}
    if _is_expression(node) and not any(c in content for c in "$`\\"):
        found[BACKTICK] = f"`{content}`"
    found.pop(current, None)
    return found


def _string(source: SourceFile, node: tree_sitter.Node) -> Observation | None:
    parent = node.parent
    if parent is not None and parent.type == "jsx_attribute":
        return None
    start, end = span(source, node)
    raw = source.text[start:end]
    if len(raw) < 2 or raw[0] not in "'\"" or raw[-1] != raw[0]:
        return None
    content = raw[1:-1]
    if "'" in content or '"' in content:
        return None
    choice = _BY_DELIMITER[raw[0]]
    return Observation("quotes", "string", choice, start, end, _rewrites(node, content, choice))


def _template(source: SourceFile, node: tree_sitter.Node) -> Observation | None:
    if any(child.type == "template_substitution" for child in node.children):
        return None
    parent = node.parent
    if parent is not None and parent.type == "call_expression":  # tagged: html`...`
        return None
    start, end = span(source, node)
    raw = source.text[start:end]
    content = raw[1:-1]
    if len(raw) < 2 or any(c in content for c in "'\"\\\n\r"):
        return None
    return Observation("quotes", "string", BACKTICK, start, end, _rewrites(node, content, BACKTICK))


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    sites = [(node, _string) for node in found.get("string", ())]
    sites += [(node, _template) for node in found.get("template", ())]
    sites.sort(key=lambda site: site[0].start_byte)
    for node, judge in sites:
        if (observation := judge(source, node)) is not None:
            yield observation


_WORDS = words_of(__name__)  # js_quotes.toml
OBSERVERS = [
    Observer(
        dimension="quotes",
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
