"""The gate in the editor: quiz, answer, explain, hand-write, waive, and their code actions.

A client that advertises the experimental capability `mindgapQuizUI` gets the quiz as data
from `mindgap.quiz` and shows it itself; any other client is asked the multiple-choice
questions one by one through `window/showMessageRequest`, which every editor supports.

Hand-writing (`mindgap.handwrite` without `text`) puts the foreign code aside with a
`workspace/applyEdit` that replaces it by a comment block saying what it must do; the
developer's version, typed between the block's marker lines, is checked each time typing
pauses (`follow_handwrites`, called when the server re-parses); `mindgap.restore` puts the
original back. What to do at each pause is decided by gate/handwrite_session.py's
`HandwriteSessions`; this module carries it out (the tracker's edits, applyEdit, messages).
Explaining without a text input (`mindgap.explain` without `explanation`) works through an
`explain:` comment above the region (see gate/explain_comment.py).
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, TypeVar

from lsprotocol import types

from mindgap.analysis import AnalysisCache
from mindgap.gate.attempts import History, code_key, history, record_attempt
from mindgap.gate.explain_comment import explanation_above, template_line
from mindgap.gate.handwrite import Equivalence, equivalent
from mindgap.gate.handwrite_session import (
    FollowUp,
    HandwriteError,
    HandwriteSession,
    HandwriteStore,
    SessionState,
    behaviour_calls,
    check_version,
    expected_back,
    locate,
    restore_edit,
    run_calls,
)
from mindgap.gate.questions.base import Question
from mindgap.gate.quiz import Grade, Quiz, build_quiz, check_answer, grade, quiz_out
from mindgap.gate.sandbox import sandbox_available, sandboxes_under, unavailable_reason
from mindgap.gate.warmup import unfamiliar_constructs
from mindgap.knowledge.unfamiliar import construct_hits
from mindgap.ledger.database import StoreError
from mindgap.lsp import wire
from mindgap.lsp.commands import CommandFailed, InvalidArguments, command_arguments, within_limits
from mindgap.lsp.conventions import convention_actions
from mindgap.lsp.convert import pos
from mindgap.lsp.folders import Folder
from mindgap.lsp.mindgap_server import MindgapServer
from mindgap.lsp.wire import QUIZ_UI_CAPABILITY, RegionArguments, reply
from mindgap.messages import one_line
from mindgap.provenance.regions import Region, fingerprint
from mindgap.provenance.tracker import TrackedDocument
from mindgap.syntax.document import SyntaxDocument

if TYPE_CHECKING:  # imported when an explanation is first checked: a large module
    from mindgap.gate.explain_verify import ExplainVerdict

log = logging.getLogger(__name__)


class GateError(CommandFailed):
    """A command the server cannot carry out; the message says why."""


def has_quiz_ui(ls: MindgapServer) -> bool:
    experimental = ls.client_capabilities.experimental
    return isinstance(experimental, dict) and bool(experimental.get(QUIZ_UI_CAPABILITY))


R = TypeVar("R", bound=RegionArguments)
T = TypeVar("T")


def open_document(
    ls: MindgapServer, command: str, args: tuple, model: type[R]
) -> tuple[TrackedDocument, R]:
    """The open document a command names, and its arguments (lsp/wire.py's `model`)."""
    options = command_arguments(model, command, args)
    tracked = ls.tracker.get(options.uri)
    if tracked is None:
        raise InvalidArguments(f"mindgap: {one_line(repr(options.uri))} is not open")
    return tracked, options


def target(
    ls: MindgapServer, command: str, args: tuple, model: type[R]
) -> tuple[TrackedDocument, Region, R]:
    """(document, region, arguments) from {uri, regionId | position, ...} or (uri, regionId):
    the region named, the one at the position, or the first pending one."""
    tracked, options = open_document(ls, command, args, model)
    region = None
    if options.region_id:
        region = tracked.regions.get(options.region_id)
    elif options.position is not None:
        region = tracked.regions.at(tracked.document.offset(pos(options.position)))
    else:
        region = next((r for r in tracked.regions if r.state == "pending"), None)
    if region is None:
        raise InvalidArguments("mindgap: no foreign region there")
    return tracked, region, options


QUIZ_BUDGET_SECONDS = 15.0  # the longest the server waits for a quiz (sandbox included)


async def quiz_for(ls: MindgapServer, tracked: TrackedDocument, region: Region) -> Quiz:
    """The region's quiz, built on a worker thread from a copy of the document (foreign code
    may run in the sandbox meanwhile): the event loop goes on answering, and waits at most
    QUIZ_BUDGET_SECONDS."""
    within_limits(tracked.document, region.start, region.end)
    quiz = ls.quizzes.get(region.id)
    if quiz is not None and quiz.region_text == region.text:
        return quiz
    document = tracked.document
    # a notebook cell: the cell, then its notebook's earlier cells (their definitions)
    text = ls.notebooks.quiz_text(ls, tracked.key) or document.text
    snapshot = (document.uri, text, document.language, region.start, region.end)

    folder = ls.folder_of(tracked.key)
    attempt, shown = attempts_of(ls, folder, region.text)
    unfamiliar = unfamiliar_constructs(document, region.start, region.end, folder.profile)

    def build() -> Quiz:
        uri, text, language, start, end = snapshot
        document = SyntaxDocument(uri, text, language)
        return build_quiz(document, start, end, attempt=attempt, shown=shown, unfamiliar=unfamiliar)

    loop = asyncio.get_running_loop()
    try:
        quiz = await asyncio.wait_for(
            asyncio.shield(loop.run_in_executor(ls.quiz_builder, in_sandbox_of(folder, build))),
            QUIZ_BUDGET_SECONDS,
        )
    except asyncio.TimeoutError as error:
        raise GateError("mindgap: the quiz took too long to build; try again") from error
    if language_of(tracked) == "python":
        _say_once_why_nothing_runs(ls, folder)
    ls.quizzes[region.id] = quiz
    return quiz


def in_sandbox_of(folder: Folder, work: Callable[[], T]) -> Callable[[], T]:
    """`work`, to run on a worker thread, with the folder's sandbox command in force for the
    sandboxes it starts (another folder's job, at the same time, keeps its own)."""

    def in_sandbox() -> T:
        with folder_sandboxes(folder):
            return work()

    return in_sandbox


def folder_sandboxes(folder: Folder) -> AbstractContextManager[None]:
    """The folder's sandbox command in force for the sandboxes made inside, on this thread
    (on the event loop: only around code that does not await)."""
    return sandboxes_under(folder.settings.sandbox_command)


def language_of(tracked: TrackedDocument) -> str | None:
    language = tracked.document.language
    return language.name if language is not None else None


def _say_once_why_nothing_runs(ls: MindgapServer, folder: Folder) -> None:
    """Without an operating-system sandbox no question runs the code: say so once, in the
    log the editor shows (VS Code: the mindgap output). The quiz's job probed the folder's
    sandbox command unless the static check refused the code: then the probe runs here."""
    if ls.sandbox_notice_given:
        return
    with folder_sandboxes(folder):
        if sandbox_available():
            return
        reason = unavailable_reason()
    ls.sandbox_notice_given = True
    message = f"mindgap: questions that run the code are off: {reason}"
    log.warning(message)
    ls.window_log_message(types.LogMessageParams(type=types.MessageType.Warning, message=message))


def understood(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, how: str, **evidence: Any
) -> None:
    """The region counts as understood; its constructs count as practised."""
    ls.tracker.set_state(tracked.key, region.id, "understood", how, **{**evidence, "passed": True})
    keys = [hit.construct.key for hit in construct_hits(tracked.document, region.start, region.end)]
    ls.practise(ls.folder_of(tracked.key), keys, how)
    ls.quizzes.pop(region.id, None)
    ls.publish(tracked.key)
    ls.schedule_flush()


def record_grade(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, result: Grade, answers: dict
) -> None:
    evidence = {"answers": answers, "score": result.score, "total": result.total}
    quiz = ls.quizzes.pop(region.id, None)  # every answer was shown: the next quiz is fresh
    if quiz is not None:
        fingerprints = [q.fingerprint for q in quiz.questions]
        shown_in(ls, tracked, region.text, fingerprints, result.passed)
    if result.passed:
        understood(ls, tracked, region, "answered", **evidence)
    else:
        ls.tracker.note(tracked.key, region.id, "answered", passed=False, **evidence)
        ls.schedule_flush()


async def ask_by_messages(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, quiz: Quiz
) -> Grade:
    """The quiz through window/showMessageRequest: one multiple-choice question at a time,
    the verdict after each; free-answer questions need the rich UI and are left out."""
    asked = [q for q in quiz.questions if q.choices]
    answers: dict[str, str] = {}
    for number, question in enumerate(asked, start=1):
        chosen = await ls.window_show_message_request_async(
            types.ShowMessageRequestParams(
                type=types.MessageType.Info,
                message=f"mindgap quiz {number}/{len(asked)}: {question.prompt}",
                actions=[
                    types.MessageActionItem(title=choice) for choice in question.choices or ()
                ],
            )
        )
        if chosen is None:  # dismissed: the quiz stops, the region stays pending
            break
        answers[question.id] = chosen.title
        right = question.accepts(chosen.title)
        verdict = "Right." if right else f"Not quite: the answer is {question.answer}."
        ls.window_show_message(
            types.ShowMessageParams(
                type=types.MessageType.Info if right else types.MessageType.Warning,
                message=f"{verdict} {question.explanation}",
            )
        )
    result = grade(Quiz(quiz.region_text, tuple(asked)), answers)
    record_grade(ls, tracked, region, result, answers)
    summary = "understood" if result.passed else "still pending"
    ls.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Info,
            message=f"mindgap: {result.score} of {result.total} right - the code is {summary}.",
        )
    )
    return result


