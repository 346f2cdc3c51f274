"""`mindgap profile` as a user runs it: a real process over a real git repository."""

from __future__ import annotations

import io
import json
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from mindgap.commands import profile as profile_command
from mindgap.commands.profile import PROGRESS_MIN_COMMITS
from mindgap.knowledge.profile import record_practice
from mindgap.ledger.database import DATABASE_NAME, Database
from tests.fixtures.gitrepo import ALICE, BOB, GitRepo, days_ago, two_author_repo

LAMBDA, MATCH = "python/lambda", "python/match-statement"


def mindgap(*args: str, home: Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mindgap", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(home)},
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return two_author_repo(tmp_path / "repo")


def keys(entries: list[dict]) -> list[str]:
    return [entry["key"] for entry in entries]


def test_json_profile_of_the_repositorys_own_developer(tmp_path, repo):
    result = mindgap("profile", "--format", "json", home=tmp_path / "home", cwd=repo.path)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["developer"] == ALICE[1]  # git config user.email of the repository
    (repository,) = report["repositories"]
    assert repository["path"] == str(repo.path.resolve())
    assert repository["mode"] == "bootstrap"
    assert (repository["commits_read"], repository["assisted_commits_read"]) == (2, 2)
    assert LAMBDA in keys(report["written_often"])
    lam = next(e for e in report["written_often"] if e["key"] == LAMBDA)
    assert lam["level"] == "familiar" and lam["written"] == 2 and lam["name"]
    assert keys(report["accepted_only"]) == [MATCH]
    match = report["accepted_only"][0]
    assert (match["level"], match["accepted_in_commits"], match["written"]) == ("unfamiliar", 2, 0)
    assert report["ledger_regions"] == 0
    assert MATCH not in report["never_written"]  # it is listed as accepted instead
    assert LAMBDA not in report["never_written"]
    assert report["fading"] == []


def test_the_second_run_is_incremental(tmp_path, repo):
    home = tmp_path / "home"
    assert mindgap("profile", "--repo", str(repo.path), home=home).returncode == 0
    repo.append("app.py", "\nLATER = lambda: 3\n")
    repo.commit("Later", when=days_ago(1))
    result = mindgap("profile", "--repo", str(repo.path), "--format", "json", home=home)
    (repository,) = json.loads(result.stdout)["repositories"]
    assert (repository["mode"], repository["commits_read"]) == ("incremental", 1)
    again = mindgap("profile", "--repo", str(repo.path), home=home)
    assert "up to date" in again.stdout


def test_text_profile_shows_the_three_groups(tmp_path, repo):
    result = mindgap(
        "profile", "--repo", str(repo.path), "--developer", BOB[1], home=tmp_path / "home"
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert f"Familiarity profile of {BOB[1]}" in out
    written = out.index("Written often")
    fading = out.index("Fading")
    accepted = out.index("Only accepted from assistants")
    assert written < fading < accepted
    assert "match statement" in out[written:fading]
    assert "the ledger holds no code you accepted in the editor yet" in out[accepted:]


def test_practice_recorded_in_the_store_shows_in_the_profile(tmp_path, repo):
    home = tmp_path / "home"
    home.mkdir()
    database = Database(home / DATABASE_NAME)
    record_practice(database, ALICE[1], [MATCH], when=days_ago(1))
    database.close()
    result = mindgap("profile", "--repo", str(repo.path), "--format", "json", home=home)
    report = json.loads(result.stdout)
    match = next(e for e in report["written_often"] if e["key"] == MATCH)
    assert (match["practised"], match["written"], match["accepted_in_commits"]) == (1, 0, 2)
    assert MATCH not in keys(report["accepted_only"])


def test_old_work_is_fading(tmp_path):
    repo = GitRepo(tmp_path / "old")
    repo.commit("long ago", {"a.py": "F = lambda: 0\n"}, when=days_ago(5 * 365))
    result = mindgap("profile", "--repo", str(repo.path), "--format", "json", home=tmp_path / "h")
    (entry,) = [e for e in json.loads(result.stdout)["fading"] if e["key"] == LAMBDA]
    assert entry["summary"] == f"last written {days_ago(5 * 365).strftime('%Y-%m')}"
    text = mindgap("profile", "--repo", str(repo.path), home=tmp_path / "h").stdout
    assert "last written" in text[text.index("Fading") :]


def test_several_repositories_and_emails(tmp_path, repo):
    other = GitRepo(tmp_path / "other", author=("Alice", "alice@old.org"))
    other.commit("elsewhere", {"tool.py": "F = lambda: 6\n"}, when=days_ago(3))
    result = mindgap(
        "profile",
        "--repo",
        str(repo.path),
        "--repo",
        str(other.path),
        "--developer",
        ALICE[1],
        "--developer",
        "alice@old.org",
        "--format",
        "json",
        home=tmp_path / "home",
    )
    report = json.loads(result.stdout)
    assert report["emails"] == ["alice@old.org"]
    assert len(report["repositories"]) == 2
    lam = next(e for e in report["written_often"] if e["key"] == LAMBDA)
    assert lam["written"] == 3 and len(lam["repos"]) == 2


def test_a_folder_outside_git_is_a_usage_error(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    result = mindgap("profile", "--repo", str(plain), "--developer", ALICE[1], home=tmp_path / "h")
    assert result.returncode == 2
    assert "not in a git repository" in result.stderr
    assert result.stdout == ""


def test_without_any_identity_it_asks_for_one(tmp_path):
    plain = tmp_path / "plain"
    plain.mkdir()
    env_home = tmp_path / "user"  # no global git config there
    env_home.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "mindgap", "profile", "--repo", str(plain)],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "MINDGAP_HOME": str(tmp_path / "h"),
            "HOME": str(env_home),
            "XDG_CONFIG_HOME": str(env_home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(env_home / "none"),
        },
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "--developer" in result.stderr


def test_a_long_history_says_how_many_commits_it_reads(tmp_path):
    repo = GitRepo(tmp_path / "long")
    for n in range(PROGRESS_MIN_COMMITS):
        repo.commit(f"c{n}", {f"m{n % 5}.py": f"f{n} = lambda: {n}\n"})
    result = mindgap("profile", "--repo", str(repo.path), home=tmp_path / "home")
    assert result.returncode == 0, result.stderr
    assert f"reading {PROGRESS_MIN_COMMITS} commits of history" in result.stderr


def test_the_progress_bar_counts_commits_on_a_terminal(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(
        profile_command,
        "Console",
        lambda stderr: Console(file=screen, force_terminal=True, width=100),
    )
    with profile_command._progress() as on_progress:
        for done in range(0, 121, 20):
            on_progress(done, 120)
    assert "120/120" in screen.getvalue()
    assert "reading history" in screen.getvalue()


def test_a_short_history_draws_no_bar(monkeypatch):
    screen = io.StringIO()
    monkeypatch.setattr(
        profile_command,
        "Console",
        lambda stderr: Console(file=screen, force_terminal=True, width=100),
    )
    with profile_command._progress() as on_progress:
        on_progress(0, 3)
        on_progress(3, 3)
    assert screen.getvalue() == ""


def _long_history(path: Path, commits: int) -> None:
    """A history of `commits` commits by Alice, each adding a function to one of ten modules,
    made at once with git fast-import (a commit per `git commit` would take minutes)."""
    path.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(path)], check=True)
    stream = []
    texts = {n: "" for n in range(10)}
    when = 1_600_000_000
    for number in range(commits):
        module = number % 10
        texts[module] += (
            f"\n\ndef step_{number}(items, limit={number % 7 + 1}):\n"
            f"    kept = [item for item in items if item > limit]\n"
            f"    return sorted(kept, key=lambda item: -item)[:{number % 5 + 1}]\n"
        )
        data = texts[module].encode()
        message = f"step {number}".encode()
        stream.append(b"commit refs/heads/main\n")
        stream.append(f"author Alice <alice@example.com> {when + number * 3600} +0000\n".encode())
        stream.append(
            f"committer Alice <alice@example.com> {when + number * 3600} +0000\n".encode()
        )
        stream.append(b"data %d\n%s\n" % (len(message), message))
        stream.append(b"M 644 inline shop/module_%d.py\ndata %d\n%s\n" % (module, len(data), data))
    subprocess.run(
        ["git", "-C", str(path), "fast-import", "--quiet"], input=b"".join(stream), check=True
    )
    subprocess.run(["git", "-C", str(path), "checkout", "-q", "main"], check=True)


COMMITS = 6000  # about 10 s to read here: an interrupt after 1 s lands midway


def test_ctrl_c_keeps_what_was_read_and_the_next_run_reads_the_rest(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    _long_history(repo, COMMITS)
    home = tmp_path / "home"
    command = [sys.executable, "-m", "mindgap", "profile", "--developer", ALICE[1]]
    command += ["--repo", str(repo), "--format", "json"]
    env = {**os.environ, "MINDGAP_HOME": str(home)}
    reading = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    )
    assert reading.stderr is not None
    started = reading.stderr.readline()  # not a terminal: one line when reading begins
    assert f"reading {COMMITS:,} commits" in started
    subprocess.run(["sleep", "1"], check=True)  # some commits read, far from all
    reading.send_signal(signal.SIGINT)
    _, rest = reading.communicate(timeout=60)
    assert reading.returncode == 2
    assert "interrupted - the commits read so far are kept" in rest
    assert "Traceback" not in rest
    with sqlite3.connect(home / DATABASE_NAME) as store:
        kept = store.execute("SELECT count(*) FROM history_read").fetchone()[0]
    assert 0 < kept < COMMITS
    again = mindgap(*command[3:], home=home)
    assert again.returncode == 0, again.stderr
    read_now = sum(r["commits_read"] for r in json.loads(again.stdout)["repositories"])
    assert kept + read_now == COMMITS
