"""The decay model: pure functions from evidence (count, last time) to a verdict."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mindgap.config import Settings, SettingsError, resolve_settings
from mindgap.knowledge.familiarity import (
    DEFAULT_PARAMETERS,
    DecayParameters,
    assess,
    half_life_days,
    level_for,
    retention,
    to_timestamp,
)

NOW = datetime(2026, 4, 15, 12, 0, tzinfo=timezone.utc)


def ago(**delta: float) -> float:
    return (NOW - timedelta(**delta)).timestamp()


def test_written_fifty_times_last_month_is_familiar():
    verdict = assess(50, ago(days=20), NOW)
    assert verdict.level == "familiar"
    assert verdict.count == 50
    assert verdict.score > 0.95
    assert verdict.summary == "written 50 times, last 2026-03"


def test_written_once_three_years_ago_is_fading_with_its_month():
    verdict = assess(1, datetime(2023, 4, 10, tzinfo=timezone.utc).timestamp(), NOW)
    assert verdict.level == "fading"
    assert verdict.summary == "last written 2023-04"
    assert verdict.last_written == datetime(2023, 4, 10, tzinfo=timezone.utc)
    assert 0 < verdict.score < 0.05


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


def test_one_use_is_half_forgotten_after_the_base_half_life():
    assert retention(1, ago(days=180), NOW.timestamp()) == pytest.approx(0.5)
    assert level_for(0.5, 1) == "familiar"  # the threshold is inclusive
    assert assess(1, ago(days=181), NOW).level == "fading"


def test_the_half_life_grows_with_each_doubling_of_the_uses_up_to_a_cap():
    assert half_life_days(0) == 0.0
    assert half_life_days(1) == 180.0
    assert half_life_days(2) == 360.0
    assert half_life_days(8) == 720.0
    assert half_life_days(10**9) == DEFAULT_PARAMETERS.max_half_life_days


def test_repeated_use_slows_the_decay():
    two_years = ago(days=730)
    assert assess(1, two_years, NOW).level == "fading"
    assert assess(20, two_years, NOW).level == "familiar"


def test_future_evidence_counts_as_now():
    assert retention(3, ago(days=-5), NOW.timestamp()) == 1.0


def test_a_fading_threshold_lets_ancient_evidence_be_forgotten():
    strict = DecayParameters(fading_threshold=0.05)
    ten_years = ago(days=3650)
    assert assess(1, ten_years, NOW).level == "fading"
    assert assess(1, ten_years, NOW, strict).level == "unfamiliar"


def test_parameters_come_from_the_settings(tmp_path):
    (tmp_path / ".mindgap.toml").write_text(
        "familiarity-half-life-days = 30\nfamiliar-threshold = 0.8\nfading-threshold = 0.1\n"
        "familiarity-half-life-growth = 0.5\nfamiliarity-max-half-life-days = 400\n",
        encoding="utf-8",
    )
    parameters = DecayParameters.from_settings(resolve_settings(tmp_path))
    assert parameters == DecayParameters(30.0, 0.5, 400.0, 0.8, 0.1)
    assert assess(1, ago(days=20), NOW, parameters).level == "fading"
    assert DecayParameters.from_settings(Settings()) == DEFAULT_PARAMETERS


@pytest.mark.parametrize(
    "setting",
    [
        {"familiarity_half_life_days": 0},
        {"familiar_threshold": 1.5},
        {"fading_threshold": -0.1},
        {"familiarity_half_life_growth": -1},
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