def offer_quizzes(ls: MindgapServer, tracked: TrackedDocument, cache: AnalysisCache) -> None:
    """Accepted regions, now analysed: offer a quiz where the policy says so (a rich client
    gets a `mindgap/quizOffer` notification, any other a message with a button)."""
    for region in list(tracked.regions):
        if region.id not in ls.offer_pending:
            continue
        ls.offer_pending.discard(region.id)
        holds_unfamiliar = any(spot.kind == "unfamiliar" for spot in cache.spots(region))
        policy = ls.folder_of(tracked.key).policy
        if region.state != "pending" or not policy.should_offer(holds_unfamiliar):
            continue
        policy.offered()
        if has_quiz_ui(ls):
            offer = wire.QuizOffer(
                uri=tracked.key,
                region_id=region.id,
                lines=region.line_count,
                unfamiliar=holds_unfamiliar,
            )
            ls.protocol.notify(wire.QUIZ_OFFER, reply(offer))
        else:
            task = asyncio.ensure_future(_offer_by_message(ls, tracked.key, region.id))
            ls.background.add(task)  # keep it alive until it is done
            task.add_done_callback(ls.background.discard)


async def _offer_by_message(ls: MindgapServer, uri: str, region_id: str) -> None:
    tracked = ls.tracker.get(uri)
    region = tracked.regions.get(region_id) if tracked else None
    if tracked is None or region is None:
        return
    chosen = await ls.window_show_message_request_async(
        types.ShowMessageRequestParams(
            type=types.MessageType.Info,
            message=f"mindgap: {region.line_count} lines just inserted. Quiz yourself on them?",
            actions=[
                types.MessageActionItem(title="Quiz me"),
                types.MessageActionItem(title="Later"),
            ],
        )
    )
    if chosen is not None and chosen.title == "Quiz me":
        await ask_by_messages(ls, tracked, region, await quiz_for(ls, tracked, region))


