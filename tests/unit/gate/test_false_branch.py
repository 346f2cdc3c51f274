"""False-branch questions: if the condition on line N is false, which line runs next?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.false_branch import FalseBranch

from .static_support import ask, lines_of

BRANCHES = FalseBranch()


def test_python_elif_else_and_no_else() -> None:
    source = """
    def grade(score, strict):
        if score is None:
            return None
        elif score > 90:
            label = "A"
        else:
            label = "B"
        if strict:
            label = label.lower()
            log(label)
        return label
    """
    questions = {q.prompt: q for q in ask(BRANCHES, source)}
    first = questions["If `score is None` on line 2 is false, which line runs next?"]
    assert first.answer == "line 4"  # the elif's condition
    # The if block (the classic misreading), the line after the whole if, a branch line.
    assert {3, 4, 8} < set(lines_of(first)) <= {3, 4, 5, 7, 8}
    assert first.explanation == (
        "When it is false, Python tests the next condition, the `elif` on line 4 "
        "(the `if` block, line 3, is skipped)."
    )
    second = questions["If `strict` on line 8 is false, which line runs next?"]
    assert second.answer == "line 11"  # no else: the statement after the if
    assert lines_of(second) == [9, 10, 11]
    assert "there is no `else`" in second.explanation


def test_go_else_block() -> None:
    source = """
    func sign(n int) string {
        if n < 0 {
            return "negative"
        } else {
            log(n)
            return "positive"
        }
    }
    """
    [question] = ask(BRANCHES, source, "go")
    assert question.prompt == "If `n < 0` on line 2 is false, which line runs next?"
    assert question.answer == "line 5"  # the first line of the else block
    assert lines_of(question) == [3, 5, 6]


def test_javascript_else_if_and_java_without_braces() -> None:
    js = """
    function size(n) {
      if (n > 100) {
        return "big";
      } else if (n > 10) {
        return "medium";
      }
      return "small";
    }
    """
    [question] = ask(BRANCHES, js, "javascript")
    assert question.prompt == "If `n > 100` on line 2 is false, which line runs next?"
    assert question.answer == "line 4"  # `} else if (n > 10) {` tests its condition
    assert 3 in lines_of(question)
    java = """
    class Limits {
        int clamp(int n) {
            if (n > 10)
                n = 10;
            log(n);
            return n;
        }
    }
    """
    [question] = ask(BRANCHES, java, "java")
    assert question.answer == "line 5"
    assert lines_of(question) == [4, 5, 6]


@pytest.mark.parametrize(
    ("language", "source"),
    [
        # The if ends its block: what runs next is the loop header, not shown by the if.
        (
            "python",
            "def f(xs):\n    for x in xs:\n        log(x)\n        if x:\n            g(x)\n"
            "    return 1\n",
        ),
        # Rust's `if let` matches a pattern: "false" would be a misnomer.
        (
            "rust",
            "fn f(o: Option<i32>) -> i32 {\n    if let Some(x) = o {\n        g(x);\n    }\n"
            "    h();\n    0\n}\n",
        ),
        # Too few lines to choose from.
        ("python", "def f(a):\n    if a:\n        return 1\n    return 2\n"),
    ],
)
def test_ifs_without_a_plain_next_line_get_no_question(language: str, source: str) -> None:
    assert ask(BRANCHES, source, language) == []


def test_the_same_code_gets_the_same_questions() -> None:
    source = (
        "def f(a, b, c):\n"
        + "".join(f"    if {name}:\n        log({name})\n        x = 1\n" for name in "abc")
        + "    return 0\n"
    )
    first = ask(BRANCHES, source, seed=9)
    assert len(first) == 2  # at most two per region, chosen with the seed
    assert first == ask(BRANCHES, source, seed=9)
