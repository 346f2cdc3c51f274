"""A multi-root workspace: each folder is its own repository, and a document is judged by the
rules of the folder holding it (its conventions and its settings) and belongs to that folder's
developer (quiz attempts, hand-writes, regions, the familiarity profile)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from lsprotocol import types

from mindgap.knowledge.profile import update_profile
from mindgap.ledger.database import Database
from tests.fixtures.gitrepo import ALICE, BOB, GitRepo, two_author_repo
from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_conventions import JS_MODULE, conventions, open_javascript
from tests.lsp.test_gate import FOREIGN, Editor, command, expected_quiz
from tests.lsp.test_server import change, mindgap_diagnostics, open_file, pos
from tests.lsp.test_unfamiliar import FOREIGN as UNFAMILIAR_FOREIGN
from tests.lsp.test_unfamiliar import unfamiliar

SINGLE_QUOTED = JS_MODULE
DOUBLE_QUOTED = JS_MODULE.replace("'", '"')
# foreign code in neither style: two strings in each quote
MIXED = (
    "export const describe = (value) => {\n"
    '  const title = "record";\n'
    "  const kind = 'entry';\n"
    "  return format(title, kind, \"long\", 'wide');\n"
    "};\n"
)


def repository(path: Path, module: str, settings: str | None = None) -> Path:
    """A real git repository of 12 JavaScript modules written with `module`'s quotes."""
    repo = GitRepo(path)
    files: dict[str, str | bytes] = {f"src/label_{n}.js": module.format(n=n) for n in range(12)}
    if settings is not None:
        files[".mindgap.toml"] = settings
    repo.commit("Labels", files)
    return repo.path


def insert_mixed(client, folder: Path) -> str:
    target = folder / "src" / "describe.js"
    target.write_text("import { format } from './format';\n\n", encoding="utf-8")
    uri = open_javascript(client, target)
    change(client, uri, 2, pos(2, 0), pos(2, 0), MIXED)
    return uri


def quote_findings(client, uri: str) -> list[types.Diagnostic]:
    return [d for d in conventions(client, uri) if d.code == "convention/quotes"]


def foreign(client, uri: str) -> list[types.Diagnostic]:
    return [d for d in client.diagnostics.get(uri, []) if d.code == "foreign-region"]


async def test_each_folder_judges_its_files_by_its_own_conventions_and_settings(
    tmp_path: Path,
) -> None:
    single = repository(tmp_path / "single", SINGLE_QUOTED)
    double = repository(
        tmp_path / "double", DOUBLE_QUOTED, settings='foreign-severity = "warning"\n'
    )
    session = Session(tmp_path / "home", single)
    try:
        client = await session.start(folders=[single, double])
        in_single = insert_mixed(client, single)
        in_double = insert_mixed(client, double)
        await wait_until(
            lambda: (
                len(quote_findings(client, in_single)) == 2
                and len(quote_findings(client, in_double)) == 2
            ),
            timeout=60,
        )
        # the single-quote repository flags the double-quoted strings, and the other way round
        assert {d.range.start.line for d in quote_findings(client, in_single)} == {3, 5}
        assert all(
            d.message.startswith("this repository uses single quotes")
            for d in quote_findings(client, in_single)
        )
        assert {d.range.start.line for d in quote_findings(client, in_double)} == {4, 5}
        assert all(
            d.message.startswith("this repository uses double quotes")
            for d in quote_findings(client, in_double)
        )
        # the second folder's .mindgap.toml applies to its files only
        assert [d.severity for d in foreign(client, in_double)] == [
            types.DiagnosticSeverity.Warning
        ]
        assert [d.severity for d in foreign(client, in_single)] == [
            types.DiagnosticSeverity.Information
        ]
    finally:
        await session.stop()


async def test_a_folder_added_later_is_learned_and_used_and_one_removed_is_not(
    tmp_path: Path,
) -> None:
    single = repository(tmp_path / "single", SINGLE_QUOTED)
    double = repository(tmp_path / "double", DOUBLE_QUOTED)
    session = Session(tmp_path / "home", single)
    try:
        client = await session.start(folders=[single])
        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[types.WorkspaceFolder(uri=double.as_uri(), name="double")], removed=[]
                )
            )
        )
        in_double = insert_mixed(client, double)
        await wait_until(lambda: len(quote_findings(client, in_double)) == 2, timeout=60)
        assert all(
            d.message.startswith("this repository uses double quotes")
            for d in quote_findings(client, in_double)
        )
        # removed again: its file is outside every folder, judged by the first folder's rules
        client.workspace_did_change_workspace_folders(
            types.DidChangeWorkspaceFoldersParams(
                event=types.WorkspaceFoldersChangeEvent(
                    added=[], removed=[types.WorkspaceFolder(uri=double.as_uri(), name="double")]
                )
            )
        )
        await wait_until(
            lambda: {d.range.start.line for d in quote_findings(client, in_double)} == {3, 5},
            timeout=60,
        )
    finally:
        await session.stop()