def register(server: MindgapServer) -> None:
    @server.command(wire.QUIZ)
    async def quiz_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, _ = target(ls, wire.QUIZ, args, RegionArguments)
        quiz = await quiz_for(ls, tracked, region)
        ls.tracker.note(
            tracked.key, region.id, "quizzed", questions=[q.type for q in quiz.questions]
        )
        ls.schedule_flush()
        if not quiz.questions:
            message = "no quiz for this code: explain or hand-write it"
            return reply(wire.QuizReply(region_id=region.id, questions=[], message=message))
        if has_quiz_ui(ls):
            questions = [
                wire.QuizQuestion.model_validate(q.model_dump()) for q in quiz_out(quiz).questions
            ]
            return reply(wire.QuizReply(region_id=region.id, questions=questions))
        result = await ask_by_messages(ls, tracked, region, quiz)
        return reply(graded(region, result))

    @server.command(wire.ANSWER)
    async def answer_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, options = target(ls, wire.ANSWER, args, wire.AnswerArguments)
        quiz = await quiz_for(ls, tracked, region)
        answers = {str(k): str(v) for k, v in (options.answers or {}).items()}
        result = grade(quiz, answers)
        record_grade(ls, tracked, region, result, answers)
        return reply(graded(region, result))

    @server.command(wire.CHECK_ANSWER)
    async def check_answer_command(ls: MindgapServer, *args: Any) -> dict:
        """Feedback on one answer while the quiz goes on ({questionId, answer}): the right
        answer and why. Nothing is recorded: `mindgap.answer` grades the whole quiz."""
        tracked, region, options = target(ls, wire.CHECK_ANSWER, args, wire.CheckAnswerArguments)
        quiz = await quiz_for(ls, tracked, region)
        question = quiz.question("" if options.question_id is None else str(options.question_id))
        if question is None:
            raise GateError("mindgap: no such question in this region's quiz")
        given = "" if options.answer is None else str(options.answer)
        return reply(wire.AnswerResult.model_validate(check_answer(question, given).model_dump()))

    @server.command(wire.EXPLAIN)
    async def explain_command(ls: MindgapServer, *args: Any) -> dict:
        """With `explanation`: check it; accepted, ONE tracing question follows (`followUp`;
        asked with message buttons when the client has no quiz UI), answered with
        `followUpAnswer`: only both make the region understood. Without (editors with no
        text input): check the `explain:` comment above the region, or insert an empty one."""
        tracked, region, options = target(ls, wire.EXPLAIN, args, wire.ExplainArguments)
        within_limits(tracked.document, region.start, region.end)
        if "follow_up_answer" in options.model_fields_set:  # the question after an explanation
            answer = str(options.follow_up_answer)
            return reply(await follow_up_answered(ls, tracked, region, answer))
        from_comment = "explanation" not in options.model_fields_set
        if from_comment:
            language = tracked.document.language
            if language is None:
                raise GateError("mindgap: explaining needs a language mindgap can parse")
            comment = explanation_above(language.name, tracked.document.text, region.start)
            if comment is None or not comment.text:
                inserted = await insert_explanation_template(ls, tracked, region, comment is None)
                return reply(inserted)
            explanation = comment.text
        else:
            explanation = options.explanation or ""
        verdict = await verified(ls, tracked, region, explanation)
        evidence = {"explanation": explanation, **verdict.to_dict()}
        if from_comment:
            evidence["written_as"] = "comment"
            ls.window_show_message(
                types.ShowMessageParams(
                    type=types.MessageType.Info if verdict.accepted else types.MessageType.Warning,
                    message=f"mindgap: {verdict.message}",
                )
            )
        ls.tracker.note(tracked.key, region.id, "explained", **{**evidence, "passed": False})
        ls.schedule_flush()
        checked = explain_reply(region, verdict)
        if verdict.follow_up is not None:
            _FOLLOW_UPS.setdefault(ls, {})[region.id] = (verdict.follow_up, explanation)
            if not has_quiz_ui(ls):  # ask it right away, with message buttons
                return reply(await ask_follow_up_by_message(ls, tracked, region, verdict.follow_up))
        return reply(checked)

    @server.command(wire.HANDWRITE)
    async def handwrite_command(ls: MindgapServer, *args: Any) -> dict:
        """Without `text`: put the region's code aside and let the developer type their own
        version in its place (checked as they type). With `text`: check that version now."""
        tracked, region, options = target(ls, wire.HANDWRITE, args, wire.HandwriteArguments)
        if "text" not in options.model_fields_set:
            return reply(await start_handwrite(ls, tracked, region))
        typed = options.text or ""
        language = tracked.document.language
        if language is None:
            raise GateError("mindgap: hand-writing needs a language mindgap can parse")

        def check() -> Equivalence:  # on a worker: planning the sample calls runs the code
            calls = behaviour_calls(region.text) if language.name == "python" else []
            return equivalent(language.name, region.text, typed, calls, run_calls)

        loop = asyncio.get_running_loop()
        verdict = await loop.run_in_executor(None, in_sandbox_of(ls.folder_of(tracked.key), check))
        evidence = {"level": verdict.level, "reason": verdict.reason}
        if verdict.equivalent:
            understood(ls, tracked, region, "hand-written", **evidence)
        else:
            ls.tracker.note(tracked.key, region.id, "hand-written", passed=False, **evidence)
            ls.schedule_flush()
        checked = wire.HandwriteChecked(
            region_id=region.id,
            state="understood" if verdict.equivalent else region.state,
            equivalent=verdict.equivalent,
            level=verdict.level,
            reason=verdict.reason,
        )
        return reply(checked)

    @server.command(wire.RESTORE)
    async def restore_command(ls: MindgapServer, *args: Any) -> dict:
        """Put the code set aside for a hand-write back where it was."""
        tracked, session = session_target(ls, args)
        return reply(await restore_original(ls, tracked, session))

    @server.command(wire.WAIVE)
    def waive_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, _ = target(ls, wire.WAIVE, args, RegionArguments)
        ls.tracker.set_state(tracked.key, region.id, "waived", "waived")
        ls.quizzes.pop(region.id, None)
        ls.publish(tracked.key)
        ls.schedule_flush()
        return reply(wire.RegionReply(region_id=region.id, state="waived"))

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION)
    def code_actions(ls: MindgapServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        tracked = ls.tracker.get(params.text_document.uri)
        if tracked is None:
            return []
        document = tracked.document
        start = document.offset(pos(params.range.start))
        end = document.offset(pos(params.range.end))
        actions = []
        load_handwrites(ls, tracked)
        for session in ls.handwriting.open_in(tracked.key):
            placement = locate(document.text, session)
            if placement is not None and (placement.end < start or placement.start > end):
                continue
            title = "mindgap: Restore the original code (stop hand-writing)"
            where = wire.arguments(RegionArguments(uri=tracked.key, region_id=session.id))
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    command=types.Command(title=title, command=wire.RESTORE, arguments=[where]),
                )
            )
        language = document.language.name if document.language is not None else None
        for region in tracked.regions:
            if region.state != "pending" or region.end < start or region.start > end:
                continue
            where = wire.arguments(RegionArguments(uri=tracked.key, region_id=region.id))
            span = wire.Range(
                start=_lsp(document.position(region.start)),
                end=_lsp(document.position(region.end)),
            )
            explain_title = "mindgap: Explain in my own words"
            if language is not None:
                comment = explanation_above(language, document.text, region.start)
                if comment is not None and comment.text:
                    explain_title = "mindgap: Check my explanation (the explain: comment above)"
            for title, command, arguments in (
                ("mindgap: Quiz me on this code", wire.QUIZ, [where]),
                (explain_title, wire.EXPLAIN, [where]),
                ("mindgap: Hand-write it (puts the code aside)", wire.HANDWRITE, [where]),
                (
                    "mindgap: I wrote this",
                    wire.MARK_MINE,
                    [wire.arguments(wire.RangeArguments(uri=tracked.key, range=span))],
                ),
                (
                    "mindgap: Accept without understanding (counts as debt)",
                    wire.WAIVE,
                    [where],
                ),
            ):
                actions.append(
                    types.CodeAction(
                        title=title,
                        kind=types.CodeActionKind.QuickFix,
                        command=types.Command(title=title, command=command, arguments=arguments),
                    )
                )
        actions.extend(convention_actions(ls, params))
        return actions


