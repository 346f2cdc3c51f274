"""Regions that other processes put in the store - an agent's hook (`mindgap agent record`),
`mindgap import` - shown in open documents within a second, without a restart.

SQLite's `data_version` changes only when another connection commits, so a poll costs one
pragma; when it changes, each open document adopts the stored regions it does not know.
A region whose code the editor does not show yet (the agent wrote the file, the editor has
not reloaded it) is tried again after the document's next change.

Also here: the one message about edits made while no server ran and no hook was installed.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from lsprotocol import types

from mindgap.ledger.database import StoreError
from mindgap.ledger.events import Event
from mindgap.lsp.folders import innermost

if TYPE_CHECKING:
    from mindgap.lsp.mindgap_server import MindgapServer

log = logging.getLogger(__name__)

POLL_S = 0.1  # one pragma: cheap, and leaves most of the second a user waits to a busy machine

UNATTRIBUTED = (
    "mindgap: {path} changed while mindgap was not running. Edits an agent made then cannot "
    "be attributed to it without its hook: run `mindgap agent install claude-code` (or "
    "cursor, gemini, codex) so that every agent edit is recorded, editor open or not."
)


class StoreWatch:
    def __init__(self, server: MindgapServer) -> None:
        self.server = server
        self._version: int | None = None
        self._unplaced = False
        self._versions_seen: dict[str, int | None] = {}
        self._told_unattributed = False
        self._last_event = -1  # the id of the last event listeners heard of

    def start(self) -> None:
        asyncio.get_running_loop().call_later(POLL_S, self._tick)

    def _tick(self) -> None:
        try:
            self.check()
        except Exception:  # a watch that dies silently would hide every later agent edit
            log.exception("watching the store failed")
        asyncio.get_running_loop().call_later(POLL_S, self._tick)

    def check(self) -> None:
        tracker = self.server.tracker
        store = tracker.store
        if store is None:
            return
        try:
            version = store.database.query("PRAGMA data_version")[0][0]
        except StoreError:
            return
        changed, self._version = version != self._version, version
        if changed:
            self._tell_listeners()
        versions = {uri: doc.version for uri, doc in tracker.documents.items()}
        if not changed and not (self._unplaced and versions != self._versions_seen):
            return
        self._versions_seen = versions
        unplaced = 0
        for uri in list(tracker.documents):
            try:
                adopted, waiting = tracker.adopt_stored(uri)
            except StoreError as error:
                log.error("%s", error)
                return
            unplaced += waiting
            if adopted:
                log.info("%s: %d region(s) recorded by another process", uri, len(adopted))
                self.server.publish(uri)
                self.server.schedule_parse(uri, at_once=True)  # nobody typed it: no pause
                self.server.schedule_flush()
        self._unplaced = unplaced > 0

    def _tell_listeners(self) -> None:
        """Events another process appended (an agent's edit in a file no editor shows): the
        store's listeners hear of them as of the server's own writes (the debt status)."""
        store = self.server.tracker.store
        if store is None:
            return
        if self._last_event < 0:  # the first look: what was there before the session
            self._last_event = store.database.query("SELECT coalesce(max(id), 0) FROM events")[0][0]
            return
        developers = sorted({folder.developer for folder in self.server.folders})
        rows = store.database.query(  # every folder's developer's (each folder's store's)
            "SELECT * FROM events WHERE id > ?"
            f" AND developer IN ({', '.join('?' * len(developers))}) ORDER BY id",
            (self._last_event, *developers),
        )
        if not rows:
            return
        self._last_event = rows[-1]["id"]
        events = [Event.from_row(row) for row in rows]
        for listener in self.server.store_listeners:
            listener([], events)

    def opened(self, path: str | None, text: str) -> None:
        """A document was opened: if its file changed since mindgap last knew it and no
        agent has mindgap's hook, say once that such edits cannot be attributed."""
        store = self.server.tracker.store_for(path)  # the file's folder's
        if self._told_unattributed or path is None or store is None:
            return
        try:
            before = store.snapshot(path)
        except StoreError:
            return
        if before is None or before == text or self._hooks_installed(path):
            return
        self._told_unattributed = True
        self.server.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Info, message=UNATTRIBUTED.format(path=path)
            )
        )

    def _hooks_installed(self, path: str) -> bool:
        from mindgap.provenance.agent_hooks import status

        root = innermost(self.server.folders, path).root  # the file's repository
        try:
            return root is not None and any(found.installed for found in status(root))
        except OSError:
            return False


def register(server: MindgapServer) -> StoreWatch:
    watch = StoreWatch(server)
    server.session_listeners.append(watch.start)
    return watch
