"""JavaScript/TypeScript naming: the case of function, method, class, variable and constant names.

Only real choices count. A PascalCase function or variable is a component or a constructor
and an UPPER_CASE variable a deliberate constant, so functions, methods and variables vote
only between camelCase and snake_case. Constants are module-level `const` names bound to a
literal (`const MAX_RETRIES = 3` or `const maxRetries = 3`). Names a library dictates are
left out: destructured names (they follow the object's keys), `require`d modules, object
literal methods, `override` methods, and everything in .d.ts files.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions import casing
from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    JS_FAMILY,
    SharedQuery,
    case_observation,
    is_declaration_file,
    naming_observer,
    text_of,
)
from mindgap.conventions.model import Observation, SourceFile

_WORD_STYLES = (casing.CAMEL, casing.SNAKE)
_ASPECT_STYLES = {
    "function": _WORD_STYLES,
    "method": _WORD_STYLES,
    "variable": _WORD_STYLES,
    "class": casing.STYLES,
    "constant": casing.STYLES,
}
_FUNCTION_VALUES = frozenset({"arrow_function", "function_expression", "generator_function"})
_LITERALS = frozenset({"number", "string", "true", "false"})
_JS_QUERY = """
(function_declaration name: (identifier) @function)
(generator_function_declaration name: (identifier) @function)
(class_body (method_definition name: (property_identifier) @method))
(class_declaration name: (_) @class)
(variable_declarator name: (identifier) @declared)
"""
_TS_QUERY = _JS_QUERY + "(abstract_class_declaration name: (_) @class)\n"
_QUERY = SharedQuery({"javascript": _JS_QUERY, "typescript": _TS_QUERY, "tsx": _TS_QUERY})


def _is_literal(node: tree_sitter.Node) -> bool:
    if node.type == "template_string":
        return not any(child.type == "template_substitution" for child in node.children)
    if node.type == "unary_expression":
        operand = node.child_by_field_name("argument")
        return operand is not None and operand.type == "number"
    return node.type in _LITERALS


def _is_require(node: tree_sitter.Node) -> bool:
    if node.type == "await_expression" and node.named_child_count:
        node = node.named_children[0]
    if node.type != "call_expression":
        return False
    function = node.child_by_field_name("function")
    return function is not None and function.type == "identifier" and text_of(function) == "require"


def _is_module_level_const(declarator: tree_sitter.Node) -> bool:
    declaration = declarator.parent
    if declaration is None or declaration.type != "lexical_declaration":
        return False
    if declaration.children[0].type != "const":
        return False
    holder = declaration.parent
    if holder is not None and holder.type == "export_statement":
        holder = holder.parent
    return holder is not None and holder.type == "program"


def _declarator_aspect(declarator: tree_sitter.Node) -> str | None:
    value = declarator.child_by_field_name("value")
    if value is None:
        return "variable"
    if value.type in _FUNCTION_VALUES:
        return "function"
    if value.type == "class" or _is_require(value):
        return None
    if _is_module_level_const(declarator) and _is_literal(value):
        return "constant"
    return "variable"


def _is_override(method_name: tree_sitter.Node) -> bool:
    method = method_name.parent
    return method is not None and any(
        child.type == "override_modifier" for child in method.children
    )


def _observation(
    source: SourceFile, aspect: str, name_node: tree_sitter.Node
) -> Observation | None:
    name = text_of(name_node)
    if "$" in name or ("_" not in name and name.islower()):
        return None  # one lower-case word fits camelCase and snake_case alike
    return case_observation(source, aspect, name_node, name, _ASPECT_STYLES[aspect])


def observe(source: SourceFile) -> Iterator[Observation]:
    if is_declaration_file(source):
        return
    found = _QUERY.captures(source)
    sites: list[tuple[str, tree_sitter.Node]] = []
    for aspect in ("function", "method", "class"):
        sites.extend((aspect, node) for node in found.get(aspect, ()))
    sites = [(a, n) for a, n in sites if not (a == "method" and _is_override(n))]
    for name in found.get("declared", ()):
        declarator = name.parent
        kind = None if declarator is None else _declarator_aspect(declarator)
        if kind is not None:
            sites.append((kind, name))
    sites.sort(key=lambda site: site[1].start_byte)
    for aspect, node in sites:
        if (observation := _observation(source, aspect, node)) is not None:
            yield observation


_WORDS = words_of(__name__)  # js_naming.toml
OBSERVERS = [
    naming_observer(
        languages=JS_FAMILY,
        observe=observe,
        aspects=_WORDS.aspects,
    )
]