# --- Hand-writing ------------------------------------------------------------------------


def handwrite_store(ls: MindgapServer, uri: str) -> HandwriteStore | None:
    """Where the document's hand-writes are kept: under its folder's developer."""
    folder = ls.folder_of(uri)
    store = ls.store_of(folder)
    return HandwriteStore(store.database, folder.developer) if store is not None else None


def session_target(ls: MindgapServer, args: tuple) -> tuple[TrackedDocument, HandwriteSession]:
    """(document, open hand-write) from {uri, regionId} or (uri, regionId): the one named,
    else the document's first."""
    tracked, options = open_document(ls, wire.RESTORE, args, RegionArguments)
    load_handwrites(ls, tracked)
    sessions = ls.handwriting.open_in(tracked.key)
    wanted = options.region_id
    session = next((s for s in sessions if not wanted or s.id == wanted), None)
    if session is None:
        raise GateError("mindgap: no hand-write in progress there")
    return tracked, session


async def apply_edit(
    ls: MindgapServer, tracked: TrackedDocument, edits: list[tuple[int, int, str]], label: str
) -> str | None:
    """Ask the editor to replace text[start:end] by each new text; None when applied, else
    why not."""
    document = tracked.document
    text_edits = [
        types.TextEdit(
            range=types.Range(
                start=_position(document.position(start)), end=_position(document.position(end))
            ),
            new_text=new_text,
        )
        for start, end, new_text in edits
    ]
    params = types.ApplyWorkspaceEditParams(
        edit=types.WorkspaceEdit(changes={tracked.key: text_edits}), label=label
    )
    try:
        result = await ls.workspace_apply_edit_async(params)
    except Exception as error:  # an editor without applyEdit: say so, change nothing
        return f"the editor could not apply the edit ({error})"
    if result is None or not result.applied:
        reason = result.failure_reason if result is not None else None
        return f"the editor did not apply the edit{f' ({reason})' if reason else ''}"
    return None


