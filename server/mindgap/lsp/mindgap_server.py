"""The server's state: settings, the provenance tracker, the store, analyses and quizzes.

The handlers live in `server.py` (documents, files, provenance) and `gate.py` (the gate).
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any, BinaryIO, cast

from lsprotocol import types
from pygls.lsp.server import LanguageServer

from mindgap import __version__
from mindgap.analysis import AnalysisCache, AnalysisContext
from mindgap.config import Settings, resolve_settings
from mindgap.errors import UsageError
from mindgap.findings import foreign_region_finding
from mindgap.gate.handwrite_session import HandwriteSessions
from mindgap.gate.quiz import Quiz
from mindgap.gate.sandbox import use_sandbox_command
from mindgap.gate.sandbox.runner import shutdown_pool as shutdown_sandboxes
from mindgap.knowledge.apis import local_top_level_modules
from mindgap.knowledge.profile import Profile, record_practice
from mindgap.knowledge.typed import typed_constructs
from mindgap.knowledge.unfamiliar import has_evidence
from mindgap.ledger.database import Database, StoreError
from mindgap.ledger.events import Event, append_events
from mindgap.lsp.convert import diagnostic, path_of, plain, spot_diagnostic
from mindgap.lsp.folders import Folder, folder_root, innermost, open_folder
from mindgap.lsp.notebooks import NOTEBOOK_SYNC, NotebookService
from mindgap.lsp.protocol import TrackerOwnedDocumentsProtocol, loop_can_read, serve_stdio
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.tracker import ProvenanceTracker, TrackedDocument
from mindgap.syntax.languages import watched_globs

log = logging.getLogger(__name__)

FLUSH_DELAY_S = 0.5  # persist region moves at most twice a second while typing


class MindgapServer(LanguageServer):
    def __init__(self, database_path: Path | None = None) -> None:
        super().__init__(
            "mindgap",
            __version__,
            protocol_cls=TrackerOwnedDocumentsProtocol,
            notebook_document_sync=NOTEBOOK_SYNC,  # code cells, tracked like files
        )
        self.notebooks = NotebookService()
        self.database_path = database_path
        # The workspace's folders (repositories), the first first; never empty.
        self.folders: list[Folder] = [Folder(None, Settings(), "unknown", None)]
        self.editor_settings: dict[str, Any] = {}  # what the editor sent, for every folder
        self.database: Database | None = None
        self.tracker = ProvenanceTracker(None)
        self.problems: list[str] = []  # shown to the user once the session is up
        # One thread owns all writes, so the event loop never waits for the disk.
        self.writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindgap-store")
        # Quizzes are built here, never on the event loop: their code may run in the sandbox.
        self.quiz_builder = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindgap-quiz")
        self.sandbox_notice_given = False
        self._flush_pending: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._parse_pending: dict[str, asyncio.TimerHandle] = {}
        self._publish_owed: set[str] = set()  # documents whose next parse must publish
        self.context = AnalysisContext()
        self.quizzes: dict[str, Quiz] = {}  # by region id: the keys stay on the server
        self.offer_pending: set[str] = set()  # accepted regions to offer a quiz on, once analysed
        self.handwriting = HandwriteSessions()  # hand-writes in progress
        self.background: set[asyncio.Future] = set()
        self.analyses: dict[str, AnalysisCache] = {}  # per open document
        # Owned by the writer thread: what a failed write still has to persist.
        self._unwritten_states: dict[str, FileState] = {}
        self._unwritten_events: list[Event] = []
        self._last_store_error: str | None = None
        # Called on the writer thread after each successful write (lsp/report.py's status).
        self.store_listeners: list[Any] = []
        # Called once the client is initialized (lsp/report.py's first status).
        self.session_listeners: list[Callable[[], None]] = []
        # Called after a document was parsed and analysed (the gate's offers and hand-writes).
        self.parse_listeners: list[Callable[[TrackedDocument, AnalysisCache], None]] = []

    # -- set-up ----------------------------------------------------------------------------

    def start_io(self, stdin: BinaryIO | None = None, stdout: BinaryIO | None = None) -> None:
        """Serve on stdio; a pipe is read by the event loop (lsp/protocol.serve_stdio)."""
        stdin, stdout = stdin or sys.stdin.buffer, stdout or sys.stdout.buffer
        if not loop_can_read(stdin):
            super().start_io(stdin, stdout)
            return
        self._stop_event = threading.Event()
        try:
            serve_stdio(self.protocol, self._stop_event, stdin, stdout, self.report_server_error)
        except BrokenPipeError:
            log.error("the connection to the client is lost: shutting down")
        except (KeyboardInterrupt, SystemExit):  # `exit` ends the loop with SystemExit
            pass
        except ValueError as error:  # the reader's limit: no LSP header is 64 KiB long
            raise UsageError(f"serve: the input is not LSP ({error})") from None
        finally:
            self.shutdown()

    def configure(self, params: types.InitializeParams) -> None:
        self.editor_settings = _editor_settings(params.initialization_options)
        try:
            self.database = Database(self.database_path)
        except StoreError as error:
            self.problems.append(
                f"mindgap: {error} Foreign regions will not be kept after a restart."
            )
        roots = [folder_root(folder.uri) for folder in params.workspace_folders or []]
        if not roots:  # an editor without workspace folders: its root, if any
            roots = [folder_root(params.root_uri, params.root_path)]
        self.folders = [self._open_folder(root) for root in roots]
        first = self.folders[0]
        use_sandbox_command(first.settings.sandbox_command)  # a job's folder sets its own
        self.tracker = ProvenanceTracker(
            first.store if self.database is not None else None,
            first.thresholds,
            encoding=_encoding_name(self.workspace.position_encoding),
        )
        for folder in self.folders:
            if folder.key is not None:
                self.tracker.use_folder(folder.key, folder.store, folder.thresholds)

    def _open_folder(self, root: Path | None) -> Folder:
        """A folder with its settings, developer, store and that developer's profile."""
        folder = open_folder(root, self.editor_settings, self.database, self.problems)
        if folder.store is not None:
            try:
                profile = Profile.load(folder.store.database, folder.developer, folder.settings)
            except StoreError as error:
                self.problems.append(
                    f"mindgap: {error} Foreign regions will not be kept after a restart."
                )
            else:
                folder.profile = profile if has_evidence(profile) else None
        return folder

    # The first folder's: the editor's file watching, the debt report, and documents outside
    # every folder. Everything about a document comes from `folder_of` it.
    @property
    def settings(self) -> Settings:
        return self.folders[0].settings

    @property
    def wire(self) -> TrackerOwnedDocumentsProtocol:
        """The protocol, as mindgap's own (plain notifications)."""
        return cast(TrackerOwnedDocumentsProtocol, self.protocol)

    def folder_of(self, uri: str) -> Folder:
        """The innermost folder holding the document (a notebook cell: its notebook): its
        settings, developer, store, profile and quiz policy are the document's."""
        tracked = self.tracker.get(uri)
        return innermost(self.folders, tracked.path if tracked is not None else path_of(uri))

    def store_of(self, folder: Folder) -> RegionStore | None:
        """The folder's store (its developer's), None once the store failed."""
        return folder.store if self.tracker.store is not None else None

    def context_for(self, uri: str) -> AnalysisContext:
        """The analysis context of a document: its folder's developer's profile,
        conventions and modules."""
        folder = self.folder_of(uri)
        return replace(
            self.context,
            profile=folder.profile,
            conventions=folder.conventions.conventions,
            convention_severity=folder.settings.convention_severity,
            local_modules=folder.local_modules,
        )

    async def start_session(self) -> None:
        """Once the client is initialized: learn each folder's conventions (in the
        background), let the other faces start, say what went wrong at start, watch files."""
        for folder in self.folders:
            folder.conventions.start(self, folder.root, folder.settings, folder.store)
        for listener in self.session_listeners:
            listener()
        await self.register_file_watching()

    def folders_changed(self, added: list[str], removed: list[str]) -> None:
        """workspace/didChangeWorkspaceFolders (URIs): a folder added is read and learned
        like those of the start; one removed stops learning and lets go of its rules."""
        gone = {folder_root(uri) for uri in removed}
        for folder in [f for f in self.folders if f.root in gone]:
            folder.conventions.shutdown()
            if folder.key is not None:
                self.tracker.forget_folder(folder.key)
            self.folders.remove(folder)
        known = {folder.root for folder in self.folders}
        for root in [folder_root(uri) for uri in added]:
            if root in known:
                continue
            folder = self._open_folder(root)
            if not self.folders or self.folders[0].root is None:  # no folder before this one
                self.folders = [folder]
            else:
                self.folders.append(folder)
            if folder.key is not None:
                self.tracker.use_folder(folder.key, folder.store, folder.thresholds)
            folder.conventions.start(self, folder.root, folder.settings, folder.store)
        if not self.folders:
            self.folders = [Folder(None, Settings(), "unknown", None)]
        self._show_problems()
        self.reanalyse()

    def settings_changed(self, editor: dict[str, Any]) -> None:
        """New editor settings, over each folder's files: thresholds and display change now;
        the developer identity and the store stay as they were for this session. A bad
        value changes nothing (SettingsError)."""
        resolved = [resolve_settings(folder.root, editor) for folder in self.folders]
        self.editor_settings = editor
        for folder, settings in zip(self.folders, resolved, strict=True):
            folder.use_settings(settings)
            if folder.key is not None:
                self.tracker.use_folder(folder.key, folder.store, folder.thresholds)
        use_sandbox_command(self.settings.sandbox_command)
        self.tracker.thresholds = self.folders[0].thresholds
        for uri in list(self.tracker.documents):
            self.publish(uri)

    def refresh_conventions(self, paths: list[str | None]) -> None:
        """Files changed (saved, or on disk): each folder reads its own again."""
        for folder in self.folders:
            mine = [path for path in paths if innermost(self.folders, path) is folder]
            folder.conventions.refresh(self, mine)

    def _show_problems(self) -> None:
        for problem in self.problems:
            self.window_show_message(
                types.ShowMessageParams(type=types.MessageType.Warning, message=problem)
            )
        self.problems.clear()

    async def register_file_watching(self) -> None:
        self._show_problems()
        watched = (
            self.client_capabilities.workspace
            and self.client_capabilities.workspace.did_change_watched_files
        )
        if not (self.settings.watch_files and watched and watched.dynamic_registration):
            return
        options = types.DidChangeWatchedFilesRegistrationOptions(
            watchers=[types.FileSystemWatcher(glob_pattern=glob) for glob in watched_globs()]
        )
        registration = types.Registration(
            id="mindgap-watched-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        try:
            await self.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception as error:  # the client said no: on-disk edits go unnoticed, say so
            log.warning("file watching not available: %s", error)

    def use_profile(self, developer: str, profile: Profile) -> None:
        """The developer's familiarity profile, read again: every folder of theirs uses it."""
        for folder in self.folders:
            if folder.developer == developer:
                folder.profile = profile if has_evidence(profile) else None
        for folder in self.folders:  # a module added since is the project's own too
            folder.local_modules = local_top_level_modules(folder.root)
        self.reanalyse()

    def reanalyse(self) -> None:
        """Analyse every open document again (new rules, a new profile, folders changed)."""
        for cache in self.analyses.values():
            cache.clear()
        for uri in list(self.tracker.documents):
            self.schedule_parse(uri, at_once=True)

    def record_typing(self, uri: str) -> None:
        """On save: constructs typed since the last save are hand-written evidence; the
        profile is then read again (on the writer thread), so a profile rebuilt by
        `mindgap profile` also takes effect without a restart."""
        tracked = self.tracker.get(uri)
        folder = self.folder_of(uri)
        store = self.store_of(folder)
        if tracked is None or tracked.path is None or store is None:
            return
        before = tracked.saved_text
        if before is None:
            before = store.snapshot(tracked.path)
        regions = list(tracked.regions)
        typed = [] if before is None else typed_constructs(tracked.document, before, regions)
        self.practise(folder, typed, "typed")

    def practise(self, folder: Folder, construct_keys: list[str], kind: str) -> None:
        """Constructs the folder's developer wrote, or showed they understand (a passed
        quiz, an explanation, a hand-write): recorded on the writer thread, then their
        profile is read again, so a profile rebuilt by `mindgap profile` also takes effect."""
        store = self.store_of(folder)
        if store is None:
            return
        loop = asyncio.get_running_loop()
        developer, settings = folder.developer, folder.settings

        def write_and_reload() -> None:
            try:
                record_practice(store.database, developer, construct_keys, kind=kind)
                profile = Profile.load(store.database, developer, settings)
            except StoreError as error:
                log.error("%s", error)
                return
            loop.call_soon_threadsafe(self.use_profile, developer, profile)

        self.writer.submit(write_and_reload)

    def show_error(self, message: str) -> None:
        self.window_show_message(
            types.ShowMessageParams(type=types.MessageType.Error, message=message)
        )

    # -- diagnostics ---------------------------------------------------------------------------

    def publish(self, uri: str) -> None:
        """Each region's diagnostic, and the deeper findings analysed for it (moved with it)."""
        tracked = self.tracker.get(uri)
        if tracked is None:
            return
        file, index = tracked.path or uri, tracked.document.index
        cache = self.analyses.get(uri)
        settings = self.folder_of(uri).settings
        diagnostics = []
        for region in tracked.regions if settings.enabled else ():
            finding = foreign_region_finding(file, index, region, settings.foreign_severity)
            diagnostics.append(diagnostic(finding))
            spots = cache.spots(region) if cache is not None else []
            cell_uris = self.notebooks.cell_uri
            diagnostics.extend(spot_diagnostic(spot, file, index, cell_uris) for spot in spots)
        params: dict[str, Any] = {"uri": uri, "diagnostics": diagnostics}
        if tracked.version is not None:
            params["version"] = tracked.version
        self.wire.notify_plain(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS, params)

    def schedule_parse(self, uri: str, at_once: bool = False, publish: bool = False) -> None:
        """Re-parse once typing has paused (`typing_pause_ms`), never while diagnostics wait;
        `at_once` after a change that made foreign code (a paste, an accepted completion, an
        agent edit): nobody types a block, so its findings need no pause. `publish`: the
        caller has not published the change; the analysis's publish (due in any case, even
        if the analysis fails) shows it, once, with the findings."""
        loop = asyncio.get_running_loop()
        if publish:
            self._publish_owed.add(uri)
        self.cancel_parse(uri)
        delay = 0.0 if at_once else self.folder_of(uri).settings.typing_pause_ms / 1000
        self._parse_pending[uri] = loop.call_later(delay, self._parse_now, uri)

    def _parse_now(self, uri: str) -> None:
        """Typing paused: bring the tree up to date and analyse regions whose code changed.
        A document without foreign regions is not parsed: nothing analyses it, and its tree
        (about 1 MB per 1,000 lines) is built when something first needs it."""
        self._parse_pending.pop(uri, None)
        owed, analysed = uri in self._publish_owed, 0
        self._publish_owed.discard(uri)
        tracked = self.tracker.get(uri)
        if tracked is None:
            return
        try:
            if tracked.regions:
                self.tracker.parse(uri)
            cache = self.analyses.setdefault(uri, AnalysisCache())
            # a notebook cell is analysed after its notebook's earlier cells (imports, names)
            document, regions = self.notebooks.analysis_input(self, uri) or (
                tracked.document,
                list(tracked.regions),
            )
            analysed = cache.refresh(document, regions, self.context_for(uri))
        finally:
            if analysed or owed:
                self.publish(uri)
        for listener in self.parse_listeners:
            listener(tracked, cache)

    # -- persistence ------------------------------------------------------------------------------

    def schedule_flush(self) -> None:
        if self._flush_pending is None:
            self._loop = asyncio.get_running_loop()
            self._flush_pending = self._loop.call_later(FLUSH_DELAY_S, self._flush_now)

    def _flush_now(self) -> None:
        self._flush_pending = None
        self.flush()

    def flush(self, keys: list[str] | None = None) -> Future[None]:
        """Write what the editor's state holds now (all documents, or those of `keys`) on
        the writer thread; the future is done once it is written. What is collected is a
        snapshot taken here, so a document may be closed right after."""
        if keys is None and self._flush_pending is not None:
            self._flush_pending.cancel()
            self._flush_pending = None
        states = [self.tracker.state_to_save(key) for key in (keys or list(self.tracker.documents))]
        saved = [state for state in states if state is not None]
        return self.writer.submit(self._write, saved, self.tracker.drain_events())

    def cancel_parse(self, uri: str) -> None:
        if (pending := self._parse_pending.pop(uri, None)) is not None:
            pending.cancel()

    def forget(self, uri: str) -> None:
        """A document (or notebook cell) the editor closed: what it holds is written, then
        the server lets go of it and clears its diagnostics."""
        self.flush([uri])
        self.tracker.close(uri)
        self.analyses.pop(uri, None)
        self.cancel_parse(uri)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )

    def _write(self, states: list[FileState], events: list[Event]) -> None:
        """Runs on the writer thread. What cannot be written (a locked store) is kept and
        written with the next flush, so nothing is lost."""
        store = self.tracker.store
        if store is None:
            return
        pending = {**self._unwritten_states, **{state.path: state for state in states}}
        events = self._unwritten_events + events
        by_developer: dict[str, list[Event]] = {}  # each folder's events under its developer
        for event in events:
            developer = (self.tracker.store_for(event.path) or store).developer
            by_developer.setdefault(developer, []).append(event)
        try:
            for state in pending.values():
                (self.tracker.store_for(state.path) or store).save(state)
            while by_developer:
                developer = next(iter(by_developer))
                append_events(store.database, developer, by_developer[developer])
                del by_developer[developer]  # written: not again with the next flush
        except StoreError as error:
            unwritten = [event for group in by_developer.values() for event in group]
            self._unwritten_states, self._unwritten_events = pending, unwritten
            log.error("%s", error)
            if str(error) != self._last_store_error and self._loop is not None:
                self._last_store_error = str(error)
                message = types.ShowMessageParams(type=types.MessageType.Error, message=str(error))
                self._loop.call_soon_threadsafe(self.window_show_message, message)
            return
        self._unwritten_states, self._unwritten_events = {}, []
        self._last_store_error = None
        for listener in self.store_listeners:
            listener(list(pending.values()), events)

    async def persist(self) -> None:
        """Write what the editor's state holds now, and return once it is written: commands
        that change the ledger reply after this (a store that cannot be written keeps it
        for the next write, and says so)."""
        await asyncio.wrap_future(self.flush())

    def flush_sync(self, keys: list[str] | None = None) -> None:
        """Persist now and wait for it (on shutdown)."""
        self.flush(keys).result()

    def shut_down(self) -> None:
        """LSP shutdown: write what is pending, then end every mindgap thread (a thread left
        running keeps the process alive after `exit`): learning stops at its next file,
        sandboxes are killed so a quiz being built ends, queued work is dropped."""
        self.flush_sync()
        for folder in self.folders:
            folder.conventions.stopping.set()
        shutdown_sandboxes()
        self.quiz_builder.shutdown(wait=True, cancel_futures=True)
        for folder in self.folders:
            folder.conventions.shutdown()
        self.writer.shutdown(wait=True, cancel_futures=True)


def _editor_settings(options: Any) -> dict[str, Any]:
    """mindgap's settings from what an editor sends: the object itself, or under a
    `settings` or `mindgap` key (initializationOptions, didChangeConfiguration)."""
    options = plain(options)
    if not isinstance(options, dict):
        return {}
    for key in ("settings", "mindgap"):
        if isinstance(options.get(key), dict):
            return _editor_settings(options[key])
    return options


def _encoding_name(encoding: types.PositionEncodingKind | str | None) -> str:
    """'utf-16', 'utf-8' or 'utf-32': the negotiated encoding (an enum or a plain string)."""
    if isinstance(encoding, types.PositionEncodingKind):
        return encoding.value
    return encoding or types.PositionEncodingKind.Utf16.value
