"""A real VS Code for tests and benchmarks: code-server 4.100.3 with the mindgap .vsix (and the
fixture assistant), its own user data, extensions and MINDGAP_HOME, on a free local port.

Used by test_vscode.py and bench/bench_extension.py. Nothing here downloads anything: the
tools are installed beforehand (install-code-server.sh, `npm ci`, `npm run package`).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

REPO_ROOT = Path(__file__).resolve().parents[3]
HERE = Path(__file__).resolve().parent
VSIX = REPO_ROOT / "vscode-client" / "dist" / "mindgap.vsix"
VSCE = REPO_ROOT / "vscode-client" / "node_modules" / ".bin" / "vsce"
PLAYWRIGHT_FROM = REPO_ROOT / "tests" / "e2e" / "browser" / "node_modules" / "playwright-core"
CODE_SERVER_VERSION = "4.100.3"

# Quiet, deterministic editor: no welcome page, no trust prompt, no update checks, and only
# the fixture's inline suggestion (no suggest widget, no auto-closed brackets).
BASE_SETTINGS: dict[str, Any] = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "editor.quickSuggestions": {"other": "off", "comments": "off", "strings": "off"},
    "editor.suggestOnTriggerCharacters": False,
    "editor.autoClosingBrackets": "never",
    "editor.inlineSuggest.enabled": True,
    "editor.codeLens": True,
}


class MissingTool(Exception):
    """A tool the run needs is not installed; the message says how to install it."""


@dataclass
class Tools:
    code_server: Path
    node: str
    chromium: str


def code_server_path() -> Path | None:
    configured = os.environ.get("MINDGAP_CODE_SERVER")
    if configured:
        return Path(configured) if Path(configured).exists() else None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    install = Path(
        os.environ.get("MINDGAP_CODE_SERVER_DIR")
        or cache / "mindgap" / f"code-server-{CODE_SERVER_VERSION}"
    )
    found = install / "node_modules" / ".bin" / "code-server"
    return found if found.exists() else None


def find_tools() -> Tools:
    code_server = code_server_path()
    if code_server is None:
        raise MissingTool("code-server is not installed (tests/e2e/vscode/install-code-server.sh)")
    node = shutil.which("node")
    if node is None:
        raise MissingTool("node is not on PATH")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise MissingTool("chromium is not on PATH (apt-get install chromium)")
    if not PLAYWRIGHT_FROM.exists():
        raise MissingTool("playwright-core is not installed (npm ci --prefix tests/e2e/browser)")
    if not VSIX.exists() or not VSCE.exists():
        raise MissingTool(
            "the extension is not built (cd vscode-client && npm ci && npm run package)"
        )
    return Tools(code_server, node, chromium)


def package_fixture_extension(work: Path) -> Path:
    """The fixture assistant as a .vsix (code-server installs extensions from .vsix files)."""
    source = work / "fixture-completions"
    shutil.copytree(HERE / "fixture-completions", source)
    vsix = work / "fixture-completions.vsix"
    subprocess.run(
        [
            str(VSCE),
            *("package", "--no-dependencies", "--allow-missing-repository", "--skip-license"),
            *("--out", str(vsix)),
        ],
        cwd=source,
        check=True,
        capture_output=True,
        timeout=120,
    )
    return vsix


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class CodeServer:
    url: str
    user_data: Path
    log: Path
    probe: Path
    mindgap_home: Path


@contextmanager
def running_code_server(
    tools: Tools,
    work: Path,
    workspace: Path,
    settings: dict[str, Any],
    extra_env: dict[str, str] | None = None,
) -> Iterator[CodeServer]:
    """code-server with the mindgap .vsix and the fixture assistant installed, `settings` in
    its user settings, MINDGAP_HOME and the extension's test probe inside `work`."""
    user_data, extensions = work / "user-data", work / "extensions"
    fixture_vsix = package_fixture_extension(work)
    installed = subprocess.run(
        [
            str(tools.code_server),
            *("--user-data-dir", str(user_data), "--extensions-dir", str(extensions)),
            *("--install-extension", str(VSIX), "--install-extension", str(fixture_vsix)),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    if installed.returncode != 0:
        output = installed.stdout + installed.stderr
        raise RuntimeError(f"installing the extensions failed:\n{output}")
    (user_data / "User").mkdir(parents=True, exist_ok=True)
    (user_data / "User" / "settings.json").write_text(
        json.dumps({**BASE_SETTINGS, **settings}), encoding="utf-8"
    )
    port = free_port()
    server = CodeServer(
        f"http://127.0.0.1:{port}",
        user_data,
        work / "code-server.log",
        work / "probe.json",
        work / "mindgap-home",
    )
    env = {
        **os.environ,
        "MINDGAP_HOME": str(server.mindgap_home),
        "MINDGAP_VSCODE_PROBE": str(server.probe),
        **(extra_env or {}),
    }
    env.pop("VSCODE_IPC_HOOK_CLI", None)  # when run from a VS Code terminal
    command = [
        str(tools.code_server),
        *("--bind-addr", f"127.0.0.1:{port}", "--auth", "none"),
        *("--disable-telemetry", "--disable-update-check", "--disable-workspace-trust"),
        *("--user-data-dir", str(user_data), "--extensions-dir", str(extensions)),
        str(workspace),
    ]
    # one process group: code-server, extension host, server
    with serving(command, env, server.log, f"{server.url}/healthz", "code-server"):
        yield server


@contextmanager
def serving(
    command: list[str], env: dict[str, str], log: Path, ready_url: str, name: str
) -> Iterator[None]:
    """A web server (code-server, JupyterLab) running `command` in a process group of its
    own, its output in `log`, until `ready_url` answers; the whole group ends afterwards."""
    with log.open("w", encoding="utf-8") as log_file:
        process = subprocess.Popen(
            command, stdout=log_file, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(ready_url, timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = log.read_text(errors="replace")
                    raise RuntimeError(f"{name} did not start:\n{output}") from None
                time.sleep(0.3)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=15)


def notebook_repository(path: Path, name: str, cells: list[tuple[str, str, str]]) -> Path:
    """A real git repository with one commit of a notebook written by nbformat (4.5, cell
    ids): `cells` are (kind, id, source)."""
    import nbformat

    from tests.fixtures.gitrepo import GitRepo

    notebook = nbformat.v4.new_notebook(
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
            "language_info": {"name": "python"},
        }
    )
    for kind, cell_id, source in cells:
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source, id=cell_id))
    repo = GitRepo(path, author=("Dev", "dev@example.com"))
    repo.commit("start", {name: nbformat.writes(notebook) + "\n"})
    return repo.path


class BrowserTools(Protocol):
    """What a Node driver of headless Chromium needs (Tools here, and the JupyterLab test's)."""

    node: str
    chromium: str


def run_driver(
    tools: BrowserTools, script: Path, scenario: dict[str, Any], work: Path, timeout_s: float
) -> tuple[dict[str, Any], str]:
    """Run a Node driver with its scenario; its result JSON and its stdout+stderr."""
    result_path = work / f"{script.stem}-result.json"
    scenario_path = work / f"{script.stem}-scenario.json"
    full = {
        **scenario,
        "result": str(result_path),
        "chromium": tools.chromium,
        "playwrightFrom": str(PLAYWRIGHT_FROM),
    }
    scenario_path.write_text(json.dumps(full), encoding="utf-8")
    try:
        finished = subprocess.run(
            [tools.node, str(script), str(scenario_path)],
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
        output = finished.stdout + finished.stderr
        failed = finished.returncode != 0
    except subprocess.TimeoutExpired:
        output, failed = f"(the driver was killed after {timeout_s} s)", True
    try:
        result = json.loads(result_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        result = {"error": f"no result from the driver: {error}", "steps": []}
    if failed and not result.get("error"):
        result["error"] = f"the driver failed: {output[-3000:]}"
    return result, output