def _position(position: Any) -> types.Position:
    return types.Position(line=position.line, character=position.character)


async def _save_session(ls: MindgapServer, session: HandwriteSession) -> None:
    """Persist a session and wait for it (the put-aside code must be safe first)."""
    store = handwrite_store(ls, session.uri)
    if store is not None and session.path is not None:
        await asyncio.wrap_future(ls.writer.submit(store.save, session))


async def start_handwrite(
    ls: MindgapServer, tracked: TrackedDocument, region: Region
) -> wire.HandwriteStarted:
    document = tracked.document
    within_limits(document, region.start, region.end)
    try:
        with folder_sandboxes(ls.folder_of(tracked.key)):  # its sample calls are planned
            session, start, end = ls.handwriting.start(
                tracked.key,
                tracked.path,
                document.language.name if document.language is not None else None,
                document.text,
                document.tree,
                document.index.byte_offset,
                region,
            )
    except (HandwriteError, ValueError) as error:
        raise GateError(str(error)) from None
    try:
        await _save_session(ls, session)
    except StoreError as error:
        raise GateError(f"mindgap: the code cannot be put aside safely: {error}") from None
    ls.tracker.note(
        tracked.key,
        region.id,
        "hand-written",
        passed=False,
        phase="put-aside",
        lines=region.line_count,
    )
    # The region leaves the document with its code; the session holds it until the
    # developer's version is accepted or the original is put back.
    ls.tracker.put_aside(tracked.key, region.id, session.block)
    ls.handwriting.begin(session)
    ls.quizzes.pop(region.id, None)
    problem = await apply_edit(ls, tracked, [(start, end, session.block)], "mindgap: hand-write")
    if problem is not None:
        ls.tracker.put_back(tracked.key, region)
        await _close(ls, session, "restored")
        ls.publish(tracked.key)
        raise GateError(f"mindgap: {problem}; the code stays where it was")
    ls.publish(tracked.key)
    ls.schedule_flush()
    message = (
        "mindgap: the code is put aside (kept by mindgap). Type your own version between the "
        "comment lines; it is checked when you pause. 'mindgap: Restore the original code' "
        "puts it back."
    )
    ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=message))
    return wire.HandwriteStarted(region_id=region.id, state="hand-writing", message=message)


