"""branch-end: after the block of a true condition, execution skips the other branches;
keys checked by hand in Python and JavaScript."""

from __future__ import annotations

import random

from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.questions.branch_end import BranchEnd
from mindgap.syntax.languages import language_named


def asked(language: str, source: str) -> list[tuple[str, str, tuple[str, ...]]]:
    data = source.encode()
    tree = language_named(language).parser().parse(data)
    code = CodeUnderQuiz(language, data, tree, 0, len(data), 1, random.Random(0))
    return [(q.prompt, q.answer, q.choices or ()) for q in BranchEnd().generate(code)]


PYTHON = """\
def label(n):
    if n > 10:
        kind = "big"
        n = 10
    elif n > 5:
        kind = "mid"
    else:
        kind = "small"
    total = n * 2
    return kind, total
"""


def test_python_chain_skips_the_elif_and_else() -> None:
    ((prompt, answer, choices),) = asked("python", PYTHON)
    assert (
        prompt
        == "If `n > 10` on line 2 is true, which line runs after line 4 (the end of its block)?"
    )
    assert answer == "line 9"
    assert "line 5" in choices and "line 8" in choices  # the elif, the else's first line


JAVASCRIPT = """\
function label(n) {
  let kind;
  if (n > 10) {
    kind = "big";
  } else {
    kind = "small";
  }
  return kind;
}
"""


def test_javascript_if_else() -> None:
    ((_, answer, choices),) = asked("javascript", JAVASCRIPT)
    assert answer == "line 8" and "line 6" in choices


def test_not_asked_when_the_block_returns_or_there_is_no_else() -> None:
    returns = "def f(n):\n    if n:\n        return 1\n    else:\n        n = 2\n    return n\n"
    plain = "def f(n):\n    if n:\n        n = 1\n    return n\n"
    assert asked("python", returns) == [] and asked("python", plain) == []