def rows(home: Path, query: str) -> list[tuple]:
    database = sqlite3.connect(home / "mindgap.sqlite3")
    try:
        return database.execute(query).fetchall()
    finally:
        database.close()


async def pasted(client, folder: Path, version: int = 2) -> tuple[str, str]:
    """FOREIGN pasted into a new file of `folder`: its URI and the region's id."""
    target = folder / "shop.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, version, pos(0, 0), pos(0, 0), FOREIGN)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) >= 1)
    return uri, mindgap_diagnostics(client, uri)[0].data["regionId"]


async def test_each_folders_developer_keeps_their_own_attempts_hand_writes_and_regions(
    tmp_path: Path,
) -> None:
    alice = GitRepo(tmp_path / "alice", ALICE)
    alice.commit("Start", {"app.py": "def main():\n    return 0\n"})
    bob = GitRepo(tmp_path / "bob", BOB)
    bob.commit("Start", {"app.py": "def main():\n    return 1\n"})
    session = Session(tmp_path / "home", alice.path)
    try:
        client = await session.start(
            folders=[alice.path, bob.path], experimental={"mindgapQuizUI": True}
        )
        in_alice, alice_region = await pasted(client, alice.path)
        in_bob, bob_region = await pasted(client, bob.path)
        Editor(client, in_bob, FOREIGN, 2)  # applies the hand-write's edit, as VS Code does

        # a quiz in each folder, its answers shown: each attempt is its developer's
        quiz = expected_quiz("")
        wrong = {q.id: "certainly not this" for q in quiz.questions}
        for uri, region_id in ((in_alice, alice_region), (in_bob, bob_region)):
            where = {"uri": uri, "regionId": region_id}
            await command(client, "mindgap.quiz", where)
            graded = await command(client, "mindgap.answer", {**where, "answers": wrong})
            assert graded["passed"] is False
        # hand-writing the code in Bob's folder: what is put aside is kept under his name
        started = await command(
            client, "mindgap.handwrite", {"uri": in_bob, "regionId": bob_region}
        )
        assert started["state"] == "hand-writing"
        # the report is the developer's of the folder named (without one: the first folder's)
        report = await command(client, "mindgap.report", {"format": "json", "uri": in_bob})
        assert report["content"]["developer"] == BOB[1]
        report = await command(client, "mindgap.report", {"format": "json"})
        assert report["content"]["developer"] == ALICE[1]
    finally:
        await session.stop()  # what the server holds is written before it ends

    shop = {folder: str(folder.resolve() / "shop.py") for folder in (alice.path, bob.path)}
    quizzed = "SELECT DISTINCT developer, path FROM events WHERE kind = 'quizzed'"
    assert sorted(rows(session.home, quizzed)) == [
        (ALICE[1], shop[alice.path]),
        (BOB[1], shop[bob.path]),
    ]
    assert rows(session.home, "SELECT developer, id FROM handwrites") == [(BOB[1], bob_region)]
    # Bob's region is with his hand-write until he is done; Alice's is in her store
    regions = "SELECT DISTINCT developer, path FROM regions"
    assert rows(session.home, regions) == [(ALICE[1], shop[alice.path])]


async def test_foreign_code_is_unfamiliar_by_the_profile_of_its_folders_developer(
    tmp_path: Path,
) -> None:
    bob = GitRepo(tmp_path / "bob", BOB)  # no history read: no profile, nothing unfamiliar
    bob.commit("Start", {"app.py": "def main():\n    return 1\n"})
    alice = two_author_repo(tmp_path / "alice")  # she has never written a match statement
    home = tmp_path / "home"
    database = Database(home / "mindgap.sqlite3")
    update_profile(database, ALICE[1], [alice.path])
    database.close()
    session = Session(home, bob.path)
    try:
        client = await session.start(folders=[bob.path, alice.path])  # Bob's folder first
        uris = {}
        for name, folder in (("bob", bob.path), ("alice", alice.path)):
            target = folder / "pick.py"
            target.write_text("", encoding="utf-8")
            uris[name] = open_file(client, target)
            change(client, uris[name], 2, pos(0, 0), pos(0, 0), UNFAMILIAR_FOREIGN)
        await wait_until(lambda: bool(unfamiliar(client, uris["alice"])), timeout=30)
        (match,) = unfamiliar(client, uris["alice"])
        assert match.data["construct"] == "python/match-statement"
        assert foreign(client, uris["bob"]) and not unfamiliar(client, uris["bob"])
    finally:
        await session.stop()
