"""TypeScript typing style: `interface` or `type` aliases for object shapes, and `T[]` or
`Array<T>` for arrays.

Interfaces inside `declare` blocks are left out (augmenting a global or a module needs an
interface), as are array types whose element needs parentheses (`(A | B)[]`, where many
style guides switch to `Array<...>` on purpose) and `readonly T[]`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    TS_FAMILY,
    has_ancestor,
    is_declaration_file,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

INTERFACE = "interface"
TYPE_ALIAS = "type-alias"
BRACKETS = "brackets"
GENERIC = "generic"
_QUERY = shared_query(
    TS_FAMILY,
    """
(interface_declaration) @interface
(type_alias_declaration value: (object_type)) @alias
(array_type) @brackets
(generic_type name: (type_identifier) @generic_name (#eq? @generic_name "Array"))
""",
)
_SIMPLE_ELEMENTS = frozenset(
    {"predefined_type", "type_identifier", "nested_type_identifier", "generic_type", "array_type"}
)
_AMBIENT = frozenset({"ambient_declaration"})
_Judge = Callable[[SourceFile, tree_sitter.Node], Observation | None]


def _head(declaration: tree_sitter.Node) -> tuple[tree_sitter.Node, tree_sitter.Node] | None:
    """The keyword and the last node of `interface Name<T>` / `type Name<T>`."""
    name = declaration.child_by_field_name("name")
    if name is None:
        return None
    return declaration.children[0], declaration.child_by_field_name("type_parameters") or name


def _interface(source: SourceFile, declaration: tree_sitter.Node) -> Observation | None:
    head = _head(declaration)
    if head is None or has_ancestor(declaration, _AMBIENT):
        return None
    start, _ = span(source, head[0])
    _, end = span(source, head[1])
    rewrites = {}
    if not any(child.type == "extends_type_clause" for child in declaration.children):
        rewrites[TYPE_ALIAS] = f"type {source.text[start:end].removeprefix('interface').strip()} ="
    return Observation("typing-style", "object-type", INTERFACE, start, end, rewrites)


def _alias(source: SourceFile, declaration: tree_sitter.Node) -> Observation | None:
    head = _head(declaration)
    if head is None or head[0].type != "type":
        return None
    equals = next((child for child in declaration.children if child.type == "="), None)
    if equals is None:
        return None
    start, _ = span(source, head[0])
    _, head_end = span(source, head[1])
    _, end = span(source, equals)
    name = source.text[start:head_end].removeprefix("type").strip()
    return Observation(
        "typing-style", "object-type", TYPE_ALIAS, start, end, {INTERFACE: f"interface {name}"}
    )


def _brackets(source: SourceFile, array: tree_sitter.Node) -> Observation | None:
    element = array.named_children[0] if array.named_child_count else None
    parent = array.parent
    if element is None or element.type not in _SIMPLE_ELEMENTS:
        return None
    if parent is not None and parent.type in ("readonly_type", "type_query"):
        return None
    start, end = span(source, array)
    return Observation(
        "typing-style", "array-type", BRACKETS, start, end, {GENERIC: f"Array<{text_of(element)}>"}
    )


def _generic(source: SourceFile, name: tree_sitter.Node) -> Observation | None:
    generic = name.parent
    if generic is None:
        return None
    arguments = generic.child_by_field_name("type_arguments")
    if arguments is None or arguments.named_child_count != 1:
        return None
    element = arguments.named_children[0]
    if element.type not in _SIMPLE_ELEMENTS:
        return None
    start, end = span(source, generic)
    return Observation(
        "typing-style", "array-type", GENERIC, start, end, {BRACKETS: f"{text_of(element)}[]"}
    )


def observe(source: SourceFile) -> Iterator[Observation]:
    if is_declaration_file(source):
        return
    found = _QUERY.captures(source)
    sites: list[tuple[tree_sitter.Node, _Judge]]
    sites = [(node, _interface) for node in found.get("interface", ())]
    sites += [(node, _alias) for node in found.get("alias", ())]
    sites += [(node, _brackets) for node in found.get("brackets", ())]
    sites += [(node, _generic) for node in found.get("generic_name", ())]
    sites.sort(key=lambda site: site[0].start_byte)
    for node, judge in sites:
        if not node.has_error and (observation := judge(source, node)) is not None:
            yield observation


_WORDS = words_of(__name__)  # js_typing_style.toml
OBSERVERS = [
    Observer(
        dimension="typing-style",
        languages=TS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