async def restore_original(
    ls: MindgapServer, tracked: TrackedDocument, session: HandwriteSession
) -> wire.Restored:
    edit = restore_edit(tracked.document.text, session)
    # the tracker's undo detection brings the region back as it was (same id, "restored")
    ls.tracker.expect_back(tracked.key, edit.original, [edit.region])
    problem = await apply_edit(
        ls, tracked, [(edit.start, edit.end, edit.original)], "mindgap: restore"
    )
    if problem is not None:
        raise GateError(f"mindgap: {problem}; the original is still kept by mindgap")
    await _close(ls, session, "restored")
    return wire.Restored(region_id=session.id, state="pending", restored=True)


async def _close(ls: MindgapServer, session: HandwriteSession, state: SessionState) -> None:
    session.state = state
    try:
        await _save_session(ls, session)
    except StoreError as error:
        ls.show_error(str(error))


def load_handwrites(ls: MindgapServer, tracked: TrackedDocument) -> None:
    """Hand-writes still in progress in this file from an earlier session, once per open."""
    try:
        ls.handwriting.load(tracked.key, tracked.path, handwrite_store(ls, tracked.key))
    except StoreError as error:
        log.error("%s", error)


def follow_handwrites(ls: MindgapServer, tracked: TrackedDocument) -> None:
    """Typing paused: check each hand-write in progress in this document."""
    load_handwrites(ls, tracked)
    for session in ls.handwriting.open_in(tracked.key):
        foreign = [(r.start, r.end) for r in tracked.regions]
        back = tracked.regions.get(session.id) is not None
        step = ls.handwriting.follow(session, tracked.document.text, foreign, back)
        _carry_out(ls, tracked, session, step)


def _carry_out(
    ls: MindgapServer, tracked: TrackedDocument, session: HandwriteSession, step: FollowUp
) -> None:
    """What the hand-write session decided (gate/handwrite_session.py), in the editor."""
    if step.first_seen:
        text, region = expected_back(session)  # an undo of the put-aside brings it back
        ls.tracker.expect_back(tracked.key, text, [region])
        if ls.tracker.drop_regions_within(tracked.key, list(step.generated)):
            ls.publish(tracked.key)
    if step.action == "restored":
        _spawn(ls, _close(ls, session, "restored"))
    elif step.action == "not-yet":  # the developer is still typing: a log line, no pop-up
        ls.window_log_message(
            types.LogMessageParams(
                type=types.MessageType.Info,
                message=f"mindgap hand-write: not equivalent yet: {step.reason}",
            )
        )
    elif step.action == "accept":
        assert step.verdict is not None
        _spawn(ls, _accept(ls, tracked.key, session, step.typed, step.verdict))
    elif step.action == "check-behaviour":
        _spawn(ls, _check_behaviour(ls, tracked.key, session, step.typed))


