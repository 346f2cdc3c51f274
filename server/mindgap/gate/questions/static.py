"""The static question types: keys derived from the syntax tree alone, no execution.

They need no sandbox, work on every supported language (`raises` on those with exceptions)
and together stay within the static budget (20 ms for a 40-line region, bench/
bench_quiz_static.py). The quiz can run them first, or alone when execution is unavailable.
"""

from __future__ import annotations

import importlib

from mindgap.gate.questions.base import QuestionGenerator

STATIC_MODULES = (
    "branch_end",
    "branch_raises",
    "calls",
    "construct",
    "false_branch",
    "jump_next",
    "literal_return",
    "loop_assigns",
    "loop_exit",
    "raises",
    "return_count",
    "trace_call",
    "unused_parameter",
    "variable_origin",
)


def static_generators() -> list[QuestionGenerator]:
    generators: list[QuestionGenerator] = []
    for name in STATIC_MODULES:
        module = importlib.import_module(f"mindgap.gate.questions.{name}")
        generators.extend(module.GENERATORS)
    return generators
