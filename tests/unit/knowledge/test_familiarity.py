"""The decay model: pure functions from evidence (count, last time) to a verdict."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from math import log

import pytest

from mindgap.config import Settings, SettingsError, resolve_settings
from mindgap.knowledge.familiarity import (
    DEFAULT_PARAMETERS,
    DecayParameters,
    assess,
    practice_days,
    retention,
    retrievability,
    stability_days,
    to_timestamp,
)

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=timezone.utc)


def ago(**delta: float) -> float:
    return (NOW - timedelta(**delta)).timestamp()


YEAR = 365.25


def test_written_fifty_times_last_month_is_familiar():
    verdict = assess(50, ago(days=20), NOW, first_written=ago(days=400))
    assert verdict.level == "familiar"
    assert verdict.count == 50 and verdict.days == 50
    assert verdict.score > 0.95
    assert verdict.summary == "written 50 times, last 2026-03"


def test_heavily_practised_five_years_ago_is_still_familiar():
    # 100 uses spread over three years, the last one five years ago
    verdict = assess(100, ago(days=5 * YEAR), NOW, first_written=ago(days=8 * YEAR))
    assert verdict.level == "familiar"
    assert verdict.stability_days > 365


def test_a_list_comprehension_written_36_times_until_2012_is_still_familiar():
    verdict = assess(
        36,
        datetime(2012, 12, 1, tzinfo=timezone.utc).timestamp(),
        NOW,
        first_written=datetime(2010, 6, 1, tzinfo=timezone.utc).timestamp(),
    )
    assert verdict.level == "familiar"


def test_written_once_five_years_ago_is_fading():
    verdict = assess(1, ago(days=5 * YEAR), NOW)
    assert verdict.level == "fading"
    assert verdict.days == 1
    assert verdict.summary.startswith("last written 2021-")


def test_written_once_four_years_ago_is_fading_with_its_month():
    verdict = assess(1, datetime(2022, 4, 10, tzinfo=timezone.utc).timestamp(), NOW)
    assert verdict.level == "fading"
    assert verdict.summary == "last written 2022-04"
    assert verdict.last_written == datetime(2022, 4, 10, tzinfo=timezone.utc)
    assert 0 < verdict.score < 0.5


def test_never_written_is_unfamiliar():
    verdict = assess(0, None, NOW)
    assert verdict.level == "unfamiliar"
    assert verdict.score == 0.0
    assert verdict.last_written is None and verdict.first_written is None
    assert verdict.summary == "never written by hand"


def test_written_once_yesterday_is_familiar():
    verdict = assess(1, ago(days=1), NOW)
    assert verdict.level == "familiar"
    assert verdict.summary == "written once, last 2026-04"


def test_one_use_stays_familiar_for_about_three_years():
    assert assess(1, ago(days=3 * YEAR), NOW).level == "familiar"
    assert assess(1, ago(days=3.5 * YEAR), NOW).level == "fading"


def test_the_forgetting_curve_is_a_power_law():
    assert retrievability(0, 30) == 1.0
    assert retrievability(30, 30) == pytest.approx(0.9)
    # a power law keeps a long tail: far more left after 10 stabilities than e^-10
    assert retrievability(300, 30) > 0.5 * retrievability(150, 30)


def test_spaced_days_build_more_stability_than_one_massed_afternoon():
    massed = stability_days(50, ago(days=400, hours=3), ago(days=400))
    spaced = stability_days(50, ago(days=400 + YEAR), ago(days=400))
    # one day of practice: 50 uses count, far less than 50 days would
    assert massed == pytest.approx(DEFAULT_PARAMETERS.initial_stability_days * (1 + 0.5 * log(50)))
    assert spaced > 1.5 * massed
    once = stability_days(1, ago(days=400), ago(days=400))
    assert once == DEFAULT_PARAMETERS.initial_stability_days < massed
    assert practice_days(50, ago(days=10), ago(days=0)) == (11, pytest.approx(1.0))
    assert practice_days(3, ago(days=300), ago(days=0))[0] == 3


def test_stability_grows_with_practice_up_to_the_ceiling():
    low = stability_days(5, ago(days=YEAR), ago(days=0))
    high = stability_days(40, ago(days=4 * YEAR), ago(days=0))
    assert DEFAULT_PARAMETERS.initial_stability_days < low < high
    capped = DecayParameters(max_stability_days=100)
    assert stability_days(4000, ago(days=30 * YEAR), ago(days=0), capped) == 100
    assert stability_days(0, None, None) == 0.0


def test_future_evidence_counts_as_now():
    assert retention(3, ago(days=-5), NOW.timestamp()) == 1.0


def test_a_fading_threshold_lets_ancient_evidence_be_forgotten():
    strict = DecayParameters(fading_threshold=0.35)
    ten_years = ago(days=3650)
    assert assess(1, ten_years, NOW).level == "fading"
    assert assess(1, ten_years, NOW, strict).level == "unfamiliar"


def test_familiar_related_practice_keeps_old_evidence_familiar():
    old = ago(days=5 * YEAR)
    assert assess(1, old, NOW, related=["a"]).level == "fading"
    assert assess(1, old, NOW, related=["a", "b"]).level == "familiar"
    never = assess(0, None, NOW, related=["a", "b"])
    assert never.level == "unfamiliar" and never.related == 2  # at most a lookup


def test_parameters_come_from_the_settings(tmp_path):
    (tmp_path / ".mindgap.toml").write_text(
        "familiarity-initial-stability-days = 2\nfamiliar-threshold = 0.8\n"
        "fading-threshold = 0.1\nfamiliarity-stability-growth = 3\n"
        "familiarity-max-stability-days = 400\nfamiliarity-related-min = 5\n",
        encoding="utf-8",
    )
    parameters = DecayParameters.from_settings(resolve_settings(tmp_path))
    assert parameters == DecayParameters(2.0, 3.0, 400.0, 0.8, 0.1, 5, 0.5)
    assert assess(1, ago(days=20), NOW, parameters).level == "fading"
    assert DecayParameters.from_settings(Settings()) == DEFAULT_PARAMETERS


@pytest.mark.parametrize(
    "setting",
    [
        {"familiarity_initial_stability_days": 0},
        {"familiar_threshold": 1.5},
        {"fading_threshold": -0.1},
        {"familiarity_stability_growth": -1},
        {"familiarity_related_min": -1},
    ],
)
def test_bad_parameters_are_refused(setting):
    with pytest.raises(SettingsError):
        resolve_settings(None, setting)


def test_the_verdict_carries_its_evidence_as_json():
    verdict = assess(3, ago(days=10), NOW, repos=["/b", "/a", "/a"], practised=1)
    assert verdict.repos == ("/a", "/b")
    dumped = verdict.model_dump(mode="json")
    assert dumped["level"] == "familiar"
    assert dumped["count"] == 3 and dumped["practised"] == 1
    assert dumped["last_written"].startswith("2026-04-05")


def test_times_are_epoch_seconds_or_datetimes():
    assert to_timestamp(NOW) == NOW.timestamp()
    assert to_timestamp(NOW.replace(tzinfo=None)) == NOW.timestamp()  # naive is UTC
    assert to_timestamp(12.5) == 12.5
    assert abs(to_timestamp(None) - datetime.now(timezone.utc).timestamp()) < 5
