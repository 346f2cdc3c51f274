"""Python comprehensions: a collection built by a comprehension or by an append loop.

Only the shape both forms can express is counted, so the vote is fair. The loop form:
`names = []` (or `set()`, `{}`) directly followed by a `for` (not async, no `else`) whose
body is one `names.append(x)` (`.add(x)`, `names[k] = v`), possibly under one `if`. The
comprehension form: a comprehension with one `for` and at most one `if`, assigned to a
name or returned. A loop that reads the collection it builds is not a comprehension in
disguise and does not count. The rewrite to the comprehension is offered when the loop
holds no comments (they would be lost).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    PYTHON,
    captures,
    observe,
    register,
    span,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "comprehension"
ASPECT = "collections"
_QUERY = register(
    """
(for_statement) @loop
(list_comprehension) @comprehension
(set_comprehension) @comprehension
(dictionary_comprehension) @comprehension
"""
)
_EMPTY = {"[]": "list", "list()": "list", "set()": "set", "{}": "dict", "dict()": "dict"}
_NEEDS_PARENTHESES = frozenset(
    {"expression_list", "conditional_expression", "lambda", "named_expression"}
)


@dataclass
class _Loop:
    collection: str  # the name being filled
    kind: str  # list, set or dict
    start: tree_sitter.Node  # the `name = []` statement
    element: list[tree_sitter.Node]  # [value] or [key, value]
    condition: tree_sitter.Node | None


def _single_statement(block: tree_sitter.Node | None) -> tree_sitter.Node | None:
    statements = block.named_children if block is not None else []
    real = [s for s in statements if s.type != "comment"]
    return real[0] if len(real) == 1 else None


def _fill(statement: tree_sitter.Node) -> tuple[str, str, list[tree_sitter.Node]] | None:
    """(name, kind, element) of `name.append(x)`, `name.add(x)` or `name[k] = v`."""
    if statement.type != "expression_statement" or statement.named_child_count != 1:
        return None
    expression = statement.named_children[0]
    if expression.type == "call":
        function = expression.child_by_field_name("function")
        arguments = expression.child_by_field_name("arguments")
        if function is None or function.type != "attribute" or arguments is None:
            return None
        owner = function.child_by_field_name("object")
        method = text(function.child_by_field_name("attribute"))
        values = arguments.named_children
        if owner is None or owner.type != "identifier" or len(values) != 1:
            return None
        if values[0].type in ("keyword_argument", "list_splat", "dictionary_splat"):
            return None
        kind = {"append": "list", "add": "set"}.get(method)
        return (text(owner), kind, values) if kind else None
    if expression.type == "assignment" and expression.child_by_field_name("type") is None:
        target = expression.child_by_field_name("left")
        value = expression.child_by_field_name("right")
        if target is None or value is None or target.type != "subscript":
            return None
        owner = target.child_by_field_name("value")
        keys = target.children_by_field_name("subscript")
        if owner is None or owner.type != "identifier" or len(keys) != 1:
            return None
        return text(owner), "dict", [keys[0], value]
    return None


def _mentions(node: tree_sitter.Node | None, name: str) -> bool:
    if node is None:
        return False
    if node.type == "identifier":
        return text(node) == name
    return any(_mentions(child, name) for child in node.named_children)


def _append_loop(loop: tree_sitter.Node) -> _Loop | None:
    if loop.children[0].type == "async" or loop.child_by_field_name("alternative") is not None:
        return None
    statement = _single_statement(loop.child_by_field_name("body"))
    condition = None
    if statement is not None and statement.type == "if_statement":
        if statement.child_by_field_name("alternative") is not None:
            return None
        condition = statement.child_by_field_name("condition")
        statement = _single_statement(statement.child_by_field_name("consequence"))
    fill = _fill(statement) if statement is not None else None
    previous = loop.prev_named_sibling
    if fill is None or previous is None or previous.type != "expression_statement":
        return None
    name, kind, element = fill
    assignment = previous.named_children[0] if previous.named_child_count == 1 else None
    if assignment is None or assignment.type != "assignment":
        return None
    left = assignment.child_by_field_name("left")
    right = assignment.child_by_field_name("right")
    if left is None or right is None or text(left) != name:
        return None
    if _EMPTY.get(text(right).replace(" ", "")) != kind:
        return None
    parts = [
        loop.child_by_field_name("left"),
        loop.child_by_field_name("right"),
        condition,
        *element,
    ]
    if any(_mentions(part, name) for part in parts):
        return None
    return _Loop(name, kind, previous, element, condition)


def _wrapped(node: tree_sitter.Node) -> str:
    return f"({text(node)})" if node.type in _NEEDS_PARENTHESES else text(node)


def _rewrite(source: SourceFile, loop: tree_sitter.Node, found: _Loop) -> str | None:
    if "#" in source.text[span(source, found.start)[0] : span(source, loop)[1]]:
        return None  # a comment (or a '#' in a string: no matter, leave it to the developer)
    assignment = found.start.named_children[0]
    right = assignment.child_by_field_name("right")
    if right is None or any(node.type in ("yield", "await") for node in found.element):
        return None
    head = source.text[span(source, assignment)[0] : span(source, right)[0]]
    target = loop.child_by_field_name("left")
    iterable = loop.child_by_field_name("right")
    if target is None or iterable is None:
        return None
    if found.kind == "dict":
        element = f"{_wrapped(found.element[0])}: {_wrapped(found.element[1])}"
    else:
        element = _wrapped(found.element[0])
    clause = f"for {text(target)} in {_wrapped(iterable)}"
    if found.condition is not None:
        clause += f" if {_wrapped(found.condition)}"
    opening, closing = ("[", "]") if found.kind == "list" else ("{", "}")
    return f"{head}{opening}{element} {clause}{closing}"


def _is_simple_comprehension(comprehension: tree_sitter.Node) -> bool:
    clauses = [c.type for c in comprehension.named_children]
    return clauses.count("for_in_clause") == 1 and clauses.count("if_clause") <= 1


def _comprehension_is_kept(comprehension: tree_sitter.Node) -> bool:
    parent = comprehension.parent
    if parent is None:
        return False
    if parent.type == "return_statement":
        return True
    if parent.type != "assignment":
        return False
    left = parent.child_by_field_name("left")
    right = parent.child_by_field_name("right")
    return (
        left is not None
        and left.type == "identifier"
        and right is not None
        and right.id == comprehension.id
    )


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    for loop in found.get("loop", []):
        shape = _append_loop(loop)
        if shape is None:
            continue
        rewrite = _rewrite(source, loop, shape)
        yield observe(
            source,
            DIMENSION,
            ASPECT,
            "loop",
            shape.start,
            {"comprehension": rewrite} if rewrite else {},
            end_node=loop,
        )
    for comprehension in found.get("comprehension", []):
        if _is_simple_comprehension(comprehension) and _comprehension_is_kept(comprehension):
            yield observe(source, DIMENSION, ASPECT, "comprehension", comprehension)


_WORDS = words_of(__name__)  # python_comprehension.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
