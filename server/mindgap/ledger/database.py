"""The SQLite file that holds a developer's regions, events and file snapshots.

One file in the data directory, in WAL mode so that the server and the command line can
read and write it at once. A file that is corrupt, locked or from a newer mindgap is never
overwritten or moved: the caller gets a `StoreError` that says what happened and where the
file is, and can carry on without persistence.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DATABASE_NAME = "mindgap.sqlite3"
BUSY_TIMEOUT_MS = 3000

# Each entry migrates the schema from version i to i + 1; never edit one that has shipped.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE regions (
        id TEXT PRIMARY KEY,
        origin_id TEXT NOT NULL,
        developer TEXT NOT NULL,
        path TEXT NOT NULL,
        start_offset INTEGER NOT NULL,
        end_offset INTEGER NOT NULL,
        start_line INTEGER NOT NULL,
        end_line INTEGER NOT NULL,
        text TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        source TEXT NOT NULL,
        tool TEXT,
        state TEXT NOT NULL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL
    );
    CREATE INDEX regions_by_file ON regions (developer, path);
    CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        time REAL NOT NULL,
        developer TEXT NOT NULL,
        kind TEXT NOT NULL,
        path TEXT,
        region_id TEXT,
        origin_id TEXT,
        fingerprint TEXT,
        lines INTEGER NOT NULL DEFAULT 0,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX events_by_developer ON events (developer, time);
    CREATE TABLE snapshots (
        developer TEXT NOT NULL,
        path TEXT NOT NULL,
        text TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (developer, path)
    );
    """,
    # 2: the familiarity profile. Developers are stored lower-cased (emails); `source` says
    # whether the evidence was written by hand ("hand") or came in AI-assisted commits
    # ("assisted", never familiarity evidence). Times are epoch seconds.
    """
    CREATE TABLE construct_evidence (
        developer TEXT NOT NULL,
        construct TEXT NOT NULL,
        repo TEXT NOT NULL,
        source TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_written REAL NOT NULL,
        last_written REAL NOT NULL,
        PRIMARY KEY (developer, construct, repo, source)
    );
    CREATE TABLE construct_practice (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        developer TEXT NOT NULL,
        construct TEXT NOT NULL,
        kind TEXT NOT NULL,
        time REAL NOT NULL
    );
    CREATE INDEX construct_practice_by_developer ON construct_practice (developer, construct);
    CREATE TABLE history_progress (
        developer TEXT NOT NULL,
        repo TEXT NOT NULL,
        emails TEXT NOT NULL,
        last_commit TEXT NOT NULL,
        commits INTEGER NOT NULL,
        assisted_commits INTEGER NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (developer, repo)
    );
    """,
    # hand-writes in progress: the foreign code put aside while the developer types their
    # own version (`record` is gate/handwrite_session.py's HandwriteSession as JSON)
    """
    CREATE TABLE handwrites (
        id TEXT NOT NULL,
        developer TEXT NOT NULL,
        path TEXT NOT NULL,
        state TEXT NOT NULL,
        record TEXT NOT NULL,
        updated_at REAL NOT NULL,
        PRIMARY KEY (developer, id)
    );
    CREATE INDEX handwrites_by_file ON handwrites (developer, path, state);
    """,
    # the constructs found in a piece of foreign code, by the hash of its exact text, for the
    # debt report (report/ledger_input.py); `catalogue` is a digest of the language's query
    # file, so that rows from another catalogue are recomputed, never trusted
    """
    CREATE TABLE construct_cache (
        text_hash TEXT NOT NULL,
        language TEXT NOT NULL,
        catalogue TEXT NOT NULL,
        constructs TEXT NOT NULL,
        PRIMARY KEY (text_hash, language)
    );
    """,
    # 5: the familiarity profile keeps the distinct days each construct was written on
    # (`days`: knowledge/profile.py's encoding; NULL in rows written before, whose days are
    # estimated), and the commits an interrupted profile update had read (`history_read`),
    # so that the next update goes on from there
    """
    ALTER TABLE construct_evidence ADD COLUMN days BLOB;
    CREATE TABLE history_read (
        developer TEXT NOT NULL,
        repo TEXT NOT NULL,
        sha TEXT NOT NULL,
        assisted INTEGER NOT NULL,
        PRIMARY KEY (developer, repo, sha)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be used; the message says why and what to do. Nothing was lost."""


class DatabaseCorrupt(StoreError):
    pass


class DatabaseLocked(StoreError):
    pass


def data_directory() -> Path:
    """MINDGAP_HOME, else the platform's per-user data directory."""
    if home := os.environ.get("MINDGAP_HOME"):
        return Path(home).expanduser()
    if xdg := os.environ.get("XDG_DATA_HOME"):
        return Path(xdg) / "mindgap"
    if os.name == "nt" and (appdata := os.environ.get("LOCALAPPDATA")):
        return Path(appdata) / "mindgap"
    return Path.home() / ".local" / "share" / "mindgap"


def default_database_path() -> Path:
    return data_directory() / DATABASE_NAME


