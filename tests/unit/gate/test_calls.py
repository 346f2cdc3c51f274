"""Call questions: which of these does the code call directly?"""

from __future__ import annotations

import re

from mindgap.gate.questions.calls import Calls

from .static_support import ask, quiz_code

CALLS = Calls()

PYTHON = """
import json


def read_text(path):
    with open(path) as f:
        return f.read()


def render(page):
    return page.upper()


def retry(action):
    return action()


def load(path, strict):
    text = read_text(path)
    data = json.loads(text)
    if strict and not data:
        raise ValueError(path)
    return data
"""

JAVASCRIPT = """
function parse(text) {
  return text.trim();
}

function notify(user, message) {
  mailer.send(user.email, message);
}

function process(items, handler) {
  const clean = items.map(handler);
  const summary = parse(clean.join(","));
  let count = 0;
  count = clean.length;
  return { summary, count };
}
"""


def _words(code) -> set[str]:
    return set(re.findall(r"\w+", code.text))


def test_python_the_function_defined_in_the_file_is_the_key() -> None:
    for seed in range(5):
        [question] = ask(CALLS, PYTHON, function="load", seed=seed)
        assert question.prompt == "Which of these does `load` (lines 17-22) call directly?"
        # load calls read_text (defined in this file), json.loads and ValueError; the file's
        # own function is preferred as the key.
        assert question.answer == "read_text"
        assert question.choices is not None
        wrong = set(question.choices) - {"read_text"}
        # Names from elsewhere in the file that load never mentions.
        assert wrong <= {"open", "read", "render", "upper", "retry", "action"}
        assert not wrong & _words(quiz_code(PYTHON, function="load"))
        assert question.explanation.startswith("Line 18 calls `read_text`: `read_text(path)`.")


def test_javascript_a_callback_is_never_offered_as_not_called() -> None:
    for seed in range(5):
        [question] = ask(CALLS, JAVASCRIPT, "javascript", function="process", seed=seed)
        assert question.prompt == "Which of these does `process` (lines 9-15) call directly?"
        assert question.answer == "parse"
        assert question.choices is not None
        # `trim` is only called through parse: "directly" makes it wrong.
        assert set(question.choices) == {"parse", "notify", "send", "trim"}


def test_variables_of_the_region_fill_in_when_the_file_has_no_other_names() -> None:
    source = """
    func total(items []int, handler func(int) int) int {
        sum := 0
        count := 0
        limit := 10
        for _, item := range items {
            count++
            sum += handler(item)
        }
        if count > limit {
            return sum
        }
        return clamp(sum)
    }
    """
    for seed in range(5):
        [question] = ask(CALLS, source, "go", seed=seed)
        assert question.prompt == "Which of these does `total` (lines 1-13) call directly?"
        assert question.answer in {"handler", "clamp"}
        assert question.choices is not None
        # handler and clamp are called, item and sum are handed to calls (which could call
        # them): only the plain variables are offered.
        assert set(question.choices) - {question.answer} == {"items", "count", "limit"}


def test_a_name_in_a_string_or_passed_on_is_never_offered() -> None:
    source = """
    def helper():
        return 1


    def other():
        return 2


    def spare():
        return 3


    def hook(obj, callback, items):
        method = getattr(obj, "helper")
        result = method()
        items.sort(key=callback)
        return result
    """
    for seed in range(5):
        questions = ask(CALLS, source, function="hook", seed=seed)
        for question in questions:
            assert question.choices is not None
            assert "helper" not in question.choices  # getattr(obj, "helper") calls it
            assert "callback" not in question.choices  # sort may call it


def test_too_few_safe_wrong_options_means_no_question() -> None:
    # Everything the code names is called or handed to a call.
    assert ask(CALLS, "def run(task, log):\n    log(task())\n") == []
    # And no calls at all: nothing to ask.
    assert ask(CALLS, "def same(a, b, c, d):\n    x = a\n    return x\n") == []


def test_the_same_code_gets_the_same_question() -> None:
    first = ask(CALLS, JAVASCRIPT, "javascript", function="process", seed=3)
    assert first == ask(CALLS, JAVASCRIPT, "javascript", function="process", seed=3)
