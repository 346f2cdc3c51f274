"""The LSP protocol without pygls's own copy of each open document.

pygls keeps every open document in its workspace and splits the whole text into lines on
every change; mindgap's tracker owns the documents, so that copy would only cost memory
(a text-sized string per file) and time on every keystroke (about 2.5 ms on a 10,000-line
file). These handlers pass the notifications straight to mindgap's.

Also: `initialize` is answered once (a second one is refused, as LSP asks), and every
command runs through `lsp/commands.py`'s guard (errors as one-line messages, the ledger
written before the reply).

The messages of every keystroke and paste skip lsprotocol's cattrs conversions: didChange
arrives as the JSON's own dicts and publishDiagnostics leaves as plain dicts (`notify_plain`),
and stdin is read on the event loop (`serve_stdio`) rather than by three thread hops per
message. Together about half of a paste's round trip (issue 16: bench/bench_paste.py).
"""

from __future__ import annotations

import asyncio
import logging
import os
import stat
import sys
from collections.abc import Callable, Generator
from threading import Event
from typing import Any, BinaryIO, NamedTuple

from lsprotocol import types
from pygls.exceptions import (
    FeatureNotificationError,
    JsonRpcInternalError,
    JsonRpcInvalidParams,
    JsonRpcInvalidRequest,
)
from pygls.io_ import StdoutWriter, run_async
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import _prepare_command_arguments, lsp_method

from mindgap.lsp.commands import guarded, quiet_expected_errors
from mindgap.messages import one_line

log = logging.getLogger(__name__)

# Notifications handed to mindgap's handlers as the JSON's own dicts (no cattrs structuring).
RAW_PARAMS = frozenset({types.TEXT_DOCUMENT_DID_CHANGE})


class PlainNotification(NamedTuple):
    """A notification of RAW_PARAMS as pygls's dispatch takes it, its params the JSON's."""

    method: str
    jsonrpc: str
    params: Any


class TrackerOwnedDocumentsProtocol(LanguageServerProtocol):
    _initialize_answered = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quiet_expected_errors()

    @lsp_method(types.INITIALIZE)
    def lsp_initialize(
        self, params: types.InitializeParams
    ) -> Generator[Any, Any, types.InitializeResult]:
        if self._initialize_answered:
            raise JsonRpcInvalidRequest("mindgap: the server is already initialized")
        self._initialize_answered = True
        return (yield from super().lsp_initialize(params))

    @lsp_method(types.WORKSPACE_EXECUTE_COMMAND)
    def lsp_workspace__execute_command(
        self, params: types.ExecuteCommandParams
    ) -> Generator[Any, Any, Any]:
        handler = self.fm.commands.get(params.command)
        if handler is None:
            raise JsonRpcInvalidParams(f"mindgap: no command {one_line(repr(params.command))}")
        try:
            args, kwargs = _prepare_command_arguments(handler, params, self._converter)
        except Exception as error:
            raise JsonRpcInvalidParams(one_line(f"{params.command}: {error}")) from None
        return (yield guarded(self._server, params.command, handler), args, kwargs)  # type: ignore[arg-type]

    def structure_message(self, data: dict[str, Any]) -> Any:
        if data.get("method") in RAW_PARAMS and "jsonrpc" in data and "id" not in data:
            return PlainNotification(data["method"], data["jsonrpc"], data.get("params"))
        return super().structure_message(data)

    def handle_message(self, message: Any) -> None:
        if type(message) is PlainNotification:
            self._handle_plain(message)
        else:
            super().handle_message(message)

    def _handle_plain(self, message: PlainNotification) -> None:
        """Call mindgap's handler directly: pygls's dispatch (runtime protocol checks, a
        context copy, a uuid and a future per message) costs 0.13 ms per keystroke."""
        if self._shutdown or (handler := self.fm.features.get(message.method)) is None:
            return
        try:
            handler(message.params)
        except Exception:  # reported as pygls reports a failing notification handler
            error = JsonRpcInternalError.of(sys.exc_info())
            log.exception("%s failed", message.method)
            self._server._report_server_error(error, FeatureNotificationError)

    def notify_plain(self, method: str, params: dict[str, Any]) -> None:
        """Send a notification whose params are JSON values already (dicts, lists, strings,
        numbers): json.dumps writes them as they are, without cattrs' unstructuring."""
        self._send_data({"jsonrpc": self.VERSION, "method": method, "params": params})

    def _to_user_handler(self, method: str, params: Any) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: dict[str, Any]) -> None:  # type: ignore[override]
        # every keystroke: called directly, not through a generator's second handler hop
        if (handler := self.fm.features.get(types.TEXT_DOCUMENT_DID_CHANGE)) is not None:
            handler(params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)


def serve_stdio(
    protocol: LanguageServerProtocol,
    stop: Event,
    stdin: BinaryIO,
    stdout: BinaryIO,
    report_error: Callable[..., Any],
) -> None:
    """Serve over stdin/stdout with stdin read by the event loop itself (an asyncio pipe
    reader, as pygls reads TCP): pygls's stdio reader waits for each header line and body on
    a thread, three thread hops of 0.1-0.2 ms per message. pygls's own message loop
    (`run_async`) does the rest. Only for `loop_can_read(stdin)`."""
    protocol.set_writer(StdoutWriter(stdout))

    async def serve() -> None:
        loop = asyncio.get_running_loop()
        reader = asyncio.StreamReader()
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stdin)
        await run_async(stop, reader, protocol, log, report_error)

    asyncio.run(serve())


def loop_can_read(stream: BinaryIO) -> bool:
    """A pipe or socket on a POSIX system: what the event loop can wait on (not a regular
    file, /dev/null or a terminal)."""
    if os.name != "posix":
        return False
    try:
        mode = os.fstat(stream.fileno()).st_mode
    except (OSError, ValueError):
        return False
    return stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode)
