"""A coding agent's edits, recorded by its hook in another process, reach a running server:
the diagnostic names the agent within a second, editor open or not."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import mindgap_diagnostics, open_file

AGENTS = Path(__file__).resolve().parents[1] / "fixtures" / "agents"
OLD = "def main():\n    return 0\n"
NEW = "def total(items):\n    return sum(item.price for item in items)\n\n\n" + OLD


def agent_edits(workspace: Path) -> str:
    """The agent's Edit tool changes app.py on disk; returns the hook's payload."""
    path = workspace / "app.py"
    path.write_text(path.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    payload = json.loads((AGENTS / "claude-code-edit.json").read_text(encoding="utf-8"))
    payload["cwd"] = str(workspace)
    payload["tool_input"].update(file_path=str(path), old_string=OLD, new_string=NEW)
    return json.dumps(payload)


def run_hook(session: Session, payload: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mindgap", "agent", "record", "--agent", "claude-code"],
        input=payload,
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(session.home)},
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout == "", result.stderr


def editor_reloads(client: LanguageClient, uri: str, path: Path, version: int) -> None:
    """What an editor does when a file it shows changes on disk: the new text, whole."""
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangeWholeDocument(text=path.read_text(encoding="utf-8"))
            ],
        )
    )


def by_agent(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    return [
        d
        for d in mindgap_diagnostics(client, uri)
        if d.code == "foreign-region" and "Claude Code" in d.message
    ]


async def within_a_second(condition) -> float:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    await wait_until(condition, timeout=1.0)
    return time.monotonic() - started


async def test_a_replayed_hook_shows_in_the_open_file_within_a_second(
    session: Session, workspace: Path
) -> None:
    client = await session.start()
    path = workspace / "app.py"
    uri = open_file(client, path)
    await wait_until(lambda: uri in client.diagnostics)
    payload = agent_edits(workspace)
    editor_reloads(client, uri, path, 2)  # shows first as an anonymous burst
    await wait_until(lambda: bool(mindgap_diagnostics(client, uri)))

    run_hook(session, payload)
    await within_a_second(lambda: bool(by_agent(client, uri)))
    foreign = [d for d in mindgap_diagnostics(client, uri) if d.code == "foreign-region"]
    assert len(foreign) == 1  # the burst became the agent's, not a second region
    (region,) = foreign
    assert (region.range.start.line, region.range.end.line) == (3, 4)  # def total ... return
    assert "agent edit" in region.message and "session 3f2a9c1e" in region.message


async def test_the_hook_before_the_editor_reloads_shows_as_soon_as_it_does(
    session: Session, workspace: Path
) -> None:
    client = await session.start()
    path = workspace / "app.py"
    uri = open_file(client, path)
    await wait_until(lambda: uri in client.diagnostics)
    run_hook(session, agent_edits(workspace))
    await asyncio.sleep(0.5)  # the server sees the region but not its code yet
    assert not by_agent(client, uri)

    editor_reloads(client, uri, path, 2)
    await within_a_second(lambda: bool(by_agent(client, uri)))
    assert len([d for d in mindgap_diagnostics(client, uri) if d.code == "foreign-region"]) == 1


async def test_a_server_started_later_shows_what_the_hook_recorded(
    session: Session, workspace: Path
) -> None:
    run_hook(session, agent_edits(workspace))  # no server running
    client = await session.start()
    uri = open_file(client, workspace / "app.py")
    await wait_until(lambda: bool(by_agent(client, uri)))
    assert len(by_agent(client, uri)) == 1


async def test_the_regions_survive_the_servers_own_writes(
    session: Session, workspace: Path
) -> None:
    """The server saves the open file's regions while the hook writes: neither loses."""
    client = await session.start()
    path = workspace / "app.py"
    uri = open_file(client, path)
    await wait_until(lambda: uri in client.diagnostics)
    payload = agent_edits(workspace)
    editor_reloads(client, uri, path, 2)
    run_hook(session, payload)  # the server's flush of the burst comes at about this time
    await within_a_second(lambda: bool(by_agent(client, uri)))
    await session.stop()

    client = await session.start()
    uri = open_file(client, path)
    await wait_until(lambda: bool(by_agent(client, uri)))
    assert len([d for d in mindgap_diagnostics(client, uri) if d.code == "foreign-region"]) == 1


async def test_changes_made_while_no_server_ran_are_not_guessed_and_it_says_so_once(
    session: Session, workspace: Path
) -> None:
    client = await session.start()
    path, other = workspace / "app.py", workspace / "other.py"
    other.write_text("X = 1\n", encoding="utf-8")
    for file in (path, other):
        uri = open_file(client, file)
        client.text_document_did_close(
            types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
        )
    await session.stop()
    agent_edits(workspace)  # no hook installed, no server running
    other.write_text("X = 1\nY = 2\n", encoding="utf-8")

    client = await session.start()
    uri = open_file(client, path)
    await wait_until(lambda: any("not running" in m.message for m in client.messages))
    (told,) = [m for m in client.messages if "not running" in m.message]
    assert "mindgap agent install claude-code" in told.message
    await wait_until(lambda: uri in client.diagnostics)
    assert not [d for d in mindgap_diagnostics(client, uri) if d.code == "foreign-region"]
    open_file(client, other)
    await asyncio.sleep(0.3)
    assert len([m for m in client.messages if "not running" in m.message]) == 1


async def test_a_write_the_server_diffed_first_is_still_named_after_the_agent(
    session: Session, workspace: Path
) -> None:
    """The editor's file watcher can beat the agent's hook: the server diffs the file first
    (an anonymous agent-edit region), then the hook names it."""
    client = await session.start()
    await wait_until(lambda: bool(session.registrations))
    path = workspace / "app.py"
    uri = open_file(client, path)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    new_text = path.read_text(encoding="utf-8").replace(OLD, NEW)
    path.write_text(new_text, encoding="utf-8")  # the agent's Write
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: any("1 agent-edit region" in m.message for m in client.log_messages))
    payload = json.loads((AGENTS / "claude-code-write-existing.json").read_text(encoding="utf-8"))
    payload["cwd"] = str(workspace)
    payload["tool_input"].update(file_path=str(path), content=new_text)
    run_hook(session, json.dumps(payload))

    uri = open_file(client, path)
    await wait_until(lambda: bool(by_agent(client, uri)))
    (region,) = [d for d in mindgap_diagnostics(client, uri) if d.code == "foreign-region"]
    assert (region.range.start.line, region.range.end.line) == (3, 4)


async def test_the_debt_status_follows_an_agents_edit_in_a_file_no_editor_shows(
    session: Session, workspace: Path
) -> None:
    statuses: list[dict] = []
    await session.start(
        handlers={
            "mindgap/debt": lambda params: statuses.append(
                params._asdict() if hasattr(params, "_asdict") else dict(params)
            )
        }
    )
    await wait_until(lambda: bool(statuses))
    assert statuses[-1]["pendingLines"] == 0
    run_hook(session, agent_edits(workspace))  # app.py is not open anywhere
    await wait_until(lambda: statuses[-1]["pendingLines"] == 2, timeout=3)
