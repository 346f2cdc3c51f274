"""The append-only event ledger: every change to the life of a foreign region."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

from mindgap.ledger.database import Database

EventKind = Literal[
    "inserted",  # foreign code arrived (detail: source, tool)
    "reclassified",  # a client named the origin of a region first seen as a burst
    "moved",  # re-anchored after the file changed outside the editor
    "retyped",  # the developer typed over part of it: that part is theirs now
    "deleted",  # the code is gone (deleted in the editor, or missing when re-anchoring)
    "restored",  # deleted foreign code came back (an undo, or a cut and paste)
    "marked-mine",  # the developer said they wrote it
    "quizzed",  # a quiz was put to the developer (detail: question ids and types)
    "answered",  # the developer answered a quiz (detail: answers, score, passed)
    "explained",  # the developer explained it (detail: the explanation, coverage, passed)
    "hand-written",  # the developer retyped it by hand (detail: equivalence level)
    "waived",  # accepted without understanding: counted as debt, never hidden
]


@dataclass(frozen=True)
class Event:
    kind: EventKind
    path: str | None
    region_id: str | None
    origin_id: str | None
    fingerprint: str | None
    lines: int = 0
    detail: dict[str, Any] = field(default_factory=dict)
    time: float = field(default_factory=time.time)

    @classmethod
    def from_row(cls, row: Any) -> Event:
        """An event as the `events` table holds it (a sqlite3.Row)."""
        return cls(
            kind=row["kind"],
            path=row["path"],
            region_id=row["region_id"],
            origin_id=row["origin_id"],
            fingerprint=row["fingerprint"],
            lines=row["lines"],
            detail=json.loads(row["detail"]),
            time=row["time"],
        )


def append_events(database: Database, developer: str, events: list[Event]) -> None:
    if not events:
        return
    with database.transaction() as connection:
        connection.executemany(
            "INSERT INTO events (time, developer, kind, path, region_id, origin_id, fingerprint,"
            " lines, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    e.time,
                    developer,
                    e.kind,
                    e.path,
                    e.region_id,
                    e.origin_id,
                    e.fingerprint,
                    e.lines,
                    json.dumps(e.detail, sort_keys=True),
                )
                for e in events
            ],
        )


def read_events(database: Database, developer: str, path: str | None = None) -> list[Event]:
    sql = "SELECT * FROM events WHERE developer = ?"
    parameters: tuple = (developer,)
    if path is not None:
        sql += " AND path = ?"
        parameters += (path,)
    rows = database.query(sql + " ORDER BY id", parameters)
    return [Event.from_row(row) for row in rows]
