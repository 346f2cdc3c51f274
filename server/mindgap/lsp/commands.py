"""What every `workspace/executeCommand` gets: checked arguments, errors as messages, and
the ledger written before the reply.

- Arguments are read through each command's model in lsp/wire.py (the contract with the
  editors): bad ones answer -32602 (InvalidParams) with one line saying what is wrong.
- A command that cannot be carried out (no store, the code is already waived...) answers
  -32803 (RequestFailed) with its message; anything unexpected -32603 with one line. Never a
  Python traceback in `error.data`: that goes to the server's log only.
- Commands that change the ledger reply only once what they changed is written: an
  acknowledged `mindgap.markForeign` survives the server being killed right after.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams

from mindgap.ledger.database import StoreError
from mindgap.lsp.convert import plain
from mindgap.lsp.wire import COMMANDS, A, ArgumentsError, read_arguments
from mindgap.messages import one_line
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.limits import refusal

if TYPE_CHECKING:
    from mindgap.lsp.mindgap_server import MindgapServer

log = logging.getLogger(__name__)

REQUEST_FAILED = -32803  # LSP 3.17: syntactically right, but it could not be done

# Commands that change regions or the ledger: they reply after the write.
WRITE_BEFORE_REPLY = frozenset(name for name, command in COMMANDS.items() if command.writes)


class CommandFailed(ValueError):
    """The command cannot be carried out; the message (one line) says why."""


class InvalidArguments(CommandFailed):
    """The command's arguments are not what it takes."""


def command_arguments(model: type[A], command: str, args: tuple) -> A:
    """The arguments pygls hands `command`, read as its model in lsp/wire.py;
    InvalidArguments when they are not what it takes."""
    if COMMANDS[command].arguments is not model:  # the table in lsp/wire.py is the contract
        raise TypeError(f"{command} takes {COMMANDS[command].arguments.__name__}")
    try:
        return read_arguments(model, [plain(a) for a in args])
    except ArgumentsError as error:
        raise InvalidArguments(f"{command} {error}") from None
    except ValidationError as error:
        raise InvalidArguments(f"{command}: {_first_problem(error)}") from None


def _first_problem(error: ValidationError) -> str:
    details = error.errors(include_url=False, include_input=False)
    if not details:
        return "invalid arguments"
    where = ".".join(str(part) for part in details[0]["loc"])
    return f"{where}: {details[0]['msg']}" if where else details[0]["msg"]


EXPECTED_ERRORS = frozenset({-32600, -32602, REQUEST_FAILED})


class OneLineRequestErrors(logging.Filter):
    """pygls logs every error answer with its traceback; for the answers mindgap gives on
    purpose (bad arguments, a command that cannot be done) one line says it all."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, JsonRpcException) and error.code in EXPECTED_ERRORS:
            record.msg = f"{record.getMessage()}: {error.code} {one_line(error.message)}"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
            record.levelno, record.levelname = logging.INFO, "INFO"
        return True


def quiet_expected_errors() -> None:
    for name in ("pygls.protocol.json_rpc", "pygls.protocol.language_server"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, OneLineRequestErrors) for f in logger.filters):
            logger.addFilter(OneLineRequestErrors())


def guarded(server: MindgapServer, command: str, handler: Callable[..., Any]) -> Callable:
    """The handler as executeCommand runs it: errors become JSON-RPC errors with one-line
    messages, and the ledger is written before the reply when the command changed it."""

    async def run(*args: Any, **kwargs: Any) -> Any:
        try:
            result = handler(*args, **kwargs)
            if inspect.isawaitable(result):
                result = await result
        except JsonRpcException:
            raise
        except InvalidArguments as error:
            raise JsonRpcInvalidParams(one_line(str(error))) from None
        except (CommandFailed, StoreError) as error:
            raise JsonRpcException(one_line(str(error)), code=REQUEST_FAILED) from None
        except Exception as error:
            log.exception("%s failed", command)
            raise JsonRpcInternalError(
                one_line(f"mindgap: {command} failed: {type(error).__name__}: {error}")
            ) from None
        if command in WRITE_BEFORE_REPLY:
            await server.persist()
        return result

    return run


def within_limits(document: SyntaxDocument, start: int, end: int) -> None:
    """CommandFailed when the code is past the limits of bounded work (a line too long,
    nesting too deep): a quiz, an explanation check or a hand-write of it would not end."""
    refused = refusal(document, start, end)
    if refused is not None:
        raise CommandFailed(f"mindgap: {refused}")
