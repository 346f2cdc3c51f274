"""Return-count questions: how many `return` statements does this function have?

Counted in the function's own body: a `return` inside a nested function, lambda or closure
belongs to that one and is left out (the prompt says so when there is one). Asked about
functions with at least two returns (one is too easy to see), the ones with the most first.
Choices are four neighbouring counts in order.

    How many `return` statements does `parse` (line 12) have?  1 / 2 / 3 / 4
"""

from __future__ import annotations

from mindgap.gate.questions._syntax import (
    MAX_PER_GENERATOR,
    descendants,
    functions_in,
    line_list,
    own_descendants,
    shapes,
)
from mindgap.gate.questions.base import CodeUnderQuiz, Question

MINIMUM = 2


class ReturnCount:
    type = "return-count"
    kind = "vocabulary"  # found by reading or searching the text: a warm-up at most
    languages: frozenset[str] | None = None

    def generate(self, code: CodeUnderQuiz) -> list[Question]:
        shape = shapes(code.language)
        if shape is None:
            return []
        counted = []
        for function in functions_in(code, shape):
            own = [n for n in own_descendants(function.body, shape) if n.type in shape.returns]
            if len(own) < MINIMUM:
                continue
            nested = [
                n for n in descendants(function.body) if n.type in shape.returns and n not in own
            ]
            counted.append((function, own, nested))
        counted.sort(key=lambda entry: (-len(entry[1]), entry[0].node.start_byte))
        questions = []
        word = shape.return_word
        for function, own, nested in counted[:MAX_PER_GENERATOR]:
            count = len(own)
            low = max(0, count - 1 - code.rng.randrange(2))
            choices = tuple(str(n) for n in range(low, low + 4))
            lines = [code.line_of(n) for n in own]
            aside = " (not counting those of nested functions)" if nested else ""
            nested_note = ""
            if nested:
                plural = len(nested) > 1
                nested_note = (
                    f" The {word}{'s' if plural else ''} on "
                    f"{line_list([code.line_of(n) for n in nested])} "
                    f"{'belong' if plural else 'belongs'} to a nested function."
                )
            where = f"`{function.name}`" if function.name else "the function"
            questions.append(
                Question(
                    type=self.type,
                    prompt=(f"How many {word}s does {where} (line {function.line}) have{aside}?"),
                    answer=str(count),
                    choices=choices,
                    explanation=(f"{count}: on {line_list(lines)}.{nested_note}"),
                )
            )
        return questions


GENERATORS = [ReturnCount()]
