"""expression: what does one expression of the code give for given values of its names, and
for which of these values is a condition true?

Most real functions cannot run as a whole outside their program (they take objects, call the
rest of the package), but their lines still compute: `name.rsplit(".", 1)[0]`,
`width - len(text)`, `not opt[:1].isalnum() and len(opt) > 1`. This type picks such an
expression that computes two operations or more (`len(text)` or `a < b` alone is read off
the prompt) - a returned or assigned value, an `if`/`while` condition, or a value handed to
a call or looped over - whose names are the function's own parameters and variables (a closure's:
its outer functions' too) or their attributes (a module's constants and modules have values
already; a platform flag such as `WIN` is one of two real values), of simple kinds (known
from annotations, defaults, use and names, as for whole functions), and whose calls are
builtins or methods of those values, gives its names test-writer values (the literals and
separators it looks for, both sides of its comparisons, empty and one element, every
combination of its flags, a dict that holds the key it looks up), and evaluates it in the
sandbox as `(lambda names: expression)(values)`: the key is what the sandbox established
twice (a value, not an object's description such as `range(0, 3)`). The wrong choices are
the expression's values for the other inputs and near misses (off by one, reversed, one item
short), all of the key's shape; for a condition, three inputs that make it false (or true)
against the one that makes it true (or false). Answering means evaluating that line of the
code for those values.

    On line 12 (`return opt[:2], opt[2:]`), with `opt = '--name'`, what is the value of
    `opt[:2], opt[2:]`?          ('--', 'name') / ('-', '-name') / ('--n', 'ame') / ...
"""

from __future__ import annotations

import ast
import builtins
import copy
import itertools
import textwrap
from dataclasses import dataclass

from mindgap.gate.questions.base import CodeUnderQuiz, Question, echoing_first
from mindgap.gate.questions.exec_common import (
    BOOL,
    DICT,
    FLOAT,
    INT,
    LIST_INT,
    LIST_STR,
    MAX_CALLS,
    NAME_KINDS,
    STR,
    Parameter,
    Plan,
    Target,
    arrange,
    in_region,
    int_literals,
    readable,
    region_runs,
    register_planner,
    value_distractors,
    writer_pool,
)
from mindgap.gate.questions.exec_common import (
    _kind_from_annotation as kind_from_annotation,
)
from mindgap.gate.questions.exec_common import (
    _kind_from_use as kind_from_use,
)
from mindgap.gate.sandbox import Outcome, check_expression, prepare_sandbox

TYPE = "expression"
NOTES_KEY = "exec.expressions"
MAX_NAMES = 3
MAX_EXPRESSIONS = 10  # per region, in source order
INPUTS = 6
MAX_QUESTIONS = 8
MIN_FIRST = 4  # fewer first questions than this: a second input for the same expressions
SHOWN = 60
# an expression is asked about only when it computes this much: one operation on given
# values (`len(text)`, `parts[0]`, `a - b`, `a < b`) is read off the prompt by someone who
# never looked at the code, so it cannot show that the code was traced (GATE.md)
MIN_OPERATIONS = 2
_OPERATIONS = (
    *(ast.BinOp, ast.BoolOp, ast.Compare, ast.Call, ast.Subscript, ast.IfExp),
    *(ast.comprehension, ast.FormattedValue),
)

SAFE_BUILTINS = frozenset(
    {
        *("abs", "all", "any", "bool", "dict", "divmod", "enumerate", "filter", "float"),
        *("int", "isinstance", "len", "list", "map", "max", "min", "range", "repr"),
        *("reversed", "round", "set", "sorted", "str", "sum", "tuple", "zip", "chr", "ord"),
        *("True", "False", "None"),
    }
)
KINDS = (INT, FLOAT, STR, BOOL, LIST_INT, LIST_STR, DICT)


