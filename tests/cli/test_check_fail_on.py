"""`mindgap check` as a CI gate: what fails it (`--fail-on`), and what its text shows."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.cli.test_cli import mindgap
from tests.unit.conventions.test_engine import FOREIGN, snake_repo

CLEAN = "\n\ndef parse_line(raw_line):\n    return raw_line.strip()\n"


def test_a_clean_insertion_passes_and_a_deviation_fails(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    clean = repo.path / "pkg" / "clean.py"
    clean.write_text("import os\n" + CLEAN, encoding="utf-8")
    result = mindgap("check", str(clean), "--inserted", f"{clean}:3-4", home=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr  # only the marker
    assert "1 finding (1 information); 0 fail the check" in result.stdout

    deviant = repo.path / "pkg" / "new.py"
    deviant.write_text("import os\n" + FOREIGN, encoding="utf-8")
    failing = mindgap("check", str(deviant), "--inserted", f"{deviant}:3-6", home=tmp_path)
    assert failing.returncode == 1, failing.stdout + failing.stderr


def test_fail_on_names_the_kinds_that_fail(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    deviant = repo.path / "pkg" / "new.py"
    deviant.write_text("import os\n" + FOREIGN, encoding="utf-8")
    args = ["check", str(deviant), "--inserted", f"{deviant}:3-6"]
    assert mindgap(*args, "--fail-on", "dependency", home=tmp_path).returncode == 0
    assert mindgap(*args, "--fail-on", "none", home=tmp_path).returncode == 0
    assert mindgap(*args, "--fail-on", "convention,dependency", home=tmp_path).returncode == 1
    clean = repo.path / "pkg" / "clean.py"
    clean.write_text("import os\n" + CLEAN, encoding="utf-8")
    marker = ["check", str(clean), "--inserted", f"{clean}:3-4"]
    assert mindgap(*marker, "--fail-on", "foreign-region", home=tmp_path).returncode == 1
    assert mindgap(*marker, "--fail-on", "all", home=tmp_path).returncode == 1


def test_an_unknown_kind_is_one_line_and_exit_2(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text("x = 1\n", encoding="utf-8")
    result = mindgap("check", str(source), "--fail-on", "conventions", home=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert "--fail-on: unknown kind conventions" in line and "Traceback" not in line


def test_the_text_shows_severity_evidence_and_the_fix(tmp_path: Path) -> None:
    repo = snake_repo(tmp_path / "repo")
    deviant = repo.path / "pkg" / "new.py"
    deviant.write_text("import os\n" + FOREIGN, encoding="utf-8")
    text = mindgap("check", str(deviant), "--inserted", f"{deviant}:3-6", home=tmp_path).stdout
    assert re.search(r"new\.py:4:5-4:16 information convention/naming ", text), text
    assert re.search(r"uses snake_case for function names \(\d+ of \d+ sites, 100%\)", text)
    assert f"e.g. {repo.path / 'pkg' / 'module_0.py'}:2  def load_0(source_path):" in text
    assert "fix: parse_record" in text
    summary = text.strip().splitlines()[-1]
    shown = json.loads(
        mindgap(
            "check", str(deviant), "--inserted", f"{deviant}:3-6", "--format", "json", home=tmp_path
        ).stdout
    )["findings"]
    assert summary.startswith(f"{len(shown)} findings (")
