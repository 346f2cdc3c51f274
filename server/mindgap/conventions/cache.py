"""The per-repository cache of mined conventions: per-file tallies and the repo-wide indexes.

A file of its own in the data directory (`conventions.sqlite3`), not the ledger: it holds
nothing that cannot be mined again, so when it is unreadable it is set aside, never trusted,
and learning just starts cold. Each file's tally is stored with the file's size, mtime and a
digest of its content (and of the foreign spans left out of it), so re-learning reads only
the files that changed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from mindgap.conventions.mining import FileTally
from mindgap.ledger.database import data_directory

log = logging.getLogger(__name__)

CACHE_NAME = "conventions.sqlite3"
# Bump when what a tally holds changes (a new observer, a changed one): old tallies are
# then dropped instead of being mixed with new ones.
CACHE_FORMAT = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    repo TEXT NOT NULL,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL,
    skipped TEXT,
    tally TEXT,
    PRIMARY KEY (repo, path)
);
CREATE TABLE IF NOT EXISTS indexes (
    repo TEXT NOT NULL,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (repo, name)
);
"""


@dataclass(frozen=True)
class CachedFile:
    size: int
    mtime_ns: int
    digest: str
    skipped: str | None  # why the file does not count, or None
    tally: FileTally | None


class ConventionCache:
    """Thread-safe; every failure is logged and treated as a cache miss."""

    def __init__(self, path: Path | None = None, observers_signature: str = "") -> None:
        self.path = path or data_directory() / CACHE_NAME
        self._lock = threading.RLock()
        self._connection: sqlite3.Connection | None = None
        self.problem: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = self._open()
            self._check_format(f"{CACHE_FORMAT}:{observers_signature}")
        except (OSError, sqlite3.Error) as error:
            self._set_aside(error)

    def _open(self) -> sqlite3.Connection:
        connection = sqlite3.connect(
            str(self.path), timeout=3, check_same_thread=False, isolation_level=None
        )
        connection.execute("PRAGMA journal_mode = WAL")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.executescript(_SCHEMA)
        return connection

    def _set_aside(self, error: Exception) -> None:
        """An unusable cache is renamed out of the way and a fresh one started; if even that
        fails, learning works without a cache."""
        log.warning("convention cache %s unusable (%s); starting a new one", self.path, error)
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        try:
            if self.path.exists():
                self.path.replace(
                    self.path.with_name(f"{self.path.name}.broken-{int(time.time())}")
                )
            self._connection = self._open()
        except (OSError, sqlite3.Error) as second:
            self.problem = f"convention cache {self.path} unusable: {second}; learning without it"
            log.warning("%s", self.problem)
            self._connection = None

    def _check_format(self, signature: str) -> None:
        assert self._connection is not None
        row = self._connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if row is None or row[0] != signature:
            with self._connection:
                self._connection.execute("DELETE FROM files")
                self._connection.execute("DELETE FROM indexes")
                self._connection.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('format', ?)", (signature,)
                )

    @property
    def usable(self) -> bool:
        return self._connection is not None

    def files(self, repo: str) -> dict[str, CachedFile]:
        rows = self._query(
            "SELECT path, size, mtime_ns, digest, skipped, tally FROM files WHERE repo = ?", (repo,)
        )
        found = {}
        for path, size, mtime_ns, digest, skipped, tally in rows:
            try:
                parsed = FileTally.from_json(json.loads(tally)) if tally else None
            except (ValueError, KeyError, TypeError):
                continue  # a damaged row is a miss: the file is read again
            found[path] = CachedFile(size, mtime_ns, digest, skipped, parsed)
        return found

    def store_files(self, repo: str, entries: dict[str, CachedFile], removed: list[str]) -> None:
        self._write(
            [
                ("DELETE FROM files WHERE repo = ? AND path = ?", [(repo, p) for p in removed]),
                (
                    "INSERT OR REPLACE INTO files (repo, path, size, mtime_ns, digest, skipped,"
                    " tally) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            repo,
                            path,
                            entry.size,
                            entry.mtime_ns,
                            entry.digest,
                            entry.skipped,
                            json.dumps(entry.tally.to_json()) if entry.tally else None,
                        )
                        for path, entry in entries.items()
                    ],
                ),
            ]
        )

    def index(self, repo: str, name: str) -> dict | None:
        rows = self._query("SELECT data FROM indexes WHERE repo = ? AND name = ?", (repo, name))
        if not rows:
            return None
        try:
            data = json.loads(rows[0][0])
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def store_index(self, repo: str, name: str, data: dict) -> None:
        self._write(
            [
                (
                    "INSERT OR REPLACE INTO indexes (repo, name, data, updated_at)"
                    " VALUES (?, ?, ?, ?)",
                    [(repo, name, json.dumps(data), time.time())],
                )
            ]
        )

    def _query(self, sql: str, parameters: tuple) -> list[tuple]:
        with self._lock:
            if self._connection is None:
                return []
            try:
                return self._connection.execute(sql, parameters).fetchall()
            except sqlite3.Error as error:
                log.warning("convention cache %s: %s", self.path, error)
                return []

    def _write(self, statements: list[tuple[str, list[tuple]]]) -> None:
        with self._lock:
            if self._connection is None:
                return
            try:
                with self._connection:
                    self._connection.execute("BEGIN")
                    for sql, rows in statements:
                        if rows:
                            self._connection.executemany(sql, rows)
            except sqlite3.Error as error:
                log.warning("convention cache %s not updated: %s", self.path, error)

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
