"""Foreign code recorded in a developer's store exactly as the server persists it, and the
`mindgap` command run as a user runs it (helpers for the report, team and gate tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from mindgap.ledger.database import DATABASE_NAME, Database
from mindgap.ledger.events import Event, append_events
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.regions import Region
from mindgap.provenance.tracker import file_state


def mindgap(
    *args: str, home: Path, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mindgap", *args],
        capture_output=True,
        text=True,
        input=stdin,
        env={**os.environ, "MINDGAP_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"},
        cwd=cwd,
        timeout=120,
        check=False,
    )


def record_foreign(
    home: Path,
    developer: str,
    path: Path,
    snippet: str,
    source: str = "inline-completion",
    tool: str | None = "copilot",
    state: str = "pending",
    explanation: str | None = None,
) -> Region:
    """The file holds `snippet`: store it as a foreign region (with its `inserted` event,
    and the state event when it is not pending), as the server does after an accept."""
    text = path.read_text(encoding="utf-8")
    start = text.index(snippet)
    region = Region(start, start + len(snippet), snippet, source, tool, state=state)
    database = Database(home / DATABASE_NAME)
    try:
        store = RegionStore(database, developer)
        kept = [r for r in store.load(str(path.resolve()))]
        store.save(
            file_state(str(path.resolve()), sorted([*kept, region], key=lambda r: r.start), text)
        )
        events = [
            Event(
                "inserted",
                str(path.resolve()),
                region.id,
                region.origin_id,
                region.fingerprint,
                region.line_count,
                {"source": source, "tool": tool},
                time.time(),
            )
        ]
        if state != "pending":
            kind = "waived" if state == "waived" else "explained"
            events.append(
                Event(
                    kind,
                    str(path.resolve()),
                    region.id,
                    region.origin_id,
                    region.fingerprint,
                    region.line_count,
                    {
                        "state": state,
                        "passed": state == "understood",
                        **({"explanation": explanation} if explanation else {}),
                    },
                    time.time(),
                )
            )
        append_events(database, developer, events)
    finally:
        database.close()
    return region
