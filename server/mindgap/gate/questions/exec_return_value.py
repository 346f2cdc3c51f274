"""return-value (predict the result): what does a call of the region's code give?

The inputs are a test writer's (exec_common.candidate_inputs: the literals and separators
the code looks for, both sides of each comparison, empty and one-element collections, None
where it is checked); each candidate runs in the sandbox and one input is kept per distinct
path (the lines it executed, where it returned or raised). Functions, methods (with the
attributes of `self` given in the prompt), generators (their first three values) and async
functions (awaited) are asked about. The key is what the sandbox established, twice the same;
the wrong choices are what the code gives for the other paths' inputs (the other branch's
result, a neighbouring input's) and near misses of the key (off by one, reversed, one item
short), all of the key's type. Nobody can answer without tracing the code for that input.

    What does `split_path('a.b.c')` return?
        ['a', 'a.b', 'a.b.c'] / ['a', 'b', 'c'] / ['a', 'a.b'] / ['a.b.c', 'a.b', 'a']
"""

from __future__ import annotations

from mindgap.gate.questions.base import CodeUnderQuiz, Question, echoing_first, first_unsearched
from mindgap.gate.questions.exec_common import (
    ExecutedQuestions,
    RegionRuns,
    Target,
    arrange,
    branch_reason,
    line_text,
    showable,
    value_distractors,
)
from mindgap.gate.sandbox import Outcome

PER_FUNCTION = 4
MAX_QUESTIONS = 12


class ReturnValue(ExecutedQuestions):
    type = "return-value"

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        found: list[Question] = []
        for target in runs.all_targets:
            # a key the code's text or the prompt gives away would not decide: the next
            # path is asked instead of spending the function's turn on it
            asked = (
                self.question(code, runs, target, values, outcome)
                for values, _call, outcome in runs.paths(target)
            )
            found += first_unsearched(asked, PER_FUNCTION, code.text)
        # one question per function first, then the second of each, ...: a quiz about a
        # region of several functions covers them all
        return _interleave(found)[:MAX_QUESTIONS]

    def question(
        self,
        code: CodeUnderQuiz,
        runs: RegionRuns,
        target: Target,
        values: tuple[object, ...],
        outcome: Outcome,
    ) -> Question | None:
        if not showable(outcome) or outcome.value is None:
            return None
        key = outcome.value
        shown = target.shown(values)
        related = [
            o.value
            for v, _, o in runs.paths(target)
            if v != values and o.returned and o.value is not None
        ]
        distractors = value_distractors(key, related, code.rng)
        if len(distractors) < 3:
            return None
        prompt = f"{target.ask(values)} (`{target.name}` is defined on line {target.line}.)"
        distractors = echoing_first(prompt, key, distractors)
        explanation = f"`{shown}` gives `{key}`"
        if outcome.line is not None:
            explanation += f": it ends at `{line_text(code, outcome.line)}` on line {outcome.line}"
            reason = branch_reason(code, target, outcome.line)
            if reason:
                explanation += f", reached because {reason}"
        explanation += "."
        return Question(
            type=self.type,
            prompt=prompt,
            answer=key,
            explanation=explanation,
            choices=arrange(key, distractors, code.rng),
        )


def _interleave(questions: list[Question]) -> list[Question]:
    by_function: dict[str, list[Question]] = {}
    for question in questions:
        by_function.setdefault(question.prompt.rsplit("(`", 1)[-1], []).append(question)
    queues = list(by_function.values())
    ordered: list[Question] = []
    while any(queues):
        for queue in queues:
            if queue:
                ordered.append(queue.pop(0))
    return ordered


GENERATORS = [ReturnValue()]
