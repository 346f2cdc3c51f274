"""Raise questions: which line can raise the exception that the handler on line N catches?"""

from __future__ import annotations

import pytest

from mindgap.gate.questions.raises import Raises

from .static_support import ask, lines_of

RAISES = Raises()

PYTHON = """
def cached(cache, key, compute):
    count = 0
    try:
        count = 1
        value = cache[key]
        label = "hit"
    except KeyError:
        value = compute(key)
        cache[key] = value
    else:
        print(label)
    return value, count
"""


def test_python_the_subscript_is_the_only_line_that_can_raise_key_error() -> None:
    for seed in range(6):
        [question] = ask(RAISES, PYTHON, seed=seed)
        assert question.prompt == (
            "Which line can raise the `KeyError` that the `except` on line 7 catches?"
        )
        assert question.answer == "line 5"
        # Wrong: the other lines of the try block (4, 6), and lines outside it whose
        # exceptions this handler does not catch (2, 8, 9, 11, 12); never a header line.
        assert set(lines_of(question)) - {5} <= {2, 4, 6, 8, 9, 11, 12}
        # the try block's own lines come first: finding the block is not enough
        assert {4, 6} <= set(lines_of(question))
        assert question.decides_pass
        assert len(question.choices or ()) == 4
        assert question.explanation.startswith(
            "Line 5 (`value = cache[key]`) is the only line of the `try` block (lines 4-6)"
        )


def test_javascript_catch_catches_anything_the_one_call_can_throw() -> None:
    source = """
    function load(path, cache) {
      const text = read(path);
      let value = null;
      let ok = false;
      try {
        ok = true;
        value = JSON.parse(text);
      } catch (err) {
        report(err);
      }
      return value;
    }
    """
    [question] = ask(RAISES, source, "javascript")
    assert (
        question.prompt == "Which line can throw an exception that the `catch` on line 8 catches?"
    )
    assert question.answer == "line 7"
    assert set(lines_of(question)) - {7} <= {2, 3, 4, 6, 9, 11}
    assert "it makes a call, `JSON.parse(text)`" in question.explanation


def test_java_division_is_the_line_that_throws_arithmetic_exception() -> None:
    source = """
    class Stats {
        double mean(double sum, int count) {
            double result = 0;
            log(sum);
            try {
                result = 1;
                result = sum / count;
            } catch (ArithmeticException e) {
                report(e);
                result = -1;
            }
            return result;
        }
    }
    """
    [question] = ask(RAISES, source, "java")
    assert question.prompt == (
        "Which line can throw the `ArithmeticException` that the `catch` on line 8 catches?"
    )
    assert question.answer == "line 7"
    assert set(lines_of(question)) - {7} <= {3, 4, 6, 9, 10, 12}


@pytest.mark.parametrize(
    "handler",
    [
        "except Exception:",
        "except:",
        "except (KeyError, TypeError):",
        "except* KeyError:",
        "except BaseException as error:",
    ],
)
def test_handlers_that_catch_anything_are_not_asked_about(handler: str) -> None:
    source = PYTHON.replace("except KeyError:", handler)
    assert ask(RAISES, source) == []


def test_two_lines_that_can_raise_make_it_ambiguous() -> None:
    source = """
    def both(cache, key, other):
        try:
            first = cache[key]
            second = other[key]
        except KeyError:
            return None
        return first, second
    """
    assert ask(RAISES, source) == []
    # A loop header (iteration) and a call in its body are two lines too.
    looping = """
    def parse_all(texts):
        out = []
        try:
            for text in texts:
                out.append(int(text))
        except ValueError:
            return []
        return out
    """
    assert ask(RAISES, looping) == []
    # In JavaScript reading a property can throw (of undefined).
    members = """
    function f(a) {
      let x = 0;
      try {
        x = a.size;
        x = compute(x);
      } catch (e) {
        x = -1;
      }
      return x;
    }
    """
    assert ask(RAISES, members, "javascript") == []


def test_lines_of_a_nested_function_are_never_offered() -> None:
    """The try block may call the nested function: its lines can raise into the handler."""
    source = """
    def outer(data):
        def lookup(key):
            return data[key]

        found = None
        try:
            found = lookup("a")
        except KeyError:
            found = None
        log(found)
        return found
    """
    for seed in range(6):
        [question] = ask(RAISES, source, seed=seed)
        assert question.answer == "line 7"
        assert not {2, 3} & set(lines_of(question))


def test_the_same_code_gets_the_same_question() -> None:
    assert ask(RAISES, PYTHON, seed=11) == ask(RAISES, PYTHON, seed=11)


ONE_LINE_TRY = """
def first(items, fallback):
    size = len(items)
    try:
        value = items[0]
    except IndexError:
        value = fallback
    print(size)
    return value
"""


def test_a_one_line_try_block_does_not_decide() -> None:
    # the key is the only line between `try` and `except`: found by locating the block
    [question] = ask(RAISES, ONE_LINE_TRY)
    assert question.answer == "line 4"
    assert not (set(lines_of(question)) - {4}) & {3, 5}
    assert not question.decides_pass
