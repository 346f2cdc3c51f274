"""In the editor: foreign code that departs from the repository's conventions is flagged, with
links to places that show the convention, and a code action applies it."""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio
from lsprotocol import types

from tests.fixtures.gitrepo import GitRepo
from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import change, open_file, pos
from tests.unit.conventions.test_engine import CAMEL_MODULE, snake_repo

FOREIGN = (
    "def parseRecord(rawLine):\n"
    "    head = rawLine.strip()\n"
    "    return parseRecord(head) if rawLine else head\n"
)


@pytest_asyncio.fixture
async def snake_session(tmp_path: Path):
    repo = snake_repo(tmp_path / "repo")
    session = Session(tmp_path / "home", repo.path)
    try:
        yield session
    finally:
        await session.stop()


def conventions(client, uri: str) -> list[types.Diagnostic]:
    return [
        d for d in client.diagnostics.get(uri, []) if (d.data or {}).get("kind") == "convention"
    ]


async def records_with_foreign_code(session: Session, before: str):
    """pkg/records.py holding `before`, with FOREIGN inserted after it in one change, once
    its two naming findings are published: (client, uri)."""
    client = await session.start()
    target = session.workspace / "pkg" / "records.py"
    target.write_text(before, encoding="utf-8")
    uri = open_file(client, target)
    line = before.count("\n")
    change(client, uri, 2, pos(line, 0), pos(line, 0), FOREIGN)
    await wait_until(lambda: len(conventions(client, uri)) == 2, timeout=30)
    return client, uri


async def test_a_foreign_insertion_gets_convention_diagnostics_with_examples(
    snake_session: Session,
) -> None:
    client, uri = await records_with_foreign_code(snake_session, "import os\n\n")
    function, parameter = sorted(conventions(client, uri), key=lambda d: d.range.start.character)
    assert function.code == "convention/naming"
    assert function.source == "mindgap"
    assert function.range == types.Range(start=pos(2, 4), end=pos(2, 15))
    assert function.message == (
        "this repository uses snake_case for function names (24 of 24 sites, 100%); "
        "this uses camelCase"
    )
    assert function.data["dimension"] == "naming"
    assert parameter.range == types.Range(start=pos(2, 16), end=pos(2, 23))
    links = function.related_information or []
    assert [(link.location.uri, link.location.range.start.line) for link in links] == [
        ((snake_session.workspace / f"pkg/module_{n}.py").resolve().as_uri(), 1) for n in (0, 1, 10)
    ]
    assert links[0].message == "the convention: def load_0(source_path):"

    # the developer's own code in the same file is never flagged
    # typed, a line at a time (two lines in one change would be a paste)
    change(client, uri, 3, pos(0, 0), pos(0, 0), "def myHelper(a):\n")
    change(client, uri, 4, pos(0, 0), pos(0, 0), "x = 1\n")
    await wait_until(
        lambda: bool(conventions(client, uri)) and conventions(client, uri)[0].range.start.line == 4
    )
    assert all(d.range.start.line >= 4 for d in conventions(client, uri))


async def test_the_rename_code_action_renames_every_use_inside_the_foreign_code(
    snake_session: Session,
) -> None:
    client, uri = await records_with_foreign_code(
        snake_session, "def keep(rawLine):\n    return rawLine\n\n"
    )

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos(3, 18), end=pos(3, 18)),  # on rawLine
            context=types.CodeActionContext(diagnostics=conventions(client, uri)),
        )
    )
    renames = [
        a
        for a in actions or []
        if isinstance(a, types.CodeAction) and a.title.startswith("mindgap: Apply")
    ]
    assert [a.title for a in renames] == [
        "mindgap: Apply the repository's convention: rename to snake_case"
    ]
    edit = renames[0].edit
    assert edit is not None and edit.changes is not None
    edits = sorted(edit.changes[uri], key=lambda e: (e.range.start.line, e.range.start.character))
    # rawLine at its definition and both uses in the foreign code; not in keep() above
    assert [(e.range.start.line, e.range.start.character, e.new_text) for e in edits] == [
        (3, 16, "raw_line"),
        (4, 11, "raw_line"),
        (5, 32, "raw_line"),
    ]