@dataclass(frozen=True)
class Expression:
    node: ast.expr
    text: str  # as the code has it (the prompt shows this)
    evaluated: str  # with `obj.attr` reads as plain names (what the sandbox evaluates)
    line: int
    statement: str  # the line's own text, for the prompt
    names: tuple[Parameter, ...]
    condition: bool  # an if/while test: asked as "for which of these values is it true"
    ints: tuple[int, ...]
    strings: tuple[str, ...]
    attempt: int = 1  # a later attempt starts further along each name's values

    def call(self, values: tuple[object, ...]) -> str:
        names = ", ".join(_placeholder(p.name) for p in self.names)
        shown = ", ".join(repr(v) for v in values)
        return f"(lambda {names}: ({self.evaluated}))({shown})"

    def setting(self, values: tuple[object, ...]) -> str:
        return " and ".join(f"`{p.name} = {v!r}`" for p, v in zip(self.names, values, strict=True))

    def inputs(self) -> list[tuple[object, ...]]:
        """The first writer's value of each name, then each name through its pool (turned
        by the attempt: fresh values for a developer who has seen the first ones' keys)."""
        empty = ast.FunctionDef("expression", ast.arguments([], [], None, [], [], None, []), [], [])
        stand_in = Target("expression", empty, list(self.names), [], [], 0, 0)
        stand_in.int_literals = list(self.ints)
        stand_in.str_literals = list(self.strings)
        pools = [writer_pool(stand_in, p) for p in self.names]
        shift = 2 * max(0, self.attempt - 1)
        pools = [pool[shift % len(pool) :] + pool[: shift % len(pool)] for pool in pools]
        first = tuple(p[0] for p in pools)
        found = [first, *self._truth_table(first), *self._holding_keys(first, pools)]
        for depth in range(1, max(len(p) for p in pools)):
            for position, pool in enumerate(pools):
                if depth < len(pool):
                    varied = (*first[:position], pool[depth], *first[position + 1 :])
                    if varied not in found:
                        found.append(varied)
            if len(found) >= INPUTS * 2:
                break
        unique: list[tuple[object, ...]] = []
        for values in found:
            if values not in unique:
                unique.append(values)
        return unique[: INPUTS * 2]

    def _truth_table(self, first: tuple[object, ...]) -> list[tuple[object, ...]]:
        """Every combination of the flags' truth values (two or three flags: 4 or 8), the
        other names at their first values: which combination makes `a and not b` true is
        what a reader must work out, and one value varied at a time misses some."""
        flags = [i for i, p in enumerate(self.names) if p.kind == BOOL]
        if len(flags) < 2:
            return []
        found = []
        for truths in itertools.product((True, False), repeat=len(flags)):
            varied = list(first)
            for position, truth in zip(flags, truths, strict=True):
                varied[position] = truth
            found.append(tuple(varied))
        return found

    def _holding_keys(
        self, first: tuple[object, ...], pools: list[list[object]]
    ) -> list[tuple[object, ...]]:
        """Where the expression looks a name up in a dict (`d[k]`, `d.get(k)`, `k in d`),
        the dict that holds it too: a test writer tries the key found, not only missed."""
        positions = {_placeholder(p.name): i for i, p in enumerate(self.names)}
        found = []
        for container, key in _lookups(self.node):
            at, by = positions.get(container), positions.get(key)
            if at is None or by is None or self.names[at].kind != DICT:
                continue
            for looked_up in pools[by][:2]:
                if isinstance(looked_up, str):
                    varied = list(first)
                    varied[at] = {looked_up: 1, "b": 2} if looked_up != "b" else {"b": 1}
                    varied[by] = looked_up
                    found.append(tuple(varied))
        return found


def expressions(code: CodeUnderQuiz) -> list[Expression]:
    """The region's expressions that can be evaluated from simple values of their names."""
    text = code.source.decode("utf-8", errors="replace")
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return []
    lines = text.splitlines()
    found: list[Expression] = []
    seen: set[str] = set()
    functions = [
        f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
    ]
    for function in functions:
        end = function.end_lineno or function.lineno
        if not (in_region(code, function.lineno) or in_region(code, end)):
            continue
        # a closure's names may be those of the functions around it
        scopes = [function] + [
            outer
            for outer in functions
            if outer is not function
            and outer.lineno <= function.lineno
            and end <= (outer.end_lineno or outer.lineno)
        ]
        for node, condition in _candidates(function):
            if not in_region(code, node.lineno) or len(found) >= MAX_EXPRESSIONS:
                continue
            if any(_within(node, other.node) for other in found):
                continue  # a part of a value already asked about: its answer gives part away
            expression = _expression(scopes, node, condition, lines, code.attempt)
            if expression is not None and expression.text not in seen:
                seen.add(expression.text)
                found.append(expression)
    return found


