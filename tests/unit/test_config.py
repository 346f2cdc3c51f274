"""Settings: defaults < [tool.mindgap] in pyproject.toml < .mindgap.toml < the editor."""

from __future__ import annotations

import subprocess

import pytest

from mindgap.config import (
    Settings,
    SettingsError,
    developer_identity,
    load_repository_settings,
    resolve_settings,
)


def write(root, name, text):
    (root / name).write_text(text, encoding="utf-8")


def test_defaults_without_a_repository():
    settings = resolve_settings(None)
    assert settings == Settings()
    assert settings.enabled and settings.watch_files
    assert (settings.burst_min_lines, settings.burst_min_chars) == (2, 60)
    assert settings.foreign_severity == "information"
    assert settings.developer is None


def test_pyproject_tool_table(tmp_path):
    write(
        tmp_path,
        "pyproject.toml",
        '[project]\nname = "demo"\n\n'
        '[tool.mindgap]\nburst-min-lines = 4\nforeign-severity = "warning"\n\n'
        "[tool.other]\nburst-min-lines = 99\n",
    )
    settings = resolve_settings(tmp_path)
    assert settings.burst_min_lines == 4
    assert settings.foreign_severity == "warning"
    assert settings.burst_min_chars == 60


def test_pyproject_without_the_table_gives_defaults(tmp_path):
    write(tmp_path, "pyproject.toml", '[project]\nname = "demo"\n')
    assert resolve_settings(tmp_path) == Settings()


def test_mindgap_toml_wins_over_pyproject(tmp_path):
    write(
        tmp_path, "pyproject.toml", "[tool.mindgap]\nburst_min_lines = 4\nburst_min_chars = 100\n"
    )
    write(tmp_path, ".mindgap.toml", "burst_min_lines = 7\nwatch-files = false\n")
    settings = resolve_settings(tmp_path)
    assert settings.burst_min_lines == 7  # .mindgap.toml
    assert settings.burst_min_chars == 100  # only in pyproject.toml
    assert settings.watch_files is False


def test_every_spelling_names_the_same_setting(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.mindgap]\nburst-min-lines = 4\n")
    write(tmp_path, ".mindgap.toml", "burstMinLines = 5\n")
    assert load_repository_settings(tmp_path) == {"burst_min_lines": 5}
    assert resolve_settings(tmp_path).burst_min_lines == 5


def test_editor_options_win_over_both_files(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.mindgap]\nburst-min-lines = 4\nburst-min-chars = 80\n")
    write(tmp_path, ".mindgap.toml", 'burst_min_lines = 7\nforeign_severity = "hint"\n')
    settings = resolve_settings(
        tmp_path, {"burstMinLines": 9, "foreignSeverity": "error", "developer": None}
    )
    assert settings.burst_min_lines == 9
    assert settings.foreign_severity == "error"
    assert settings.burst_min_chars == 80  # not set by the editor
    assert settings.developer is None  # a null from the editor does not erase anything


def test_editor_snake_case_wins_over_camel_case_in_the_repository(tmp_path):
    write(tmp_path, ".mindgap.toml", "burstMinLines = 7\n")
    assert resolve_settings(tmp_path, {"burst_min_lines": 3}).burst_min_lines == 3


def test_unknown_keys_are_ignored(tmp_path):
    write(tmp_path, ".mindgap.toml", "someFutureSetting = 1\n")
    assert resolve_settings(tmp_path, {"anotherOne": True}) == Settings()


@pytest.mark.parametrize(
    "options",
    [
        {"burstMinLines": 0},
        {"burst_min_chars": -5},
        {"burstMinLines": "lots"},
        {"foreignSeverity": "loud"},
        {"enabled": "perhaps"},
    ],
)
def test_invalid_editor_values_raise(tmp_path, options):
    with pytest.raises(SettingsError) as raised:
        resolve_settings(tmp_path, options)
    assert "invalid mindgap settings" in str(raised.value)


def test_invalid_value_in_a_file_raises(tmp_path):
    write(tmp_path, "pyproject.toml", "[tool.mindgap]\nburst-min-lines = 0\n")
    with pytest.raises(SettingsError) as raised:
        resolve_settings(tmp_path)
    assert "burst_min_lines" in str(raised.value) or "burstMinLines" in str(raised.value)


def test_unreadable_toml_names_the_file(tmp_path):
    write(tmp_path, ".mindgap.toml", "burst_min_lines = = 3\n")
    with pytest.raises(SettingsError) as raised:
        resolve_settings(tmp_path)
    assert str(tmp_path / ".mindgap.toml") in str(raised.value)


def test_invalid_utf8_toml_is_a_settings_error(tmp_path):
    (tmp_path / "pyproject.toml").write_bytes(b"[tool.mindgap]\ndeveloper = '\xff'\n")
    with pytest.raises(SettingsError):
        resolve_settings(tmp_path)


def test_developer_identity_prefers_the_setting(tmp_path):
    settings = resolve_settings(tmp_path, {"developer": "ada@example.com"})
    assert developer_identity(settings, tmp_path) == "ada@example.com"


def test_developer_identity_from_git(tmp_path, monkeypatch):
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(tmp_path / "no-global"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    try:
        subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
        subprocess.run(
            ["git", "-C", str(tmp_path), "config", "user.email", "grace@example.com"], check=True
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    assert developer_identity(Settings(), tmp_path) == "grace@example.com"
    outside = tmp_path.parent / (tmp_path.name + "-plain")
    outside.mkdir()
    assert developer_identity(Settings(), outside) == "unknown"


def test_a_repository_cannot_choose_the_sandbox_command(tmp_path, caplog):
    """A cloned repository naming `sh -c` as the sandbox would run its code unsandboxed."""
    write(
        tmp_path,
        ".mindgap.toml",
        'sandbox_command = ["sh", "-c", "touch owned; exec \\"$@\\"", "x"]\nburst_min_lines = 4\n',
    )
    settings = resolve_settings(tmp_path)
    assert settings.sandbox_command == []
    assert settings.burst_min_lines == 4  # the repository's other settings still count
    assert "ignored the repository's sandbox_command" in caplog.text
    # the user still can: from the editor, or from the environment on the command line
    assert resolve_settings(tmp_path, {"sandboxCommand": ["firejail"]}).sandbox_command == [
        "firejail"
    ]


def test_the_sandbox_command_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("MINDGAP_SANDBOX_COMMAND", "firejail --quiet")
    assert resolve_settings(tmp_path).sandbox_command == ["firejail", "--quiet"]
    monkeypatch.setenv("MINDGAP_SANDBOX_COMMAND", "'unclosed")
    with pytest.raises(SettingsError, match="MINDGAP_SANDBOX_COMMAND"):
        resolve_settings(tmp_path)
