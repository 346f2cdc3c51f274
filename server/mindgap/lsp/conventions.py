"""The repository's conventions in the server: learned in the background, refreshed file by
file, and the code actions that apply a convention where the fix is mechanical.

Learning never blocks the editor: it runs on its own thread, and open documents are analysed
again once the rules are there. A saved or watched file is re-read alone (prepare on the
thread, fold in on the event loop, write the cache on the thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types

from mindgap.config import Settings
from mindgap.conventions.cache import ConventionCache
from mindgap.conventions.dimensions.python_common import forget_trees
from mindgap.conventions.repository import (
    ConfigurationUpdate,
    FileUpdate,
    RepositoryConventions,
    learn,
    open_cache,
)
from mindgap.findings import Spot
from mindgap.lsp.convert import pos
from mindgap.provenance.persistence import RegionStore

if TYPE_CHECKING:
    from mindgap.lsp.mindgap_server import MindgapServer

log = logging.getLogger(__name__)


class LearningStopped(Exception):
    """The server is shutting down: learning stops at the next file."""


class ConventionService:
    """The server's handle on one folder's (repository's) conventions (None until learned)."""

    def __init__(self) -> None:
        self.learner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindgap-learn")
        self.conventions: RepositoryConventions | None = None
        self.cache: ConventionCache | None = None
        self.ready: asyncio.Future | None = None
        self.stopping = threading.Event()

    def start(
        self, ls: MindgapServer, root: Path | None, settings: Settings, store: RegionStore | None
    ) -> None:
        """Learn the folder's conventions off the event loop (from the cache when warm)."""
        if root is None or not root.is_dir():
            return
        loop = asyncio.get_running_loop()

        def stop_if_asked(done: int, total: int, path: str) -> None:
            if self.stopping.is_set():
                raise LearningStopped

        def learn_now() -> RepositoryConventions:
            self.cache = open_cache()
            conventions = learn(
                root,
                settings.convention_min_support,
                settings.convention_min_dominance,
                store=store,
                cache=self.cache,
                progress=stop_if_asked,
            )
            conventions.dependencies.use_settings(settings)  # the editor's interpreter too
            conventions.warm()  # here, not in the first analysis on the event loop
            release_learning_memory()
            return conventions

        self.ready = loop.run_in_executor(self.learner, learn_now)
        self.ready.add_done_callback(lambda done: self._learned(ls, done))

    def _learned(self, ls: MindgapServer, done: asyncio.Future) -> None:
        if done.cancelled() or isinstance(done.exception(), LearningStopped):
            return
        if (error := done.exception()) is not None:
            log.error("learning the repository's conventions failed: %s", error)
            return
        self.conventions = done.result()
        stats = self.conventions.stats
        ls.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"mindgap: {len(self.conventions.rules)} conventions learned from "
                f"{stats.files} files ({stats.read} read) in {stats.seconds:.1f} s",
            )
        )
        self._use(ls)

    def _use(self, ls: MindgapServer) -> None:
        """Analyse open documents again with the current rules and indexes (each document
        reads its own folder's: MindgapServer.context_for)."""
        for cache in ls.analyses.values():
            cache.clear()
        for uri in list(ls.tracker.documents):
            ls.schedule_parse(uri, at_once=True)  # new rules, not typing: no pause to wait for

    def refresh(self, ls: MindgapServer, changed: list[str | None]) -> None:
        """Files changed (saved, or on disk): read those again, not the whole repository."""
        conventions = self.conventions
        paths = [path for path in changed if path is not None]
        if conventions is None or not paths:
            return
        loop = asyncio.get_running_loop()
        live = {}
        for path in paths:
            for tracked in ls.tracker.documents.values():
                if tracked.path == path:
                    text = tracked.document.text
                    live[path] = (text, [(r.start, r.end) for r in tracked.regions])

        def prepare() -> list[FileUpdate | ConfigurationUpdate]:
            # a manifest or configuration file among them is read here too, off the loop
            updates = conventions.prepare_refresh(paths, live)
            forget_trees()
            return updates

        def fold_in(done: asyncio.Future) -> None:
            if self.stopping.is_set():  # shut down meanwhile: the learner takes no more
                return
            if done.cancelled() or done.exception() is not None:
                log.error("refreshing conventions failed: %s", done.exception())
                return
            conventions.apply(done.result())
            self.learner.submit(conventions.save_indexes)
            self._use(ls)

        loop.run_in_executor(self.learner, prepare).add_done_callback(fold_in)

    def shutdown(self) -> None:
        """Learning under way stops at its next file; the learner thread then ends (a thread
        left running would keep the process alive after `exit`)."""
        self.stopping.set()
        self.learner.shutdown(wait=True, cancel_futures=True)
        if self.cache is not None:
            self.cache.close()


