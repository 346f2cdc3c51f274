"""which-input: which of these calls leaves the function through a given `return`, raises,
or returns a given result?

From the test writer's inputs (exec_common.candidate_inputs) run in the sandbox: each call
ends at some line (a `return`, the end, a `raise`). A question picks one way out that exactly
one of four calls takes - an early `return`, the `else` branch's `return`, an exception - and
offers that call among three that end elsewhere; where one line returns both results of a
predicate (`return value in choices`), the call that gives the rarer result among three that
give another. The calls' text shows nothing of where they end: telling them apart means
running each through the function's conditions.

    Which of these calls to `clamp` (line 9) leaves through `return low` on line 11?
        clamp(3, 5, 3) / clamp(3, 3, 3) / clamp(5, 3, 3) / clamp(3, 3, 0)
"""

from __future__ import annotations

import ast
import re
from typing import Any, TypeVar

from mindgap.gate.questions.base import CodeUnderQuiz, Question, echoing_first
from mindgap.gate.questions.exec_common import (
    ExecutedQuestions,
    RegionRuns,
    Target,
    branch_reason,
    in_region,
    line_text,
    showable,
)

TYPE = "which-input"
MAX_QUESTIONS = 4
PER_RESULT = 1  # results asked about per function, the rarest first
_Path = TypeVar("_Path", bound=tuple[Any, ...])


