"""`mindgap check --developer`: unfamiliar constructs in foreign code, from a real git history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.fixtures.gitrepo import ALICE, two_author_repo

FOREIGN = (
    "def pick(items, command):\n"
    "    best = sorted(items, key=lambda item: item.rank)\n"
    "    match command:\n"
    "        case 'first':\n"
    "            return best[0]\n"
    "    return None\n"
)


def mindgap(*args: str, home: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mindgap", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(home)},
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_only_what_the_developer_never_wrote_is_flagged(tmp_path: Path) -> None:
    repo = two_author_repo(tmp_path / "repo")  # Alice writes lambdas; only others write `match`
    home = tmp_path / "home"
    built = mindgap(
        "profile", "--developer", ALICE[1], "--repo", str(repo.path), home=home, cwd=repo.path
    )
    assert built.returncode == 0, built.stderr
    target = repo.path / "pick.py"
    target.write_text(FOREIGN, encoding="utf-8")

    args = ["check", str(target), "--inserted", f"{target}:1-6", "--developer", ALICE[1]]
    result = mindgap(*args, "--format", "json", home=home, cwd=repo.path)

    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)["findings"]
    unfamiliar = [f for f in findings if f["kind"] == "unfamiliar"]
    constructs = {f["evidence"]["construct"] for f in unfamiliar}
    assert "python/match-statement" in constructs
    assert "python/lambda" not in constructs  # she writes lambdas herself
    (match,) = [f for f in unfamiliar if f["evidence"]["construct"] == "python/match-statement"]
    assert match["code"] == "unfamiliar-construct"
    assert match["range"]["start"] == {"line": 2, "character": 4}
    assert match["message"].startswith(
        "You have not written a match statement yourself (0 times in 1 repository)."
    )
    assert match["evidence"]["familiarity"]["level"] == "unfamiliar"
    assert match["evidence"]["familiarity"]["count"] == 0


def test_without_a_profile_nothing_is_called_unfamiliar(tmp_path: Path) -> None:
    target = tmp_path / "pick.py"
    target.write_text(FOREIGN, encoding="utf-8")
    args = ["check", str(target), "--all-foreign", "--developer", "nobody@example.com"]
    result = mindgap(*args, "--format", "json", home=tmp_path / "home", cwd=tmp_path)
    kinds = [f["kind"] for f in json.loads(result.stdout)["findings"]]
    assert kinds == ["foreign-region"]
    assert "no familiarity profile for nobody@example.com" in result.stderr
    assert "mindgap profile" in result.stderr
