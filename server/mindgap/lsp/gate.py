"""The gate in the editor: quiz, answer, explain, hand-write, waive, and their code actions.

A client that advertises the experimental capability `mindgapQuizUI` gets the quiz as data
from `mindgap.quiz` and shows it itself; any other client is asked the multiple-choice
questions one by one through `window/showMessageRequest`, which every editor supports.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from lsprotocol import types

from mindgap.analysis import AnalysisCache
from mindgap.gate.explain import ExplanationResult, check_explanation, key_facts
from mindgap.gate.handwrite import equivalent
from mindgap.gate.quiz import Grade, Quiz, build_quiz, grade, quiz_out
from mindgap.knowledge.unfamiliar import construct_hits
from mindgap.lsp.convert import plain, pos
from mindgap.lsp.mindgap_server import MindgapServer
from mindgap.provenance.regions import Region
from mindgap.provenance.tracker import TrackedDocument

log = logging.getLogger(__name__)

QUIZ_UI_CAPABILITY = "mindgapQuizUI"


class GateError(ValueError):
    """A command the server cannot carry out; the message says why."""


def has_quiz_ui(ls: MindgapServer) -> bool:
    experimental = ls.client_capabilities.experimental
    return isinstance(experimental, dict) and bool(experimental.get(QUIZ_UI_CAPABILITY))


def target(ls: MindgapServer, args: tuple) -> tuple[TrackedDocument, Region, dict]:
    """(document, region, the arguments as a dict) from (uri, regionId) or {uri, regionId |
    position, ...}: the region named, the one at the position, or the first pending one."""
    values = [plain(a) for a in args]
    options: dict = values[0] if len(values) == 1 and isinstance(values[0], dict) else {}
    if not options and values:
        options = {"uri": values[0], "regionId": values[1] if len(values) > 1 else None}
    uri = options.get("uri")
    tracked = ls.tracker.get(uri) if isinstance(uri, str) else None
    if tracked is None:
        raise GateError(f"mindgap: {uri!r} is not open")
    region = None
    if options.get("regionId"):
        region = tracked.regions.get(options["regionId"])
    elif options.get("position"):
        region = tracked.regions.at(tracked.document.offset(pos(options["position"])))
    else:
        region = next((r for r in tracked.regions if r.state == "pending"), None)
    if region is None:
        raise GateError("mindgap: no foreign region there")
    return tracked, region, options


def quiz_for(ls: MindgapServer, tracked: TrackedDocument, region: Region) -> Quiz:
    quiz = ls.quizzes.get(region.id)
    if quiz is None or quiz.region_text != region.text:
        quiz = build_quiz(tracked.document, region.start, region.end)
        ls.quizzes[region.id] = quiz
    return quiz


def understood(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, how: str, **evidence: Any
) -> None:
    """The region counts as understood; its constructs count as practised."""
    ls.tracker.set_state(tracked.key, region.id, "understood", how, **{**evidence, "passed": True})
    keys = [hit.construct.key for hit in construct_hits(tracked.document, region.start, region.end)]
    ls.practise(keys, how)
    ls.quizzes.pop(region.id, None)
    ls.publish(tracked.key)
    ls.schedule_flush()


def record_grade(
    ls: MindgapServer, tracked: TrackedDocument, region: Region, result: Grade, answers: dict
) -> None:
    evidence = {"answers": answers, "score": result.score, "total": result.total}
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
        reply = await ls.window_show_message_request_async(
            types.ShowMessageRequestParams(
                type=types.MessageType.Info,
                message=f"mindgap quiz {number}/{len(asked)}: {question.prompt}",
                actions=[
                    types.MessageActionItem(title=choice) for choice in question.choices or ()
                ],
            )
        )
        if reply is None:  # dismissed: the quiz stops, the region stays pending
            break
        answers[question.id] = reply.title
        right = question.accepts(reply.title)
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


QUIZ_OFFER = "mindgap/quizOffer"


def offer_quizzes(ls: MindgapServer, tracked: TrackedDocument, cache: AnalysisCache) -> None:
    """Accepted regions, now analysed: offer a quiz where the policy says so (a rich client
    gets a `mindgap/quizOffer` notification, any other a message with a button)."""
    for region in list(tracked.regions):
        if region.id not in ls.offer_pending:
            continue
        ls.offer_pending.discard(region.id)
        holds_unfamiliar = any(spot.kind == "unfamiliar" for spot in cache.spots(region))
        if region.state != "pending" or not ls.policy.should_offer(holds_unfamiliar):
            continue
        ls.policy.offered()
        offer = {"uri": tracked.key, "regionId": region.id, "lines": region.line_count}
        if has_quiz_ui(ls):
            ls.protocol.notify(QUIZ_OFFER, {**offer, "unfamiliar": holds_unfamiliar})
        else:
            task = asyncio.ensure_future(_offer_by_message(ls, tracked.key, region.id))
            ls.background.add(task)  # keep it alive until it is done
            task.add_done_callback(ls.background.discard)


async def _offer_by_message(ls: MindgapServer, uri: str, region_id: str) -> None:
    tracked = ls.tracker.get(uri)
    region = tracked.regions.get(region_id) if tracked else None
    if tracked is None or region is None:
        return
    reply = await ls.window_show_message_request_async(
        types.ShowMessageRequestParams(
            type=types.MessageType.Info,
            message=f"mindgap: {region.line_count} lines just inserted. Quiz yourself on them?",
            actions=[
                types.MessageActionItem(title="Quiz me"),
                types.MessageActionItem(title="Later"),
            ],
        )
    )
    if reply is not None and reply.title == "Quiz me":
        await ask_by_messages(ls, tracked, region, quiz_for(ls, tracked, region))


def register(server: MindgapServer) -> None:
    @server.command("mindgap.quiz")
    async def quiz_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, _ = target(ls, args)
        quiz = quiz_for(ls, tracked, region)
        ls.tracker.note(
            tracked.key, region.id, "quizzed", questions=[q.type for q in quiz.questions]
        )
        ls.schedule_flush()
        if not quiz.questions:
            return {
                "regionId": region.id,
                "questions": [],
                "message": "no quiz for this code: explain or hand-write it",
            }
        if has_quiz_ui(ls):
            return {"regionId": region.id, **quiz_out(quiz).model_dump()}
        result = await ask_by_messages(ls, tracked, region, quiz)
        return {"regionId": region.id, **result.model_dump()}

    @server.command("mindgap.answer")
    def answer_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, options = target(ls, args)
        quiz = quiz_for(ls, tracked, region)
        answers = {str(k): str(v) for k, v in (options.get("answers") or {}).items()}
        result = grade(quiz, answers)
        record_grade(ls, tracked, region, result, answers)
        return {
            "regionId": region.id,
            "state": "understood" if result.passed else region.state,
            **result.model_dump(),
        }

    @server.command("mindgap.explain")
    def explain_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, options = target(ls, args)
        explanation = str(options.get("explanation") or "")
        result = explanation_result(tracked, region, explanation)
        evidence = {"explanation": explanation, **result.to_dict()}
        if result.passed:
            understood(ls, tracked, region, "explained", **evidence)
        else:
            ls.tracker.note(tracked.key, region.id, "explained", **evidence)
            ls.schedule_flush()
        state = "understood" if result.passed else region.state
        return {"regionId": region.id, "state": state, **result.to_dict()}

    @server.command("mindgap.handwrite")
    def handwrite_command(ls: MindgapServer, *args: Any) -> dict:
        """The developer's version of the region's code (`text`) is checked against it:
        the same tokens, or the same tree with locals renamed."""
        tracked, region, options = target(ls, args)
        typed = str(options.get("text") or "")
        language = tracked.document.language
        if language is None:
            raise GateError("mindgap: hand-writing needs a language mindgap can parse")
        verdict = equivalent(language.name, region.text, typed)
        evidence = {"level": verdict.level, "reason": verdict.reason}
        if verdict.equivalent:
            understood(ls, tracked, region, "hand-written", **evidence)
        else:
            ls.tracker.note(tracked.key, region.id, "hand-written", passed=False, **evidence)
            ls.schedule_flush()
        state = "understood" if verdict.equivalent else region.state
        return {"regionId": region.id, "state": state, "equivalent": verdict.equivalent, **evidence}

    @server.command("mindgap.waive")
    def waive_command(ls: MindgapServer, *args: Any) -> dict:
        tracked, region, _ = target(ls, args)
        ls.tracker.set_state(tracked.key, region.id, "waived", "waived")
        ls.quizzes.pop(region.id, None)
        ls.publish(tracked.key)
        ls.schedule_flush()
        return {"regionId": region.id, "state": "waived"}

    @server.feature(types.TEXT_DOCUMENT_CODE_ACTION)
    def code_actions(ls: MindgapServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        tracked = ls.tracker.get(params.text_document.uri)
        if tracked is None:
            return []
        document = tracked.document
        start = document.offset(pos(params.range.start))
        end = document.offset(pos(params.range.end))
        actions = []
        for region in tracked.regions:
            if region.state != "pending" or region.end < start or region.start > end:
                continue
            where = {"uri": tracked.key, "regionId": region.id}
            span = {
                "start": _lsp(document.position(region.start)),
                "end": _lsp(document.position(region.end)),
            }
            for title, command, arguments in (
                ("mindgap: Quiz me on this code", "mindgap.quiz", [where]),
                ("mindgap: I wrote this", "mindgap.markMine", [tracked.key, span]),
                (
                    "mindgap: Accept without understanding (counts as debt)",
                    "mindgap.waive",
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
        return actions


def explanation_result(
    tracked: TrackedDocument, region: Region, explanation: str
) -> ExplanationResult:
    document = tracked.document
    tree, language = document.tree, document.language
    if tree is None or language is None:
        raise GateError("mindgap: explaining needs a language mindgap can parse")
    source = document.text.encode("utf-8", "surrogatepass")
    start, end = document.index.byte_offset(region.start), document.index.byte_offset(region.end)
    facts = key_facts(language.name, source, tree, start, end)
    return check_explanation(facts, explanation, region.text)


def _lsp(position: Any) -> dict:
    return {"line": position.line, "character": position.character}
