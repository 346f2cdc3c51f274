"""trace-call: what does a small function of JavaScript, TypeScript, Go, Rust or Java return
for literal arguments, and through which `return` does it leave?

No code of these languages is run: the key is worked out from the syntax tree, and only
where the semantics are certain - integer parameters (a declared integer type; untyped in
JavaScript), bodies of `if`/`else`, local declarations, assignments (`=`, `+=`, `-=`, `*=`,
`++`, `--`) and `return` (Rust: the block's tail expression too), expressions of integer
literals, `+ - *`, comparisons and `&& || !`, with every value kept far from overflow.
Anything else (a call, a loop, a division, a string) and the function is not asked about.
Inputs are a test writer's: each parameter on both sides of every number the function
compares with, and zero; one input is kept per `return` reached. Wrong choices are the
results of the other inputs (the other branch's result), off by one, and the values the
other `return`s give - all integers, or all booleans. Answering means running the function
in one's head for those arguments: which branches hold, what each line computes.

    What does `clamp(15, 0, 10)` return?        0 / 10 / 11 / 15
    For `clamp(15, 0, 10)`, which line does `clamp` return from?

A function with one way through is asked about when what it computes depends on the input
(the value of its variables after straight-line code).
"""

from __future__ import annotations

import itertools

from tree_sitter import Node

from mindgap.gate.questions._syntax import region_nodes
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import arrange
from mindgap.syntax.roles import every

TYPE = "trace-call"
LANGUAGES = frozenset({"javascript", "typescript", "tsx", "go", "rust", "java"})
FUNCTIONS = every("named_functions")  # the one table of grammar roles (syntax/roles.py)
INTEGER_TYPES = frozenset(
    {
        *("number", "int", "long", "short", "int8", "int16", "int32", "int64", "i8", "i16"),
        *("i32", "i64", "i128", "isize", "uint", "uint8", "uint16", "uint32", "uint64"),
        *("u8", "u16", "u32", "u64", "u128", "usize", "Integer", "Long"),
    }
)
UNSIGNED = ("u", "uint")
BLOCKS = frozenset({"statement_block", "block", "statement_list"})
IFS = every("branches")
RETURNS = every("returns")
NUMBERS = frozenset({"number", "integer_literal", "int_literal", "decimal_integer_literal"})
TRUE_FALSE = {"true": True, "false": False}
COMMENTS = frozenset({"comment", "line_comment", "block_comment"})
LIMIT = 1_000_000  # every value stays within this: no overflow in any of the languages
MAX_STEPS = 200
MAX_PARAMETERS = 3
MAX_QUESTIONS = 4
PER_FUNCTION = 2


class Unsure(Exception):
    """Something this evaluator does not model exactly: no question about that function."""


class Returned(Exception):
    def __init__(self, value: int | bool, node: Node) -> None:
        self.value = value
        self.node = node


def _text(node: Node) -> str:
    return (node.text or b"").decode("utf-8", errors="replace")


def _named(node: Node) -> list[Node]:
    return [c for c in node.named_children if c.type not in COMMENTS]


