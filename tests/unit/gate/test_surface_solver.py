"""GATE.md's surface-solver check over every function of 5+ lines of two real installed
packages (click and rich: methods, async functions and generators included).

Someone who never traced the code - finding a key that is the only choice written in the
code, knowing vocabulary, guessing the rest - must pass at most 3% of the quizzes, and at
least 75% of the questions must be ones they can only guess. No question generator may
crash. The figures are printed (`pytest -s`); bench/bench_surface_solver.py prints them too.

Coverage - the share of functions that get 3+ questions - is printed and held to what the
gate reaches today (COVERAGE_FLOOR); issue 12 asks for 90%, which tracing-only questions do
not reach on library code that mostly delegates to objects (see the README).
"""

from __future__ import annotations

import pytest

from tests.unit.gate.surface_solver import Figures, functions, measure

pytestmark = pytest.mark.usefixtures("os_sandbox")

PACKAGES = ("click", "rich")
MAX_PASS_RATE = 0.03
MIN_TRACING_SHARE = 0.75
COVERAGE_FLOOR = 0.22  # measured 22.8%: a regression guard, not the goal


def test_a_reader_who_does_not_trace_cannot_pass() -> None:
    total = Figures()
    for package in PACKAGES:
        regions = functions(package)
        if not regions:
            pytest.skip(f"{package} is not installed")
        figures = measure(regions)
        print("\n" + figures.line(package))
        for name in ("functions", "with_three", "questions", "tracing", "crashes", "offered"):
            setattr(total, name, getattr(total, name) + getattr(figures, name))
        total.expected_passes += figures.expected_passes
    print(total.line("both"))
    assert total.crashes == 0
    assert total.pass_rate_of_quizzes <= MAX_PASS_RATE
    assert total.pass_rate <= MAX_PASS_RATE
    assert total.tracing_share >= MIN_TRACING_SHARE
    assert total.coverage >= COVERAGE_FLOOR
