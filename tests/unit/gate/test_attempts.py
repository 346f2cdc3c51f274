"""Attempts: the same code and attempt give the same quiz; shown questions never return;
two failed attempts advise hand-writing and a third waits for the cool-down."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindgap.gate.attempts import History, code_key, history, record_attempt
from mindgap.gate.quiz import build_quiz
from mindgap.gate.sandbox import prepare_sandbox
from mindgap.ledger.database import Database
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

SPLIT = """\
def split_path(p):
    parts = p.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value
"""


def document() -> SyntaxDocument:
    return SyntaxDocument("file:///t.py", SPLIT, language_named("python"))


@pytest.mark.skipif(prepare_sandbox("x = 1") is None, reason="no OS sandbox")
def test_fresh_questions_each_attempt_and_the_same_quiz_for_the_same_attempt() -> None:
    doc = document()
    first = build_quiz(doc, 0, len(SPLIT), attempt=1)
    assert first == build_quiz(doc, 0, len(SPLIT), attempt=1)
    shown = frozenset(q.fingerprint for q in first.questions)
    second = build_quiz(doc, 0, len(SPLIT), attempt=2, shown=shown)
    assert len(second.questions) >= 3
    assert not shown & {q.fingerprint for q in second.questions}
    third = build_quiz(
        doc, 0, len(SPLIT), attempt=3, shown=shown | {q.fingerprint for q in second.questions}
    )
    assert len(third.questions) >= 3
    assert all(q.decides_pass and q.kind == "tracing" for q in first.questions)


def test_history_from_the_ledger(tmp_path: Path) -> None:
    database = Database(tmp_path / "ledger.sqlite")
    assert history(database, "me", SPLIT) == History()
    record_attempt(database, "me", SPLIT, "t.py", attempt=1, shown=["a", "b"], passed=False)
    record_attempt(database, "me", SPLIT + "\n\n", "t.py", attempt=2, shown=["c"], passed=False)
    record_attempt(database, "other", SPLIT, "t.py", attempt=1, shown=["d"], passed=False)
    past = history(database, "me", SPLIT)
    assert past.attempts == 2 and past.failed == 2 and past.next_attempt == 3
    assert past.shown == {"a", "b", "c"}  # blank lines at the edges are the same code
    assert past.last_failed_at is not None
    assert past.refusal(10, now=past.last_failed_at + 60) is not None  # a minute later
    assert past.refusal(10, now=past.last_failed_at + 601) is None  # after the cool-down
    assert code_key(SPLIT) != code_key(SPLIT.replace("1", "2"))


def test_one_failed_attempt_is_not_refused() -> None:
    assert History(attempts=1, failed=1, last_failed_at=0.0).refusal(10, now=1.0) is None
    assert History(attempts=2, failed=1, last_failed_at=0.0).advice() is None


@pytest.mark.skipif(prepare_sandbox("x = 1") is None, reason="no OS sandbox")
def test_one_warm_up_only_for_a_construct_not_written_and_it_never_decides() -> None:
    from mindgap.gate.quiz import grade
    from mindgap.knowledge.unfamiliar import construct_hits

    doc = document()
    keys = frozenset(hit.construct.key for hit in construct_hits(doc, 0, len(SPLIT)))
    assert keys
    plain = build_quiz(doc, 0, len(SPLIT))
    assert not any(q.warmup for q in plain.questions)  # nothing says what is new: none
    warmed = build_quiz(doc, 0, len(SPLIT), unfamiliar=keys)
    warmups = [q for q in warmed.questions if q.warmup]
    assert len(warmups) == 1 and warmed.questions[0].warmup
    (warmup,) = warmups
    assert warmup.kind == "vocabulary" and not warmup.decides_pass
    assert set(warmup.constructs) & keys
    assert len(warmed.questions) <= 5
    right = {q.id: q.answer for q in warmed.questions}
    right[warmup.id] = "certainly not this"  # a wrong warm-up does not fail the quiz
    result = grade(warmed, right)
    assert result.passed and result.total == len(warmed.questions) - 1
