"""`mindgap agent record`, the hook coding agents run: payloads replayed exactly as each agent
sends them (tests/fixtures/agents/), then `mindgap check` shows what was recorded."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mindgap.ledger.database import Database
from mindgap.provenance.persistence import RegionStore
from tests.cli.ledger_fixtures import mindgap, record_foreign
from tests.fixtures.gitrepo import GitRepo

AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"
APP = '"""The app."""\n\nimport os\n\n\ndef main():\n    return 0\n'


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo", author=("Dev", "dev@example.com"))
    repo.commit("start", {"app.py": APP})
    return repo


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


def payload(name: str, repo: GitRepo, outside: Path | None = None) -> str:
    text = (AGENTS / name).read_text(encoding="utf-8")
    return text.replace("$REPO", str(repo.path)).replace("$OUTSIDE", str(outside or ""))


def apply(name: str, repo: GitRepo) -> None:
    """Do to the file what the agent's tool did, as the payload describes it."""
    data = json.loads(payload(name, repo))
    tool_input = data.get("tool_input", data)
    path = Path(tool_input["file_path"])
    if "content" in tool_input:
        path.write_text(tool_input["content"], encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    edits = tool_input.get("edits") or [tool_input]
    for edit in edits:
        assert text.count(edit["old_string"]) == 1
        text = text.replace(edit["old_string"], edit["new_string"])
    path.write_text(text, encoding="utf-8")


def replay(name: str, repo: GitRepo, home: Path, agent: str, outside: Path | None = None) -> None:
    result = mindgap(
        "agent", "record", "--agent", agent, home=home, stdin=payload(name, repo, outside)
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # an agent parses the hook's output: nothing unless asked


def foreign(repo: GitRepo, home: Path, name: str) -> list[tuple[int, int, str]]:
    """(first line, last line, message) of each foreign region `mindgap check` shows."""
    result = mindgap("check", str(repo.path / name), "--format", "json", home=home)
    assert result.returncode in (0, 1), result.stderr
    return [
        (f["range"]["start"]["line"] + 1, f["range"]["end"]["line"] + 1, f["message"])
        for f in json.loads(result.stdout)["findings"]
        if f["kind"] == "foreign-region"
    ]


def hook_log(home: Path) -> str:
    path = home / "agent-hooks.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def test_an_edit_in_the_middle_of_a_file_is_exactly_the_inserted_lines(
    repo: GitRepo, home: Path
) -> None:
    apply("claude-code-edit.json", repo)
    replay("claude-code-edit.json", repo, home, "claude-code")
    ((first, last, message),) = foreign(repo, home, "app.py")
    assert (first, last) == (6, 8)  # def total(...) to return result; main() stays the dev's
    assert "agent edit" in message and "Claude Code" in message and "session 3f2a9c1e" in message


def test_a_multiedit_records_each_edit_and_only_the_changed_lines(
    repo: GitRepo, home: Path
) -> None:
    apply("claude-code-multiedit.json", repo)
    replay("claude-code-multiedit.json", repo, home, "claude-code")
    lines = [(first, last) for first, last, _ in foreign(repo, home, "app.py")]
    assert lines == [(4, 4), (8, 8)]  # `import json`, and the print in main


def test_a_new_file_is_foreign_as_a_whole(repo: GitRepo, home: Path) -> None:
    apply("claude-code-write-new.json", repo)
    replay("claude-code-write-new.json", repo, home, "claude-code")
    ((first, last, message),) = foreign(repo, home, "slug.py")
    assert (first, last) == (1, 6)
    assert "Claude Code" in message


def test_a_write_over_a_committed_file_is_its_difference_from_head(
    repo: GitRepo, home: Path
) -> None:
    apply("claude-code-write-existing.json", repo)
    replay("claude-code-write-existing.json", repo, home, "claude-code")
    lines = [(first, last) for first, last, _ in foreign(repo, home, "app.py")]
    assert lines == [(6, 7)]  # home() only: the rest was there before


def test_a_second_write_is_diffed_against_what_the_first_left(repo: GitRepo, home: Path) -> None:
    apply("claude-code-write-new.json", repo)
    replay("claude-code-write-new.json", repo, home, "claude-code")
    # the agent writes the file again with one line more: only that line is new
    data = json.loads(payload("claude-code-write-new.json", repo))
    data["tool_input"]["content"] += "\n\nSEPARATOR = '-'\n"
    (repo.path / "slug.py").write_text(data["tool_input"]["content"], encoding="utf-8")
    result = mindgap("agent", "record", home=home, stdin=json.dumps(data))
    assert result.returncode == 0
    lines = [(first, last) for first, last, _ in foreign(repo, home, "slug.py")]
    assert lines == [(1, 6), (9, 9)]


def test_an_edit_whose_old_text_is_not_in_the_file_records_nothing(
    repo: GitRepo, home: Path
) -> None:
    replay("claude-code-edit-failed.json", repo, home, "claude-code")  # the file is unchanged
    assert foreign(repo, home, "app.py") == []
    assert "not in the file" in hook_log(home)


def test_a_binary_file_is_ignored_and_logged(repo: GitRepo, home: Path) -> None:
    (repo.path / "logo.bin").write_bytes(b"\x00\x01PNG data")
    replay("claude-code-write-binary.json", repo, home, "claude-code")
    assert "binary" in hook_log(home)


def test_a_file_outside_the_repository_is_ignored(
    repo: GitRepo, home: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "notes.py").write_text("def note():\n    return 'elsewhere'\n", encoding="utf-8")
    replay("claude-code-write-outside.json", repo, home, "claude-code", outside=outside)
    assert "in no git repository" in hook_log(home)
    assert not (home / "mindgap.sqlite3").exists() or foreign(repo, home, "app.py") == []


@pytest.mark.parametrize("garbage", ["", "not json at all {", "[1, 2, 3]", '{"tool_name": 3}'])
def test_a_payload_that_is_not_an_agents_exits_0_and_is_logged(
    home: Path, garbage: str, tmp_path: Path
) -> None:
    result = mindgap("agent", "record", "--agent", "claude-code", home=home, stdin=garbage)
    assert result.returncode == 0
    assert result.stdout == "" and result.stderr == ""
    if garbage != '{"tool_name": 3}':  # a tool mindgap does not follow: silently nothing
        assert hook_log(home).strip()


def test_cursor_and_gemini_edits_carry_their_agents_names(repo: GitRepo, home: Path) -> None:
    apply("cursor-after-file-edit.json", repo)
    replay("cursor-after-file-edit.json", repo, home, "cursor")
    ((first, last, message),) = foreign(repo, home, "app.py")
    assert (first, last) == (7, 8)  # the two new lines of main
    assert "Cursor, claude-4.5-sonnet" in message

    apply("gemini-write-file.json", repo)
    replay("gemini-write-file.json", repo, home, "gemini")
    ((first, last, message),) = foreign(repo, home, "config.py")
    assert (first, last) == (1, 4) and "Gemini CLI" in message


def test_gemini_replace_without_the_agent_option_is_recognised(repo: GitRepo, home: Path) -> None:
    apply("gemini-replace.json", repo)
    result = mindgap("agent", "record", home=home, stdin=payload("gemini-replace.json", repo))
    assert result.returncode == 0
    ((first, last, message),) = foreign(repo, home, "app.py")
    assert (first, last) == (6, 7) and "Gemini CLI" in message


def test_codex_notify_records_the_files_changed_in_its_turn(repo: GitRepo, home: Path) -> None:
    (repo.path / "app.py").write_text(APP + "\n\ndef port(text):\n    return int(text)\n")
    result = mindgap(
        "agent", "record", "--agent", "codex", payload("codex-notify.json", repo), home=home
    )
    assert result.returncode == 0
    ((first, last, message),) = foreign(repo, home, "app.py")
    assert (first, last) == (10, 11) and "Codex" in message


def test_regions_the_file_on_disk_does_not_show_are_left_to_their_editor(
    repo: GitRepo, home: Path
) -> None:
    """Code an editor holds unsaved (its server stored the region) is not on disk: the hook
    must not take it for deleted."""
    path = repo.path / "app.py"
    typed = "def typed():\n    return 'in the editor, not saved'\n"
    path.write_text(APP + "\n\n" + typed, encoding="utf-8")
    record_foreign(home, "dev@example.com", path, typed)
    path.write_text(APP, encoding="utf-8")  # what the disk holds

    apply("claude-code-edit.json", repo)
    replay("claude-code-edit.json", repo, home, "claude-code")
    database = Database(home / "mindgap.sqlite3")
    store = RegionStore(database, "dev@example.com")
    texts = sorted(region.text for region in store.load(str(path.resolve())))
    kinds = [row["kind"] for row in database.query("SELECT kind FROM events ORDER BY id")]
    database.close()
    assert texts == [
        "def total(items):\n    result = sum(item.price for item in items)\n    return result",
        typed,  # as its editor stored it
    ]
    assert kinds == ["inserted", "inserted"]


def test_a_write_with_the_original_file_in_its_response_leaves_uncommitted_lines_alone(
    repo: GitRepo, home: Path
) -> None:
    """The developer's uncommitted `DEBUG = True` is not the agent's, though HEAD lacks it."""
    (repo.path / "app.py").write_text(APP + "\n\nDEBUG = True\n", encoding="utf-8")
    apply("claude-code-write-update-response.json", repo)
    replay("claude-code-write-update-response.json", repo, home, "claude-code")
    assert [(a, b) for a, b, _ in foreign(repo, home, "app.py")] == [(13, 14)]


def notebook(*sources: tuple[str, str]) -> str:
    cells = [
        {
            "cell_type": "code",
            "id": cell_id,
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": source.splitlines(keepends=True),
        }
        for cell_id, source in sources
    ]
    return json.dumps(
        {
            "nbformat": 4,
            "nbformat_minor": 5,
            "metadata": {"language_info": {"name": "python"}},
            "cells": cells,
        }
    )


def test_a_notebook_edit_makes_its_cell_foreign(repo: GitRepo, home: Path) -> None:
    path = repo.path / "analysis.ipynb"
    first = ("a1b2c3d4", "rows = [[1, 2], [3, 4]]")
    path.write_text(notebook(first, ("b2c3d4e5", "print(rows)")), encoding="utf-8")
    repo.commit("analysis")
    edited = json.loads(payload("claude-code-notebook-edit.json", repo))["tool_input"]
    path.write_text(notebook(first, ("b2c3d4e5", edited["new_source"])), encoding="utf-8")
    replay("claude-code-notebook-edit.json", repo, home, "claude-code")
    result = mindgap("check", str(path), "--format", "json", home=home)
    assert result.returncode in (0, 1), result.stderr
    regions = [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "foreign-region"]
    ((cell, first_line, last_line, message),) = [
        (f["cell"], f["range"]["start"]["line"] + 1, f["range"]["end"]["line"] + 1, f["message"])
        for f in regions
    ]
    assert (cell, first_line, last_line) == (1, 1, 2)
    assert "Claude Code" in message
