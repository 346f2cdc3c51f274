"""which-input: of four calls, exactly one leaves through the named `return` (or raises);
where each call ends is re-checked by running it here."""

from __future__ import annotations

import ast

import pytest

from mindgap.gate.questions.exec_which_input import WhichInput
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

CLAMP = """\
def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value
"""


def exit_line(call: str) -> int:
    """Where the call leaves `clamp`, worked out here with a trace of our own."""
    value, low, high = ast.literal_eval(call[len("clamp") :])
    if value < low:
        return 3
    if value > high:
        return 5
    return 6


def test_exactly_one_call_takes_the_named_return() -> None:
    questions = [q for q in WhichInput().generate(quiz_code(CLAMP)) if "leaves" in q.prompt]
    assert {q.prompt.split("on line ")[-1].rstrip("?") for q in questions} >= {"3", "5", "6"}
    for question in questions:
        line = int(question.prompt.split("on line ")[-1].rstrip("?"))
        assert question.choices is not None and len(question.choices) >= 3
        taking = [c for c in question.choices if exit_line(c) == line]
        assert taking == [question.answer]


RATIO = """\
def ratio(a, b):
    if b == 0:
        raise ValueError("b is zero")
    return a // b
"""


def test_which_call_raises() -> None:
    questions = WhichInput().generate(quiz_code(RATIO))
    raising = next(q for q in questions if "raises ValueError" in q.prompt)
    assert raising.answer.endswith(", 0)")
    assert all(not c.endswith(", 0)") for c in raising.choices or () if c != raising.answer)


DESCRIBE = """\
def describe(n):
    if n > 10:
        size = "big"
    else:
        size = "small"
    return f"{n} is {size}"
"""


def test_which_call_takes_which_branch_from_the_lines_it_ran() -> None:
    questions = WhichInput().generate(quiz_code(DESCRIBE))
    branch = next(q for q in questions if "the `if` on line 2" in q.prompt)
    assert branch.prompt.endswith("runs the block of the `if` on line 2 (not its `else`)?")
    # by hand: only n > 10 runs the block; 10 itself (the boundary) does not
    for choice in branch.choices or ():
        n = int(choice[len("describe(") : -1])
        assert (n > 10) == (choice == branch.answer)
    assert "describe(10)" in (branch.choices or ())  # the other side of the boundary


ALLOWED = """\
def allowed(name: str, blocked: list[str]) -> bool:
    return name.strip().lower() not in blocked
"""


def test_which_call_returns_a_predicate_s_rarer_result() -> None:
    """One return line gives both results: which call gives the rarer one, re-checked by
    evaluating each call here. The test writer looked a blocked name up (as a user would
    type it: padded, upper case), so some call is found, not only missed."""
    questions = WhichInput().generate(quiz_code(ALLOWED))
    result = next(q for q in questions if "returns `" in q.prompt)
    wanted = result.prompt.split("returns `")[1].split("`")[0]
    for choice in result.choices or ():
        name, blocked = ast.literal_eval(choice[len("allowed") :])
        given = name.strip().lower() not in blocked
        assert (repr(given) == wanted) == (choice == result.answer)


IDENTITY_BELOW = """\
def capped(n: int) -> int:
    if n > 7:
        return 7
    return n
"""


def test_a_call_handing_back_the_number_asked_about_is_no_choice_to_guess_from() -> None:
    # "which call returns `3`?" with `capped(3)` among them is read off, not traced
    for question in WhichInput().generate(quiz_code(IDENTITY_BELOW)):
        if "returns `" not in question.prompt:
            continue
        wanted = question.prompt.split("returns `")[1].split("`")[0]
        holding = [c for c in question.choices or () if f"({wanted})" in c]
        assert holding != [question.answer], question
