"""Members used as objects (`self.options.max_width`), members that are values used through
their own methods (`self.prog_name.replace(...)`), and objects the code only passes on
(opaque objects): targets built from real code, questions whose prompts state every given,
keys re-checked here by running the same logic in this process on objects built by hand.
An opaque object that is used after all marks the call, which then gives no key."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from mindgap.gate.questions.exec_common import build_plan, region_runs
from mindgap.gate.questions.exec_return_value import ReturnValue
from mindgap.gate.questions.exec_stand_ins import OPAQUE, STAND_IN, only_passed_on
from mindgap.gate.sandbox import Sandbox
from tests.sandbox_attacks import FORGED, World, attack_source
from tests.unit.gate.test_exec_common import quiz_code, run_here
from tests.unit.gate.test_exec_stand_ins import given_values
from tests.unit.gate.test_sandbox_walls import everything

pytestmark = pytest.mark.usefixtures("os_sandbox")

# click 8.4, shell_completion.py, ShellComplete.func_name (docstring left out)
FUNC_NAME = """\
import re


class ShellComplete:
    @property
    def func_name(self) -> str:
        safe_name = re.sub(r"\\W*", "", self.prog_name.replace("-", "_"), flags=re.ASCII)
        return f"_{safe_name}_completion"
"""


def test_a_member_used_through_str_methods_is_a_string() -> None:
    code = quiz_code(FUNC_NAME)
    plan = build_plan(code)
    assert plan is not None
    (target,) = plan.more_targets
    assert [(p.name, p.kind) for p in target.parameters] == [("self.prog_name", "str")]
    questions = ReturnValue().generate(code)
    assert len(questions) >= 2
    for question in questions:
        given = given_values(question.prompt)
        assert set(given) == {"self.prog_name"}
        assert "what is `self.func_name`?" in question.prompt  # a property: read, not called
        safe = re.sub(r"\W*", "", given["self.prog_name"].replace("-", "_"), flags=re.ASCII)
        assert question.answer == repr(f"_{safe}_completion")  # by hand, here
        assert question.choices is not None and question.answer in question.choices


# modelled on rich's renderables: options handed down by the console, read one level down
USAGE_WIDTH = """\
class Help:
    def usage_width(self, indent: int) -> int:
        width = self.options.max_width - indent
        if self.options.legacy_windows:
            width -= 1
        if width > self.limit:
            return self.limit
        return width
"""


def usage_width_here(given: dict[str, Any], indent: int) -> int:
    """The method itself, run in this process on a plain object holding the given values."""
    self = SimpleNamespace(
        options=SimpleNamespace(
            max_width=given["self.options.max_width"],
            legacy_windows=given["self.options.legacy_windows"],
        ),
        limit=given["self.limit"],
    )
    return run_here(USAGE_WIDTH, "Help.usage_width")(self, indent)


def test_a_member_used_as_an_object_is_a_stand_in_one_level_down() -> None:
    code = quiz_code(USAGE_WIDTH)
    plan = build_plan(code)
    assert plan is not None
    (target,) = plan.more_targets
    assert target.holders == ["self", "self.options"]
    kinds = {p.name: p.kind for p in target.parameters if p.required}
    assert kinds == {
        "self.options": STAND_IN,
        "self.limit": "int",
        "self.options.max_width": "int",
        "self.options.legacy_windows": "bool",
        "indent": "int",
    }
    questions = ReturnValue().generate(code)
    assert len(questions) >= 2
    keys = set()
    for question in questions:
        given = given_values(question.prompt)
        # every value the code reads is stated, by its full path
        assert set(given) == {"self.limit", "self.options.max_width", "self.options.legacy_windows"}
        called = re.search(r"`self\.usage_width\((-?\d+)\)`", question.prompt)
        assert called is not None
        assert question.answer == repr(usage_width_here(given, int(called.group(1))))
        keys.add(question.answer)
    assert len(keys) >= 2  # different paths, different results


def test_two_levels_down_or_a_member_used_both_ways_gets_no_stand_in() -> None:
    source = (
        "class A:\n"
        "    def deep(self):\n        return self.options.size.width + 1\n\n"
        "    def both(self, n: int):\n        self.options.check(n)\n"
        "        return self.options + n\n"
    )
    plan = build_plan(quiz_code(source))
    assert plan is None or not plan.all_targets


# click 8.4, types.py, Choice.get_invalid_choice_message (docstring left out)
INVALID_CHOICE = """\
from __future__ import annotations

