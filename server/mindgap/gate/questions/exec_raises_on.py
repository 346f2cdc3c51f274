"""raises-on: which of these calls makes a function of the region raise?

The calls are the function's ordinary inputs and edge inputs (zero, negative, empty, the
literals it compares with); each one's outcome comes from the sandbox. Exactly one choice
raises an exception that the function's own logic raises (not a TypeError of feeding it the
wrong kind of value); the others return normally.

    Which of these calls to `ratio` (line 3) raises an exception?
        ratio(3, 1) / ratio(5, 0) / ratio(3, 2) / ratio(10, 1)
"""

from __future__ import annotations

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    DICT,
    EMPTY,
    FLOAT,
    INT,
    STR,
    OneQuestionPerFunction,
    Plan,
    RegionRuns,
    Target,
    branch_reason,
    line_text,
    meaningful_raise,
    readable,
    register_planner,
)

TYPE = "raises-on"
MAX_QUESTIONS = 2


def edge_inputs(target: Target, inputs: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """The first ordinary input with one parameter at an edge value."""
    if not inputs or not target.required:
        return []
    first = inputs[0]
    found: list[tuple[object, ...]] = []
    for position, parameter in enumerate(target.required):
        edges: list[object] = []
        if parameter.kind == INT:
            edges = [0, -1, *target.int_literals[:3]]
        elif parameter.kind == FLOAT:
            edges = [0.0, -1.0]
        elif parameter.kind == STR:
            edges = ["", *target.str_literals[:2], "x"]
        elif parameter.kind in EMPTY:
            edges = [EMPTY[parameter.kind], [0] if parameter.kind != DICT else {"": 0}]
        for edge in edges:
            values = (*first[:position], edge, *first[position + 1 :])
            if values not in found and values not in inputs:
                found.append(values)
    return found[:6]


def plan(plan: Plan) -> None:
    for target in plan.targets:
        for values in edge_inputs(target, plan.inputs[target.name]):
            plan.add_call(target.call(values), target)


register_planner(TYPE, plan)


class RaisesOn(OneQuestionPerFunction):
    max_questions = MAX_QUESTIONS
    type = TYPE

    def question(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> Question | None:
        inputs = runs.inputs(target)
        calls = [target.call(v) for v in [*inputs, *edge_inputs(target, inputs)]]
        returning: list[tuple[str, str]] = []
        raising: list[tuple[str, str, str, int | None]] = []
        for call in calls:
            outcome = runs.outcome(call)
            if outcome is None:
                continue
            if outcome.returned and outcome.value is not None:
                returning.append((call, outcome.value))
            elif meaningful_raise(outcome) and outcome.exception is not None:
                raising.append((call, outcome.exception, outcome.message, outcome.line))
        if not raising or len(returning) < 2:
            return None
        call, exception, message, line = raising[0]
        others = returning[:3]
        choices = [call, *(c for c, _ in others)]
        code.rng.shuffle(choices)
        explanation = f"`{call}` raises {exception}"
        if message:
            explanation += f" ({message})"
        if line is not None:
            explanation += f" at line {line}: `{line_text(code, line)}`"
            reason = branch_reason(code, target, line)
            if reason:
                explanation += f", reached because {reason}"
        returns = ", ".join(
            f"`{c}` returns `{v}`" if readable(v) else f"`{c}` returns" for c, v in others
        )
        explanation += f"; the others return normally: {returns}."
        return Question(
            type=self.type,
            prompt=f"Which of these calls to `{target.name}` (line {target.line}) raises an "
            "exception?",
            answer=call,
            explanation=explanation,
            choices=tuple(choices),
        )


GENERATORS = [RaisesOn()]
