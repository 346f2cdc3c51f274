"""return-attribute: a call that returns an object of the code's own class, whose repr is
the default `<Label object at 0x..>`, is asked about through one attribute that differs
between inputs; keys re-checked here by running the code in this process."""

from __future__ import annotations

import ast

import pytest

from mindgap.gate.questions.exec_common import region_runs
from mindgap.gate.questions.exec_return_attribute import ReturnAttribute
from mindgap.gate.sandbox import Outcome
from mindgap.gate.sandbox.child import object_view
from mindgap.gate.sandbox.runner import _agree
from tests.unit.gate.test_exec_common import quiz_code, run_here

pytestmark = pytest.mark.usefixtures("os_sandbox")

LABEL = """\
class Label:
    def __init__(self, text, style, width=8):
        self.text = text
        self.style = style
        self.width = width
        self._cache = {}


def level_label(name):
    key = name.lower()
    if key.startswith("warn"):
        key = "warning"
    elif len(key) > 5:
        key = key[:5]
    return Label(name.upper().ljust(8), "level." + key)
"""


def test_an_object_is_asked_about_through_an_attribute_that_differs() -> None:
    code = quiz_code(LABEL)
    questions = ReturnAttribute().generate(code)
    assert questions, "level_label returns Label objects: one attribute differs by input"
    for question in questions:
        call = question.prompt.split("`")[1]
        # the style (the branches' work) or the padded name: both differ by input
        assert call.startswith("level_label(") and call.endswith((").style", ").text"))
        # the key, established in the sandbox, re-checked by an independent run here
        assert question.answer == repr(run_here(LABEL, call))
        assert question.choices is not None and len(question.choices) == 4
        assert question.answer in question.choices
        for choice in question.choices:  # all strings: of the key's type
            assert isinstance(ast.literal_eval(choice), str)
    # the width is the same for every input, `_cache` is private: neither is asked about
    assert all(".width`" not in q.prompt and "_cache" not in q.prompt for q in questions)
    assert {"'level.warning'", "'WARN    '", "'WARNING '"} & {q.answer for q in questions}


def test_the_view_reads_the_instance_dict_only() -> None:
    calls = []

    class Shown:
        __module__ = "mindgap_sandbox"  # as the code's own classes are in the sandbox

        def __init__(self) -> None:
            self.name, self.size, self.tags, self.nested = "a", 2, ("x", 1), [["deep"]]
            self._private, self.other = "hidden", object()

        @property
        def loud(self) -> str:
            calls.append("loud")  # a property of foreign code could hang: never called
            return "LOUD"

    view = object_view(Shown())
    assert view == {"name": "'a'", "size": "2", "tags": "('x', 1)"}
    assert calls == []

    class Slotted:
        __module__ = "mindgap_sandbox"
        __slots__ = ("_spans", "style", "unset")

        def __init__(self) -> None:
            self.style, self._spans = "bold", [1]

    assert object_view(Slotted()) == {"style": "'bold'"}  # a slot never set is left out
    # a value of a class the code did not define has its own repr: no view
    assert object_view(ValueError("x")) == {} and object_view([1]) == {}


def test_the_view_comes_back_the_same_from_both_runs() -> None:
    runs = region_runs(quiz_code(LABEL))
    assert runs is not None
    viewed = {c: dict(o.view) for c, o in runs.outcomes.items() if o.view}
    # the repr holds the object's address (unstable); the view, the same twice, stays
    assert viewed["level_label('warn')"] == {
        "style": repr(run_here(LABEL, "level_label('warn').style")),
        "text": "'WARN    '",
        "width": "8",
    }


def test_plain_values_have_no_view() -> None:
    source = "def pair(a):\n    if a > 1:\n        return [a, a]\n    return (a,)\n"
    runs = region_runs(quiz_code(source))
    assert runs is not None
    assert all(not o.view for o in runs.outcomes.values())
    assert ReturnAttribute().generate(quiz_code(source)) == []


def test_a_view_that_differs_between_the_runs_is_no_key() -> None:
    first = Outcome("unstable", value="<L at 0x1>", view=(("n", "1"),))
    # the same view twice: kept, though the address in the repr differs
    kept = _agree([first, Outcome("unstable", value="<L at 0x2>", view=(("n", "1"),))])
    assert kept.view == (("n", "1"),) and not kept.returned
    moved = _agree([first, Outcome("unstable", value="<L at 0x1>", view=(("n", "2"),))])
    assert moved.kind == "unstable" and moved.view == ()
