"""return-line: which return statement a call leaves through, reported by the sandbox."""

from __future__ import annotations

import pytest

from mindgap.gate.questions.exec_return_line import ReturnLine
from tests.unit.gate.test_exec_common import quiz_code, return_line_here

pytestmark = pytest.mark.usefixtures("os_sandbox")

GRADE = """\
def grade(score: int) -> str:
    if score >= 90:
        return "A"
    elif score >= 80:
        return "B"
    return "C"
"""


def test_grade_boundaries() -> None:
    (question,) = ReturnLine().generate(quiz_code(GRADE))
    assert question.type == "return-line"
    # 90 comes from the literal the function compares with
    assert question.prompt == "Which `return` does `grade(90)` leave through?"
    assert question.answer == 'line 3: `return "A"`'  # by hand: 90 >= 90
    assert return_line_here(GRADE, "grade(90)") == 3  # independently
    assert question.choices == (
        'line 3: `return "A"`',
        'line 5: `return "B"`',
        'line 6: `return "C"`',
    )
    assert question.explanation == (
        "`grade(90)` returns `'A'` from line 3 (`return \"A\"`): `score >= 90` is true (line 2)."
    )


SEARCH = """\
def find(words, wanted):
    for word in words:
        if word == wanted:
            return True
    return False
"""


def test_early_return_from_a_loop() -> None:
    (question,) = ReturnLine().generate(quiz_code(SEARCH))
    # the searched-for value is an item of the list the function searches: found early
    call = "find(['pear', 'fig', 'apple'], 'fig')"
    assert question.prompt == f"Which `return` does `{call}` leave through?"
    assert question.answer == "line 4: `return True`"
    assert return_line_here(SEARCH, call) == 4
    assert "`word == wanted` is true (line 3)" in question.explanation


def test_a_single_return_gets_no_question() -> None:
    assert ReturnLine().generate(quiz_code("def double(n):\n    return n * 2\n")) == []
