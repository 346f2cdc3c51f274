"""The quiz in a real editor: headless Neovim, with no mindgap plugin, answers the
multiple-choice questions that `mindgap.quiz` asks through window/showMessageRequest.

The driver (neovim_quiz_driver.lua) stands in for the developer at `vim.fn.inputlist`, the
prompt Neovim shows for a message request; it is given the keys computed here with the
same quiz generator the server uses (the same code always gets the same quiz).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from mindgap.gate.quiz import build_quiz
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from tests.e2e.test_neovim import APP, INSERT_AT, nvim, run_neovim, workspace

pytestmark = pytest.mark.e2e

__all__ = ["nvim", "workspace"]  # fixtures shared with test_neovim.py

DRIVER = Path(__file__).with_name("neovim_quiz_driver.lua")
STEP_TIMEOUT_MS = 20_000  # the quiz runs the code in the sandbox first

BLOCK = [
    "",
    "",
    "def total(prices, discount):",
    "    result = 0",
    "    for price in prices:",
    "        if price < 0:",
    '            raise ValueError("negative price")',
    "        result += price",
    "    return result - discount",
]


def expected_keys() -> tuple[dict[str, str], int]:
    """{question prompt: right choice} of the quiz the server will ask, and how many."""
    lines = APP.split("\n")
    text = "\n".join(lines[:INSERT_AT] + BLOCK + lines[INSERT_AT:])
    code = "\n".join(BLOCK[2:])
    start = text.index(code)
    document = SyntaxDocument("file:///app.py", text, language_named("python"))
    quiz = build_quiz(document, start, start + len(code))
    asked = [q for q in quiz.questions if q.choices]
    return {q.prompt: q.answer for q in asked}, len(asked)


def test_a_quiz_asked_by_message_requests_is_answered_in_neovim(
    nvim: str, workspace: Path, tmp_path: Path
) -> None:
    answers, count = expected_keys()
    assert count >= 1, "the quiz has multiple-choice questions for Neovim to answer"
    steps = {
        "block": BLOCK,
        "insert_at": INSERT_AT,
        "answers": answers,
        "timeout_ms": STEP_TIMEOUT_MS,
    }
    run = run_neovim(nvim, tmp_path, workspace / "app.py", steps, driver=DRIVER)
    result, report = run.result, run.report()
    home = tmp_path / "mindgap-home"

    # Neovim showed every multiple-choice question, and the right choice was among them
    assert len(result["asked"]) == count, report
    assert all(item["message"].startswith("mindgap quiz ") for item in result["asked"])
    assert all(item["picked"] >= 1 for item in result["asked"]), report
    assert result["reply"]["err"] is None or result["reply"]["err"] == {}, report
    assert result["reply"]["answer"]["passed"] is True

    inserted, answered = result["steps"][0], result["steps"][-1]
    assert "not yet understood" in inserted["region"]["message"]
    assert answered["name"] == "answered"
    assert answered["region"]["message"].endswith("- understood")
    assert answered["region"]["data"]["state"] == "understood"

    # and the ledger holds the passed quiz with its answers
    database = sqlite3.connect(home / "mindgap.sqlite3")
    try:
        rows = database.execute(
            "SELECT detail FROM events WHERE kind = 'answered' ORDER BY id"
        ).fetchall()
    finally:
        database.close()
    details = [json.loads(row[0]) for row in rows]
    assert details and details[-1]["passed"] is True and details[-1]["state"] == "understood"
    assert details[-1]["answers"] == {
        key: value for key, value in details[-1]["answers"].items() if value in answers.values()
    }