def _within(node: ast.expr, outer: ast.expr) -> bool:
    """Whether `node` lies inside `outer` in the source (the tuple handed to `'/'.join`)."""
    start = (node.lineno, node.col_offset)
    end = (node.end_lineno or node.lineno, node.end_col_offset or 0)
    return (outer.lineno, outer.col_offset) <= start and end <= (
        outer.end_lineno or outer.lineno,
        outer.end_col_offset or 0,
    )


def _operations(node: ast.expr) -> int:
    """How many operations an expression performs (a negative literal is none)."""
    return sum(
        isinstance(child, _OPERATIONS)
        or (isinstance(child, ast.UnaryOp) and not isinstance(child.operand, ast.Constant))
        for child in ast.walk(node)
    )


def _candidates(function: ast.FunctionDef | ast.AsyncFunctionDef) -> list[tuple[ast.expr, bool]]:
    found: list[tuple[ast.expr, bool]] = []
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            continue
        value = None
        if isinstance(node, ast.Return) or (
            isinstance(node, ast.Assign) and len(node.targets) == 1
        ):
            value = node.value
        if value is not None:
            found.append((value, False))
        elif isinstance(node, (ast.If, ast.While)):
            found.append((node.test, True))
        elif isinstance(node, ast.For) and _operations(node.iter) >= MIN_OPERATIONS:
            found.append((node.iter, False))  # what the loop goes over
        if isinstance(node, (ast.Return, ast.Assign, ast.Expr)) and isinstance(
            node.value, ast.Call
        ):
            # what a statement hands to a call (`self.pad(width - len(text))`): the call
            # itself may reach objects, the value it is given is computed here
            call = node.value
            handed = [a for a in call.args if not isinstance(a, ast.Starred)]
            handed += [k.value for k in call.keywords if k.arg is not None]
            found += [(a, False) for a in handed if _operations(a) >= MIN_OPERATIONS]
        stack.extend(ast.iter_child_nodes(node))
    found.sort(key=lambda item: (item[0].lineno, item[0].col_offset))
    return found


def _expression(
    scopes: list[ast.FunctionDef | ast.AsyncFunctionDef],
    node: ast.expr,
    condition: bool,
    lines: list[str],
    attempt: int = 1,
) -> Expression | None:
    """`scopes`: the function the expression is in, then the functions around it."""
    function = scopes[0]
    if node.lineno != node.end_lineno:
        return None
    if isinstance(node, (ast.Name, ast.Constant, ast.Attribute)):
        return None  # nothing to compute
    if isinstance(node, ast.UnaryOp) and isinstance(node.operand, (ast.Name, ast.Attribute)):
        return None  # `-index`, `not done`: the given value, its sign or truth flipped
    text = ast.unparse(node)
    if len(text) > SHOWN or _operations(node) < MIN_OPERATIONS:
        return None
    if condition and _read_off(node):
        return None  # `x is None` true for `x = None`: the prompt says it, nothing to trace
    renamed_node = _attributes_as_names(node)
    assert isinstance(renamed_node, ast.expr)
    node = renamed_node
    for child in ast.walk(node):
        if isinstance(child, (ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.Starred)):
            return None
        if isinstance(child, ast.Call) and not _plain_call(child):
            return None
        if isinstance(child, ast.Attribute) and not isinstance(child.ctx, ast.Load):
            return None
    bound = {
        n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)
    }  # comprehension variables
    free: list[str] = []
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and child.id not in bound and child.id not in free:
            if child.id in SAFE_BUILTINS and not _assigned(function, child.id):
                continue
            free.append(child.id)
    if not 1 <= len(free) <= MAX_NAMES or "self" in free or "cls" in free:
        return None
    renamed = _attributes_as_names(function)
    assert isinstance(renamed, (ast.FunctionDef, ast.AsyncFunctionDef))
    names = []
    for name in free:
        kind = _kind_of(renamed, name)
        if kind is None:
            kind = _kind_from_role(node, name, condition)
        if kind not in KINDS:
            return None
        own = any(_local(scope, name.split(PLACEHOLDER, 1)[0]) for scope in scopes)
        if not own and (kind != BOOL or PLACEHOLDER in name):
            # a module's constant or a module (`os.sep`) has its value already; a flag of
            # the platform (`WIN`) is one of two values, both real
            return None
        checked = _none_checked(node, name)
        names.append(Parameter(_shown_name(name), kind, True, none_checked=checked))
    evaluated = ast.unparse(node)
    if not check_expression(f"(lambda {', '.join(free)}: ({evaluated}))"):
        return None
    ints = tuple(int_literals(node))
    strings = tuple(
        c.value
        for c in ast.walk(node)
        if isinstance(c, ast.Constant) and isinstance(c.value, str) and 0 < len(c.value) <= 12
    )
    statement = lines[node.lineno - 1].strip() if node.lineno <= len(lines) else text
    return Expression(
        node,
        text,
        evaluated,
        node.lineno,
        statement,
        tuple(names),
        condition,
        ints,
        strings,
        attempt,
    )


