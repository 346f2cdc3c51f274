"""The decay model: from a developer's evidence for one construct to how familiar it is.

Evidence is every time the developer wrote the construct by hand (in their own commits) or
passed a quiz or hand-write about it. From its number `n` and the time of the latest one:

    half_life(n) = min(max_half_life_days, half_life_days * (1 + half_life_growth * log2(n)))
    score        = 2 ** (-age_in_days / half_life(n))          (0 when n == 0)
    level        = familiar    if score >= familiar_threshold
                   fading      if score >= fading_threshold (and n > 0)
                   unfamiliar  otherwise

so one occurrence is half forgotten after `half_life_days`, and each doubling of the uses adds
`half_life_growth` half-lives more before it fades. docs/familiarity.md explains the choice
and the numbers. Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from mindgap.config import Settings

Level = Literal["familiar", "fading", "unfamiliar"]
SECONDS_PER_DAY = 86_400.0


@dataclass(frozen=True)
class DecayParameters:
    """The model's parameters; the Settings fields `familiarity_*` and `*_threshold`."""

    half_life_days: float = 180.0
    half_life_growth: float = 1.0
    max_half_life_days: float = 1825.0
    familiar_threshold: float = 0.5
    fading_threshold: float = 0.0

    @classmethod
    def from_settings(cls, settings: Settings) -> DecayParameters:
        return cls(
            half_life_days=settings.familiarity_half_life_days,
            half_life_growth=settings.familiarity_half_life_growth,
            max_half_life_days=settings.familiarity_max_half_life_days,
            familiar_threshold=settings.familiar_threshold,
            fading_threshold=settings.fading_threshold,
        )


DEFAULT_PARAMETERS = DecayParameters()


class Familiarity(BaseModel):
    """How well a developer knows one construct, with the evidence behind the verdict."""

    model_config = ConfigDict(frozen=True)

    level: Level
    count: int  # hand-written occurrences plus passed practice
    last_written: datetime | None  # the latest of them (UTC)
    repos: tuple[str, ...] = ()  # repositories with hand-written occurrences
    score: float  # retention in [0, 1]
    practised: int = 0  # how many of `count` were quizzes or hand-writes
    first_written: datetime | None = None

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


def half_life_days(count: int, parameters: DecayParameters = DEFAULT_PARAMETERS) -> float:
    """Days until the evidence of `count` uses is half forgotten (0 without evidence)."""
    if count <= 0:
        return 0.0
    grown = parameters.half_life_days * (1.0 + parameters.half_life_growth * math.log2(count))
    return min(parameters.max_half_life_days, grown)


def retention(
    count: int,
    last_written: float | None,
    now: float,
    parameters: DecayParameters = DEFAULT_PARAMETERS,
) -> float:
    """The score in [0, 1]: 1 just after writing, halving every `half_life_days(count)`."""
    if count <= 0 or last_written is None:
        return 0.0
    age_days = max(0.0, now - last_written) / SECONDS_PER_DAY
    return float(2.0 ** (-age_days / half_life_days(count, parameters)))


def level_for(score: float, count: int, parameters: DecayParameters = DEFAULT_PARAMETERS) -> Level:
    if count <= 0:
        return "unfamiliar"
    if score >= parameters.familiar_threshold:
        return "familiar"
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
) -> Familiarity:
    """The verdict for `count` uses, the latest at `last_written` (epoch seconds)."""
    moment = to_timestamp(now)
    score = retention(count, last_written, moment, parameters)
    return Familiarity(
        level=level_for(score, count, parameters),
        count=max(0, count),
        last_written=to_datetime(last_written) if count > 0 else None,
        repos=tuple(sorted(set(repos))),
        score=round(score, 4),
        practised=practised,
        first_written=to_datetime(first_written) if count > 0 else None,
    )


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
