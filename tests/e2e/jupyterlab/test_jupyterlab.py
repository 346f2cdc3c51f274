"""End to end in JupyterLab: JupyterLab 4 with jupyterlab-lsp (PyPI), mindgap found by
jupyter-lsp through its `jupyter_lsp_spec_v1` entry point (pyproject.toml), driven by headless
Chromium (driver.mjs beside this file).

The developer opens a committed notebook, types a line by hand in its last code cell, pastes a
block under it, and sees mindgap's diagnostic on the pasted lines only, with its message under
the mouse. jupyterlab-lsp sends the notebook as one virtual document of its code cells (no LSP
notebook sync): mindgap tracks it like a file. Screenshots of each step are saved under
test-artifacts/jupyterlab/.

Needs: JupyterLab, jupyterlab-lsp and jupyter-lsp (the test extra, `pip install -e ".[test]"`,
which also declares mindgap's entry point), node, Debian's chromium and playwright-core
(`npm ci --prefix tests/e2e/browser`). Nothing is downloaded while it runs. In CI
(MINDGAP_REQUIRE_EDITORS) anything missing fails the test instead of skipping it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import secrets
import shutil
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.vscode.harness import (
    PLAYWRIGHT_FROM,
    REPO_ROOT,
    MissingTool,
    free_port,
    notebook_repository,
    run_driver,
    serving,
)

pytestmark = pytest.mark.e2e

HERE = Path(__file__).resolve().parent
ARTIFACTS = REPO_ROOT / "test-artifacts" / "jupyterlab"
STEP_TIMEOUT_MS = 30_000
DRIVER_TIMEOUT_S = 150

NOTEBOOK = "basket.ipynb"
CELLS = [  # (kind, nbformat cell id, source): hand-written and committed
    ("markdown", "intro", "# Basket\nPrices of what is in the basket."),
    ("code", "basket", "basket = [12, 30, 7]\nprint(sum(basket))"),
    ("code", "totals", ""),
]
TYPED = "print(len(basket))"
PASTED = [
    "def total_price(items):",
    "    prices = [price for price in items if price > 0]",
    "    total = sum(prices) - min(prices, default=0)",
    "    return total if total < 100 else 100",
]


@dataclass
class Tools:
    node: str
    chromium: str


def find_tools() -> Tools:
    for module, package in [
        ("jupyterlab", "jupyterlab"),
        ("jupyter_lsp", "jupyter-lsp"),
        ("jupyterlab_lsp", "jupyterlab-lsp"),
    ]:
        if importlib.util.find_spec(module) is None:
            raise MissingTool(f"{package} is not installed (pip install -e '.[test]')")
    specs = entry_points(group="jupyter_lsp_spec_v1")
    if not any(spec.value == "mindgap.jupyter_lsp:spec" for spec in specs):
        raise MissingTool(
            "mindgap's jupyter_lsp_spec_v1 entry point is not installed (pip install -e '.[test]')"
        )
    node = shutil.which("node")
    if node is None:
        raise MissingTool("node is not on PATH")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise MissingTool("chromium is not on PATH (apt-get install chromium)")
    if not PLAYWRIGHT_FROM.exists():
        raise MissingTool("playwright-core is not installed (npm ci --prefix tests/e2e/browser)")
    return Tools(node, chromium)


@pytest.fixture
def tools() -> Tools:
    try:
        return find_tools()
    except MissingTool as missing:
        if os.environ.get("MINDGAP_REQUIRE_EDITORS"):
            pytest.fail(f"{missing}, and MINDGAP_REQUIRE_EDITORS asks for it (as CI does)")
        pytest.skip(str(missing))


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    return notebook_repository(tmp_path / "repo", NOTEBOOK, CELLS)


@dataclass
class Lab:
    url: str
    token: str
    log: Path
    mindgap_home: Path


@contextmanager
def running_jupyterlab(work: Path, root: Path) -> Iterator[Lab]:
    """`jupyter lab` on a free local port with a token, serving `root`; its configuration,
    data, settings, runtime files and mindgap's home inside `work`."""
    home = work / "jupyter"
    settings = home / "settings"
    # No "official Jupyter news?" question over the notebook, no update check.
    apputils = settings / "@jupyterlab" / "apputils-extension"
    notification = apputils / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    lab = Lab(
        url=f"http://127.0.0.1:{free_port()}",
        token=secrets.token_hex(16),
        log=work / "jupyterlab.log",
        mindgap_home=work / "mindgap-home",
    )
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(home / "workspaces"),
        "IPYTHONDIR": str(home / "ipython"),
        "MINDGAP_HOME": str(lab.mindgap_home),
    }
    # The user's data folder stays searched: `pip install --user` puts labextensions there.
    from jupyter_core.paths import jupyter_data_dir

    searched = [jupyter_data_dir(), *filter(None, [os.environ.get("JUPYTER_PATH")])]
    env["JUPYTER_PATH"] = os.pathsep.join(searched)
    port = lab.url.rsplit(":", 1)[1]
    command = [
        *(sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root"),
        *("--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}"),
        f"--IdentityProvider.token={lab.token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.extension_manager=readonly",  # no extension listing from PyPI
    ]
    # one process group: the server, kernels, language servers
    with serving(command, env, lab.log, f"{lab.url}/api/status?token={lab.token}", "jupyter lab"):
        yield lab


@dataclass
class Run:
    result: dict[str, Any]
    log: Path
    output: str

    def step(self, name: str) -> dict[str, Any]:
        found = next((s for s in self.result["steps"] if s["name"] == name), None)
        assert found is not None, f"the driver never got to step {name!r}\n{self.report()}"
        return found

    def report(self) -> str:
        return "\n\n".join(
            [
                f"driver error: {self.result.get('error')}",
                f"steps:\n{json.dumps(self.result.get('steps', []), indent=1)[:12000]}",
                f"browser console errors: {self.result.get('console')}",
                f"driver output:\n{self.output[-3000:]}",
                f"jupyter lab log:\n{self.log.read_text(errors='replace')[-6000:]}",
                f"screenshots: {ARTIFACTS}",
            ]
        )


def test_a_block_pasted_into_a_notebook_cell_is_marked_in_jupyterlab(
    tools: Tools, tmp_path: Path, workspace: Path
) -> None:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    with running_jupyterlab(tmp_path, workspace) as lab:
        scenario = {
            "url": lab.url,
            "token": lab.token,
            "notebook": NOTEBOOK,
            "cells": len(CELLS),
            "typed": TYPED,
            "pasted": "\n".join(PASTED) + "\n",
            "artifacts": str(ARTIFACTS),
            "stepTimeoutMs": STEP_TIMEOUT_MS,
        }
        result, output = run_driver(
            tools, HERE / "driver.mjs", scenario, tmp_path, DRIVER_TIMEOUT_S
        )
    run = Run(result, lab.log, output)
    (ARTIFACTS / "driver-result.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    if result.get("error"):
        pytest.fail(f"the JupyterLab run failed\n\n{run.report()}", pytrace=False)
    print(run.report())  # shown by pytest when an assertion below fails

    opened = run.step("opened")
    assert (opened["codeCells"], opened["markdownCells"]) == (2, 1)

    connected = run.step("language-servers")
    assert connected["status"] == "Fully initialized"
    # jupyter-lsp found mindgap through the entry point alone and started it for the notebook
    # (the marks below expect no other Python server: the test extra installs none)
    assert connected["sessions"].get("mindgap") == "started", connected["sessions"]
    assert connected["marks"] == [[], []]  # committed, hand-written cells: silence

    assert run.step("typed")["marks"] == [[], []]  # a line typed by hand is the developer's

    pasted = run.step("pasted")
    assert pasted["cellText"].replace("\xa0", " ").startswith(TYPED + "\n" + PASTED[0])
    # the pasted lines, one mark per line, in the cell pasted into; not the typed line
    assert pasted["marks"] == [[], PASTED]

    (diagnostic,) = run.step("message")["diagnostics"]
    assert diagnostic["source"] == "mindgap"
    assert diagnostic["text"].startswith(f"{len(PASTED)} lines inserted in one burst")
    assert "not yet understood" in diagnostic["text"]

    # jupyterlab-lsp's document is the notebook's code cells joined (jupyter-lsp writes it
    # under .virtual_documents/): the region is stored under that path, not a cell id
    with closing(sqlite3.connect(lab.mindgap_home / "mindgap.sqlite3")) as store:
        regions = store.execute("SELECT path, source, state FROM regions").fetchall()
    virtual_document = str(workspace / ".virtual_documents" / NOTEBOOK)
    assert regions == [(virtual_document, "burst", "pending")]
