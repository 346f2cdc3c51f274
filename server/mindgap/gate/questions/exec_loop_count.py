"""loop-count: how many times does the body of a loop of the region run for a given input?

The count comes from an instrumented copy of the function, run in the sandbox: the copy (a
rewrite of the function's syntax tree, renamed) calls a counter as the first statement of the
loop's body. Recursive functions are left out (their inner calls would run the original).

    When `total([3, 1, 2])` runs, how many times does the body of the loop on line 4
    (`for x in xs:`) run?        2 / 3 / 4 / 5
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
)

TYPE = "loop-count"
MAX_QUESTIONS = 2
MAX_LOOPS_PER_FUNCTION = 2
INPUTS_PER_LOOP = 4
MAX_COUNT = 20  # beyond this nobody counts by hand

HELPERS = """\
mindgap_ticks = [0]


def mindgap_tick():
    mindgap_ticks[0] += 1


def mindgap_count(run):
    run()
    return mindgap_ticks[0]
"""

Loop = ast.For | ast.While


def loops(target: Target, region_lines: tuple[int, int] | None = None) -> list[Loop]:
    found = [n for n in target.own_nodes if isinstance(n, (ast.For, ast.While))]
    found.sort(key=lambda n: n.lineno)
    if region_lines is not None:
        found = [n for n in found if region_lines[0] <= n.lineno <= region_lines[1]]
    return found[:MAX_LOOPS_PER_FUNCTION]


def counted_name(target: Target, loop: Loop) -> str:
    return f"mindgap_loop{loop.lineno}_{target.name}"


def instrumented(target: Target, loop: Loop) -> str | None:
    """The function's source, renamed, with a tick at the start of that loop's body."""
    function = copy.deepcopy(target.function)
    function.name = counted_name(target, loop)
    for node in ast.walk(function):
        if isinstance(node, type(loop)) and node.lineno == loop.lineno:
            tick = ast.Expr(ast.Call(ast.Name("mindgap_tick", ast.Load()), [], []))
            node.body.insert(0, tick)
            break
    else:
        return None
    ast.fix_missing_locations(function)
    return ast.unparse(function)


def counted_call(target: Target, loop: Loop, values: tuple[object, ...]) -> str:
    return f"mindgap_count(lambda: {target.call(values, counted_name(target, loop))})"


def region_lines(code: CodeUnderQuiz) -> tuple[int, int]:
    return code.first_line, code.first_line + code.text.count("\n")


def plan(plan: Plan) -> None:
    added = False
    for target in plan.targets:
        if target.recursive:
            continue
        for loop in loops(target, region_lines(plan.code)):
            source = instrumented(target, loop)
            if source is None:
                continue
            if not added:
                plan.add_definition(HELPERS)
                added = True
            plan.add_definition(source)
            for values in plan.inputs[target.name][:INPUTS_PER_LOOP]:
                plan.add_call(counted_call(target, loop, values), target)


register_planner(TYPE, plan)


class LoopCount(ExecutedQuestions):
    type = TYPE

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        questions = []
        for target in runs.targets:
            if target.recursive:
                continue
            for loop in loops(target, region_lines(code)):
                if not in_region(code, loop.lineno):
                    continue
                question = self.question(code, runs, target, loop)
                if question is not None:
                    questions.append(question)
        return questions[:MAX_QUESTIONS]

    def question(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target, loop: Loop
    ) -> Question | None:
        counts: list[tuple[str, int, str]] = []  # call, count, what the call returned
        for values in runs.inputs(target)[:INPUTS_PER_LOOP]:
            counted = runs.outcome(counted_call(target, loop, values))
            original = runs.outcome(target.call(values))
            if counted is None or original is None or not counted.returned:
                continue
            if not original.returned or counted.value is None or not counted.value.isdigit():
                continue
            counts.append((target.call(values), int(counted.value), original.value or ""))
        usable = [c for c in counts if c[1] <= MAX_COUNT]
        if not usable:
            return None
        call, count, returned = min(usable, key=lambda c: (not 2 <= c[1] <= 12, c[1] == 0))
        candidates = [count - 1, count + 1, count + 2, count - 2, *(c[1] for c in counts)]
        wrong: list[str] = []
        for candidate in candidates:
            if candidate >= 0 and candidate != count and str(candidate) not in wrong:
                wrong.append(str(candidate))
        code.rng.shuffle(wrong)
        header = line_text(code, loop.lineno)
        explanation = (
            f"For `{call}` the body of the loop on line {loop.lineno} (`{header}`) runs "
            f"{count} time{'s' if count != 1 else ''}"
        )
        exits = [
            n for n in ast.walk(loop) if isinstance(n, (ast.Break, ast.Return)) and n is not loop
        ]
        if exits and count:
            first_exit = min(exits, key=lambda n: n.lineno)
            explanation += (
                f" (it can stop early: `{line_text(code, first_exit.lineno)}` on line "
                f"{first_exit.lineno})"
            )
        explanation += f", and the call returns `{returned}`." if returned else "."
        return Question(
            type=self.type,
            prompt=f"When `{call}` runs, how many times does the body of the loop on line "
            f"{loop.lineno} (`{header}`) run?",
            answer=str(count),
            explanation=explanation,
            choices=arrange(str(count), wrong, code.rng),
            constructs=("python/loop-else",) if loop.orelse else (),
        )


GENERATORS = [LoopCount()]
