"""Python exceptions: how broadly handlers catch, and whether raises in them chain.

Aspect "handler": an `except` catches specific exceptions, everything (`except Exception`,
`except BaseException`, alone or in a tuple) or is bare (`except:`). A handler whose body
ends by re-raising with a bare `raise` swallows nothing (cleanup, then propagate): its
breadth is no vote.

Aspect "chaining": a `raise X(...)` inside an `except` block says where it came from
(`raise X(...) from err`, or `from None`) or not. Re-raising the caught exception itself
(`raise`, `raise err`) is no choice. The rewrite adds `from <name>` when the handler names
the exception.
"""

from __future__ import annotations

from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    FUNCTION_SCOPES,
    PYTHON,
    captures,
    enclosing,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "exceptions"
_QUERY = register(
    """
(except_clause) @handler
(raise_statement) @raise
"""
)
_BROAD = frozenset({"Exception", "BaseException", "builtins.Exception", "builtins.BaseException"})
_HANDLER_OR_BOUNDARY = FUNCTION_SCOPES | {"except_clause"}


def _caught(handler: tree_sitter.Node) -> tuple[tree_sitter.Node | None, str | None]:
    """(the caught type expression, the name it is bound to)."""
    value = handler.child_by_field_name("value")
    alias = handler.child_by_field_name("alias")
    if value is not None and value.type == "as_pattern":
        target = value.child_by_field_name("alias")
        return value.named_children[0] if value.named_children else None, text(target) or None
    return value, text(alias) or None


def _reraises(handler: tree_sitter.Node) -> bool:
    block = next((c for c in handler.named_children if c.type == "block"), None)
    statements = [c for c in (block.named_children if block else []) if c.type != "comment"]
    return (
        bool(statements)
        and statements[-1].type == "raise_statement"
        and not statements[-1].named_children
    )


def _breadth(caught: tree_sitter.Node | None) -> str:
    if caught is None:
        return "bare"
    names = (
        caught.named_children if caught.type in ("tuple", "parenthesized_expression") else [caught]
    )
    return "broad" if any(text(n) in _BROAD for n in names) else "specific"


def _enclosing_handler(raise_node: tree_sitter.Node) -> tree_sitter.Node | None:
    found = enclosing(raise_node, _HANDLER_OR_BOUNDARY)
    return found if found is not None and found.type == "except_clause" else None


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    for handler in found.get("handler", []):
        if _reraises(handler):
            continue
        caught, _ = _caught(handler)
        keyword = handler.children[0]
        yield observe(
            source, DIMENSION, "handler", _breadth(caught), keyword, end_node=caught or keyword
        )
    for raise_node in found.get("raise", []):
        raised = raise_node.named_children
        if not raised:
            continue  # bare `raise`
        enclosing_handler = _enclosing_handler(raise_node)
        if enclosing_handler is None:
            continue
        _, bound = _caught(enclosing_handler)
        if raise_node.child_by_field_name("cause") is not None:
            yield observe(source, DIMENSION, "chaining", "from", raise_node)
            continue
        if bound is not None and text(raised[0]) == bound:
            continue  # `raise err`: the caught exception itself
        rewrites = {"from": f"{text(raise_node)} from {bound}"} if bound else {}
        yield observe(source, DIMENSION, "chaining", "unchained", raise_node, rewrites)


_WORDS = words_of(__name__)  # python_exceptions.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
