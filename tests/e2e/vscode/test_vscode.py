"""End to end in a real VS Code: code-server 4.100.3 with the mindgap .vsix and a fixture
assistant extension, driven by headless Chromium (driver.mjs beside this file).

The developer opens a Python file, types the start of a function, accepts the assistant's
inline suggestion with Tab, sees mindgap's diagnostic and CodeLens, answers the quiz in the
QuickPick, and sees the region become understood and the debt in the status bar go down.
Screenshots of each step are saved under test-artifacts/vscode/.

Needs: code-server (tests/e2e/vscode/install-code-server.sh, run by .ci/run), node, Debian's
chromium, playwright-core (`npm ci --prefix tests/e2e/browser`) and the built extension
(`npm run package` in vscode-client/, run by tests/run-all.sh). In CI
(MINDGAP_REQUIRE_EDITORS) anything missing fails the test instead of skipping it.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
VSIX = REPO_ROOT / "vscode-client" / "dist" / "mindgap.vsix"
VSCE = REPO_ROOT / "vscode-client" / "node_modules" / ".bin" / "vsce"
PLAYWRIGHT_FROM = REPO_ROOT / "tests" / "e2e" / "browser" / "node_modules" / "playwright-core"
ARTIFACTS = REPO_ROOT / "test-artifacts" / "vscode"
CODE_SERVER_VERSION = "4.100.3"

STEP_TIMEOUT_MS = 30_000
OFFER_TIMEOUT_MS = 8_000  # the quiz the server offers on accept, before the CodeLens is used
DRIVER_TIMEOUT_S = 300

APP = '"""Prices."""\n\n\ndef main():\n    return 0\n'
TYPED = "def total_price(items):"


def _missing(what: str) -> None:
    if os.environ.get("MINDGAP_REQUIRE_EDITORS"):
        pytest.fail(f"{what}, and MINDGAP_REQUIRE_EDITORS asks for it (as CI does)")
    pytest.skip(what)


def code_server_path() -> Path | None:
    configured = os.environ.get("MINDGAP_CODE_SERVER")
    if configured:
        return Path(configured)
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    install = Path(
        os.environ.get("MINDGAP_CODE_SERVER_DIR")
        or cache / "mindgap" / f"code-server-{CODE_SERVER_VERSION}"
    )
    found = install / "node_modules" / ".bin" / "code-server"
    return found if found.exists() else None


@dataclass
class Tools:
    code_server: Path
    node: str
    chromium: str


@pytest.fixture
def tools() -> Tools:
    code_server = code_server_path()
    if code_server is None:
        _missing("code-server is not installed (tests/e2e/vscode/install-code-server.sh)")
    node = shutil.which("node")
    if node is None:
        _missing("node is not on PATH")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        _missing("chromium is not on PATH (apt-get install chromium)")
    if not PLAYWRIGHT_FROM.exists():
        _missing("playwright-core is not installed (npm ci --prefix tests/e2e/browser)")
    if not VSIX.exists() or not VSCE.exists():
        _missing("the extension is not built (cd vscode-client && npm ci && npm run package)")
    assert code_server is not None and node is not None and chromium is not None
    return Tools(code_server, node, chromium)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A real git repository with one commit of one small, hand-written Python file."""
    root = tmp_path / "repo"
    root.mkdir()
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q"], check=True, timeout=30)
    subprocess.run([*git, "config", "user.email", "dev@example.com"], check=True, timeout=30)
    subprocess.run([*git, "config", "user.name", "Dev"], check=True, timeout=30)
    (root / "prices.py").write_text(APP, encoding="utf-8")
    subprocess.run([*git, "add", "prices.py"], check=True, timeout=30)
    subprocess.run([*git, "commit", "-q", "-m", "start"], check=True, timeout=30)
    return root


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def package_fixture_extension(tmp_path: Path) -> Path:
    """The fixture assistant as a .vsix (code-server installs extensions from .vsix files)."""
    source = tmp_path / "fixture-completions"
    shutil.copytree(HERE / "fixture-completions", source)
    vsix = tmp_path / "fixture-completions.vsix"
    subprocess.run(
        [str(VSCE), "package", "--no-dependencies", "--allow-missing-repository"]
        + ["--skip-license", "--out", str(vsix)],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return vsix


@dataclass
class CodeServer:
    url: str
    user_data: Path
    log: Path


@pytest.fixture
def code_server(tools: Tools, tmp_path: Path, workspace: Path) -> Iterator[CodeServer]:
    user_data, extensions = tmp_path / "user-data", tmp_path / "extensions"
    fixture_vsix = package_fixture_extension(tmp_path)
    installed = subprocess.run(
        [str(tools.code_server), "--user-data-dir", str(user_data)]
        + ["--extensions-dir", str(extensions)]
        + ["--install-extension", str(VSIX), "--install-extension", str(fixture_vsix)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    settings = {
        "security.workspace.trust.enabled": False,
        "workbench.startupEditor": "none",
        "workbench.tips.enabled": False,
        "extensions.autoCheckUpdates": False,
        "extensions.autoUpdate": False,
        "telemetry.telemetryLevel": "off",
        "update.mode": "none",
        # only the fixture's inline suggestion: no suggest widget, no auto-closed brackets
        "editor.quickSuggestions": {"other": "off", "comments": "off", "strings": "off"},
        "editor.suggestOnTriggerCharacters": False,
        "editor.autoClosingBrackets": "never",
        "editor.inlineSuggest.enabled": True,
        "editor.codeLens": True,
        "mindgap.python": sys.executable,
        "mindgap.quizOnAccept": "always",
        "mindgap.quizCooldownMinutes": 0,
        "mindgap.inlineCompletionTool": "Fixture Assistant",
    }
    (user_data / "User").mkdir(parents=True, exist_ok=True)
    (user_data / "User" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    port = free_port()
    log = tmp_path / "code-server.log"
    env = {
        **os.environ,
        "MINDGAP_HOME": str(tmp_path / "mindgap-home"),
        "MINDGAP_VSCODE_PROBE": str(tmp_path / "probe.json"),
    }
    env.pop("VSCODE_IPC_HOOK_CLI", None)
    with log.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            [str(tools.code_server), "--bind-addr", f"127.0.0.1:{port}", "--auth", "none"]
            + ["--disable-telemetry", "--disable-update-check", "--disable-workspace-trust"]
            + ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions)]
            + [str(workspace)],
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # one process group: code-server and its extension host
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/healthz", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"code-server did not start:\n{log.read_text(errors='replace')}")
                time.sleep(0.3)
        yield CodeServer(url, user_data, log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


@dataclass
class Run:
    result: dict[str, Any]
    code_server_log: Path
    stdout: str
    stderr: str

    def step(self, name: str) -> dict[str, Any]:
        found = next((s for s in self.result["steps"] if s["name"] == name), None)
        assert found is not None, f"the driver never got to step {name!r}\n{self.report()}"
        return found

    def report(self) -> str:
        steps = [
            {key: value for key, value in step.items() if key != "probe"}
            for step in self.result.get("steps", [])
        ]
        last_probe = (self.result.get("steps") or [{}])[-1].get("probe")
        return "\n\n".join(
            [
                f"driver error: {self.result.get('error')}",
                f"steps:\n{json.dumps(steps, indent=1)[:12000]}",
                f"last probe:\n{json.dumps(last_probe, indent=1)[:8000]}",
                f"browser console errors: {self.result.get('console')}",
                f"driver stdout/stderr:\n{self.stdout[-3000:]}\n{self.stderr[-3000:]}",
                f"code-server log:\n{self.code_server_log.read_text(errors='replace')[-6000:]}",
                f"screenshots: {ARTIFACTS}",
            ]
        )


def drive(tools: Tools, server: CodeServer, workspace: Path, tmp_path: Path) -> Run:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    result_path = tmp_path / "driver-result.json"
    scenario = {
        "url": server.url,
        "folder": str(workspace),
        "file": str(workspace / "prices.py"),
        "fileName": "prices.py",
        "typed": TYPED,
        "probe": str(tmp_path / "probe.json"),
        "artifacts": str(ARTIFACTS),
        "result": str(result_path),
        "chromium": tools.chromium,
        "playwrightFrom": str(PLAYWRIGHT_FROM),
        "answersCommand": [sys.executable, str(HERE / "quiz_answers.py")],
        "stepTimeoutMs": STEP_TIMEOUT_MS,
        "offerTimeoutMs": OFFER_TIMEOUT_MS,
    }
    scenario_path = tmp_path / "scenario.json"
    scenario_path.write_text(json.dumps(scenario), encoding="utf-8")
    finished = subprocess.run(
        [tools.node, str(HERE / "driver.mjs"), str(scenario_path)],
        capture_output=True,
        text=True,
        timeout=DRIVER_TIMEOUT_S,
    )
    try:
        result = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        result = {"error": f"no result from the driver: {error}", "steps": []}
    run = Run(result, server.log, finished.stdout, finished.stderr)
    (ARTIFACTS / "driver-result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    if finished.returncode != 0 or result.get("error"):
        pytest.fail(f"the VS Code run failed\n\n{run.report()}", pytrace=False)
    print(run.report())  # shown by pytest when an assertion below fails
    return run


def test_accepting_a_suggestion_in_vscode_is_flagged_quizzed_and_understood(
    tools: Tools, code_server: CodeServer, workspace: Path, tmp_path: Path
) -> None:
    run = drive(tools, code_server, workspace, tmp_path)
    uri = (workspace / "prices.py").as_uri()

    started = run.step("workbench")
    assert started["server"]["command"]["command"] == sys.executable  # the mindgap.python setting
    assert (tmp_path / "mindgap-home" / "mindgap.sqlite3").exists()  # MINDGAP_HOME honoured

    opened = run.step("opened")
    assert opened["diagnostics"] == []  # committed, hand-written code: silence
    debt_before = opened["probe"]["debt"]
    assert opened["statusBar"]["text"] == f"$(mortar-board) debt {debt_before['debtLines']} lines"

    shown = run.step("suggestion-shown")
    ghost = "".join(shown["ghostText"]).replace("\xa0", " ")  # one element per token
    assert "prices = [item.price for item in items if item.price > 0]" in ghost

    accepted = run.step("accepted")
    (reported,) = accepted["reported"]
    assert reported["source"] == "inline-completion"
    assert reported["tool"] == "Fixture Assistant"
    # the suggested code: from its first line's indentation (0-based line 8) to its end
    assert reported["range"] == {
        "start": {"line": 8, "character": 4},
        "end": {"line": 10, "character": len("    return sum(prices) if prices else 0")},
    }
    assert "    return sum(prices) if prices else 0" in accepted["editorText"].replace("\xa0", " ")
    (region,) = accepted["regions"]
    assert region["source"] == "inline-completion" and region["tool"] == "Fixture Assistant"
    assert region["state"] == "pending"
    assert accepted["lensText"].startswith("AI-inserted · ")
    assert "Quiz" in accepted["lensText"] and "Hand-write" in accepted["lensText"]
    assert accepted["decorations"]["pending"], "no gutter mark / background on the region"
    diagnostics = accepted["probe"]["diagnostics"][uri]
    assert any(d["code"] == "foreign-region" for d in diagnostics)

    quiz = run.result["quiz"]["questions"]
    assert quiz, "the server built no quiz for the accepted code"
    quiz_opened = run.step("quiz-opened")
    assert quiz_opened["title"].startswith(f"mindgap quiz 1/{len(quiz)}")
    for number, question in enumerate(quiz, start=1):
        asked = run.step(f"question-{number}")
        if question["choices"]:
            assert [row.split("\n")[0] for row in asked["shown"]] == question["choices"]

    feedback = run.step("feedback")
    assert feedback["title"] == f"mindgap: {len(quiz)} of {len(quiz)} right: the code counts as understood."
    assert all("$(check)" not in row for row in feedback["rows"])  # icons render, not their names

    understood = run.step("understood")
    (region_after,) = understood["regions"]
    assert region_after["state"] == "understood"
    assert understood["decorations"]["pending"] == []  # the mark and background are gone
    assert not any("AI-inserted" in text for text in understood["lensTexts"])
    debt_after = understood["debt"]
    assert debt_after["understoodLines"] > debt_before["understoodLines"]
    assert debt_after["pendingLines"] == debt_before["pendingLines"]
    assert accepted["debt"]["debtLines"] > debt_after["debtLines"]  # the debt went down
    assert understood["statusText"].endswith(f"debt {debt_after['debtLines']} lines".strip())

    assert run.step("report")["reportOpen"]
