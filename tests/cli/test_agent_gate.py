"""`agent_gate`: at the end of an agent's turn its hook says how many agent-written lines are
still pending, with the command to quiz them (warn), or keeps the turn going (block)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from mindgap.config import resolve_settings
from mindgap.ledger.database import Database
from mindgap.provenance.agent_gate import repository_setting
from mindgap.provenance.persistence import FileState, RegionStore
from tests.cli.ledger_fixtures import mindgap
from tests.cli.test_agent_record import APP, apply, payload, replay
from tests.fixtures.gitrepo import GitRepo


def repo_with_gate(tmp_path: Path, gate: str) -> GitRepo:
    repo = GitRepo(tmp_path / "repo", author=("Dev", "dev@example.com"))
    repo.commit("start", {"app.py": APP, ".mindgap.toml": f'agent_gate = "{gate}"\n'})
    return repo


def turn_ends(name: str, repo: GitRepo, home: Path, agent: str) -> dict:
    result = mindgap("agent", "record", "--agent", agent, home=home, stdin=payload(name, repo))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


@pytest.mark.parametrize(
    "files",
    [
        {"pyproject.toml": '[tool.mindgap]\nagent-gate = "warn"\ndeveloper = "a@x.org"\n'},
        {
            "pyproject.toml": '[tool.mindgap]\nagent_gate = "warn"\n',
            ".mindgap.toml": 'agentGate = "block"\ndeveloper = "b@x.org"\n',
        },
        {},
    ],
)
def test_the_hooks_light_settings_reader_agrees_with_the_settings(
    tmp_path: Path, files: dict[str, str]
) -> None:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = resolve_settings(tmp_path)
    light = repository_setting(tmp_path)
    assert light.get("agent_gate", "off") == settings.agent_gate
    assert light.get("developer") == settings.developer


def test_warn_tells_the_developer_in_the_agents_ui(tmp_path: Path) -> None:
    repo, home = repo_with_gate(tmp_path, "warn"), tmp_path / "home"
    apply("claude-code-edit.json", repo)
    replay("claude-code-edit.json", repo, home, "claude-code")
    answer = turn_ends("claude-code-stop.json", repo, home, "claude-code")
    assert set(answer) == {"systemMessage"}
    assert "3 agent-written lines" in answer["systemMessage"]
    assert "mindgap quiz app.py:6-8" in answer["systemMessage"]


def test_block_keeps_the_turn_going_until_the_code_is_cleared(tmp_path: Path) -> None:
    repo, home = repo_with_gate(tmp_path, "block"), tmp_path / "home"
    apply("claude-code-edit.json", repo)
    replay("claude-code-edit.json", repo, home, "claude-code")
    answer = turn_ends("claude-code-stop.json", repo, home, "claude-code")
    assert answer["decision"] == "block"
    assert "mindgap quiz app.py:6-8" in answer["reason"]
    assert "mindgap agent wait --session 3f2a9c1e" in answer["reason"]
    waiting = mindgap("agent", "wait", "--timeout", "0", home=home, cwd=repo.path)
    assert waiting.returncode == 1 and "3 lines pending" in waiting.stdout

    # the developer waives it (as the editor's "accept without understanding" does)
    store = RegionStore(Database(home / "mindgap.sqlite3"), "dev@example.com")
    path = str(repo.path / "app.py")
    (region,) = store.load(path)
    store.save(FileState(path, [replace(region, state="waived")], [(5, 7)], None))
    store.database.close()

    assert turn_ends("claude-code-stop.json", repo, home, "claude-code") == {}
    waiting = mindgap("agent", "wait", "--timeout", "0", home=home, cwd=repo.path)
    assert waiting.returncode == 0 and "cleared" in waiting.stdout


def test_block_in_gemini_and_cursor_uses_their_own_answers(tmp_path: Path) -> None:
    repo, home = repo_with_gate(tmp_path, "block"), tmp_path / "home"
    apply("gemini-replace.json", repo)
    replay("gemini-replace.json", repo, home, "gemini")
    answer = turn_ends("gemini-after-agent.json", repo, home, "gemini")
    assert answer["decision"] == "deny" and "mindgap quiz app.py:6-7" in answer["reason"]
    apply("cursor-after-file-edit.json", repo)
    replay("cursor-after-file-edit.json", repo, home, "cursor")
    answer = turn_ends("cursor-stop.json", repo, home, "cursor")
    assert "mindgap quiz app.py:" in answer["followup_message"]


def test_without_the_setting_the_turn_ends_quietly(tmp_path: Path) -> None:
    repo, home = repo_with_gate(tmp_path, "off"), tmp_path / "home"
    apply("claude-code-edit.json", repo)
    replay("claude-code-edit.json", repo, home, "claude-code")
    assert turn_ends("claude-code-stop.json", repo, home, "claude-code") == {}
