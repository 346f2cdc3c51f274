"""A notebook through LSP 3.17 notebook sync, against the real server: code cells are
tracked like files (bursts, a whole inserted cell, moves, splits, deletions), diagnostics
go to the cell's URI, and regions persist with the notebook across a restart."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from lsprotocol import types
from nbformat import v4
from pytest_lsp import LanguageClient

from mindgap.gate.quiz import build_quiz
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_gate import FOREIGN as GATE_FOREIGN
from tests.lsp.test_gate import Editor, command

BLOCK = "def total(items):\n    result = sum(item.price for item in items)\n    return result\n"
NEW_CELL = "import json\n\nprint(json.dumps({'a': 1}))\nprint('done')\n"


def write_notebook(path: Path, sources: list[tuple[str, str]], *, ids: bool = True) -> None:
    """(kind, source) cells, written as nbformat writes them (4.5 ids, or none: 4.4)."""
    notebook = v4.new_notebook()
    for index, (kind, source) in enumerate(sources):
        cell = v4.new_markdown_cell(source) if kind == "markdown" else v4.new_code_cell(source)
        cell["id"] = f"cell-{index}"
        notebook.cells.append(cell)
    if not ids:
        notebook.nbformat_minor = 4
        for cell in notebook.cells:
            cell.pop("id")
    nbformat.write(notebook, str(path))


def cell_uri(notebook: Path, name: str) -> str:
    return f"vscode-notebook-cell:{notebook}#{name}"


def cell(notebook: Path, name: str, kind: str = "code") -> types.NotebookCell:
    return types.NotebookCell(
        kind=types.NotebookCellKind.Code if kind == "code" else types.NotebookCellKind.Markup,
        document=cell_uri(notebook, name),
    )


def item(notebook: Path, name: str, text: str, kind: str = "code") -> types.TextDocumentItem:
    language = "python" if kind == "code" else "markdown"
    return types.TextDocumentItem(
        uri=cell_uri(notebook, name), language_id=language, version=1, text=text
    )


def open_notebook(
    client: LanguageClient, notebook: Path, cells: list[tuple[str, str, str]], version: int = 1
) -> None:
    """(name, kind, text) cells, as VS Code opens them."""
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook.as_uri(),
                notebook_type="jupyter-notebook",
                version=version,
                cells=[cell(notebook, name, kind) for name, kind, _ in cells],
            ),
            cell_text_documents=[item(notebook, name, text, kind) for name, kind, text in cells],
        )
    )


def notebook_change(
    client: LanguageClient,
    notebook: Path,
    version: int,
    *,
    structure: types.NotebookDocumentCellChangeStructure | None = None,
    text: list[types.NotebookDocumentCellContentChanges] | None = None,
) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(
                uri=notebook.as_uri(), version=version
            ),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(structure=structure, text_content=text)
            ),
        )
    )


def edit(
    notebook: Path, name: str, version: int, start: tuple[int, int], end: tuple[int, int], new: str
) -> types.NotebookDocumentCellContentChanges:
    return types.NotebookDocumentCellContentChanges(
        document=types.VersionedTextDocumentIdentifier(
            uri=cell_uri(notebook, name), version=version
        ),
        changes=[
            types.TextDocumentContentChangePartial(
                range=types.Range(
                    start=types.Position(line=start[0], character=start[1]),
                    end=types.Position(line=end[0], character=end[1]),
                ),
                text=new,
            )
        ],
    )


def regions(client: LanguageClient, notebook: Path, name: str) -> list[types.Diagnostic]:
    return [
        d
        for d in client.diagnostics.get(cell_uri(notebook, name), [])
        if d.source == "mindgap" and d.code == "foreign-region"
    ]


def cleared(client: LanguageClient, notebook: Path, name: str) -> bool:
    uri = cell_uri(notebook, name)
    return uri in client.diagnostics and len(client.diagnostics[uri]) == 0


async def test_code_cells_are_tracked_like_files(session: Session, workspace: Path) -> None:
    notebook = workspace / "explore.ipynb"
    sources = [("markdown", "# Explore\n"), ("code", "import os\n"), ("code", "x = 1\n")]
    write_notebook(notebook, sources)
    client = await session.start(notebooks=True)
    assert session.initialize_result is not None
    sync = session.initialize_result.capabilities.notebook_document_sync
    assert isinstance(sync, types.NotebookDocumentSyncOptions) and sync.save
    open_notebook(
        client,
        notebook,
        [
            ("c0", "markdown", "# Explore\n"),
            ("c1", "code", "import os\n"),
            ("c2", "code", "x = 1\n"),
        ],
    )
    await wait_until(lambda: cell_uri(notebook, "c1") in client.diagnostics)
    assert regions(client, notebook, "c1") == []  # opening is not inserting

    # a burst in a cell: a foreign region on that cell's URI, nowhere else
    notebook_change(client, notebook, 2, text=[edit(notebook, "c1", 2, (1, 0), (1, 0), BLOCK)])
    await wait_until(lambda: len(regions(client, notebook, "c1")) == 1)
    (burst,) = regions(client, notebook, "c1")
    assert burst.range.start.line == 1 and burst.range.end.line == 3
    assert "3 lines inserted in one burst" in burst.message
    assert regions(client, notebook, "c2") == []

    # a whole cell inserted at once (a generated cell) is a foreign region
    notebook_change(
        client,
        notebook,
        3,
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(
                start=3, delete_count=0, cells=[cell(notebook, "c3")]
            ),
            did_open=[item(notebook, "c3", NEW_CELL)],
        ),
    )
    await wait_until(lambda: len(regions(client, notebook, "c3")) == 1)
    assert "3 lines inserted" in regions(client, notebook, "c3")[0].message

    # moved above the others: the cell keeps its region
    notebook_change(
        client,
        notebook,
        4,
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(
                start=1,
                delete_count=3,
                cells=[cell(notebook, "c3"), cell(notebook, "c1"), cell(notebook, "c2")],
            )
        ),
    )
    # split: the burst's lines leave c1 for a new cell c4 - the region goes with them
    before = burst.data["regionId"]
    notebook_change(
        client,
        notebook,
        5,
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(
                start=3, delete_count=0, cells=[cell(notebook, "c4")]
            ),
            did_open=[item(notebook, "c4", BLOCK)],
        ),
        text=[edit(notebook, "c1", 3, (1, 0), (4, 0), "")],
    )
    await wait_until(lambda: len(regions(client, notebook, "c4")) == 1)
    await wait_until(lambda: regions(client, notebook, "c1") == [])
    (split,) = regions(client, notebook, "c4")
    assert split.data["regionId"] == before  # the same region, not a new insertion
    assert (split.range.start.line, split.range.end.line) == (0, 2)

    # the generated cell deleted: its diagnostics are cleared
    notebook_change(
        client,
        notebook,
        6,
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(start=1, delete_count=1, cells=[]),
            did_close=[types.TextDocumentIdentifier(uri=cell_uri(notebook, "c3"))],
        ),
    )
    await wait_until(lambda: cleared(client, notebook, "c3"))

    # saved as the editor writes it (c4, new, gets its nbformat id now), closed, restarted
    saved = v4.new_notebook()
    saved.cells = [
        v4.new_markdown_cell("# Explore\n"),
        v4.new_code_cell("import os\n"),
        v4.new_code_cell(BLOCK),
        v4.new_code_cell("x = 1\n"),
    ]
    nbformat.write(saved, str(notebook))
    client.notebook_document_did_save(
        types.DidSaveNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=notebook.as_uri())
        )
    )
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=notebook.as_uri()),
            cell_text_documents=[
                types.TextDocumentIdentifier(uri=cell_uri(notebook, name))
                for name in ("c0", "c1", "c2", "c4")
            ],
        )
    )
    await wait_until(lambda: cleared(client, notebook, "c4"))
    await session.stop()

    client = await session.start(notebooks=True)
    open_notebook(
        client,
        notebook,
        [
            ("d0", "markdown", "# Explore\n"),
            ("d1", "code", "import os\n"),
            ("d2", "code", BLOCK),
            ("d3", "code", "x = 1\n"),
        ],
    )
    await wait_until(lambda: len(regions(client, notebook, "d2")) == 1)
    assert regions(client, notebook, "d2")[0].data["regionId"] == before
    assert regions(client, notebook, "d1") == [] and regions(client, notebook, "d3") == []


async def test_a_notebook_without_cell_ids_finds_its_regions_by_content(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "old.ipynb"
    write_notebook(notebook, [("code", "import os\n"), ("code", "y = 2\n")], ids=False)
    client = await session.start(notebooks=True)
    open_notebook(client, notebook, [("a", "code", "import os\n"), ("b", "code", "y = 2\n")])
    notebook_change(client, notebook, 2, text=[edit(notebook, "b", 2, (1, 0), (1, 0), BLOCK)])
    await wait_until(lambda: len(regions(client, notebook, "b")) == 1)
    region_id = regions(client, notebook, "b")[0].data["regionId"]
    client.notebook_document_did_close(
        types.DidCloseNotebookDocumentParams(
            notebook_document=types.NotebookDocumentIdentifier(uri=notebook.as_uri()),
            cell_text_documents=[
                types.TextDocumentIdentifier(uri=cell_uri(notebook, n)) for n in "ab"
            ],
        )
    )
    await session.stop()

    # reopened with a new cell above: indexes moved, the code is found where it is now
    client = await session.start(notebooks=True)
    open_notebook(
        client,
        notebook,
        [
            ("n", "code", "import sys\n"),
            ("a", "code", "import os\n"),
            ("b", "code", "y = 2\n" + BLOCK),
        ],
    )
    await wait_until(lambda: len(regions(client, notebook, "b")) == 1)
    assert regions(client, notebook, "b")[0].data["regionId"] == region_id
    assert regions(client, notebook, "n") == [] and regions(client, notebook, "a") == []


async def test_findings_in_a_cell_are_placed_in_that_cell(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "deps.ipynb"
    first = "import os\nimport json\n\nCONFIG = {'a': 1}\n"
    write_notebook(notebook, [("code", first), ("code", "z = 3\n")])
    client = await session.start(notebooks=True)
    open_notebook(client, notebook, [("a", "code", first), ("b", "code", "z = 3\n")])
    pasted = "import fancyhallucinatedpkg\n\nprint(fancyhallucinatedpkg.go(CONFIG))\n"
    notebook_change(client, notebook, 2, text=[edit(notebook, "b", 2, (1, 0), (1, 0), pasted)])

    def dependencies() -> list[types.Diagnostic]:
        found = client.diagnostics.get(cell_uri(notebook, "b"), [])
        return [d for d in found if str(d.code).startswith("dependency/")]

    await wait_until(lambda: len(dependencies()) == 1)
    (finding,) = dependencies()
    # line 1 of cell b, where the import is: not a line of the notebook's earlier cells
    assert (finding.range.start.line, finding.range.start.character) == (1, 7)
    assert (finding.range.end.line, finding.range.end.character) == (1, 27)
    assert not [d for d in client.diagnostics.get(cell_uri(notebook, "a"), [])]


HELPERS = "%matplotlib inline\nRATE = 3\n\n\ndef scale(value):\n    return value * RATE\n"
TOTAL = (
    "def total(items):\n"
    "    result = 0\n"
    "    for item in items:\n"
    "        if item > 2:\n"
    "            result += scale(item)\n"
    "        else:\n"
    "            result -= 1\n"
    "    return result\n"
)


async def test_the_gate_in_a_cell_runs_with_the_earlier_cells_definitions(
    session: Session, workspace: Path, os_sandbox: None
) -> None:
    notebook = workspace / "gate.ipynb"
    write_notebook(notebook, [("code", HELPERS), ("code", "\n")])
    client = await session.start(notebooks=True, experimental={"mindgapQuizUI": True})
    open_notebook(client, notebook, [("h", "code", HELPERS), ("t", "code", "\n")])
    notebook_change(client, notebook, 2, text=[edit(notebook, "t", 2, (0, 0), (1, 0), TOTAL)])
    await wait_until(lambda: len(regions(client, notebook, "t")) == 1)
    uri = cell_uri(notebook, "t")
    region_id = regions(client, notebook, "t")[0].data["regionId"]

    asked = await command(client, "mindgap.quiz", {"uri": uri, "regionId": region_id})
    prompts = {q["prompt"]: q for q in asked["questions"]}
    # run in the sandbox with scale() and RATE from the cell above; magics never run
    runs = [p for p in prompts if "total([1, 2, 3, 4])" in p]
    assert runs, list(prompts)
    expected = build_quiz(
        SyntaxDocument(
            uri, TOTAL + "#matplotlib inline\n" + HELPERS[19:], language_named("python")
        ),
        0,
        len(TOTAL.rstrip()),
    )
    assert [q["prompt"] for q in asked["questions"]] == [q.prompt for q in expected.questions]
    right = {q.id: q.answer for q in expected.questions}
    graded = await command(
        client, "mindgap.answer", {"uri": uri, "regionId": region_id, "answers": right}
    )
    assert graded["passed"] is True and graded["state"] == "understood"
    await wait_until(lambda: "understood" in regions(client, notebook, "t")[0].message)


async def test_waiving_a_cell_region_is_recorded_as_debt(session: Session, workspace: Path) -> None:
    notebook = workspace / "waive.ipynb"
    write_notebook(notebook, [("code", "x = 1\n")])
    client = await session.start(notebooks=True, experimental={"mindgapQuizUI": True})
    open_notebook(client, notebook, [("w", "code", "x = 1\n")])
    notebook_change(client, notebook, 2, text=[edit(notebook, "w", 2, (1, 0), (1, 0), TOTAL)])
    await wait_until(lambda: len(regions(client, notebook, "w")) == 1)
    region_id = regions(client, notebook, "w")[0].data["regionId"]
    await command(client, "mindgap.waive", {"uri": cell_uri(notebook, "w"), "regionId": region_id})
    await wait_until(
        lambda: "accepted without understanding" in regions(client, notebook, "w")[0].message
    )
    report = await command(client, "mindgap.report", {"format": "json"})
    # the debt report lists the cell like a file: the notebook, then its nbformat cell id
    files = report["content"]["files"]
    assert [(f["path"], f["waivedLines"]) for f in files] == [(f"{notebook}#cell-0", 8)]


async def test_the_command_line_finds_what_the_editor_stored_in_a_cell(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "shared.ipynb"
    sources = [("markdown", "# Shared\n"), ("code", "import os\n"), ("code", "x = 1\n")]
    write_notebook(notebook, sources)
    client = await session.start(notebooks=True)
    open_notebook(
        client,
        notebook,
        [("m", "markdown", "# Shared\n"), ("a", "code", "import os\n"), ("b", "code", "x = 1\n")],
    )
    notebook_change(client, notebook, 2, text=[edit(notebook, "b", 2, (1, 0), (1, 0), BLOCK)])
    await wait_until(lambda: len(regions(client, notebook, "b")) == 1)
    region_id = regions(client, notebook, "b")[0].data["regionId"]
    await session.stop()  # shutdown writes the store

    result = subprocess.run(
        [sys.executable, "-m", "mindgap", "check", str(notebook), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(session.home)},
        cwd=workspace,
        timeout=120,
        check=False,
    )
    # the file on disk still has cell 2 as `x = 1`: the stored region is re-anchored, and
    # its code is not there - so the editor's unsaved code is not claimed to be on disk
    findings = json.loads(result.stdout)["findings"]
    assert findings == []
    write_notebook(notebook, [*sources[:2], ("code", "x = 1\n" + BLOCK)])
    result = subprocess.run(
        [sys.executable, "-m", "mindgap", "check", str(notebook), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(session.home)},
        cwd=workspace,
        timeout=120,
        check=False,
    )
    (found,) = json.loads(result.stdout)["findings"]
    assert found["cell"] == 2 and found["evidence"]["region_id"] == region_id
    assert (found["range"]["start"]["line"], found["range"]["end"]["line"]) == (1, 3)


async def test_notebook_messages_out_of_order_do_not_stop_the_server(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "odd.ipynb"
    write_notebook(notebook, [("code", "x = 1\n")])
    client = await session.start(notebooks=True)
    # a change to a notebook never opened; a cell whose text document is missing
    notebook_change(client, workspace / "never.ipynb", 2, text=[])
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=notebook.as_uri(),
                notebook_type="jupyter-notebook",
                version=1,
                cells=[cell(notebook, "a"), cell(notebook, "ghost")],
            ),
            cell_text_documents=[item(notebook, "a", "x = 1\n")],
        )
    )
    # text for a cell the server does not know, a close of an unknown cell, an array
    # change past the end
    notebook_change(client, notebook, 2, text=[edit(notebook, "nobody", 2, (0, 0), (0, 0), BLOCK)])
    notebook_change(
        client,
        notebook,
        3,
        structure=types.NotebookDocumentCellChangeStructure(
            array=types.NotebookCellArrayChange(start=40, delete_count=3, cells=[]),
            did_close=[types.TextDocumentIdentifier(uri=cell_uri(notebook, "unknown"))],
        ),
    )
    # the notebook still works
    notebook_change(client, notebook, 4, text=[edit(notebook, "a", 2, (1, 0), (1, 0), BLOCK)])
    await wait_until(lambda: len(regions(client, notebook, "a")) == 1)
    assert regions(client, notebook, "ghost") == []


async def test_an_accepted_completion_in_a_cell_names_its_origin(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "copilot.ipynb"
    write_notebook(notebook, [("code", "import os\n")])
    client = await session.start(notebooks=True)
    open_notebook(client, notebook, [("a", "code", "import os\n")])
    notebook_change(client, notebook, 2, text=[edit(notebook, "a", 2, (1, 0), (1, 0), BLOCK)])
    client.protocol.notify(
        "mindgap/didInsert",
        {
            "textDocument": {"uri": cell_uri(notebook, "a"), "version": 2},
            "range": {"start": {"line": 1, "character": 0}, "end": {"line": 4, "character": 0}},
            "source": "inline-completion",
            "tool": "Copilot",
        },
    )
    await wait_until(
        lambda: any(
            "inline-completion (Copilot)" in d.message for d in regions(client, notebook, "a")
        )
    )
    assert len(regions(client, notebook, "a")) == 1  # the burst reclassified, not a second one


class CellEditor(Editor):
    """The client's copy of one cell: the server's `workspace/applyEdit` for the cell's URI is
    applied and sent back as a notebook change, as VS Code does."""

    def __init__(self, client: LanguageClient, notebook: Path, name: str, text: str) -> None:
        self.notebook, self.name, self.notebook_version = notebook, name, 2
        super().__init__(client, cell_uri(notebook, name), text, 2)

    def replace(self, start: types.Position, end: types.Position, text: str) -> None:
        a, b = self.offset(start), self.offset(end)
        self.text = self.text[:a] + text + self.text[b:]
        self.version += 1
        self.notebook_version += 1
        span = ((start.line, start.character), (end.line, end.character))
        notebook_change(
            self.client,
            self.notebook,
            self.notebook_version,
            text=[edit(self.notebook, self.name, self.version, *span, text)],
        )


async def test_hand_writing_a_cells_code_makes_it_the_developers(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "hand.ipynb"
    write_notebook(notebook, [("code", "import os\n"), ("code", "\n")])
    client = await session.start(notebooks=True)
    open_notebook(client, notebook, [("a", "code", "import os\n"), ("h", "code", "\n")])
    editor = CellEditor(client, notebook, "h", "\n")
    editor.replace(
        types.Position(line=0, character=0), types.Position(line=1, character=0), GATE_FOREIGN
    )
    await wait_until(lambda: len(regions(client, notebook, "h")) == 1)
    region_id = regions(client, notebook, "h")[0].data["regionId"]

    started = await command(client, "mindgap.handwrite", {"uri": editor.uri, "regionId": region_id})
    assert started["state"] == "hand-writing"
    assert "# mindgap hand-write" in editor.text and "result += price" not in editor.text
    editor.type_lines(editor.line_of(": end"), GATE_FOREIGN.replace("result", "subtotal"))
    await wait_until(
        lambda: any("the code is yours now" in m.message for m in client.messages), timeout=15
    )
    await wait_until(lambda: "understood" in regions(client, notebook, "h")[0].message)
    await wait_until(lambda: "mindgap hand-write" not in editor.text)
    assert editor.text == GATE_FOREIGN.replace("result", "subtotal")


async def test_an_agents_notebook_edit_shows_in_the_open_cell(
    session: Session, workspace: Path
) -> None:
    """Claude Code's NotebookEdit, recorded by the hook in another process while the notebook
    is open: the editor's reload looked like a burst; the agent's region takes it over."""
    notebook = workspace / "analysis.ipynb"
    first = "rows = [[1, 2], [3]]\n"
    saved = v4.new_notebook()
    saved.cells = [v4.new_code_cell(first), v4.new_code_cell("print(rows)")]
    saved.cells[0]["id"], saved.cells[1]["id"] = "a1b2c3d4", "b2c3d4e5"
    nbformat.write(saved, str(notebook))
    client = await session.start(notebooks=True)
    open_notebook(client, notebook, [("a", "code", first), ("b", "code", "print(rows)")])
    await wait_until(lambda: cell_uri(notebook, "b") in client.diagnostics)

    new_source = "totals = [sum(row) for row in rows]\nprint(max(totals))"
    saved.cells[1]["source"] = new_source
    nbformat.write(saved, str(notebook))  # the agent's tool writes the file...
    notebook_change(  # ...and the editor reloads the cell
        client, notebook, 2, text=[edit(notebook, "b", 2, (0, 0), (0, 11), new_source)]
    )
    payload = {
        "session_id": "3f2a9c1e-58d4-4b7e-9a11-2c6f0e7d5b90",
        "cwd": str(workspace),
        "hook_event_name": "PostToolUse",
        "tool_name": "NotebookEdit",
        "tool_input": {
            "notebook_path": str(notebook),
            "cell_id": "b2c3d4e5",
            "new_source": new_source,
            "cell_type": "code",
            "edit_mode": "replace",
        },
        "tool_response": {"notebook_path": str(notebook), "cell_id": "b2c3d4e5"},
    }
    recorded = subprocess.run(
        [sys.executable, "-m", "mindgap", "agent", "record", "--agent", "claude-code"],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(session.home)},
        cwd=workspace,
        timeout=60,
        check=False,
    )
    assert recorded.returncode == 0, recorded.stderr
    await wait_until(
        lambda: any("Claude Code" in d.message for d in regions(client, notebook, "b"))
    )
    (region,) = regions(client, notebook, "b")
    assert "2 lines inserted by an agent edit on disk" in region.message
    assert regions(client, notebook, "a") == []


async def test_a_cell_turned_into_markdown_and_back_keeps_its_region(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "kinds.ipynb"
    write_notebook(notebook, [("code", "x = 1\n"), ("markdown", "Some *prose*\n")])
    client = await session.start(notebooks=True)
    open_notebook(client, notebook, [("c", "code", "x = 1\n"), ("m", "markdown", "Some *prose*\n")])
    notebook_change(client, notebook, 2, text=[edit(notebook, "c", 2, (1, 0), (1, 0), BLOCK)])
    await wait_until(lambda: len(regions(client, notebook, "c")) == 1)
    region_id = regions(client, notebook, "c")[0].data["regionId"]

    def kind(version: int, name: str, markup: bool) -> None:
        cell_kind = types.NotebookCellKind.Markup if markup else types.NotebookCellKind.Code
        client.notebook_document_did_change(
            types.DidChangeNotebookDocumentParams(
                notebook_document=types.VersionedNotebookDocumentIdentifier(
                    uri=notebook.as_uri(), version=version
                ),
                change=types.NotebookDocumentChangeEvent(
                    cells=types.NotebookDocumentCellChanges(
                        data=[types.NotebookCell(kind=cell_kind, document=cell_uri(notebook, name))]
                    )
                ),
            )
        )

    kind(3, "c", markup=True)  # no longer code: nothing to mark
    await wait_until(lambda: cleared(client, notebook, "c"))
    kind(4, "c", markup=False)  # code again: the same region, not a new insertion
    await wait_until(lambda: len(regions(client, notebook, "c")) == 1)
    assert regions(client, notebook, "c")[0].data["regionId"] == region_id
    kind(5, "m", markup=False)  # prose turned into code was not inserted: no region
    notebook_change(client, notebook, 6, text=[edit(notebook, "m", 2, (0, 0), (0, 0), "# ")])
    await wait_until(lambda: cell_uri(notebook, "m") in client.diagnostics)
    assert regions(client, notebook, "m") == []


async def test_explaining_a_cells_code_is_checked_against_it(
    session: Session, workspace: Path
) -> None:
    notebook = workspace / "explain.ipynb"
    write_notebook(notebook, [("code", "import os\n"), ("code", "\n")])
    client = await session.start(notebooks=True, experimental={"mindgapQuizUI": True})
    open_notebook(client, notebook, [("a", "code", "import os\n"), ("e", "code", "\n")])
    notebook_change(
        client, notebook, 2, text=[edit(notebook, "e", 2, (0, 0), (1, 0), GATE_FOREIGN)]
    )
    await wait_until(lambda: len(regions(client, notebook, "e")) == 1)
    where = {
        "uri": cell_uri(notebook, "e"),
        "regionId": regions(client, notebook, "e")[0].data["regionId"],
    }

    false = await command(
        client, "mindgap.explain", {**where, "explanation": "It raises KeyError on a bad price."}
    )
    assert false["verdict"] == "refused" and false["contradictions"]
    explanation = (
        "Adds up the prices, refusing any that is below zero with an error, and gives back"
        " the sum less the discount."
    )
    good = await command(client, "mindgap.explain", {**where, "explanation": explanation})
    assert good["verdict"] == "check", good["message"]
    assert good["followUp"]["prompt"]  # one tracing question decides


async def test_a_conventions_example_in_a_notebook_links_to_its_cell(
    session: Session, workspace: Path
) -> None:
    """The example's cell where the notebook is open; the .ipynb file, naming the cell,
    where it is not (its lines are JSON) - never a line of the joined code cells."""
    setup = "import os\n\nroot = os.getcwd()\n"
    for n in range(3):  # f-strings in the third cell, after a code and a markdown cell
        strings = "\n".join(f'label_{n}_{i} = f"item {{{i}}}"' for i in range(12)) + "\n"
        write_notebook(
            workspace / f"explore_{n}.ipynb",
            [("code", setup), ("markdown", "notes"), ("code", strings)],
        )
    subprocess.run(["git", "-C", str(workspace), "add", "."], check=True)
    subprocess.run(["git", "-C", str(workspace), "commit", "-q", "-m", "notebooks"], check=True)
    client = await session.start(notebooks=True)
    notebook = workspace / "explore_0.ipynb"
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    names = ("a", "m", "c")
    open_notebook(
        client,
        notebook,
        [
            (name, "code" if cell["cell_type"] == "code" else "markdown", "".join(cell["source"]))
            for name, cell in zip(names, cells, strict=True)
        ],
    )
    pasted = 'name = "a {}".format(os.sep)\nprint(name)\n'
    notebook_change(client, notebook, 2, text=[edit(notebook, "a", 2, (3, 0), (3, 0), pasted)])

    def formats() -> list[types.Diagnostic]:
        found = client.diagnostics.get(cell_uri(notebook, "a"), [])
        return [d for d in found if d.code == "convention/string-format"]

    await wait_until(lambda: len(formats()) == 1, timeout=20)
    links = formats()[0].related_information or []
    assert [(link.location.uri, link.location.range.start.line) for link in links[:2]] == [
        (cell_uri(notebook, "c"), 0),
        ((workspace / "explore_1.ipynb").resolve().as_uri(), 0),
    ]
    assert links[0].message == 'the convention: label_0_0 = f"item {0}"'
    assert links[1].message == 'the convention, cell 2 line 1: label_1_0 = f"item {0}"'