from gettext import ngettext  # not run: the sandbox gives gettext's functions


class Choice:
    def get_invalid_choice_message(self, value: t.Any, ctx: Context | None) -> str:
        choices_str = ", ".join(map(repr, self._normalized_mapping(ctx=ctx).values()))
        return ngettext(
            "{value!r} is not {choice}.",
            "{value!r} is not one of {choices}.",
            len(self.choices),
        ).format(value=value, choice=choices_str, choices=choices_str)
"""


def invalid_choice_here(given: dict[str, Any], value: Any) -> str:
    choices_str = ", ".join(map(repr, given["self._normalized_mapping()"].values()))
    template = (
        "{value!r} is not {choice}."
        if len(given["self.choices"]) == 1
        else ("{value!r} is not one of {choices}.")
    )
    return template.format(value=value, choice=choices_str, choices=choices_str)


def test_a_parameter_only_passed_on_is_an_opaque_object_the_prompt_names() -> None:
    code = quiz_code(INVALID_CHOICE, (6, 13))
    plan = build_plan(code)
    assert plan is not None
    (target,) = plan.more_targets
    assert {p.name: p.kind for p in target.parameters if p.required}["ctx"] == OPAQUE
    assert "mindgap_opaque('ctx')" in target.call(plan.inputs[target.key][0])
    questions = ReturnValue().generate(quiz_code(INVALID_CHOICE, (6, 13)))
    assert questions
    for question in questions:
        assert "`ctx` an object it only passes on" in question.prompt
        given = given_values(question.prompt)
        called = re.search(r"`self\.get_invalid_choice_message\((.+), ctx\)`", question.prompt)
        assert called is not None
        value = eval(called.group(1), {})  # a literal the prompt shows
        assert question.answer == repr(invalid_choice_here(given, value))


def test_only_passed_on_means_arguments_and_stores_on_self() -> None:
    source = (
        "def f(a, b, c, d, e, g, h):\n"
        "    self.keep = h\n"
        "    helper(a, key=b)\n"
        "    type(c)\n"  # a builtin reads an object without touching it
        "    d.write('x')\n"
        "    helper(e)\n"
        "    return e\n"
        "def j(g):\n    return g\n"
    )
    module = __import__("ast").parse(source)
    f, j = module.body
    assert [only_passed_on(f, name) for name in "abcdeg"] == [True, True, False, False, True, False]
    assert only_passed_on(f, "h")  # stored on self: kept as it is
    assert not only_passed_on(j, "g")  # only returned: no call could give a key


# an opaque object that the code hands to a helper which does use it: every such call is
# reported as no outcome, whichever use it was and even when the helper catches it
TOUCHING = """\
def kind(thing):
    return isinstance(thing, dict)


def shown(thing):
    return "<" + str(thing) + ">"


def same(thing, other):
    try:
        return thing == other
    except BaseException:
        return "caught"


def counted(thing):
    return len({thing: 1})


def name_of(thing):
    return thing.name


def describe(item, n: int):
    if n > 2:
        return kind(item)
    if n > 1:
        return shown(item)
    if n > 0:
        return same(item, n)
    if n > -1:
        return counted(item)
    return name_of(item)
