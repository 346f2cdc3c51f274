"""End to end with a real editor: headless Neovim (0.7+) as the LSP client of `mindgap serve`.

Neovim loads the documented user config (docs/editors/neovim.lua), so these tests also prove
that the config we tell people to copy works. The Lua driver beside this file does the editing
and writes what Neovim saw to a JSON file; the assertions are here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.gitrepo import GitRepo

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
USER_CONFIG = REPO_ROOT / "docs" / "editors" / "neovim.lua"
DRIVER = Path(__file__).with_name("neovim_driver.lua")

STEP_TIMEOUT_MS = 15_000  # each wait inside Neovim
NVIM_TIMEOUT_S = 90  # the whole Neovim run

APP = '"""The app."""\n\n\ndef main():\n    return 0\n\n\nif __name__ == "__main__":\n    main()\n'
INSERT_AT = 5  # 0-based line: after `return 0`
BLOCK = [
    "",
    "",
    "def total(items):",  # line 7
    "    result = sum(item.price for item in items)",  # line 8
    "    return result",  # line 9
]
DEF_LINE, RESULT_LINE, RETURN_LINE = 7, 8, 9
TYPED_LINE = 9  # the developer's line goes between `result = ...` and `return result`

WAYS_OF_TYPING = {
    # one change inserting one short line
    "set_lines": {"how": "set_lines", "line": TYPED_LINE, "text": "    y = 2"},
    # real insert-mode keystrokes: `o` on the `result = ...` line, auto-indented, then the text
    "keystrokes": {"how": "keys", "after_line": RESULT_LINE, "text": "y = 2"},
}


@pytest.fixture
def nvim() -> str:
    found = shutil.which("nvim")
    if found is None:
        if os.environ.get("MINDGAP_REQUIRE_EDITORS"):
            pytest.fail("nvim is not on PATH, and MINDGAP_REQUIRE_EDITORS asks for it (as CI does)")
        pytest.skip("nvim is not on PATH (CI installs it with `apt-get install neovim`)")
    return found


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A real git repository with one commit of one small Python file."""
    repo = GitRepo(tmp_path / "repo", author=("Dev", "dev@example.com"))
    repo.commit("start", {"app.py": APP})
    return repo.path


@dataclass
class NeovimRun:
    returncode: int | None
    stdout: str
    stderr: str
    result: dict[str, Any]
    lsp_log: Path
    server_log: Path

    def report(self) -> str:
        """Everything needed to tell what went wrong, for failure messages."""
        parts = [
            f"nvim exit code: {self.returncode}",
            f"nvim stdout:\n{self.stdout.strip()}",
            f"nvim stderr:\n{self.stderr.strip()}",
            f"driver result:\n{json.dumps(self.result, indent=2)}",
            f"Neovim LSP log ({self.lsp_log}):\n{_tail(self.lsp_log)}",
            f"server log ({self.server_log}):\n{_tail(self.server_log)}",
        ]
        return "\n\n".join(parts)

    def step(self, name: str) -> dict[str, Any]:
        return next(step for step in self.result["steps"] if step["name"] == name)


def _tail(path: Path, chars: int = 6000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:].strip() or "(empty)"
    except OSError as error:
        return f"(unreadable: {error})"


def run_neovim(
    nvim: str, tmp_path: Path, file: Path, steps: dict[str, Any], driver: Path = DRIVER
) -> NeovimRun:
    """Neovim with the documented config edits `file` as the Lua `driver` says, given the
    scenario's `steps`; the mindgap data directory is tmp_path/mindgap-home."""
    home = tmp_path / "mindgap-home"
    xdg = tmp_path / "xdg"
    server_log = tmp_path / "server.log"
    result_path = tmp_path / "result.json"
    scenario = {
        "config": str(USER_CONFIG),
        "cmd": [sys.executable, "-m", "mindgap", "serve", "--log-file", str(server_log)],
        "file": str(file),
        "result": str(result_path),
        "timeout_ms": STEP_TIMEOUT_MS,
        **steps,
    }
    scenario_path = tmp_path / "scenario.json"
    scenario_path.write_text(json.dumps(scenario), encoding="utf-8")
    env = {
        **os.environ,
        "MINDGAP_HOME": str(home),
        "MINDGAP_E2E_SCENARIO": str(scenario_path),
        "MINDGAP_E2E_DRIVER": str(driver),
        # keep Neovim's LSP log, state and cache inside the test's directory
        "XDG_CONFIG_HOME": str(xdg / "config"),
        "XDG_CACHE_HOME": str(xdg / "cache"),
        "XDG_DATA_HOME": str(xdg / "data"),
        "XDG_STATE_HOME": str(xdg / "state"),
    }
    command = [nvim, "--headless", "--clean", "-c", "lua dofile(os.getenv('MINDGAP_E2E_DRIVER'))"]
    lsp_log = xdg / "cache" / "nvim" / "lsp.log"
    try:
        finished = subprocess.run(
            command,
            cwd=file.parent,
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=NVIM_TIMEOUT_S,
        )
        returncode, stdout, stderr = finished.returncode, finished.stdout, finished.stderr
    except subprocess.TimeoutExpired as timeout:
        returncode = None
        stdout = _text(timeout.stdout) + f"\n(killed after {NVIM_TIMEOUT_S} s)"
        stderr = _text(timeout.stderr)
    try:
        result = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        result = {"error": f"no result from the driver: {error}"}
    lsp_log = Path(result.get("log_path") or lsp_log)
    run = NeovimRun(returncode, stdout, stderr, result, lsp_log, server_log)
    if returncode != 0 or "error" in result:
        failure = f"the Neovim run failed: {result.get('error')}"
        pytest.fail(f"{failure}\n\n{run.report()}", pytrace=False)
    # pytest shows captured output only when the test fails: then this says what Neovim saw
    print(run.report())
    return run


