"""Call questions: which of these names does the code call directly?

The key is a function or method the region calls by name. Wrong options are names the code
never calls: first functions called or defined elsewhere in the same file that the region
never mentions at all (not even in a string, so not through `getattr` or a callback either),
then variables the region only reads or assigns, never calls, passes on or calls a method
of. "Directly" keeps a name reached through another call from being right by accident.

    Which of these does `load` (lines 3-14) call directly?  read_config / path / render / retry
"""

from __future__ import annotations

import builtins
import re

import tree_sitter

from mindgap.gate.questions._syntax import (
    Shapes,
    and_list,
    enclosing_scope,
    functions_in,
    is_binding,
    is_variable,
    nearby,
    pick_preferring,
    query,
    quote,
    region_label,
    region_nodes,
    shapes,
    shuffled,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

DISTRACTORS = 3

# @call: the name a call uses; @defined: a function defined in the file.
_QUERIES = {
    "python": """
        (call function: [(identifier) @call (attribute attribute: (identifier) @call)])
        (decorator [(identifier) @call (attribute attribute: (identifier) @call)])
        (function_definition name: (identifier) @defined)
    """,
    "javascript": """
        (call_expression function: [
            (identifier) @call
            (member_expression property: (property_identifier) @call)])
        (new_expression constructor: (identifier) @call)
        (function_declaration name: (identifier) @defined)
        (method_definition name: (property_identifier) @defined)
    """,
    "go": """
        (call_expression function: [
            (identifier) @call
            (selector_expression field: (field_identifier) @call)])
        (function_declaration name: (identifier) @defined)
        (method_declaration name: (field_identifier) @defined)
    """,
    "rust": """
        (call_expression function: [
            (identifier) @call
            (field_expression field: (field_identifier) @call)
            (scoped_identifier name: (identifier) @call)])
        (macro_invocation macro: (identifier) @macro)
        (function_item name: (identifier) @defined)
    """,
    "java": """
        (method_invocation name: (identifier) @call)
        (object_creation_expression type: (type_identifier) @call)
        (method_declaration name: (identifier) @defined)
    """,
}
_QUERIES["typescript"] = _QUERIES["tsx"] = _QUERIES["javascript"]

_BUILTINS = {
    "python": frozenset(dir(builtins)),
    "javascript": frozenset(
        {"log", "push", "map", "filter", "forEach", "then", "catch", "toString", "String"}
    ),
    "go": frozenset({"len", "append", "make", "new", "cap", "panic", "copy", "delete"}),
    "rust": frozenset({"unwrap", "clone", "to_string", "Ok", "Some", "into", "iter"}),
    "java": frozenset({"println", "equals", "toString", "get", "size", "add"}),
}
_BUILTINS["typescript"] = _BUILTINS["tsx"] = _BUILTINS["javascript"]
_NEVER_OPTIONS = frozenset(
    {"self", "cls", "this", "super", "_", "None", "Some", "Ok", "Err", "nil", "undefined"}
)
_WORD = re.compile(r"[A-Za-z_$][\w$]*")


class Calls:
    type = "calls"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        source = _QUERIES.get(code.language)
        if shape is None or source is None:
            return []
        compiled = query(code.language, source)
        called_here = _captures(compiled, code.tree.root_node, code.start_byte, code.end_byte)
        calls = [node for node in called_here.get("call", []) if _inside_region(code, node)]
        if not calls:
            return []
        everywhere = _captures(compiled, code.tree.root_node, *nearby(code))
        words_here = set(_WORD.findall(code.text))
        macros = [n for n in called_here.get("macro", []) if _inside_region(code, n)]
        called_names = {code.node_text(node) for node in (*calls, *macros)}

        elsewhere = [
            code.node_text(node)
            for node in (
                *everywhere.get("defined", []),
                *everywhere.get("call", []),
                *everywhere.get("macro", []),
            )
            if not _inside_region(code, node)
        ]
        from_file = [name for name in elsewhere if name not in words_here]
        from_region = _plain_variables(code, shape, called_names)

        builtin = _BUILTINS.get(code.language, frozenset())
        defined = {code.node_text(node) for node in everywhere.get("defined", [])}
        by_name: dict[str, tree_sitter.Node] = {}
        for node in calls:
            by_name.setdefault(code.node_text(node), node)
        tiers = [
            [name for name in by_name if name in defined],
            [name for name in by_name if name not in defined and name not in builtin],
            [name for name in by_name if name in builtin],
        ]
        questions = []
        for answer in pick_preferring(code.rng, tiers, 1, exclude=set(_NEVER_OPTIONS)):
            wrong = pick_preferring(
                code.rng,
                [from_file, from_region],
                DISTRACTORS,
                exclude={*called_names, *_NEVER_OPTIONS, answer},
            )
            if len(wrong) < DISTRACTORS:
                continue
            node = by_name[answer]
            call = node
            while call.parent is not None and call.type not in (*shape.calls, "decorator"):
                call = call.parent
            line = code.line_of(node)
            questions.append(
                Question(
                    type=self.type,
                    prompt=f"Which of these does {_subject(code, shape)} call directly?",
                    answer=answer,
                    choices=shuffled(code.rng, answer, wrong),
                    explanation=(
                        f"Line {line} calls `{answer}`: {quote(_call_text(code, call))}. "
                        f"It never calls {and_list([f'`{name}`' for name in sorted(wrong)], 'or')}."
                    ),
                )
            )
        return questions


def _captures(
    compiled: tree_sitter.Query, root: tree_sitter.Node, start: int = 0, end: int | None = None
) -> dict[str, list[tree_sitter.Node]]:
    cursor = tree_sitter.QueryCursor(compiled)
    if end is not None:
        cursor.set_byte_range(start, end)
    # Sorted: tree-sitter does not promise an order, and the quiz must not vary.
    return {
        name: sorted(nodes, key=lambda node: (node.start_byte, node.end_byte))
        for name, nodes in cursor.captures(root).items()
    }


def _inside_region(code: CodeUnderQuiz, node: tree_sitter.Node) -> bool:
    return code.start_byte <= node.start_byte and node.end_byte <= code.end_byte


def _plain_variables(code: CodeUnderQuiz, shape: Shapes, called: set[str]) -> list[str]:
    """Variables the region mentions but never calls, passes to a call, or uses as the
    object of a call (`fn.apply(...)`, `handler.__call__()`): they cannot be called there."""
    holding_functions = {  # statements that give a name a lambda or closure
        _statement_key(node, shape) for node in region_nodes(code, *shape.anonymous_functions)
    }
    seen: dict[str, bool] = {}  # name -> still a safe wrong option
    for node in region_nodes(code, *shape.identifiers):
        if not is_variable(node, shape) or enclosing_scope(node, shape) is None:
            continue  # imports and other top-level names are not candidates
        name = code.node_text(node)
        safe = seen.get(name, True) and name not in called and not _near_a_call(node, shape)
        if is_binding(node, shape) and (
            (node.parent is not None and node.parent.type in shape.scopes)
            or _statement_key(node, shape) in holding_functions
        ):
            safe = False  # a function's own name, or a name given a function
        seen[name] = safe
    return [name for name, safe in seen.items() if safe]


def _statement_key(node: tree_sitter.Node, shape: Shapes) -> tuple[int, int]:
    """The statement holding `node`, as a hashable span; a definition counts as its own
    statement, so a parameter is not "given a function" by lambdas in the body."""
    current = node
    while current.parent is not None and current.parent.type not in shape.blocks:
        current = current.parent
        if current.type in shape.scopes:
            break
    return (current.start_byte, current.end_byte)


def _near_a_call(node: tree_sitter.Node, shape: Shapes) -> bool:
    """Inside a call: its callee (`fn.apply(...)`) or an argument (a callback may be called)."""
    parent = node.parent
    while parent is not None and parent.type not in shape.blocks:
        if parent.type in shape.calls or parent.type in ("decorator", "token_tree"):
            return True
        parent = parent.parent
    return False


def _call_text(code: CodeUnderQuiz, call: tree_sitter.Node) -> str:
    return code.node_text(call)


def _subject(code: CodeUnderQuiz, shape: Shapes) -> str:
    """`name` (lines a-b) when the region is one function, else "the code on lines a-b"."""
    functions = functions_in(code, shape)
    text = code.text
    first = code.start_byte + len(text) - len(text.lstrip())
    last = code.start_byte + len(text.rstrip())
    for function in functions:
        node = function.node
        outer = node.parent if node.parent and node.parent.type == "decorated_definition" else node
        if outer.start_byte <= first and node.end_byte >= last and function.name:
            end = node.end_point.row + 1
            return f"`{function.name}` (lines {function.line}-{end})"
    return region_label(code)


GENERATORS = [Calls()]