class WhichInput(ExecutedQuestions):
    type = TYPE

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        found = []
        for target in runs.all_targets:
            if target.form == "generator":
                continue  # a generator's calls all end in the helper that collects them
            found += self.questions(code, runs, target)
            found += self.else_questions(code, runs, target)
            found += self.result_questions(code, runs, target)
        return found[:MAX_QUESTIONS]

    def else_questions(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target
    ) -> list[Question]:
        """Which call takes the `else` of an `if` (from the lines each call executed)."""
        paths = _sharing_self(
            target, [(v, o) for v, _, o in runs.paths(target) if getattr(o, "lines", ())]
        )
        found = []
        for node in target.own_nodes:
            if not isinstance(node, ast.If) or not node.orelse or not in_region(code, node.lineno):
                continue
            if len(node.orelse) == 1 and isinstance(node.orelse[0], ast.If):
                continue  # an elif: its own condition decides
            else_line, body_line = node.orelse[0].lineno, node.body[0].lineno
            taking = [v for v, o in paths if else_line in o.lines]
            other = [v for v, o in paths if body_line in o.lines and else_line not in o.lines]
            condition = ast.unparse(node.test)
            if taking and len(other) >= 2:
                keys, rest = taking, other
                what = f"takes the `else` branch of the `if` on line {node.lineno}"
                why = f"`{condition}` is false on line {node.lineno}, so the `else` branch runs"
            elif other and len(taking) >= 2:
                keys, rest = other, taking
                what = f"runs the block of the `if` on line {node.lineno} (not its `else`)"
                why = f"`{condition}` is true on line {node.lineno}, so its block runs"
            else:
                continue
            key = target.shown(keys[0])
            question = self.which_call(
                code,
                target,
                keys[0],
                [target.shown(v) for v in rest],
                what,
                f"For `{key}`, {why}; for the others it goes the other way.",
            )
            if question is not None:
                found.append(question)
        return found

    def result_questions(
        self, code: CodeUnderQuiz, runs: RegionRuns, target: Target
    ) -> list[Question]:
        """Which call returns a given result: a predicate's `True` (or `False`) among calls
        that give the other, where the same lines return both (`return value in choices`),
        so no exit line tells them apart. The rarest result first."""
        results: dict[str, list[tuple[tuple[object, ...], str]]] = {}
        seen: set[str] = set()
        for values, _call, outcome in _sharing_self(target, runs.tried(target)):
            shown = target.shown(values)
            if not showable(outcome) or outcome.value is None or shown in seen:
                continue
            seen.add(shown)
            results.setdefault(outcome.value, []).append((values, shown))
        found = []
        for result, calls in sorted(results.items(), key=lambda item: len(item[1]))[:PER_RESULT]:
            others = [shown for r, cs in results.items() if r != result for _, shown in cs]
            if len(others) < 3:
                continue
            code.rng.shuffle(others)
            values, key = calls[0]
            # `f(5)` for "which returns `5`" is read off unless another choice holds 5 too
            holding = [o for o in others if _writes(result, o)][:1]
            if _writes(result, key) and not holding:
                continue
            others = holding + [o for o in others if o not in holding]
            question = self.which_call(
                code,
                target,
                values,
                others,
                f"returns `{result}`",
                f"`{key}` returns `{result}`; the others return something else.",
            )
            if question is not None:
                found.append(question)
        return found

    def questions(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> list[Question]:
        exits: dict[tuple[str, object], list[tuple[tuple[object, ...], str]]] = {}
        for values, _, outcome in _sharing_self(target, runs.paths(target)):
            if outcome.raised and outcome.exception:
                exit_key: tuple[str, object] = ("raises", outcome.exception)
            elif outcome.returned and outcome.line is not None and in_region(code, outcome.line):
                exit_key = ("line", outcome.line)
            else:
                continue
            exits.setdefault(exit_key, []).append((values, target.shown(values)))
        if len(exits) < 2:
            return []
        questions = []
        for exit_key, calls in exits.items():
            others = [c for k, cs in exits.items() if k != exit_key for c in cs]
            others = [c for c in others if c[1] != calls[0][1]]
            if len(others) < 2:
                continue
            code.rng.shuffle(others)
            values, key = calls[0]
            what, why = self.describe(code, target, exit_key)
            question = self.which_call(
                code,
                target,
                values,
                [shown for _, shown in others],
                what,
                f"`{key}` {what}{why}; the others end elsewhere.",
            )
            if question is not None:
                questions.append(question)
        return questions

    def which_call(
        self,
        code: CodeUnderQuiz,
        target: Target,
        values: tuple[object, ...],
        others: list[str],
        what: str,
        explanation: str,
    ) -> Question | None:
        """ "Which of these calls ... {what}?": the call of `values` among `others` (None when
        two of the calls read alike)."""
        key = target.shown(values)
        setting = target.setting(values)
        prompt = f"Which of these calls to `{target.name}` (line {target.line}) {what}?"
        if setting:
            prompt = f"{setting}which of these calls to `{target.name}` {what}?"
        # calls holding what the prompt names (the literal a `return` adds) first: matching
        # it then does not single out the key
        choices = [key, *echoing_first(prompt, key, [o for o in others if o != key])[:3]]
        if len(set(choices)) != len(choices) or len(choices) < 3:
            return None
        code.rng.shuffle(choices)
        return Question(
            type=self.type,
            prompt=prompt,
            answer=key,
            explanation=explanation,
            choices=tuple(choices),
        )

    def describe(
        self, code: CodeUnderQuiz, target: Target, exit_key: tuple[str, object]
    ) -> tuple[str, str]:
        kind, where = exit_key
        if kind == "raises":
            return f"raises {where}", ""
        assert isinstance(where, int)
        text = line_text(code, where)
        reason = branch_reason(code, target, where)
        return f"leaves through `{text}` on line {where}", (f": {reason}" if reason else "")


def _writes(result: str, call: str) -> bool:
    """Whether a call's text holds the result as a whole value (a number too: the echo rule
    leaves numbers out, but a call handing its argument back is read off)."""
    return re.search(rf"(?<![\w.]){re.escape(result)}(?![\w.])", call) is not None


def _sharing_self(target: Target, paths: list[_Path]) -> list[_Path]:
    """The calls (each path's first item holds its arguments) that share the first call's
    `self`: a method's prompt states `self` once, so every choice must share it."""
    held = [i for i, p in enumerate(target.required) if p.attribute]
    if not held or not paths:
        return paths
    first = tuple(paths[0][0][i] for i in held)
    return [p for p in paths if tuple(p[0][i] for i in held) == first]


GENERATORS = [WhichInput()]
