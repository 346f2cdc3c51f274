"""Variable-origin questions: which line assigned the value that line N reads?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.base import decides
from mindgap.gate.questions.variable_origin import VariableOrigin

from .static_support import ask, lines_of

ORIGIN = VariableOrigin()

PYTHON = """
def summarize(items, scale):
    total = 0
    for item in items:
        total += item.price
    total = round(total * scale)
    log(total)
    if total > 100:
        total = 100
    return total
"""


def test_python_the_last_assignment_in_the_same_block_is_the_origin() -> None:
    [question] = ask(ORIGIN, PYTHON)
    # Line 9 is not asked about: `total` there comes from line 5 or line 8.
    assert question.prompt == (
        "Which line assigned the value of `total` that line 6 reads (`log(total)`)?"
    )
    assert question.answer == "line 5"
    # Wrong: the assignments it replaces (2, 4) and the one after it (8).
    assert lines_of(question) == [2, 4, 5, 8]
    assert question.explanation == (
        "Line 5 (`total = round(total * scale)`) is the last assignment to `total` before "
        "line 6: it comes earlier in the same block, and nothing between them assigns "
        "`total`. It replaces the value assigned on lines 2 and 4."
    )


def test_go_a_reassigned_result() -> None:
    source = """
    func Parse(text string) (int, error) {
        value, err := strconv.Atoi(text)
        if err != nil {
            return 0, err
        }
        value = value * 2
        check(value)
        return value, nil
    }
    """
    [question] = ask(ORIGIN, source, "go")
    assert question.prompt == (
        "Which line assigned the value of `value` that line 7 reads (`check(value)`)?"
    )
    assert question.answer == "line 6"
    # Line 2 is the assignment it replaces, line 8 only reads it.
    assert lines_of(question) == [2, 6, 8]


def test_javascript_and_java() -> None:
    js = """
    function label(count) {
      let text = "none";
      if (count > 0) {
        text = "some";
      }
      text = text.toUpperCase();
      return text + "!";
    }
    """
    [question] = ask(ORIGIN, js, "javascript")
    assert question.answer == "line 6"
    assert question.prompt.endswith('that line 7 reads (`return text + "!";`)?')
    assert lines_of(question) == [2, 4, 6]
    java = """
    class Tax {
        double gross(double net, double rate) {
            double result = net;
            result = result * (1 + rate);
            log(result);
            return result;
        }
    }
    """
    [question] = ask(ORIGIN, java, "java")
    assert question.prompt == (
        "Which line assigned the value of `result` that line 5 reads (`log(result);`)?"
    )
    assert question.answer == "line 4"
    assert lines_of(question) == [3, 4, 6]


@pytest.mark.parametrize(
    "source",
    [
        # Assigned once, and nothing else assigned: too few lines to choose from.
        "def f(a):\n    b = a + 1\n    log(b)\n    return b\n",
        # The last assignment before the read is inside an `if`: it may not run.
        "def f(a):\n    b = 1\n    if a:\n        b = 2\n    return b\n",
        # A loop carries a later assignment back to the read.
        "def f(xs):\n    b = 0\n    for x in xs:\n        log(b)\n        b = x\n    return 1\n",
        # A nested function can assign it (nonlocal) behind the scenes.
        (
            "def f():\n    b = 0\n    def bump():\n        nonlocal b\n        b = 5\n"
            "    b = 1\n    bump()\n    return b\n"
        ),
    ],
)
def test_uncertain_origins_get_no_question(source: str) -> None:
    assert ask(ORIGIN, source) == []


def test_a_variable_assigned_once_is_traced_back_among_other_assignments() -> None:
    source = """
    def area(width, height):
        w = abs(width)
        h = abs(height)
        scale = 2
        log(w, h)
        return w * h * scale
    """
    for seed in range(4):
        [question] = ask(ORIGIN, source, seed=seed)
        variable = question.prompt.split("`")[1]
        answer = {"w": "line 2", "h": "line 3", "scale": "line 4"}[variable]
        assert question.answer == answer
        assert question.explanation.endswith(
            f"is the only assignment to `{variable}`, earlier in the same block."
        )
        # Wrong: the other assignments before the read, then lines that read it.
        assert set(lines_of(question)) <= {2, 3, 4, 5, 6}


def test_passing_a_mutable_reference_makes_it_uncertain() -> None:
    rust = """
    fn f() -> i32 {
        let mut n = 1;
        n = 2;
        bump(&mut n);
        n
    }
    """
    assert ask(ORIGIN, rust, "rust") == []
    assert ask(ORIGIN, rust.replace("bump(&mut n)", "bump(n)"), "rust")


def test_the_same_code_gets_the_same_question() -> None:
    assert ask(ORIGIN, PYTHON, seed=5) == ask(ORIGIN, PYTHON, seed=5)


def test_searching_upward_for_the_name_finds_every_key_so_no_question_decides() -> None:
    rows = PYTHON.split("\n")  # row i is line i (line 1 is the blank first row)
    asked = ask(ORIGIN, PYTHON)
    assert asked
    for question in asked:
        name = question.prompt.split("`")[1]
        read = int(question.prompt.split(" reads ")[0].rsplit(" ", 1)[1])
        assigning = [
            n
            for n in range(1, read)
            if rows[n].strip().startswith((f"{name} =", f"{name} +=", f"for {name} "))
        ]
        # a reader who never traced anything: the nearest assignment above the read
        assert question.answer == f"line {assigning[-1]}"
    assert not decides(ORIGIN)  # so the quiz never lets one decide (a warm-up at most)
