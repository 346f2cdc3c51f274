"""Raise questions: which line can raise the exception that the handler on line N catches?

Asked only when exactly one line of the `try` block can raise it: by a visible `raise` /
`throw`, a call (any call can raise anything), or an operation the language defines to raise
that type (a subscript for `KeyError`, a division for `ZeroDivisionError`, ...). Handlers
for anything (`except Exception`, a bare `except`, `catch (Throwable t)`) are not asked
about: every line could raise. Only the first handler of a `try` is asked about (a later one
may only see what the earlier ones let through).

Wrong options are the other lines of that `try` block first (they cannot raise it), then
lines outside it in the same function (their exceptions are not caught by that handler: the
handler's own body, `else` and `finally` blocks, the code before and after). Lines inside
nested functions are never options: the `try` block might call them. When no wrong option
lies inside the `try` block, the key is the one line between `try` and its handler, found
without knowing what raises what: that question does not decide a pass.

    Which line can raise the `KeyError` that the `except` on line 7 catches?
"""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from mindgap.gate.questions._syntax import (
    Shapes,
    and_list,
    descendants,
    enclosing_scope,
    first_questions,
    is_statement,
    line_choices,
    line_text,
    pick_preferring,
    quote,
    shapes,
    whole_nodes,
    within_region,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

Node = tree_sitter.Node
DISTRACTORS = 3

# Python: handlers too broad to ask about, and the operations that raise some types.
_PYTHON_BROAD = frozenset(
    {
        "Exception",
        "BaseException",
        "TypeError",
        "NameError",
        "UnboundLocalError",
        "MemoryError",
        "SystemError",
        "KeyboardInterrupt",
        "RecursionError",
        "RuntimeError",
        "GeneratorExit",
    }
)
_PYTHON_BY_OPERATION = {
    "subscript": frozenset({"KeyError", "IndexError", "LookupError"}),
    "attribute": frozenset({"AttributeError"}),
    "division": frozenset({"ZeroDivisionError", "ArithmeticError", "FloatingPointError"}),
    "power": frozenset({"OverflowError", "ArithmeticError", "ZeroDivisionError"}),
    "unpacking": frozenset({"ValueError"}),
    "assert_statement": frozenset({"AssertionError"}),
}
_PYTHON_ALWAYS = frozenset(
    {
        "call",
        "raise_statement",
        "await",
        "yield",
        "for_in_clause",
        "import_statement",
        "import_from_statement",
        "future_import_statement",
        "function_definition",
        "class_definition",
        "decorated_definition",
        "lambda",
        "try_statement",  # a nested try may re-raise or raise in its handlers
    }
)

_JAVA_BROAD = frozenset(
    {"Exception", "Throwable", "RuntimeException", "Error", "NullPointerException"}
)
_JAVA_BY_OPERATION = {
    "division": frozenset({"ArithmeticException"}),
    "array_access": frozenset(
        {"ArrayIndexOutOfBoundsException", "IndexOutOfBoundsException", "ArrayStoreException"}
    ),
    "cast_expression": frozenset({"ClassCastException"}),
    "array_creation_expression": frozenset({"NegativeArraySizeException"}),
}
_JAVA_ALWAYS = frozenset(
    {
        "method_invocation",
        "object_creation_expression",
        "explicit_constructor_invocation",
        "throw_statement",
        "lambda_expression",
        "class_declaration",
        "try_statement",
        "try_with_resources_statement",
        "switch_expression",  # pattern switches may throw MatchException
    }
)

_JS_ALWAYS = frozenset(
    {
        "call_expression",
        "new_expression",
        "throw_statement",
        "await_expression",
        "yield_expression",
        "member_expression",  # reading a property of undefined throws
        "subscript_expression",
        "spread_element",
        "object_pattern",  # destructuring undefined throws
        "array_pattern",
        "function_declaration",
        "function_expression",
        "arrow_function",
        "class_declaration",
        "class",
        "try_statement",
    }
)


_HEADER_RAISES = frozenset(
    {"for_statement", "with_statement", "for_in_statement", "enhanced_for_statement"}
)


@dataclass(frozen=True)
class _Raiser:
    node: Node
    first: int  # the lines it covers (1-based): a loop only its header
    last: int


@dataclass(frozen=True)
class _Handler:
    node: Node
    caught: tuple[str, ...]  # exception type names; () when it catches anything (JS)
    word: str  # "except" / "catch"


class Raises:
    type = "raises"
    kind = "tracing"
    languages: frozenset[str] | None = frozenset(
        {"python", "javascript", "typescript", "tsx", "java"}
    )

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None or not shape.tries:
            return []
        return first_questions(
            self._about(code, shape, statement) for statement in whole_nodes(code, *shape.tries)
        )

    def _about(self, code: CodeUnderQuiz, shape: Shapes, statement: Node) -> Question | None:
        handler = _first_handler(code, statement)
        body = statement.child_by_field_name("body")
        if handler is None or body is None:
            return None
        guarded = [body]
        resources = statement.child_by_field_name("resources")
        if resources is not None:
            guarded.insert(0, resources)
        raising = [node for part in guarded for node in _raising(code, part, handler.caught)]
        if not raising:
            return None
        answer = raising[0].first
        if any(raiser.first != answer for raiser in raising):
            return None  # two lines could raise it: ambiguous
        touched = {line for r in raising for line in range(r.first, r.last + 1)}

        scope = enclosing_scope(statement, shape)
        headers = {code.line_of(statement), code.line_of(handler.node)} | {
            code.line_of(clause) for clause in statement.named_children if clause != body
        }
        inside_try: list[int] = []
        outside_with_call: list[int] = []
        outside: list[int] = []
        for node in within_region(code, scope if scope is not None else code.tree.root_node):
            if node.start_byte < code.start_byte or node.end_byte > code.end_byte:
                continue
            if not is_statement(node, shape) or enclosing_scope(node, shape) != scope:
                continue
            if node.type in shape.scopes or any(
                n.type in shape.scopes for n in descendants(node, shape.scopes)
            ):
                continue  # holds a nested function, which the try block may call
            line = code.line_of(node)
            if line in touched or line in headers or line == answer:
                continue
            if any(part.start_byte <= node.start_byte < part.end_byte for part in guarded):
                inside_try.append(line)
            elif any(n.type in shape.calls for n in descendants(node, shape.scopes)):
                outside_with_call.append(line)
            else:
                outside.append(line)
        # lines of the same `try` block first: when every wrong choice lies outside it, the
        # key is the one line between `try` and its handler, found without knowing what
        # raises what - such a question does not decide
        wrong = pick_preferring(
            code.rng,
            [[str(n) for n in inside_try], [str(n) for n in outside_with_call + outside]],
            DISTRACTORS,
            exclude={str(answer)},
        )
        if len(wrong) < 2:
            return None
        handler_line = code.line_of(handler.node)
        what = "an exception"
        if handler.caught:
            what = "the " + and_list([f"`{name}`" for name in handler.caught], "or")
        verb = "raise" if code.language == "python" else "throw"
        first, last = code.line_of(body), body.end_point.row + 1
        span = f"line {first}" if first == last else f"lines {first}-{last}"
        return Question(
            type=self.type,
            prompt=(
                f"Which line can {verb} {what} that the `{handler.word}` on line "
                f"{handler_line} catches?"
            ),
            answer=f"line {answer}",
            choices=line_choices(answer, [int(n) for n in wrong]),
            explanation=(
                f"Line {answer} ({quote(line_text(code, answer).strip())}) is the only line of "
                f"the `try` block ({span}) that can {verb} it: "
                f"{_reason(code, raising[0].node)}. The other lines cannot, or lie outside the "
                f"`try` block, where the `{handler.word}` on line {handler_line} does not catch "
                "what they raise."
            ),
            decides_pass=bool(set(wrong) & {str(n) for n in inside_try}),
        )


def _first_handler(code: CodeUnderQuiz, statement: Node) -> _Handler | None:
    if code.language == "python":
        for clause in statement.named_children:
            if clause.type == "except_clause":
                if any(child.type == "*" for child in clause.children):
                    return None  # except*: handles parts of exception groups
                caught = _python_caught(code, clause)
                return _Handler(clause, caught, "except") if caught else None
        return None
    if code.language == "java":
        for clause in statement.named_children:
            if clause.type == "catch_clause":
                caught = _java_caught(code, clause)
                return _Handler(clause, caught, "catch") if caught else None
        return None
    handler = statement.child_by_field_name("handler")
    return _Handler(handler, (), "catch") if handler is not None else None


def _python_caught(code: CodeUnderQuiz, clause: Node) -> tuple[str, ...]:
    value = clause.child_by_field_name("value")
    if value is None:
        return ()  # bare except
    if value.type == "as_pattern":
        value = value.named_children[0]
    parts = value.named_children if value.type in ("tuple", "parenthesized_expression") else [value]
    names = []
    for part in parts:
        if part.type == "attribute":
            part = part.child_by_field_name("attribute") or part
        if part.type != "identifier":
            return ()
        names.append(code.node_text(part))
    if not names or any(name in _PYTHON_BROAD for name in names):
        return ()
    return tuple(names)


def _java_caught(code: CodeUnderQuiz, clause: Node) -> tuple[str, ...]:
    names = []
    for node in descendants(clause):
        if node.type == "catch_type":
            for part in node.named_children:
                text = code.node_text(part).rsplit(".", 1)[-1]
                names.append(text)
    if not names or any(name in _JAVA_BROAD for name in names):
        return ()
    return tuple(names)


def _raising(code: CodeUnderQuiz, part: Node, caught: tuple[str, ...]) -> list[_Raiser]:
    """The outermost nodes of `part` that can raise one of `caught` (anything: ()). A loop
    or `with` raises in its header (iteration, entering) and may also raise in its body."""
    found = []
    stack = list(reversed(part.named_children))
    while stack:
        node = stack.pop()
        body = node.child_by_field_name("body")
        if node.type in _HEADER_RAISES and body is not None:
            found.append(_Raiser(node, node.start_point.row + 1, body.start_point.row + 1))
            stack.extend(reversed(node.named_children))
        elif _can_raise(code, node, caught):
            found.append(_Raiser(node, node.start_point.row + 1, node.end_point.row + 1))
        else:
            stack.extend(reversed(node.named_children))
    return found


def _can_raise(code: CodeUnderQuiz, node: Node, caught: tuple[str, ...]) -> bool:
    kind = node.type
    if code.language == "python":
        if kind in _PYTHON_ALWAYS:
            return True
        operation = _python_operation(node)
        return operation is not None and bool(_PYTHON_BY_OPERATION[operation] & set(caught))
    if code.language == "java":
        if kind in _JAVA_ALWAYS:
            return True
        operation = "division" if _divides(node) else kind
        return bool(_JAVA_BY_OPERATION.get(operation, frozenset()) & set(caught))
    if kind == "member_expression":
        receiver = node.child_by_field_name("object")
        optional = any(child.type == "optional_chain" for child in node.children)
        return not optional and not (receiver is not None and receiver.type == "this")
    if kind == "binary_expression":
        operator = node.child_by_field_name("operator")
        return operator is not None and operator.type in ("in", "instanceof")
    return kind in _JS_ALWAYS


def _python_operation(node: Node) -> str | None:
    kind = node.type
    if kind in ("subscript", "attribute", "assert_statement"):
        return kind
    if kind in ("binary_operator", "augmented_assignment"):
        operator = node.child_by_field_name("operator")
        symbol = operator.type if operator is not None else ""
        if symbol.rstrip("=") in ("/", "//", "%"):
            return "division"
        if symbol.rstrip("=") == "**":
            return "power"
    if kind == "assignment":
        left = node.child_by_field_name("left")
        if left is not None and left.type in ("pattern_list", "tuple_pattern", "list_pattern"):
            return "unpacking"
    return None


def _divides(node: Node) -> bool:
    if node.type not in ("binary_expression", "assignment_expression"):
        return False
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type.rstrip("=") in ("/", "%")


def _reason(code: CodeUnderQuiz, node: Node) -> str:
    text = quote(code.node_text(node))
    if node.type in ("raise_statement", "throw_statement"):
        return f"it {node.type.split('_')[0]}s it explicitly, {text}"
    if node.type in ("call", "call_expression", "method_invocation", "new_expression"):
        return f"it makes a call, {text}, and a call can raise anything"
    if node.type == "object_creation_expression":
        return f"it runs a constructor, {text}, which can throw"
    return f"{text} can raise it"


GENERATORS = [Raises()]
