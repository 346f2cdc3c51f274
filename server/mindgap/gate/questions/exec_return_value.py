"""return-value: what does a function of the region return for a given input?

The key comes from running the function in the sandbox; the distractors are what it returns
on nearby inputs and near misses of the key (off by one, reversed, one item short).

    What does `total([3, 1, 2])` return?        6 / 5 / 7 / 12
"""

from __future__ import annotations

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    OneQuestionPerFunction,
    RegionRuns,
    Target,
    arrange,
    branch_reason,
    has_empty,
    line_text,
    showable,
    value_distractors,
)
from mindgap.gate.sandbox import Outcome

MAX_QUESTIONS = 3


class ReturnValue(OneQuestionPerFunction):
    max_questions = MAX_QUESTIONS
    type = "return-value"
    languages = frozenset({"python"})

    def question(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> Question | None:
        shown = [(v, c, o) for v, c, o in runs.results(target) if showable(o)]
        if not shown:
            return None
        _, call, outcome = min(shown, key=lambda item: _dullness(item[0], item[2]))
        key = outcome.value
        assert key is not None
        related = [o.value for _, c, o in shown if c != call and o.value is not None]
        distractors = value_distractors(key, related, code.rng)
        if len(distractors) < 2:
            return None
        explanation = f"`{call}` returns `{key}`"
        if outcome.line is not None:
            explanation += f": it ends at `{line_text(code, outcome.line)}` on line {outcome.line}"
            reason = branch_reason(code, target, outcome.line)
            if reason:
                explanation += f", reached because {reason}"
        explanation += "."
        contrast = next(((c, o) for _, c, o in shown if c != call and o.value != key), None)
        if contrast is not None:
            explanation += f" For comparison, `{contrast[0]}` returns `{contrast[1].value}`."
        return Question(
            type=self.type,
            prompt=f"What does `{call}` return? (`{target.name}` is defined on line "
            f"{target.line}.)",
            answer=key,
            explanation=explanation,
            choices=arrange(key, distractors, code.rng),
        )


def _dullness(values: tuple[object, ...], outcome: Outcome) -> int:
    """Inputs that are empty, or results that are None, make for weak questions."""
    return int(outcome.value == "None") + int(has_empty(values))


GENERATORS = [ReturnValue()]
