"""Literal-return questions: what does the function return when the condition on line N
holds (or does not)?

Asked about an `if` whose branch is exactly one `return` of a literal (`return None`,
`return -1`, `return "missing"`, Go's `return 0, nil`): when execution reaches the `if` and
the condition is true (or, for a plain `else` branch, false), that value is returned, with
no other code in between. Skipped where something can change the value on the way out: a
`try ... finally` around the `if`, or a Go `defer`.

Wrong options are the function's other literal return values, then values of the same kind
(the other booleans and null, neighbouring numbers), never one equal to the answer.

    If execution reaches line 5 and `not items` is true, what does `first` return?
"""

from __future__ import annotations

import re

import tree_sitter

from mindgap.gate.questions._syntax import (
    MAX_PER_GENERATOR,
    Function,
    Shapes,
    and_list,
    descendants,
    functions_in,
    own_descendants,
    pick_preferring,
    quote,
    shapes,
    shuffled,
    statements,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

Node = tree_sitter.Node
DISTRACTORS = 3
_IFS = frozenset({"if_statement", "if_expression"})
_NULLS = {
    "python": ("None", "False", "True"),
    "javascript": ("null", "undefined", "false", "true"),
    "go": ("nil", "false", "true"),
    "rust": ("false", "true"),
    "java": ("null", "false", "true"),
}
_NULLS["typescript"] = _NULLS["tsx"] = _NULLS["javascript"]


class LiteralReturn:
    type = "literal-return"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        questions = []
        for function in functions_in(code, shape):
            if _returns_a_wrapper(code, shape, function):
                continue
            returned = [
                value
                for n in own_descendants(function.body, shape)
                if n.type in shape.returns and (value := _literal_value(code, shape, n)) is not None
            ]
            asked = [
                question
                for branch in _branches(code, shape, function)
                if (question := _question(self.type, code, function, branch, returned))
            ]
            if asked:
                questions.append(code.rng.choice(asked))  # one per function
            if len(questions) >= MAX_PER_GENERATOR:
                break
        return questions


def _returns_a_wrapper(code: CodeUnderQuiz, shape: Shapes, function: Function) -> bool:
    """Whether a `return x` does not simply give x to the caller: async functions return a
    promise or coroutine, generators a generator, and a Go `defer` may change the results."""
    node = function.node
    header = code.source[node.start_byte : function.body.start_byte]
    if node.type.startswith("generator") or re.search(rb"\basync\b", header):
        return True
    own = own_descendants(function.body, shape)
    return any(n.type in ("yield", "yield_expression", "defer_statement") for n in own)


def _branches(
    code: CodeUnderQuiz, shape: Shapes, function: Function
) -> list[tuple[Node, bool, str]]:
    """(if node, whether its condition is true on the branch, the literal returned)."""
    found = []
    for node in own_descendants(function.body, shape):
        if node.type not in _IFS or _guarded_by_finally(node, function, shape):
            continue
        value = _only_returns(code, shape, node.child_by_field_name("consequence"))
        if value is not None:
            found.append((node, True, value))
        alternative = node.child_by_field_name("alternative")
        if alternative is not None and alternative.type == "else_clause":
            inner = alternative.child_by_field_name("body")
            if inner is None:
                named = [c for c in alternative.named_children if c.type not in shape.comments]
                inner = named[0] if len(named) == 1 else None
            if inner is not None and inner.type not in _IFS:
                value = _only_returns(code, shape, inner)
                if value is not None:
                    found.append((node, False, value))
        elif alternative is not None and alternative.type in shape.blocks:  # Go
            value = _only_returns(code, shape, alternative)
            if value is not None:
                found.append((node, False, value))
    return found


def _only_returns(code: CodeUnderQuiz, shape: Shapes, branch: Node | None) -> str | None:
    """The literal a branch returns when the branch is nothing but `return <literal>`."""
    if branch is None:
        return None
    single = branch
    if branch.type in shape.blocks:
        inside = statements(branch, shape)
        if len(inside) != 1:
            return None
        single = inside[0]
    if single.type == "expression_statement" and single.named_child_count == 1:
        single = single.named_children[0]  # Rust: `return 1;`
    if single.type not in shape.returns:
        return None
    return _literal_value(code, shape, single)


def _literal_value(code: CodeUnderQuiz, shape: Shapes, statement: Node) -> str | None:
    values = [c for c in statement.named_children if c.type not in shape.comments]
    if len(values) != 1:
        return None
    value = values[0]
    parts = value.named_children if value.type == "expression_list" else [value]
    if not parts or not all(_is_literal(code, shape, part) for part in parts):
        return None
    return ", ".join(code.node_text(part) for part in parts)


def _is_literal(code: CodeUnderQuiz, shape: Shapes, node: Node) -> bool:
    if node.type in ("unary_operator", "unary_expression") and node.named_child_count == 1:
        operand = node.named_children[0]
        return code.node_text(node).startswith("-") and _number(code.node_text(operand)) is not None
    if node.type not in shape.literals:
        return False
    # Strings with interpolation (f-strings) are not literals.
    return not any(
        n.type in ("interpolation", "template_substitution", "escape_interpolation")
        for n in descendants(node)
    )


def _guarded_by_finally(node: Node, function: Function, shape: Shapes) -> bool:
    parent = node.parent
    while parent is not None and parent != function.node:
        if parent.type in shape.tries and (
            parent.child_by_field_name("finalizer") is not None
            or any(child.type == "finally_clause" for child in parent.children)
        ):
            return True
        parent = parent.parent
    return False


def _question(
    kind: str,
    code: CodeUnderQuiz,
    function: Function,
    branch: tuple[Node, bool, str],
    returned: list[str],
) -> Question | None:
    node, truth, answer = branch
    condition = node.child_by_field_name("condition")
    if condition is None:
        return None
    wrong = pick_preferring(
        code.rng,
        [
            [v for v in returned if _differs(code.language, v, answer)],
            [v for v in _fillers(code.language, answer) if _differs(code.language, v, answer)],
        ],
        DISTRACTORS,
        exclude={answer},
    )
    if len(wrong) < 2:
        return None
    line = code.line_of(node)
    condition_text = code.node_text(condition)
    if condition_text.startswith("(") and condition_text.endswith(")"):
        condition_text = condition_text[1:-1]
    state = "true" if truth else "false"
    rest = sorted(set(returned) - {answer})
    others = and_list([f"`{v}`" for v in rest]) + (" is" if len(rest) == 1 else " are")
    return Question(
        type=kind,
        prompt=(
            f"If execution reaches line {line} and {quote(condition_text)} is {state}, what "
            f"does {function.label()} return?"
        ),
        answer=answer,
        choices=shuffled(code.rng, answer, wrong),
        explanation=(
            f"When {quote(condition_text)} is {state}, the `if` on line {line} runs its "
            f"{'' if truth else '`else` '}branch, which is just `return {answer}`"
            + (f"; {others} returned on other paths." if rest else ".")
        ),
    )


def _fillers(language: str, answer: str) -> list[str]:
    parts = answer.split(", ")
    if len(parts) > 1:  # Go's several results: vary one of them
        return [
            ", ".join([*parts[:index], other, *parts[index + 1 :]])
            for index, part in enumerate(parts)
            if _number(part) is not None
            for other in _fillers(language, part)
        ]
    number = _number(answer)
    if number is not None and float(number).is_integer() and "." not in answer:
        n = int(number)
        return [str(v) for v in (n + 1, n - 1, 0, -1, 1, 2) if v != n]
    nulls = _NULLS.get(language, ())
    if answer in nulls:
        return [v for v in nulls if v != answer]
    return []


def _differs(language: str, value: str, answer: str) -> bool:
    """Whether two literals are different values (1 and 1.0, 'a' and "a", True and 1 are not)."""
    if value == answer:
        return False
    a, b = _number(_truth(language, value)), _number(_truth(language, answer))
    if a is not None and b is not None:
        return a != b
    text_a, text_b = _unquoted(value), _unquoted(answer)
    return text_a is None or text_a != text_b


def _unquoted(value: str) -> str | None:
    if len(value) >= 2 and value[0] in "'\"`" and value[-1] == value[0]:
        return value[1:-1]
    return None


def _truth(language: str, value: str) -> str:
    if language == "python":
        return {"True": "1", "False": "0"}.get(value, value)
    return value


def _number(text: str) -> float | None:
    cleaned = text.replace("_", "")
    for candidate in (cleaned, cleaned.rstrip("lL"), cleaned.rstrip("fFdD")):
        try:
            return float(int(candidate, 0))
        except ValueError:
            pass
        try:
            return float(candidate)
        except ValueError:
            pass
    return None


GENERATORS = [LiteralReturn()]
