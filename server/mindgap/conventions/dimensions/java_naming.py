"""Java naming: camelCase methods, fields and local variables, PascalCase classes,
UPPER_CASE constants - or whatever the repository does instead.

Constants are `static final` fields (and interface fields) of a primitive or String type;
other static finals (loggers, collections) are named either way by good code and are not
counted. `@Override` methods are named by their supertype, `serialVersionUID` by
serialization: both left out. One-word names fit several styles and are not counted.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions import casing
from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    case_observation,
    first_child_of_type,
    naming_observer,
    shared_query,
    text_of,
)
from mindgap.conventions.model import Observation, SourceFile

_WORD_STYLES = (casing.CAMEL, casing.SNAKE)
_ASPECT_STYLES = {
    "method": (casing.CAMEL, casing.SNAKE, casing.PASCAL),
    "field": _WORD_STYLES,
    "variable": _WORD_STYLES,
    "class": casing.STYLES,
    "constant": casing.STYLES,
}
_QUERY = shared_query(
    frozenset({"java"}),
    """
(method_declaration name: (identifier) @method) @method_declaration
(class_declaration name: (identifier) @class)
(interface_declaration name: (identifier) @class)
(enum_declaration name: (identifier) @class)
(record_declaration name: (identifier) @class)
(annotation_type_declaration name: (identifier) @class)
(field_declaration) @field_declaration
(constant_declaration) @constant_declaration
(local_variable_declaration) @local_declaration
""",
)
_CONSTANT_TYPES = frozenset({"integral_type", "floating_point_type", "boolean_type"})
_DICTATED = frozenset({"serialVersionUID", "serialPersistentFields"})


def _modifier_words(declaration: tree_sitter.Node) -> tuple[set[str], set[str]]:
    """(keywords like static/final, annotation names) of a declaration."""
    modifiers = first_child_of_type(declaration, "modifiers")
    if modifiers is None:
        return set(), set()
    keywords = {child.type for child in modifiers.children if not child.is_named}
    annotations = set()
    for child in modifiers.named_children:
        if child.type in ("marker_annotation", "annotation"):
            name = child.child_by_field_name("name")
            annotations.add(text_of(name).rsplit(".", 1)[-1] if name is not None else "")
    return keywords, annotations


def _is_constant_type(declaration: tree_sitter.Node) -> bool:
    type_node = declaration.child_by_field_name("type")
    if type_node is None:
        return False
    return type_node.type in _CONSTANT_TYPES or text_of(type_node) == "String"


def _field_aspect(declaration: tree_sitter.Node) -> str | None:
    if declaration.type == "constant_declaration":  # an interface's field: static final
        return "constant" if _is_constant_type(declaration) else None
    keywords, _ = _modifier_words(declaration)
    if {"static", "final"} <= keywords:
        return "constant" if _is_constant_type(declaration) else None
    return "field"


def _declared_names(declaration: tree_sitter.Node) -> Iterator[tree_sitter.Node]:
    for declarator in declaration.children_by_field_name("declarator"):
        name = declarator.child_by_field_name("name")
        if name is not None and name.type == "identifier":
            yield name


def _observation(source: SourceFile, aspect: str, node: tree_sitter.Node) -> Observation | None:
    name = text_of(node)
    if name in _DICTATED or "$" in name:
        return None
    return case_observation(source, aspect, node, name, _ASPECT_STYLES[aspect])


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    sites: list[tuple[str, tree_sitter.Node]] = [("class", n) for n in found.get("class", ())]
    for name in found.get("method", ()):
        method = name.parent
        if method is not None and "Override" not in _modifier_words(method)[1]:
            sites.append(("method", name))
    for kind in ("field_declaration", "constant_declaration"):
        for declaration in found.get(kind, ()):
            aspect = _field_aspect(declaration)
            if aspect is not None:
                sites.extend((aspect, name) for name in _declared_names(declaration))
    for declaration in found.get("local_declaration", ()):
        sites.extend(("variable", name) for name in _declared_names(declaration))
    sites.sort(key=lambda site: site[1].start_byte)
    for aspect, node in sites:
        if (observation := _observation(source, aspect, node)) is not None:
            yield observation


_WORDS = words_of(__name__)  # java_naming.toml
OBSERVERS = [
    naming_observer(
        languages=frozenset({"java"}),
        observe=observe,
        aspects=_WORDS.aspects,
    )
]
