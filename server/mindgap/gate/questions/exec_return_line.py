"""return-line: which `return` statement of a function does a given call leave through?

For functions of the region with two or more `return` statements. The sandbox reports the
line the called function returned from; the choices are the function's return statements.

    Which `return` does `grade(95)` leave through?
        line 4: `return "A"` / line 6: `return "B"` / line 7: `return "C"`
"""

from __future__ import annotations

import ast

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    OneQuestionPerFunction,
    RegionRuns,
    Target,
    branch_reason,
    in_region,
    line_text,
    showable,
)

TYPE = "return-line"
MAX_QUESTIONS = 2


def returns(target: Target) -> list[ast.Return]:
    found = [n for n in target.own_nodes if isinstance(n, ast.Return)]
    return sorted(found, key=lambda n: n.lineno)


class ReturnLine(OneQuestionPerFunction):
    max_questions = MAX_QUESTIONS
    type = TYPE

    def question(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> Question | None:
        statements = returns(target)
        if len(statements) < 2 or not all(in_region(code, s.lineno) for s in statements):
            return None
        if any((s.end_lineno or s.lineno) != s.lineno for s in statements):
            return None  # a return over several lines: which line the run reports is unclear
        lines = [s.lineno for s in statements]
        if len(set(lines)) != len(lines):
            return None
        reached: list[tuple[str, int, str]] = []  # call, return line, value
        for _, call, outcome in runs.results(target):
            if showable(outcome) and outcome.line in lines and outcome.value is not None:
                reached.append((call, outcome.line, outcome.value))
        if not reached:
            return None
        last = lines[-1]
        call, line, value = min(reached, key=lambda r: (r[1] == last, lines.index(r[1])))

        def label(number: int) -> str:
            return f"line {number}: `{line_text(code, number)}`"

        others = [n for n in lines if n != line]
        code.rng.shuffle(others)
        chosen = sorted([line, *others[:3]])
        explanation = f"`{call}` returns `{value}` from line {line} (`{line_text(code, line)}`)"
        reason = branch_reason(code, target, line)
        if reason:
            explanation += f": {reason}"
        return Question(
            type=self.type,
            prompt=f"Which `return` does `{call}` leave through?",
            answer=label(line),
            explanation=explanation + ".",
            choices=tuple(label(n) for n in chosen),
        )


GENERATORS = [ReturnLine()]