"""


def test_an_opaque_object_used_after_all_marks_the_call() -> None:
    code = quiz_code(TOUCHING)
    runs = region_runs(code)
    assert runs is not None
    (target,) = [t for t in runs.plan.all_targets if t.name == "describe"]
    assert {p.name: p.kind for p in target.parameters}["item"] == OPAQUE
    calls = [target.call((n,)) for n in (3, 2, 1, 0, -1)]
    outcomes = code.sandbox.run(
        "\n\n".join([runs.plan.definitions, *runs.plan.extra_definitions]), calls
    )
    assert [o.kind for o in outcomes] == ["error"] * 5
    assert ReturnValue().generate(quiz_code(TOUCHING)) == []
    assert not runs.plausible(target)


# rich 14, pretty.py, _Line.__str__: a special method runs like any method
LINE_STR = """\
from dataclasses import dataclass
from typing import Optional


@dataclass
class _Line:
    parent: Optional["_Line"] = None
    is_root: bool = False
    node: Optional[Node] = None
    text: str = ""
    suffix: str = ""
    whitespace: str = ""
    expanded: bool = False
    last: bool = False

    def __str__(self) -> str:
        if self.last:
            return f"{self.whitespace}{self.text}{self.node or ''}"
        else:
            return (
                f"{self.whitespace}{self.text}{self.node or ''}{self.suffix.rstrip()}"
            )
"""


def line_str_here(given: dict[str, Any]) -> str:
    self = SimpleNamespace(**{name[len("self.") :]: value for name, value in given.items()})
    if self.last:
        return f"{self.whitespace}{self.text}{self.node or ''}"
    return f"{self.whitespace}{self.text}{self.node or ''}{self.suffix.rstrip()}"


def test_a_special_method_is_a_target_like_any_method() -> None:
    questions = ReturnValue().generate(quiz_code(LINE_STR))
    assert len(questions) >= 2
    for question in questions:
        assert "what does `self.__str__()` return?" in question.prompt
        given = given_values(question.prompt)
        assert set(given) == {
            "self.last",
            "self.whitespace",
            "self.text",
            "self.node",
            "self.suffix",
        }
        assert question.answer == repr(line_str_here(given))
    # what is about the class itself or attribute lookup is not run with a stand-in `self`
    source = "class P:\n    def __getattr__(self, name):\n        return self.data + name\n"
    plan = build_plan(quiz_code(source))
    assert plan is None or not plan.all_targets


# click 8.4, _winconsole.py: a static method, called through its class
GET_ERROR_MESSAGE = """\
ERROR_SUCCESS = 0
ERROR_NOT_ENOUGH_MEMORY = 8


class _WindowsConsoleWriter:
    @staticmethod
    def _get_error_message(errno: int) -> str:
        if errno == ERROR_SUCCESS:
            return "ERROR_SUCCESS"
        elif errno == ERROR_NOT_ENOUGH_MEMORY:
            return "ERROR_NOT_ENOUGH_MEMORY"
        return _("Windows error: {error}").format(error=errno)
