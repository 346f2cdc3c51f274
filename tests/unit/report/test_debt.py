"""The debt computation on constructed event histories (no store, no clock)."""

from __future__ import annotations

from datetime import datetime, timezone

from mindgap.ledger.events import Event
from mindgap.report.debt import (
    UNFAMILIAR_WEIGHT,
    CurrentRegion,
    HandEvidence,
    compute_debt,
)

DAY = 86_400.0
NOW = datetime(2026, 3, 20, 12, tzinfo=timezone.utc).timestamp()


def event(kind: str, region: str, lines: int, days_ago: float, origin: str = "", **detail) -> Event:
    return Event(
        kind=kind,  # type: ignore[arg-type]
        path="/repo/app.py",
        region_id=region,
        origin_id=origin or region,
        fingerprint="f-" + region,
        lines=lines,
        detail=detail,
        time=NOW - days_ago * DAY,
    )


def region(
    id: str, lines: int, state: str = "pending", path: str = "/repo/app.py", **more
) -> CurrentRegion:
    return CurrentRegion(
        id=id, origin_id=more.pop("origin", id), path=path, state=state, lines=lines, **more
    )


def report(events, regions, **options):
    return compute_debt("dev@example.com", events, regions, now=NOW, profile=False, **options)


def test_a_pending_insertion_is_debt_and_counts_as_accepted_this_week():
    result = report([event("inserted", "a", 10, 2)], [region("a", 10)])
    assert result.current.foreign_lines == 10
    assert result.current.pending_lines == 10
    assert result.current.debt_lines == 10
    assert result.accepted.this_week_lines == 10
    assert result.accepted.all_lines == 10


def test_an_old_insertion_is_accepted_in_all_but_not_this_week():
    result = report([event("inserted", "a", 4, 30), event("inserted", "b", 6, 1)], [])
    assert (result.accepted.this_week_lines, result.accepted.all_lines) == (6, 10)
    assert (result.accepted.this_week_regions, result.accepted.all_regions) == (1, 2)


def test_deleted_foreign_code_leaves_the_debt_but_stays_accepted():
    events = [event("inserted", "a", 10, 3), event("deleted", "a", 10, 1, vanished=True)]
    result = report(events, [])  # the store no longer holds the region
    assert result.current.debt_lines == 0
    assert result.accepted.all_lines == 10
    assert result.gone.deleted_lines == 10
    # the series shows the debt on the day it was there, and gone the day it was deleted
    by_day = {p.date: p.debt_lines for p in result.series}
    assert by_day["2026-03-17"] == 10
    assert by_day["2026-03-19"] == 0


def test_partly_retyped_code_is_the_developers_for_the_lines_retyped():
    events = [
        event("inserted", "a", 10, 3),
        event("retyped", "a", 3, 2, removed_chars=40, vanished=False),
    ]
    result = report(events, [region("a", 7)])
    assert result.current.foreign_lines == 7
    assert result.current.debt_lines == 7
    assert result.gone.retyped_lines == 3
    assert [p.foreign_lines for p in result.series[:3]] == [10, 7, 7]


def test_retyping_inside_an_understood_fragment_keeps_the_rest_understood_in_the_series():
    events = [
        event("inserted", "a", 10, 4),
        event("answered", "a", 10, 3, passed=True, score=3, total=3),
        event("retyped", "a", 2, 2, vanished=False),
    ]
    result = report(events, [region("a", 8, "understood")])
    day = {p.date: p for p in result.series}
    assert (day["2026-03-17"].understood_lines, day["2026-03-17"].debt_lines) == (10, 0)
    assert (day["2026-03-18"].understood_lines, day["2026-03-18"].foreign_lines) == (8, 8)


def test_waived_code_stays_debt_and_is_shown_as_waived():
    events = [event("inserted", "a", 5, 2), event("waived", "a", 5, 1, state="waived")]
    result = report(events, [region("a", 5, "waived")])
    assert result.current.waived_lines == 5
    assert result.current.pending_lines == 0
    assert result.current.debt_lines == 5  # never hidden
    assert result.series[-2].waived_lines == 5


def test_understood_code_is_not_debt_and_says_how_it_was_understood():
    events = [
        event("inserted", "a", 4, 3),
        event("inserted", "b", 6, 3),
        event("inserted", "c", 2, 3),
        event("explained", "a", 4, 2, passed=True, explanation="it sums"),
        event("hand-written", "b", 6, 2, passed=True, level="tokens"),
        event("answered", "c", 2, 2, passed=False, score=1, total=3),
    ]
    regions = [region("a", 4, "understood"), region("b", 6, "understood"), region("c", 2)]
    result = report(events, regions)
    assert result.current.understood_lines == 10
    assert result.current.debt_lines == 2
    assert result.understood_by.explanation_lines == 4
    assert result.understood_by.hand_write_lines == 6
    assert result.understood_by.quiz_lines == 0  # a failed quiz understands nothing