class Evaluator:
    def __init__(self, language: str) -> None:
        self.language = language
        self.steps = 0

    def call(self, function: Node, env: dict[str, int | bool]) -> tuple[int | bool, Node]:
        body = function.child_by_field_name("body")
        if body is None:
            raise Unsure("no body")
        try:
            self.block(body, dict(env), tail=self.language == "rust")
        except Returned as returned:
            return returned.value, returned.node
        raise Unsure("falls off the end")

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise Unsure("too long")

    def block(self, node: Node, env: dict[str, int | bool], tail: bool = False) -> None:
        children = _named(node)
        if len(children) == 1 and children[0].type == "statement_list":  # Go
            children = _named(children[0])
        for index, child in enumerate(children):
            last = index == len(children) - 1
            if tail and last and child.type not in ("expression_statement", "let_declaration"):
                if child.type in IFS:
                    self.statement(child, env, tail=True)
                    raise Unsure("an if without a value")
                raise Returned(self.expression(child, env), child)
            if tail and last and child.type == "expression_statement":
                inner = _named(child)
                if len(inner) == 1 and inner[0].type in IFS:
                    self.statement(inner[0], env, tail=True)
                    return
            self.statement(child, env)

    def statement(self, node: Node, env: dict[str, int | bool], tail: bool = False) -> None:
        self.tick()
        kind = node.type
        if kind in BLOCKS:
            self.block(node, env, tail)
        elif kind in IFS:
            condition = node.child_by_field_name("condition")
            consequence = node.child_by_field_name("consequence")
            if condition is None or consequence is None:
                raise Unsure("if")
            holds = self.expression(condition, env)
            if not isinstance(holds, bool):
                raise Unsure("a condition that is not a boolean")
            if holds:
                self.statement(consequence, env, tail)
                return
            alternative = node.child_by_field_name("alternative")
            if alternative is None:
                return
            if alternative.type == "else_clause":
                inner = _named(alternative)
                if len(inner) != 1:
                    raise Unsure("else")
                alternative = inner[0]
            self.statement(alternative, env, tail)
        elif kind in RETURNS:
            values = _named(node)
            if len(values) == 1 and values[0].type == "expression_list":
                values = _named(values[0])
            if len(values) != 1:
                raise Unsure("return without one value")
            raise Returned(self.expression(values[0], env), node)
        elif kind == "expression_statement":
            inner = _named(node)
            if len(inner) != 1:
                raise Unsure("statement")
            self.statement(inner[0], env, tail)
        elif kind in ("lexical_declaration", "variable_declaration", "local_variable_declaration"):
            declarators = [c for c in _named(node) if c.type == "variable_declarator"]
            if not declarators:
                raise Unsure("declaration")
            for declarator in declarators:
                name, value = (
                    declarator.child_by_field_name("name"),
                    declarator.child_by_field_name("value"),
                )
                if name is None or value is None or name.type != "identifier":
                    raise Unsure("declarator")
                env[_text(name)] = self.expression(value, env)
        elif kind == "let_declaration":
            pattern, value = node.child_by_field_name("pattern"), node.child_by_field_name("value")
            if pattern is None or value is None or pattern.type != "identifier":
                raise Unsure("let")
            env[_text(pattern)] = self.expression(value, env)
        elif kind == "short_var_declaration":
            left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
            names, values = _named(left) if left else [], _named(right) if right else []
            if len(names) != 1 or len(values) != 1 or names[0].type != "identifier":
                raise Unsure(":=")
            env[_text(names[0])] = self.expression(values[0], env)
        elif kind in (
            "assignment_expression",
            "augmented_assignment_expression",
            "compound_assignment_expr",
            "assignment_statement",
        ):
            self.assign(node, env)
        elif kind in ("update_expression", "inc_statement", "dec_statement"):
            target = next((c for c in _named(node) if c.type == "identifier"), None)
            if target is None or _text(target) not in env:
                raise Unsure("update")
            step = 1 if "++" in _text(node) else -1
            env[_text(target)] = self.number(env[_text(target)]) + step
            self.bounded(env[_text(target)])
        else:
            raise Unsure(kind)

    def assign(self, node: Node, env: dict[str, int | bool]) -> None:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is not None and left.type == "expression_list":
            left = _named(left)[0] if len(_named(left)) == 1 else None
        if right is not None and right.type == "expression_list":
            right = _named(right)[0] if len(_named(right)) == 1 else None
        if left is None or right is None or left.type != "identifier":
            raise Unsure("assignment")
        operator = _operator(node)
        value = self.expression(right, env)
        name = _text(left)
        if operator in ("=", ":="):
            env[name] = value
            return
        if name not in env or operator not in ("+=", "-=", "*="):
            raise Unsure("assignment operator")
        env[name] = self.arithmetic(operator[0], self.number(env[name]), self.number(value))

    def expression(self, node: Node, env: dict[str, int | bool]) -> int | bool:
        self.tick()
        kind = node.type
        if kind in NUMBERS:
            text = _text(node).replace("_", "")
            for suffix in ("i32", "i64", "usize", "u32", "u64", "isize", "L", "l"):
                if text.endswith(suffix) and text[: -len(suffix)].isdigit():
                    text = text[: -len(suffix)]
            if not text.isdigit() or (len(text) > 1 and text.startswith("0")):
                raise Unsure("a number that is not a plain decimal integer")
            return self.bounded(int(text))
        if kind in ("true", "false", "boolean_literal"):
            return TRUE_FALSE[_text(node)]
        if kind == "identifier":
            name = _text(node)
            if name not in env:
                raise Unsure(f"unknown name {name}")
            return env[name]
        if kind == "parenthesized_expression":
            inner = _named(node)
            if len(inner) != 1:
                raise Unsure("parentheses")
            return self.expression(inner[0], env)
        if kind == "unary_expression":
            inner = _named(node)
            operator = _operator(node)
            if len(inner) != 1:
                raise Unsure("unary")
            value = self.expression(inner[0], env)
            if operator == "!" and isinstance(value, bool):
                return not value
            if operator == "-" and not isinstance(value, bool):
                return self.bounded(-value)
            raise Unsure("unary operator")
        if kind == "binary_expression":
            return self.binary(node, env)
        raise Unsure(kind)

    def binary(self, node: Node, env: dict[str, int | bool]) -> int | bool:
        left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
        if left is None or right is None:
            raise Unsure("binary")
        operator = _operator(node)
        if operator in ("&&", "||"):
            first = self.expression(left, env)
            if not isinstance(first, bool):
                raise Unsure("&& of a number")
            if (operator == "&&" and not first) or (operator == "||" and first):
                return first
            second = self.expression(right, env)
            if not isinstance(second, bool):
                raise Unsure("&& of a number")
            return second
        a, b = self.expression(left, env), self.expression(right, env)
        if operator in ("==", "===", "!=", "!=="):
            if isinstance(a, bool) != isinstance(b, bool):
                raise Unsure("comparing a boolean with a number")
            return (a == b) == (operator in ("==", "==="))
        if operator in ("<", "<=", ">", ">="):
            x, y = self.number(a), self.number(b)
            return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[operator]
        if operator in ("+", "-", "*"):
            return self.arithmetic(operator, self.number(a), self.number(b))
        raise Unsure(f"operator {operator}")

    def arithmetic(self, operator: str, a: int, b: int) -> int:
        value = {"+": a + b, "-": a - b, "*": a * b}[operator]
        return self.bounded(value)

    def number(self, value: int | bool) -> int:
        if isinstance(value, bool):
            raise Unsure("arithmetic on a boolean")
        return value

    def bounded(self, value: int) -> int:
        if abs(value) > LIMIT:
            raise Unsure("too large")
        return value


