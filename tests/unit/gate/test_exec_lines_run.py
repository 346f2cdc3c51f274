"""lines-run: for one call, the one line among four that it runs (or never reaches), each
choice from a path of its own; which lines run is re-checked here with a trace of our own."""

from __future__ import annotations

import sys
from types import FrameType
from typing import Any

import pytest

from mindgap.gate.questions.exec_lines_run import LinesRun
from tests.unit.gate.test_exec_common import quiz_code

pytestmark = pytest.mark.usefixtures("os_sandbox")

# rich 14, padding.py: Padding.unpack as a function (a static method there)
UNPACK = """\
def unpack(pad: list[int]) -> tuple[int, int, int, int]:
    if len(pad) == 1:
        _pad = pad[0]
        return (_pad, _pad, _pad, _pad)
    if len(pad) == 2:
        pad_top, pad_right = pad
        return (pad_top, pad_right, pad_top, pad_right)
    if len(pad) == 4:
        top, right, bottom, left = pad
        return (top, right, bottom, left)
    raise ValueError(f"1, 2 or 4 integers required for padding; {len(pad)} given")
"""


def lines_run(source: str, call: str) -> set[int]:
    """The lines of `source` a call runs, traced here (not in the sandbox)."""
    namespace: dict[str, Any] = {}
    exec(compile(source, "<unpack>", "exec"), namespace)
    seen: set[int] = set()

    def tracer(frame: FrameType, event: str, arg: object) -> Any:
        if frame.f_code.co_filename == "<unpack>" and event == "line":
            seen.add(frame.f_lineno)
        return tracer

    sys.settrace(tracer)
    try:
        eval(call, namespace)
    except ValueError:
        pass
    finally:
        sys.settrace(None)
    return seen


def line_of(choice: str) -> int:
    """`line 4: `return x`` -> 4."""
    return int(choice.split(":")[0].removeprefix("line "))


def test_the_one_line_a_call_runs_among_lines_of_other_paths() -> None:
    questions = LinesRun().generate(quiz_code(UNPACK))
    assert questions
    for question in questions:
        call = question.prompt.split("When `")[1].split("` runs")[0]
        ran = lines_run(UNPACK, call)
        wanted = "run" if question.prompt.endswith("does it run?") else "never reach"
        assert question.choices is not None and len(question.choices) == 4
        for choice in question.choices:
            line = line_of(choice)
            assert ((line in ran) == (wanted == "run")) == (choice == question.answer)
        # each choice from another branch: no two choices are lines of one block
        branches = {3: 1, 4: 1, 6: 2, 7: 2, 9: 3, 10: 3, 11: 4}
        lines = [line_of(c) for c in question.choices]
        assert len({branches[n] for n in lines}) == 4


def test_lines_every_call_runs_are_never_choices() -> None:
    source = (
        "def label(n: int) -> str:\n"
        "    text = str(n)\n"
        "    if n > 10:\n"
        "        text += ' big'\n"
        "    elif n > 5:\n"
        "        text += ' mid'\n"
        "    elif n < 0:\n"
        "        text += ' negative'\n"
        "    else:\n"
        "        text += ' small'\n"
        "    return text\n"
    )
    questions = LinesRun().generate(quiz_code(source))
    assert questions
    for question in questions:
        lines = {line_of(c) for c in question.choices or ()}
        assert not lines & {2, 11}  # run by every call: nothing to trace
        assert lines <= {4, 6, 8, 10}


def test_a_helper_defined_inside_is_not_the_function_s_own_lines() -> None:
    # click's _unpack_args defines _fetch in its body: _fetch's lines run when it is
    # called, which is no path of the outer function's own
    source = (
        "def pick(items: list[int], last: bool) -> list[int]:\n"
        "    def fetch(c):\n"
        "        if last:\n"
        "            return c[-1]\n"
        "        return c[0]\n"
        "    out = []\n"
        "    if not items:\n"
        "        out.append(0)\n"
        "    elif len(items) == 1:\n"
        "        out.append(fetch(items))\n"
        "    elif len(items) == 2:\n"
        "        out.append(items[1])\n"
        "    else:\n"
        "        out.append(-1)\n"
        "    return out\n"
    )
    questions = LinesRun().generate(quiz_code(source))
    assert questions
    for question in questions:
        lines = {line_of(c) for c in question.choices or ()}
        assert not lines & {3, 4, 5}
