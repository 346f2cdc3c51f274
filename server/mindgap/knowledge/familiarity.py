"""The memory model: from a developer's evidence for one construct to how familiar it is.

Evidence is every time the developer wrote the construct by hand (in their own commits) or
passed a quiz or hand-write about it. The store keeps, per construct, how many uses there were
(`n`) and the first and last of them. The model follows the memory research that spaced
repetition schedulers (FSRS, used by Anki) are fitted to (docs/familiarity.md has the sources):

- Forgetting follows a power law, not an exponential: the probability of recalling after `t`
  days at stability `S` is  R(t, S) = (1 + FACTOR * t / S) ** DECAY  (FSRS-4.5's curve,
  R(S, S) = 0.9), so old, well-practised knowledge keeps a long tail.
- Stability grows with each use on a *new day*, and grows more when that use came after a
  long gap (the spacing effect: FSRS's  S' = S * (1 + a * S^-b * (e^(1-R) - 1))). Uses on
  the same day add nothing; many uses spread over years make a construct stable for decades.
- Several uses on one day help less than the same uses spread out, but they do help (ACT-R
  counts every presentation): a day with `m` uses starts at `1 + massed_gain * ln(m)` times
  the initial stability.
- The days of practice are the real ones: the store keeps, per construct, the distinct (UTC)
  days it was written on (profile.py), and stability is built over the real gaps between them.
  Evidence stored before the days were kept has only `n`, the first and the last use: its uses
  are taken as spread evenly between those, at most one per day (`n` uses over one afternoon
  are one day of practice).

Verdict: familiar when R at `now` >= `familiar_threshold`; fading (shown as a Hint) when below
it but ever written; unfamiliar (Information) when never written. A construct also draws on
related practice (profile.py): ever written and `related_min` related constructs familiar
(other APIs of the same library, the same construct family) is familiar; never written but
related practice is a lookup, at most a Hint. Everything here is a pure function.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import pairwise
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mindgap.config import Settings

Level = Literal["familiar", "fading", "unfamiliar"]
SECONDS_PER_DAY = 86_400.0

# FSRS-4.5's forgetting curve: R = (1 + FACTOR * t / S) ** DECAY, R(S, S) = 0.9
DECAY = -0.5
FACTOR = 0.9 ** (1 / DECAY) - 1  # = 19/81
# FSRS's saturation exponent (its w9): the more stable a memory, the less each use adds
SATURATION = 0.15
# Past this many distinct days of practice, more days add no information worth the loop
MAX_SIMULATED_DAYS = 2000


@dataclass(frozen=True)
class DecayParameters:
    """The model's parameters: the Settings fields `familiarity_*`, `*_threshold`."""

    initial_stability_days: float = 90.0
    stability_growth: float = 20.0
    max_stability_days: float = 36_500.0
    familiar_threshold: float = 0.5
    fading_threshold: float = 0.0
    related_min: int = 2
    massed_gain: float = 0.5

    @classmethod
    def from_settings(cls, settings: Settings) -> DecayParameters:
        return cls(
            initial_stability_days=settings.familiarity_initial_stability_days,
            stability_growth=settings.familiarity_stability_growth,
            max_stability_days=settings.familiarity_max_stability_days,
            familiar_threshold=settings.familiar_threshold,
            fading_threshold=settings.fading_threshold,
            related_min=settings.familiarity_related_min,
            massed_gain=settings.familiarity_massed_gain,
        )


DEFAULT_PARAMETERS = DecayParameters()


