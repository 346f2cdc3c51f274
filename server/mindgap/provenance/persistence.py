"""Regions and last-known file contents, stored per developer in the SQLite store."""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass

from mindgap.ledger.database import Database
from mindgap.provenance.regions import Region

# Files larger than this are not snapshotted: diffing them on every outside change would
# cost more than it tells.
MAX_SNAPSHOT_CHARS = 1_000_000


@dataclass(frozen=True)
class FileState:
    """Everything persisted about one file: its foreign regions and its text at that time."""

    path: str
    regions: list[Region]
    line_spans: list[tuple[int, int]]  # (first line, last line) of each region, 0-based
    text: str | None
    # The origins whose stored regions this state replaces (those its writer read or made);
    # None: all of the file's. Regions another process stored meanwhile are kept.
    replacing: frozenset[str] | None = None


class RegionStore:
    def __init__(self, database: Database, developer: str) -> None:
        self.database = database
        self.developer = developer

    def load(self, path: str) -> list[Region]:
        rows = self.database.query(
            "SELECT * FROM regions WHERE developer = ? AND path = ? ORDER BY start_offset",
            (self.developer, path),
        )
        return [
            Region(
                start=row["start_offset"],
                end=row["end_offset"],
                text=row["text"],
                source=row["source"],
                tool=row["tool"],
                id=row["id"],
                origin_id=row["origin_id"],
                created_at=row["created_at"],
                state=row["state"],
            )
            for row in rows
        ]

    def paths_with_regions(self) -> list[str]:
        rows = self.database.query(
            "SELECT DISTINCT path FROM regions WHERE developer = ? ORDER BY path", (self.developer,)
        )
        return [row["path"] for row in rows]

    def save(self, state: FileState, replacing: Collection[str] | None = None) -> None:
        """Replace what is stored for the file with `state`, atomically.

        With `replacing` (origin ids), only stored regions of those origins - the ones this
        writer read or made - are replaced: regions another process (an agent's hook, an
        import) stored meanwhile are kept.
        """
        now = time.time()
        if replacing is None:
            replacing = state.replacing
        with self.database.transaction() as connection:
            if replacing is None:
                connection.execute(
                    "DELETE FROM regions WHERE developer = ? AND path = ?",
                    (self.developer, state.path),
                )
            else:
                owned = set(replacing) | {region.origin_id for region in state.regions}
                connection.executemany(
                    "DELETE FROM regions WHERE developer = ? AND path = ? AND origin_id = ?",
                    [(self.developer, state.path, origin) for origin in sorted(owned)],
                )
            connection.executemany(
                "INSERT OR REPLACE INTO regions (id, origin_id, developer, path, start_offset,"
                " end_offset, start_line, end_line, text, fingerprint, source, tool, state,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.id,
                        r.origin_id,
                        self.developer,
                        state.path,
                        r.start,
                        r.end,
                        first,
                        last,
                        r.text,
                        r.fingerprint,
                        r.source,
                        r.tool,
                        r.state,
                        r.created_at,
                        now,
                    )
                    for r, (first, last) in zip(state.regions, state.line_spans, strict=True)
                ],
            )
            if state.text is not None and len(state.text) <= MAX_SNAPSHOT_CHARS:
                connection.execute(
                    "INSERT OR REPLACE INTO snapshots (developer, path, text, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    (self.developer, state.path, state.text, now),
                )
            elif state.text is not None:
                # too large to keep: an older, smaller snapshot would be stale, and diffing
                # the file against it later would call everything since then foreign
                connection.execute(
                    "DELETE FROM snapshots WHERE developer = ? AND path = ?",
                    (self.developer, state.path),
                )

    def snapshot(self, path: str) -> str | None:
        rows = self.database.query(
            "SELECT text FROM snapshots WHERE developer = ? AND path = ?", (self.developer, path)
        )
        return rows[0]["text"] if rows else None

    def forget(self, path: str) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "DELETE FROM regions WHERE developer = ? AND path = ?", (self.developer, path)
            )
            connection.execute(
                "DELETE FROM snapshots WHERE developer = ? AND path = ?", (self.developer, path)
            )
