"""Loop-state questions: which of these variables does the loop assign a new value to?

A loop's job is usually to build up some state (a total, a best match, a counter). The key
is a variable assigned inside the loop's body (not its own loop variable), preferring one
that already existed before the loop: the accumulator. Wrong options are variables the loop
only reads and never assigns, neither in its header nor its body: exactly one choice is
assigned. Names the loop might change without an assignment in sight (`&mut x`, `&x`, a
closure that assigns them) are left out of both; so are the names of called functions and
`self` / `this`.

    Which of these variables does the loop on line 4 (`for item in items:`) assign a new
    value to?  total / items / scale / limit
"""

from __future__ import annotations

import tree_sitter

from mindgap.gate.questions._syntax import (
    Shapes,
    and_list,
    descendants,
    enclosing_scope,
    first_line,
    first_questions,
    inside,
    is_binding,
    is_variable,
    pick,
    quote,
    shapes,
    shuffled,
    takes_address,
    whole_nodes,
    within_region,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

Node = tree_sitter.Node
DISTRACTORS = 3
_NEVER = frozenset({"self", "cls", "this", "_", "None", "Some", "Ok", "Err", "nil", "undefined"})


class LoopAssigns:
    type = "loop-assigns"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        return first_questions(
            _about(self.type, code, shape, loop) for loop in whole_nodes(code, *shape.loops)
        )


def _about(kind: str, code: CodeUnderQuiz, shape: Shapes, loop: Node) -> Question | None:
    body = loop.child_by_field_name("body")
    if body is None:
        return None
    scope = enclosing_scope(loop, shape)
    assigned: dict[str, int] = {}  # name -> first line assigned in the body
    in_header: set[str] = set()  # the loop's own variables
    read: set[str] = set()
    unsure: set[str] = set()  # may change out of sight: never offered
    changed: set[str] = set()  # changed in place (`xs.append`, `d[k] = v`): not offered as wrong
    for node in descendants(loop):
        if node.type not in shape.identifiers or not is_variable(node, shape):
            continue
        name = code.node_text(node)
        if name in _NEVER:
            continue
        if enclosing_scope(node, shape) != scope or _in_comprehension(node, body):
            unsure.add(name)  # belongs to a nested function or comprehension
        elif _changed_through_address(node):
            unsure.add(name)
        elif is_binding(node, shape):
            if inside(node, body):
                assigned.setdefault(name, code.line_of(node))
            else:
                in_header.add(name)
        else:
            read.add(name)
            if _in_callee_or_target(node, shape):
                changed.add(name)
    answers = [name for name in assigned if name not in in_header | unsure]
    local = _bound_in(code, shape, scope)  # not a module, class or constant from outside
    only_read = sorted(
        name
        for name in read - assigned.keys() - in_header - unsure - changed
        if name in local and not name[0].isupper()
    )
    if not answers or len(only_read) < 2:
        return None
    existed = _assigned_before(code, shape, loop, scope)
    preferred = [name for name in answers if name in existed] or answers
    answer = code.rng.choice(preferred)
    wrong = pick(code.rng, only_read, DISTRACTORS)
    line = code.line_of(loop)
    return Question(
        type=kind,
        prompt=(
            f"Which of these variables does the loop on line {line} "
            f"({quote(first_line(code, loop))}) assign a new value to?"
        ),
        answer=answer,
        choices=shuffled(code.rng, answer, wrong),
        explanation=(
            f"`{answer}` is assigned inside the loop, on line {assigned[answer]}; "
            f"{and_list([f'`{name}`' for name in sorted(wrong)])} are only read there."
        ),
    )


_COMPREHENSIONS = frozenset(
    {"list_comprehension", "set_comprehension", "dictionary_comprehension", "generator_expression"}
)
_ASSIGNMENTS = frozenset(
    {
        "assignment",
        "augmented_assignment",
        "assignment_expression",
        "augmented_assignment_expression",
        "compound_assignment_expr",
        "assignment_statement",
    }
)


def _in_comprehension(node: Node, limit: Node) -> bool:
    parent = node.parent
    while parent is not None and parent != limit:
        if parent.type in _COMPREHENSIONS:
            return True
        parent = parent.parent
    return False


def _in_callee_or_target(node: Node, shape: Shapes) -> bool:
    """Part of what is called (`items.append(...)`), or of what is assigned to
    (`counts[key] = ...`, `self.total += ...`): the value may change in place."""
    child, parent = node, node.parent
    while parent is not None and parent.type not in shape.blocks:
        if parent.type in shape.calls:
            callee = parent.child_by_field_name("function") or parent.child_by_field_name("object")
            if callee is not None and inside(child, callee):
                return True
        if parent.type in _ASSIGNMENTS:
            target = parent.child_by_field_name("left")
            if target is not None and inside(child, target):
                return True
        child, parent = parent, parent.parent
    return False


def _changed_through_address(node: Node) -> bool:
    parent = node.parent
    while parent is not None and parent.type == "parenthesized_expression":
        parent = parent.parent
    return parent is not None and takes_address(parent)


def _bound_in(code: CodeUnderQuiz, shape: Shapes, scope: Node | None) -> set[str]:
    """Parameters and variables of the function (at the top level: of the region)."""
    key = f"loop_assigns.bound.{scope.start_byte if scope is not None else -1}"
    cached = code.notes.get(key)
    if isinstance(cached, set):
        return cached
    nodes = (
        descendants(scope, shape.scopes)
        if scope is not None
        else within_region(code, code.tree.root_node, shape.scopes)
    )
    bound = {
        code.node_text(node)
        for node in nodes
        if node.type in shape.identifiers and is_binding(node, shape)
    }
    code.notes[key] = bound
    return bound


def _assigned_before(
    code: CodeUnderQuiz, shape: Shapes, loop: Node, scope: Node | None
) -> set[str]:
    """Names assigned before the loop in the same function (and inside the region)."""
    nodes = (
        descendants(scope, shape.scopes)
        if scope is not None
        else within_region(code, code.tree.root_node, shape.scopes)
    )
    names = set()
    for node in nodes:
        if node.start_byte >= loop.start_byte:
            break
        if (
            node.type in shape.identifiers
            and node.start_byte >= code.start_byte
            and is_binding(node, shape)
        ):
            names.add(code.node_text(node))
    return names


GENERATORS = [LoopAssigns()]
