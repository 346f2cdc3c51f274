"""Rust naming: snake_case functions and variables, PascalCase (UpperCamelCase) types,
SCREAMING_SNAKE_CASE constants and statics - or whatever the repository does instead.

Names something else dictates are left out: methods of trait impls (the trait names them),
`#[no_mangle]` and `extern` functions (the foreign side names them), raw identifiers, and
names inside macros (their token trees are not parsed). One-word names fit several styles
and are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    case_observation,
    naming_observer,
    shared_query,
    text_of,
)
from mindgap.conventions.model import Observation, SourceFile

_QUERY = shared_query(
    frozenset({"rust"}),
    """
(function_item name: (identifier) @function) @function_item
(struct_item name: (type_identifier) @type)
(enum_item name: (type_identifier) @type)
(union_item name: (type_identifier) @type)
(trait_item name: (type_identifier) @type)
(type_item name: (type_identifier) @type)
(const_item name: (identifier) @constant)
(static_item name: (identifier) @constant)
(let_declaration pattern: (identifier) @variable)
(let_declaration pattern: (tuple_pattern (identifier) @variable))
""",
)
_ASPECTS = ("function", "type", "constant", "variable")


def _foreign_function(function: tree_sitter.Node) -> bool:
    """A name chosen by someone else: a trait's method, or an ABI-visible function."""
    body_owner = function.parent.parent if function.parent is not None else None
    if (
        body_owner is not None
        and body_owner.type == "impl_item"
        and body_owner.child_by_field_name("trait") is not None
    ):
        return True
    modifiers = next((c for c in function.children if c.type == "function_modifiers"), None)
    if modifiers is not None and any(c.type == "extern_modifier" for c in modifiers.children):
        return True
    attribute = function.prev_named_sibling
    while attribute is not None and attribute.type in ("attribute_item", "line_comment"):
        if attribute.type == "attribute_item" and b"no_mangle" in (attribute.text or b""):
            return True
        attribute = attribute.prev_named_sibling
    return False


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    sites = [(aspect, node) for aspect in _ASPECTS for node in found.get(aspect, ())]
    sites.sort(key=lambda site: site[1].start_byte)
    for aspect, node in sites:
        if aspect == "function" and node.parent is not None and _foreign_function(node.parent):
            continue
        name = text_of(node)
        if name.startswith("r#"):
            continue
        if (observation := case_observation(source, aspect, node, name)) is not None:
            yield observation


_WORDS = words_of(__name__)  # rust_naming.toml
OBSERVERS = [
    naming_observer(
        languages=frozenset({"rust"}),
        observe=observe,
        aspects=_WORDS.aspects,
    )
]
