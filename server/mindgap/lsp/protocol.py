"""The LSP protocol without pygls's own copy of each open document.

pygls keeps every open document in its workspace and splits the whole text into lines on
every change; mindgap's tracker owns the documents, so that copy would only cost memory
(a text-sized string per file) and time on every keystroke (about 2.5 ms on a 10,000-line
file). These handlers pass the notifications straight to mindgap's.

Also: `initialize` is answered once (a second one is refused, as LSP asks), and every
command runs through `lsp/commands.py`'s guard (errors as one-line messages, the ledger
written before the reply).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from lsprotocol import types
from pygls.exceptions import JsonRpcInvalidParams, JsonRpcInvalidRequest
from pygls.protocol import LanguageServerProtocol
from pygls.protocol.language_server import _prepare_command_arguments, lsp_method

from mindgap.lsp.commands import guarded, quiet_expected_errors
from mindgap.messages import one_line


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

    def _to_user_handler(self, method: str, params: Any) -> Generator[Any, Any, None]:
        if (handler := self.fm.features.get(method)) is not None:
            yield handler, (params,), None

    @lsp_method(types.TEXT_DOCUMENT_DID_OPEN)
    def lsp_text_document__did_open(self, params: types.DidOpenTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_OPEN, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CHANGE)
    def lsp_text_document__did_change(self, params: types.DidChangeTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_CHANGE, params)

    @lsp_method(types.TEXT_DOCUMENT_DID_CLOSE)
    def lsp_text_document__did_close(self, params: types.DidCloseTextDocumentParams):
        yield from self._to_user_handler(types.TEXT_DOCUMENT_DID_CLOSE, params)
