"""Loop-exit questions: when a search loop finds nothing, which line runs next?

A loop that can stop early (a `break` that leaves this very loop, or a `return`) is asked
about its other way out: running to its end. Then the next line is the first line of its
`else` block (Python's `for ... else`), or the statement after the loop. Loops that never end
by themselves (`while True`, `for {}`, `loop`, `for (;;)`), labelled loops and loops whose
next statement lies outside the region are not asked about.

Wrong options are the lines that stop it early, the statement after the loop when there is
an `else` (the classic misreading of `for ... else`), the line after the right one, and the
loop's own body lines.

    The loop on line 4 (`for user in users:`) can stop early at the `return` on line 6.
    If it finishes without reaching it, which line runs next?
"""

from __future__ import annotations

import tree_sitter

from mindgap.gate.questions._syntax import (
    Shapes,
    descendants,
    first_line,
    first_questions,
    is_statement,
    line_choices,
    line_list,
    next_statement,
    own_descendants,
    pick_preferring,
    quote,
    shapes,
    statements,
    whole_nodes,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.syntax.roles import every

Node = tree_sitter.Node
CONTINUES = every("continues")
DISTRACTORS = 3
_LABELS = frozenset({"label", "statement_identifier", "label_name"})


class LoopExit:
    type = "loop-exit"
    kind = "tracing"
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        return first_questions(
            self._about(code, shape, loop) for loop in whole_nodes(code, *shape.loops)
        )

    def _about(self, code: CodeUnderQuiz, shape: Shapes, loop: Node) -> Question | None:
        body = loop.child_by_field_name("body")
        if body is None or _endless(code, shape, loop) or _labelled(loop, shape):
            return None
        exits = [n for n in own_descendants(body, shape) if _leaves(n, loop, shape)]
        if not exits:
            return None
        statement = loop
        if loop.parent is not None and loop.parent.type == "expression_statement":
            statement = loop.parent  # Rust: `for ... { }` is an expression statement
        if not is_statement(statement, shape):
            return None
        after = next_statement(statement, shape)
        otherwise = loop.child_by_field_name("alternative")  # Python: for/while ... else
        if otherwise is not None:
            else_body = otherwise.child_by_field_name("body")
            inside_else = statements(else_body, shape) if else_body is not None else []
            if not inside_else:
                return None
            target = inside_else[0]
        elif after is not None:
            target = after
        else:
            return None
        if target.end_byte > code.end_byte:
            return None
        answer = code.line_of(target)
        exit_lines = sorted({code.line_of(n) for n in exits})
        following = [
            code.line_of(n)
            for n in (after, next_statement(target, shape) if target is not None else None)
            if n is not None and n.end_byte <= code.end_byte
        ]
        body_lines = [
            code.line_of(n)
            for n in descendants(body, shape.scopes)
            if is_statement(n, shape) and code.line_of(n) not in exit_lines
        ]
        exclude = {str(answer), str(code.line_of(loop))}
        wrong = pick_preferring(
            code.rng,
            [[str(n) for n in exit_lines + following], [str(n) for n in body_lines]],
            DISTRACTORS,
            exclude=exclude,
        )
        if len(wrong) < 2:
            return None
        kinds = sorted({_word(n, shape) for n in exits})
        stoppers = " or ".join(f"`{kind}`" for kind in kinds)
        at = f"the {stoppers} on {line_list(exit_lines)}"
        loop_line = code.line_of(loop)
        pronoun = "it" if len(exit_lines) == 1 else "them"
        if otherwise is not None:
            why = (
                f"A loop's `else` block runs when the loop finishes without `break`, so line "
                f"{answer}, the first line of the `else` block, runs next"
                + (
                    f"; line {code.line_of(after)} only runs after the `else` block."
                    if after
                    else "."
                )
            )
        else:
            why = (
                f"When the loop finishes, execution continues with the statement after it, "
                f"line {answer}; {at} would have left the loop early instead."
            )
        return Question(
            type=self.type,
            prompt=(
                f"The loop on line {loop_line} ({quote(first_line(code, loop))}) can stop early "
                f"at {at}. If it finishes without reaching {pronoun}, which line runs next?"
            ),
            answer=f"line {answer}",
            choices=line_choices(answer, [int(n) for n in wrong]),
            explanation=why,
        )


def _leaves(node: Node, loop: Node, shape: Shapes) -> bool:
    """A `return`, or a `break` whose nearest enclosing loop or switch is `loop`."""
    if node.type in shape.returns:
        return True
    if node.type not in shape.breaks:
        return False
    child, parent = node, node.parent
    while parent is not None:
        if parent.type in shape.switches:
            return False
        # A `break` in a loop's `else` block leaves the loop around it, not this one.
        if parent.type in shape.loops and child == parent.child_by_field_name("body"):
            return parent == loop
        child, parent = parent, parent.parent
    return False


def _word(node: Node, shape: Shapes) -> str:
    return "return" if node.type in shape.returns else "break"


def _labelled(loop: Node, shape: Shapes) -> bool:
    """A labelled loop, or one holding a labelled `break`/`continue` (which may leave a loop
    further out)."""
    if loop.parent is not None and loop.parent.type == "labeled_statement":
        return True
    if any(child.type in _LABELS for child in loop.children):
        return True
    for node in descendants(loop, shape.scopes):
        if node.type in _LABELS:
            return True
        if (node.type in shape.breaks or node.type in CONTINUES) and any(
            child.type in _LABELS or child.type == "identifier" for child in node.named_children
        ):
            return True  # Java: `break outer;`
    return False


def _endless(code: CodeUnderQuiz, shape: Shapes, loop: Node) -> bool:
    """Whether the loop can only end by `break`, `return` or an exception."""
    if loop.type in shape.infinite_loops:
        return True
    if loop.type == "for_statement" and code.language in ("javascript", "typescript", "tsx"):
        condition = loop.child_by_field_name("condition")
        return condition is None or condition.type == "empty_statement"
    if loop.type == "for_statement" and code.language == "java":
        return loop.child_by_field_name("condition") is None
    if loop.type == "for_statement" and code.language == "go":
        header = [n for n in loop.named_children if n != loop.child_by_field_name("body")]
        header = [n for n in header if n.type not in shape.comments]
        if not header:
            return True
        if header[0].type == "for_clause":
            return header[0].child_by_field_name("condition") is None
        if header[0].type == "range_clause":
            return False
        return _always_true(code, header[0])
    condition = loop.child_by_field_name("condition")
    return condition is not None and _always_true(code, condition)


def _always_true(code: CodeUnderQuiz, condition: Node) -> bool:
    text = code.node_text(condition).strip("() \t\n")
    return text in ("True", "true", "1")


GENERATORS = [LoopExit()]
