"""Hostile input through the real server: bounded work, and errors that are messages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import change, event_kinds, mindgap_diagnostics, open_file, pos


def not_analysed(client, uri: str) -> list[types.Diagnostic]:
    return [d for d in mindgap_diagnostics(client, uri) if d.code == "not-analysed"]


async def test_pasted_code_past_the_limits_says_why_it_is_not_analysed(
    session: Session, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    client = await session.start(server_args=("--log-file", str(log)))
    uri = open_file(client, session.workspace / "app.py")
    long_line = "x = " + " + ".join(["1"] * 150_000) + "\n"  # 600,001 characters
    change(client, uri, 2, pos(5, 0), pos(5, 0), long_line)
    await wait_until(lambda: len(not_analysed(client, uri)) == 1, timeout=60)
    (diagnostic,) = not_analysed(client, uri)
    assert diagnostic.message == (
        "line 6 is 600,001 characters long (the limit is 10,000): not analysed"
    )

    deep = "y = " + "(\n" * 10_000 + "1" + ")\n" * 10_000
    change(client, uri, 3, pos(6, 0), pos(6, 0), deep)
    await wait_until(lambda: len(not_analysed(client, uri)) == 2, timeout=60)
    messages = sorted(d.message for d in not_analysed(client, uri))
    assert "code nested more than 200 levels deep: not analysed" in messages[0]

    # the server still answers, and its log holds no traceback (read before the shutdown:
    # pygls may log a write to the closed pipe when the client hangs up at exit)
    await execute(client, "mindgap.report", {"format": "text"})
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and "RecursionError" not in text
    await client.shutdown_session()
    session.client = None


def execute(client, command: str, *arguments):
    return client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=command, arguments=list(arguments))
    )


async def failure(client, command: str, *arguments) -> JsonRpcException:
    with pytest.raises(JsonRpcException) as raised:
        await execute(client, command, *arguments)
    error = raised.value
    assert "\n" not in error.message and "Traceback" not in error.message
    assert error.data is None  # never a traceback in error.data
    return error


WHOLE_LINE = {"start": {"line": 3, "character": 0}, "end": {"line": 4, "character": 12}}


async def test_bad_command_arguments_are_invalid_params_with_a_message(
    session: Session, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    client = await session.start(server_args=("--log-file", str(log)))
    uri = open_file(client, session.workspace / "app.py")
    bad_calls = {
        "mindgap.markForeign": [
            (42,),
            (uri, {"start": {"line": "x", "character": 0}, "end": {"line": 1, "character": 0}}),
            (uri, {"start": {"line": -1, "character": 0}, "end": {"line": 1, "character": 0}}),
            ({"uri": uri, "range": {"start": {"line": 1}}},),
        ],
        "mindgap.markMine": [(uri,), ({"uri": 7, "range": WHOLE_LINE},)],
        "mindgap.quiz": [({"uri": 5},), ({"uri": uri, "position": {"line": 1.5}},)],
        "mindgap.waive": [("file:///not-open.py",), ({"uri": uri, "regionId": "nope"},)],
        "mindgap.answer": [({"uri": uri, "answers": ["a", "b"]},)],
        "mindgap.report": [({"format": "pdf"},)],
    }
    for command, calls in bad_calls.items():
        for arguments in calls:
            error = await failure(client, command, *arguments)
            assert error.code == -32602, (command, arguments, error.message)
    error = await failure(client, "mindgap.nothing")
    assert error.code == -32602

    # the server is still fine, and its log says what happened in one line each
    result = await execute(client, "mindgap.markForeign", uri, WHOLE_LINE)
    assert result["lines"] == 2
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text
    assert "-32602 mindgap: 'file:///not-open.py' is not open" in text


async def test_a_second_initialize_is_refused(session: Session) -> None:
    client = await session.start()
    with pytest.raises(JsonRpcException) as raised:
        await client.protocol.send_request_async(
            types.INITIALIZE,
            types.InitializeParams(capabilities=types.ClientCapabilities()),
        )
    assert raised.value.code == -32600
    assert "already initialized" in raised.value.message


async def test_the_report_without_a_store_is_a_request_failure_not_an_internal_error(
    session: Session,
) -> None:
    session.home.mkdir(parents=True)
    (session.home / "mindgap.sqlite3").write_bytes(b"")  # refused: the server runs without
    client = await session.start()
    error = await failure(client, "mindgap.report", {"format": "json"})
    assert error.code == -32803
    assert "the ledger is not available" in error.message


@pytest.mark.parametrize("command", ["mindgap.markForeign", "mindgap.waive"])
async def test_an_acknowledged_change_survives_kill_9_right_after(
    session: Session, command: str
) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    if command == "mindgap.waive":
        marked = await execute(client, "mindgap.markForeign", uri, WHOLE_LINE)
        await execute(client, "mindgap.waive", {"uri": uri, "regionId": marked["regionId"]})
        expected = ["inserted", "waived"]
    else:
        await execute(client, "mindgap.markForeign", uri, WHOLE_LINE)
        expected = ["inserted"]
    await session.kill()  # SIGKILL as soon as the reply arrived
    assert event_kinds(session) == expected


async def test_no_quiz_explanation_or_hand_write_for_code_past_the_limits(
    session: Session,
) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    long_line = "x = " + " + ".join(["1"] * 150_000) + "\n"
    change(client, uri, 2, pos(5, 0), pos(5, 0), long_line)
    await wait_until(lambda: len(not_analysed(client, uri)) == 1, timeout=60)
    region_id = not_analysed(client, uri)[0].data["regionId"]
    where = {"uri": uri, "regionId": region_id}
    for command, extra in (
        ("mindgap.quiz", {}),
        ("mindgap.explain", {"explanation": "adds ones"}),
        ("mindgap.handwrite", {}),
    ):
        error = await failure(client, command, {**where, **extra})
        assert error.code == -32803
        assert error.message == (
            "mindgap: line 6 is 600,001 characters long (the limit is 10,000): not analysed"
        )
    result = await execute(client, "mindgap.waive", where)  # accepting it stays possible
    assert result["state"] == "waived"


async def test_a_document_at_a_symlink_loop_is_tracked_like_any_other(session: Session) -> None:
    loop = session.workspace / "loop.py"
    loop.symlink_to(session.workspace / "loop2.py")
    (session.workspace / "loop2.py").symlink_to(loop)
    client = await session.start()
    uri = loop.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=1, text="x = 1\n"
            )
        )
    )
    change(client, uri, 2, pos(1, 0), pos(1, 0), "def f(a):\n    return a * 2\n")
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)


async def test_a_bad_did_insert_is_ignored_without_an_error_popup(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")
    for span in ({"start": {"line": "x", "character": 0}}, {"start": 1, "end": 2}, [1, 2]):
        client.protocol.notify(
            "mindgap/didInsert",
            {"textDocument": {"uri": uri, "version": 1}, "range": span, "source": "paste"},
        )
    result = await execute(client, "mindgap.markForeign", uri, WHOLE_LINE)  # still answering
    assert result["lines"] == 2
    assert not [m for m in client.messages if "Error in server" in m.message]


async def test_deeply_nested_settings_fall_back_to_the_defaults(session: Session) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    (session.workspace / ".mindgap.toml").write_text(f"a = {deep}\n", encoding="utf-8")
    (session.workspace / "package.json").write_text(deep, encoding="utf-8")
    client = await session.start()
    await wait_until(lambda: any("cannot read settings" in m.message for m in client.messages))
    uri = open_file(client, session.workspace / "app.py")
    change(client, uri, 2, pos(5, 0), pos(5, 0), "\n\ndef f(a):\n    return a * 2\n")
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) == 1)


async def test_a_malformed_did_change_is_ignored_and_the_document_kept(session: Session) -> None:
    client = await session.start()
    uri = open_file(client, session.workspace / "app.py")

    def send(params: dict) -> None:  # as JSON: lsprotocol's client would refuse these
        message = {"jsonrpc": "2.0", "method": "textDocument/didChange", "params": params}
        client.protocol._send_data(message)

    for changes in (
        [{"range": {"start": {"line": "x", "character": 0}, "end": 1}, "text": "a"}],
        [{"range": {"start": 1, "end": 2}, "text": "a"}],
        [{"text": "replaced"}, {"text": None}],
        5,
    ):
        send({"textDocument": {"uri": uri, "version": 2}, "contentChanges": changes})
    send({"textDocument": {"uri": uri}})
    # none was applied (not even in part): `def main():` and its body are where they were
    result = await execute(client, "mindgap.markForeign", uri, WHOLE_LINE)
    assert result["lines"] == 2
    await wait_until(lambda: bool(mindgap_diagnostics(client, uri)))
    span = mindgap_diagnostics(client, uri)[0].range
    assert (span.start.line, span.end.line, span.end.character) == (3, 4, 12)
    assert not [m for m in client.messages if "Error in server" in m.message]


def test_input_that_is_not_lsp_ends_the_server_with_one_line(tmp_path: Path) -> None:
    server = subprocess.run(
        [sys.executable, "-m", "mindgap", "serve"],
        input=b"x" * 100_000,  # no header line ends within the reader's 64 KiB
        capture_output=True,
        env={**os.environ, "MINDGAP_HOME": str(tmp_path)},
        timeout=60,
        check=False,
    )
    assert server.returncode == 2
    assert server.stderr.decode().splitlines() == [
        "mindgap: serve: the input is not LSP (Separator is not found, and chunk exceed the limit)"
    ]
