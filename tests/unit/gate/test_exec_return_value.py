"""return-value (predict the result): test-writer inputs, one per path, for functions,
methods, generators; keys re-checked here, distractors of the key's shape."""

from __future__ import annotations

import ast

import pytest

from mindgap.gate.questions.exec_common import region_runs
from mindgap.gate.questions.exec_return_value import ReturnValue
from tests.unit.gate.test_exec_common import package_code, quiz_code, run_here

pytestmark = pytest.mark.usefixtures("os_sandbox")

SPLIT = """\
def split_path(p):
    parts = p.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
"""


def by_prompt(questions):
    return {q.prompt.split("`")[1]: q for q in questions}


def test_inputs_use_the_separator_the_code_splits_on() -> None:
    questions = by_prompt(ReturnValue().generate(quiz_code(SPLIT)))
    question = questions["split_path('a.b.c')"]
    # by hand: prefixes joined back with dots
    assert question.answer == "['a', 'a.b', 'a.b.c']"
    assert repr(run_here(SPLIT, "split_path('a.b.c')")) == question.answer
    assert question.prompt == (
        "What does `split_path('a.b.c')` return? (`split_path` is defined on line 1.)"
    )
    assert question.choices is not None and len(question.choices) == 4
    for choice in question.choices:  # all lists of strings: nothing implausible at a glance
        value = ast.literal_eval(choice)
        assert isinstance(value, list) and all(isinstance(i, str) for i in value)
    # a neighbouring input's result is among the wrong choices
    others = {repr(run_here(SPLIT, f"split_path({s!r})")) for s in ("a.b", "a", ".a", "hello")}
    assert others & set(question.choices) - {question.answer}


CLAMP = """\
def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value
"""


def test_one_input_per_path() -> None:
    code = quiz_code(CLAMP)
    runs = region_runs(code)
    assert runs is not None
    (target,) = runs.all_targets
    ends = [o.line for _, _, o in runs.paths(target)]
    assert {3, 5, 6} <= set(ends)  # each return reached by some chosen input
    for question in ReturnValue().generate(code):
        call = question.prompt.split("`")[1]
        assert repr(run_here(CLAMP, call)) == question.answer


ROWS = """\
def iter_rows(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]
"""


def test_generator_first_three_values() -> None:
    questions = ReturnValue().generate(quiz_code(ROWS))
    assert questions
    for question in questions:
        assert question.prompt.startswith("What are the first three values `iter_rows(")
        call = question.prompt.split("`")[1]
        first_three = run_here(ROWS + "import itertools\n", f"list(itertools.islice({call}, 3))")
        assert repr(first_three) == question.answer


WRAPPER = """\
class Wrapper:
    def __init__(self, width: int, sep: str = "-"):
        self.width = width
        self.sep = sep

    def shorten(self, text):
        if len(text) > self.width:
            return text[: self.width] + self.sep
        return text
"""


def test_method_with_self_given_in_the_prompt() -> None:
    questions = ReturnValue().generate(quiz_code(WRAPPER))
    assert questions
    for question in questions:
        assert question.prompt.startswith("With `self.width = ")
        width = int(question.prompt.split("`self.width = ")[1].split("`")[0])
        sep = ast.literal_eval(question.prompt.split("`self.sep = ")[1].split("`")[0])
        text = ast.literal_eval(question.prompt.split("self.shorten(")[1].split(")`")[0])
        obj = run_here(WRAPPER, f"Wrapper({width}, {sep!r})")
        assert repr(obj.shorten(text)) == question.answer


THEME = """\
class Theme:
    def __init__(self, styles: dict):
        self.styles = styles

    @property
    def config(self) -> str:
        lines = [f"{name} = {style}" for name, style in sorted(self.styles.items())]
        return "[styles]\\n" + "\\n".join(lines)
"""


def test_a_property_is_read_not_called_and_its_lines_are_choices() -> None:
    # rich's Theme.config: a value of several lines reads well as a repr (`'a\\nb'`)
    questions = ReturnValue().generate(quiz_code(THEME))
    assert questions
    for question in questions:
        assert question.prompt.endswith("what is `self.config`? (`config` is defined on line 6.)")
        styles = ast.literal_eval(question.prompt.split("`self.styles = ")[1].split("`")[0])
        assert repr(run_here(THEME, f"Theme({styles!r})").config) == question.answer
    assert any("\\n" in q.answer for q in questions)


# flask 3.1: Request.blueprints (wrappers.py) hands its name to helpers.py's splitter
BLUEPRINT_FILES = {
    "helpers.py": (
        "def _split_blueprint_path(name: str) -> list[str]:\n"
        "    out: list[str] = [name]\n\n"
        '    if "." in name:\n'
        '        out.extend(_split_blueprint_path(name.rpartition(".")[0]))\n\n'
        "    return out\n"
    ),
    "wrappers.py": (
        "from .helpers import _split_blueprint_path\n\n\n"
        "class Request:\n"
        "    blueprint: str | None = None\n\n"
        "    @property\n"
        "    def blueprints(self) -> list[str]:\n"
        "        name = self.blueprint\n"
        "        if name is None:\n"
        "            return []\n"
        "        return _split_blueprint_path(name)\n"
    ),
}


def test_inputs_use_the_separator_of_the_helper_the_code_hands_them_to(tmp_path) -> None:
    # issue 12's example: `_split_blueprint_path('hello')` skips the logic; the "." the
    # helper (another file) looks for makes the inputs a test writer would choose
    code = package_code(tmp_path, BLUEPRINT_FILES, "wrappers.py", (4, 12))
    questions = ReturnValue().generate(code)
    dotted = [q for q in questions if "." in q.prompt.split("`self.blueprint = ")[1][:8]]
    assert dotted, [q.prompt for q in questions]
    for question in dotted:
        name = ast.literal_eval(question.prompt.split("`self.blueprint = ")[1].split("`")[0])
        parts = name.split(".")  # by hand: the name, then each shorter dotted prefix
        assert ast.literal_eval(question.answer) == [
            ".".join(parts[:i]) for i in range(len(parts), 0, -1)
        ]


def test_same_code_same_questions() -> None:
    first = ReturnValue().generate(quiz_code(SPLIT))
    again = ReturnValue().generate(quiz_code(SPLIT))
    assert first == again


FETCH = """\
async def fetch_total(numbers):
    total = 0
    for n in numbers:
        if n > 2:
            total += n
    return total
"""


def test_async_function_awaited() -> None:
    import asyncio

    questions = ReturnValue().generate(quiz_code(FETCH))
    assert questions
    for question in questions:
        assert question.prompt.startswith("What does `await fetch_total(")
        call = question.prompt.split("`await ")[1].split("`")[0]
        coroutine = run_here(FETCH, call)
        assert repr(asyncio.run(coroutine)) == question.answer  # by hand: the numbers above 2
