"""The server's `mindgap.quiz` on attacking code: the quiz is built off the event loop, so
the server answers other requests within a second while the attack runs; the server (and
this test, its parent) outlive the attack; nothing leaks or changes.

The attacks run with the Python-level walls off (`MINDGAP_SANDBOX_PYTHON_WALLS=0`), so the
operating system's sandbox alone contains them."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import change, mindgap_diagnostics, open_file, pos
from tests.sandbox_attacks import OS_ATTACKS, World, attack_source

pytestmark = pytest.mark.usefixtures("os_sandbox")

ATTACKS = [
    "sleep forever",
    "flood fd 1 and block on a lock",
    "kill the parent",
    "kill every process it may",
    "stop the parent with SIGSTOP",
    "fork bomb",
    "CPU spin",
    "memory bomb by growth",
]


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    (tmp_path / "world").mkdir()
    planted = World(tmp_path / "world")
    yield planted
    planted.close()


async def ping(client, uri: str) -> float:
    """A cheap request's round trip, in seconds."""
    started = time.monotonic()
    await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos(0, 0), end=pos(0, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    return time.monotonic() - started


@pytest.mark.parametrize("name", ATTACKS)
async def test_the_server_answers_and_survives_while_an_attack_runs(
    name: str, session: Session, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MINDGAP_SANDBOX_PYTHON_WALLS", "0")
    client = await session.start(experimental={"mindgapQuizUI": True})
    target = session.workspace / "attack.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, 2, pos(0, 0), pos(0, 0), attack_source(OS_ATTACKS[name], world))
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) >= 1)
    region_id = mindgap_diagnostics(client, uri)[0].data["regionId"]

    quiz = asyncio.ensure_future(
        client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="mindgap.quiz", arguments=[uri, region_id])
        )
    )
    slowest = 0.0
    while not quiz.done():
        slowest = max(slowest, await ping(client, uri))
        await asyncio.sleep(0.05)
    reply = await quiz
    assert slowest < 1.0, f"a request waited {slowest:.2f} s during the attack"
    assert await ping(client, uri) < 1.0  # alive afterwards
    assert session.client is not None and session.client._server.returncode is None
    assert world.check(str(reply)) == []


async def test_without_an_os_sandbox_the_server_says_once_why_nothing_runs(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bin_dir = tmp_path / "bin"  # git, but no bubblewrap
    bin_dir.mkdir()
    (bin_dir / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    monkeypatch.setenv("PATH", str(bin_dir))
    client = await session.start(experimental={"mindgapQuizUI": True})
    target = session.workspace / "prices.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    code = "def total(prices: list[int]) -> int:\n    return sum(p for p in prices if p > 0)\n"
    change(client, uri, 2, pos(0, 0), pos(0, 0), code)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) >= 1)
    region_id = mindgap_diagnostics(client, uri)[0].data["regionId"]
    for _ in range(2):
        await client.workspace_execute_command_async(
            types.ExecuteCommandParams(command="mindgap.quiz", arguments=[uri, region_id])
        )
    said = [m.message for m in client.log_messages if "questions that run the code" in m.message]
    assert len(said) == 1  # once, in the log the editor shows
    assert "bubblewrap (bwrap) is not installed" in said[0]
