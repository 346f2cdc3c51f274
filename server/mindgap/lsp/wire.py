"""The editor <-> server contract, defined once: mindgap's command names, custom methods,
every command's arguments and reply, every custom notification's params, and the shape of
mindgap diagnostics' `data`.

- One casing on the wire: camelCase. Python code uses the snake_case field names; replies are
  dumped with `reply()` (by alias), arguments read with `read_arguments()` (by alias or name).
- The server (lsp/) builds its replies from these models and reads its arguments through
  them; the VS Code extension uses the TypeScript types generated from them
  (`python -m mindgap.lsp.wire --typescript > vscode-client/src/common/wire.ts`; a test
  fails when the checked-in file differs from what this module generates).
- This module imports only pydantic and the engine's report model: no pygls, nothing of the
  server, so other clients and tools can read the contract without starting anything.
"""

from __future__ import annotations

import json
import sys
import types
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from mindgap.report.model import DebtSummary

# --- Names -------------------------------------------------------------------------------

QUIZ_UI_CAPABILITY = "mindgapQuizUI"  # experimental client capability: quizzes as data

# custom methods
DID_INSERT = "mindgap/didInsert"  # client -> server: an insertion the developer did not type
QUIZ_OFFER = "mindgap/quizOffer"  # server -> client (with the quiz UI capability)
DEBT = "mindgap/debt"  # server -> client: the understanding debt changed

# workspace/executeCommand commands
QUIZ = "mindgap.quiz"
ANSWER = "mindgap.answer"
CHECK_ANSWER = "mindgap.checkAnswer"
EXPLAIN = "mindgap.explain"
HANDWRITE = "mindgap.handwrite"
RESTORE = "mindgap.restore"
WAIVE = "mindgap.waive"
MARK_FOREIGN = "mindgap.markForeign"
MARK_MINE = "mindgap.markMine"
REPORT = "mindgap.report"


class WireModel(BaseModel):
    """camelCase on the wire, snake_case in Python; either is read."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


# --- Arguments ---------------------------------------------------------------------------

MAX_LINE = 10_000_000  # positions past any real document are not positions


class Position(WireModel):
    line: int = Field(ge=0, le=MAX_LINE, strict=True)
    character: int = Field(ge=0, le=MAX_LINE, strict=True)


class Range(WireModel):
    start: Position
    end: Position


class Arguments(WireModel):
    """A command's arguments: one object; `positional` names the older form
    `(value, value, ...)` the command also takes (code actions of older servers, scripts)."""

    positional: ClassVar[tuple[str, ...]] = ()


class RegionArguments(Arguments):
    """The region a command acts on: `regionId`, else the one at `position`, else the
    document's first pending region. Also taken as `(uri, regionId)`."""

    positional: ClassVar[tuple[str, ...]] = ("uri", "regionId")

    uri: str = Field(min_length=1, max_length=10_000)
    region_id: str | None = Field(None, max_length=200)
    position: Position | None = None


Scalar = str | int | float | bool | None


class AnswerArguments(RegionArguments):
    answers: dict[str, Scalar] | None = None  # question id -> the answer given


class CheckAnswerArguments(RegionArguments):
    question_id: str | int | None = None
    answer: Scalar = None


class ExplainArguments(RegionArguments):
    """Without `explanation` and `followUpAnswer`: check the `explain:` comment above the
    region (or insert one)."""

    explanation: str | None = Field(None, max_length=100_000)
    follow_up_answer: Scalar = None  # the answer to the question an accepted one gets


class HandwriteArguments(RegionArguments):
    """Without `text`: put the code aside for the developer to type their own version."""

    text: str | None = Field(None, max_length=1_000_000)


class RangeArguments(Arguments):
    """A range of a document. Also taken as `(uri, range[, source])`."""

    positional: ClassVar[tuple[str, ...]] = ("uri", "range", "source")

    uri: str = Field(min_length=1, max_length=10_000)
    range: Range
    source: str | None = Field(None, max_length=64)


class ReportArguments(Arguments):
    """Also taken as `(format)`. `uri`: a document whose folder's developer the report is
    for, in a multi-root workspace (without it: the first folder's)."""

    positional: ClassVar[tuple[str, ...]] = ("format",)

    format: Literal["json", "html", "text"] = "json"
    uri: str | None = None


