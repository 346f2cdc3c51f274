"""lines-run: which of these lines does a given call run (or never reach)?

Much code returns nothing worth a choice - a procedure that stores or hands on what it
works out, a method returning the package's objects - yet which of its lines run for a
given input is its logic. The sandbox measures the lines each call executes; the lines
asked about are the function's statements that some of the test writer's calls run and
others do not (a branch's block, the lines after an early `return`, a loop's body, an
`except` block), so none of them runs for every input. For one call, the key is the one
such line it runs among three it does not (or the one it skips among three it runs).
Each choice lies on a path of its own (lines every call runs together are one path), so no
choice is the odd one out of a block. Telling them apart means evaluating the conditions for
that input: the code's text shows every line, and the always-run ones are never choices.

    With `self.plain = 'hello'`, when `self.remove_suffix('lo')` runs, which of these
    lines does it run?     line 4: `self.right_crop(len(suffix))` / line 6: ... / ...
"""

from __future__ import annotations

import ast

from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.gate.questions.exec_common import (
    ExecutedQuestions,
    RegionRuns,
    Target,
    in_region,
    line_text,
    meaningful_raise,
)
from mindgap.gate.sandbox import Outcome

TYPE = "lines-run"
PER_TARGET = 2
MAX_QUESTIONS = 4
CHOICES = 4


class LinesRun(ExecutedQuestions):
    type = TYPE

    def ask(self, code: CodeUnderQuiz, runs: RegionRuns) -> list[Question]:
        found: list[Question] = []
        for target in runs.all_targets:
            if target.form == "generator":
                continue  # its first three values are collected by a helper: lines run on
            found += self.questions(code, runs, target)
        return found[:MAX_QUESTIONS]

    def questions(self, code: CodeUnderQuiz, runs: RegionRuns, target: Target) -> list[Question]:
        statements = _statement_lines(code, target)
        if len(statements) < CHOICES:
            return []
        ran: list[tuple[tuple[object, ...], frozenset[int], Outcome]] = []
        for values, _call, outcome in runs.tried(target):
            if not outcome.lines:
                continue
            if not (outcome.returned or meaningful_raise(outcome)):
                continue  # a run cut short by the sandbox's limits says nothing of the logic
            ran.append((values, frozenset(outcome.lines) & statements, outcome))
        # lines some calls run and others do not: the ones whose running needs tracing. Lines
        # that every call runs together (a block's lines) are one path: each choice is from
        # a path of its own, so no choice stands out as the odd one out of a block
        paths: dict[int, tuple[bool, ...]] = {}
        for line in {n for _, lines, _ in ran for n in lines}:
            taken = tuple(line in lines for _, lines, _ in ran)
            if not all(taken):
                paths[line] = taken
        found: list[Question] = []
        seen: set[frozenset[int]] = set()
        for values, lines, outcome in ran:
            if len(found) == PER_TARGET:
                break
            if lines in seen:
                continue
            seen.add(lines)
            question = self.question(code, target, values, lines, paths, outcome)
            if question is not None:
                found.append(question)
        return found

    def question(
        self,
        code: CodeUnderQuiz,
        target: Target,
        values: tuple[object, ...],
        lines: frozenset[int],
        paths: dict[int, tuple[bool, ...]],
        outcome: Outcome,
    ) -> Question | None:
        run = _one_per_path(sorted(n for n in paths if n in lines), paths)
        skipped = _one_per_path(sorted(n for n in paths if n not in lines), paths)
        if run and len(skipped) >= CHOICES - 1:
            key, others, what = code.rng.choice(run), skipped, "run"
        elif skipped and len(run) >= CHOICES - 1:
            key, others, what = code.rng.choice(skipped), run, "never reach"
        else:
            return None
        code.rng.shuffle(others)
        chosen = sorted([key, *others[: CHOICES - 1]])

        def label(number: int) -> str:
            return f"line {number}: `{line_text(code, number)}`"

        labels = [label(n) for n in chosen]
        if len(set(labels)) != len(labels):
            return None  # two lines that read alike
        call = target.shown(values)
        ending = f"returns `{outcome.value}`" if outcome.returned else f"raises {outcome.exception}"
        if outcome.returned and (outcome.value is None or len(outcome.value) > 40):
            ending = "returns"
        explanation = (
            f"`{call}` runs lines {_listed(sorted(lines))} of `{target.name}` and {ending}; "
            f"line {key} is {'among them' if what == 'run' else 'not'}."
        )
        return Question(
            type=self.type,
            prompt=target.posed(
                values, f"When `{call}` runs, which of these lines does it {what}?"
            ),
            answer=label(key),
            explanation=explanation,
            choices=tuple(labels),
        )


def _one_per_path(lines: list[int], paths: dict[int, tuple[bool, ...]]) -> list[int]:
    """The first line of each path (lines the calls run together count as one)."""
    first: dict[tuple[bool, ...], int] = {}
    for line in lines:
        first.setdefault(paths[line], line)
    return sorted(first.values())


def _statement_lines(code: CodeUnderQuiz, target: Target) -> frozenset[int]:
    """The first lines of the function's own statements in the region (not its docstring,
    not the headers of compound statements: their blocks' lines say which way they went),
    each on a line of its own."""
    body = target.function.body
    docstring = body[0] if ast.get_docstring(target.function) is not None else None
    compound = (ast.If, ast.For, ast.While, ast.Try, ast.With, ast.Match)
    found = [
        node.lineno
        for node in target.own_nodes  # nested functions and classes left out
        if isinstance(node, ast.stmt)
        and not isinstance(node, compound)
        and node is not docstring
        and in_region(code, node.lineno)
    ]
    # two statements on one line (`a = 1; b = 2`) cannot be told apart by line
    return frozenset(n for n in found if found.count(n) == 1)


def _listed(numbers: list[int]) -> str:
    shown = ", ".join(str(n) for n in numbers[:12])
    return shown + (", ..." if len(numbers) > 12 else "")


GENERATORS = [LinesRun()]
