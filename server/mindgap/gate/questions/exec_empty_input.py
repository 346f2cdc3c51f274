"""empty-input: what happens when a function of the region gets an empty list, string or dict?

The key comes from running the function in the sandbox with that parameter empty (the others
at ordinary values): it returns something, or raises. The distractors are the exceptions the
code could plausibly raise (those it raises itself, IndexError where it indexes, ZeroDivision
where it divides, ValueError where it calls max/min...) and ordinary results.

    What happens when `average([])` is called (`xs` is an empty list)?
        returns 0 / returns None / raises ZeroDivisionError / raises IndexError
"""

from __future__ import annotations

import ast

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    DICT,
    EMPTY,
    ExecutedQuestions,
    Parameter,
    Plan,
    RegionRuns,
    Target,
    branch_reason,
    line_text,
    meaningful_raise,
    register_planner,
    same_shape,
    showable,
)
from mindgap.gate.sandbox import Outcome

TYPE = "empty-input"
MAX_QUESTIONS = 2
# every kind with an empty value (lists of records too), named by that value's type
_NAME_OF_EMPTY: dict[type, str] = {
    str: "an empty string",
    list: "an empty list",
    dict: "an empty dict",
}
EMPTY_NAMES = {kind: _NAME_OF_EMPTY[type(value)] for kind, value in EMPTY.items()}


def empty_calls(target: Target, inputs: list[tuple[object, ...]]) -> list[tuple[Parameter, str]]:
    """(parameter, call) with that parameter empty and the others as in the first input."""
    if not inputs:
        return []
    found = []
    for position, parameter in enumerate(target.required):
        if parameter.kind in EMPTY:
            first = inputs[0]
            values = (*first[:position], EMPTY[parameter.kind], *first[position + 1 :])
            found.append((parameter, target.call(values)))
    return found


def plan(plan: Plan) -> None:
    for target in plan.targets:
        for _, call in empty_calls(target, plan.inputs[target.name]):
            plan.add_call(call, target)


register_planner(TYPE, plan)


class EmptyInput(ExecutedQuestions):
    type = TYPE

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        questions = []
        for target in runs.targets:
            for parameter, call in empty_calls(target, runs.inputs(target))[:1]:
                question = self.question(code, runs, target, parameter, call)
                if question is not None:
                    questions.append(question)
        return questions[:MAX_QUESTIONS]

    def question(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target, parameter: Parameter, call: str
    ) -> Question | None:
        outcome = runs.outcome(call)
        if outcome is None:
            return None
        answerable = showable(outcome) or meaningful_raise(outcome)
        if not answerable:
            return None
        key = outcome.describe()
        hinted, typical, generic = _distractors(code, runs, target, parameter)
        # a filler result is offered only if the function returns values of its type
        returned = [o.value for _, _, o in runs.results(target) if o.kind == "value"]
        if outcome.kind == "value":
            returned.append(outcome.value)
        generic = [c for c in generic if _plausible_filler(c, returned)]
        distractors: list[str] = []
        for group, most in ((hinted, 2), (typical, 1), (generic, 3)):
            group = [c for c in dict.fromkeys(group) if c != key and c not in distractors]
            code.rng.shuffle(group)
            distractors += group[:most]
        if len(distractors) < 3:
            return None
        choices = [key, *distractors[:3]]
        code.rng.shuffle(choices)
        assert parameter.kind is not None
        return Question(
            type=self.type,
            prompt=f"What happens when `{call}` is called (`{parameter.name}` is "
            f"{EMPTY_NAMES[parameter.kind]})?",
            answer=key,
            explanation=_explain(code, target, call, outcome),
            choices=tuple(choices),
        )


def _distractors(
    code: CodeUnderQuiz, runs: RegionRuns, target: Target, parameter: Parameter
) -> tuple[list[str], list[str], list[str]]:
    """Exceptions the code hints at, what it returns on ordinary inputs, and fillers."""
    likely: list[str] = []
    for node in target.own_nodes:
        if isinstance(node, ast.Raise) and node.exc is not None:
            raised = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
            if isinstance(raised, ast.Name):
                likely.append(f"raises {raised.id}")
        elif isinstance(node, ast.Subscript):
            likely.append("raises IndexError" if parameter.kind != DICT else "raises KeyError")
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Div, ast.FloorDiv, ast.Mod)):
            likely.append("raises ZeroDivisionError")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in {"max", "min"}:
                likely.append("raises ValueError")
            elif node.func.id == "next":
                likely.append("raises StopIteration")
    typical = [o.describe() for _, _, o in runs.results(target) if showable(o)]
    assert parameter.kind is not None
    empty = repr(EMPTY[parameter.kind])
    generic = ["returns None", "returns 0", f"returns {empty}", "raises IndexError"]
    generic += ["raises ValueError", "raises TypeError"]
    return likely, typical, generic


def _plausible_filler(choice: str, returned: list[str | None]) -> bool:
    """ "returns 0" is no choice for a function that returns strings: a filler result must
    be of a type the function was seen returning (any, when it was seen returning none)."""
    values = [value for value in returned if value is not None]
    if not choice.startswith("returns ") or not values:
        return True
    return any(same_shape(choice.removeprefix("returns "), value) for value in values)


def _explain(code: CodeUnderQuiz, target: Target, call: str, outcome: Outcome) -> str:
    if outcome.raised:
        text = f"`{call}` raises {outcome.exception}"
        if outcome.message:
            text += f" ({outcome.message})"
    else:
        text = f"`{call}` returns `{outcome.value}`"
    if outcome.line is not None:
        where = "at" if outcome.raised else "from"
        text += f" {where} line {outcome.line}: `{line_text(code, outcome.line)}`"
        reason = branch_reason(code, target, outcome.line)
        if reason:
            text += f", reached because {reason}"
    return text + "."


GENERATORS = [EmptyInput()]