A = TypeVar("A", bound=Arguments)


class ArgumentsError(ValueError):
    """The arguments are not one object: what was given instead."""


def read_arguments(model: type[A], values: list[Any]) -> A:
    """The command's arguments (plain JSON values) as `model`: one object, or the positional
    form. ArgumentsError or pydantic's ValidationError when they are not what it takes."""
    if len(values) == 1 and isinstance(values[0], dict):
        given = values[0]
    elif not values:
        given = {}
    elif isinstance(values[0], dict):
        raise ArgumentsError(f"takes one object, got {len(values)} arguments")
    elif model.positional:
        given = dict(zip(model.positional, values, strict=False))
    else:
        what = "nothing" if values[0] is None else type(values[0]).__name__
        raise ArgumentsError(f"takes an object, got {what}")
    return model.model_validate(given)


# --- Replies -----------------------------------------------------------------------------


class RegionReply(WireModel):
    """The region a command acted on and its state now."""

    region_id: str
    state: str  # pending, understood, waived, hand-writing


class QuizQuestion(WireModel):
    """A question without its key: the server grades (`answer` is always null here and
    `explanation` empty; both come with the verdict)."""

    id: str
    type: str
    prompt: str
    choices: list[str] | None  # None: a free answer
    explanation: str
    answer: str | None
    kind: str  # "tracing" or "vocabulary"
    decides_pass: bool
    warmup: bool


class QuizReply(WireModel):
    """`mindgap.quiz` for a client with the quiz UI: the questions (none: `message` says
    what to do instead)."""

    region_id: str
    questions: list[QuizQuestion]
    message: str | None = None


class AnswerResult(WireModel):
    """One answer checked: `mindgap.checkAnswer`, and each of a grade's results."""

    id: str
    correct: bool
    given: str
    expected: str
    explanation: str


class GradeReply(RegionReply):
    """`mindgap.answer`, and `mindgap.quiz` for a client asked by message requests."""

    results: list[AnswerResult]
    score: int  # right answers to the deciding questions
    total: int  # deciding questions
    passed: bool


class ExplainFacts(WireModel):
    covered: list[str]
    missed: list[str]


class FollowUpQuestion(WireModel):
    """The one tracing question an accepted explanation gets (answered with
    `mindgap.explain {uri, regionId, followUpAnswer}`)."""

    id: str
    type: str
    prompt: str
    choices: list[str] | None
    fingerprint: str


ExplainVerdictName = Literal["refused", "check", "passed"]


class ExplainChecked(RegionReply):
    """`mindgap.explain` with an explanation: refused, or accepted with its `followUp`."""

    verdict: ExplainVerdictName
    message: str
    facts: ExplainFacts
    contradictions: list[str]
    name_list: bool
    copied: str | None  # why it counts as a copy of the code; None when it does not
    follow_up: FollowUpQuestion | None
    follow_up_correct: bool | None
    passed: bool  # only the follow-up question, answered right, passes
    accepted: bool
    covered: list[str]  # the facts the explanation states
    missing: list[str]  # the facts it leaves out


class ExplainOutcome(RegionReply):
    """The follow-up question dismissed (a client asked by message requests)."""

    verdict: ExplainVerdictName
    passed: bool


class FollowUpAnswered(ExplainOutcome):
    """`mindgap.explain` with `followUpAnswer`: the answer checked, the region's state."""

    id: str
    correct: bool
    given: str
    expected: str
    explanation: str


class ExplainTemplate(RegionReply):
    """`mindgap.explain` without an explanation and no `explain:` comment written yet: an
    empty one is inserted above the region."""

    passed: bool
    message: str


class HandwriteStarted(RegionReply):
    """The code is put aside; the developer types their version in its place."""

    message: str


class HandwriteChecked(RegionReply):
    """`mindgap.handwrite` with `text`: is it equivalent to the code, and how it was shown."""

    equivalent: bool
    level: str | None  # tokens, tree, behaviour; None when not equivalent
    reason: str


