"""mutation: one operator or number changed, the mutant run in the sandbox, asked only where
its result differs; keys re-checked here by running the mutant's source ourselves."""

from __future__ import annotations

import contextlib

import pytest

from mindgap.gate.questions.exec_mutation import Mutation
from tests.unit.gate.test_exec_common import quiz_code, run_here

pytestmark = pytest.mark.usefixtures("os_sandbox")

SPLIT = """\
def split_opt(opt):
    first = opt[:1]
    if first.isalnum():
        return "", opt
    if opt[1:2] == first:
        return opt[:2], opt[2:]
    return first, opt[1:]
"""


def test_a_flipped_comparison() -> None:
    questions = Mutation().generate(quiz_code(SPLIT))
    flipped = next(q for q in questions if "`opt[1:2] != first`" in q.prompt)
    assert flipped.prompt == (
        "If line 5 read `opt[1:2] != first` instead of `opt[1:2] == first`, what would "
        "`split_opt('--all')` return?"
    )
    # by hand: '-' then '-' again; the mutant says "not equal" is false, so the last return
    assert flipped.answer == "('-', '-all')"
    mutant = SPLIT.replace("opt[1:2] == first", "opt[1:2] != first")
    assert repr(run_here(mutant, "split_opt('--all')")) == flipped.answer
    unmutated = repr(run_here(SPLIT, "split_opt('--all')"))
    assert unmutated == "('--', 'all')"
    assert flipped.choices is not None and unmutated in flipped.choices  # the misreading
    assert all(c.startswith("(") for c in flipped.choices)  # all pairs, like the key


RANGE = """\
def prefixes(p):
    parts = p.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
"""


def test_an_off_by_one_range() -> None:
    questions = Mutation().generate(quiz_code(RANGE))
    question = next(q for q in questions if "range(0, len(parts) + 1)" in q.prompt)
    call = question.prompt.split("what would `")[1].split("`")[0]
    mutant = RANGE.replace("range(1,", "range(0,")
    assert repr(run_here(mutant, call)) == question.answer
    assert repr(run_here(RANGE, call)) in (question.choices or ())
    assert repr(run_here(RANGE, call)) != question.answer  # asked only where it differs


def test_nothing_asked_when_no_input_tells_the_mutant_apart() -> None:
    same = "def double(n):\n    return n * 2 if n >= 0 else n * 2\n"
    assert all("`n > 0`" not in q.prompt for q in Mutation().generate(quiz_code(same)))


PREFIXES = """\
def prefixes(path):
    parts = path.split(".")
    found = []
    current = ""
    for part in parts:
        current = current + "." + part if current else part
        found.append(current)
    found.reverse()
    return found
"""


def test_which_line_if_deleted() -> None:
    question = next(
        q for q in Mutation().generate(quiz_code(PREFIXES)) if q.prompt.startswith("Which line")
    )
    call = question.prompt.split("`")[1]
    wanted = question.prompt.split("`")[3]
    line = int(question.answer.removeprefix("line "))
    lines = PREFIXES.splitlines()
    deleted = "\n".join(
        (text[: len(text) - len(text.lstrip())] + "pass") if n == line else text
        for n, text in enumerate(lines, start=1)
    )
    assert repr(run_here(deleted, call)) == wanted  # deleting that line gives it
    for choice in question.choices or ():  # deleting any other offered line does not
        other = int(choice.removeprefix("line "))
        if other == line:
            continue
        variant = "\n".join(
            (text[: len(text) - len(text.lstrip())] + "pass") if n == other else text
            for n, text in enumerate(lines, start=1)
        )
        with contextlib.suppress(NameError):  # a deletion that breaks the code differs too
            assert repr(run_here(variant, call)) != wanted


# click 8.4's `name.rsplit(".", 1)[0]` pattern (the module part of a dotted name)
MODULE_OF = """\
def module_of(path):
    return path.rsplit(".", 1)[0]
"""


def test_a_method_swapped_for_its_mirror_and_an_index_moved() -> None:
    """`rsplit` read as `split`, `[0]` read as `[1]`: each mutant is asked about an input
    with the separator, where its result differs; keys re-run here on the mutant's text."""
    questions = Mutation().generate(quiz_code(MODULE_OF))
    by_change = {q.prompt.split("`")[1]: q for q in questions}
    split = by_change["path.split('.', 1)"]
    assert split.prompt.startswith(
        "If line 2 read `path.split('.', 1)` instead of `path.rsplit('.', 1)`, what would "
    )
    index = by_change["path.rsplit('.', 1)[1]"]
    for question, mutant in (
        (split, MODULE_OF.replace("rsplit", "split")),
        (index, MODULE_OF.replace("[0]", "[1]")),
    ):
        call = question.prompt.split("what would `")[1].split("`")[0]
        assert repr(run_here(mutant, call)) == question.answer
        unmutated = repr(run_here(MODULE_OF, call))
        assert unmutated != question.answer and unmutated in (question.choices or ())
    # by hand, for the input with two separators: rsplit keeps 'a.b', split keeps 'a', and
    # the part after the last dot is 'c'
    assert "`module_of('a.b.c')`" in split.prompt and split.answer == "'a'"
    assert "`module_of('a.b.c')`" in index.prompt and index.answer == "'c'"
