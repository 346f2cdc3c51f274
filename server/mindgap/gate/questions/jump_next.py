"""jump-next: after a `break` or `continue`, which line runs next?

Asked about a `break` or `continue` (without a label) inside a loop of the region: after
`continue` the loop goes on with its next round - the loop's own line, where the condition
or the next item is taken (not a `do ... while`, whose condition is at its end); after
`break` the statement after the whole loop runs (in Python also past a `for ... else`'s
`else` block). A `break` inside a `switch` leaves the switch, not the loop: not asked. The
line must lie in the region.

Wrong choices are the classic misreadings: the statement after the jump in its own block
(as if the jump were not there), the loop's line for a `break` and the line after the loop
for a `continue` (the two jumps swapped), the loop body's first line, and the `else` block
of a Python loop. Answering means knowing where each jump goes in this code's structure.

    After the `continue` on line 7 runs, which line runs next?   line 3 / line 8 / line 10
"""

from __future__ import annotations

from tree_sitter import Node

from mindgap.gate.questions._syntax import (
    Shapes,
    line_choices,
    next_statement,
    pick_preferring,
    region_nodes,
    shapes,
    statements,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.syntax.roles import every

TYPE = "jump-next"
CONTINUES = every("continues")
DO_LOOPS = frozenset({"do_statement"})
MAX_QUESTIONS = 3


class JumpNext:
    type = TYPE
    kind = "tracing"
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        found = []
        for jump in region_nodes(code, *shape.breaks, *CONTINUES):
            question = self.about(code, shape, jump)
            if question is not None:
                found.append(question)
            if len(found) == MAX_QUESTIONS:
                break
        return found

    def about(self, code: CodeUnderQuiz, shape: Shapes, jump: Node) -> Question | None:
        if any(c.type in ("label", "loop_label", "statement_identifier") for c in jump.children):
            return None  # a labelled jump: it may leave an outer loop
        if jump.type in shape.breaks and any(c.is_named for c in jump.children):
            return None  # Rust `break value`
        loop = _enclosing_loop(jump, shape)
        if loop is None or loop.type in DO_LOOPS or loop.end_byte > code.end_byte:
            return None
        is_continue = jump.type in CONTINUES
        loop_line = code.line_of(loop)
        after_loop = _after(loop, shape)
        if is_continue:
            answer = loop_line
        elif after_loop is not None and after_loop.end_byte <= code.end_byte:
            answer = code.line_of(after_loop)
        else:
            return None
        statement = (
            jump
            if jump.parent is None or jump.parent.type != "expression_statement"
            else jump.parent
        )
        following = _falls_through(statement, loop, shape)
        body = loop.child_by_field_name("body")
        body_first = statements(body, shape)[:1] if body is not None else []
        else_clause = next((c for c in loop.named_children if c.type == "else_clause"), None)
        swapped = (
            loop_line
            if not is_continue
            else (code.line_of(after_loop) if after_loop is not None else None)
        )
        candidates = [
            [code.line_of(following)] if following is not None else [],
            [swapped] if swapped is not None else [],
            [code.line_of(n) for n in body_first],
            [code.line_of(else_clause)] if else_clause is not None else [],
        ]
        wrong = pick_preferring(
            code.rng,
            [[str(n) for n in group if n is not None] for group in candidates],
            3,
            exclude={str(answer), str(code.line_of(jump))},
        )
        if len(wrong) < 2:
            return None
        word = "continue" if is_continue else "break"
        where = (
            f"the loop on line {loop_line} goes on with its next round"
            if is_continue
            else f"the loop on line {loop_line} ends and the statement after it runs"
        )
        return Question(
            type=self.type,
            prompt=f"After the `{word}` on line {code.line_of(jump)} runs, which line runs next?",
            answer=f"line {answer}",
            explanation=f"`{word}` means {where}: line {answer}.",
            choices=line_choices(answer, [int(n) for n in wrong]),
        )


def _falls_through(statement: Node, loop: Node, shape: Shapes) -> Node | None:
    """Where execution would go if the jump were not there: the next statement of its
    block, or of the blocks around it, inside the loop."""
    current: Node | None = statement
    while current is not None and current != loop:
        following = next_statement(current, shape)
        if following is not None:
            return following
        current = current.parent
    return None


def _enclosing_loop(node: Node, shape: Shapes) -> Node | None:
    current = node.parent
    while current is not None:
        if current.type in shape.switches:
            return None  # a break here leaves the switch (and a continue is rare)
        if current.type in shape.scopes:
            return None
        if current.type in shape.loops:
            return current
        current = current.parent
    return None


def _after(loop: Node, shape: Shapes) -> Node | None:
    statement = loop
    if loop.parent is not None and loop.parent.type == "expression_statement":
        statement = loop.parent  # Rust: a loop used as a statement
    return next_statement(statement, shape)


GENERATORS = [JumpNext()]
