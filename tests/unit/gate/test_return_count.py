"""Return-count questions: how many `return` statements does this function have?"""

from __future__ import annotations

from mindgap.gate.questions.return_count import ReturnCount

from .static_support import ask

RETURNS = ReturnCount()


def test_python_returns_of_a_nested_function_are_not_counted() -> None:
    source = """
    def classify(values, limit):
        def key(v):
            return abs(v)

        if not values:
            return "empty"
        for v in sorted(values, key=key):
            if v > limit:
                return "big"
        return "small"
    """
    [question] = ask(RETURNS, source)
    assert question.prompt == (
        "How many `return` statements does `classify` (line 1) have "
        "(not counting those of nested functions)?"
    )
    assert question.answer == "3"
    assert question.choices in {("1", "2", "3", "4"), ("2", "3", "4", "5")}
    assert question.explanation == (
        "3: on lines 6, 9 and 10. The `return` statement on line 3 belongs to a nested function."
    )


def test_rust_counts_return_expressions_but_not_the_tail_value() -> None:
    source = """
    fn find(items: &[i32], wanted: i32) -> Option<usize> {
        if items.is_empty() {
            return None;
        }
        for (i, item) in items.iter().enumerate() {
            if *item == wanted {
                return Some(i);
            }
        }
        None
    }
    """
    [question] = ask(RETURNS, source, "rust")
    assert question.prompt == "How many `return` expressions does `find` (line 1) have?"
    assert question.answer == "2"
    assert question.explanation == "2: on lines 3 and 7."


def test_java_and_javascript_methods() -> None:
    java = """
    class Grades {
        String grade(int score) {
            if (score >= 90) {
                return "A";
            } else if (score >= 80) {
                return "B";
            }
            return "C";
        }
    }
    """
    [question] = ask(RETURNS, java, "java")
    assert question.prompt == "How many `return` statements does `grade` (line 2) have?"
    assert question.answer == "3"
    js = """
    const sign = (n) => {
      const check = () => { return n; };
      if (n < 0) return -1;
      return check() > 0 ? 1 : 0;
    };
    """
    [question] = ask(RETURNS, js, "javascript")
    assert question.prompt.startswith("How many `return` statements does `sign` (line 1) have")
    assert question.answer == "2"


def test_a_single_return_is_not_asked_about() -> None:
    assert ask(RETURNS, "def f(a):\n    b = a * 2\n    return b\n") == []
    assert ask(RETURNS, "func f() int {\n\treturn 1\n}\n", "go") == []


def test_the_same_code_gets_the_same_question() -> None:
    source = "def f(a):\n    if a:\n        return 1\n    return 2\n"
    assert ask(RETURNS, source, seed=4) == ask(RETURNS, source, seed=4)
