"""Stand-in objects (exec_stand_ins): a method whose `self` and parameters are objects used
through their attributes and methods runs with stand-ins whose values the prompt states;
keys re-checked here with objects built by hand, not by the generator's classes."""

from __future__ import annotations

import ast
import re
from types import SimpleNamespace
from typing import Any

import pytest

from mindgap.gate.questions.base import Question, found_by_search
from mindgap.gate.questions.exec_common import STAND_IN, build_plan, region_runs
from mindgap.gate.questions.exec_return_value import ReturnValue
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

# click 8.4, core.py, Parameter.get_default (docstring left out)
GET_DEFAULT = """\
class Parameter:
    def get_default(
        self, ctx: Context, call: bool = True
    ) -> t.Any | t.Callable[[], t.Any] | None:
        value = ctx.lookup_default(self.name, call=False)

        if value is None and not ctx._default_map_has(self.name):
            value = self.default

        if call and callable(value):
            value = value()

        return value
"""


def given_values(prompt: str) -> dict[str, Any]:
    """What the prompt states: `self.default = 3` and `ctx.lookup_default(…)` returning `5`."""
    found: dict[str, Any] = {}
    for name, value in re.findall(r"`([\w.]+) = ([^`]+)`", prompt):
        found[name] = ast.literal_eval(value)
    for name, value in re.findall(r"`([\w.]+)\(…\)` returning `([^`]+)`", prompt):
        found[name + "()"] = ast.literal_eval(value)
    return found


def get_default_here(given: dict[str, Any]) -> Any:
    """click's get_default, run here with objects that give exactly what the prompt says."""
    ctx = SimpleNamespace(
        lookup_default=lambda *args, **kwargs: given["ctx.lookup_default()"],
        _default_map_has=lambda *args, **kwargs: given["ctx._default_map_has()"],
    )
    self = SimpleNamespace(name=given["self.name"], default=given["self.default"])
    value = ctx.lookup_default(self.name, call=False)
    if value is None and not ctx._default_map_has(self.name):
        value = self.default
    if callable(value):
        value = value()
    return value


def test_self_and_a_parameter_used_through_methods_get_stand_ins() -> None:
    code = quiz_code(GET_DEFAULT)
    plan = build_plan(code)
    assert plan is not None
    (target,) = plan.more_targets
    assert target.holders == ["self", "ctx"]
    assert [p.kind for p in target.parameters if not p.attribute] == [STAND_IN, "bool"]
    given = {p.name: (p.kind, p.called, p.none_checked) for p in target.required}
    # what the code does with the value tells its kind; `value is None` adds None to try
    assert given["ctx.lookup_default"] == ("int", True, True)
    assert given["ctx._default_map_has"] == ("bool", True, False)
    assert given["self.name"][0] == "str"

    questions = ReturnValue().generate(code)
    # every result is one of the values given: only inputs where two givens are among the
    # choices are asked (a key the prompt alone hands over would not decide)
    assert len(questions) >= 2
    assert not any(found_by_search(q, GET_DEFAULT) for q in questions)
    keys = set()
    for question in questions:
        values = given_values(question.prompt)
        # every value the code reads is stated
        assert set(values) == {
            "self.name",
            "self.default",
            "ctx.lookup_default()",
            "ctx._default_map_has()",
        }
        assert "what does `self.get_default(ctx)` return?" in question.prompt
        assert question.answer == repr(get_default_here(values))
        assert question.choices is not None and len(question.choices) == 4
        assert all(isinstance(ast.literal_eval(c), int) for c in question.choices)
        keys.add(question.answer)
    # by hand: with lookup_default giving None and _default_map_has False, the local default
    none_first = [q for q in questions if given_values(q.prompt)["ctx.lookup_default()"] is None]
    for question in none_first:
        values = given_values(question.prompt)
        if not values["ctx._default_map_has()"]:
            assert question.answer == repr(values["self.default"])
    assert len(keys) >= 2  # different paths, different results


def test_the_stand_in_classes_give_what_the_call_says() -> None:
    code = quiz_code(GET_DEFAULT)
    runs = region_runs(code)
    assert runs is not None
    (target,) = runs.all_targets
    order = [p.name for p in target.required]
    values = {
        "self.name": "x",
        "self.default": 7,
        "ctx.lookup_default": None,
        "ctx._default_map_has": False,
    }
    call = target.call(tuple(values[name] for name in order))
    outcome = code.sandbox.run(runs.plan.definitions + "\n\n" + _extras(runs), [call])[0]
    # by hand: None from lookup_default, nothing in the default map -> self.default
    assert outcome.value == "7"
    values["ctx._default_map_has"] = True
    call = target.call(tuple(values[name] for name in order))
    outcome = code.sandbox.run(runs.plan.definitions + "\n\n" + _extras(runs), [call])[0]
    assert outcome.value == "None"  # the default map has it: lookup_default's None stays


def _extras(runs: Any) -> str:
    return "\n\n".join(runs.plan.extra_definitions)


COUNTER = """\
class Counter:
    def bump(self, times: int) -> int:
        for _ in range(times):
            self.count += self.step
        if self.count > 10:
            self.count = 10
        return self.count * 2
"""


def test_a_method_may_store_on_self_and_read_it_back() -> None:
    questions = ReturnValue().generate(quiz_code(COUNTER))
    assert questions
    for question in questions:
        values = given_values(question.prompt)
        called = re.search(r"self\.bump\((-?\d+)\)", question.prompt)
        assert called is not None
        times = int(called.group(1))
        count = values["self.count"] + times * values["self.step"]  # by hand
        if count > 10:
            count = 10
        assert question.answer == repr(count * 2)


def test_an_object_used_otherwise_gets_no_stand_in() -> None:
    source = (
        "def render(ctx):\n    return ctx.command.name.upper()\n\n"  # three objects deep
        "def keep(ctx):\n    return [ctx, ctx.name]\n\n"  # an object in a list
        "def count(ctx):\n    ctx.total = 1\n    return ctx.total\n"  # stored on, not self
    )
    assert build_plan(quiz_code(source)) is None


def test_a_key_the_prompt_hands_over_does_not_decide() -> None:
    echo = Question(
        type="return-value",
        prompt="What does `self.convert(5, param, ctx)` return? (`convert` is on line 110.)",
        answer="5",
        explanation="",
        choices=("0", "1", "2", "5"),
    )
    assert found_by_search(echo, "return value")
    worked_out = Question(
        type="return-value",
        prompt="With `self.step = 3` and `self.count = 3`, what does `self.bump(3)` return?",
        answer="20",
        explanation="",
        choices=("12", "19", "20", "21"),
    )
    assert not found_by_search(worked_out, COUNTER)


HOSTILE = """\
class Probe:
    def peek(self, ctx):
        return ctx.__class__.__subclasses__()

    def frames(self, ctx):
        return ctx.f_globals["x"] + self.gi_frame

    def globals_of(self, ctx):
        return ctx.get_field("0.__globals__") + 1
"""


def test_stand_ins_never_carry_what_the_static_check_refuses() -> None:
    """Member names come from foreign code: a dunder gets no stand-in, and a stand-in with a
    refused name (f_globals, gi_frame, get_field) is never sent - the target is dropped before
    its class is written, and the batch is checked again as a whole."""
    code = quiz_code(HOSTILE)
    plan = build_plan(code)
    assert plan is None or not plan.all_targets
    assert region_runs(code) is None
