"""Construct questions: what a construct is called, and what it does."""

from __future__ import annotations

from mindgap.gate.questions.construct import ConstructName, ConstructPurpose
from mindgap.knowledge.catalogue import catalogue

from .static_support import ask, quiz_code

NAME = ConstructName()
PURPOSE = ConstructPurpose()

PYTHON = """
def doubled(xs):
    ys = [x * 2 for x in xs if x]
    return ys
"""

GO = """
package files

func copyFile(src string) error {
    f, err := open(src)
    if err != nil {
        return err
    }
    defer f.Close()
    return nil
}
"""


def _by_name(language: str) -> dict:
    return {c.name: c for c in catalogue(language).constructs.values()}


def test_a_python_list_comprehension_is_named_against_its_family() -> None:
    [question] = ask(NAME, PYTHON)
    assert question.prompt == "What is `[x * 2 for x in xs if x]` on line 2 called?"
    assert question.answer == "list comprehension"
    assert question.constructs == ("python/list-comprehension",)
    constructs = _by_name("python")
    # The wrong options are other comprehensions and generators, none of them on line 2.
    assert question.choices is not None
    for choice in question.choices:
        assert constructs[choice].family == "comprehensions and generators"
    assert "Builds a list in one expression" in question.explanation


def test_a_go_defer_statement_is_named_and_explained() -> None:
    [name] = ask(NAME, GO, "go")
    assert name.prompt == "What is `defer f.Close()` on line 8 called?"
    assert name.answer == "defer statement"
    [purpose] = ask(PURPOSE, GO, "go")
    assert purpose.prompt == "What does `defer f.Close()` on line 8 do?"
    assert purpose.answer == catalogue("go").constructs["defer"].explanation
    assert purpose.answer.startswith("`defer f()` schedules a call to run")


def test_javascript_and_rust_constructs_are_named() -> None:
    [js, *_] = ask(NAME, "const label = count > 1 ? 'items' : 'item';\n", "javascript")
    assert js.prompt == "What is `count > 1 ? 'items' : 'item'` on line 1 called?"
    assert js.answer == "conditional (ternary) operator"
    rust = ask(NAME, "fn main() {\n    let add = |a, b| a + b;\n}\n", "rust")
    assert [q.answer for q in rust] == ["closure"]
    assert rust[0].prompt == "What is `|a, b| a + b` on line 2 called?"


def test_no_wrong_option_is_a_construct_found_on_that_code() -> None:
    """`@app.route(...)` is both a decorator and a decorator with arguments: whichever is
    asked, the other is never offered as wrong."""
    source = '@app.route("/items")\ndef items():\n    return []\n'
    questions = ask(NAME, source)
    assert questions, "a decorator is asked about"
    found = {
        hit.construct.name for hit in catalogue("python").find(quiz_code(source).tree.root_node)
    }
    assert {"decorator", "decorator with arguments"} <= found
    for question in questions:
        assert question.choices is not None
        wrong = set(question.choices) - {question.answer}
        assert not wrong & found
    # Two name questions never ask about the same code.
    assert len(questions) == 1


def test_the_purpose_question_picks_another_construct_than_the_name_questions() -> None:
    source = """
    def load(paths):
        sizes = {p: len(p) for p in paths}
        with open(paths[0]) as handle:
            first = handle.read()
        shortest = min(paths, key=lambda p: len(p))
        return sizes, first, shortest
    """
    code = quiz_code(source)
    names = NAME.generate(code)
    [purpose] = PURPOSE.generate(code)
    asked = {q.constructs[0] for q in names}
    assert len(asked) == 2
    assert purpose.constructs[0] not in asked
    assert asked | set(purpose.constructs) == {
        "python/dict-comprehension",
        "python/with-statement",
        "python/lambda",
    }
    # Asked alone, it may take any of them.
    [alone] = ask(PURPOSE, source)
    assert alone.constructs[0] in asked | set(purpose.constructs)


def test_code_without_catalogued_constructs_gets_no_question() -> None:
    assert ask(NAME, "def f(a):\n    return a\n") == []
    assert ask(PURPOSE, "def f(a):\n    return a\n") == []


def test_the_same_code_gets_the_same_questions() -> None:
    for language, source in (("python", PYTHON), ("go", GO)):
        first = ask(NAME, source, language, seed=7) + ask(PURPOSE, source, language, seed=7)
        again = ask(NAME, source, language, seed=7) + ask(PURPOSE, source, language, seed=7)
        assert first == again