class Restored(RegionReply):
    restored: bool


class MarkedForeign(WireModel):
    region_id: str | None  # None: nothing foreign in the range (blank lines only)
    lines: int


class MarkedMine(WireModel):
    lines_cleared: int


class ReportReply(WireModel):
    summary: DebtSummary
    format: Literal["json", "html", "text"]
    content: Any  # json: the report (docs/debt.md); html: the page; text: the text


def reply(model: BaseModel) -> dict[str, Any]:
    """A reply or notification as it goes on the wire."""
    return model.model_dump(by_alias=True, mode="json")


def arguments(model: Arguments) -> dict[str, Any]:
    """Arguments as the server sends them for the editor to send back (a code action's
    command): what is not given is left out."""
    return model.model_dump(by_alias=True, mode="json", exclude_none=True)


# --- Notifications -----------------------------------------------------------------------


class VersionedDocument(WireModel):
    uri: str = Field(min_length=1, max_length=10_000)
    version: int | None = None


class DidInsertParams(WireModel):
    """`mindgap/didInsert`: the client saw text arrive that the developer did not type."""

    text_document: VersionedDocument
    range: Range  # where the inserted text is, in that version
    source: str | None = None  # inline-completion, paste, chat-edit, agent-edit...
    tool: str | None = None  # the assistant, when the client knows it


class QuizOffer(WireModel):
    """`mindgap/quizOffer`: accepted code the policy offers a quiz on."""

    uri: str
    region_id: str
    lines: int
    unfamiliar: bool  # it holds constructs the developer has not written


# --- Diagnostics -------------------------------------------------------------------------


class DiagnosticData(WireModel):
    """`data` of every mindgap diagnostic: the finding's kind and dimension, then its
    evidence, with top-level keys in camelCase. The nested evidence objects are the ones
    `mindgap check --format json` prints (docs/conventions.md, docs/familiarity.md)."""

    model_config = ConfigDict(extra="allow")

    kind: str  # foreign-region, unfamiliar, convention, ...
    dimension: str | None = None
    region_id: str | None = None  # the foreign region the finding is in (or is)


class ForeignRegionData(DiagnosticData):
    """`data` of a `foreign-region` diagnostic."""

    region_id: str
    source: str
    tool: str | None
    lines: int
    state: str
    fingerprint: str


def diagnostic_data(kind: str, dimension: str | None, evidence: dict[str, Any]) -> dict:
    """The diagnostic's `data`: its top-level keys in the wire's casing."""
    data = {"kind": kind, "dimension": dimension, **evidence}
    return {to_camel(key): value for key, value in data.items()}


# --- The table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CommandContract:
    name: str
    arguments: type[Arguments]
    replies: tuple[type[BaseModel], ...]  # what the reply may be
    writes: bool  # it changes regions or the ledger: the reply waits for the write


COMMANDS: dict[str, CommandContract] = {
    c.name: c
    for c in (
        CommandContract(QUIZ, RegionArguments, (QuizReply, GradeReply), writes=True),
        CommandContract(ANSWER, AnswerArguments, (GradeReply,), writes=True),
        CommandContract(CHECK_ANSWER, CheckAnswerArguments, (AnswerResult,), writes=False),
        CommandContract(
            EXPLAIN,
            ExplainArguments,
            (ExplainChecked, FollowUpAnswered, ExplainOutcome, ExplainTemplate),
            writes=True,
        ),
        CommandContract(
            HANDWRITE, HandwriteArguments, (HandwriteStarted, HandwriteChecked), writes=True
        ),
        CommandContract(RESTORE, RegionArguments, (Restored,), writes=True),
        CommandContract(WAIVE, RegionArguments, (RegionReply,), writes=True),
        CommandContract(MARK_FOREIGN, RangeArguments, (MarkedForeign,), writes=True),
        CommandContract(MARK_MINE, RangeArguments, (MarkedMine,), writes=True),
        CommandContract(REPORT, ReportArguments, (ReportReply,), writes=False),
    )
}

# method -> (params, who sends it)
NOTIFICATIONS: dict[str, tuple[type[BaseModel], Literal["client", "server"]]] = {
    DID_INSERT: (DidInsertParams, "client"),
    QUIZ_OFFER: (QuizOffer, "server"),
    DEBT: (DebtSummary, "server"),
}