"""


def error_message_here(errno: int) -> str:
    if errno == 0:
        return "ERROR_SUCCESS"
    if errno == 8:
        return "ERROR_NOT_ENOUGH_MEMORY"
    return f"Windows error: {errno}"


# a class method whose `cls` is used through its members only: a stand-in, stated as such
WIDTHS = """\
class Columns:
    padding: int = 1
    minimum: int = 4

    @classmethod
    @lru_cache(maxsize=64)
    def fit(cls, widths: list[int], total: int) -> list[int]:
        gap = cls.padding * (len(widths) - 1)
        room = total - gap
        if sum(widths) <= room:
            return widths
        return [max(cls.minimum, width * room // sum(widths)) for width in widths]
"""


def fit_here(given: dict[str, Any], widths: list[int], total: int) -> list[int]:
    gap = given["cls.padding"] * (len(widths) - 1)
    room = total - gap
    if sum(widths) <= room:
        return widths
    return [max(given["cls.minimum"], width * room // sum(widths)) for width in widths]


def test_static_and_class_methods_are_called_through_their_class() -> None:
    questions = ReturnValue().generate(quiz_code(GET_ERROR_MESSAGE))
    assert questions
    for question in questions:
        called = re.search(
            r"`_WindowsConsoleWriter\._get_error_message\((-?\d+)\)`", question.prompt
        )
        assert called is not None and not question.prompt.startswith("With")
        assert question.answer == repr(error_message_here(int(called.group(1))))
    # a cache from functools changes no result: the method runs without it
    source = "from functools import lru_cache\n\n\n" + WIDTHS
    code = quiz_code(source)
    plan = build_plan(code)
    assert plan is not None
    (target,) = plan.more_targets
    assert target.holders == ["cls"] and target.stored == []
    questions = ReturnValue().generate(quiz_code(source))
    assert len(questions) >= 2
    for question in questions:
        given = given_values(question.prompt)
        assert set(given) == {"cls.padding", "cls.minimum"}
        called = re.search(r"`Columns\.fit\((\[[-\d, ]*\]), (-?\d+)\)`", question.prompt)
        assert called is not None
        widths = [int(w) for w in called.group(1).strip("[]").split(",") if w.strip()]
        assert question.answer == repr(fit_here(given, widths, int(called.group(2))))
    # a decorator of another name may change what the method does: not run
    other = "from mypkg import lru_cache\n\n\n" + WIDTHS
    plan = build_plan(quiz_code(other))
    assert plan is None or not plan.all_targets


# -- hostile code on the new paths ---------------------------------------------------------


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    planted = World(tmp_path)
    yield planted
    planted.close()


OPAQUE_ESCAPES = {
    "clears the mark an opaque object leaves, then forges a key": (
        "def helper(thing):\n"
        "    try:\n"
        "        thing.read()\n"
        "    except BaseException:\n"
        "        pass\n"
        "    mindgap_unavailable_reached.clear()\n"
        "    return FORGED\n\n\n"
        "def attack(n: int, stream) -> str:\n"
        "    return helper(stream)\n"
    ),
    "walks from the opaque object's class to the canary": (
        "def helper(thing):\n"
        "    for base in type(thing).__mro__:\n"
        "        pass\n"
        "    return open(CANARY).read()\n\n\n"
        "def attack(n: int, stream) -> str:\n"
        "    return helper(stream)\n"
    ),
    "a nested stand-in's member named like a frame's globals": (
        "class Probe:\n"
        "    def attack(self, n: int) -> str:\n"
        "        return self.frame.f_globals + n\n"
    ),
    "a special method reaching the class's subclasses": (
        "class Probe:\n"
        "    def __len__(self) -> int:\n"
        "        for kind in type(self).__subclasses__():\n"
        "            return len(open(CANARY).read()) + self.size\n"
        "        return self.size\n"
    ),
    "a stand-in member passed to a helper that opens the canary": (
        "def helper(thing):\n"
        "    return str(open(CANARY).read())\n\n\n"
        "class Probe:\n"
        "    def attack(self, n: int) -> str:\n"
        "        return helper(self.options.handle) + n\n"
    ),
}


@pytest.mark.parametrize("name", sorted(OPAQUE_ESCAPES))
def test_hostile_code_on_the_new_paths_gains_nothing(name: str, world: World) -> None:
    source = attack_source("return 'x'", world).split("\n\n\ndef attack")[0]
    source += "\n\n\n" + OPAQUE_ESCAPES[name]
    code = quiz_code(source)
    runs = region_runs(code)
    seen = ""
    if runs is not None:
        seen = " ".join(everything(o) for o in runs.outcomes.values())
        assert all(o.value != repr(FORGED) for o in runs.outcomes.values())
    plan = build_plan(quiz_code(source))
    if plan is not None:  # what would be sent, run past the first filter
        brought = "\n\n".join([plan.definitions, *plan.extra_definitions])
        calls = [t.call(plan.inputs[t.key][0]) for t in plan.all_targets]
        with Sandbox(rounds=1) as sandbox:
            seen += " ".join(everything(o) for o in sandbox.run_unchecked(brought, calls))
    assert world.check(seen) == []
