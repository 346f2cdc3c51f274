"""Team sharing in real git repositories: a bare origin, two clones, two developers (two
stores), notes pushed and fetched through the origin; rewritten history keeps attestations."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.ledger_fixtures import mindgap, record_foreign

ALICE, BOB = "alice@example.com", "bob@example.com"
BASE_APP = "def main():\n    return 0\n"
BASE_UTIL = "VERSION = 1\n"
ALICE_CODE = (
    "def total(prices):\n"
    "    result = 0\n"
    "    for price in prices:\n"
    "        if price > 10:\n"
    "            result += price\n"
    "    return result"
)
BOB_WAIVED = "def clamp(value, low, high):\n    return max(low, min(value, high))"
BOB_UNDERSTOOD = "def square(x):\n    y = x * x\n    return y"


class Clone:
    def __init__(self, path: Path, email: str, home: Path) -> None:
        self.path, self.email, self.home = path, email, home

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def write(self, name: str, text: str) -> Path:
        (self.path / name).write_text(text, encoding="utf-8")
        return self.path / name

    def commit(self, message: str) -> str:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def mindgap(self, *args: str) -> subprocess.CompletedProcess[str]:
        result = mindgap(*args, home=self.home, cwd=self.path)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def share_and_push(self) -> None:
        """The documented sequence: share, fetch the others' notes, merge, push."""
        self.mindgap("share")
        if self.git("ls-remote", "origin", "refs/notes/mindgap"):  # the first push merges nothing
            self.git("fetch", "origin", "+refs/notes/mindgap:refs/notes/mindgap-origin")
            self.git(
                "notes",
                "--ref=mindgap",
                "merge",
                "-s",
                "cat_sort_uniq",
                "refs/notes/mindgap-origin",
            )
        self.git("push", "-q", "origin", "refs/notes/mindgap")

    def team(self) -> dict:
        return json.loads(self.mindgap("report", "--team", "--format", "json").stdout)

    def personal(self) -> dict:
        return json.loads(self.mindgap("report", "--format", "json").stdout)


def clone(tmp_path: Path, origin: Path, name: str, email: str) -> Clone:
    subprocess.run(["git", "clone", "-q", str(origin), str(tmp_path / name)], check=True)
    repo = Clone(tmp_path / name, email, tmp_path / f"home-{name}")
    repo.git("config", "user.email", email)
    repo.git("config", "user.name", name)
    repo.git("config", "commit.gpgsign", "false")
    return repo


@pytest.fixture
def team(tmp_path: Path) -> tuple[Clone, Clone]:
    origin = tmp_path / "origin.git"
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(origin)], check=True)
    alice = clone(tmp_path, origin, "alice", ALICE)
    alice.write("app.py", BASE_APP)
    alice.write("util.py", BASE_UTIL)
    alice.commit("start")
    alice.git("push", "-q", "origin", "main")
    bob = clone(tmp_path, origin, "bob", BOB)
    return alice, bob


def lines(block: dict) -> tuple[int, int, int, int]:
    return (
        block["foreignLines"],
        block["understoodLines"],
        block["pendingLines"],
        block["waivedLines"],
    )


def developer(report: dict, email: str) -> dict:
    return next(d for d in report["developers"] if d["developer"] == email)


def test_notes_travel_through_the_origin_and_the_team_report_agrees_with_both_ledgers(team):
    alice, bob = team
    # Alice accepts foreign code, commits and shares before anyone else pushed
    path = alice.write("app.py", BASE_APP + "\n\n" + ALICE_CODE + "\n")
    record_foreign(alice.home, ALICE, path, ALICE_CODE)
    alice_commit = alice.commit("total")
    alice.mindgap("share")
    note = alice.git("notes", "--ref=mindgap", "show", alice_commit)
    assert json.loads(note.splitlines()[0])["developer"] == ALICE

    # Bob, in parallel: one waived region, one explained; commits, pushes, shares
    path = bob.write("util.py", BASE_UTIL + "\n\n" + BOB_WAIVED + "\n\n\n" + BOB_UNDERSTOOD + "\n")
    record_foreign(bob.home, BOB, path, BOB_WAIVED, state="waived")
    record_foreign(bob.home, BOB, path, BOB_UNDERSTOOD, state="understood", explanation="squares x")
    bob.commit("util")
    bob.git("push", "-q", "origin", "main")
    bob.mindgap("share")
    bob.git("push", "-q", "origin", "refs/notes/mindgap")
    assert "squares x" not in bob.git("notes", "--ref=mindgap", "show", "HEAD")  # not shared

    # Alice pulls with a rebase (her shared commit is rewritten), then merges the notes
    alice.git("pull", "-q", "--rebase", "origin", "main")
    assert alice.git("rev-parse", "HEAD") != alice_commit
    alice.git("fetch", "origin", "refs/notes/mindgap:refs/notes/mindgap-origin")
    alice.git("notes", "--ref=mindgap", "merge", "-s", "cat_sort_uniq", "refs/notes/mindgap-origin")
    before = alice.team()
    assert before["attestations"]["reanchored"] == 1  # Alice's, found again by fingerprint
    assert before["attestations"]["anchored"] == 2
    assert before["attestations"]["gone"] == 0

    alice.mindgap("share")  # attaches hers to the rewritten commit
    alice.git("push", "-q", "origin", "main")
    alice.git("push", "-q", "origin", "refs/notes/mindgap")
    after = alice.team()
    assert after["attestations"]["reanchored"] == 0
    assert after["attestations"]["anchored"] == 3

    bob.git("pull", "-q", "origin", "main")
    bob.git("fetch", "origin", "refs/notes/mindgap:refs/notes/mindgap")  # a fast-forward
    seen_by_bob = bob.team()
    assert seen_by_bob["developers"] == after["developers"]
    assert seen_by_bob["files"] == after["files"]

    for clone_, email in ((alice, ALICE), (bob, BOB)):
        own = clone_.personal()["current"]
        assert lines(developer(after, email)["current"]) == lines(own)
    assert lines(after["team"]) == (11, 3, 6, 2)
    assert lines(developer(after, ALICE)["current"]) == (6, 0, 6, 0)
    assert lines(developer(after, BOB)["current"]) == (5, 3, 0, 2)
    files = {f["path"]: f["debtLines"] for f in after["files"]}
    assert files == {"app.py": 6, "util.py": 2}

    text = alice.mindgap("report", "--team").stdout
    assert "alice@example.com" in text and "bob@example.com" in text


