"""mutation: what would a call give if one operator or number of the code were different?

Each mutant changes one thing in a function of the region: a comparison (`<` and `<=`, `>`
and `>=`, `==` and `!=`), `and` and `or`, a small number in arithmetic, a `range` or a slice
(one more, one less), a constant index (`[0]` and `[1]`, `[-1]` and `[-2]`), or a method or
builtin for its mirror twin (`split` and `rsplit`, `startswith` and `endswith`, `min` and
`max`: the misreading of which end it works from). The mutant runs in the sandbox, renamed,
on the test writer's inputs; it is asked about only for an input where its result differs
from the original's (both established twice the same). Wrong choices are the unmutated
result (the misreading "it changes nothing"), the mutant's and the original's results on
other inputs, and near misses of the key. To answer, one must know what that very line does
for that input.

    If line 7 read `x <= limit` instead of `x < limit`, what would `clip(10, 10)` return?
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    ExecutedQuestions,
    Plan,
    RegionRuns,
    Target,
    arrange,
    in_region,
    line_text,
    readable,
    register_planner,
    showable,
    value_distractors,
)

TYPE = "mutation"
MUTANTS_PER_FUNCTION = 3
INPUTS_PER_MUTANT = 6
MAX_QUESTIONS = 6
SHOWN = 50

_COMPARE_SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
}


@dataclass(frozen=True)
class Mutant:
    target: Target
    number: int
    line: int
    before: str  # the changed expression, as written
    after: str  # as the mutant has it
    source: str  # the mutant function, renamed

    @property
    def name(self) -> str:
        return f"mindgap_mutant{self.number}_{self.target.key.replace('.', '_')}"


Change = Callable[[ast.AST], bool]


def mutation_sites(nodes: Iterable[ast.AST]) -> list[tuple[ast.AST, Change]]:
    """Where one change makes a mutant, and the change, in source order: a comparison,
    `and`/`or`, a small number in arithmetic, a `range` start, a slice bound, a constant
    index, a method or builtin that has a mirror twin (`split`/`rsplit`, `min`/`max`)."""
    sites: list[tuple[ast.AST, Change]] = []
    for node in nodes:
        if isinstance(node, ast.Compare) and type(node.ops[0]) in _COMPARE_SWAPS:
            sites.append((node, _swap_compare))
        elif isinstance(node, ast.BoolOp):
            sites.append((node, _swap_boolop))
        elif isinstance(node, ast.BinOp) and _small_number(node.right):
            sites.append((node, _bump_right))
        elif isinstance(node, ast.Call) and _is_range(node) and len(node.args) >= 2:
            sites.append((node, _bump_range_start))
        elif isinstance(node, ast.Call) and _twin(node) is not None:
            sites.append((node, _swap_twin))
        elif isinstance(node, ast.Slice) and _small_number(node.lower):
            sites.append((node, _bump_slice))
        elif isinstance(node, ast.Slice) and _bound(node.upper) is not None:
            sites.append((node, _bump_slice_upper))
        elif isinstance(node, ast.Subscript) and _bound(node.slice) is not None:
            sites.append((node, _bump_index))
    sites.sort(key=lambda site: (getattr(site[0], "lineno", 0), getattr(site[0], "col_offset", 0)))
    return sites


def mutants(target: Target) -> list[Mutant]:
    """Up to MUTANTS_PER_FUNCTION one-change mutants, in source order."""
    found: list[Mutant] = []
    for number, (node, change) in enumerate(mutation_sites(target.own_nodes)):
        if len(found) == MUTANTS_PER_FUNCTION:
            break
        mutant = _mutate(target, node, change, number)
        if mutant is not None:
            found.append(mutant)
    return found


def _mutate(
    target: Target, node: ast.AST, change: Callable[[ast.AST], bool], number: int
) -> Mutant | None:
    function = copy.deepcopy(target.function)
    position = _position(node)
    for candidate in ast.walk(function):
        if _position(candidate) != position:
            continue
        before = changed_text(candidate)
        if not change(candidate):
            return None
        after = changed_text(candidate)
        if before == after or len(before) > SHOWN or len(after) > SHOWN:
            return None
        line = int(getattr(node, "lineno", 0))
        mutant = Mutant(target, number, line, before, after, "")
        function.name = mutant.name
        ast.fix_missing_locations(function)
        return Mutant(target, number, line, before, after, ast.unparse(function))
    return None


def _position(node: ast.AST) -> tuple[object, ...]:
    """Where a node is, whole: nested operations can start at the same place."""
    return (
        getattr(node, "lineno", 0),
        getattr(node, "col_offset", 0),
        getattr(node, "end_lineno", 0),
        getattr(node, "end_col_offset", 0),
        type(node),
    )


def _slice_text(node: ast.AST) -> str:
    return f"[{ast.unparse(node)}]"


def changed_text(node: ast.AST) -> str:
    """A mutation site as the question shows it (a slice in its brackets)."""
    return _slice_text(node) if isinstance(node, ast.Slice) else ast.unparse(node)


def same_place(a: ast.AST, b: ast.AST) -> bool:
    """Whether two nodes (of a tree and its copy) are the same one."""
    return _position(a) == _position(b)


def _small_number(node: ast.AST | None) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, int)
        and not isinstance(node.value, bool)
        and 0 <= node.value <= 10
    )


def _is_range(node: ast.Call) -> bool:
    return isinstance(node.func, ast.Name) and node.func.id == "range"


def _swap_compare(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Compare)):
        return False
    node.ops[0] = _COMPARE_SWAPS[type(node.ops[0])]()
    return True


def _swap_boolop(node: ast.AST) -> bool:
    if not (isinstance(node, ast.BoolOp)):
        return False
    node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
    return True


def _bump_right(node: ast.AST) -> bool:
    if not (isinstance(node, ast.BinOp) and isinstance(node.right, ast.Constant)):
        return False
    if not isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.FloorDiv, ast.Mod)):
        return False
    value = node.right.value
    if not isinstance(value, int):
        return False
    node.right = ast.Constant(value + 1 if value < 2 else value - 1)
    return True


def _bump_range_start(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call)):
        return False
    start = node.args[0]
    if not _small_number(start):
        return False
    if not (isinstance(start, ast.Constant) and isinstance(start.value, int)):
        return False
    node.args[0] = ast.Constant(start.value + 1 if start.value == 0 else start.value - 1)
    return True


def _bump_slice(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Slice) and isinstance(node.lower, ast.Constant)):
        return False
    value = node.lower.value
    if not isinstance(value, int):
        return False
    node.lower = ast.Constant(value + 1)
    return True


# mirror twins: the misreading of which end a method works from, or which extreme
_TWINS = {
    **{a: b for a, b in (("split", "rsplit"), ("find", "rfind"), ("index", "rindex"))},
    **{a: b for a, b in (("startswith", "endswith"), ("lstrip", "rstrip"), ("ljust", "rjust"))},
    **{a: b for a, b in (("partition", "rpartition"), ("min", "max"), ("upper", "lower"))},
}
_TWINS.update({b: a for a, b in list(_TWINS.items())})


def _twin(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Attribute):
        return _TWINS.get(node.func.attr) if node.func.attr not in ("min", "max") else None
    if isinstance(node.func, ast.Name) and node.func.id in ("min", "max"):
        return _TWINS[node.func.id]
    return None


def _swap_twin(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    twin = _twin(node)
    if twin is None:
        return False
    if isinstance(node.func, ast.Attribute):
        node.func.attr = twin
    elif isinstance(node.func, ast.Name):
        node.func.id = twin
    return True


def _bound(node: ast.AST | None) -> int | None:
    """A small whole number written as a slice bound or index: `2`, `-1`."""
    if isinstance(node, ast.Constant) and _small_number(node) and isinstance(node.value, int):
        return node.value
    if (
        isinstance(node, ast.UnaryOp)
        and isinstance(node.op, ast.USub)
        and isinstance(node.operand, ast.Constant)
        and _small_number(node.operand)
        and isinstance(node.operand.value, int)
        and node.operand.value != 0
    ):
        return -node.operand.value
    return None


def _one_further(value: int) -> ast.expr:
    """The bound one step away from zero's side: 2 -> 3, -1 -> -2, 0 -> 1."""
    moved = value - 1 if value < 0 else value + 1
    if moved < 0:
        return ast.UnaryOp(ast.USub(), ast.Constant(-moved))
    return ast.Constant(moved)


