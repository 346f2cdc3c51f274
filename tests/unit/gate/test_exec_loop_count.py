"""loop-count: how many times a loop body runs for an input, counted by an instrumented copy
of the function run in the sandbox, re-counted here by tracing the original."""

from __future__ import annotations

import pytest

from mindgap.gate.questions.exec_common import build_plan
from mindgap.gate.questions.exec_loop_count import LoopCount, instrumented, loops
from mindgap.gate.sandbox import check_code
from tests.unit.gate.test_exec_common import lines_run_here, quiz_code, run_here

pytestmark = pytest.mark.usefixtures("os_sandbox")

TOTAL = """\
def total(xs):
    result = 0
    for x in xs:
        result += x
    return result
"""


def test_for_loop_over_a_list() -> None:
    (question,) = LoopCount().generate(quiz_code(TOTAL))
    assert question.type == "loop-count"
    assert question.prompt == (
        "When `total([3, 1, 2])` runs, how many times does the body of the loop on line 3 "
        "(`for x in xs:`) run?"
    )
    assert question.answer == "3"  # by hand: one run per item
    assert lines_run_here(TOTAL, "total([3, 1, 2])")[4] == 3  # line 4 is the body
    assert question.choices is not None
    assert question.answer in question.choices
    assert len(set(question.choices)) == len(question.choices) == 4
    assert all(int(c) >= 0 for c in question.choices)
    assert [int(c) for c in question.choices] == sorted(int(c) for c in question.choices)
    assert question.explanation.endswith("runs 3 times, and the call returns `6`.")


POSITION = """\
def position(xs, target):
    index = 0
    while index < len(xs):
        if xs[index] == target:
            break
        index += 1
    return index
"""


def test_while_loop_that_can_break() -> None:
    (question,) = LoopCount().generate(quiz_code(POSITION))
    assert question.prompt.startswith("When `position([5, 2, 8, 1], 3)` runs")
    assert "loop on line 3 (`while index < len(xs):`)" in question.prompt
    # by hand: 3 is not in the list, the loop looks at all 4 items
    assert question.answer == "4"
    assert lines_run_here(POSITION, "position([5, 2, 8, 1], 3)")[4] == 4
    assert run_here(POSITION, "position([5, 2, 8, 1], 3)") == 4
    assert "(it can stop early: `break` on line 5)" in question.explanation


NESTED = """\
def pairs(n):
    found = 0
    for i in range(n):
        for j in range(i):
            found += 1
    return found
"""


def test_inner_loop_counts_every_pass() -> None:
    questions = LoopCount().generate(quiz_code(NESTED))
    by_line = {q.prompt.split("loop on line ")[1][0]: q for q in questions}
    assert set(by_line) == {"3", "4"}
    assert by_line["3"].prompt.startswith("When `pairs(3)` runs")
    assert by_line["3"].answer == "3"
    assert by_line["4"].answer == "3"  # by hand: 0 + 1 + 2
    assert lines_run_here(NESTED, "pairs(3)")[5] == 3


def test_the_instrumented_copy_is_checked_code() -> None:
    plan = build_plan(quiz_code(TOTAL))
    assert plan is not None
    (target,) = plan.targets
    (loop,) = loops(target)
    source = instrumented(target, loop)
    assert source is not None
    assert source.startswith("def mindgap_loop3_total(xs):")
    assert "mindgap_tick()" in source
    assert check_code(source)


def test_recursive_functions_are_left_out() -> None:
    source = "def walk(n):\n    for i in range(n):\n        walk(i)\n    return n\n"
    assert LoopCount().generate(quiz_code(source)) == []


def test_loops_outside_the_region_are_not_asked_about() -> None:
    source = TOTAL + "\n\ndef double(n):\n    return n * 2\n"
    assert LoopCount().generate(quiz_code(source, (8, 9))) == []