def release_learning_memory() -> None:
    """After learning: drop the query results kept for the last trees read (the trees with
    them), and hand the memory learning freed back to the system (glibc keeps it otherwise:
    the server would hold learning's peak for as long as it runs)."""
    forget_trees()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)  # the process's own symbols: glibc's, on Linux


# -- code actions ------------------------------------------------------------------------------


def convention_actions(ls: MindgapServer, params: types.CodeActionParams) -> list[types.CodeAction]:
    """ "Apply the repository's convention" for each mechanical deviation in the range."""
    uri = params.text_document.uri
    tracked = ls.tracker.get(uri)
    cache = ls.analyses.get(uri)
    if tracked is None or cache is None:
        return []
    document = tracked.document
    start = document.offset(pos(params.range.start))
    end = document.offset(pos(params.range.end))
    actions = []
    for region in tracked.regions:
        if region.end < start or region.start > end:
            continue
        for spot in cache.spots(region):
            fix = spot.evidence.get("fix") if spot.kind == "convention" else None
            if not fix or spot.end < start or spot.start > end:
                continue
            edits = _edits(ls, uri, spot, region.start, region.end, fix["replacement"])
            if not edits:
                continue
            title = _title(spot, fix)
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[
                        d
                        for d in (params.context.diagnostics or [])
                        if d.code == spot.code
                        and pos(d.range.start) == document.position(spot.start)
                    ]
                    or None,
                    edit=types.WorkspaceEdit(changes={uri: edits}),
                )
            )
    return actions


def _title(spot: Spot, fix: dict[str, Any]) -> str:
    if spot.dimension == "naming":
        return f"mindgap: Apply the repository's convention: rename to {fix['choice']}"
    return f"mindgap: Apply the repository's convention: {fix['choice']} {spot.dimension}"


def _edits(
    ls: MindgapServer, uri: str, spot: Spot, region_start: int, region_end: int, replacement: str
) -> list[types.TextEdit]:
    """A rename changes the name at its definition and every use inside the foreign region
    (the developer's own code is never edited); other fixes replace the site itself."""
    tracked = ls.tracker.get(uri)
    assert tracked is not None
    document = tracked.document
    old = document.text[spot.start : spot.end]
    spans = [(spot.start, spot.end)]
    if spot.dimension == "naming" and document.tree is not None:
        spans = sorted(
            {(spot.start, spot.end)}
            | {
                span
                for span in _identifiers(document, region_start, region_end)
                if document.text[span[0] : span[1]] == old
            }
        )
    return [
        types.TextEdit(
            range=types.Range(
                start=_position(document.position(a)), end=_position(document.position(b))
            ),
            new_text=replacement,
        )
        for a, b in spans
    ]


def _identifiers(document: Any, start: int, end: int) -> list[tuple[int, int]]:
    tree = document.tree
    index = document.index
    start_byte, end_byte = index.byte_offset(start), index.byte_offset(end)
    found = []
    stack = [tree.root_node]
    while stack:
        node = stack.pop()
        if node.end_byte <= start_byte or node.start_byte >= end_byte:
            continue
        if node.type in ("identifier", "property_identifier", "field_identifier") and (
            node.start_byte >= start_byte and node.end_byte <= end_byte
        ):
            found.append(
                (index.offset_of_point(*node.start_point), index.offset_of_point(*node.end_point))
            )
        stack.extend(node.children)
    return found


def _position(position: Any) -> types.Position:
    return types.Position(line=position.line, character=position.character)
