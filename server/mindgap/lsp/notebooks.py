"""LSP 3.17 notebook sync: a notebook's code cells are tracked like files.

Each code cell is a document of the provenance tracker under its cell URI (so bursts,
`mindgap/didInsert`, the gate's commands and diagnostics work on it as on a file), stored
under the key `<notebook path>#<nbformat cell id>` (`#@<index>` for a notebook without
ids: those cells' regions are placed back by content when the notebook opens again).

Cell structure changes: a cell inserted with text at once is a foreign region (a burst,
the thresholds of files); a cell whose text was just cut from another cell (a split, a move
sent as delete + insert) brings that cell's foreign regions along (`restored`); a deleted
cell's regions are `deleted`. Analyses see the notebook's earlier code cells as context
(`analysis_input`), and their findings land in the cell.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types

from mindgap.lsp.convert import path_of, pos
from mindgap.notebooks import NotebookError, cell_key, mask_magics, read_notebook
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.detection import RecentDeletions
from mindgap.provenance.regions import Region, RegionSet
from mindgap.provenance.tracker import Change
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from mindgap.textfiles import resolved

if TYPE_CHECKING:
    from mindgap.lsp.mindgap_server import MindgapServer

log = logging.getLogger(__name__)

CONTEXT_DOCUMENTS = 4  # notebooks analysed lately; each document holds their code

# Notebooks whose cells are Python (VS Code's `jupyter-notebook`, and any other notebook
# type: the cells-only filter): only those cells are sent to mindgap.
NOTEBOOK_SYNC = types.NotebookDocumentSyncOptions(
    notebook_selector=[
        types.NotebookDocumentFilterWithNotebook(
            notebook=types.NotebookDocumentFilterNotebookType(notebook_type="jupyter-notebook"),
            cells=[types.NotebookCellLanguage(language="python")],
        ),
        types.NotebookDocumentFilterWithCells(
            cells=[types.NotebookCellLanguage(language="python")]
        ),
    ],
    save=True,
)


@dataclass
class OpenNotebook:
    uri: str
    path: str | None  # the .ipynb file, when it is one on disk
    cells: list[str] = field(default_factory=list)  # cell URIs in order (every kind)
    code: set[str] = field(default_factory=set)  # the cell URIs that are tracked code cells
    deleted: RecentDeletions = field(default_factory=RecentDeletions)  # whole cells deleted


class NotebookService:
    """The open notebooks and which notebook each tracked cell belongs to."""

    def __init__(self) -> None:
        self.notebooks: dict[str, OpenNotebook] = {}
        self.owner: dict[str, str] = {}  # cell URI -> notebook URI
        # per notebook (the last few analysed), the document its cells are analysed in: the
        # next analysis edits it where the text differs (a cell's edit, the cells up to
        # another cell), so the parse reuses the rest
        self.contexts: OrderedDict[str, SyntaxDocument] = OrderedDict()

    def cell_uri(self, path: str, index: int) -> str | None:
        """The URI of cell `index` (as `nb.ipynb#INDEX` counts, every kind) of the notebook
        file at `path`, if the editor has it open (a convention's example links to it)."""
        wanted = str(resolved(path))
        for notebook in self.notebooks.values():
            if notebook.path == wanted and 0 <= index < len(notebook.cells):
                return notebook.cells[index]
        return None

    def notebook_of(self, cell_uri: str) -> OpenNotebook | None:
        owner = self.owner.get(cell_uri)
        return self.notebooks.get(owner) if owner else None

    def earlier_code(self, ls: MindgapServer, cell_uri: str) -> list[str] | None:
        """The code (magics masked, each ending its line) of the cells before a code
        cell, in order; None if the document is no notebook cell."""
        notebook = self.notebook_of(cell_uri)
        if notebook is None:
            return None
        earlier = []
        for uri in notebook.cells:
            if uri == cell_uri:
                break
            other = ls.tracker.get(uri) if uri in notebook.code else None
            if other is not None and other.document.text:
                code = mask_magics(other.document.text)
                earlier.append(code if code.endswith("\n") else code + "\n")
        return earlier

    def analysis_input(
        self, ls: MindgapServer, cell_uri: str
    ) -> tuple[SyntaxDocument, list[Region]] | None:
        """For a code cell: the earlier code cells and the cell (magics masked) as one
        document, with the cell's regions moved into it (same ids: the analysis cache moves
        the findings back into the cell). None for other documents."""
        tracked = ls.tracker.get(cell_uri)
        cache = ls.analyses.get(cell_uri)
        regions = list(tracked.regions) if tracked is not None else []
        if not regions or (cache is not None and not cache.needs_analysis(regions)):
            return None  # nothing to analyse: the earlier cells are not needed
        earlier = self.earlier_code(ls, cell_uri)
        if earlier is None or tracked is None:
            return None
        prefix = "".join(earlier)
        notebook = self.notebook_of(cell_uri)
        assert notebook is not None  # earlier_code found it
        # named after the notebook's file: conventions and manifests apply by its path
        document = self.context_document(notebook.uri, prefix + mask_magics(tracked.document.text))
        shift = len(prefix)
        moved = [replace(r, start=r.start + shift, end=r.end + shift) for r in tracked.regions]
        return document, moved

    def context_document(self, notebook_uri: str, text: str) -> SyntaxDocument:
        """The notebook's context document, holding `text` now: the last one edited where
        the text differs (one span), else a new one. At most CONTEXT_DOCUMENTS are kept."""
        document = self.contexts.pop(notebook_uri, None)
        if document is None:
            document = SyntaxDocument(notebook_uri, text, language_named("python"))
        elif document.text != text:
            old = document.text
            start = _common_prefix(old, text)
            same_end = _common_suffix(old, text, start)
            document.replace(start, len(old) - same_end, text[start : len(text) - same_end])
        self.contexts[notebook_uri] = document
        while len(self.contexts) > CONTEXT_DOCUMENTS:
            self.contexts.popitem(last=False)
        return document

    def quiz_text(self, ls: MindgapServer, cell_uri: str) -> str | None:
        """What a quiz about code in a cell reads: the cell first (its lines are the
        prompts' lines), then the earlier cells, whose definitions the sandbox may take
        along; a name defined in neither (the kernel's state) keeps a function from
        running. None for other documents."""
        earlier = self.earlier_code(ls, cell_uri)
        tracked = ls.tracker.get(cell_uri)
        if earlier is None or tracked is None:
            return None
        code = mask_magics(tracked.document.text)
        return "".join([code if code.endswith("\n") else code + "\n", *earlier])


def _common_prefix(a: str, b: str) -> int:
    """The length of the longest common prefix (slices compared in C, halving the window)."""
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix(a: str, b: str, prefix: int) -> int:
    """The length of the longest common suffix that does not reach into `prefix`."""
    low, high = 0, min(len(a), len(b)) - prefix
    while low < high:
        middle = (low + high + 1) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle - 1
    return low


def register(server: MindgapServer) -> None:
    service: NotebookService = server.notebooks

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
    def did_open(ls: MindgapServer, params: types.DidOpenNotebookDocumentParams) -> None:
        document = params.notebook_document
        notebook = OpenNotebook(document.uri, path_of(document.uri))
        service.notebooks[document.uri] = notebook
        texts = {cell.uri: cell for cell in params.cell_text_documents}
        ids = _ids_on_disk(notebook.path, document.cells, texts)
        keyless: list[tuple[str, int]] = []  # (cell URI, index) of cells without an id
        for index, cell in enumerate(document.cells):
            notebook.cells.append(cell.document)
            text_document = texts.get(cell.document)
            if cell.kind != types.NotebookCellKind.Code or text_document is None:
                continue
            cell_id = _cell_id(cell) or ids.get(index)
            key = None
            if notebook.path is not None:
                key = cell_key(notebook.path, cell_id=cell_id, index=index)
            if notebook.path is not None and cell_id is None:
                keyless.append((cell.document, index))
                key = None  # placed by content below
            _open_cell(ls, service, notebook, text_document, key)
        if keyless and notebook.path is not None:
            from mindgap.ledger.database import StoreError

            try:
                _place_by_content(ls, notebook.path, keyless)
            except StoreError as error:  # the cells stay tracked, without their old regions
                ls.show_error(str(error))
        for uri in notebook.code:
            ls.publish(uri)
            ls.schedule_parse(uri)
        ls.schedule_flush()

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
    def did_change(ls: MindgapServer, params: types.DidChangeNotebookDocumentParams) -> None:
        notebook = service.notebooks.get(params.notebook_document.uri)
        cells = params.change.cells
        if notebook is None or cells is None:
            return
        touched: set[str] = set()
        created = False
        # Text first: a split cuts text from one cell before the new cell brings it.
        for content in cells.text_content or []:
            uri = content.document.uri
            if ls.tracker.get(uri) is None:
                continue
            changes = [
                Change(pos(c.range.start), pos(c.range.end), c.text)
                if isinstance(c, types.TextDocumentContentChangePartial)
                else Change(None, None, c.text)
                for c in content.changes
            ]
            created |= bool(ls.tracker.change(uri, content.document.version, changes))
            touched.add(uri)
        structure = cells.structure
        if structure is not None:
            for closed in structure.did_close or []:
                _delete_cell(ls, service, notebook, closed.uri)
                touched.discard(closed.uri)
            array = structure.array
            new_cells = list(array.cells or [])
            notebook.cells[array.start : array.start + array.delete_count] = [
                cell.document for cell in new_cells
            ]
            kinds = {cell.document: cell for cell in new_cells}
            for opened in structure.did_open or []:
                cell = kinds.get(opened.uri)
                if cell is not None and cell.kind != types.NotebookCellKind.Code:
                    continue
                index = notebook.cells.index(opened.uri) if opened.uri in notebook.cells else 0
                cell_id = _cell_id(cell) if cell is not None else None
                key = None
                if notebook.path is not None:
                    key = cell_key(notebook.path, cell_id=cell_id, index=index)
                created |= _insert_cell(ls, service, notebook, opened, key)
                touched.add(opened.uri)
        for data in cells.data or []:  # a cell turned into markdown, or back into code
            uri = data.document
            if data.kind != types.NotebookCellKind.Code and uri in notebook.code:
                _delete_cell(ls, service, notebook, uri)  # no longer code: its code is gone
                touched.discard(uri)
            elif data.kind == types.NotebookCellKind.Code and uri not in notebook.code:
                text = ls.workspace.get_text_document(uri)  # pygls keeps every cell's text
                item = types.TextDocumentItem(
                    uri=uri, language_id="python", version=text.version or 0, text=text.source
                )
                index = notebook.cells.index(uri) if uri in notebook.cells else 0
                key = None
                if notebook.path is not None:
                    key = cell_key(notebook.path, cell_id=_cell_id(data), index=index)
                _insert_cell(ls, service, notebook, item, key, arriving=False)
                touched.add(uri)
        for uri in touched:
            ls.publish(uri)
            ls.schedule_parse(uri, at_once=created)
        ls.schedule_flush()

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
    def did_save(ls: MindgapServer, params: types.DidSaveNotebookDocumentParams) -> None:
        notebook = service.notebooks.get(params.notebook_document.uri)
        if notebook is None:
            return
        if notebook.path is not None:  # cells new since opening got their ids on disk now
            _rekey_from_disk(ls, notebook)
        for uri in notebook.code:
            ls.record_typing(uri)
            ls.tracker.saved(uri)
        if notebook.path is not None:
            ls.refresh_conventions([notebook.path])
        ls.schedule_flush()

    @server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
    def did_close(ls: MindgapServer, params: types.DidCloseNotebookDocumentParams) -> None:
        notebook = service.notebooks.pop(params.notebook_document.uri, None)
        service.contexts.pop(params.notebook_document.uri, None)
        if notebook is None:
            return
        for uri in sorted(notebook.code):
            _forget_cell(ls, service, uri)


# -- cells ---------------------------------------------------------------------------------


def _open_cell(
    ls: MindgapServer,
    service: NotebookService,
    notebook: OpenNotebook,
    text_document: types.TextDocumentItem,
    key: str | None,
) -> None:
    from mindgap.ledger.database import StoreError

    uri = text_document.uri
    try:
        ls.tracker.open(
            uri, key, text_document.text, text_document.language_id, text_document.version
        )
    except StoreError as error:
        ls.show_error(str(error))
        ls.tracker.store = None
        ls.tracker.open(
            uri, key, text_document.text, text_document.language_id, text_document.version
        )
    notebook.code.add(uri)
    service.owner[uri] = notebook.uri


def _insert_cell(
    ls: MindgapServer,
    service: NotebookService,
    notebook: OpenNotebook,
    opened: types.TextDocumentItem,
    key: str | None,
    arriving: bool = True,
) -> bool:
    """A cell added to the open notebook (or turned into code: not `arriving`, its text was
    there); True if it made a foreign region."""
    text = opened.text
    empty = types.TextDocumentItem(
        uri=opened.uri, language_id=opened.language_id, version=opened.version, text=""
    )
    _open_cell(ls, service, notebook, empty, key)
    tracked = ls.tracker.get(opened.uri)
    if tracked is None:
        return False
    carried = notebook.deleted.take(text) if text.strip() else None
    if carried is None and text.strip():
        for uri in notebook.code - {opened.uri}:  # text cut from another cell: a split
            other = ls.tracker.get(uri)
            if other is not None and (carried := other.deletions.take(text)) is not None:
                break
    if carried is None and arriving:  # typed into a new cell later, or inserted at once
        created = ls.tracker.change(opened.uri, opened.version, [Change(None, None, text)])
        return bool(created)
    ls.tracker.arrive_whole(opened.uri, opened.version, text, carried or [])
    return False


def _delete_cell(
    ls: MindgapServer, service: NotebookService, notebook: OpenNotebook, uri: str
) -> None:
    """A cell removed from the notebook: its foreign code is deleted (a move or a split
    that sends the same text back in a new cell restores it)."""
    tracked = ls.tracker.get(uri)
    if tracked is not None:
        text = tracked.document.text
        inside = list(tracked.regions)
        ls.tracker.change(uri, tracked.version, [Change(None, None, "")])
        notebook.deleted.remember(text, inside)
    _forget_cell(ls, service, uri)
    notebook.code.discard(uri)


def _forget_cell(ls: MindgapServer, service: NotebookService, uri: str) -> None:
    ls.forget(uri)  # what the cell holds is written first
    service.owner.pop(uri, None)


def _place_by_content(ls: MindgapServer, path: str, cells: list[tuple[str, int]]) -> None:
    """Cells without nbformat ids: every region stored for the notebook's id-less cells is
    placed into the cell that holds its code, and the cells are keyed by index from now."""
    store = ls.tracker.store_for(path)  # the notebook's folder's (its developer's)
    stored: list[tuple[str, Region]] = []
    if store is not None:
        prefix = f"{path}#@"
        for key in store.paths_with_regions():
            if key.startswith(prefix):
                stored.extend((key, region) for region in store.load(key))
    placed_ids: set[str] = set()
    new_keys = set()
    for uri, index in cells:
        tracked = ls.tracker.get(uri)
        if tracked is None:
            continue
        key = cell_key(path, index=index)
        new_keys.add(key)
        regions = RegionSet()
        for _, region in stored:
            if region.id in placed_ids:
                continue
            anchoring = reanchor(region, tracked.document.text)
            if anchoring.outcome in ("kept", "moved"):
                placed_ids.add(region.id)
                for placed in anchoring.regions:
                    regions.add(placed)
        # the next save under this key replaces what was stored under it
        replacing = {region.origin_id for old_key, region in stored if old_key == key}
        ls.tracker.store_under(uri, key, replacing, regions)
    stale = {old_key for old_key, _ in stored} - new_keys
    if store is not None and stale:  # cells that are no more (their regions moved above)
        for old_key in sorted(stale):
            ls.writer.submit(store.forget, old_key)


def _rekey_from_disk(ls: MindgapServer, notebook: OpenNotebook) -> None:
    """After a save: a cell whose text is that of the file's cell at the same index is
    stored under that cell's nbformat id from now on (its old key is forgotten)."""
    if notebook.path is None:
        return
    try:
        on_disk = read_notebook(notebook.path)
    except NotebookError as error:
        log.info("%s", error)
        return
    store = ls.tracker.store_for(notebook.path)  # the notebook's folder's
    for index, uri in enumerate(notebook.cells):
        tracked = ls.tracker.get(uri) if uri in notebook.code else None
        if tracked is None or index >= len(on_disk.cells):
            continue
        disk_cell = on_disk.cells[index]
        if not disk_cell.id or disk_cell.source != tracked.document.text:
            continue
        key = cell_key(notebook.path, cell_id=disk_cell.id)
        if tracked.path == key:
            continue
        old = ls.tracker.store_under(
            uri, key, ls.tracker.known_origins.get(tracked.path or "", set())
        )
        if old is not None and store is not None:
            ls.writer.submit(store.forget, old)


def _cell_id(cell: types.NotebookCell | None) -> str | None:
    """The nbformat 4.5 cell id a client sends in the cell's metadata, if any."""
    metadata = cell.metadata if cell is not None else None
    if not isinstance(metadata, dict):
        return None
    for holder in (metadata, metadata.get("custom"), metadata.get("metadata")):
        if isinstance(holder, dict) and isinstance(holder.get("id"), str) and holder["id"]:
            return str(holder["id"])
    return None


def _ids_on_disk(
    path: str | None,
    cells: Sequence[types.NotebookCell],
    texts: dict[str, types.TextDocumentItem],
) -> dict[int, str]:
    """Cell ids from the notebook file, for cells whose index and text match it (clients
    that do not send the ids in the cells' metadata)."""
    if path is None or not Path(path).is_file():
        return {}
    try:
        on_disk = read_notebook(path)
    except NotebookError as error:
        log.info("%s", error)
        return {}
    ids = {}
    for index, cell in enumerate(cells):
        if index >= len(on_disk.cells):
            break
        disk_cell = on_disk.cells[index]
        text = texts.get(cell.document)
        if disk_cell.id and text is not None and text.text == disk_cell.source:
            ids[index] = disk_cell.id
    return ids