def _operator(node: Node) -> str:
    field = node.child_by_field_name("operator")
    if field is not None:
        return _text(field)
    for child in node.children:
        if not child.is_named:
            text = _text(child)
            if text not in ("(", ")"):
                return text
    return ""


def parameters(language: str, function: Node) -> list[tuple[str, bool]] | None:
    """(name, unsigned) of each parameter, when every one is a plain integer; else None."""
    holder = function.child_by_field_name("parameters")
    if holder is None:
        return None
    found: list[tuple[str, bool]] = []
    for parameter in _named(holder):
        if parameter.type == "identifier" and language == "javascript":
            found.append((_text(parameter), False))
            continue
        name_node = (
            parameter.child_by_field_name("pattern")
            or parameter.child_by_field_name("name")
            or next((c for c in _named(parameter) if c.type == "identifier"), None)
        )
        type_node = parameter.child_by_field_name("type")
        if name_node is None or name_node.type != "identifier" or type_node is None:
            return None
        type_text = _text(type_node).lstrip(":").strip()
        if type_text not in INTEGER_TYPES:
            return None
        names = [c for c in _named(parameter) if c.type == "identifier"]
        if parameter.type == "parameter_declaration" and len(names) > 1:
            return None  # Go's `a, b int`: kept simple
        found.append((_text(name_node), type_text.startswith(UNSIGNED)))
    return found if 1 <= len(found) <= MAX_PARAMETERS else None


def _function_name(function: Node) -> str:
    name = function.child_by_field_name("name")
    return _text(name) if name is not None else ""


