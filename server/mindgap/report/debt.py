"""The understanding debt: a pure function of the ledger's events and the current regions.

docs/debt.md is the reference; in short:

- A **foreign line** is a non-blank line of code the developer did not type. A **debt line**
  is a foreign line still present that the developer has not shown they understand: its
  region is `pending`, or `waived` (accepted without understanding: recorded debt, never
  hidden). Understood lines (a passed quiz, an explanation, a hand-write) are not debt.
- The current figures come from the current regions, which already follow the code: deleted
  foreign code has left them (and so leaves the debt), lines the developer retyped are cut
  out of them (they are the developer's now).
- **Weighted debt**: each debt region's lines count `1 + UNFAMILIAR_WEIGHT * u` times, where
  `u` is the number of distinct unfamiliar constructs in it, at most UNFAMILIAR_CAP: a region
  with two or more constructs the developer has never (or long not) written counts double.
- The **series** replays the events day by day (every fragment of one insertion shares its
  origin id); its last point, today, is the current regions.
- **Quizzes**: a region counts as passed once any quiz about it passed; the score that
  counts is the last passing attempt's (or the last attempt's, if none passed).

Nothing here reads a file, a database or the clock: callers pass everything in.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any, Protocol

from mindgap.report.model import (
    Accepted,
    DebtPoint,
    DebtReport,
    FileDebt,
    Gone,
    LeanedConstruct,
    QuizResults,
    QuizTally,
    RegionQuiz,
    StateLines,
    UnderstoodBy,
)

UNFAMILIAR_WEIGHT = 0.5
UNFAMILIAR_CAP = 2
WEEK_S = 7 * 86_400.0
MAX_SERIES_DAYS = 90
LEANING_MIN_REGIONS = 2  # "accepted often": in at least this many foreign regions

UNDERSTANDING_EVENTS = ("answered", "explained", "hand-written")
REMOVING_EVENTS = ("retyped", "deleted", "marked-mine")


class LedgerEvent(Protocol):
    """What the computation reads of an event (`ledger.events.Event` has it all)."""

    @property
    def kind(self) -> str: ...
    @property
    def region_id(self) -> str | None: ...
    @property
    def origin_id(self) -> str | None: ...
    @property
    def lines(self) -> int: ...
    @property
    def detail(self) -> dict[str, Any]: ...
    @property
    def time(self) -> float: ...


@dataclass(frozen=True)
class CurrentRegion:
    """A foreign region as the store holds it now, with what the analysis found in it."""

    id: str
    origin_id: str
    path: str
    state: str  # pending | understood | waived
    lines: int  # non-blank lines
    source: str = "unknown"
    constructs: tuple[str, ...] = ()  # construct keys, one per occurrence
    unfamiliar: tuple[str, ...] = ()  # distinct construct keys the developer is unfamiliar with


@dataclass(frozen=True)
class HandEvidence:
    """What the profile says about the developer writing one construct by hand."""

    count: int  # times written by hand (git history, typing in the editor)
    last: float | None  # epoch seconds of the latest, None if never
    familiar: bool  # the decay model's verdict today, over this hand-written evidence only


def weight(region: CurrentRegion) -> float:
    return 1 + UNFAMILIAR_WEIGHT * min(len(set(region.unfamiliar)), UNFAMILIAR_CAP)


def state_lines(regions: Iterable[CurrentRegion]) -> StateLines:
    count = foreign = understood = waived = pending = 0
    weighted = 0.0
    for region in regions:  # plain sums: this runs over every region of a large ledger
        count += 1
        foreign += region.lines
        if region.state == "understood":
            understood += region.lines
            continue
        if region.state == "waived":
            waived += region.lines
        else:
            pending += region.lines
        weighted += region.lines * weight(region)
    return StateLines(
        foreign_lines=foreign,
        understood_lines=understood,
        pending_lines=pending,
        waived_lines=waived,
        debt_lines=pending + waived,
        weighted_debt=round(weighted, 2),
        regions=count,
    )


def file_debts(regions: Iterable[CurrentRegion]) -> list[FileDebt]:
    """Per file, most unexplained foreign code (weighted) first."""
    by_path: dict[str, list[CurrentRegion]] = defaultdict(list)
    for region in regions:
        by_path[region.path].append(region)
    files = [
        FileDebt(
            path=path, **state_lines(found).model_dump(exclude={"regions"}), regions=len(found)
        )
        for path, found in by_path.items()
    ]
    return sorted(files, key=lambda f: (-f.weighted_debt, -f.debt_lines, f.path))


def compute_debt(
    developer: str,
    events: Sequence[LedgerEvent],
    regions: Sequence[CurrentRegion],
    *,
    now: float,
    profile: bool,
    hand: Mapping[str, HandEvidence] | None = None,
    names: Mapping[str, str] | None = None,
    utc_offset_s: float = 0.0,
) -> DebtReport:
    """The report for one developer. `events` in the order they happened; `hand` and `names`
    per construct key (from the profile and the catalogue); `profile` says whether a
    familiarity profile exists (without one, nothing is called unfamiliar or leaned on)."""
    return DebtReport(
        developer=developer,
        generated_at=datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="seconds"),
        profile=profile,
        current=state_lines(regions),
        accepted=_accepted(events, now),
        gone=_gone(events),
        understood_by=_understood_by(events, regions),
        series=debt_series(events, regions, now, utc_offset_s),
        files=file_debts(regions),
        leaning=_leaning(regions, hand or {}, names or {}, utc_offset_s) if profile else [],
        quiz=quiz_results(events, regions),
    )


def _accepted(events: Sequence[LedgerEvent], now: float) -> Accepted:
    week_start = now - WEEK_S
    inserted = [event for event in events if event.kind == "inserted"]
    this_week = [event for event in inserted if event.time >= week_start]
    return Accepted(
        this_week_lines=sum(event.lines for event in this_week),
        this_week_regions=len(this_week),
        all_lines=sum(event.lines for event in inserted),
        all_regions=len(inserted),
    )


def _gone(events: Sequence[LedgerEvent]) -> Gone:
    lines = {"deleted": 0, "retyped": 0, "marked-mine": 0}
    for event in events:
        if event.kind in lines:
            lines[event.kind] += event.lines
    return Gone(
        deleted_lines=lines["deleted"],
        retyped_lines=lines["retyped"],
        marked_mine_lines=lines["marked-mine"],
    )


def _passed(event: LedgerEvent) -> bool:
    return event.detail.get("passed") is True or event.detail.get("state") == "understood"


def _understood_by(events: Sequence[LedgerEvent], regions: Sequence[CurrentRegion]) -> UnderstoodBy:
    how: dict[str, str] = {}
    for event in events:
        if event.region_id and event.kind in UNDERSTANDING_EVENTS and _passed(event):
            how[event.region_id] = event.kind
    result = UnderstoodBy()
    for region in regions:
        if region.state != "understood":
            continue
        kind = how.get(region.id)
        if kind == "answered":
            result.quiz_lines += region.lines
        elif kind == "explained":
            result.explanation_lines += region.lines
        elif kind == "hand-written":
            result.hand_write_lines += region.lines
        else:
            result.other_lines += region.lines
    return result


class _Replay:
    """The debt as the events tell it, kept as running sums so each event costs O(1).

    Lines are counted per insertion (origin id: all fragments of one insertion share it);
    a fragment's state is kept by region id, with the lines it had when the state was set.
    """

    def __init__(self) -> None:
        self.origin_lines: dict[str, int] = {}
        self.fragments: dict[str, tuple[str, int]] = {}  # region id -> (state, lines)
        self.foreign = self.understood = self.waived = 0

    def apply(self, event: LedgerEvent) -> None:
        origin = event.origin_id or event.region_id or ""
        kind = event.kind
        if kind in ("inserted", "restored"):
            self._set_origin(origin, self.origin_lines.get(origin, 0) + event.lines)
        elif kind == "reclassified":  # the burst region is replaced by the reported one
            self._set_origin(origin, event.lines)
        elif kind in REMOVING_EVENTS:
            self._set_origin(origin, max(0, self.origin_lines.get(origin, 0) - event.lines))
            if event.region_id in self.fragments:
                state, lines = self.fragments.pop(event.region_id)
                self._count(state, -lines)
                left = (
                    0 if event.detail.get("vanished") or kind == "deleted" else lines - event.lines
                )
                if left > 0:
                    self.fragments[event.region_id] = (state, left)
                    self._count(state, left)
        elif (kind in UNDERSTANDING_EVENTS and _passed(event)) or kind == "waived":
            state = "waived" if kind == "waived" else "understood"
            if origin not in self.origin_lines:  # older ledgers: the insertion was not recorded
                self._set_origin(origin, event.lines)
            if event.region_id:
                previous = self.fragments.pop(event.region_id, None)
                if previous is not None:
                    self._count(previous[0], -previous[1])
                self.fragments[event.region_id] = (state, event.lines)
                self._count(state, event.lines)

    def _set_origin(self, origin: str, lines: int) -> None:
        self.foreign += lines - self.origin_lines.get(origin, 0)
        self.origin_lines[origin] = lines

    def _count(self, state: str, lines: int) -> None:
        if state == "understood":
            self.understood += lines
        else:
            self.waived += lines

    def point(self, day: date) -> DebtPoint:
        understood = min(self.understood, self.foreign)
        waived = min(self.waived, self.foreign - understood)
        pending = self.foreign - understood - waived
        return DebtPoint(
            date=day.isoformat(),
            foreign_lines=self.foreign,
            understood_lines=understood,
            pending_lines=pending,
            waived_lines=waived,
            debt_lines=pending + waived,
        )


def _day(moment: float, utc_offset_s: float) -> date:
    return datetime.fromtimestamp(moment + utc_offset_s, timezone.utc).date()


def _day_end(day: date, utc_offset_s: float) -> float:
    """The first moment (epoch seconds) after `day` in the report's time zone."""
    midnight = datetime.combine(day + timedelta(days=1), datetime.min.time(), timezone.utc)
    return midnight.timestamp() - utc_offset_s