def test_repeated_quizzes_count_once_and_the_last_passing_attempt_scores():
    events = [
        event("inserted", "a", 5, 5),
        event("quizzed", "a", 5, 4, questions=["exec-return", "names"]),
        event("answered", "a", 5, 4, passed=False, score=1, total=2),
        event("quizzed", "a", 5, 3, questions=["exec-return", "names"]),
        event("answered", "a", 5, 3, passed=True, score=2, total=2),
        event("quizzed", "a", 5, 2, questions=["exec-return", "names", "branches"]),
        event("answered", "a", 5, 2, passed=False, score=0, total=3),
    ]
    regions = [region("a", 5, "understood", constructs=("python/lambda",))]
    quiz = report(events, regions).quiz
    assert quiz.regions_quizzed == 1
    assert quiz.attempts == 3
    assert quiz.regions_passed == 1
    assert (quiz.right_answers, quiz.questions) == (2, 2)  # the passing attempt, not the last
    types = {t.key: (t.regions, t.passed) for t in quiz.by_question_type}
    assert types == {"exec-return": (1, 1), "names": (1, 1)}
    assert [(t.key, t.passed) for t in quiz.by_construct] == [("python/lambda", 1)]
    # the first attempt, before any answer was shown, is kept apart
    assert (quiz.first_attempt_passed, quiz.first_attempt_right) == (0, 1)
    assert quiz.first_attempt_questions == 2
    (per_region,) = quiz.regions
    assert (per_region.attempts, per_region.first_score, per_region.first_total) == (3, 1, 2)
    assert per_region.passed and not per_region.first_passed


def test_unfamiliar_constructs_weigh_the_debt():
    plain = region("a", 10)
    one = region("b", 10, unfamiliar=("python/walrus",))
    many = region("c", 10, unfamiliar=("python/walrus", "python/match", "python/lambda"))
    understood = region("d", 10, "understood", unfamiliar=("python/walrus",))
    result = report([], [plain, one, many, understood])
    expected = 10 + 10 * (1 + UNFAMILIAR_WEIGHT) + 10 * (1 + 2 * UNFAMILIAR_WEIGHT)
    assert result.current.weighted_debt == expected
    assert result.current.debt_lines == 30  # the weight never changes the line count


def test_files_are_ordered_by_unexplained_foreign_code():
    regions = [
        region("a", 3, path="/repo/small.py"),
        region("b", 20, "understood", path="/repo/understood.py"),
        region("c", 8, path="/repo/big.py"),
        region("d", 2, "waived", path="/repo/big.py"),
    ]
    files = report([], regions).files
    assert [f.path for f in files] == ["/repo/big.py", "/repo/small.py", "/repo/understood.py"]
    assert (files[0].pending_lines, files[0].waived_lines, files[0].debt_lines) == (8, 2, 10)


def test_constructs_leaned_on_are_accepted_often_and_not_written_by_hand():
    regions = [
        region("a", 3, constructs=("python/lambda", "python/lambda", "python/walrus")),
        region("b", 3, constructs=("python/lambda", "python/f-string", "python/walrus")),
        region("c", 3, constructs=("python/f-string", "python/decorator")),
    ]
    hand = {
        "python/lambda": HandEvidence(0, None, False),
        "python/walrus": HandEvidence(3, NOW - 400 * DAY, False),
        "python/f-string": HandEvidence(50, NOW - DAY, True),
    }
    result = compute_debt(
        "dev@example.com", [], regions, now=NOW, profile=True, hand=hand, names={}
    )
    leaning = {c.construct_key: c for c in result.leaning}
    assert set(leaning) == {"python/lambda", "python/walrus"}  # f-string: familiar; decorator: once
    assert leaning["python/lambda"].hand_written == "never"
    assert leaning["python/lambda"].occurrences == 3
    assert leaning["python/walrus"].hand_written == "no-longer"
    assert leaning["python/walrus"].last_hand_written == "2025-02-13"


def test_without_a_profile_nothing_is_called_leaned_on():
    regions = [region(x, 1, constructs=("python/lambda",)) for x in "abc"]
    assert report([], regions).leaning == []


def test_the_series_runs_daily_to_today_which_is_the_current_state():
    events = [event("inserted", "a", 4, 10), event("inserted", "b", 6, 5)]
    result = report(events, [region("a", 4), region("b", 6, "waived")])
    assert len(result.series) == 11
    assert result.series[0].date == "2026-03-10"
    assert result.series[-1].date == "2026-03-20"
    assert result.series[0].debt_lines == 4
    assert result.series[6].debt_lines == 10
    assert result.series[-1].waived_lines == 6  # today: the regions as they are
