"""The hand-write's decisions as the developer types, without a server: when to wait, when a
version is not equivalent yet, when to run the behaviour check, when to accept, and where the
original goes back (gate/handwrite_session.py's HandwriteSessions)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mindgap.gate.handwrite import Equivalence
from mindgap.gate.handwrite_session import (
    PASTED_INTO,
    HandwriteError,
    HandwriteSessions,
    expected_back,
    locate,
    restore_edit,
)
from mindgap.provenance.regions import Region
from tests.unit.gate.test_handwrite_session import AFTER, BEFORE, TOTAL, session_for

# the developer's version: the same code, typed again
SAME = TOTAL
# a different function: not equivalent by tokens, by tree or by behaviour
OTHER = "def total(prices: list[int], discount: int) -> int:\n    return 0\n"


def put_aside():
    """(book, session, the document with the block in place of TOTAL)."""
    session, text, start, end = session_for(TOTAL)
    book = HandwriteSessions()
    book.begin(session)
    return book, session, text[:start] + session.block + text[end:]


def typed_in(document: str, session, code: str) -> str:
    end_marker = document.index(session.end_marker)
    return document[:end_marker] + code + document[end_marker:]


def test_the_first_sight_of_the_block_says_what_an_undo_brings_back_and_which_lines_are_mindgaps():
    book, session, document = put_aside()
    first = book.follow(session, document, [], region_back=False)
    assert first.action == "wait" and first.first_seen  # nothing typed yet
    assert [document[a:b] for a, b in first.generated] == [session.block]
    original, region = expected_back(session)
    assert original == TOTAL and original[region.start : region.end] == TOTAL.rstrip()
    assert region.id == session.id
    again = book.follow(session, document, [], region_back=False)
    assert not again.first_seen and again.generated == ()


def test_a_version_not_equivalent_yet_counts_one_attempt_per_version():
    book, session, document = put_aside()
    session.calls = []  # no behaviour inputs (no sandbox): tokens and tree decide
    document = typed_in(document, session, OTHER)
    step = book.follow(session, document, [], region_back=False)
    assert step.action == "not-yet" and step.reason
    assert session.attempts == 1 and session.last_reason == step.reason
    # the same text again (a pause without typing): nothing new to judge
    assert book.follow(session, document, [], region_back=False).action == "wait"
    assert session.attempts == 1


def test_pasted_code_in_the_version_does_not_count():
    book, session, document = put_aside()
    document = typed_in(document, session, SAME)
    start = document.index(SAME)
    step = book.follow(session, document, [(start, start + len(SAME))], region_back=False)
    assert (step.action, step.reason) == ("not-yet", PASTED_INTO)


def test_a_burst_over_mindgaps_own_lines_is_no_paste_of_the_version():
    book, session, document = put_aside()
    document = typed_in(document, session, SAME)
    block_start = document.index(session.marker)
    burst = (block_start, block_start + len(session.marker) + 1)  # the first marker line
    assert book.follow(session, document, [burst], region_back=False).action == "accept"


def test_an_equivalent_version_is_accepted_where_it_stands_and_only_once():
    book, session, document = put_aside()
    document = typed_in(document, session, SAME)
    step = book.follow(session, document, [], region_back=False)
    assert step.action == "accept" and step.verdict is not None and step.typed == SAME
    accepted = book.accepting(session, document, step.typed)
    assert accepted is not None and session.state == "done"
    assert accepted.region.id == session.id
    assert document[accepted.region.start : accepted.region.end] == SAME
    cleaned = document
    for a, b in reversed(accepted.generated):
        cleaned = cleaned[:a] + cleaned[b:]
    assert cleaned == BEFORE + SAME + AFTER
    assert book.accepting(session, document, step.typed) is None  # done already
    assert book.open_in(session.uri) == []


def test_a_version_typed_on_meanwhile_is_not_accepted():
    book, session, document = put_aside()
    document = typed_in(document, session, SAME)
    step = book.follow(session, document, [], region_back=False)
    later = typed_in(document, session, "x = 1\n")
    assert book.accepting(session, later, step.typed) is None
    assert session.state == "open"


def test_the_behaviour_check_runs_once_and_its_verdict_decides():
    book, session, document = put_aside()
    session.calls = ["total([1, 2], 1)"]  # as the quiz planner would give them
    document = typed_in(document, session, OTHER)
    step = book.follow(session, document, [], region_back=False)
    assert step.action == "check-behaviour" and session.id in book.checking
    # typing goes on while it runs: no second check, a not-yet instead
    more = typed_in(document, session, "# more\n")
    assert book.follow(session, more, [], region_back=False).action == "not-yet"
    # the verdict for a version still in place decides
    same_outcomes = Equivalence("behaviour", "the same outcomes for 1 call")
    done = book.behaviour_checked(session, document, [], step.typed, same_outcomes)
    assert done.action == "accept" and session.id not in book.checking
    different = Equivalence(None, "total([1, 2], 1) returns 0, the original 2")
    assert book.behaviour_checked(session, document, [], step.typed, different).reason == (
        "total([1, 2], 1) returns 0, the original 2"
    )


def test_a_verdict_for_an_older_version_checks_the_version_now():
    book, session, document = put_aside()
    session.calls = ["total([1, 2], 1)"]
    step = book.follow(session, typed_in(document, session, OTHER), [], region_back=False)
    now = typed_in(document, session, SAME)
    stale = Equivalence("behaviour", "the same outcomes")
    assert book.behaviour_checked(session, now, [], step.typed, stale).typed == SAME


def test_an_undo_of_the_put_aside_closes_the_session_as_restored():
    book, session, document = put_aside()
    book.follow(session, document, [], region_back=False)
    original = BEFORE + TOTAL + AFTER
    assert book.follow(session, original, [], region_back=False).action == "wait"
    assert book.follow(session, original, [(0, 1)], region_back=True).action == "restored"
    never_seen = HandwriteSessions()
    assert never_seen.follow(session, original, [], region_back=True).action == "wait"


def test_the_original_goes_back_over_the_block_or_where_the_block_last_was():
    _, session, document = put_aside()
    edit = restore_edit(document, session)
    assert document[edit.start : edit.end] == session.block and edit.original == TOTAL
    assert edit.region.id == session.id
    gone = document.replace(session.block, "")
    edit = restore_edit(gone, session)
    assert edit.start == edit.end == len(BEFORE)  # the block's line
    assert (gone[: edit.start] + edit.original + gone[edit.end :]) == BEFORE + TOTAL + AFTER


def test_only_pending_code_in_a_parsed_language_can_be_put_aside():
    session, text, _, _ = session_for(TOTAL)
    region = Region(len(BEFORE), len(BEFORE) + len(TOTAL.rstrip()), TOTAL.rstrip(), "paste")
    book = HandwriteSessions()
    with pytest.raises(HandwriteError, match="already understood"):
        book.start("u", None, "python", text, object(), len, replace(region, state="understood"))
    with pytest.raises(HandwriteError, match="needs a language"):
        book.start("u", None, None, text, None, len, region)
    assert locate(text, session) is None  # nothing was put aside
