"""A folder's sandbox command that cannot start: the server says once, in the editor's log,
why no question runs the code, naming the folder's command, which the quiz's job probed
(tests/lsp/test_sandbox_attack.py has the machine without bubblewrap)."""

from __future__ import annotations

from pathlib import Path

from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_gate import FOREIGN, command
from tests.lsp.test_server import change, mindgap_diagnostics, open_file, pos


async def test_a_sandbox_command_that_cannot_start_is_said_once(
    session: Session, tmp_path: Path
) -> None:
    missing = str(tmp_path / "no-such-sandbox")
    client = await session.start(initialization_options={"sandboxCommand": [missing]})
    for name in ("shop.py", "till.py"):
        target = session.workspace / name
        target.write_text("", encoding="utf-8")
        uri = open_file(client, target)
        change(client, uri, 2, pos(0, 0), pos(0, 0), FOREIGN)
        await wait_until(lambda uri=uri: len(mindgap_diagnostics(client, uri)) >= 1)
        region_id = mindgap_diagnostics(client, uri)[0].data["regionId"]
        await command(client, "mindgap.quiz", {"uri": uri, "regionId": region_id})
    said = [m.message for m in client.log_messages if "questions that run the code" in m.message]
    assert len(said) == 1 and missing in said[0]
