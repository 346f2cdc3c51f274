"""End to end through the LSP: what an editor user sees of foreign regions."""

from __future__ import annotations

import asyncio
import sqlite3
import subprocess
from pathlib import Path

from lsprotocol import types
from pytest_lsp import LanguageClient

from tests.lsp.conftest import Session, wait_until

BLOCK = "def total(items):\n    result = sum(item.price for item in items)\n    return result\n"


def pos(line: int, character: int) -> types.Position:
    return types.Position(line=line, character=character)


def open_file(client: LanguageClient, path: Path, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri,
                language_id="python",
                version=version,
                text=path.read_text(encoding="utf-8"),
            )
        )
    )
    return uri


def change(
    client: LanguageClient,
    uri: str,
    version: int,
    start: types.Position,
    end: types.Position,
    text: str,
):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[
                types.TextDocumentContentChangePartial(
                    range=types.Range(start=start, end=end), text=text
                )
            ],
        )
    )


def mindgap_diagnostics(client: LanguageClient, uri: str) -> list[types.Diagnostic]:
    return [d for d in client.diagnostics.get(uri, []) if d.source == "mindgap"]


def lines_of(diagnostic: types.Diagnostic) -> tuple[int, int]:
    return diagnostic.range.start.line, diagnostic.range.end.line


async def insert_block(client: LanguageClient, uri: str, version: int = 2) -> types.Diagnostic:
    change(client, uri, version, pos(5, 0), pos(5, 0), "\n\n" + BLOCK)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    return mindgap_diagnostics(client, uri)[0]


