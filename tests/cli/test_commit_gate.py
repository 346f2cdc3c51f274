"""The commit gate: `mindgap check --staged --gate` and the pre-commit hook, in real repos."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import pytest

from tests.cli.ledger_fixtures import mindgap, record_foreign
from tests.fixtures.gitrepo import ALICE, GitRepo

BASE = "def main():\n    return 0\n"
FOREIGN = (
    "def total(prices):\n"
    "    result = 0\n"
    "    for price in prices:\n"
    "        if price > 10:\n"
    "            result += price\n"
    "    return result"
)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repository = GitRepo(tmp_path / "repo")
    repository.commit("start", {"app.py": BASE, ".mindgap.toml": 'commit_gate = "pending"\n'})
    return repository


def stage_foreign(repo: GitRepo, home: Path, state: str = "pending") -> None:
    repo.write("app.py", BASE + "\n\n" + FOREIGN + "\n")
    record_foreign(home, ALICE[1], repo.path / "app.py", FOREIGN, state=state)
    repo.git("add", "app.py")


def test_the_gate_refuses_pending_foreign_code_and_says_how_to_clear_it(repo, tmp_path):
    home = tmp_path / "home"
    stage_foreign(repo, home)
    result = mindgap("check", "--staged", "--gate", home=home, cwd=repo.path)
    assert result.returncode == 1, result.stderr
    assert "commit refused - 1 foreign region(s) staged and still pending" in result.stderr
    assert "app.py:5-10  6 line(s) from inline-completion, copilot" in result.stderr
    assert "mindgap quiz app.py:5-10" in result.stderr
    assert "Accept without understanding" in result.stderr


def test_the_gate_passes_once_the_region_is_understood_by_a_quiz(repo, tmp_path):
    home = tmp_path / "home"
    stage_foreign(repo, home)
    assert mindgap("check", "--staged", "--gate", home=home, cwd=repo.path).returncode == 1
    pass_quiz(repo, home)
    result = mindgap("check", "--staged", "--gate", home=home, cwd=repo.path)
    assert result.returncode == 0, result.stderr
    assert "commit gate passed" in result.stdout


def pass_quiz(repo: GitRepo, home: Path) -> None:
    """`mindgap quiz app.py:5-10` in a terminal, answered right. The keys come from its JSON
    printed under another home: answers shown to this developer are never asked again, so a
    `--with-answers` in their own ledger would make the terminal quiz another one."""
    keys = mindgap(
        "quiz",
        "app.py:5-10",
        "--format",
        "json",
        "--with-answers",
        home=home.parent / "answer-key",
        cwd=repo.path,
    )
    answers = "\n".join(q["answer"] for q in json.loads(keys.stdout)["questions"]) + "\n"
    quiz = mindgap("quiz", "app.py:5-10", home=home, cwd=repo.path, stdin=answers)
    assert quiz.returncode == 0, quiz.stdout + quiz.stderr


def test_waived_code_passes_as_recorded_debt(repo, tmp_path):
    home = tmp_path / "home"
    stage_foreign(repo, home, state="waived")
    result = mindgap("check", "--staged", "--gate", home=home, cwd=repo.path)
    assert result.returncode == 0, result.stderr
    assert "1 waived region(s) go in as recorded debt" in result.stdout


def test_code_committed_earlier_is_not_this_commits_doing(repo, tmp_path):
    home = tmp_path / "home"
    stage_foreign(repo, home)
    repo.git("commit", "-q", "--no-verify", "-m", "foreign")
    repo.append("app.py", "\nVALUE = 1\n")
    repo.git("add", "app.py")
    assert mindgap("check", "--staged", "--gate", home=home, cwd=repo.path).returncode == 0


def test_the_gate_is_off_unless_the_repository_asks_for_it(tmp_path):
    home = tmp_path / "home"
    repository = GitRepo(tmp_path / "plain")
    repository.commit("start", {"app.py": BASE})
    stage_foreign(repository, home)
    gated = mindgap("check", "--staged", "--gate", home=home, cwd=repository.path)
    assert gated.returncode == 0
    assert "commit gate is off" in gated.stderr
    # without --gate, the staged foreign code is still listed (and is a finding)
    listed = mindgap("check", "--staged", "--format", "json", home=home, cwd=repository.path)
    assert listed.returncode == 1
    data = json.loads(listed.stdout)
    assert data["refused"] is False
    assert [(r["file"], r["startLine"], r["endLine"], r["state"]) for r in data["regions"]] == [
        ("app.py", 5, 10, "pending")
    ]


def test_outside_a_repository_is_a_usage_error(tmp_path):
    result = mindgap("check", "--staged", "--gate", home=tmp_path / "home", cwd=tmp_path)
    assert result.returncode == 2
    assert "not inside a git repository" in result.stderr


def git_commit(repo: GitRepo, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "commit", "-q", "-m", "add total"],
        cwd=repo.path,
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"},
        check=False,
    )


def test_a_real_commit_with_the_installed_hook_is_refused_then_accepted(repo, tmp_path):
    home = tmp_path / "home"
    installed = mindgap("hook", "install", home=home, cwd=repo.path)
    assert installed.returncode == 0, installed.stderr
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    assert hook.stat().st_mode & stat.S_IXUSR
    stage_foreign(repo, home)
    refused = git_commit(repo, home)
    assert refused.returncode != 0
    assert "mindgap quiz app.py:5-10" in refused.stderr
    assert repo.git("log", "--format=%s") == "start"
    pass_quiz(repo, home)
    accepted = git_commit(repo, home)
    assert accepted.returncode == 0, accepted.stderr
    assert repo.git("log", "-1", "--format=%s") == "add total"


def test_hook_install_leaves_a_foreign_hook_alone_and_uninstall_removes_only_ours(repo, tmp_path):
    home = tmp_path / "home"
    hook = repo.path / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho lint\n", encoding="utf-8")
    refused = mindgap("hook", "install", home=home, cwd=repo.path)
    assert refused.returncode == 2
    assert "not mindgap's" in refused.stderr
    assert hook.read_text(encoding="utf-8") == "#!/bin/sh\necho lint\n"
    assert mindgap("hook", "uninstall", home=home, cwd=repo.path).returncode == 2
    assert hook.exists()
    hook.unlink()
    assert mindgap("hook", "install", home=home, cwd=repo.path).returncode == 0
    assert mindgap("hook", "install", home=home, cwd=repo.path).returncode == 0  # ours: updated
    assert mindgap("hook", "uninstall", home=home, cwd=repo.path).returncode == 0
    assert not hook.exists()
