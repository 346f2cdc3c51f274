"""Attempts at one piece of code: which answers this developer has seen, and when to stop.

Feedback after a wrong answer shows the right one, `--with-answers` shows them all, and a
passed quiz has shown its own: those questions are never asked again about that code, so
the next attempt draws other inputs and mutants (GATE.md, "Attempts"). The code is known by
the hash of its text, wherever it lives. After two failed attempts the developer is invited
to hand-write it; a third attempt within `quiz_retry_cooldown_minutes` is refused with that
advice. Everything is a "quizzed" event in the ledger without a region (the debt report
reads regions' events only), its detail holding `code`, `attempt`, `shown` and the result.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass

from mindgap.ledger.database import Database
from mindgap.ledger.events import Event, append_events

FAILED_BEFORE_HANDWRITE = 2
HANDWRITE_ADVICE = (
    "Two attempts at this quiz did not pass: hand-writing the code (mindgap.handwrite, or "
    "type it yourself from the comment of what it must do) is the better way to learn it."
)


def code_key(text: str) -> str:
    """The code's identity: its text without trailing spaces and blank edges."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    digest = hashlib.sha256("\n".join(lines).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()[:24]


@dataclass(frozen=True)
class History:
    attempts: int = 0  # quizzes answered (or revealed) so far
    failed: int = 0  # of them not passed
    shown: frozenset[str] = frozenset()  # fingerprints of questions whose answer was shown
    last_failed_at: float | None = None

    @property
    def next_attempt(self) -> int:
        return self.attempts + 1

    def refusal(self, cooldown_minutes: float, now: float | None = None) -> str | None:
        """Why another attempt may not start now (None: it may)."""
        if self.failed < FAILED_BEFORE_HANDWRITE or self.last_failed_at is None:
            return None
        waited = ((now if now is not None else time.time()) - self.last_failed_at) / 60
        if waited >= cooldown_minutes:
            return None
        left = max(1, round(cooldown_minutes - waited))
        return f"{HANDWRITE_ADVICE} Another quiz in {left} minute{'s' if left != 1 else ''}."

    def advice(self) -> str | None:
        return HANDWRITE_ADVICE if self.failed >= FAILED_BEFORE_HANDWRITE else None


def history(database: Database, developer: str, text: str) -> History:
    key = code_key(text)
    # only this code's attempts are read (the detail is JSON with sorted keys: `"code": KEY`)
    rows = database.query(
        "SELECT time, detail FROM events WHERE developer = ? AND kind = 'quizzed'"
        " AND region_id IS NULL AND detail LIKE ? ORDER BY id",
        (developer, f'%"code": "{key}"%'),
    )
    attempts = failed = 0
    shown: set[str] = set()
    last_failed_at = None
    for row in rows:
        try:
            detail = json.loads(row["detail"])
        except (TypeError, ValueError):
            continue  # a damaged row loses its attempt, nothing else
        if not isinstance(detail, dict) or detail.get("code") != key:
            continue
        attempts += 1
        shown.update(str(s) for s in detail.get("shown") or ())
        if detail.get("passed") is False:
            failed += 1
            last_failed_at = float(row["time"])
    return History(attempts, failed, frozenset(shown), last_failed_at)


def record_attempt(
    database: Database,
    developer: str,
    text: str,
    path: str | None,
    *,
    attempt: int,
    shown: list[str],
    passed: bool | None,
    score: int = 0,
    total: int = 0,
    where: str = "terminal",
    question_types: list[str] | None = None,
) -> None:
    """One attempt: `passed` None when the answers were only revealed (--with-answers)."""
    detail = {
        "code": code_key(text),
        "attempt": attempt,
        "shown": sorted(set(shown)),
        "passed": passed,
        "score": score,
        "total": total,
        "where": where,
        "questions": question_types or [],
    }
    append_events(database, developer, [Event("quizzed", path, None, None, None, 0, detail)])