def test_both_developers_adding_notes_to_one_commit_merge_without_losing_either(team):
    alice, bob = team
    path = alice.write("app.py", BASE_APP + "\n\n" + ALICE_CODE + "\n")
    record_foreign(alice.home, ALICE, path, ALICE_CODE)
    commit = alice.commit("total")
    alice.git("push", "-q", "origin", "main")
    bob.git("pull", "-q", "origin", "main")
    # Bob accepted (and waived) the same code in his editor too
    record_foreign(bob.home, BOB, bob.path / "app.py", ALICE_CODE, state="waived")
    alice.share_and_push()
    bob.share_and_push()  # his note on the same commit meets Alice's: a union
    alice.git("fetch", "origin", "refs/notes/mindgap:refs/notes/mindgap")
    note = alice.git("notes", "--ref=mindgap", "show", commit).splitlines()
    assert sorted(json.loads(line)["developer"] for line in note) == [ALICE, BOB]
    report = alice.team()
    assert lines(developer(report, ALICE)["current"]) == (6, 0, 6, 0)
    assert lines(developer(report, BOB)["current"]) == (6, 0, 0, 6)
    assert lines(report["team"]) == (6, 0, 6, 0)  # one piece of code: pending for someone


def test_a_squash_keeps_the_attestations_and_deleted_code_leaves_the_debt(team):
    alice, _ = team
    path = alice.write("app.py", BASE_APP + "\n\n" + ALICE_CODE + "\n")
    record_foreign(alice.home, ALICE, path, ALICE_CODE)
    alice.commit("total")
    alice.write("util.py", BASE_UTIL + "NAME = 'x'\n")
    alice.commit("name")
    alice.mindgap("share")
    base = alice.git("rev-list", "--max-parents=0", "HEAD")
    alice.git("reset", "-q", "--soft", base)
    alice.commit("everything, squashed")
    squashed = alice.team()
    assert squashed["attestations"]["reanchored"] == 1
    assert lines(squashed["team"]) == (6, 0, 6, 0)
    alice.mindgap("share")
    assert alice.team()["attestations"]["anchored"] == 1

    alice.write("app.py", BASE_APP)  # the foreign code is deleted and committed
    alice.commit("drop total")
    gone = alice.team()
    assert gone["attestations"]["gone"] == 1
    assert lines(gone["team"]) == (0, 0, 0, 0)


def test_team_report_without_notes_is_empty_and_outside_git_is_a_usage_error(team, tmp_path):
    alice, _ = team
    report = alice.team()
    assert report["attestations"]["notes"] == 0
    assert report["developers"] == []
    outside = mindgap("report", "--team", home=tmp_path / "h", cwd=tmp_path)
    assert outside.returncode == 2
    assert "not inside a git repository" in outside.stderr


def test_explanations_are_shared_only_when_asked(team):
    _, bob = team
    path = bob.write("util.py", BASE_UTIL + "\n\n" + BOB_UNDERSTOOD + "\n")
    record_foreign(bob.home, BOB, path, BOB_UNDERSTOOD, state="understood", explanation="squares x")
    bob.commit("util")
    bob.mindgap("share")
    assert "squares x" not in bob.git("notes", "--ref=mindgap", "show", "HEAD")
    bob.mindgap("share", "--with-explanations")
    shared = [
        json.loads(line) for line in bob.git("notes", "--ref=mindgap", "show", "HEAD").splitlines()
    ]
    assert [a.get("explanation") for a in shared] == ["squares x"]  # replaced, not duplicated
