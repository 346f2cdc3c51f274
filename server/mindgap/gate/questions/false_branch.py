"""False-branch questions: if the condition on line N is false, which line runs next?

The key follows from the shape of the `if` alone: the next condition of an `elif` /
`else if`, the first line of the `else` block, or, without an `else`, the statement after
the whole `if`. Asked only when that line exists in the region (an `if` that ends its block
would continue somewhere the tree does not show plainly: the loop header, the caller),
about a whole `if` (not an `else if` link of a chain) whose condition is an expression
(not Rust's `if let`, which matches a pattern).

Wrong options are the first line of the `if` block (the classic misreading), the line after
the whole `if` when there is an `else`, the line after the right one, and other lines of the
branches.

    If `not items` on line 4 is false, which line runs next?
"""

from __future__ import annotations

import tree_sitter

from mindgap.gate.questions._syntax import (
    Shapes,
    descendants,
    is_statement,
    line_choices,
    line_list,
    next_statement,
    pick_preferring,
    quote,
    region_nodes,
    shapes,
    statements,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

Node = tree_sitter.Node
DISTRACTORS = 3
QUESTIONS = 2  # per region, at most
_IFS = ("if_statement", "if_expression")
_PATTERN_CONDITIONS = frozenset({"let_condition", "let_chain"})


class FalseBranch:
    type = "false-branch"
    kind = "tracing"
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        questions = []
        for node in region_nodes(code, *_IFS):
            if node.end_byte <= code.end_byte:
                question = _about(self.type, code, shape, node)
                if question is not None:
                    questions.append(question)
        if len(questions) <= QUESTIONS:
            return questions
        keep = sorted(code.rng.sample(range(len(questions)), QUESTIONS))
        return [questions[index] for index in keep]


def _about(kind: str, code: CodeUnderQuiz, shape: Shapes, node: Node) -> Question | None:
    statement = node
    if node.parent is not None and node.parent.type == "expression_statement":
        statement = node.parent  # Rust: an `if` expression used as a statement
    if not is_statement(statement, shape):
        return None  # an `else if` link, or an `if` used as a value
    condition = node.child_by_field_name("condition")
    consequence = node.child_by_field_name("consequence")
    if condition is None or consequence is None or condition.type in _PATTERN_CONDITIONS:
        return None
    after = next_statement(statement, shape)
    alternative = _alternative(node)
    if alternative is not None:
        target, how = _alternative_start(code, shape, alternative)
        if target is None:
            return None
    elif after is not None:
        target = after
        how = "there is no `else`, so execution skips the `if` block and goes on with"
    else:
        return None
    if target.end_byte > code.end_byte:
        return None
    answer = code.line_of(target)
    if_line = code.line_of(node)
    body_first = [code.line_of(s) for s in _block_statements(consequence, shape)[:1]]
    following = [
        code.line_of(n)
        for n in (after if alternative is not None else None, next_statement(target, shape))
        if n is not None and n.end_byte <= code.end_byte and is_statement(n, shape)
    ]
    inside = [
        code.line_of(n)
        for n in descendants(node, shape.scopes)
        if is_statement(n, shape) and n.end_byte <= code.end_byte
    ]
    later: list[int] = []  # statements further down: skipping too far is a misreading as well
    step = next_statement(target, shape)
    while step is not None and len(later) < 3:
        if step.end_byte <= code.end_byte and is_statement(step, shape):
            later.append(code.line_of(step))
        step = next_statement(step, shape)
    wrong = pick_preferring(
        code.rng,
        [
            [str(n) for n in body_first + following],
            [str(n) for n in inside],
            [str(n) for n in later],
        ],
        DISTRACTORS,
        exclude={str(answer), str(if_line)},
    )
    if len(wrong) < 2:
        return None
    condition_text = code.node_text(condition)
    if condition_text.startswith("(") and condition_text.endswith(")"):
        condition_text = condition_text[1:-1]
    block_lines = sorted({code.line_of(s) for s in _block_statements(consequence, shape)})
    skipped = f" (the `if` block, {line_list(block_lines)}, is skipped)" if block_lines else ""
    return Question(
        type=kind,
        prompt=(f"If {quote(condition_text)} on line {if_line} is false, which line runs next?"),
        answer=f"line {answer}",
        choices=line_choices(answer, [int(n) for n in wrong]),
        explanation=f"When it is false, {how} line {answer}{skipped}.",
    )


def _alternative(node: Node) -> Node | None:
    """The first `elif` / `else` of an `if` (Python lists every elif as an alternative)."""
    alternatives = node.children_by_field_name("alternative")
    return alternatives[0] if alternatives else None


def _alternative_start(
    code: CodeUnderQuiz, shape: Shapes, alternative: Node
) -> tuple[Node | None, str]:
    """Where execution goes into the alternative: the next condition of a chain, or the
    first statement of the `else` block."""
    if alternative.type == "elif_clause":
        return alternative, "Python tests the next condition, the `elif` on"
    branch = alternative
    if alternative.type == "else_clause":
        body = alternative.child_by_field_name("body")
        named = [c for c in alternative.named_children if c.type not in shape.comments]
        branch = body if body is not None else (named[0] if len(named) == 1 else alternative)
    if branch.type in _IFS:
        return branch, "the `else if` tests its condition next, on"
    first = _block_statements(branch, shape)[:1]
    if not first:
        return None, ""
    return first[0], "the `else` branch runs, starting at"


def _block_statements(branch: Node, shape: Shapes) -> list[Node]:
    if branch.type in shape.blocks:
        return statements(branch, shape)
    if branch.type == "else_clause":
        body = branch.child_by_field_name("body")
        return statements(body, shape) if body is not None else []
    return [branch]  # a single statement without braces


GENERATORS = [FalseBranch()]