class Familiarity(BaseModel):
    """How well a developer knows one construct, with the evidence behind the verdict."""

    model_config = ConfigDict(frozen=True)

    level: Level
    count: int  # hand-written occurrences plus passed practice
    last_written: datetime | None  # the latest of them (UTC)
    repos: tuple[str, ...] = ()  # repositories with hand-written occurrences
    score: float  # retrievability in [0, 1] from this construct's own evidence
    practised: int = 0  # how many of `count` were quizzes or hand-writes
    first_written: datetime | None = None
    days: int = 0  # distinct days of practice the model counts
    stability_days: float = 0.0  # what those days built (0 without evidence)
    related: int = 0  # related constructs (same library, same family) that are familiar
    related_examples: tuple[str, ...] = ()  # a few of them, for the message
    related_familiar: bool = False  # the related practice, as a whole, is familiar

    @property
    def summary(self) -> str:
        """The evidence in a few words: "never written by hand", "last written 2023-04"."""
        if self.count == 0 or self.last_written is None:
            return "never written by hand"
        month = self.last_written.strftime("%Y-%m")
        if self.level == "familiar":
            times = "once" if self.count == 1 else f"{self.count} times"
            return f"written {times}, last {month}"
        return f"last written {month}"


def retrievability(age_days: float, stability: float) -> float:
    """The power-law forgetting curve: 1 at age 0, 0.9 at age == stability."""
    if stability <= 0:
        return 0.0
    return float((1.0 + FACTOR * max(0.0, age_days) / stability) ** DECAY)


def practice_days(count: int, first: float | None, last: float | None) -> tuple[int, float]:
    """Distinct days of practice and the gap between them (days), taking the `count` uses as
    spread evenly from `first` to `last`, at most one a day."""
    if count <= 0:
        return 0, 0.0
    if first is None or last is None or last <= first:
        return 1, 0.0
    span = (last - first) / SECONDS_PER_DAY
    days = max(1, min(count, int(span) + 1))
    return days, (span / (days - 1) if days > 1 else 0.0)


def stability_days(
    count: int,
    first: float | None,
    last: float | None,
    parameters: DecayParameters = DEFAULT_PARAMETERS,
    days: Sequence[int] | None = None,
) -> float:
    """The stability (days) that `count` uses built: on the distinct `days` (sorted day
    numbers) when they are known, else spread evenly between `first` and `last`."""
    if days:
        distinct = len(days)
        gaps = tuple(float(b - a) for a, b in pairwise(days))
        if distinct > MAX_SIMULATED_DAYS:  # the same span in fewer, wider steps
            step = (distinct - 1) / (MAX_SIMULATED_DAYS - 1)
            kept = [days[round(i * step)] for i in range(MAX_SIMULATED_DAYS)]
            gaps = tuple(float(b - a) for a, b in pairwise(kept))
    else:
        distinct, gap = practice_days(count, first, last)
        if distinct == 0:
            return 0.0
        simulated = min(distinct, MAX_SIMULATED_DAYS)
        if simulated < distinct:  # the same span in fewer, wider steps
            gap = gap * (distinct - 1) / (simulated - 1)
        gaps = (round(gap, 1),) * (simulated - 1)
    count = max(count, distinct)
    # several uses on one day count, less than spaced ones (ACT-R's massed presentations);
    # spreading the same uses over more days never makes them count less
    per_day = count / distinct
    massed = parameters.initial_stability_days * (1.0 + parameters.massed_gain * math.log(count))
    return max(
        min(massed, parameters.max_stability_days),
        _stability_over(
            gaps,
            parameters.initial_stability_days * (1.0 + parameters.massed_gain * math.log(per_day)),
            parameters.stability_growth,
            parameters.max_stability_days,
        ),
    )


def _stability_over(
    gaps: tuple[float, ...], initial: float, growth: float, ceiling: float
) -> float:
    if len(set(gaps)) <= 1:  # evenly spread (estimated): one cached simulation per shape
        return _stability(len(gaps) + 1, gaps[0] if gaps else 0.0, initial, growth, ceiling)
    return _stability_at(gaps, initial, growth, ceiling)


@functools.lru_cache(maxsize=4096)
def _stability_at(gaps: tuple[float, ...], initial: float, growth: float, ceiling: float) -> float:
    stability = min(initial, ceiling)
    for gap in gaps:
        stability = _grown(stability, gap, growth, ceiling)
    return stability


def _grown(stability: float, gap: float, growth: float, ceiling: float) -> float:
    """FSRS's update after one more day of practice `gap` days after the last one."""
    recall = retrievability(gap, stability)
    gain = growth * stability**-SATURATION * (math.exp(1.0 - recall) - 1.0)
    return min(ceiling, stability * (1.0 + gain))


