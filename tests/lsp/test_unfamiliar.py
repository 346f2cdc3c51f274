"""In the editor: what in foreign code this developer has never written shows up by itself."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio
from lsprotocol import types

from mindgap.knowledge.profile import record_practice, update_profile
from mindgap.ledger.database import Database
from tests.fixtures.gitrepo import ALICE, two_author_repo
from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import change, open_file, pos

FOREIGN = (
    "def pick(items, command):\n"
    "    best = sorted(items, key=lambda item: item.rank)\n"
    "    match command:\n"
    "        case 'first':\n"
    "            return best[0]\n"
    "    return None\n"
)


@pytest_asyncio.fixture
async def alice(tmp_path: Path):
    """Alice's repository (she writes lambdas, never a match statement) and her profile."""
    repo = two_author_repo(tmp_path / "alice-repo")
    home = tmp_path / "home"
    database = Database(home / "mindgap.sqlite3")
    update_profile(database, ALICE[1], [repo.path])
    session = Session(home, repo.path)
    try:
        yield session, database
    finally:
        await session.stop()
        database.close()


def unfamiliar(client, uri: str) -> list[types.Diagnostic]:
    return [
        d for d in client.diagnostics.get(uri, []) if (d.data or {}).get("kind") == "unfamiliar"
    ]


async def test_an_unfamiliar_construct_in_foreign_code_is_flagged(alice) -> None:
    session, _ = alice
    client = await session.start()
    target = session.workspace / "pick.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, 2, pos(0, 0), pos(0, 0), FOREIGN)

    await wait_until(lambda: bool(unfamiliar(client, uri)))
    (match,) = unfamiliar(client, uri)  # the lambda is hers: not flagged
    assert match.code == "unfamiliar-construct"
    assert match.source == "mindgap"
    assert match.severity == types.DiagnosticSeverity.Information
    assert match.range.start == pos(2, 4)
    assert match.message.startswith("You have not written a match statement yourself")
    assert match.data["construct"] == "python/match-statement"

    # the finding follows its region when lines are typed above it
    change(client, uri, 3, pos(0, 0), pos(0, 0), "x = 1\n")
    await wait_until(
        lambda: unfamiliar(client, uri) and unfamiliar(client, uri)[0].range.start == pos(3, 4)
    )


async def test_a_construct_the_developer_practised_is_not_flagged(alice) -> None:
    session, database = alice
    record_practice(database, ALICE[1], ["python/match-statement"])  # she passed a quiz on it
    client = await session.start()
    target = session.workspace / "pick.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    walrus = "def size(items):\n    if (n := len(items)) > 1:\n        return n\n    return 0\n"
    change(client, uri, 2, pos(0, 0), pos(0, 0), FOREIGN + "\n\n" + walrus)

    await wait_until(lambda: bool(unfamiliar(client, uri)))
    constructs = [d.data["construct"] for d in unfamiliar(client, uri)]
    assert "python/match-statement" not in constructs
    assert "python/walrus" in constructs


async def test_constructs_typed_in_the_editor_become_familiar_on_save(alice) -> None:
    session, _ = alice
    client = await session.start()
    target = session.workspace / "size.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    # Alice types a walrus by hand, in small changes, and saves
    typed = ["def size(items):", "\n    if (n := len(items)) > 1:", "\n        return n", "\n"]
    text = ""
    for version, piece in enumerate(typed, start=2):
        line = text.count("\n")
        column = len(text.split("\n")[-1])
        change(client, uri, version, pos(line, column), pos(line, column), piece)
        text += piece
    target.write_text(text, encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )

    # then an assistant inserts code with a walrus and a match statement
    walrus = "\n\ndef count(items):\n    while (k := len(items)) > 3:\n        items.pop()\n"
    change(client, uri, 10, pos(4, 0), pos(4, 0), FOREIGN + walrus)

    def flagged() -> list[str]:
        return [d.data["construct"] for d in unfamiliar(client, uri)]

    await wait_until(
        lambda: "python/match-statement" in flagged() and "python/walrus" not in flagged()
    )
