"""The SQLite store, on a real file: schema, round trips, and bad files that lose nothing."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

import pytest

from mindgap.ledger import database as database_module
from mindgap.ledger.database import (
    SCHEMA_VERSION,
    Database,
    DatabaseCorrupt,
    DatabaseLocked,
    StoreError,
    data_directory,
    default_database_path,
)
from mindgap.ledger.events import Event, append_events, read_events
from mindgap.provenance import persistence
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.regions import Region

DEVELOPER = "ada@example.com"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "mindgap.sqlite3"


@pytest.fixture
def database(db_path: Path):
    database = Database(db_path)
    yield database
    database.close()


def sample_state(
    path: str = "src/app.py", text: str = "a = 1\nb = compute()\n# é😀 漢字\n"
) -> FileState:
    regions = [
        Region(6, 19, "b = compute()", "burst", created_at=1000.5, state="pending"),
        Region(22, 30, text[22:30], "inline-completion", tool="copilot", origin_id="origin-1"),
    ]
    return FileState(path, regions, [(1, 1), (2, 2)], text)


def side_files(path: Path) -> list[Path]:
    return [
        p for p in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")) if p.exists()
    ]


class TestSchema:
    def test_new_store_is_in_wal_mode_with_the_current_schema(self, database, db_path):
        assert db_path.is_file()
        other = sqlite3.connect(db_path)
        try:
            assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
            tables = {
                row[0] for row in other.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
        finally:
            other.close()
        assert {"regions", "events", "snapshots"} <= tables

    def test_reopening_keeps_the_data(self, db_path):
        first = Database(db_path)
        RegionStore(first, DEVELOPER).save(sample_state())
        first.close()
        second = Database(db_path)
        try:
            assert len(RegionStore(second, DEVELOPER).load("src/app.py")) == 2
        finally:
            second.close()

    def test_two_connections_share_the_file(self, database, db_path):
        other = Database(db_path)
        try:
            RegionStore(other, DEVELOPER).save(sample_state())
            assert len(RegionStore(database, DEVELOPER).load("src/app.py")) == 2
        finally:
            other.close()

    def test_in_memory_store(self):
        database = Database(":memory:")
        try:
            RegionStore(database, DEVELOPER).save(sample_state())
            assert len(RegionStore(database, DEVELOPER).load("src/app.py")) == 2
        finally:
            database.close()


class TestRegionStore:
    def test_regions_round_trip(self, database):
        store = RegionStore(database, DEVELOPER)
        state = sample_state()
        store.save(state)
        loaded = store.load("src/app.py")
        assert loaded == state.regions  # every field: ids, origin, tool, state, times
        assert loaded[1].tool == "copilot" and loaded[1].origin_id == "origin-1"
        assert loaded[0].tool is None and loaded[0].created_at == 1000.5

    def test_line_spans_are_stored(self, database):
        RegionStore(database, DEVELOPER).save(sample_state())
        rows = database.query("SELECT start_line, end_line FROM regions ORDER BY start_offset")
        assert [(r["start_line"], r["end_line"]) for r in rows] == [(1, 1), (2, 2)]

    def test_save_replaces_what_was_stored_for_the_file(self, database):
        store = RegionStore(database, DEVELOPER)
        store.save(sample_state())
        state = sample_state()
        store.save(FileState(state.path, state.regions[:1], state.line_spans[:1], state.text))
        assert [r.text for r in store.load("src/app.py")] == ["b = compute()"]

    def test_a_failed_save_changes_nothing(self, database):
        store = RegionStore(database, DEVELOPER)
        store.save(sample_state())
        broken = FileState("src/app.py", sample_state().regions, [(0, 0)], "other text")
        with pytest.raises(ValueError):  # one line span for two regions
            store.save(broken)
        assert len(store.load("src/app.py")) == 2
        assert store.snapshot("src/app.py") == sample_state().text

    def test_snapshots(self, database):
        store = RegionStore(database, DEVELOPER)
        assert store.snapshot("src/app.py") is None
        store.save(sample_state())
        assert store.snapshot("src/app.py") == "a = 1\nb = compute()\n# é😀 漢字\n"
        # no text given: the last snapshot stays
        store.save(FileState("src/app.py", [], [], None))
        assert store.snapshot("src/app.py") == "a = 1\nb = compute()\n# é😀 漢字\n"
        assert store.load("src/app.py") == []

    def test_a_file_grown_too_large_drops_its_stale_snapshot(self, database, monkeypatch):
        monkeypatch.setattr(persistence, "MAX_SNAPSHOT_CHARS", 100)
        store = RegionStore(database, DEVELOPER)
        store.save(FileState("big.py", [], [], "small = 1\n"))
        assert store.snapshot("big.py") == "small = 1\n"
        store.save(FileState("big.py", [], [], "x = 1\n" * 50))
        assert store.snapshot("big.py") is None  # never diff against the old small text

    def test_forget(self, database):
        store = RegionStore(database, DEVELOPER)
        store.save(sample_state("a.py"))
        store.save(sample_state("b.py"))
        assert store.paths_with_regions() == ["a.py", "b.py"]
        store.forget("a.py")
        assert store.load("a.py") == [] and store.snapshot("a.py") is None
        assert store.paths_with_regions() == ["b.py"]
        assert len(store.load("b.py")) == 2

    def test_developers_do_not_see_each_other(self, database):
        RegionStore(database, DEVELOPER).save(sample_state())
        other = RegionStore(database, "grace@example.com")
        assert other.load("src/app.py") == []
        assert other.snapshot("src/app.py") is None
        assert other.paths_with_regions() == []


class TestEvents:
    def test_events_round_trip_in_order(self, database):
        events = [
            Event(
                "inserted",
                "a.py",
                "r1",
                "o1",
                "f1",
                lines=3,
                detail={"source": "paste", "tool": None},
                time=1.0,
            ),
            Event("retyped", "a.py", "r1", "o1", "f1", lines=1, detail={"text": "é😀"}, time=2.0),
            Event("deleted", "b.py", "r2", "o2", None, time=3.0),
        ]
        append_events(database, DEVELOPER, events)
        assert read_events(database, DEVELOPER) == events
        assert read_events(database, DEVELOPER, path="b.py") == events[2:]
        assert read_events(database, "someone-else") == []

    def test_appending_nothing_is_fine(self, database):
        append_events(database, DEVELOPER, [])
        assert read_events(database, DEVELOPER) == []


class TestBadFiles:
    @pytest.mark.parametrize(
        "content",
        [
            random.Random(7).randbytes(8192),
            b"this is a text file, not a database\n" * 200,
        ],
        ids=["random-bytes", "text"],
    )
    def test_corrupt_file_is_reported_and_left_untouched(self, db_path, content):
        db_path.parent.mkdir(parents=True)
        db_path.write_bytes(content)
        with pytest.raises(DatabaseCorrupt) as raised:
            Database(db_path)
        message = str(raised.value)
        assert str(db_path) in message
        assert "corrupt" in message
        assert db_path.read_bytes() == content
        assert side_files(db_path) == []
        with pytest.raises(DatabaseCorrupt):  # still the same answer: nothing was "repaired"
            Database(db_path)
        assert db_path.read_bytes() == content

    def test_damaged_pages_are_reported(self, db_path):
        database = Database(db_path)
        append_events(
            database,
            DEVELOPER,
            [
                Event("inserted", "a.py", f"r{i}", None, None, detail={"pad": "x" * 400})
                for i in range(300)
            ],
        )
        database.close()
        data = bytearray(db_path.read_bytes())
        assert len(data) > 4 * 4096
        noise = random.Random(3).randbytes(4096)
        data[2 * 4096 : 3 * 4096] = noise  # one b-tree page of the events table
        db_path.write_bytes(bytes(data))
        with pytest.raises(DatabaseCorrupt) as raised:
            Database(db_path)
        assert str(db_path) in str(raised.value)
        assert db_path.read_bytes() == bytes(data)

    def test_newer_schema_asks_to_upgrade_and_leaves_the_file_alone(self, db_path):
        db_path.parent.mkdir(parents=True)
        newer = sqlite3.connect(db_path)
        newer.execute("CREATE TABLE future (x)")
        newer.execute("PRAGMA user_version = 99")
        newer.commit()
        newer.close()
        content = db_path.read_bytes()
        with pytest.raises(StoreError) as raised:
            Database(db_path)
        message = str(raised.value)
        assert "upgrade mindgap" in message and "99" in message and str(db_path) in message
        assert db_path.read_bytes() == content
        assert side_files(db_path) == []

    def test_unwritable_data_directory(self, tmp_path):
        blocker = tmp_path / "file"
        blocker.write_text("not a directory")
        with pytest.raises(StoreError) as raised:
            Database(blocker / "mindgap.sqlite3")
        assert "cannot create the data directory" in str(raised.value)


class TestLocking:
    def test_locked_store_fails_fast_with_a_clear_message_and_loses_nothing(
        self, db_path, monkeypatch
    ):
        monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
        database = Database(db_path)
        store = RegionStore(database, DEVELOPER)
        kept = sample_state("kept.py")
        store.save(kept)
        append_events(database, DEVELOPER, [Event("inserted", "kept.py", "r", "o", "f", time=1.0)])

        holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            began = time.monotonic()
            with pytest.raises(DatabaseLocked) as raised:
                store.save(sample_state("new.py"))
            assert time.monotonic() - began < 5
            message = str(raised.value)
            assert "locked" in message and str(db_path) in message
            assert "Nothing was changed" in message
            with pytest.raises(DatabaseLocked):
                append_events(database, DEVELOPER, [Event("deleted", "kept.py", "r", "o", "f")])
            # readers are not blocked in WAL mode: the server still sees its regions
            assert len(store.load("kept.py")) == 2
        finally:
            holder.execute("ROLLBACK")
            holder.close()

        store.save(sample_state("new.py"))
        assert len(store.load("new.py")) == 2
        assert store.load("kept.py") == kept.regions
        append_events(database, DEVELOPER, [Event("deleted", "kept.py", "r", "o", "f", time=2.0)])
        assert [e.kind for e in read_events(database, DEVELOPER)] == ["inserted", "deleted"]
        database.close()

    def test_opening_a_store_locked_in_rollback_mode(self, db_path, monkeypatch):
        monkeypatch.setattr(database_module, "BUSY_TIMEOUT_MS", 200)
        db_path.parent.mkdir(parents=True)
        holder = sqlite3.connect(db_path, isolation_level=None, timeout=0)
        holder.execute("CREATE TABLE t (x)")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("INSERT INTO t VALUES (1)")
        try:
            with pytest.raises(DatabaseLocked) as raised:
                Database(db_path)
            assert str(db_path) in str(raised.value)
        finally:
            holder.execute("COMMIT")
            holder.close()
        assert sqlite3.connect(db_path).execute("SELECT x FROM t").fetchall() == [(1,)]


class TestDataDirectory:
    def test_mindgap_home_overrides(self, tmp_path, monkeypatch):
        home = tmp_path / "mg-home"
        monkeypatch.setenv("MINDGAP_HOME", str(home))
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert data_directory() == home
        assert default_database_path() == home / "mindgap.sqlite3"
        database = Database()
        try:
            assert database.path == home / "mindgap.sqlite3"
            assert database.path.is_file()
        finally:
            database.close()
        assert not (tmp_path / "xdg").exists()

    def test_mindgap_home_expands_the_user_directory(self, tmp_path, monkeypatch):
        monkeypatch.setenv("HOME", str(tmp_path))
        monkeypatch.setenv("MINDGAP_HOME", "~/mindgap-data")
        assert data_directory() == tmp_path / "mindgap-data"

    def test_xdg_data_home_without_mindgap_home(self, tmp_path, monkeypatch):
        monkeypatch.delenv("MINDGAP_HOME", raising=False)
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        assert data_directory() == tmp_path / "xdg" / "mindgap"
