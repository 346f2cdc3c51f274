"""loop-state: an accumulator's value right after a loop, from an instrumented copy run in
the sandbox; keys re-checked by running the same loop here."""

from __future__ import annotations

import pytest

from mindgap.gate.questions.exec_loop_state import LoopState
from tests.unit.gate.test_exec_common import quiz_code, run_here

pytestmark = pytest.mark.usefixtures("os_sandbox")

SUMMARY = """\
def summary(prices, limit):
    total = 0
    count = 0
    for price in prices:
        if price > limit:
            continue
        total += price
        count += 1
    if count == 0:
        return "none"
    return f"{count} items, {total}"
"""

TOTAL_AFTER_LOOP = """\
def total_after_loop(prices, limit):
    total = 0
    for price in prices:
        if price > limit:
            continue
        total += price
    return total
"""


def test_the_accumulator_after_the_loop() -> None:
    (question,) = LoopState().generate(quiz_code(SUMMARY))
    assert question.prompt.startswith("When `summary(")
    assert "what does `total` hold right after the loop on line 4" in question.prompt
    call = question.prompt.split("`")[1].replace("summary(", "total_after_loop(")
    assert repr(run_here(TOTAL_AFTER_LOOP, call)) == question.answer  # by hand, the same loop
    assert question.choices is not None and len(question.choices) == 4
    assert all(c.lstrip("-").isdigit() for c in question.choices)  # numbers, like the key


def test_not_asked_when_the_state_is_the_result() -> None:
    # the loop's total is what the function returns: a return-value question covers it
    assert LoopState().generate(quiz_code(TOTAL_AFTER_LOOP)) == []
