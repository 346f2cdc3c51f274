"""LSP shutdown ends every thread mindgap started: a worker left running (learning a large
repository, building a quiz) would keep the process alive after `exit`."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest

from mindgap.config import Settings
from mindgap.lsp.server import build_server
from tests.fixtures.gitrepo import GitRepo
from tests.lsp.test_conventions import JS_MODULE


def mindgap_threads() -> list[str]:
    """mindgap's threads but the sandbox starter: that one lives as long as the process, by
    design (a sandbox dies with the thread that started it), and is idle once shutdown has
    killed the sandboxes, so it does not hold up the exit."""
    return [
        t.name
        for t in threading.enumerate()
        if t.name.startswith("mindgap-") and not t.name.startswith("mindgap-sandbox")
    ]


async def test_shutdown_leaves_no_mindgap_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINDGAP_HOME", str(tmp_path / "home"))
    repo = GitRepo(tmp_path / "repo")
    repo.commit("Labels", {f"src/label_{n}.js": JS_MODULE.format(n=n) for n in range(200)})
    server = build_server(tmp_path / "home" / "mindgap.db")
    assert mindgap_threads() == []
    # every pool at work: learning a repository, a quiz being built, a write
    server.folders[0].conventions.start(server, repo.path, Settings(), None)
    loop = asyncio.get_running_loop()
    building = loop.run_in_executor(server.quiz_builder, lambda: None)
    server.writer.submit(lambda: None)
    await building
    assert {"mindgap-learn", "mindgap-quiz", "mindgap-store"} <= {
        name.rsplit("_", 1)[0] for name in mindgap_threads()
    }

    server.shut_down()

    assert mindgap_threads() == []