def debt_series(
    events: Sequence[LedgerEvent],
    regions: Sequence[CurrentRegion],
    now: float,
    utc_offset_s: float = 0.0,
    max_days: int = MAX_SERIES_DAYS,
) -> list[DebtPoint]:
    """One point per day from the first event (at most `max_days` back) to today."""
    today = _day(now, utc_offset_s)
    first = _day(events[0].time, utc_offset_s) if events else today
    first = max(min(first, today), today - timedelta(days=max_days - 1))
    replay = _Replay()
    points: list[DebtPoint] = []
    position = 0
    day = first
    while day < today:
        end = _day_end(day, utc_offset_s)
        while position < len(events) and events[position].time < end:
            replay.apply(events[position])
            position += 1
        points.append(replay.point(day))
        day += timedelta(days=1)
    current = state_lines(regions)
    points.append(
        DebtPoint(
            date=today.isoformat(),
            foreign_lines=current.foreign_lines,
            understood_lines=current.understood_lines,
            pending_lines=current.pending_lines,
            waived_lines=current.waived_lines,
            debt_lines=current.debt_lines,
        )
    )
    return points


def _leaning(
    regions: Sequence[CurrentRegion],
    hand: Mapping[str, HandEvidence],
    names: Mapping[str, str],
    utc_offset_s: float,
) -> list[LeanedConstruct]:
    holding: dict[str, int] = defaultdict(int)
    occurrences: dict[str, int] = defaultdict(int)
    for region in regions:
        for key in set(region.constructs):
            holding[key] += 1
        for key in region.constructs:
            occurrences[key] += 1
    leaned = []
    for key, count in holding.items():
        evidence = hand.get(key, HandEvidence(0, None, False))
        if count < LEANING_MIN_REGIONS or evidence.familiar:
            continue
        leaned.append(
            LeanedConstruct(
                construct_key=key,
                name=names.get(key, key.split("/", 1)[-1]),
                regions=count,
                occurrences=occurrences[key],
                hand_written="never" if evidence.count == 0 else "no-longer",
                hand_written_count=evidence.count,
                last_hand_written=(
                    _day(evidence.last, utc_offset_s).isoformat()
                    if evidence.last is not None
                    else None
                ),
            )
        )
    return sorted(leaned, key=lambda c: (-c.regions, -c.occurrences, c.construct_key))


