"""passes: what a function hands to a collaborator's method that only takes it in (a
stand-in method that does nothing, stated in the prompt); keys re-checked here by running
the code on objects built by hand that record what they are given."""

from __future__ import annotations

import ast
import re
from types import SimpleNamespace
from typing import Any

import pytest

from mindgap.gate.questions.exec_passes import Passes
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

# click 8.4, _termui_impl.py, ProgressBar.update (docstring left out; the file postpones
# annotations, so `V` needs no definition)
UPDATE = """\
from __future__ import annotations


class ProgressBar:
    def update(self, n_steps: int, current_item: V | None = None) -> None:
        if current_item is not None:
            self.current_item = current_item

        self._completed_intervals += n_steps

        if self._completed_intervals >= self.update_min_steps:
            self.make_step(self._completed_intervals)
            self.render_progress()
            self._completed_intervals = 0
"""


def update_here(self: Any, n_steps: int) -> None:
    """click's update, as written, on an object that records what make_step receives."""
    self._completed_intervals += n_steps
    if self._completed_intervals >= self.update_min_steps:
        self.make_step(self._completed_intervals)
        self.render_progress()
        self._completed_intervals = 0


def test_what_a_real_method_hands_on() -> None:
    questions = Passes().generate(quiz_code(UPDATE))
    assert questions
    for question in questions:
        given = dict(re.findall(r"`self\.(\w+) = ([^`]+)`", question.prompt))
        assert "`self.make_step(…)` doing nothing" in question.prompt
        assert "`self.render_progress(…)` doing nothing" in question.prompt
        steps = re.search(
            r"`self\.update\((-?\d+)\)` pass to `self\.make_step\(…\)`", question.prompt
        )
        assert steps is not None, question.prompt
        received: list[int] = []
        self = SimpleNamespace(
            _completed_intervals=ast.literal_eval(given["_completed_intervals"]),
            update_min_steps=ast.literal_eval(given["update_min_steps"]),
            make_step=received.append,
            render_progress=lambda: None,
        )
        update_here(self, int(steps.group(1)))
        assert question.answer == repr(received[0])
        # by hand: what make_step gets is the running count, once it reached the threshold
        count = ast.literal_eval(given["_completed_intervals"]) + int(steps.group(1))
        assert question.answer == repr(count)
        assert question.choices is not None and len(question.choices) == 4
        assert all(isinstance(ast.literal_eval(c), int) for c in question.choices)


HANDS_ON = """\
def forward(ctx, message: str):
    ctx.fail(message)
"""


def test_an_argument_handed_on_unchanged_does_not_decide() -> None:
    """`ctx.fail(message)`: the key is the given argument - a search of the prompt finds it."""
    from mindgap.gate.questions.base import found_by_search

    questions = Passes().generate(quiz_code(HANDS_ON))
    assert questions
    assert all(found_by_search(q, HANDS_ON) for q in questions)