def _literals(function: Node) -> list[int]:
    found: list[int] = []
    stack = [function]
    while stack:
        node = stack.pop()
        if node.type in NUMBERS and _text(node).isdigit():
            value = int(_text(node))
            if value <= 1000 and value not in found:
                found.append(value)
        stack.extend(node.children)
    return sorted(found)


def inputs(params: list[tuple[str, bool]], literals: list[int]) -> list[tuple[int, ...]]:
    """Both sides of each number compared with, zero and small values, per parameter."""
    pool: list[int] = []
    for value in [*literals[:4], 0, 3]:
        for near in (value - 1, value, value + 1):
            if near not in pool:
                pool.append(near)
    pools = [[v for v in pool if not unsigned or v >= 0] for _, unsigned in params]
    combos = list(itertools.product(*pools))
    if len(combos) > 300:
        combos = combos[:: len(combos) // 300 + 1]
    return [tuple(c) for c in combos]


class TraceCall:
    type = TYPE
    kind = "tracing"
    languages = LANGUAGES

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        questions: list[Question] = []
        for function in region_nodes(code, *FUNCTIONS):
            if function.end_byte > code.end_byte:
                continue
            questions += self.about(code, function)
        return questions[:MAX_QUESTIONS]

    def about(self, code: CodeUnderQuiz, function: Node) -> list[Question]:
        params = parameters(code.language, function)
        name = _function_name(function)
        if params is None or not name:
            return []
        by_return: dict[int, list[tuple[tuple[int, ...], int | bool]]] = {}
        for values in inputs(params, _literals(function)):
            evaluator = Evaluator(code.language)
            env: dict[str, int | bool] = {p: v for (p, _), v in zip(params, values, strict=True)}
            try:
                result, node = evaluator.call(function, env)
            except Unsure:
                return []  # not certain for every input: not certain at all
            by_return.setdefault(code.line_of(node), []).append((values, result))
        results = {r for runs in by_return.values() for _, r in runs}
        if len(by_return) < 2 and len(results) < 3:
            return []  # one way through and little computed: nothing to trace
        questions: list[Question] = []
        lines = sorted(by_return)
        picks: list[tuple[int, tuple[int, ...], int | bool]] = []
        for line in lines:
            values, key = _interesting(by_return[line])
            picks.append((line, values, key))
        if len(lines) == 1:  # one way through: a second input with another result
            others = [r for r in by_return[lines[0]] if r[1] != picks[0][2] and 0 not in r[0]]
            if others:
                picks.append((lines[0], *others[-1]))
        for line, values, key in picks[: PER_FUNCTION + 1]:
            call = f"{name}({', '.join(str(v) for v in values)})"
            shown = _shown(key)
            wrong = [_shown(r) for r in results if r != key and type(r) is type(key)]
            if isinstance(key, int) and not isinstance(key, bool):
                wrong += [str(key + 1), str(key - 1)]
            wrong = list(dict.fromkeys(w for w in wrong if w != shown))
            code.rng.shuffle(wrong)
            if len(wrong) >= 3:
                questions.append(
                    Question(
                        type=self.type,
                        prompt=f"What does `{call}` return? (`{name}` is on line "
                        f"{code.line_of(function)}.)",
                        answer=shown,
                        explanation=f"`{call}` leaves through line {line} with `{shown}`.",
                        choices=arrange(shown, wrong, code.rng),
                    )
                )
            other_lines = [f"line {n}" for n in lines if n != line]
            if len(other_lines) >= 2:
                choices = [f"line {line}", *other_lines[:3]]
                code.rng.shuffle(choices)
                questions.append(
                    Question(
                        type=self.type,
                        prompt=f"For `{call}`, which line does `{name}` return from?",
                        answer=f"line {line}",
                        explanation=f"For `{call}` the conditions lead to line {line}.",
                        choices=tuple(choices),
                    )
                )
        return questions


def _interesting(
    runs: list[tuple[tuple[int, ...], int | bool]],
) -> tuple[tuple[int, ...], int | bool]:
    """An input without zeros where there is one, from the middle of those that take it."""
    plain = [r for r in runs if 0 not in r[0]] or runs
    return plain[len(plain) // 2]


def _shown(value: int | bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


GENERATORS = [TraceCall()]