# --- TypeScript --------------------------------------------------------------------------

GENERATED_BY = "python -m mindgap.lsp.wire --typescript"


def typescript() -> str:
    """The contract as TypeScript: interfaces for the models, the names as constants, and a
    map from each command to its arguments and reply."""
    roots: list[type[BaseModel]] = [Position, Range, DiagnosticData, ForeignRegionData]
    for contract in COMMANDS.values():
        roots += [contract.arguments, *contract.replies]
    roots += [params for params, _ in NOTIFICATIONS.values()]
    models: list[type[BaseModel]] = []
    for root in roots:
        _collect(root, models)
    out = [
        f"// Generated by `{GENERATED_BY}` from server/mindgap/lsp/wire.py.",
        "// Do not edit: change the models and generate it again (a test compares the two).",
        "",
        f"export const QUIZ_UI_CAPABILITY = {json.dumps(QUIZ_UI_CAPABILITY)};",
        "",
        "/** mindgap's own LSP methods. */",
        "export const Method = {",
        *(f"  {_member(name)}: {json.dumps(name)}," for name in NOTIFICATIONS),
        "} as const;",
        "",
        "/** mindgap's workspace/executeCommand commands. */",
        "export const Command = {",
        *(f"  {_member(name)}: {json.dumps(name)}," for name in COMMANDS),
        "} as const;",
    ]
    for model in models:
        out += ["", *_interface(model)]
    out += ["", "/** Each command's arguments (one object) and what it replies. */"]
    out.append("export interface Commands {")
    for contract in COMMANDS.values():
        replies = " | ".join(model.__name__ for model in contract.replies)
        arguments = contract.arguments.__name__
        out.append(
            f"  {json.dumps(contract.name)}: {{ arguments: {arguments}; reply: {replies} }};"
        )
    out += ["}", "", "export type CommandName = keyof Commands;", ""]
    out.append("/** Each notification's params; `from` says who sends it. */")
    out.append("export interface Notifications {")
    for method, (params, sender) in NOTIFICATIONS.items():
        out.append(
            f"  {json.dumps(method)}: {{ params: {params.__name__}; from: {json.dumps(sender)} }};"
        )
    out += ["}", ""]
    return "\n".join(out)


def _member(name: str) -> str:
    return name.split("/", 1)[-1].split(".", 1)[-1]


def _collect(model: type[BaseModel], seen: list[type[BaseModel]]) -> None:
    if model in seen:
        return
    seen.append(model)
    for field in model.model_fields.values():
        for nested in _models_in(field.annotation):
            _collect(nested, seen)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def _interface(model: type[BaseModel]) -> list[str]:
    lines = []
    if model.__doc__:
        doc = " ".join(model.__doc__.split())
        lines.append(f"/** {doc} */")
    lines.append(f"export interface {model.__name__} {{")
    for name, field in model.model_fields.items():
        key = field.alias or name
        optional = "" if field.is_required() else "?"
        lines.append(f"  {key}{optional}: {_ts(field.annotation)};")
    if model.model_config.get("extra") == "allow":
        lines.append("  [key: string]: unknown;")
    lines.append("}")
    return lines


def _ts(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if annotation is Any:
        return "unknown"
    if annotation is None or annotation is type(None):
        return "null"
    if annotation is bool:
        return "boolean"
    if annotation in (int, float):
        return "number"
    if annotation is str:
        return "string"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation.__name__
    if origin in (Union, types.UnionType):
        return " | ".join(dict.fromkeys(_ts(arg) for arg in args))
    if origin is Literal:
        return " | ".join(json.dumps(arg) for arg in args)
    if origin in (list, tuple):
        inner = _ts(args[0])
        return f"({inner})[]" if " " in inner else f"{inner}[]"
    if origin is dict:
        return f"Record<string, {_ts(args[1])}>"
    raise TypeError(f"no TypeScript type for {annotation!r}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--typescript"]:
        sys.exit(f"usage: {GENERATED_BY}")
    sys.stdout.write(typescript())