def _spawn(ls: MindgapServer, work: Any) -> None:
    task = asyncio.ensure_future(work)
    ls.background.add(task)  # keep it alive until it is done
    task.add_done_callback(ls.background.discard)


async def _check_behaviour(
    ls: MindgapServer, uri: str, session: HandwriteSession, typed: str
) -> None:
    loop = asyncio.get_running_loop()
    try:
        check = in_sandbox_of(ls.folder_of(uri), lambda: check_version(session, typed, True))
        verdict = await loop.run_in_executor(None, check)
    except BaseException:
        ls.handwriting.checking.discard(session.id)
        raise
    tracked = ls.tracker.get(uri)
    if tracked is None:
        ls.handwriting.checking.discard(session.id)
        return
    foreign = [(r.start, r.end) for r in tracked.regions]
    step = ls.handwriting.behaviour_checked(session, tracked.document.text, foreign, typed, verdict)
    _carry_out(ls, tracked, session, step)


async def _accept(
    ls: MindgapServer, uri: str, session: HandwriteSession, typed: str, verdict: Equivalence
) -> None:
    """The developer's version is equivalent: it becomes a region they understood, the
    generated comment lines go, the put-aside code is no longer needed."""
    tracked = ls.tracker.get(uri)
    accepted = ls.handwriting.accepting(session, tracked.document.text, typed) if tracked else None
    if tracked is None or accepted is None:
        return
    region = ls.tracker.put_back(tracked.key, accepted.region)
    if region is not None:
        understood(
            ls,
            tracked,
            region,
            "hand-written",
            level=verdict.level,
            reason=verdict.reason,
            renamed=verdict.renamed,
            original_fingerprint=fingerprint(session.region.text),
            attempts=session.attempts,
        )
    await _close(ls, session, "done")
    problem = await apply_edit(
        ls,
        tracked,
        [(a, b, "") for a, b in accepted.generated],
        "mindgap: remove the hand-write comment",
    )
    removed = "" if problem else " The comment lines mindgap added were removed."
    ls.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Info,
            message=f"mindgap: your version is equivalent ({verdict.reason}): the code is yours "
            f"now.{removed}",
        )
    )


async def insert_explanation_template(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, insert: bool
) -> wire.ExplainTemplate:
    """Editors without a text input: the developer writes the explanation as a comment."""
    language = tracked.document.language
    assert language is not None
    message = (
        "mindgap: write what the code does after `explain:` in the comment above it (more "
        "comment lines may follow), then choose 'mindgap: Check my explanation'."
    )
    if insert:
        offset, line = template_line(language.name, tracked.document.text, region.start)
        problem = await apply_edit(ls, tracked, [(offset, offset, line)], "mindgap: explain")
        if problem is not None:
            raise GateError(f"mindgap: {problem}")
    ls.window_show_message(types.ShowMessageParams(type=types.MessageType.Info, message=message))
    return wire.ExplainTemplate(
        region_id=region.id, state=region.state, passed=False, message=message
    )


def _lsp(position: Any) -> wire.Position:
    return wire.Position(line=position.line, character=position.character)


# -- explain, then verify: the follow-up question ---------------------------------------

# per server: the follow-up question waiting for an answer, by region id; and per code (its
# text's key) the attempts so far and the questions whose answers were shown
_FOLLOW_UPS: weakref.WeakKeyDictionary[MindgapServer, dict[str, tuple[Question, str]]] = (
    weakref.WeakKeyDictionary()
)
_SHOWN: weakref.WeakKeyDictionary[
    MindgapServer, dict[tuple[str, str], tuple[int, frozenset[str]]]
] = weakref.WeakKeyDictionary()


def attempts_of(ls: MindgapServer, folder: Folder, text: str) -> tuple[int, frozenset[str]]:
    """(the next attempt's number, fingerprints of questions shown) for this code and the
    folder's developer: from the ledger the first time (the terminal's attempts count too),
    then kept in memory."""
    known = _SHOWN.setdefault(ls, {})
    key = (folder.developer, code_key(text))
    if key not in known:
        store = ls.store_of(folder)
        past = History()
        if store is not None:
            try:
                past = history(store.database, folder.developer, text)
            except StoreError as error:
                log.error("%s", error)
        known[key] = (past.attempts, past.shown)
    done, shown = known[key]
    return done + 1, shown


