"""A real LSP client (pytest-lsp) talking to a real `mindgap serve` process over stdio."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, Union, get_type_hints

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
        self.initialize_result: types.InitializeResult | None = None

    async def start(
        self,
        initialization_options: dict | None = None,
        experimental: dict | None = None,
        handlers: dict[str, Callable] | None = None,
        server_args: tuple[str, ...] = (),
        notebooks: bool = False,
        folders: list[Path] | None = None,
    ) -> LanguageClient:
        """`folders`: a multi-root workspace's folders (sent as workspaceFolders)."""
        client = make_test_lsp_client()
        if notebooks:
            read_notebook_selectors(client)
        for method, handler in (handlers or {}).items():
            client.feature(method)(handler)

        @client.feature(types.CLIENT_REGISTER_CAPABILITY)
        def register(params: types.RegistrationParams) -> None:
            self.registrations.extend(params.registrations)

        env = {**os.environ, "MINDGAP_HOME": str(self.home)}
        await client.start_io(sys.executable, "-m", "mindgap", "serve", *server_args, env=env)
        capabilities = types.ClientCapabilities(
            experimental=experimental,
            # the server advertises notebook sync only to a client that has it
            notebook_document=types.NotebookDocumentClientCapabilities(
                synchronization=types.NotebookDocumentSyncClientCapabilities()
            )
            if notebooks
            else None,
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=True
                )
            ),
        )
        self.initialize_result = await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities,
                root_uri=self.workspace.as_uri(),
                workspace_folders=[
                    types.WorkspaceFolder(uri=folder.as_uri(), name=folder.name)
                    for folder in folders
                ]
                if folders
                else None,
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


def read_notebook_selectors(client: LanguageClient) -> None:
    """pygls 2.1.1's client cannot read an initialize reply whose `notebookDocumentSync`
    has a cells-only notebook filter (`{"cells": [{"language": "python"}]}`, no
    `notebook`): lsprotocol's converter has no structure hook for that filter's optional
    `notebook` union (str | NotebookDocumentFilterNotebookType | ...Scheme | ...Pattern |
    None), so `initialize` fails with a ClassValidationError. Two hooks on the client's own
    converter fix it: the selector entry is a ...WithNotebook when it names a notebook,
    else a ...WithCells; the optional notebook filter is None, a string, or the filter
    whose required key it holds."""
    converter = client.protocol._converter
    with_notebook = types.NotebookDocumentFilterWithNotebook
    with_cells = types.NotebookDocumentFilterWithCells

    def selector_entry(data: Any, _: Any) -> Any:
        named = isinstance(data, dict) and data.get("notebook") is not None
        return converter.structure(data, with_notebook if named else with_cells)

    def notebook_filter(data: Any, _: Any) -> Any:
        if data is None or isinstance(data, str):
            return data
        for kind, key in (
            (types.NotebookDocumentFilterNotebookType, "notebookType"),
            (types.NotebookDocumentFilterScheme, "scheme"),
        ):
            if key in data:
                return converter.structure(data, kind)
        return converter.structure(data, types.NotebookDocumentFilterPattern)

    converter.register_structure_hook(Union[with_notebook, with_cells], selector_entry)  # noqa: UP007
    optional_filter = get_type_hints(with_cells)["notebook"]
    converter.register_structure_hook(optional_filter, notebook_filter)


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
