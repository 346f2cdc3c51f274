"""What every `workspace/executeCommand` gets: checked arguments, errors as messages, and
the ledger written before the reply.

- Arguments are validated (a pydantic model of the wire shapes): bad ones answer -32602
  (InvalidParams) with one line saying what is wrong.
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

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pygls.exceptions import JsonRpcException, JsonRpcInternalError, JsonRpcInvalidParams

from mindgap.ledger.database import StoreError
from mindgap.messages import one_line
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.limits import refusal

if TYPE_CHECKING:
    from mindgap.lsp.mindgap_server import MindgapServer

log = logging.getLogger(__name__)

REQUEST_FAILED = -32803  # LSP 3.17: syntactically right, but it could not be done

# Commands that change regions or the ledger: they reply after the write.
WRITE_BEFORE_REPLY = frozenset(
    {
        "mindgap.markForeign",
        "mindgap.markMine",
        "mindgap.waive",
        "mindgap.answer",
        "mindgap.explain",
        "mindgap.handwrite",
        "mindgap.restore",
        "mindgap.quiz",
    }
)


class CommandFailed(ValueError):
    """The command cannot be carried out; the message (one line) says why."""


class InvalidArguments(CommandFailed):
    """The command's arguments are not what it takes."""


MAX_LINE = 10_000_000  # positions past any real document are not positions


class Position(BaseModel):
    model_config = ConfigDict(extra="ignore")

    line: int = Field(ge=0, le=MAX_LINE, strict=True)
    character: int = Field(ge=0, le=MAX_LINE, strict=True)


class Range(BaseModel):
    model_config = ConfigDict(extra="ignore")

    start: Position
    end: Position


class CommandOptions(BaseModel):
    """The options object commands take (`{uri, regionId | position | range, ...}`); what a
    command does not know is left alone."""

    model_config = ConfigDict(extra="allow")

    uri: str = Field(min_length=1, max_length=10_000)
    regionId: str | None = Field(None, max_length=200)
    position: Position | None = None
    range: Range | None = None
    source: str | None = Field(None, max_length=64)
    answers: dict[str, str | int | float | bool | None] | None = None
    questionId: str | int | None = None
    answer: str | int | float | bool | None = None
    explanation: str | None = Field(None, max_length=100_000)
    text: str | None = Field(None, max_length=1_000_000)
    format: str | None = None


def checked_options(options: Any, command: str = "the command") -> dict[str, Any]:
    """The options as given, once they hold what they must; InvalidArguments otherwise."""
    if not isinstance(options, dict):
        raise InvalidArguments(f"{command} takes an object {{uri, ...}}, got {_kind(options)}")
    try:
        CommandOptions.model_validate(options)
    except ValidationError as error:
        raise InvalidArguments(f"{command}: {_first_problem(error)}") from None
    return options


def checked_range(value: Any, command: str = "the command") -> dict[str, Any]:
    try:
        Range.model_validate(value)
    except ValidationError as error:
        raise InvalidArguments(f"{command}: range: {_first_problem(error)}") from None
    return value


def _kind(value: Any) -> str:
    return "nothing" if value is None else type(value).__name__


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
