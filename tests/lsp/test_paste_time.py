"""An inserted block is analysed at once: its findings arrive without any further edit and
without waiting for the typing pause (which only typing needs). The pause is set to a minute
here, so findings that arrived came from the insertion itself."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_conventions import FOREIGN, conventions
from tests.lsp.test_server import change, open_file, pos
from tests.unit.conventions.test_engine import snake_repo

A_MINUTE = {"typingPauseMs": 60_000}


@pytest_asyncio.fixture
async def patient_session(tmp_path: Path):
    session = Session(tmp_path / "home", snake_repo(tmp_path / "repo").path)
    try:
        yield session
    finally:
        await session.stop()


async def test_a_pasted_block_gets_its_findings_without_waiting_for_a_pause(
    patient_session: Session,
) -> None:
    client = await patient_session.start(initialization_options=A_MINUTE)
    target = patient_session.workspace / "pkg" / "records.py"
    target.write_text("import os\n\n", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, 2, pos(2, 0), pos(2, 0), FOREIGN)  # one change, three lines: a burst
    await wait_until(lambda: len(conventions(client, uri)) == 2, timeout=30)


async def test_an_accepted_completion_reported_by_the_client_is_analysed_at_once(
    patient_session: Session,
) -> None:
    client = await patient_session.start(initialization_options=A_MINUTE)
    target = patient_session.workspace / "pkg" / "records.py"
    target.write_text("import os\n\n", encoding="utf-8")
    uri = open_file(client, target)
    # typed one line at a time (no burst), then reported as an accepted completion
    version = 2
    for number, line in enumerate(FOREIGN.splitlines(keepends=True)):
        change(client, uri, version, pos(2 + number, 0), pos(2 + number, 0), line)
        version += 1
    client.protocol.notify(
        "mindgap/didInsert",
        {
            "textDocument": {"uri": uri, "version": version - 1},
            "range": {"start": {"line": 2, "character": 0}, "end": {"line": 5, "character": 0}},
            "source": "inline-completion",
            "tool": "Copilot",
        },
    )
    await wait_until(lambda: len(conventions(client, uri)) == 2, timeout=30)
