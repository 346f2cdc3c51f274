"""A damaged ledger is reported with its path or read around, never silently replaced and
never a traceback."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.ledger_fixtures import mindgap, record_foreign

DEVELOPER = "dev@example.com"
CODE = "def double(x):\n    return x * 2\n\n\ndef half(x):\n    return x / 2\n"


def test_an_empty_store_file_is_reported_not_initialised(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    store = home / "mindgap.sqlite3"
    store.write_bytes(b"")
    result = mindgap("report", "--developer", DEVELOPER, home=home, cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.splitlines()
    assert f"the mindgap store {store} is an empty file (0 bytes)" in line
    assert store.read_bytes() == b""  # left untouched

    (tmp_path / "app.py").write_text(CODE, encoding="utf-8")
    result = mindgap(
        "check", "--all-foreign", "--fail-on", "all", "app.py", home=home, cwd=tmp_path
    )
    assert result.returncode == 1  # checked anyway, without the stored regions
    assert "is an empty file (0 bytes)" in result.stderr
    assert store.read_bytes() == b""


def test_a_new_store_is_created_whole(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = mindgap("report", "--developer", DEVELOPER, home=home, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (home / "mindgap.sqlite3").stat().st_size > 0
    assert [p.name for p in home.iterdir() if p.name.endswith(".new")] == []


def test_an_event_row_with_a_non_integer_line_count_does_not_break_the_report(
    tmp_path: Path,
) -> None:
    home = tmp_path / "home"
    app = tmp_path / "app.py"
    app.write_text(CODE, encoding="utf-8")
    record_foreign(home, DEVELOPER, app, "def double(x):\n    return x * 2")
    record_foreign(home, DEVELOPER, app, "def half(x):\n    return x / 2", state="waived")
    database = sqlite3.connect(home / "mindgap.sqlite3")
    with database:
        first = database.execute("SELECT min(id) FROM events").fetchone()[0]
        database.execute("UPDATE events SET lines = 'many' WHERE id = ?", (first,))
        database.execute("UPDATE events SET detail = '{broken' WHERE kind = 'waived'")
    database.close()
    for output in ("text", "json", "html"):
        result = mindgap(
            "report", "--developer", DEVELOPER, "--format", output, home=home, cwd=tmp_path
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
        assert "hold no usable line count or time: left out" in result.stderr
    report = json.loads(
        mindgap("report", "--developer", DEVELOPER, "--format", "json", home=home).stdout
    )
    assert report["current"]["waivedLines"] == 2  # the intact rows still count
