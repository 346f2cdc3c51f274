"""passes: what does a function hand to a collaborator that only takes it in?

Much library code computes a value only to hand it on: `formatter.write(prefix + text)`,
`self.fail(message, param)`, `ctx.exit(code)`. What it passes is its logic's result, as a
returned value would be. This type runs the function with stand-ins (exec_stand_ins) whose
methods that do nothing log what they were passed, for the test-writer inputs (one per
distinct path), and asks what one of those methods receives:

    With `self._completed_intervals = 3`, `self.update_min_steps = 3`, `self.make_step(…)`
    doing nothing and `self.render_progress(…)` doing nothing, what does `self.update(3)`
    pass to `self.make_step(…)`?          6 (key) / 3 / -6 / 12

Only methods whose arguments differ between the inputs are asked about, and a key the
prompt itself gives (an argument handed on as it is) does not decide
(base.found_by_search). The wrong choices are what the method received for the other inputs
and near misses of the key, all of its shape. The key is what the sandbox established
twice.
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

TYPE = "passes"
INPUTS = 6
PER_FUNCTION = 2
MAX_QUESTIONS = 4


def _asked_about(target: Target) -> bool:
    return bool(target.silent) and target.form in ("function", "method")


def plan(plan: Plan) -> None:
    for target in plan.all_targets:
        if _asked_about(target):
            for values in plan.candidates[target.key][:INPUTS]:
                plan.add_call(target.call(values, passed=True), target)


register_planner(TYPE, plan)


def passed_in(
    runs: RegionRuns, target: Target, values: tuple[object, ...]
) -> list[tuple[str, str]]:
    """(method, its arguments as written) for each call the stand-ins logged, in order; []
    when the call did not return or its log cannot be read."""
    log = returned_literal(runs, target.call(values, passed=True))
    if not isinstance(log, list):
        return []
    return [
        (entry[0], entry[1])
        for entry in log
        if isinstance(entry, tuple)
        and len(entry) == 2
        and all(isinstance(part, str) for part in entry)
    ]


class Passes(QuestionsPerTarget):
    type = TYPE
    inputs = INPUTS
    max_questions = MAX_QUESTIONS
    per_target = PER_FUNCTION
    asks_about = staticmethod(_asked_about)

    def questions(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> list[Question]:
        inputs = self.tried_inputs(runs, target)
        logs = [(values, passed_in(runs, target, values)) for values in inputs]
        methods = [f"{holder}.{name}" for holder, names in target.silent.items() for name in names]
        subjects = []
        for method in methods:
            sent_by = [
                ([args for name, args in log if name == method], values) for values, log in logs
            ]
            subjects.append((method, [(values, sent[0], sent) for sent, values in sent_by if sent]))
        return self.one_input_each(
            subjects,
            lambda method, values, sent, seen: self.question(
                code, target, method, values, sent, seen
            ),
        )

    def question(
        self,
        code: CodeUnderQuiz,
        target: Target,
        method: str,
        values: tuple[object, ...],
        sent: list[str],
        seen: list[str],
    ) -> Question | None:
        key = sent[0]
        if key == "()" or not readable(key) or "mindgap" in key or " at 0x" in key:
            return None  # nothing passed, or a stand-in passed on: not a value to work out
        if ") {" in key:
            return None  # passed by keyword too: no one value to read as a choice
        distractors = value_distractors(key, seen, code.rng)
        if len(distractors) < 3:
            return None
        call = target.shown(values)
        when = " the first time it calls it" if len(sent) > 1 else ""
        what = "what does"
        if key.startswith("(") and key.endswith(")"):
            what = "what arguments (as a tuple) does"  # several, or none: `(2, ' ')`
        body = f"{what} `{call}` pass to `{method}(…)`{when}?"
        prompt = target.posed(values, body)
        return Question(
            type=self.type,
            prompt=f"{prompt} (`{target.name}` is defined on line {target.line}.)",
            answer=key,
            explanation=f"`{call}` calls `{method}({key})`{when}.",
            choices=arrange(key, distractors, code.rng),
        )


GENERATORS = [Passes()]