class Database:
    """A connection to the store, safe to share between the event loop and one worker."""

    def __init__(self, path: Path | str | None = None, integrity_check: bool = True) -> None:
        """`integrity_check=False` skips the quick_check, whose cost grows with the file:
        for the agent hook, which must finish in milliseconds and only appends."""
        self.path = Path(path) if path is not None else default_database_path()
        self._integrity_check = integrity_check
        self._lock = threading.RLock()
        in_memory = str(self.path) == ":memory:"
        if not in_memory:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise StoreError(
                    f"cannot create the data directory {self.path.parent}: {error}"
                ) from error
            self._create_or_check()
        try:
            self._connection = sqlite3.connect(
                str(self.path),
                timeout=BUSY_TIMEOUT_MS / 1000,
                check_same_thread=False,
                isolation_level=None,
            )
            self._prepare(in_memory)
        except sqlite3.Error as error:
            self._close_quietly()
            raise self._explain(error) from error
        except StoreError:
            self._close_quietly()
            raise

    def _create_or_check(self) -> None:
        """A new store is built aside and linked into place whole, so mindgap never leaves an
        empty file: an empty file at the path is somebody else's (or a damaged disk's), and
        SQLite would silently take it for a new database."""
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            _create_store(self.path)
            return
        except OSError as error:
            raise StoreError(f"the mindgap store {self.path} cannot be used: {error}") from error
        if size == 0:
            raise DatabaseCorrupt(
                f"the mindgap store {self.path} is an empty file (0 bytes), not a mindgap "
                "store. It was left untouched; move it aside (or set MINDGAP_HOME) to start "
                "a new one."
            )

    def _close_quietly(self) -> None:
        # an unusable file must not stay open: the user is told to move it aside
        connection = getattr(self, "_connection", None)
        if connection is not None:
            connection.close()

    def _prepare(self, in_memory: bool) -> None:
        connection = self._connection
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if self._integrity_check:
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
        # before switching to WAL, which rewrites the header of a file we must leave alone
        self._refuse_newer_schema()
        if not in_memory:
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise sqlite3.OperationalError(f"cannot switch to WAL mode (got {mode})")
        connection.execute("PRAGMA synchronous = NORMAL")
        connection.execute("PRAGMA foreign_keys = ON")
        self._migrate()

    def _refuse_newer_schema(self) -> None:
        version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer mindgap (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); upgrade mindgap. The file was left as it is."
            )

    def _migrate(self) -> None:
        self._refuse_newer_schema()
        version = self._connection.execute("PRAGMA user_version").fetchone()[0]
        for target in range(version, SCHEMA_VERSION):
            with self.transaction() as connection:
                for statement in _statements(MIGRATIONS[target]):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {target + 1}")

    def _explain(self, error: sqlite3.Error) -> StoreError:
        text = str(error)
        if "locked" in text or "busy" in text:
            return DatabaseLocked(
                f"the mindgap store {self.path} is locked by another process ({text}); "
                "close the other mindgap process or try again. Nothing was changed."
            )
        if isinstance(error, sqlite3.DatabaseError) and (
            "not a database" in text or "malformed" in text or "integrity" in text
        ):
            return DatabaseCorrupt(
                f"the mindgap store {self.path} is corrupt ({text}). It was left untouched; "
                "move it aside (or set MINDGAP_HOME) to start a new one, or repair it with "
                "sqlite3's .recover."
            )
        return StoreError(f"the mindgap store {self.path} cannot be used: {text}")

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One atomic unit of work; errors come out as `StoreError`."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
                try:
                    yield connection
                except BaseException:
                    connection.execute("ROLLBACK")
                    raise
                connection.execute("COMMIT")
            except sqlite3.Error as error:
                raise self._explain(error) from error

    def query(self, sql: str, parameters: tuple | dict = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                cursor = self._connection.execute(sql, parameters)
                cursor.row_factory = sqlite3.Row
                return cursor.fetchall()
            except sqlite3.Error as error:
                raise self._explain(error) from error

    def close(self) -> None:
        with self._lock:
            self._connection.close()


def _create_store(path: Path) -> None:
    """A store with the current schema at `path`, unless one appears there meanwhile (another
    mindgap process starting at the same moment: its store is as new as ours)."""
    aside = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.new")
    try:
        connection = sqlite3.connect(str(aside), isolation_level=None)
        try:
            for version, script in enumerate(MIGRATIONS, start=1):
                connection.execute("BEGIN IMMEDIATE")
                for statement in _statements(script):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {version}")
                connection.execute("COMMIT")
        finally:
            connection.close()
        os.link(aside, path)  # never replaces: a store that appeared meanwhile is kept
    except FileExistsError:
        pass
    except (OSError, sqlite3.Error):
        # no hard links here (or no room aside): SQLite creates the file in place, as before
        pass
    finally:
        aside.unlink(missing_ok=True)


def _statements(script: str) -> list[str]:
    return [statement.strip() for statement in script.split(";") if statement.strip()]
