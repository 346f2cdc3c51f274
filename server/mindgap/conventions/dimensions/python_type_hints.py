"""Python type hints: annotated functions, `Optional[X]` or `X | None`, `List` or `list`.

Aspect "functions": each `def` is fully annotated (every parameter but self/cls, and the
return; `__init__` may leave its return out), partly annotated, or not annotated.

Aspect "optional": an optional type is spelled `Optional[X]` / `Union[X, None]` or
`X | None`. Aspect "generics": a generic collection is spelled with typing's aliases
(`List[int]`, `Dict[str, X]`) or with the builtins (`list[int]`). Names count only when
they come from typing (imported from it, or `typing.List`), so a class of one's own called
`List` says nothing. Rewrites to the modern spelling are offered where the text maps one
to one; an `Optional["Node"]` (a forward reference in a string) is left alone, since
`"Node" | None` fails at run time.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    PYTHON,
    Imports,
    captures,
    imports_of,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "type-hints"

_TYPING_ALIASES = {
    "List": "list",
    "Dict": "dict",
    "Set": "set",
    "FrozenSet": "frozenset",
    "Tuple": "tuple",
    "Type": "type",
}
_BUILTIN_GENERICS = frozenset(_TYPING_ALIASES.values())
_TYPING_MODULES = frozenset({"typing", "typing_extensions"})
_HEADS = " ".join(
    f'"{name}"' for name in [*_TYPING_ALIASES, *_BUILTIN_GENERICS, "Optional", "Union"]
)
_QUERY = register(
    f"""
(function_definition name: (identifier) @name)
(subscript value: (identifier) @head (#any-of? @head {_HEADS})) @generic
(subscript value: (attribute attribute: (identifier) @head (#any-of? @head {_HEADS}))) @generic
(generic_type (identifier) @head (#any-of? @head {_HEADS})) @generic
(binary_operator operator: "|") @union
(union_type) @union
"""
)
_PARAMETER_SEPARATORS = frozenset({"keyword_separator", "positional_separator", ","})
_ANNOTATED_PARAMETERS = frozenset({"typed_parameter", "typed_default_parameter"})


def _function_choice(function: tree_sitter.Node) -> str:
    parameters = function.child_by_field_name("parameters")
    items = [
        p
        for p in (parameters.named_children if parameters else [])
        if p.type not in _PARAMETER_SEPARATORS and p.type != "comment"
    ]
    if items and items[0].type == "identifier" and text(items[0]) in ("self", "cls"):
        items = items[1:]
    annotated = sum(1 for p in items if p.type in _ANNOTATED_PARAMETERS)
    has_return = function.child_by_field_name("return_type") is not None
    name = text(function.child_by_field_name("name"))
    return_optional = name == "__init__" and annotated > 0
    if annotated == len(items) and (has_return or return_optional):
        return "annotated"
    if annotated == 0 and not has_return:
        return "unannotated"
    return "partly annotated"


def _typing_name(head: tree_sitter.Node, imports: Imports) -> str | None:
    """'List' when the head stands for typing.List (however imported), else None."""
    holder = head.parent if head.parent is not None and head.parent.type == "attribute" else head
    qualified = imports.qualified(holder)
    module, _, name = qualified.rpartition(".")
    return name if module in _TYPING_MODULES else None


def _arguments(generic: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The type arguments of `X[a, b]`, both as an expression and in an annotation."""
    if generic.type == "generic_type":
        parameter = next((c for c in generic.named_children if c.type == "type_parameter"), None)
        return parameter.named_children if parameter else []
    return generic.children_by_field_name("subscript")


def _brackets(generic: tree_sitter.Node) -> str:
    """'[int]' of 'List[int]'."""
    whole = text(generic)
    return whole[whole.index("[") :] if "[" in whole else ""


def _has_string(nodes: list[tree_sitter.Node]) -> bool:
    return any("'" in text(n) or '"' in text(n) for n in nodes)


def _union_members(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    if node.type == "type" and node.named_child_count == 1:
        return _union_members(node.named_children[0])
    if node.type == "union_type" or (
        node.type == "binary_operator" and text(node.child_by_field_name("operator")) == "|"
    ):
        return [m for child in node.named_children for m in _union_members(child)]
    return [node]


def _is_outermost_union(node: tree_sitter.Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type == "type":
        parent = parent.parent
    if parent is None:
        return True
    if parent.type == "union_type":
        return False
    return not (
        parent.type == "binary_operator" and text(parent.child_by_field_name("operator")) == "|"
    )


def _observe_generic(
    source: SourceFile, generic: tree_sitter.Node, head: tree_sitter.Node, imports: Imports
) -> Iterator[Observation]:
    head_text = text(head)
    if head_text in _BUILTIN_GENERICS:
        if (
            imports.qualified(head) == ""
            and head.parent is not None
            and head.parent.type != "attribute"
        ):
            yield observe(source, DIMENSION, "generics", "builtin", generic)
        return
    name = _typing_name(head, imports)
    arguments = _arguments(generic)
    if name in _TYPING_ALIASES:
        rewrite = _TYPING_ALIASES[name] + _brackets(generic)
        yield observe(source, DIMENSION, "generics", "typing", generic, {"builtin": rewrite})
    elif name == "Optional" and len(arguments) == 1:
        rewrites = {} if _has_string(arguments) else {"pipe": f"{text(arguments[0])} | None"}
        yield observe(source, DIMENSION, "optional", "Optional", generic, rewrites)
    elif name == "Union" and any(m.type == "none" for a in arguments for m in _union_members(a)):
        rewrites = (
            {} if _has_string(arguments) else {"pipe": " | ".join(text(a) for a in arguments)}
        )
        yield observe(source, DIMENSION, "optional", "Optional", generic, rewrites)


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    imports = imports_of(source)
    for name in found.get("name", []):
        if name.parent is not None:
            yield observe(source, DIMENSION, "functions", _function_choice(name.parent), name)
    heads = {
        # the head node of each captured generic: its first named descendant that is a name
        generic.id: head
        for head in found.get("head", [])
        for generic in [
            head.parent.parent if head.parent and head.parent.type == "attribute" else head.parent
        ]
        if generic is not None
    }
    for generic in found.get("generic", []):
        head = heads.get(generic.id)
        if head is not None:
            yield from _observe_generic(source, generic, head, imports)
    for union in found.get("union", []):
        if _is_outermost_union(union) and any(m.type == "none" for m in _union_members(union)):
            yield observe(source, DIMENSION, "optional", "pipe", union)


_WORDS = words_of(__name__)  # python_type_hints.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
