"""Literal-return questions: what does the function return when the condition holds?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.literal_return import LiteralReturn

from .static_support import ask

LITERALS = LiteralReturn()


def test_python_each_branch_that_returns_a_literal_can_be_asked() -> None:
    source = """
    def grade(score, strict):
        if score is None:
            return None
        if strict and score < 50:
            return False
        else:
            return True
    """
    expected = {
        "If execution reaches line 2 and `score is None` is true, what does `grade` return?": (
            "None"
        ),
        "If execution reaches line 4 and `strict and score < 50` is true, what does `grade` "
        "return?": "False",
        "If execution reaches line 4 and `strict and score < 50` is false, what does `grade` "
        "return?": "True",
    }
    seen = set()
    for seed in range(12):
        [question] = ask(LITERALS, source, seed=seed)
        assert expected[question.prompt] == question.answer
        # The other values it returns, and Python's other constants: never the answer.
        assert set(question.choices or ()) == {"None", "False", "True"}
        seen.add(question.prompt)
    assert len(seen) >= 2  # the seed picks among the branches


def test_numbers_get_neighbouring_numbers_and_the_other_returns() -> None:
    source = """
    class Finder {
        int find(int[] xs, int x) {
            if (xs.length == 0) {
                return -1;
            }
            return search(xs, x);
        }
    }
    """
    [question] = ask(LITERALS, source, "java")
    assert question.prompt == (
        "If execution reaches line 3 and `xs.length == 0` is true, what does `find` return?"
    )
    assert question.answer == "-1"
    assert question.choices is not None
    assert set(question.choices) - {"-1"} <= {"0", "-2", "1", "2"}
    go = """
    func parse(text string) (int, error) {
        if text == "" {
            return 0, nil
        }
        if text == "x" {
            return -1, nil
        }
        return strconv.Atoi(text)
    }
    """
    for seed in range(4):
        [question] = ask(LITERALS, go, "go", seed=seed)
        assert question.answer in {"0, nil", "-1, nil"}
        # The other literal results first, then one result varied.
        assert {"0, nil", "-1, nil"} <= set(question.choices or ())


def test_strings_in_javascript() -> None:
    source = """
    function label(count) {
      if (count === 0) {
        return "none";
      }
      if (count === 1) return "one";
      return "many";
    }
    """
    for seed in range(4):
        [question] = ask(LITERALS, source, "javascript", seed=seed)
        assert question.answer in {'"none"', '"one"'}
        # Wrong options are only the other strings it returns: never an equal value.
        assert set(question.choices or ()) <= {'"none"', '"one"', '"many"'}


@pytest.mark.parametrize(
    ("language", "source"),
    [
        # The branch does more than return.
        ("python", "def f(a):\n    if a:\n        log(a)\n        return 1\n    return 2\n"),
        # Not a literal: an f-string, a name.
        ("python", 'def f(a):\n    if a:\n        return f"{a}"\n    return "b"\n'),
        ("python", "def f(a, b):\n    if a:\n        return b\n    return 2\n"),
        # A finally block can replace the value on the way out.
        (
            "python",
            "def f(a):\n    try:\n        if a:\n            return 1\n    finally:\n"
            "        return 2\n",
        ),
        # An async function returns a promise, not the value.
        (
            "javascript",
            "async function f(a) {\n  if (a) {\n    return 1;\n  }\n  return 2;\n}\n",
        ),
        # A Go defer may change named results.
        (
            "go",
            "func f(a bool) (n int) {\n\tdefer fix(&n)\n\tif a {\n\t\treturn 1\n\t}\n"
            "\treturn 2\n}\n",
        ),
    ],
)
def test_uncertain_returns_get_no_question(language: str, source: str) -> None:
    assert ask(LITERALS, source, language) == []


def test_the_same_code_gets_the_same_question() -> None:
    source = "def f(a):\n    if a > 3:\n        return 10\n    return 20\n"
    assert ask(LITERALS, source, seed=1) == ask(LITERALS, source, seed=1)
