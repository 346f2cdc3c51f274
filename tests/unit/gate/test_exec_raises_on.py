"""raises-on: which of several calls makes a function raise, keyed by the sandbox."""

from __future__ import annotations

import pytest

from mindgap.gate.questions.exec_raises_on import RaisesOn
from tests.unit.gate.test_exec_common import outcome_here, quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

RATIO = """\
def ratio(a, b):
    if b == 0:
        raise ValueError("b must not be zero")
    return a / b
"""


def test_the_guarded_division() -> None:
    (question,) = RaisesOn().generate(quiz_code(RATIO))
    assert question.type == "raises-on"
    assert question.prompt == "Which of these calls to `ratio` (line 1) raises an exception?"
    assert question.answer == "ratio(3, 0)"  # by hand: b == 0
    assert question.choices is not None
    assert len(set(question.choices)) == len(question.choices) == 4
    # independently: exactly the key raises
    outcomes = {choice: outcome_here(RATIO, choice) for choice in question.choices}
    assert [c for c, o in outcomes.items() if o.startswith("raises")] == ["ratio(3, 0)"]
    assert outcomes["ratio(3, 0)"] == "raises ValueError"
    assert question.explanation.startswith(
        "`ratio(3, 0)` raises ValueError (b must not be zero) at line 3: "
        '`raise ValueError("b must not be zero")`, reached because `b == 0` is true (line 2); '
        "the others return normally:"
    )


NTH = """\
def nth(xs, n):
    return xs[n]
"""


def test_index_out_of_range() -> None:
    (question,) = RaisesOn().generate(quiz_code(NTH))
    assert question.answer == "nth([3, 1, 2], 3)"  # by hand: three items, index 3
    assert question.choices is not None
    raising = [c for c in question.choices if outcome_here(NTH, c).startswith("raises")]
    assert raising == [question.answer]
    assert outcome_here(NTH, question.answer) == "raises IndexError"


def test_functions_that_never_raise_get_no_question() -> None:
    assert RaisesOn().generate(quiz_code("def double(n):\n    return n * 2\n")) == []


def test_wrong_kind_of_value_does_not_count() -> None:
    # s.upper() on an int would raise AttributeError: that is our feeding, not the code
    source = "def loud(s):\n    return s.upper()\n"
    assert RaisesOn().generate(quiz_code(source)) == []
