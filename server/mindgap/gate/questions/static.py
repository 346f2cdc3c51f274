"""The static question types: keys derived from the syntax tree alone, no execution.

They need no sandbox, work on every supported language (`raises` on those with exceptions)
and together stay within the static budget (20 ms for a 40-line region, bench/
bench_quiz_static.py). The quiz can run them first, or alone when execution is unavailable.
They are every type that does not run code (`base.runs_code`).
"""

from __future__ import annotations

from mindgap.gate.questions import all_generators
from mindgap.gate.questions.base import QuestionGenerator, runs_code


def static_generators() -> list[QuestionGenerator]:
    return [generator for generator in all_generators() if not runs_code(generator)]