def _text(output: str | bytes | None) -> str:
    if isinstance(output, bytes):
        return output.decode("utf-8", errors="replace")
    return output or ""


def covers(diagnostic: dict[str, Any], line: int) -> bool:
    """Whether the diagnostic's range holds any of `line` (an end at column 0 does not)."""
    if not diagnostic["lnum"] <= line <= diagnostic["end_lnum"]:
        return False
    return not (line == diagnostic["end_lnum"] > diagnostic["lnum"] and diagnostic["end_col"] == 0)


def covered(diagnostics: list[dict[str, Any]], line: int) -> bool:
    return any(covers(d, line) for d in diagnostics)


@pytest.mark.parametrize("way", list(WAYS_OF_TYPING))
def test_neovim_marks_a_burst_and_typing_inside_it_is_the_developers(
    nvim: str, workspace: Path, tmp_path: Path, way: str
) -> None:
    steps = {"block": BLOCK, "insert_at": INSERT_AT, "typed": WAYS_OF_TYPING[way]}
    run = run_neovim(nvim, tmp_path, workspace / "app.py", steps)

    assert run.result["filetype"] == "python"
    assert run.result["clients"] == 1  # the documented config started one mindgap
    assert (tmp_path / "mindgap-home" / "mindgap.sqlite3").exists()  # MINDGAP_HOME honoured

    opened = run.step("opened")
    assert opened["diagnostics"] == []  # committed, hand-written code: silence

    inserted = run.step("inserted")
    assert inserted["lines"][DEF_LINE : RETURN_LINE + 1] == BLOCK[2:]
    (region,) = inserted["diagnostics"]
    assert region["source"] == "mindgap"
    assert region["code"] == "foreign-region"
    assert region["severity"] == "INFO"
    assert (region["lnum"], region["col"]) == (DEF_LINE, 0)
    assert region["end_lnum"] == RETURN_LINE
    assert region["message"].startswith("3 lines inserted in one burst")
    assert "not yet understood" in region["message"]
    assert region["data"]["source"] == "burst"

    undone, redone = run.step("undo"), run.step("redo")
    assert undone["diagnostics"] == [] and undone["lines"] == opened["lines"]
    assert redone["diagnostics"] == inserted["diagnostics"], "redo brings the foreign block back"

    typed = run.step("typed")
    lines = typed["lines"]
    assert lines[TYPED_LINE].strip() == "y = 2"
    assert lines[DEF_LINE : TYPED_LINE + 2] == [*BLOCK[2:4], lines[TYPED_LINE], BLOCK[4]]
    diagnostics = typed["diagnostics"]
    assert all(d["source"] == "mindgap" and d["code"] == "foreign-region" for d in diagnostics)
    assert not covered(diagnostics, TYPED_LINE), "the typed line is the developer's"
    for foreign_line in (DEF_LINE, RESULT_LINE, TYPED_LINE + 1):
        assert covered(diagnostics, foreign_line), f"line {foreign_line} is still foreign"
    # the region split around the typed line: two pieces, each counting its own lines
    before, after = diagnostics
    assert (before["lnum"], before["end_lnum"]) == (DEF_LINE, RESULT_LINE)
    assert (after["lnum"], after["end_lnum"]) == (TYPED_LINE + 1, TYPED_LINE + 1)
    assert before["message"].startswith("2 lines inserted in one burst")
    assert after["message"].startswith("1 line inserted in one burst")