@functools.lru_cache(maxsize=4096)
def _stability(days: int, gap: float, initial: float, growth: float, ceiling: float) -> float:
    stability = min(initial, ceiling)
    for _ in range(days - 1):
        stability = _grown(stability, gap, growth, ceiling)
    return stability


def retention(
    count: int,
    last_written: float | None,
    now: float,
    parameters: DecayParameters = DEFAULT_PARAMETERS,
    first_written: float | None = None,
    days: Sequence[int] | None = None,
) -> float:
    """The retrievability in [0, 1] at `now` (epoch seconds); 0 without evidence."""
    if count <= 0 or last_written is None:
        return 0.0
    stability = stability_days(count, first_written, last_written, parameters, days)
    return retrievability((now - last_written) / SECONDS_PER_DAY, stability)


def level_for(
    score: float,
    count: int,
    parameters: DecayParameters = DEFAULT_PARAMETERS,
    related_familiar: bool = False,
) -> Level:
    if count <= 0:
        return "unfamiliar"
    if score >= parameters.familiar_threshold:
        return "familiar"
    if related_familiar:
        return "familiar"  # written before, and fluent in the library or family around it
    if score >= parameters.fading_threshold:
        return "fading"
    return "unfamiliar"


def assess(
    count: int,
    last_written: float | None,
    now: float | datetime | None = None,
    parameters: DecayParameters = DEFAULT_PARAMETERS,
    *,
    repos: Iterable[str] = (),
    practised: int = 0,
    first_written: float | None = None,
    related: Iterable[str] = (),
    related_familiar: bool | None = None,
    days: Sequence[int] | None = None,
) -> Familiarity:
    """The verdict for `count` uses from `first_written` to `last_written` (epoch seconds;
    without a first, all on one day), on the distinct `days` (sorted day numbers, see
    `day_number`) when they are known. `related`: keys of related constructs the developer
    knows; `related_familiar`: whether that related practice is familiar (default: at least
    `related_min` of them)."""
    moment = to_timestamp(now)
    first = first_written if first_written is not None else last_written
    score = retention(count, last_written, moment, parameters, first, days)
    related_keys = tuple(related)
    if related_familiar is None:
        minimum = parameters.related_min
        related_familiar = minimum > 0 and len(related_keys) >= minimum
    distinct = len(days) if days else practice_days(count, first, last_written)[0]
    return Familiarity(
        level=level_for(score, count, parameters, related_familiar),
        count=max(0, count),
        last_written=to_datetime(last_written) if count > 0 else None,
        repos=tuple(sorted(set(repos))),
        score=round(score, 4),
        practised=practised,
        first_written=to_datetime(first) if count > 0 else None,
        days=distinct if count > 0 else 0,
        stability_days=round(stability_days(count, first, last_written, parameters, days), 1),
        related=len(related_keys),
        related_examples=related_keys[:3],
        related_familiar=related_familiar,
    )


def day_number(timestamp: float) -> int:
    """The (UTC) day a moment falls on, as days since 1970-01-01: how practice days are kept."""
    return math.floor(timestamp / SECONDS_PER_DAY)


def estimated_days(count: int, first: float | None, last: float | None) -> list[int]:
    """The days `count` uses between `first` and `last` are taken to fall on when only those
    three are known: spread evenly, at most one a day."""
    if count <= 0 or last is None:
        return []
    start = first if first is not None else last
    distinct, gap = practice_days(count, start, last)
    begin = day_number(start)
    return sorted({begin + math.floor(i * gap) for i in range(distinct)} | {day_number(last)})


def to_timestamp(moment: float | datetime | None) -> float:
    """Epoch seconds; None is now, a naive datetime is taken as UTC."""
    if moment is None:
        return datetime.now(timezone.utc).timestamp()
    if isinstance(moment, datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.timestamp()
    return float(moment)


def to_datetime(timestamp: float | None) -> datetime | None:
    if timestamp is None:
        return None
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)
