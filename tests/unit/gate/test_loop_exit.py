"""Loop-exit questions: when a search loop finds nothing, which line runs next?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.loop_exit import LoopExit

from .static_support import ask, lines_of

LOOPS = LoopExit()


def test_python_for_else_runs_the_else_block_when_nothing_breaks() -> None:
    source = """
    def first_admin(users):
        for user in users:
            if user.is_admin:
                break
        else:
            user = None
            log("no admin")
        return user
    """
    [question] = ask(LOOPS, source)
    assert question.prompt == (
        "The loop on line 2 (`for user in users:`) can stop early at the `break` on line 4. "
        "If it finishes without reaching it, which line runs next?"
    )
    assert question.answer == "line 6"
    # Line 8 is the classic misreading of for/else; line 7 is the else block's second line.
    assert lines_of(question) == [4, 6, 7, 8]
    assert "line 8 only runs after the `else` block" in question.explanation


def test_javascript_a_break_inside_a_switch_does_not_leave_the_loop() -> None:
    source = """
    function indexOf(items, wanted) {
      let found = -1;
      for (let i = 0; i < items.length; i++) {
        switch (items[i]) {
          case wanted:
            found = i;
            break;
        }
        if (found >= 0) {
          return found;
        }
      }
      console.log("missing");
      return -1;
    }
    """
    [question] = ask(LOOPS, source, "javascript")
    assert question.prompt.endswith(
        "can stop early at the `return` on line 10. If it finishes without reaching it, "
        "which line runs next?"
    )
    assert question.answer == "line 13"
    assert {10, 14} <= set(lines_of(question))  # the return, and the line after the answer
    assert set(lines_of(question)) <= {4, 5, 6, 7, 9, 10, 13, 14}


def test_go_and_rust_search_loops() -> None:
    go = """
    func find(items []string, name string) int {
        for i, item := range items {
            if item == name {
                return i
            }
        }
        log("missing")
        return -1
    }
    """
    [question] = ask(LOOPS, go, "go")
    assert question.answer == "line 7"
    assert set(lines_of(question)) <= {3, 4, 7, 8}
    rust = """
    fn find(items: &[i32], wanted: i32) -> Option<usize> {
        let mut index = 0;
        while index < items.len() {
            if items[index] == wanted {
                return Some(index);
            }
            index += 1;
        }
        println!("missing");
        None
    }
    """
    [question] = ask(LOOPS, rust, "rust")
    assert question.prompt.startswith("The loop on line 3 (`while index < items.len() {`)")
    assert question.answer == "line 9"


@pytest.mark.parametrize(
    ("language", "source"),
    [
        # Never finishes by itself: only the break leaves it.
        (
            "python",
            "def f(q):\n    while True:\n        if q.pop():\n            break\n    return q\n",
        ),
        ("go", "func f() {\n\tfor {\n\t\tif g() {\n\t\t\tbreak\n\t\t}\n\t}\n\th()\n}\n"),
        (
            "rust",
            "fn f() {\n    loop {\n        if g() {\n            break;\n        }\n    }\n"
            "    h();\n}\n",
        ),
        # A labelled break may leave an outer loop.
        (
            "javascript",
            "function f(xs) {\n  outer: for (const x of xs) {\n    for (const y of x) {\n"
            "      if (y) break outer;\n    }\n    if (x) break;\n  }\n  g();\n}\n",
        ),
        # No early exit: not a search loop.
        ("python", "def f(xs):\n    for x in xs:\n        log(x)\n    return 1\n"),
        # Nothing after the loop in its block.
        ("python", "def f(xs):\n    for x in xs:\n        if x:\n            return x\n"),
    ],
)
def test_loops_without_a_certain_next_line_get_no_question(language: str, source: str) -> None:
    assert ask(LOOPS, source, language) == []


def test_a_break_in_an_inner_loops_else_leaves_the_outer_loop() -> None:
    """In Python, `break` inside a for's `else` block belongs to the loop around it."""
    source = """
    def settle(rows):
        while rows:
            for row in rows:
                if row.bad:
                    break
            else:
                break
            rows = rows[1:]
        return rows
    """
    questions = ask(LOOPS, source)
    outer = [q for q in questions if "line 2" in q.prompt]
    assert outer and "the `break` on line 7" in outer[0].prompt
    assert outer[0].answer == "line 9"


def test_the_same_code_gets_the_same_question() -> None:
    source = (
        "def f(xs):\n    for x in xs:\n        if x:\n            return x\n"
        "    a = 1\n    return a\n"
    )
    assert ask(LOOPS, source, seed=8) == ask(LOOPS, source, seed=8)
