"""The personal report read from a real SQLite store: regions, events and the profile."""

from __future__ import annotations

import time
from pathlib import Path

from mindgap.knowledge.profile import HAND, Profile, record_practice
from mindgap.ledger.database import Database
from mindgap.ledger.events import Event, append_events
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.regions import Region
from mindgap.provenance.tracker import file_state
from mindgap.report.ledger_input import current_summary, personal_report

CODE = "squares = [x * x for x in range(10)]\nevens = [x for x in range(10) if x % 2 == 0]\n"


def store_regions(database: Database, developer: str, path: str, states: list[str]) -> list[Region]:
    regions = []
    offset = 0
    for state, line in zip(states, CODE.splitlines(), strict=False):
        regions.append(Region(offset, offset + len(line), line, "inline-completion", state=state))
        offset += len(line) + 1
    RegionStore(database, developer).save(file_state(path, regions, CODE))
    return regions


def test_report_and_summary_from_the_store(tmp_path: Path):
    database = Database(tmp_path / "store.sqlite3")
    developer = "Dev@Example.com"
    regions = store_regions(database, developer, str(tmp_path / "app.py"), ["pending", "waived"])
    append_events(
        database,
        developer,
        [
            Event("inserted", str(tmp_path / "app.py"), r.id, r.origin_id, r.fingerprint, 1)
            for r in regions
        ],
    )
    report = personal_report(database, "dev@example.com")  # emails compare case-blind
    assert report.current.foreign_lines == 2
    assert report.current.pending_lines == 1
    assert report.current.waived_lines == 1
    assert report.accepted.this_week_lines == 2
    summary = current_summary(database, developer)
    assert (summary.debt_lines, summary.foreign_lines) == (2, 2)
    assert summary.text == "mindgap debt 2 of 2 foreign lines (1 pending, 1 waived)"


def test_constructs_in_foreign_code_never_written_by_hand_are_leaned_on(tmp_path: Path):
    database = Database(tmp_path / "store.sqlite3")
    developer = "dev@example.com"
    store_regions(database, developer, str(tmp_path / "app.py"), ["pending", "pending"])
    now = time.time()
    with database.transaction() as connection:  # a profile built from one repository
        connection.execute(
            "INSERT INTO history_progress VALUES (?, ?, ?, ?, ?, ?, ?)",
            (developer, "/repo", "[]", "abc", 10, 0, now),
        )
        connection.execute(
            "INSERT INTO construct_evidence (developer, construct, repo, source, count,"
            " first_written, last_written) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (developer, "python/function-definition", "/repo", HAND, 5, now - 100, now - 100),
        )
    record_practice(database, developer, ["python/list-comprehension"], kind="answered")
    profile = Profile.load(database, developer)
    report = personal_report(database, developer, profile)
    assert report.profile
    leaned = {c.construct_key: c for c in report.leaning}
    comprehension = leaned.get("python/list-comprehension")
    assert comprehension is not None, leaned
    assert comprehension.regions == 2
    # a passed quiz is not writing it by hand
    assert comprehension.hand_written == "never"
    assert comprehension.hand_written_count == 0
    # ...yet the passed quiz makes it familiar: no extra weight on the debt
    assert report.current.weighted_debt == report.current.debt_lines


def test_regions_with_unfamiliar_constructs_weigh_more(tmp_path: Path):
    database = Database(tmp_path / "store.sqlite3")
    developer = "dev@example.com"
    store_regions(database, developer, str(tmp_path / "app.py"), ["pending", "understood"])
    with database.transaction() as connection:
        connection.execute(
            "INSERT INTO history_progress VALUES (?, ?, ?, ?, ?, ?, ?)",
            (developer, "/repo", "[]", "abc", 10, 0, time.time()),
        )
    report = personal_report(database, developer, Profile.load(database, developer))
    assert report.current.debt_lines == 1
    assert report.current.weighted_debt == 1.5  # one unfamiliar construct: half as much again
    without_profile = personal_report(database, developer)
    assert without_profile.current.weighted_debt == 1.0


def test_code_put_aside_for_a_hand_write_still_counts_as_pending(tmp_path: Path):
    from mindgap.gate.handwrite_session import HandwriteSession, HandwriteStore, PutAsideRegion

    database = Database(tmp_path / "store.sqlite3")
    developer = "dev@example.com"
    path = str(tmp_path / "app.py")
    store_regions(database, developer, path, ["understood"])
    put_aside = Region(0, 30, "def f(x):\n    y = x\n    return y", "chat-edit")
    session = HandwriteSession(
        id=put_aside.id,
        uri=Path(path).as_uri(),
        path=path,
        language="python",
        region=PutAsideRegion.of(put_aside),
        original_lines=put_aside.text,
        offset_in_lines=0,
        marker="# mindgap hand-write: start",
        end_marker="# mindgap hand-write: end",
        generated=[],
        block="# mindgap hand-write: start\n# mindgap hand-write: end\n",
    )
    handwrites = HandwriteStore(database, developer)
    handwrites.save(session)
    summary = current_summary(database, developer)
    assert (summary.pending_lines, summary.foreign_lines) == (3, 4)

    handwrites.save(session.model_copy(update={"state": "done"}))  # accepted: no longer debt
    assert current_summary(database, developer).pending_lines == 0