@dataclass
class _RegionQuizzes:
    attempts: int = 0
    passed: bool = False
    score: int = 0
    total: int = 0
    types: tuple[str, ...] = ()
    first_score: int = 0
    first_total: int = 0
    first_passed: bool = False


def quiz_results(events: Sequence[LedgerEvent], regions: Sequence[CurrentRegion]) -> QuizResults:
    """Per region quizzed: passed once any attempt passed; the last passing attempt's score
    counts, and the first attempt's is kept too (made before any answer was shown, it says
    most about understanding), with the attempts per region. By question type (from the quiz
    that was put) and by construct (of the region)."""
    asked: dict[str, tuple[str, ...]] = {}
    per_region: dict[str, _RegionQuizzes] = {}
    for event in events:
        if not event.region_id:
            continue
        if event.kind == "quizzed":
            asked[event.region_id] = tuple(str(t) for t in event.detail.get("questions") or ())
        elif event.kind == "answered":
            record = per_region.setdefault(event.region_id, _RegionQuizzes())
            record.attempts += 1
            passed = _passed(event)
            if record.attempts == 1:  # the first attempt: before any answer was shown
                record.first_score = int(event.detail.get("score") or 0)
                record.first_total = int(event.detail.get("total") or 0)
                record.first_passed = passed
            if passed or not record.passed:
                record.score = int(event.detail.get("score") or 0)
                record.total = int(event.detail.get("total") or 0)
                record.types = asked.get(event.region_id, record.types)
            record.passed = record.passed or passed
    constructs = {region.id: set(region.constructs) for region in regions}
    paths = {region.id: region.path for region in regions}
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_construct: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    results = QuizResults()
    for region_id, record in per_region.items():
        results.regions_quizzed += 1
        results.attempts += record.attempts
        results.regions_passed += record.passed
        results.right_answers += record.score
        results.questions += record.total
        results.first_attempt_passed += record.first_passed
        results.first_attempt_right += record.first_score
        results.first_attempt_questions += record.first_total
        results.regions.append(
            RegionQuiz(
                region_id=region_id,
                path=paths.get(region_id, ""),
                attempts=record.attempts,
                first_score=record.first_score,
                first_total=record.first_total,
                first_passed=record.first_passed,
                passed=record.passed,
            )
        )
        for key, into in [(t, by_type) for t in set(record.types)] + [
            (c, by_construct) for c in constructs.get(region_id, ())
        ]:
            into[key][0] += 1
            into[key][1] += record.passed
    results.regions.sort(key=lambda r: (-r.attempts, r.path, r.region_id))
    results.by_question_type = _tallies(by_type)
    results.by_construct = _tallies(by_construct)
    return results


def _tallies(counts: dict[str, list[int]]) -> list[QuizTally]:
    tallies = [QuizTally(key=key, regions=n, passed=p) for key, (n, p) in counts.items()]
    return sorted(tallies, key=lambda t: (-t.regions, t.key))
