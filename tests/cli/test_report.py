"""`mindgap report` as a user runs it, over a real store."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.ledger_fixtures import mindgap, record_foreign

CODE = "def main():\n    return 0\n\n\ndef double(values):\n    return [v * 2 for v in values]\n"
FOREIGN = "def double(values):\n    return [v * 2 for v in values]"
DEV = "dev@example.com"


def workspace(tmp_path: Path) -> tuple[Path, Path]:
    home, folder = tmp_path / "home", tmp_path / "work"
    folder.mkdir()
    path = folder / "app.py"
    path.write_text(CODE, encoding="utf-8")
    record_foreign(home, DEV, path, FOREIGN)
    return home, folder


def test_json_report_counts_the_pending_foreign_code(tmp_path):
    home, folder = workspace(tmp_path)
    result = mindgap("report", "--developer", DEV, "--format", "json", home=home, cwd=folder)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["kind"] == "personal"
    assert data["current"]["debtLines"] == 2
    assert data["accepted"]["thisWeekLines"] == 2
    assert data["files"][0]["path"] == str((folder / "app.py").resolve())


def test_text_report_fits_80_columns_and_html_goes_to_a_file(tmp_path):
    home, folder = workspace(tmp_path)
    text = mindgap("report", "--developer", DEV, home=home, cwd=folder)
    assert text.returncode == 0
    assert "2 debt lines of 2 foreign lines" in text.stdout
    assert max(len(line) for line in text.stdout.splitlines()) <= 80
    target = tmp_path / "debt.html"
    html = mindgap(
        "report",
        "--developer",
        DEV,
        "--format",
        "html",
        "--output",
        str(target),
        home=home,
        cwd=folder,
    )
    assert html.returncode == 0, html.stderr
    page = target.read_text(encoding="utf-8")
    assert 'data-debt-lines="2"' in page and "<svg" in page


def test_a_developer_with_nothing_recorded_has_no_debt(tmp_path):
    home, folder = workspace(tmp_path)
    data = json.loads(
        mindgap(
            "report", "--developer", "other@example.com", "--format", "json", home=home, cwd=folder
        ).stdout
    )
    assert data["current"]["foreignLines"] == 0


def test_a_corrupt_store_is_a_clear_error_and_is_left_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    store = home / "mindgap.sqlite3"
    store.write_bytes(b"this is not a database" * 100)
    result = mindgap("report", "--developer", DEV, home=home, cwd=tmp_path)
    assert result.returncode == 2
    assert "corrupt" in result.stderr
    assert store.read_bytes() == b"this is not a database" * 100


def test_an_unwritable_output_is_a_usage_error(tmp_path):
    home, folder = workspace(tmp_path)
    result = mindgap(
        "report",
        "--developer",
        DEV,
        "--format",
        "json",
        "--output",
        str(tmp_path / "missing" / "r.json"),
        home=home,
        cwd=folder,
    )
    assert result.returncode == 2
    assert "cannot write" in result.stderr
