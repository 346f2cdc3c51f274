"""The mindgap language server: LSP handlers over the provenance engine."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pydantic import ValidationError

from mindgap.analysis import AnalysisCache
from mindgap.config import SettingsError
from mindgap.ledger.database import StoreError
from mindgap.lsp import gate, notebooks, report, store_watch, wire
from mindgap.lsp.commands import command_arguments
from mindgap.lsp.convert import path_of, plain, pos
from mindgap.lsp.mindgap_server import MindgapServer, _editor_settings
from mindgap.provenance.tracker import Change, TrackedDocument
from mindgap.textfiles import read_text_file
from mindgap.vcs import committed_text

log = logging.getLogger(__name__)


def build_server(database_path: Path | None = None) -> MindgapServer:
    server = MindgapServer(database_path)
    watch = store_watch.register(server)  # regions an agent's hook records, shown within 1 s

    @server.feature(types.INITIALIZE)
    def initialize(ls: MindgapServer, params: types.InitializeParams) -> None:
        ls.configure(params)

    @server.feature(types.INITIALIZED)
    async def initialized(ls: MindgapServer, params: types.InitializedParams) -> None:
        await ls.start_session()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: MindgapServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        try:
            ls.tracker.open(doc.uri, path_of(doc.uri), doc.text, doc.language_id, doc.version)
        except StoreError as error:
            ls.show_error(str(error))
            ls.tracker.store = None
            ls.tracker.open(doc.uri, path_of(doc.uri), doc.text, doc.language_id, doc.version)
        watch.opened(path_of(doc.uri), doc.text)
        ls.publish(doc.uri)
        ls.schedule_flush()
        ls.schedule_parse(doc.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: MindgapServer, params: dict[str, Any]) -> None:
        # The JSON's own dicts (lsp/protocol.RAW_PARAMS): every keystroke and paste.
        try:
            uri, version, changes = _document_changes(params)
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            log.warning("ignoring a malformed %s: %r", types.TEXT_DOCUMENT_DID_CHANGE, error)
            return
        if ls.tracker.get(uri) is None:
            return
        created = ls.tracker.change(uri, version, changes)
        if created:  # analysed at once: that publish shows the new region with its findings
            ls.schedule_parse(uri, at_once=True, publish=True)
        else:
            ls.publish(uri)
            ls.schedule_parse(uri)
        ls.schedule_flush()

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: MindgapServer, params: types.DidSaveTextDocumentParams) -> None:
        ls.record_typing(params.text_document.uri)
        ls.tracker.saved(params.text_document.uri)
        ls.refresh_conventions([path_of(params.text_document.uri)])
        ls.schedule_flush()

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: MindgapServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    async def did_change_watched_files(
        ls: MindgapServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        loop = asyncio.get_running_loop()
        ls.refresh_conventions([path_of(event.uri) for event in params.changes])
        for event in params.changes:
            path = path_of(event.uri)
            if path is None or ls.tracker.is_open_path(path) or not ls.tracker.has_seen(path):
                continue
            new_text, from_git = None, False
            if event.type != types.FileChangeType.Deleted:
                content = await loop.run_in_executor(None, read_text_file, path)
                if content.text is None:
                    log.info("not tracking %s: %s", path, content.problem)
                    continue
                new_text = content.text
                from_git = await loop.run_in_executor(None, committed_text, path) == new_text
            try:
                created = ls.tracker.disk_changed(path, new_text, from_git=from_git)
            except StoreError as error:
                ls.show_error(str(error))
                continue
            why = " (the content git has committed: a checkout or pull)" if from_git else ""
            what = "deleted" if new_text is None else f"changed on disk{why}"
            ls.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Info,
                    message=f"mindgap: {path} {what}: {len(created)} agent-edit region(s)",
                )
            )
        ls.schedule_flush()

    @server.feature(wire.DID_INSERT)
    def did_insert(ls: MindgapServer, params: Any) -> None:
        try:
            insertion = wire.DidInsertParams.model_validate(plain(params))
        except ValidationError as error:
            problem = error.errors(include_url=False, include_input=False)[0]
            where = ".".join(str(part) for part in problem["loc"])
            log.warning("ignoring %s: %s: %s", wire.DID_INSERT, where, problem["msg"])
            return
        uri, span = insertion.text_document.uri, insertion.range
        region = ls.tracker.report_insertion(
            uri,
            insertion.text_document.version,
            pos(span.start),
            pos(span.end),
            insertion.source or "unknown",
            insertion.tool,
        )
        if region is not None:
            ls.offer_pending.add(region.id)  # once analysed, the policy may offer a quiz
            ls.schedule_parse(uri, at_once=True, publish=True)
            ls.schedule_flush()

    @server.command(wire.MARK_FOREIGN)
    def mark_foreign(ls: MindgapServer, *args: Any) -> dict:
        marked = command_arguments(wire.RangeArguments, wire.MARK_FOREIGN, args)
        span = marked.range
        region = ls.tracker.mark_foreign(
            marked.uri, pos(span.start), pos(span.end), marked.source or "manual"
        )
        ls.publish(marked.uri)
        ls.schedule_flush()
        return wire.reply(
            wire.MarkedForeign(
                region_id=region.id if region else None,
                lines=region.line_count if region else 0,
            )
        )

    @server.command(wire.MARK_MINE)
    def mark_mine(ls: MindgapServer, *args: Any) -> dict:
        marked = command_arguments(wire.RangeArguments, wire.MARK_MINE, args)
        lines = ls.tracker.mark_mine(marked.uri, pos(marked.range.start), pos(marked.range.end))
        ls.publish(marked.uri)
        ls.schedule_flush()
        return wire.reply(wire.MarkedMine(lines_cleared=lines))

    @server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
    def did_change_configuration(
        ls: MindgapServer, params: types.DidChangeConfigurationParams
    ) -> None:
        """New editor settings: thresholds and display change now; the developer identity
        and the store stay as they were for this session."""
        try:
            ls.settings_changed(_editor_settings(params.settings))
        except SettingsError as error:
            ls.show_error(f"mindgap: {error}")

    @server.feature(types.WORKSPACE_DID_CHANGE_WORKSPACE_FOLDERS)
    def did_change_workspace_folders(
        ls: MindgapServer, params: types.DidChangeWorkspaceFoldersParams
    ) -> None:
        event = params.event
        ls.folders_changed([f.uri for f in event.added], [f.uri for f in event.removed])

    gate.register(server)

    def after_parse(tracked: TrackedDocument, cache: AnalysisCache) -> None:
        if server.offer_pending:
            gate.offer_quizzes(server, tracked, cache)
        gate.follow_handwrites(server, tracked)

    server.parse_listeners.append(after_parse)
    report.register(server)
    notebooks.register(server)  # LSP 3.17 notebook sync: code cells like files

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: MindgapServer, params: Any) -> None:
        ls.shut_down()

    return server


def _document_changes(params: dict[str, Any]) -> tuple[str, int | None, list[Change]]:
    """A didChange's document, version and edits (a change without a range: the whole text).
    Raises AttributeError, KeyError, TypeError or ValueError on a malformed one."""
    document, changes = params["textDocument"], []
    for change in params["contentChanges"]:
        if not isinstance(change["text"], str):
            raise TypeError("a content change's text is not a string")
        span = change.get("range")
        start, end = (pos(span["start"]), pos(span["end"])) if span is not None else (None, None)
        changes.append(Change(start, end, change["text"]))
    version = document.get("version")
    return str(document["uri"]), None if version is None else int(version), changes
