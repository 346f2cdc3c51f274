"""state-after: what an attribute of `self` holds once a method ran (on a stand-in `self`
whose attributes the prompt states); keys re-checked here on objects built by hand."""

from __future__ import annotations

import ast
import re
from types import SimpleNamespace

import pytest

from mindgap.gate.questions.exec_state_after import StateAfter
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

# rich 14, progress_bar.py, ProgressBar.update (docstring left out)
UPDATE = """\
class ProgressBar:
    def update(self, completed: float, total: Optional[float] = None) -> None:
        self.completed = completed
        self.total = total if total is not None else self.total
"""


def update_here(self: SimpleNamespace, completed: float, total: float | None = None) -> None:
    self.completed = completed
    self.total = total if total is not None else self.total


def test_the_state_a_real_method_leaves() -> None:
    questions = StateAfter().generate(quiz_code(UPDATE))
    assert questions
    for question in questions:
        match = re.match(
            r"With `self\.total = ([^`]+)`, after `self\.update\(([^)]+)\)`, what is "
            r"`self\.(\w+)`\?",
            question.prompt,
        )
        assert match is not None, question.prompt
        before, completed, attribute = match.groups()
        self = SimpleNamespace(total=ast.literal_eval(before))
        update_here(self, ast.literal_eval(completed))
        assert question.answer == repr(getattr(self, attribute))
        # by hand: `total` is not passed, so the old total stays
        assert attribute != "total" or question.answer == before
        assert question.choices is not None and len(question.choices) == 4
        for choice in question.choices:  # numbers, like the key: nothing odd at a glance
            value = ast.literal_eval(choice)
            assert isinstance(value, (int, float)) and not isinstance(value, bool)


BAR = """\
class Bar:
    def __init__(self, length: int, width: int = 30):
        if length < 0:
            length = 0
        self.length = length
        self.width = min(width, 80)
        self.pos = 0
"""


def test_init_is_asked_about_through_what_it_settles() -> None:
    questions = StateAfter().generate(quiz_code(BAR))
    asked = {re.search(r"what is `self\.(\w+)`", q.prompt).group(1): q for q in questions}  # type: ignore[union-attr]
    # `width` and `pos` are the same for every input (width is not passed): nothing to trace
    assert set(asked) == {"length"}
    question = asked["length"]
    length = ast.literal_eval(re.search(r"self\.__init__\((-?\d+)\)", question.prompt).group(1))  # type: ignore[union-attr]
    assert question.answer == repr(max(length, 0))  # by hand: a negative length becomes 0
