"""Hostile input through the real server: bounded work, and errors that are messages."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import change, mindgap_diagnostics, open_file, pos


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

    # the server still answers, and its log holds no traceback
    await client.shutdown_session()
    session.client = None
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and "RecursionError" not in text
