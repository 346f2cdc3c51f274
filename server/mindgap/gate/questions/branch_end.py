"""branch-end: when the condition of an `if ... else` holds and its block has run, which line
runs next?

Asked about an `if` with an `else` or `elif`/`else if` whose `if` block ends normally (its
last statement is not a `return`, `raise`, `throw`, `break` or `continue`): after that block,
execution skips every other branch and goes on with the statement after the whole `if`
chain, which must lie in the region. A plain `if` without alternatives is not asked about
(the next line is simply the next line).

Wrong choices are the classic misreadings: the first line of the `else` block or the next
`elif` (as if the branches ran one after the other), the `if` line itself (as if it were a
loop), and the line after the right one. Answering means following the chain's structure,
not searching its text.

    If `not items` on line 4 is true, which line runs after line 5 (the end of its block)?
"""

from __future__ import annotations

import tree_sitter

from mindgap.gate.questions._syntax import (
    Shapes,
    is_statement,
    line_choices,
    next_statement,
    pick_preferring,
    quote,
    region_nodes,
    shapes,
    statements,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.syntax.roles import every

Node = tree_sitter.Node
TYPE = "branch-end"
QUESTIONS = 2
JUMPS = every("returns") | every("raises") | every("breaks") | every("continues")


class BranchEnd:
    type = TYPE
    kind = "tracing"
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        found = []
        for node in region_nodes(code, *every("branches")):
            if node.end_byte > code.end_byte:
                continue
            question = self.about(code, shape, node)
            if question is not None:
                found.append(question)
            if len(found) == QUESTIONS:
                break
        return found

    def about(self, code: CodeUnderQuiz, shape: Shapes, node: Node) -> Question | None:
        statement = node
        if node.parent is not None and node.parent.type == "expression_statement":
            statement = node.parent  # Rust: an `if` expression used as a statement
        if not is_statement(statement, shape):
            return None  # an `else if` link, or an `if` used as a value
        alternatives = node.children_by_field_name("alternative")
        condition = node.child_by_field_name("condition")
        consequence = node.child_by_field_name("consequence")
        if not alternatives or condition is None or consequence is None:
            return None
        body = statements(consequence, shape) if consequence.type in shape.blocks else []
        if not body or _ends_in_jump(body[-1]):
            return None
        after = next_statement(statement, shape)
        if after is None or after.end_byte > code.end_byte:
            return None
        answer = code.line_of(after)
        last = code.line_of(body[-1])
        if_line = code.line_of(node)
        other_starts = []
        for alternative in alternatives:
            inner = [c for c in alternative.named_children if c.type not in shape.comments]
            target = inner[0] if inner else alternative
            if target.type in shape.blocks:
                first = statements(target, shape)[:1]
                target = first[0] if first else target
            other_starts.append(code.line_of(target))
        following = next_statement(after, shape)
        wrong = pick_preferring(
            code.rng,
            [
                [str(n) for n in other_starts],
                [str(if_line)],
                [str(code.line_of(following))] if following is not None else [],
            ],
            3,
            exclude={str(answer), str(last)},
        )
        if len(wrong) < 2:
            return None
        text = code.node_text(condition)
        if text.startswith("(") and text.endswith(")"):
            text = text[1:-1]
        return Question(
            type=self.type,
            prompt=f"If {quote(text)} on line {if_line} is true, which line runs after line "
            f"{last} (the end of its block)?",
            answer=f"line {answer}",
            explanation=f"Only one branch of the chain runs: after its block, execution skips "
            f"the other branches and goes on after the whole `if`, at line {answer}.",
            choices=line_choices(answer, [int(n) for n in wrong]),
        )


def _ends_in_jump(node: Node) -> bool:
    current = node
    if current.type == "expression_statement" and current.named_children:
        current = current.named_children[0]
    return current.type in JUMPS


GENERATORS = [BranchEnd()]
