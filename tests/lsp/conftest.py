"""A real LSP client (pytest-lsp) talking to a real `mindgap serve` process over stdio."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import pytest_asyncio
from lsprotocol import types
from pytest_lsp import LanguageClient, make_test_lsp_client


class Session:
    """Starts and restarts the server against one data directory and workspace."""

    def __init__(self, home: Path, workspace: Path) -> None:
        self.home = home
        self.workspace = workspace
        self.client: LanguageClient | None = None
        self.registrations: list[types.Registration] = []

    async def start(
        self,
        initialization_options: dict | None = None,
        experimental: dict | None = None,
        handlers: dict[str, Callable] | None = None,
        server_args: tuple[str, ...] = (),
    ) -> LanguageClient:
        client = make_test_lsp_client()
        for method, handler in (handlers or {}).items():
            client.feature(method)(handler)

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

        env = {**os.environ, "MINDGAP_HOME": str(self.home)}
        await client.start_io(sys.executable, "-m", "mindgap", "serve", *server_args, env=env)
        capabilities = types.ClientCapabilities(
            experimental=experimental,
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                )
            ),
        )
        await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=self.workspace.as_uri(),
                initialization_options=initialization_options,
            )
        )
        self.client = client
        return client

    async def stop(self) -> None:
        if self.client is not None:
            await self.client.shutdown_session()
            await self.client.stop()
            self.client = None

    async def kill(self) -> None:
        """The server dies without a shutdown (SIGKILL), as a crashed editor leaves it."""
        if self.client is not None and self.client._server is not None:
            self.client._server.kill()
            await self.client._server.wait()
            self.client._stop_event.set()  # the client must not treat the exit as an error
            await self.client.stop()
            self.client = None


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A real git repository with one commit by one developer."""
    root = tmp_path / "repo"
    root.mkdir()
    git = ["git", "-C", str(root)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "config", "user.email", "dev@example.com"], check=True)
    subprocess.run([*git, "config", "user.name", "Dev"], check=True)
    (root / "app.py").write_text(
        '"""The app."""\n\n\ndef main():\n    return 0\n', encoding="utf-8"
    )
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "start"], check=True)
    return root


@pytest_asyncio.fixture
async def session(tmp_path: Path, workspace: Path) -> AsyncIterator[Session]:
    running = Session(tmp_path / "home", workspace)
    try:
        yield running
    finally:
        await running.stop()


async def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for what the server sends; diagnostics may already have arrived."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting for the server")
        await asyncio.sleep(0.02)
