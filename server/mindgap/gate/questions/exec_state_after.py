"""state-after: what does an attribute of `self` hold once a method has run?

Much of a class's logic returns nothing: `__init__` settles its attributes from its
arguments, `update(n)` advances counters, `reset()` puts things back. What such a method
does is the state it leaves, so this type runs the method on a stand-in `self` (holding the
attributes it reads, each stated in the prompt, exec_stand_ins) for the test-writer inputs
(one per distinct path) and asks for one attribute it set, as it is afterwards:

    With `self.pos = 8` and `self.length = 10`, after `self.update(3)`, what is `self.pos`?
    10 (key: capped at the length) / 11 / 8 / 3

Only attributes whose value after the call differs between the inputs are asked about (a
constant found by reading one line needs no tracing), and a key the prompt itself gives (an
argument stored as it is) does not decide (base.found_by_search). The wrong choices are the
attribute's values after the other inputs, its value before the call, and near misses of the
key, all of the key's shape. The key is what the sandbox established twice.
"""

from __future__ import annotations

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    Plan,
    QuestionsPerTarget,
    RegionRuns,
    Target,
    arrange,
    readable,
    register_planner,
    returned_literal,
    value_distractors,
)

TYPE = "state-after"
INPUTS = 6  # calls per method: the first candidates (the paths pick among them)
PER_METHOD = 3
MAX_QUESTIONS = 6


def _asked_about(target: Target) -> bool:
    return bool(target.owner) and target.form == "method" and bool(target.stored)


def plan(plan: Plan) -> None:
    for target in plan.all_targets:
        if _asked_about(target):
            for values in plan.candidates[target.key][:INPUTS]:
                plan.add_call(target.call(values, after=True), target)


register_planner(TYPE, plan)


def state_of(runs: RegionRuns, target: Target, values: tuple[object, ...]) -> dict[str, str]:
    """The repr of each attribute of `self` after the call, {} when it did not return."""
    state = returned_literal(runs, target.call(values, after=True))
    if not isinstance(state, dict):
        return {}
    return {k: v for k, v in state.items() if isinstance(k, str) and isinstance(v, str)}


class StateAfter(QuestionsPerTarget):
    type = TYPE
    inputs = INPUTS
    max_questions = MAX_QUESTIONS
    per_target = PER_METHOD
    asks_about = staticmethod(_asked_about)

    def questions(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> list[Question]:
        inputs = self.tried_inputs(runs, target)
        states = [(values, state_of(runs, target, values)) for values in inputs]
        states = [(values, state) for values, state in states if state]
        subjects = [
            (
                attribute,
                [
                    (values, state[attribute], state)
                    for values, state in states
                    if attribute in state
                ],
            )
            for attribute in target.stored
        ]
        return self.one_input_each(
            subjects,
            lambda attribute, values, state, seen: self.question(
                code, target, attribute, values, state, seen
            ),
        )

    def question(
        self,
        code: CodeUnderQuiz,
        target: Target,
        attribute: str,
        values: tuple[object, ...],
        state: dict[str, str],
        seen: list[str],
    ) -> Question | None:
        key = state[attribute]
        if not readable(key):
            return None
        before = [
            repr(v)
            for p, v in zip(target.required, values, strict=False)
            if p.attribute and p.holder == "self" and p.member == attribute
        ]
        related = [*seen, *before]
        distractors = value_distractors(key, related, code.rng)
        if len(distractors) < 3:
            return None
        call = target.shown(values)
        prompt = target.posed(values, f"after `{call}`, what is `self.{attribute}`?")
        return Question(
            type=self.type,
            prompt=f"{prompt} (`{target.name}` is defined on line {target.line}.)",
            answer=key,
            explanation=f"Once `{call}` has run, `self.{attribute}` holds `{key}`.",
            choices=arrange(key, distractors, code.rng),
        )


GENERATORS = [StateAfter()]
