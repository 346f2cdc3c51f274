"""End to end with a real editor: a coding agent edits the file open in headless Neovim and
its hook records the edit; the diagnostic naming the agent appears within a second."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.e2e.test_neovim import APP, nvim, run_neovim  # noqa: F401 - nvim is a fixture
from tests.fixtures.gitrepo import GitRepo

pytestmark = pytest.mark.e2e

DRIVER = Path(__file__).with_name("neovim_agent_driver.lua")
AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"
OLD = "def main():\n    return 0\n"
NEW = "def total(items):\n    return sum(item.price for item in items)\n\n\n" + OLD


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    repo = GitRepo(tmp_path / "repo", author=("Dev", "dev@example.com"))
    repo.commit("start", {"app.py": APP})
    return repo.path


def test_neovim_shows_an_agents_edit_within_a_second(
    nvim: str,  # noqa: F811 - the fixture
    workspace: Path,
    tmp_path: Path,
) -> None:
    path = workspace / "app.py"
    payload = json.loads((AGENTS / "claude-code-edit.json").read_text(encoding="utf-8"))
    payload["cwd"] = str(workspace)
    payload["tool_input"].update(file_path=str(path), old_string=OLD, new_string=NEW)
    new_text = APP.replace(OLD, NEW)
    steps = {
        "new_lines": new_text.splitlines(),
        "payload": json.dumps(payload),
        "hook_cmd": [sys.executable, "-m", "mindgap", "agent", "record", "--agent", "claude-code"],
        "agent_name": "Claude Code",
        "agent_timeout_ms": 1000,
    }
    run = run_neovim(nvim, tmp_path, path, steps, driver=DRIVER)

    assert run.result["hook_exit"] == 0 and run.result["hook_output"] == ""
    assert run.step("opened")["diagnostics"] == []
    after = run.step("after the agent")
    assert after["lines"] == new_text.splitlines()
    (region,) = [d for d in after["diagnostics"] if d["code"] == "foreign-region"]
    assert (region["lnum"], region["end_lnum"]) == (3, 4)  # def total ... return sum(...)
    assert "agent edit" in region["message"] and "Claude Code" in region["message"]
    assert run.result["shown_in_time"], f"shown after {run.result['waited_ms']:.0f} ms"