PLACEHOLDER = "_mgattr_"  # `self.width` is evaluated as the name `self_mgattr_width`


def _attributes_as_names(tree: ast.AST) -> ast.AST:
    """A copy where reading `name.attr` (not calling it) is a plain name: its value is
    given in the prompt, like a parameter's."""

    class Renamer(ast.NodeTransformer):
        def visit_Call(self, node: ast.Call) -> ast.AST:
            node.args = [self.visit(a) for a in node.args]
            node.keywords = [self.visit(k) for k in node.keywords]
            if isinstance(node.func, ast.Attribute):
                node.func.value = self.visit(node.func.value)
            return node

        def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
            if (
                isinstance(node.value, ast.Name)
                and isinstance(node.ctx, ast.Load)
                and not node.attr.startswith("__")
            ):
                name = f"{node.value.id}{PLACEHOLDER}{node.attr}"
                return ast.copy_location(ast.Name(name, ast.Load()), node)
            self.generic_visit(node)
            return node

    return Renamer().visit(copy.deepcopy(tree))


def _lookups(expression: ast.expr) -> list[tuple[str, str]]:
    """(dict, key) names of the lookups in an expression: `d[k]`, `d.get(k)`, `k in d`."""
    found = []
    for node in ast.walk(expression):
        if isinstance(node, ast.Subscript):
            pair = (node.value, node.slice)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault")
            and node.args
        ):
            pair = (node.func.value, node.args[0])
        elif (
            isinstance(node, ast.Compare)
            and len(node.ops) == 1
            and isinstance(node.ops[0], (ast.In, ast.NotIn))
        ):
            pair = (node.comparators[0], node.left)
        else:
            continue
        if isinstance(pair[0], ast.Name) and isinstance(pair[1], ast.Name):
            found.append((pair[0].id, pair[1].id))
    return found


def _shown_name(name: str) -> str:
    return name.replace(PLACEHOLDER, ".")


def _placeholder(shown: str) -> str:
    return shown.replace(".", PLACEHOLDER)


def _plain_call(call: ast.Call) -> bool:
    """A builtin by name, or a method of a value (`text.split(".")`)."""
    if isinstance(call.func, ast.Name):
        return call.func.id in SAFE_BUILTINS and hasattr(builtins, call.func.id)
    if isinstance(call.func, ast.Attribute):
        receiver = call.func.value
        while isinstance(receiver, (ast.Attribute, ast.Subscript, ast.Call)):
            if isinstance(receiver, ast.Attribute):
                return False  # a method of an attribute: an object, not a simple value
            receiver = receiver.value if not isinstance(receiver, ast.Call) else receiver.func
        return isinstance(receiver, (ast.Name, ast.Constant, ast.JoinedStr))
    return False


