"""empty-input: what a function does with an empty list, string or dict, keyed by the sandbox."""

from __future__ import annotations

import pytest

from mindgap.gate.questions.exec_empty_input import EmptyInput
from tests.unit.gate.test_exec_common import outcome_here, quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

AVERAGE = """\
def average(xs):
    return sum(xs) / len(xs)
"""


def test_average_of_nothing_divides_by_zero() -> None:
    (question,) = EmptyInput().generate(quiz_code(AVERAGE))
    assert question.type == "empty-input"
    assert question.prompt == "What happens when `average([])` is called (`xs` is an empty list)?"
    # by hand: sum([]) is 0, len([]) is 0, 0 / 0 raises
    assert question.answer == "raises ZeroDivisionError"
    assert outcome_here(AVERAGE, "average([])") == question.answer  # independently
    assert question.choices is not None
    assert len(set(question.choices)) == len(question.choices) == 4
    assert question.answer in question.choices
    assert question.explanation == (
        "`average([])` raises ZeroDivisionError (division by zero) at line 2: "
        "`return sum(xs) / len(xs)`."
    )


SHOUT = """\
def shout(text):
    if not text:
        return ""
    return text.upper() + "!"
"""


def test_empty_string_takes_the_guard() -> None:
    (question,) = EmptyInput().generate(quiz_code(SHOUT))
    assert question.prompt.startswith("What happens when `shout('')` is called")
    assert "an empty string" in question.prompt
    assert question.answer == "returns ''"  # by hand: the guard on line 2
    assert outcome_here(SHOUT, "shout('')") == question.answer
    assert "reached because `not text` is true (line 2)" in question.explanation
    assert question.choices is not None
    assert "returns 'HELLO!'" in question.choices or len(question.choices) == 4


FIRST = """\
def first(items):
    return items[0]
"""


def test_indexing_an_empty_list() -> None:
    (question,) = EmptyInput().generate(quiz_code(FIRST))
    assert question.answer == "raises IndexError" == outcome_here(FIRST, "first([])")


def test_parameters_that_cannot_be_empty_get_no_question() -> None:
    assert EmptyInput().generate(quiz_code("def double(n):\n    return n * 2\n")) == []


def test_filler_results_are_of_the_type_the_function_returns() -> None:
    """shout returns strings: "returns 0" or "returns None" would be wrong at a glance."""
    (question,) = EmptyInput().generate(quiz_code(SHOUT))
    assert question.choices is not None
    results = [c for c in question.choices if c.startswith("returns ")]
    assert results and all(c.removeprefix("returns ").startswith("'") for c in results)


# sqlalchemy's testing/util.py: records of pairs (`for parent, child in tuples`)
CONFORMS = """\
from collections import defaultdict


def conforms_partial_ordering(tuples, sorted_elements):
    deps = defaultdict(set)
    for parent, child in tuples:
        deps[parent].add(child)
    for i, node in enumerate(sorted_elements):
        for n in sorted_elements[i:]:
            if node in deps[n]:
                return False
    else:
        return True
"""


def test_a_list_of_pairs_can_be_empty_too() -> None:
    asked = {q.prompt: q for q in EmptyInput().generate(quiz_code(CONFORMS))}
    (prompt,) = [p for p in asked if "(`tuples` is an empty list)" in p]
    call = prompt.split("`")[1]
    assert call.startswith("conforms_partial_ordering([], ")
    # by hand: no dependencies, so no element breaks the ordering
    assert asked[prompt].answer == "returns True" == outcome_here(CONFORMS, call)
