"""loop-state: what does a variable hold right after a loop, for a given call?

A loop's job is to build up state (a total, a best match, a list). The question picks a
variable the loop assigns that already held a value before it - the accumulator - and asks
its value when the loop has finished, for one of the test writer's inputs. The key comes from
an instrumented copy of the function, run in the sandbox: the copy (renamed) returns that
variable right after the loop. Asked only when the value differs from what it held before
the loop (the loop did something) and from what the call returns (else it is a return-value
question). Wrong choices: the value for other inputs, near misses (one round more or fewer
shows as off by one, one item short, reversed). Recursive functions are left out (their
inner calls would run the original).

    When `total([3, 1, 2], 3)` runs, what does `result` hold right after the loop on line 4
    (`for price in prices:`) finishes?
"""

from __future__ import annotations

import ast
import copy

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    ExecutedQuestions,
    Plan,
    RegionRuns,
    Target,
    arrange,
    in_region,
    line_text,
    register_planner,
    showable,
    value_distractors,
)

TYPE = "loop-state"
INPUTS = 6
MAX_QUESTIONS = 3
Loop = ast.For | ast.While


def accumulators(target: Target, code: CodeUnderQuiz) -> list[tuple[Loop, str]]:
    """(loop, variable) for the region's loops of a function: a name assigned in the loop's
    body that was assigned before the loop, in the same function."""
    found: list[tuple[Loop, str]] = []
    for node in target.own_nodes:
        if not isinstance(node, (ast.For, ast.While)) or not in_region(code, node.lineno):
            continue
        before = {
            n.id
            for n in target.own_nodes
            if isinstance(n, ast.Name)
            and isinstance(n.ctx, ast.Store)
            and getattr(n, "lineno", 0) < node.lineno
        }
        assigned = []
        for child in ast.walk(node):
            if isinstance(child, ast.AugAssign) and isinstance(child.target, ast.Name):
                assigned.append(child.target.id)
            elif isinstance(child, ast.Assign):
                assigned += [t.id for t in child.targets if isinstance(t, ast.Name)]
        loop_variables: set[str] = set()
        if isinstance(node, ast.For):
            loop_variables = {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        for name in dict.fromkeys(assigned):
            if name in before and name not in loop_variables:
                found.append((node, name))
                break
    return found[:2]


def instrumented_name(target: Target, loop: Loop) -> str:
    return f"mindgap_state{loop.lineno}_{target.key.replace('.', '_')}"


def instrumented(target: Target, loop: Loop, name: str) -> str | None:
    """The function's source, renamed, returning `name` right after that loop."""
    function = copy.deepcopy(target.function)
    function.name = instrumented_name(target, loop)
    for parent in ast.walk(function):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(parent, field, None)
            if not isinstance(block, list):
                continue
            for index, statement in enumerate(block):
                if isinstance(statement, type(loop)) and statement.lineno == loop.lineno:
                    block.insert(index + 1, ast.Return(ast.Name(name, ast.Load())))
                    ast.fix_missing_locations(function)
                    return ast.unparse(function)
    return None


def plan(plan: Plan) -> None:
    for target in plan.all_targets:
        if target.recursive or target.form == "generator":
            continue
        for loop, name in accumulators(target, plan.code):
            source = instrumented(target, loop, name)
            if source is None:
                continue
            plan.add_definition(source)
            for values in plan.candidates[target.key][:INPUTS]:
                plan.add_call(target.call(values, instrumented_name(target, loop)), target)


register_planner(TYPE, plan)


class LoopState(ExecutedQuestions):
    type = TYPE

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        found = []
        for target in runs.all_targets:
            if target.recursive or target.form == "generator":
                continue
            for loop, name in accumulators(target, code):
                question = self.question(code, runs, target, loop, name)
                if question is not None:
                    found.append(question)
        return found[:MAX_QUESTIONS]

    def question(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target, loop: Loop, name: str
    ) -> Question | None:
        states = []
        for values in runs.plan.candidates.get(target.key, [])[:INPUTS]:
            state = runs.outcome(target.call(values, instrumented_name(target, loop)))
            result = runs.outcome(target.call(values))
            if state is None or result is None or not showable(state) or state.value is None:
                continue
            states.append((values, state.value, result.value if result.returned else None))
        usable = [s for s in states if s[1] != s[2]]
        if not usable:
            return None
        values, key, _ = usable[0]
        related = [s[1] for s in states]
        distractors = value_distractors(key, related, code.rng)
        if len(distractors) < 3:
            return None
        header = line_text(code, loop.lineno)
        call = target.shown(values)
        prompt = target.posed(
            values,
            f"When `{call}` runs, what does `{name}` hold right after the loop on line "
            f"{loop.lineno} (`{header}`) finishes?",
        )
        return Question(
            type=self.type,
            prompt=prompt,
            answer=key,
            explanation=f"After the loop on line {loop.lineno}, `{name}` is `{key}` for `{call}`.",
            choices=arrange(key, distractors, code.rng),
        )


GENERATORS = [LoopState()]