def _local(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether a name is the function's own: a parameter or a variable it assigns."""
    arguments = function.args
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    parameters += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
    return name in {a.arg for a in parameters} or _assigned(function, name)


def _assigned(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    return any(
        isinstance(n, ast.Name) and n.id == name and isinstance(n.ctx, ast.Store)
        for n in ast.walk(function)
    )


def _kind_of(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> str | None:
    arguments = [*function.args.posonlyargs, *function.args.args, *function.args.kwonlyargs]
    for argument in arguments:
        if argument.arg == name:
            kind = kind_from_annotation(argument.annotation)
            if kind is not None:
                return kind
    if _keyed_by_string(function, name):
        return DICT  # `table[name]`: a list is never indexed by a string
    return _kind_by_use_or_name(function, name)


def _kind_by_use_or_name(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> str | None:
    kind = kind_from_use(name, function)
    if kind is None:  # `self.width` is named like a number as `width` is
        bare = name.rsplit(PLACEHOLDER, 1)[-1]
        kind = next((k for k, names in NAME_KINDS.items() if bare in names), None)
    return kind


def _keyed_by_string(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether the function indexes `name` by a string: a literal, or a name it types as
    one (`self.default_map[name]`)."""
    for node in ast.walk(function):
        if not (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name)):
            continue
        if node.value.id != name:
            continue
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            return True
        if isinstance(key, ast.Name) and _kind_by_use_or_name(function, key.id) == STR:
            return True
    return False


def _read_off(condition: ast.expr) -> bool:
    """A condition whose truth the choices spell out: `x is None`, `x is not None`, `not x`."""
    if isinstance(condition, ast.UnaryOp) and isinstance(condition.op, ast.Not):
        return isinstance(condition.operand, (ast.Name, ast.Attribute))
    return (
        isinstance(condition, ast.Compare)
        and len(condition.ops) == 1
        and isinstance(condition.ops[0], (ast.Is, ast.IsNot, ast.Eq, ast.NotEq))
        and isinstance(condition.left, (ast.Name, ast.Attribute))
        and isinstance(condition.comparators[0], ast.Constant)
    )


def _none_checked(expression: ast.expr, name: str) -> bool:
    """`name is None` (or `is not`, `==`) in the expression: None is a value to try."""
    return any(
        isinstance(node, ast.Compare)
        and isinstance(node.left, ast.Name)
        and node.left.id == name
        and any(isinstance(c, ast.Constant) and c.value is None for c in node.comparators)
        for node in ast.walk(expression)
    )


def _kind_from_role(expression: ast.expr, name: str, condition: bool) -> str | None:
    """A name nothing else types, typed by its role in the expression when every use of it
    there is one where only its truth or its None-ness counts: an operand of `and`/`or`/
    `not`, a branch or test of `x if c else y`, `x is None`. In a condition it is then a
    bool (a condition's operand, the test of `x if c else y`); where its value or None-ness
    counts, a number (`width or 80`, `x is None`, None among its values): the prompt states
    the value either way."""
    parents: dict[int, ast.AST] = {}
    for parent in ast.walk(expression):
        for child in ast.iter_child_nodes(parent):
            parents[id(child)] = parent
    uses = [n for n in ast.walk(expression) if isinstance(n, ast.Name) and n.id == name]
    if not uses:
        return None
    truth_only = True
    for use in uses:
        above = parents.get(id(use))
        if isinstance(above, ast.UnaryOp) and isinstance(above.op, ast.Not):
            continue
        if isinstance(above, ast.BoolOp):
            truth_only = truth_only and condition  # `width or 80` as a value: its value counts
            continue
        if isinstance(above, ast.IfExp):
            truth_only = truth_only and use is above.test
            continue
        if (
            isinstance(above, ast.Compare)
            and all(isinstance(op, (ast.Is, ast.IsNot)) for op in above.ops)
            and all(isinstance(c, ast.Constant) and c.value is None for c in above.comparators)
        ):
            truth_only = False
            continue
        return None
    if parents.get(id(uses[0])) is None:
        return None  # the whole expression is the name
    return BOOL if truth_only else INT


def _runs(code: CodeUnderQuiz, found: list[Expression]) -> dict[str, Outcome]:
    cached = code.notes.get(NOTES_KEY)
    if isinstance(cached, dict):
        return cached
    outcomes: dict[str, Outcome] = {}
    code.notes[NOTES_KEY] = outcomes
    runs = region_runs(code)  # the region's one batch, when it has one, carries them
    if runs is not None:
        for expression in found:
            for values in expression.inputs():
                outcome = runs.outcome(expression.call(values))
                if outcome is not None:
                    outcomes[expression.call(values)] = outcome
        return outcomes
    sandbox = code.sandbox or prepare_sandbox("pass")  # only checked expressions are sent
    if sandbox is None:
        return outcomes
    calls = list(dict.fromkeys(e.call(v) for e in found for v in e.inputs()))
    if not calls:
        return outcomes
    try:
        results = sandbox.run("", calls, groups=[c.split(":", 1)[0] for c in calls])
    except OSError:
        return outcomes
    outcomes.update(zip(calls, results, strict=True))
    return outcomes


def plan(plan: Plan) -> None:
    """The expressions ride in the region's batch when its functions run too."""
    for expression in expressions(plan.code):
        for values in expression.inputs():
            if len(plan.calls) < MAX_CALLS:
                plan.calls.setdefault(expression.call(values), "expressions")


register_planner(TYPE, plan)


class ExpressionValue:
    type = TYPE
    kind = "tracing"
    languages = frozenset({"python"})
    runs_code = True  # one expression, in the sandbox

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        if code.language != "python":
            return []
        found = expressions(code)
        if not found:
            return []
        outcomes = _runs(code, found)
        questions = []
        seconds = []  # the same expression for another input: used when there are few
        for expression in found:
            results = []
            for values in expression.inputs():
                outcome = outcomes.get(expression.call(values))
                if (
                    outcome is not None
                    and outcome.returned
                    and outcome.value is not None
                    and outcome.message != "truncated"
                    and readable(outcome.value)
                    and _literal(outcome.value)
                ):
                    results.append((values, outcome.value))
            if expression.condition:
                question = self._condition(code, expression, results)
            else:
                question = self._value(code, expression, results)
                if question is not None:
                    rest = [r for r in results if r[1] != question.answer]
                    second = self._value(code, expression, rest, others=[v for _, v in results])
                    if second is not None:
                        seconds.append(second)
            if question is not None:
                questions.append(question)
        if len(questions) < MIN_FIRST:
            questions += seconds[: MIN_FIRST - len(questions)]
        return questions[:MAX_QUESTIONS]

    def _value(
        self,
        code: CodeUnderQuiz,
        expression: Expression,
        results: list[tuple[tuple, str]],
        others: list[str] | None = None,
    ) -> Question | None:
        """`others`: the values of every input (a second question about the expression
        draws its input from `results` without the first's key, its wrong choices from all)."""
        distinct = {value for _, value in results} | set(others or ())
        if len(distinct) < 2 or not results:
            return None  # the same whatever the input: nothing to trace

        def interest(item: tuple[tuple, str]) -> tuple[int, int, int]:
            shown = repr(item[0])
            looked_for = any(text in shown for text in expression.strings)
            echoes = item[1] in {repr(v) for v in item[0]}  # the key is a value given
            return (echoes, item[1] in ("None", "''", "[]", "0", "False"), not looked_for)

        values, key = min(results, key=interest)
        related = [value for _, value in results] + list(others or ())
        distractors = value_distractors(key, related, code.rng)
        if len(distractors) < 3:
            return None
        return Question(
            type=self.type,
            prompt=f"On line {expression.line} (`{_short(expression.statement)}`), with "
            f"{expression.setting(values)}, what is the value of `{expression.text}`?",
            answer=key,
            explanation=f"With {expression.setting(values)}, `{expression.text}` is `{key}`.",
            choices=arrange(key, distractors, code.rng),
        )

    def _condition(
        self, code: CodeUnderQuiz, expression: Expression, results: list[tuple[tuple, str]]
    ) -> Question | None:
        true = [v for v, value in results if value == "True"]
        false = [v for v, value in results if value == "False"]
        if len(true) >= 1 and len(false) >= min(3, len(true) + 2):
            key_values, others, wanted = true[0], false, "true"
        elif len(false) >= 1 and len(true) >= 2:
            key_values, others, wanted = false[0], true, "false"
        else:
            return None
        prompt = (
            f"For which of these is the condition on line {expression.line} "
            f"(`{expression.text}`) {wanted}?"
        )
        key = _assignment(expression, key_values)
        # values holding the literals the condition tests (`ch = '\\x1a'` with `WIN = False`)
        # first: then matching the literal does not single out the key
        wrong = [_assignment(expression, v) for v in others]
        choices = [key, *echoing_first(prompt, key, wrong)[:3]]
        if len(set(choices)) != len(choices):
            return None
        code.rng.shuffle(choices)
        return Question(
            type=self.type,
            prompt=prompt,
            answer=key,
            explanation=f"With {expression.setting(key_values)}, `{expression.text}` is "
            f"{wanted}; with each of the others it is not.",
            choices=tuple(choices),
        )


def _literal(value: str) -> bool:
    """Whether a result reads as a value (`[1, 2]`, `'ab'`, `set()`), not an object's
    description (`range(0, 3)`, `<enumerate object at 0x…>`) that echoes the code."""
    if value == "set()":
        return True
    try:
        ast.literal_eval(value)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _assignment(expression: Expression, values: tuple[object, ...]) -> str:
    return ", ".join(f"{p.name} = {v!r}" for p, v in zip(expression.names, values, strict=True))


def _short(text: str, limit: int = 60) -> str:
    text = textwrap.shorten(text, limit, placeholder="…") if len(text) > limit else text
    return text


GENERATORS = [ExpressionValue()]
