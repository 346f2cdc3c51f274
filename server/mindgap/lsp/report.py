"""The debt report in the editor: the `mindgap.report` command and the `mindgap/debt` status.

`mindgap.report` with `[{"format": "json" | "html" | "text", "uri": ...}]` returns a
`ReportReply` (lsp/wire.py: the summary, the format, and the JSON object or the HTML / text)
for the developer of the folder holding `uri` (without one: the first folder's);
`mindgap/debt` sends the `DebtSummary` of every folder's developer (in a multi-root workspace
whose repositories name the user differently, all of them) after initialization and whenever
the stored regions change it. The VS Code extension's status bar and webview use the types
generated from those models.

Everything is computed on the writer thread, which also makes it see every write queued
before it: the event loop never waits for the store.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from mindgap.ledger.database import StoreError
from mindgap.ledger.events import Event
from mindgap.lsp import wire
from mindgap.lsp.commands import CommandFailed, command_arguments
from mindgap.lsp.mindgap_server import MindgapServer
from mindgap.provenance.persistence import FileState
from mindgap.report.debt import state_lines
from mindgap.report.ledger_input import personal_report, read_current_regions
from mindgap.report.model import DebtSummary

log = logging.getLogger(__name__)

DEBT_DELAY_S = 0.3  # writes come at most twice a second; one status per burst of them


class DebtStatus:
    """Sends `mindgap/debt` when the summary changes, at most once per DEBT_DELAY_S."""

    def __init__(self, server: MindgapServer) -> None:
        self.server = server
        self.last: dict | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self) -> None:
        """After initialization: the first status, even before anything is written."""
        self._loop = asyncio.get_running_loop()
        self.schedule()

    def store_changed(self, states: list[FileState], events: list[Event]) -> None:
        """On the writer thread, after a write."""
        if (states or events) and self._loop is not None:
            self._loop.call_soon_threadsafe(self.schedule)

    def schedule(self) -> None:
        if self._timer is None and self._loop is not None:
            self._timer = self._loop.call_later(DEBT_DELAY_S, self._compute)

    def _compute(self) -> None:
        self._timer = None
        loop = self._loop
        store = self.server.tracker.store
        if store is None or loop is None:
            return
        developers = sorted({folder.developer for folder in self.server.folders})

        def summarise() -> None:
            try:
                regions = [
                    region
                    for developer in developers
                    for region in read_current_regions(store.database, developer)
                ]
                summary = DebtSummary.of(state_lines(regions))
            except StoreError as error:
                log.error("%s", error)
                return
            loop.call_soon_threadsafe(self._send, summary)

        self.server.writer.submit(summarise)

    def _send(self, summary: DebtSummary) -> None:
        data = wire.reply(summary)
        if data != self.last:
            self.last = data
            self.server.protocol.notify(wire.DEBT, data)


def register(server: MindgapServer) -> None:
    status = DebtStatus(server)
    server.store_listeners.append(status.store_changed)

    server.session_listeners.append(status.start)

    @server.command(wire.REPORT)
    async def report_command(ls: MindgapServer, *args: Any) -> dict:
        arguments = command_arguments(wire.ReportArguments, wire.REPORT, args)
        chosen = arguments.format
        folder = ls.folder_of(arguments.uri) if arguments.uri else ls.folders[0]
        store = ls.store_of(folder)
        if store is None:
            raise CommandFailed(
                "mindgap.report: the ledger is not available (see the earlier error)"
            )
        # What the editor holds but has not written yet goes first, on the same thread.
        ls.flush()
        developer, profile, modules = folder.developer, folder.profile, folder.local_modules

        def build() -> dict:
            report = personal_report(store.database, developer, profile, modules)
            if chosen == "json":
                content: Any = report.to_data()
            elif chosen == "html":  # the renderers are imported when a report is asked for
                from mindgap.report.html import render_html

                content = render_html(report)
            else:
                from mindgap.report.text import render_text

                content = render_text(report)
            summary = DebtSummary.of(report.current)
            return wire.reply(wire.ReportReply(summary=summary, format=chosen, content=content))

        return await asyncio.wrap_future(ls.writer.submit(build))
