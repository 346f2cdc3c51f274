"""trace-call: JavaScript, TypeScript, Go, Rust and Java functions evaluated from the tree
for literal arguments, only where the semantics are certain; keys worked out by hand."""

from __future__ import annotations

import random

from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.questions.trace_call import TraceCall
from mindgap.syntax.languages import language_named


def code_of(language: str, source: str) -> CodeUnderQuiz:
    data = source.encode()
    tree = language_named(language).parser().parse(data)
    return CodeUnderQuiz(language, data, tree, 0, len(data), 1, random.Random(0))


def asked(language: str, source: str) -> dict[str, str]:
    return {
        q.prompt.split("`")[1]: q.answer for q in TraceCall().generate(code_of(language, source))
    }


CLAMP_JS = """\
function clamp(value, low, high) {
  if (value < low) {
    return low;
  }
  if (value > high) {
    return high;
  }
  return value;
}
"""


def clamp(value: int, low: int, high: int) -> int:
    return low if value < low else high if value > high else value


def test_javascript_branches_for_literal_arguments() -> None:
    questions = TraceCall().generate(code_of("javascript", CLAMP_JS))
    assert questions
    for question in questions:
        call = question.prompt.split("`")[1]
        args = [int(a) for a in call[len("clamp(") : -1].split(", ")]
        if question.prompt.startswith("What does"):
            assert question.answer == str(clamp(*args))  # by hand, in Python
            assert question.choices is not None and len(question.choices) == 4
            assert all(c.lstrip("-").isdigit() for c in question.choices)
        else:
            line = 3 if args[0] < args[1] else 6 if args[0] > args[2] else 8
            assert question.answer == f"line {line}"


GO = """\
package m

func bucket(score int, size int) int {
\tindex := score - 1
\tif index < 0 {
\t\treturn 0
\t}
\tindex++
\tif index >= size*10 {
\t\treturn size
\t}
\treturn index - size
}
"""


def bucket(score: int, size: int) -> int:
    index = score - 1
    if index < 0:
        return 0
    index += 1
    return size if index >= size * 10 else index - size


def test_go_straight_line_updates_and_branches() -> None:
    found = asked("go", GO)
    assert len(found) >= 2
    for call, answer in found.items():
        if not call.startswith("bucket("):
            continue
        score, size = (int(a) for a in call[len("bucket(") : -1].split(", "))
        if not answer.startswith("line"):
            assert answer == str(bucket(score, size))


RUST = """\
fn steps(n: u32) -> u32 {
    let mut total = n * 2;
    if total > 10 && n != 7 {
        total -= 3;
    }
    total + 1
}
"""


def test_rust_tail_expression() -> None:
    found = asked("rust", RUST)
    assert found
    for call, answer in found.items():
        n = int(call[len("steps(") : -1])
        total = n * 2 - (3 if n * 2 > 10 and n != 7 else 0)
        assert answer == str(total + 1)


JAVA_UNSURE = """\
class A {
    static int half(int n) {
        if (n > 3) {
            return n / 2;
        }
        return helper(n);
    }
}
"""


def test_nothing_asked_where_the_semantics_are_not_modelled() -> None:
    assert asked("java", JAVA_UNSURE) == {}  # a division, a call: not certain
    strings = "function greet(name) {\n  if (name) { return 'hi ' + name; }\n  return 'hi';\n}\n"
    assert asked("javascript", strings) == {}
