"""`mindgap agent install|uninstall|status`: mindgap's hook merged into each agent's own
configuration, next to the hooks already there, and taken out again byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.gitrepo import GitRepo

# A Claude Code settings file as people have them: other settings, another PostToolUse hook
# (a formatter) and a Stop hook, in the file's own formatting.
CLAUDE_SETTINGS = """{
    "permissions": {"allow": ["Bash(npm run test:*)"]},
    "hooks": {
        "PostToolUse": [
            {
                "matcher": "Edit|Write",
                "hooks": [{"type": "command", "command": "npx prettier --write ."}]
            }
        ],
        "Stop": [{"hooks": [{"type": "command", "command": "notify-send done"}]}]
    }
}
"""
CURSOR_HOOKS = '{"version": 1, "hooks": {"afterFileEdit": [{"command": "./hooks/format.sh"}]}}\n'
GEMINI_SETTINGS = (
    '{"theme": "GitHub", "hooks": {"BeforeTool": [{"matcher": "run_shell_command",'
    ' "hooks": [{"type": "command", "command": "./guard.sh"}]}]}}\n'
)
CODEX_CONFIG = 'model = "gpt-5-codex"\n\n[mcp_servers.docs]\ncommand = "docs-server"\n'


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return GitRepo(tmp_path / "project").path


def agent(*args: str, project: Path, home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mindgap", "agent", *args],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "HOME": str(home), "MINDGAP_HOME": str(home / "mindgap")},
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize(
    ("name", "relative", "original", "events"),
    [
        ("claude-code", ".claude/settings.json", CLAUDE_SETTINGS, ("PostToolUse", "Stop")),
        ("cursor", ".cursor/hooks.json", CURSOR_HOOKS, ("afterFileEdit", "stop")),
        ("gemini", ".gemini/settings.json", GEMINI_SETTINGS, ("AfterTool", "AfterAgent")),
    ],
)
def test_install_merges_is_idempotent_and_uninstall_restores_the_bytes(
    project: Path, tmp_path: Path, name: str, relative: str, original: str, events: tuple
) -> None:
    home = tmp_path / "home"
    config = project / relative
    config.parent.mkdir(parents=True)
    config.write_text(original, encoding="utf-8")

    installed = agent("install", name, "--project", project=project, home=home)
    assert installed.returncode == 0, installed.stderr
    assert str(config) in installed.stdout
    merged = json.loads(config.read_text(encoding="utf-8"))
    before = json.loads(original)
    for event, entries in before["hooks"].items():  # every other hook is still there
        for entry in entries:
            assert entry in merged["hooks"][event]
    for key in set(before) - {"hooks"}:
        assert merged[key] == before[key]
    for event in events:
        assert any("agent record --agent " + name in json.dumps(e) for e in merged["hooks"][event])
    if name == "claude-code":
        (ours,) = [e for e in merged["hooks"]["PostToolUse"] if "mindgap" in json.dumps(e)]
        assert ours["matcher"] == "Write|Edit|MultiEdit|NotebookEdit"

    first = config.read_bytes()
    again = agent("install", name, project=project, home=home)
    assert again.returncode == 0 and "already installed" in again.stdout
    assert config.read_bytes() == first

    status = agent("status", project=project, home=home)
    assert f"{name}: installed in {config}" in status.stdout

    removed = agent("uninstall", name, project=project, home=home)
    assert removed.returncode == 0, removed.stderr
    assert config.read_text(encoding="utf-8") == original


def test_install_into_a_new_file_and_uninstall_leaves_nothing(
    project: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    assert agent("install", "claude-code", "--user", project=project, home=home).returncode == 0
    settings = home / ".claude" / "settings.json"
    hook = json.loads(settings.read_text(encoding="utf-8"))["hooks"]["PostToolUse"][0]
    command = hook["hooks"][0]["command"]
    assert command.endswith("agent record --agent claude-code")
    assert agent("uninstall", "claude-code", "--user", project=project, home=home).returncode == 0
    assert not (home / ".claude").exists()


def test_a_hook_edited_since_the_install_keeps_the_users_changes(
    project: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    agent("install", "cursor", project=project, home=home)
    config = project / ".cursor" / "hooks.json"
    data = json.loads(config.read_text(encoding="utf-8"))
    data["hooks"]["stop"].append({"command": "./after.sh"})
    config.write_text(json.dumps(data), encoding="utf-8")
    agent("uninstall", "cursor", project=project, home=home)
    left = json.loads(config.read_text(encoding="utf-8"))
    assert left["hooks"] == {"stop": [{"command": "./after.sh"}]}


def test_codex_notify_is_added_but_never_replaces_another_program(
    project: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    config = home / ".codex" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(CODEX_CONFIG, encoding="utf-8")
    assert agent("install", "codex", project=project, home=home).returncode == 0
    text = config.read_text(encoding="utf-8")
    assert text.startswith("notify = [") and "agent" in text.splitlines()[0]
    assert text.endswith(CODEX_CONFIG)
    assert agent("uninstall", "codex", project=project, home=home).returncode == 0
    assert config.read_text(encoding="utf-8") == CODEX_CONFIG

    config.write_text('notify = ["notify-send"]\n' + CODEX_CONFIG, encoding="utf-8")
    refused = agent("install", "codex", project=project, home=home)
    assert refused.returncode == 2
    assert refused.stderr.startswith("mindgap: ") and "only one" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_a_broken_settings_file_is_a_one_line_error_and_left_alone(
    project: Path, tmp_path: Path
) -> None:
    config = project / ".claude" / "settings.json"
    config.parent.mkdir()
    config.write_text('{"hooks": {', encoding="utf-8")
    result = agent("install", "claude-code", project=project, home=tmp_path / "home")
    assert result.returncode == 2
    assert "not valid JSON" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert config.read_text(encoding="utf-8") == '{"hooks": {'


def test_status_without_any_hook_says_how_to_install(project: Path, tmp_path: Path) -> None:
    result = agent("status", project=project, home=tmp_path / "home")
    assert result.returncode == 0
    assert "mindgap agent install" in result.stdout


def test_the_installed_command_is_one_the_agent_can_run(project: Path, tmp_path: Path) -> None:
    """Run the hook exactly as Claude Code would: the settings' command, through a shell,
    with the payload on stdin, from a PATH that does not hold mindgap."""
    home = tmp_path / "home"
    agent("install", "claude-code", project=project, home=home)
    settings = json.loads((project / ".claude" / "settings.json").read_text(encoding="utf-8"))
    command = settings["hooks"]["PostToolUse"][0]["hooks"][0]["command"]
    app = project / "app.py"
    app.write_text("def main():\n    return 0\n", encoding="utf-8")
    payload = {
        "session_id": "s1",
        "cwd": str(project),
        "hook_event_name": "PostToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": str(app), "content": app.read_text(encoding="utf-8")},
    }
    result = subprocess.run(
        ["/bin/sh", "-c", command],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        cwd=project,
        env={"PATH": "/usr/bin:/bin", "HOME": str(home), "MINDGAP_HOME": str(home / "mindgap")},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == "", result.stderr
    check = subprocess.run(
        [sys.executable, "-m", "mindgap", "check", str(app), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home), "MINDGAP_HOME": str(home / "mindgap")},
        timeout=120,
        check=False,
    )
    (finding,) = [f for f in json.loads(check.stdout)["findings"] if f["kind"] == "foreign-region"]
    assert "Claude Code" in finding["message"]
