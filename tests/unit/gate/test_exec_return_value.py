"""return-value: what a function of the region returns for an input, keyed by the sandbox."""

from __future__ import annotations

import ast

import pytest

from mindgap.gate.questions.exec_common import build_plan
from mindgap.gate.questions.exec_return_value import ReturnValue
from mindgap.gate.sandbox import sandbox_supported
from tests.unit.gate.test_exec_common import quiz_code, run_here

pytestmark = pytest.mark.skipif(not sandbox_supported(), reason="POSIX sandbox only")

TOTAL = """\
def total(xs):
    result = 0
    for x in xs:
        result += x
    return result
"""


def test_sum_of_a_list() -> None:
    (question,) = ReturnValue().generate(quiz_code(TOTAL))
    # by hand: 3 + 1 + 2
    assert question.prompt == "What does `total([3, 1, 2])` return? (`total` is defined on line 1.)"
    assert question.answer == "6"
    assert repr(run_here(TOTAL, "total([3, 1, 2])")) == question.answer  # independently
    assert question.choices is not None
    assert question.answer in question.choices
    assert len(set(question.choices)) == len(question.choices) == 4
    assert [float(c) for c in question.choices] == sorted(float(c) for c in question.choices)
    assert question.explanation.startswith("`total([3, 1, 2])` returns `6`: it ends at")
    assert "`return result` on line 5" in question.explanation
    assert question.type == "return-value"
    assert question.accepts("6") and not question.accepts("7")


def test_distractors_are_real_results_or_near_misses() -> None:
    code = quiz_code(TOTAL)
    (question,) = ReturnValue().generate(code)
    assert question.choices is not None
    plan = build_plan(code)
    assert plan is not None
    tried = plan.inputs["total"]
    other_results = {repr(run_here(TOTAL, f"total({xs!r})")) for (xs,) in tried}
    near = {"5", "7", "12", "-6", "8", "4"}  # off by one or two, doubled, negated
    for choice in question.choices:
        if choice != question.answer:
            assert choice in other_results | near


INITIALS = """\
def initials(name):
    return "".join(word[0].upper() for word in name.split())
"""


def test_string_function() -> None:
    (question,) = ReturnValue().generate(quiz_code(INITIALS))
    assert question.prompt.startswith("What does `initials('hello')` return?")
    assert question.answer == "'H'"  # by hand: one word, its capital initial
    assert repr(run_here(INITIALS, "initials('hello')")) == question.answer
    assert question.choices is not None and "'H'" in question.choices
    for choice in question.choices:
        assert isinstance(ast.literal_eval(choice), str)


GRADE = """\
def grade(score: int) -> str:
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    return "C"
"""


def test_explanation_names_the_branch_taken() -> None:
    (question,) = ReturnValue().generate(quiz_code(GRADE))
    assert question.prompt.startswith("What does `grade(3)` return?")
    assert question.answer == "'C'" == repr(run_here(GRADE, "grade(3)"))
    assert "For comparison, `grade(90)` returns `'A'`." in question.explanation


def test_helper_outside_the_region_is_run_with_it() -> None:
    source = (
        "def square(x):\n    return x * x\n\n\n"
        "def sum_squares(xs):\n    return sum(square(x) for x in xs)\n"
    )
    (question,) = ReturnValue().generate(quiz_code(source, (5, 6)))
    assert question.prompt.startswith("What does `sum_squares([3, 1, 2])` return?")
    assert question.answer == "14"  # 9 + 1 + 4
    assert repr(run_here(source, "sum_squares([3, 1, 2])")) == question.answer


def test_nondeterministic_functions_get_no_question() -> None:
    source = "import random\n\n\ndef roll(n):\n    return random.randint(1, 10 ** 9) + n\n"
    assert ReturnValue().generate(quiz_code(source)) == []


def test_functions_whose_inputs_cannot_be_guessed_get_no_question() -> None:
    source = "def area(shape):\n    return shape.width * shape.height\n"
    assert ReturnValue().generate(quiz_code(source)) == []


def test_same_code_same_question() -> None:
    first = ReturnValue().generate(quiz_code(TOTAL, seed=7))
    second = ReturnValue().generate(quiz_code(TOTAL, seed=7))
    assert first == second


def test_no_sandbox_no_question() -> None:
    code = quiz_code(TOTAL)
    code.sandbox = None
    assert ReturnValue().generate(code) == []