def _bump_slice_upper(node: ast.AST) -> bool:
    if not isinstance(node, ast.Slice):
        return False
    value = _bound(node.upper)
    if value is None:
        return False
    node.upper = _one_further(value)
    return True


def _bump_index(node: ast.AST) -> bool:
    if not isinstance(node, ast.Subscript):
        return False
    value = _bound(node.slice)
    if value is None:
        return False
    node.slice = _one_further(value)
    return True


def _inputs(target: Target, plan_candidates: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return plan_candidates[:INPUTS_PER_MUTANT]


def plan(plan: Plan) -> None:
    for target in plan.all_targets:
        if target.recursive:
            continue  # its inner calls would run the original
        for mutant in mutants(target):
            if not in_region(plan.code, mutant.line):
                continue
            plan.add_definition(mutant.source)
            for values in _inputs(target, plan.candidates[target.key]):
                plan.add_call(target.call(values, mutant.name), target)
        for line, source in deletions(target, plan.code):
            plan.add_definition(source)
            for values in plan.candidates[target.key][:DELETION_INPUTS]:
                plan.add_call(target.call(values, deleted_name(target, line)), target)


register_planner(TYPE, plan)


DELETIONS_PER_FUNCTION = 4
DELETION_INPUTS = 4


def _rebinds(target: Target, node: ast.Assign) -> bool:
    """Whether every name the assignment binds already had a value before it."""
    names = [t.id for t in node.targets if isinstance(t, ast.Name)]
    if not names or len(names) != len(node.targets):
        return False
    earlier = {
        n.id
        for n in target.own_nodes
        if isinstance(n, ast.Name)
        and isinstance(n.ctx, ast.Store)
        and getattr(n, "lineno", 0) < node.lineno
    }
    parameters = {a.arg for a in [*target.function.args.args, *target.function.args.kwonlyargs]}
    return all(name in earlier or name in parameters for name in names)


def deleted_name(target: Target, line: int) -> str:
    return f"mindgap_del{line}_{target.key.replace('.', '_')}"


def deletions(target: Target, code: CodeUnderQuiz) -> list[tuple[int, str]]:
    """(line, source of the function without that line's statement): one-line assignments,
    augmented assignments and calls used as statements, in the region."""
    found: list[tuple[int, str]] = []
    for node in sorted(target.own_nodes, key=lambda n: getattr(n, "lineno", 0)):
        if len(found) == DELETIONS_PER_FUNCTION:
            break
        if not isinstance(node, (ast.Assign, ast.AugAssign, ast.Expr)):
            continue
        if isinstance(node, ast.Expr) and not isinstance(node.value, ast.Call):
            continue  # a docstring or a bare name
        if node.lineno != node.end_lineno or not in_region(code, node.lineno):
            continue
        if isinstance(node, ast.Assign) and not _rebinds(target, node):
            continue  # deleting a first assignment only breaks the code (NameError)
        function = copy.deepcopy(target.function)
        function.name = deleted_name(target, node.lineno)
        replaced = False
        for parent in ast.walk(function):
            for field in ("body", "orelse", "finalbody"):
                block = getattr(parent, field, None)
                if not isinstance(block, list):
                    continue
                for index, statement in enumerate(block):
                    if _position(statement) == _position(node):
                        block[index] = ast.copy_location(ast.Pass(), statement)
                        replaced = True
        if replaced:
            ast.fix_missing_locations(function)
            found.append((node.lineno, ast.unparse(function)))
    return found


class Mutation(ExecutedQuestions):
    type = TYPE

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        found = []
        for target in runs.all_targets:
            if target.recursive:
                continue
            for mutant in mutants(target):
                if not in_region(code, mutant.line):
                    continue
                question = self.question(code, runs, mutant)
                if question is not None:
                    found.append(question)
            deleted = self.deletion_question(code, runs, target)
            if deleted is not None:
                found.append(deleted)
        return found[:MAX_QUESTIONS]

    def deletion_question(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target
    ) -> Question | None:
        """Which line, if deleted, would make a call return something else (GATE.md)."""
        lines = [line for line, _ in deletions(target, code)]
        if len(lines) < 3:
            return None
        tried = runs.plan.candidates.get(target.key, [])[:DELETION_INPUTS]
        preferred = [v for v, _, _ in runs.paths(target) if v in tried]
        for values in [*preferred, *(v for v in tried if v not in preferred)]:
            original = runs.outcome(target.call(values))
            if original is None or not showable(original) or original.value is None:
                continue
            changed: dict[int, str] = {}
            for line in lines:
                outcome = runs.outcome(target.call(values, deleted_name(target, line)))
                if outcome is not None and showable(outcome) and outcome.value is not None:
                    changed[line] = outcome.value
            if len(changed) < 3:
                continue
            for line, value in changed.items():
                if value == original.value or list(changed.values()).count(value) != 1:
                    continue
                others = [f"line {n}" for n in changed if n != line][:3]
                choices = [f"line {line}", *others]
                code.rng.shuffle(choices)
                call = target.shown(values)
                prompt = target.posed(
                    values,
                    f"Which line, if deleted, would make `{call}` return `{value}` instead of "
                    f"`{original.value}`?",
                )
                return Question(
                    type=self.type,
                    prompt=prompt,
                    answer=f"line {line}",
                    explanation=f"Without line {line} (`{line_text(code, line)}`), `{call}` "
                    f"returns `{value}`; deleting any of the others gives something else.",
                    choices=tuple(choices),
                )
        return None

    def question(self, code: CodeUnderQuiz, runs: RegionRuns, mutant: Mutant) -> Question | None:
        target = mutant.target
        differing = []
        results = []
        tried = _inputs(target, runs.plan.candidates.get(target.key, []))
        preferred = [v for v, _, _ in runs.paths(target) if v in tried]
        for values in [*preferred, *(v for v in tried if v not in preferred)]:
            original = runs.outcome(target.call(values))
            changed = runs.outcome(target.call(values, mutant.name))
            if original is None or changed is None or not showable(original):
                continue
            if not showable(changed) or changed.value is None or original.value is None:
                continue
            results += [original.value, changed.value]
            if changed.value != original.value:
                differing.append((values, original.value, changed.value))
        if not differing:
            return None
        values, unmutated, key = differing[0]
        related = [unmutated, *results]
        distractors = value_distractors(key, related, code.rng)
        if unmutated not in distractors[:3] and readable(unmutated):
            distractors.insert(0, unmutated)
        if len(distractors) < 3:
            return None
        shown = target.shown(values)
        would = "yield first (as a list of three)" if target.form == "generator" else "return"
        prompt = target.posed(
            values,
            f"If line {mutant.line} read `{mutant.after}` instead of `{mutant.before}`, what "
            f"would `{shown}` {would}?",
        )
        return Question(
            type=self.type,
            prompt=prompt,
            answer=key,
            explanation=f"With `{mutant.after}` on line {mutant.line}, `{shown}` gives `{key}`; "
            f"as written (`{mutant.before}`) it gives `{unmutated}`.",
            choices=arrange(key, distractors, code.rng),
        )


GENERATORS = [Mutation()]