def shown_in(
    ls: MindgapServer,
    tracked: TrackedDocument,
    text: str,
    fingerprints: list[str],
    passed: bool | None,
) -> None:
    """These questions' answers were shown: never asked again about this code (the ledger
    keeps it under the document's folder's developer, written on the store's thread)."""
    folder = ls.folder_of(tracked.key)
    attempt, shown = attempts_of(ls, folder, text)
    _SHOWN[ls][(folder.developer, code_key(text))] = (attempt, shown | frozenset(fingerprints))
    store, developer, path = ls.store_of(folder), folder.developer, tracked.path or ""
    if store is None:
        return

    def write() -> None:
        try:
            record_attempt(
                store.database,
                developer,
                text,
                path or None,
                attempt=attempt,
                shown=fingerprints,
                passed=passed,
                where="editor",
            )
        except StoreError as error:
            log.error("%s", error)

    ls.writer.submit(write)


async def verified(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, explanation: str
) -> ExplainVerdict:
    """The explanation's verdict, computed on the quiz worker (it may run the code)."""
    document = tracked.document
    if document.tree is None or document.language is None:
        raise GateError("mindgap: explaining needs a language mindgap can parse")
    # a notebook cell: the cell, then its notebook's earlier cells (their definitions)
    text = ls.notebooks.quiz_text(ls, tracked.key) or document.text
    snapshot = (document.uri, text, document.language, region.start, region.end)
    folder = ls.folder_of(tracked.key)
    attempt, shown = attempts_of(ls, folder, region.text)

    def work() -> ExplainVerdict:
        from mindgap.gate.explain_verify import verify_explanation

        uri, text, language, start, end = snapshot
        copy = SyntaxDocument(uri, text, language)
        return verify_explanation(copy, start, end, explanation, attempt=attempt, shown=shown)

    loop = asyncio.get_running_loop()
    try:
        return await asyncio.wait_for(
            asyncio.shield(loop.run_in_executor(ls.quiz_builder, in_sandbox_of(folder, work))),
            QUIZ_BUDGET_SECONDS,
        )
    except asyncio.TimeoutError as error:
        raise GateError("mindgap: checking the explanation took too long; try again") from error


def explain_reply(region: Region, verdict: ExplainVerdict) -> wire.ExplainChecked:
    data = verdict.to_dict()
    facts = data["facts"]
    assert isinstance(facts, dict)
    return wire.ExplainChecked.model_validate(
        {
            **data,
            "region_id": region.id,
            "state": region.state,
            "passed": False,  # only the follow-up question, answered right, passes
            "accepted": verdict.accepted,
            "covered": facts["covered"],
            "missing": facts["missed"],
        }
    )


def graded(region: Region, result: Grade) -> wire.GradeReply:
    return wire.GradeReply.model_validate(
        {
            **result.model_dump(),
            "region_id": region.id,
            "state": "understood" if result.passed else region.state,
        }
    )


async def follow_up_answered(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, answer: str
) -> wire.FollowUpAnswered:
    pending = _FOLLOW_UPS.get(ls, {}).pop(region.id, None)
    if pending is None:
        raise GateError("mindgap: no explanation of this code is waiting for its question")
    question, explanation = pending
    result = check_answer(question, answer)
    shown_in(ls, tracked, region.text, [question.fingerprint], result.correct)
    evidence = {
        "explanation": explanation,
        "follow_up": question.prompt,
        "follow_up_answer": answer,
        "follow_up_correct": result.correct,
    }
    if result.correct:
        understood(ls, tracked, region, "explained", **evidence)
    else:
        ls.tracker.note(tracked.key, region.id, "explained", passed=False, **evidence)
        ls.schedule_flush()
    return wire.FollowUpAnswered.model_validate(
        {
            **result.model_dump(),
            "region_id": region.id,
            "state": "understood" if result.correct else region.state,
            "verdict": "passed" if result.correct else "check",
            "passed": result.correct,
        }
    )


async def ask_follow_up_by_message(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, question: Question
) -> wire.ExplainOutcome:
    chosen = await ls.window_show_message_request_async(
        types.ShowMessageRequestParams(
            type=types.MessageType.Info,
            message=f"mindgap: one question decides: {question.prompt}",
            actions=[types.MessageActionItem(title=c) for c in question.choices or ()],
        )
    )
    if chosen is None:
        return wire.ExplainOutcome(
            region_id=region.id, state=region.state, verdict="check", passed=False
        )
    done = await follow_up_answered(ls, tracked, region, chosen.title)
    right = done.passed
    verdict = "Right." if right else f"Not quite: the answer is {question.answer}."
    ls.window_show_message(
        types.ShowMessageParams(
            type=types.MessageType.Info if right else types.MessageType.Warning,
            message=f"mindgap: {verdict} {question.explanation}",
        )
    )
    return done
