"""`mindgap quiz` in a terminal: the code first, invalid answers asked again, and attempts
that never repeat a question whose answer was shown, then hand-writing advice and a wait."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

CLAMP = """\
def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value
"""


def quiz(path: Path, home: Path, answers: str, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "MINDGAP_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "mindgap", "quiz", f"{path}:1-6", *extra],
        input=answers,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def prompts(output: str) -> list[str]:
    return [line for line in output.splitlines() if line[:1].isdigit() and "/" in line[:4]]


def test_code_first_then_invalid_answers_asked_again(tmp_path: Path) -> None:
    path = tmp_path / "clamp.py"
    path.write_text(CLAMP, encoding="utf-8")
    done = quiz(path, tmp_path / "home", "\nzz\n" + "a\n" * 5)
    assert done.returncode == 1, done.stdout + done.stderr
    head = done.stdout.splitlines()
    assert head[0] == "The code:"
    assert head[1] == "1 | def clamp(value, low, high):"
    assert head[6] == "6 |     return value"
    # the empty line and "zz" were asked again: five graded answers, not seven
    assert done.stdout.count("(answer with one of") == 2
    graded = done.stdout.count("Right.") + done.stdout.count("Not quite:")
    assert graded == len(prompts(done.stdout)) >= 3


def test_retry_shares_no_shown_question_then_advice_then_wait(tmp_path: Path) -> None:
    path = tmp_path / "clamp.py"
    path.write_text(CLAMP, encoding="utf-8")
    home = tmp_path / "home"
    first = quiz(path, home, "a\n" * 5)
    second = quiz(path, home, "b\n" * 5)
    assert first.returncode == second.returncode == 1, first.stdout + second.stdout
    shown_first = {p.split(" ", 1)[1] for p in prompts(first.stdout)}
    shown_second = {p.split(" ", 1)[1] for p in prompts(second.stdout)}
    # fingerprints (prompt and key) differ; prompts of predict-the-result questions differ
    # in their inputs, so no predict question returns
    assert not {p for p in shown_first & shown_second if p.startswith("What does")}
    assert "hand-writing the code" in second.stdout
    third = quiz(path, home, "a\n" * 5)
    assert third.returncode == 1
    assert "Another quiz in 10 minutes" in third.stderr
    assert third.stdout == ""


def test_with_answers_counts_as_shown(tmp_path: Path) -> None:
    path = tmp_path / "clamp.py"
    path.write_text(CLAMP, encoding="utf-8")
    home = tmp_path / "home"
    revealed = quiz(path, home, "", "--format", "json", "--with-answers")
    after = quiz(path, home, "", "--format", "json", "--with-answers")
    keys = {(q["prompt"], q["answer"]) for q in json.loads(revealed.stdout)["questions"]}
    again = {(q["prompt"], q["answer"]) for q in json.loads(after.stdout)["questions"]}
    assert keys and not keys & again
    for question in json.loads(revealed.stdout)["questions"]:
        assert question["decides_pass"] is True and question["kind"] == "tracing"