async def test_saving_a_file_refreshes_the_conventions(snake_session: Session) -> None:
    """The repository turns camelCase file by file: once it no longer has a dominant style,
    nothing is flagged any more."""
    client, uri = await records_with_foreign_code(snake_session, "")

    other = snake_session.workspace / "pkg" / "module_0.py"
    other.write_text("".join(CAMEL_MODULE.format(n=n) for n in range(3)), encoding="utf-8")
    other_uri = open_file(client, other)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=other_uri))
    )
    await wait_until(lambda: not conventions(client, uri), timeout=30)


JS_MODULE = """import {{ format }} from './format';

export const label{n} = (value) => {{
  const prefix = 'item';
  return format(prefix, value, 'short');
}};
"""
JS_FOREIGN = (
    "export const describe = (value) => {\n"
    '  const title = "record";\n'
    '  return format(title, value, "long");\n'
    "};\n"
)


@pytest_asyncio.fixture
async def single_quote_session(tmp_path: Path):
    """A JavaScript repository that writes its strings in single quotes (36 of 36)."""
    repo = GitRepo(tmp_path / "repo")
    files: dict[str, str | bytes] = {f"src/label_{n}.js": JS_MODULE.format(n=n) for n in range(12)}
    repo.commit("Labels", files)
    session = Session(tmp_path / "home", repo.path)
    try:
        yield session
    finally:
        await session.stop()


def open_javascript(client, path: Path) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="javascript", version=1, text=path.read_text("utf-8")
            )
        )
    )
    return uri


async def test_a_javascript_insertion_gets_the_quote_convention_and_its_fix(
    single_quote_session: Session,
) -> None:
    client = await single_quote_session.start()
    target = single_quote_session.workspace / "src" / "describe.js"
    target.write_text("import { format } from './format';\n\n", encoding="utf-8")
    uri = open_javascript(client, target)
    change(client, uri, 2, pos(2, 0), pos(2, 0), JS_FOREIGN)

    def quotes() -> list[types.Diagnostic]:
        return [d for d in conventions(client, uri) if d.code == "convention/quotes"]

    await wait_until(lambda: len(quotes()) == 2, timeout=30)
    title, long = sorted(quotes(), key=lambda d: d.range.start.line)
    assert title.range == types.Range(start=pos(3, 16), end=pos(3, 24))  # "record"
    assert long.range == types.Range(start=pos(4, 30), end=pos(4, 36))  # "long"
    # 36 strings in the labels, and the hand-written import of the file itself
    assert title.message == (
        "this repository uses single quotes for string literals (37 of 37 sites, 100%); "
        "this uses double quotes"
    )
    assert title.data["dimension"] == "quotes"
    links = title.related_information or []
    src = (single_quote_session.workspace / "src").resolve()
    assert [(link.location.uri, link.location.range.start.line) for link in links] == [
        ((src / name).as_uri(), 0) for name in ("describe.js", "label_0.js", "label_1.js")
    ]
    assert links[1].message == "the convention: import { format } from './format';"
    # only the foreign code is judged: the hand-written import above keeps its quotes
    assert all(d.range.start.line >= 2 for d in conventions(client, uri))

    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos(3, 18), end=pos(3, 18)),  # inside "record"
            context=types.CodeActionContext(diagnostics=quotes()),
        )
    )
    fixes = [
        a
        for a in actions or []
        if isinstance(a, types.CodeAction) and a.title.startswith("mindgap: Apply")
    ]
    assert [a.title for a in fixes] == ["mindgap: Apply the repository's convention: single quotes"]
    edit = fixes[0].edit
    assert edit is not None and edit.changes is not None
    assert [(e.range, e.new_text) for e in edit.changes[uri]] == [(title.range, "'record'")]