async def test_a_burst_insertion_is_marked_foreign(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    await wait_until(lambda: uri in client.diagnostics)
    assert mindgap_diagnostics(client, uri) == []  # the developer's own code: silence

    diagnostic = await insert_block(client, uri)

    assert diagnostic.code == "foreign-region"
    assert diagnostic.severity == types.DiagnosticSeverity.Information
    assert lines_of(diagnostic) == (7, 9)
    assert diagnostic.message.startswith("3 lines inserted in one burst")
    assert "not yet understood" in diagnostic.message
    assert diagnostic.data["source"] == "burst"


async def test_typing_is_not_foreign(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    line = "x = compute(first_argument, second_argument, third_argument)"
    for version, char in enumerate(line, start=2):
        change(client, uri, version, pos(5, version - 2), pos(5, version - 2), char)
    change(client, uri, 100, pos(5, len(line)), pos(5, len(line)), "\n    ")
    await settle(client)
    assert mindgap_diagnostics(client, uri) == []
    # the server did follow the typing: a block pasted below the typed line starts after it
    change(client, uri, 101, pos(6, 0), pos(6, 4), BLOCK)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    assert lines_of(mindgap_diagnostics(client, uri)[0]) == (6, 8)


async def test_did_insert_names_the_source_and_tool(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    await insert_block(client, uri)

    client.protocol.notify(
        "mindgap/didInsert",
        {
            "textDocument": {"uri": uri, "version": 2},
            "range": {"start": {"line": 7, "character": 0}, "end": {"line": 10, "character": 0}},
            "source": "inline-completion",
            "tool": "Copilot",
        },
    )
    await wait_until(lambda: "inline-completion" in mindgap_diagnostics(client, uri)[0].message)

    (diagnostic,) = mindgap_diagnostics(client, uri)
    assert diagnostic.message.startswith("3 lines inserted by inline-completion (Copilot)")
    assert diagnostic.data["tool"] == "Copilot"
    assert lines_of(diagnostic) == (7, 9)


async def test_a_late_did_insert_is_mapped_through_later_edits(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    change(client, uri, 2, pos(5, 0), pos(5, 0), "x = 1")  # typed: not foreign
    change(client, uri, 3, pos(0, 0), pos(0, 0), "# a comment\n")  # typed above, after
    client.protocol.notify(
        "mindgap/didInsert",  # reported against version 2, when "x = 1" was on line 5
        {
            "textDocument": {"uri": uri, "version": 2},
            "range": {"start": {"line": 5, "character": 0}, "end": {"line": 5, "character": 5}},
            "source": "paste",
        },
    )
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    (diagnostic,) = mindgap_diagnostics(client, uri)
    assert diagnostic.range.start == pos(6, 0) and diagnostic.range.end == pos(6, 5)
    assert diagnostic.data["source"] == "paste"


async def test_typing_inside_a_region_shrinks_and_splits_it(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    await insert_block(client, uri)

    # the developer retypes the middle line by hand
    change(client, uri, 3, pos(8, 0), pos(9, 0), "")
    change(client, uri, 4, pos(8, 0), pos(8, 0), "    result = 0\n")

    def after_both_changes() -> list[tuple[int, int]]:
        # the publish after the deletion alone also shows two regions (one line higher)
        return sorted(lines_of(d) for d in mindgap_diagnostics(client, uri))

    # def total(items): / return result, the retyped line between them is the developer's
    await wait_until(lambda: after_both_changes() == [(7, 7), (9, 9)])
    first = min(mindgap_diagnostics(client, uri), key=lines_of)
    assert first.message.startswith("1 line inserted")

    # retyping the rest makes the code wholly the developer's
    change(client, uri, 5, pos(7, 0), pos(7, 17), "def total(items):")
    change(client, uri, 6, pos(9, 0), pos(9, 17), "    return result")
    await wait_until(lambda: mindgap_diagnostics(client, uri) == [])


async def test_regions_survive_a_restart_and_reanchor_after_outside_edits(session: Session) -> None:
    client = await session.start()
    path = session.workspace / "app.py"
    uri = open_file(client, path)
    await insert_block(client, uri)
    path.write_text("\n".join(_document_lines(client, uri)), encoding="utf-8")  # the editor saves
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await session.stop()

    # another program adds lines above the foreign code while the editor is closed
    path.write_text("import os\nimport sys\n" + path.read_text(encoding="utf-8"), encoding="utf-8")

    client = await session.start()
    uri = open_file(client, path)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    (diagnostic,) = mindgap_diagnostics(client, uri)
    assert lines_of(diagnostic) == (9, 11)
    assert diagnostic.data["source"] == "burst"


def _document_lines(client: LanguageClient, uri: str) -> list[str]:
    # what the editor holds after insert_block: the file plus the block
    original = Path(uri.removeprefix("file://")).read_text(encoding="utf-8").split("\n")
    return [*original[:5], "", "", *BLOCK.split("\n")]


async def test_a_killed_server_loses_nothing_it_had_time_to_write(session: Session) -> None:
    client = await session.start()
    path = session.workspace / "app.py"
    uri = open_file(client, path)
    await insert_block(client, uri)
    await asyncio.sleep(1.5)  # regions are written within half a second of an edit
    await session.kill()

    client = await session.start()
    uri = open_file(client, path.with_name("app.py"))
    # the file on disk never got the block (the editor died unsaved): the region is gone...
    await wait_until(lambda: uri in client.diagnostics)
    await settle(client)
    assert mindgap_diagnostics(client, uri) == []
    # ...and the ledger says so instead of losing it silently
    await wait_until(lambda: len(event_kinds(session)) > 1)
    assert event_kinds(session) == ["inserted", "deleted"]


def event_kinds(session: Session) -> list[str]:
    database = sqlite3.connect(session.home / "mindgap.sqlite3")
    try:
        return [row[0] for row in database.execute("SELECT kind FROM events ORDER BY id")]
    finally:
        database.close()


async def test_a_locked_store_delays_writes_but_loses_nothing(session: Session) -> None:
    client = await session.start()
    path = session.workspace / "app.py"
    uri = open_file(client, path)
    await settle(client)
    await asyncio.sleep(1)  # the store exists and holds the opened file's snapshot
    blocker = sqlite3.connect(session.home / "mindgap.sqlite3", isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        await insert_block(client, uri)
        await wait_until(lambda: any("locked" in m.message for m in client.messages), 15)
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    change(client, uri, 3, pos(0, 0), pos(0, 0), "#")  # the next flush writes what waited
    path.write_text("#" + "\n".join(_document_lines(client, uri)), encoding="utf-8")
    await asyncio.sleep(1.5)
    await session.stop()
    assert event_kinds(session) == ["inserted"]  # written late, but written

    client = await session.start()
    uri = open_file(client, path)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    assert lines_of(mindgap_diagnostics(client, uri)[0]) == (7, 9)


async def test_regions_belong_to_their_developer(session: Session) -> None:
    client = await session.start()
    path = session.workspace / "app.py"
    uri = open_file(client, path)
    await insert_block(client, uri)
    path.write_text("\n".join(_document_lines(client, uri)), encoding="utf-8")
    await session.stop()

    # the same file, opened by someone else on this machine: not their foreign code
    client = await session.start({"developer": "someone-else@example.com"})
    uri = open_file(client, path)
    await wait_until(lambda: uri in client.diagnostics)
    await settle(client)
    assert mindgap_diagnostics(client, uri) == []


async def test_editor_settings_change_the_burst_thresholds(session: Session) -> None:
    client = await session.start({"burstMinLines": 5, "burstMinChars": 500})
    uri = open_file(client, session.workspace / "app.py")
    change(client, uri, 2, pos(5, 0), pos(5, 0), "\n\n" + BLOCK)  # 3 lines: under 5
    await settle(client)
    assert mindgap_diagnostics(client, uri) == []

    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"mindgap": {"burstMinLines": 2}})
    )
    change(client, uri, 3, pos(0, 0), pos(0, 0), "import os\nimport sys\n")
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    assert lines_of(mindgap_diagnostics(client, uri)[0]) == (0, 1)


async def test_an_agent_edit_on_disk_becomes_a_region(session: Session) -> None:
    client = await session.start()
    await wait_until(lambda: bool(session.registrations))
    assert session.registrations[0].method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    path = session.workspace / "app.py"
    uri = open_file(client, path)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )

    # an agent rewrites the file on disk while it is closed in the editor
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + BLOCK, encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: any("1 agent-edit region" in m.message for m in client.log_messages))

    uri = open_file(client, path)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    (diagnostic,) = mindgap_diagnostics(client, uri)
    assert diagnostic.data["source"] == "agent-edit"
    assert lines_of(diagnostic) == (7, 9)
    assert "agent edit" in diagnostic.message


async def test_a_git_checkout_is_not_an_agent_edit(session: Session) -> None:
    client = await session.start()
    path = session.workspace / "app.py"
    git = ["git", "-C", str(session.workspace)]
    subprocess.run([*git, "checkout", "-q", "-b", "feature"], check=True)
    path.write_text(path.read_text(encoding="utf-8") + "\n\n" + BLOCK, encoding="utf-8")
    subprocess.run([*git, "commit", "-qam", "feature"], check=True)
    subprocess.run([*git, "checkout", "-q", "main"], check=True)
    uri = open_file(client, path)
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )

    subprocess.run([*git, "checkout", "-q", "feature"], check=True)  # the block arrives by git
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=uri, type=types.FileChangeType.Changed)]
        )
    )
    await wait_until(lambda: any("git has committed" in m.message for m in client.log_messages))
    assert any("0 agent-edit region" in m.message for m in client.log_messages)

    client.diagnostics.clear()
    uri = open_file(client, path, version=3)
    await wait_until(lambda: uri in client.diagnostics)
    assert mindgap_diagnostics(client, uri) == []


