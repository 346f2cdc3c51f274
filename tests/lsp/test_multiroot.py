"""A multi-root workspace: each folder is its own repository, and a document is judged by the
rules of the folder holding it: its conventions and its settings."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types

from tests.fixtures.gitrepo import GitRepo
from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_conventions import JS_MODULE, conventions, open_javascript
from tests.lsp.test_server import change, pos

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
