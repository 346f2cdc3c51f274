"""`mindgap explain`: exit 0 accepted, 1 refused, 2 usage; JSON verdicts; the follow-up
question answered right makes the stored region understood."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CLAMP = """\
def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value
"""


def explain(home: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINDGAP_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "mindgap", "explain", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def clamp(tmp_path: Path) -> Path:
    path = tmp_path / "clamp.py"
    path.write_text(CLAMP, encoding="utf-8")
    return path


GOOD = (
    "It keeps a number inside a range: below the lower bound it gives the lower bound,"
    " above the upper one the upper bound, otherwise the number itself."
)


def test_refused_explanations_exit_1(tmp_path: Path, clamp: Path) -> None:
    names = explain(tmp_path, f"{clamp}:1-6", "--text", "value, low, high")
    assert names.returncode == 1 and "names the code's parts" in names.stdout
    reversed_ = explain(
        tmp_path, f"{clamp}:1-6", "--text", "When value is greater than low it returns low."
    )
    assert reversed_.returncode == 1 and "the code tests `value < low`" in reversed_.stdout
    raised = explain(
        tmp_path,
        f"{clamp}:1-6",
        "--format",
        "json",
        "--text",
        "It raises ValueError when the bounds are the wrong way round.",
    )
    data = json.loads(raised.stdout)
    assert raised.returncode == 1 and data["verdict"] == "refused"
    assert data["contradictions"] == ["it says ValueError, which this code never raises"]


def test_usage_errors_exit_2(tmp_path: Path, clamp: Path) -> None:
    assert explain(tmp_path, f"{clamp}:1-6", "--text", "").returncode == 2
    assert explain(tmp_path, f"{tmp_path}/missing.py:1-2", "--text", GOOD).returncode == 2


def test_accepted_then_the_follow_up_decides(tmp_path: Path, clamp: Path) -> None:
    checked = explain(tmp_path, f"{clamp}:1-6", "--format", "json", "--text", GOOD)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    data = json.loads(checked.stdout)
    assert data["verdict"] == "check" and data["contradictions"] == []
    question = data["follow_up"]
    assert question["prompt"] and question["choices"] and "answer" not in question
    # answered wrong (from stdin, after a blank line): exit 1, and that question is spent
    wrong = next(c for c in question["choices"])
    home = tmp_path / "other"
    first = explain(home, f"{clamp}:1-6", "--format", "json", stdin=f"{GOOD}\n\n{wrong}\n")
    result = json.loads(first.stdout)
    right_answer = result["follow_up"]["answer"]
    if result["follow_up_correct"]:
        assert first.returncode == 0 and result["verdict"] == "passed"
    else:
        assert first.returncode == 1 and result["verdict"] == "check"
    again = explain(home, f"{clamp}:1-6", "--format", "json", "--text", GOOD)
    fresh = json.loads(again.stdout)["follow_up"]
    assert fresh["fingerprint"] != result["follow_up"]["fingerprint"]
    assert right_answer