async def test_mark_mine_and_mark_foreign_commands(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    await insert_block(client, uri)

    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="mindgap.markMine",
            arguments=[
                uri,
                {"start": {"line": 7, "character": 0}, "end": {"line": 10, "character": 0}},
            ],
        )
    )
    assert result["linesCleared"] == 3
    await wait_until(lambda: mindgap_diagnostics(client, uri) == [])

    result = await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="mindgap.markForeign",
            arguments=[
                {
                    "uri": uri,
                    "range": {
                        "start": {"line": 3, "character": 0},
                        "end": {"line": 4, "character": 12},
                    },
                }
            ],
        )
    )
    assert result["lines"] == 2
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    (diagnostic,) = mindgap_diagnostics(client, uri)
    assert diagnostic.data["source"] == "manual"
    assert lines_of(diagnostic) == (3, 4)


async def test_positions_are_utf16_with_non_ascii_text(session: Session) -> None:
    client = await session.start()
    path = session.workspace / "app.py"
    path.write_text('label = "café 漢字 😀"\n', encoding="utf-8")
    uri = open_file(client, path)
    # insert after the emoji: "😀" is a surrogate pair, UTF-16 columns 17-18
    block = "; first = ['é', '😀']\nsecond = {'漢': 1}\n"
    change(client, uri, 2, pos(0, 19), pos(0, 19), block)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)
    (diagnostic,) = mindgap_diagnostics(client, uri)
    assert diagnostic.range.start == pos(0, 19)
    assert diagnostic.range.end == pos(1, 17)  # "second = {'漢': 1}" is 17 UTF-16 units


async def test_a_corrupt_store_is_reported_and_kept(session: Session) -> None:
    session.home.mkdir(parents=True)
    corrupt = session.home / "mindgap.sqlite3"
    corrupt.write_bytes(b"this is not a database" * 100)
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    await insert_block(client, uri)  # still works, in memory

    await wait_until(lambda: bool(client.messages))
    assert "corrupt" in client.messages[0].message
    assert str(corrupt) in client.messages[0].message
    assert corrupt.read_bytes() == b"this is not a database" * 100


async def settle(client: LanguageClient) -> None:
    """Wait until the server has handled everything sent so far: its notification handlers
    are synchronous, so a request is answered only after them."""
    await client.workspace_execute_command_async(
        types.ExecuteCommandParams(
            command="mindgap.markMine",
            arguments=[
                "file:///nowhere.py",
                {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            ],
        )
    )
