"""jump-next: where `break` and `continue` go, in every language; keys checked by hand."""

from __future__ import annotations

import random

from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.questions.jump_next import JumpNext
from mindgap.syntax.languages import language_named


def questions(language: str, source: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    data = source.encode()
    tree = language_named(language).parser().parse(data)
    code = CodeUnderQuiz(language, data, tree, 0, len(data), 1, random.Random(0))
    return {q.prompt: (q.answer, q.choices or ()) for q in JumpNext().generate(code)}


PYTHON = """\
def first_even(numbers):
    found = None
    for n in numbers:
        if n < 0:
            continue
        if n % 2 == 0:
            found = n
            break
        print(n)
    else:
        found = -1
    return found
"""


def test_python_continue_goes_to_the_loop_and_break_past_its_else() -> None:
    asked = questions("python", PYTHON)
    answer, choices = asked["After the `continue` on line 5 runs, which line runs next?"]
    assert answer == "line 3"
    assert "line 6" in choices  # the misreading: the next statement in the block
    answer, choices = asked["After the `break` on line 8 runs, which line runs next?"]
    assert answer == "line 12"  # past the loop's else block
    assert "line 10" in choices or "line 11" in choices or "line 3" in choices


JAVASCRIPT = """\
function total(prices) {
  let sum = 0;
  for (let i = 0; i < prices.length; i++) {
    if (prices[i] < 0) {
      continue;
    }
    sum += prices[i];
  }
  return sum;
}
"""


def test_javascript_continue() -> None:
    asked = questions("javascript", JAVASCRIPT)
    answer, choices = asked["After the `continue` on line 5 runs, which line runs next?"]
    assert answer == "line 3" and "line 9" in choices


SWITCH = """\
function f(xs) {
  for (const x of xs) {
    switch (x) {
      case 1:
        break;
    }
  }
  return 0;
}
"""


def test_a_break_in_a_switch_is_not_asked_about() -> None:
    assert questions("javascript", SWITCH) == {}
