"""GATE.md's surface solver finds a key by searching: the code's text, the values the
prompt gives, and a key that is the only choice echoing a string the prompt gives.

The echo case, from flask's `Request.blueprints`: every input without a dot comes back as
`[input]`, so "With `self.blueprint = '--all'`, what does `self.blueprints()` return?" with
the choices `['x']`, `['--all']`, `['-v']`, `['abc']` is answered by matching the input,
not by tracing. Such a question never decides a pass."""

from __future__ import annotations

import re

import pytest

from mindgap.gate.questions.base import Question, found_by_search
from mindgap.gate.questions.exec_return_value import ReturnValue
from mindgap.gate.quiz import build_quiz
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from tests.unit.gate.test_exec_common import quiz_code

BLUEPRINTS = """\
def split_blueprint_path(name):
    out = [name]
    if "." in name:
        out.extend(split_blueprint_path(name.rpartition(".")[0]))
    return out


class Request:
    blueprint: str | None = None

    def blueprints(self):
        name = self.blueprint
        if name is None:
            return []
        return split_blueprint_path(name)
"""
METHOD = (11, 15)  # the region: the method alone, as in flask


def question(prompt: str, choices: tuple[str, ...], answer: str) -> Question:
    return Question("return-value", prompt, answer, "", choices=choices)


def test_a_key_alone_in_echoing_the_prompt_s_string_is_found_by_search() -> None:
    echo = question(
        "With `self.blueprint = '--all'`, what does `self.blueprints()` return?",
        ("['x']", "['--all']", "['-v']", "['abc']"),
        "['--all']",
    )
    assert found_by_search(echo, "return split_blueprint_path(name)")


def test_a_key_alone_in_holding_the_text_of_a_given_string_is_found_by_search() -> None:
    # rich's Theme.config: the only choice built around the given key `x` is picked without
    # tracing the join; wrong choices that hold `x` too (one part short, parts in the wrong
    # order) leave nothing to match
    prompt = "With `self.styles = {'x': 3}`, what is `self.config`?"
    key = repr("[styles]\nx = 3")
    others_inputs = (repr("[styles]\na = 0"), repr("[styles]\n"), repr("[styles]\nb = 2"))
    assert found_by_search(question(prompt, (key, *others_inputs), key), "")
    misreadings = (repr("x = 3"), repr("x = 3\n[styles]"), repr("[styles]\nx = "))
    assert not found_by_search(question(prompt, (key, *misreadings), key), "")


def test_a_call_alone_in_holding_the_result_asked_about_is_found_by_search() -> None:
    # sqlalchemy's ellipses_string hands a short list back: the call whose argument reads
    # like the result asked about is picked without tracing
    echo = Question(
        "which-input",
        "Which of these calls to `ellipses_string` (line 1856) returns `[3, 1, 2]`?",
        "ellipses_string([3, 1, 2])",
        "",
        choices=(
            "ellipses_string([3, 1, 2])",
            "ellipses_string([0])",
            "ellipses_string([1, -1])",
            "ellipses_string([0, 1])",
        ),
    )
    assert found_by_search(echo, "return value")


def test_gate_md_s_good_question_is_not_found_by_search() -> None:
    # two choices hold the input: echoing it does not single out the key
    good = question(
        "What does `split_path('a.b.c')` return?",
        ("['a', 'a.b', 'a.b.c']", "['a', 'b', 'c']", "['a', 'a.b']", "['a.b.c', 'a.b', 'a']"),
        "['a', 'a.b', 'a.b.c']",
    )
    assert not found_by_search(good, 'parts = p.split(".")')
    # a key that only contains part of a given string is no echo of it
    part = question(
        "What does `first_word('hello world')` return?",
        ("'hello'", "'world'", "'hello world'", "''"),
        "'hello'",
    )
    assert not found_by_search(part, "return text.split()[0]")


def only_the_key_echoes(asked: Question) -> bool:
    given = re.findall(r"self\.blueprint = ('[^']*')", asked.prompt)
    holding = [c for c in asked.choices or () if any(value in c for value in given)]
    return holding == [asked.answer]


@pytest.mark.usefixtures("os_sandbox")
def test_a_method_that_hands_its_input_back_gets_no_deciding_echo_question() -> None:
    asked = ReturnValue().generate(quiz_code(BLUEPRINTS, METHOD))
    assert not [q.prompt for q in asked if only_the_key_echoes(q)]
    document = SyntaxDocument("file:///blueprints.py", BLUEPRINTS, language_named("python"))
    start = document.index.offset_of_point(METHOD[0] - 1, 0)
    quiz = build_quiz(document, start, len(BLUEPRINTS))
    assert not [q.prompt for q in quiz.questions if q.decides_pass and only_the_key_echoes(q)]
