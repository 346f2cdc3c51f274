"""The gate through the LSP: quiz, answer, waive; states survive a restart."""

from __future__ import annotations

import ast
import asyncio
import json
import sqlite3

import pytest
from lsprotocol import types

from mindgap.gate.quiz import build_quiz
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named
from tests.lsp.conftest import Session, wait_until
from tests.lsp.test_server import change, mindgap_diagnostics, open_file, pos, settle

FOREIGN = (
    "def total(prices, discount):\n"
    "    result = 0\n"
    "    for price in prices:\n"
    "        if price < 0:\n"
    '            raise ValueError("negative price")\n'
    "        result += price\n"
    "    return result - discount\n"
)


def expected_quiz(before: str, attempt: int = 1, shown: frozenset[str] = frozenset()):
    """The quiz the server builds: the same code and attempt always get the same quiz."""
    text = before + FOREIGN
    document = SyntaxDocument("file:///x.py", text, language_named("python"))
    start = len(before)
    end = start + len(FOREIGN.rstrip())
    return build_quiz(document, start, end, attempt=attempt, shown=shown)


async def open_with_foreign_code(
    session: Session, ui: bool, code: str = FOREIGN
) -> tuple[object, str, str]:
    experimental = {"mindgapQuizUI": True} if ui else None
    client = await session.start(experimental=experimental)
    target = session.workspace / "shop.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, 2, pos(0, 0), pos(0, 0), code)
    await wait_until(lambda: len(mindgap_diagnostics(client, uri)) >= 1)
    region_id = mindgap_diagnostics(client, uri)[0].data["regionId"]
    return client, uri, region_id


def command(client, name: str, *arguments):
    return client.workspace_execute_command_async(
        types.ExecuteCommandParams(command=name, arguments=list(arguments))
    )


def foreign_region(client, uri: str) -> types.Diagnostic:
    return next(d for d in mindgap_diagnostics(client, uri) if d.code == "foreign-region")


async def test_quiz_then_right_answers_make_the_code_understood(session: Session) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=True)
    quiz = expected_quiz("")
    assert quiz.questions, "the generators find something to ask about this code"

    asked = await command(client, "mindgap.quiz", {"uri": uri, "regionId": region_id})
    assert [q["prompt"] for q in asked["questions"]] == [q.prompt for q in quiz.questions]
    assert all(q.get("answer") is None for q in asked["questions"])  # no keys to the client

    wrong = {q.id: "certainly not this" for q in quiz.questions}
    graded = await command(
        client, "mindgap.answer", {"uri": uri, "regionId": region_id, "answers": wrong}
    )
    assert graded["passed"] is False and graded["state"] == "pending"
    assert graded["results"][0]["expected"] == quiz.questions[0].answer
    assert graded["results"][0]["explanation"]

    # every answer was shown: the next attempt asks fresh questions (GATE.md, "Attempts")
    again = await command(client, "mindgap.quiz", {"uri": uri, "regionId": region_id})
    shown = frozenset(q.fingerprint for q in quiz.questions)
    second = expected_quiz("", attempt=2, shown=shown)
    assert [q["prompt"] for q in again["questions"]] == [q.prompt for q in second.questions]
    assert not shown & {q.fingerprint for q in second.questions}
    right = {q.id: q.answer for q in second.questions}
    graded = await command(
        client, "mindgap.answer", {"uri": uri, "regionId": region_id, "answers": right}
    )
    assert graded["passed"] is True and graded["state"] == "understood"
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)
    assert foreign_region(client, uri).severity == types.DiagnosticSeverity.Hint

    (session.workspace / "shop.py").write_text(FOREIGN, encoding="utf-8")  # the editor saves
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await session.stop()  # the state is in the ledger, not just in memory
    client = await session.start()
    uri = open_file(client, session.workspace / "shop.py")
    await wait_until(lambda: bool(mindgap_diagnostics(client, uri)))
    assert "understood" in foreign_region(client, uri).message


async def test_shown_questions_are_not_asked_again_after_a_restart(session: Session) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=True)
    first = expected_quiz("")
    where = {"uri": uri, "regionId": region_id}
    await command(client, "mindgap.quiz", where)
    wrong = {q.id: "certainly not this" for q in first.questions}
    await command(client, "mindgap.answer", {**where, "answers": wrong})
    (session.workspace / "shop.py").write_text(FOREIGN, encoding="utf-8")  # the editor saves
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    await session.stop()  # what was shown is in the ledger, not just in memory
    client = await session.start(experimental={"mindgapQuizUI": True})
    uri = open_file(client, session.workspace / "shop.py")
    await wait_until(lambda: bool(mindgap_diagnostics(client, uri)))
    region_id = foreign_region(client, uri).data["regionId"]
    again = await command(client, "mindgap.quiz", {"uri": uri, "regionId": region_id})
    shown = frozenset(q.fingerprint for q in first.questions)
    second = expected_quiz("", attempt=2, shown=shown)
    assert [q["prompt"] for q in again["questions"]] == [q.prompt for q in second.questions]


async def test_each_answer_gets_feedback_without_grading_the_quiz(session: Session) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=True)
    question = expected_quiz("").questions[0]
    target = {"uri": uri, "regionId": region_id, "questionId": question.id}

    wrong = await command(client, "mindgap.checkAnswer", {**target, "answer": "not this"})
    assert wrong["correct"] is False
    assert wrong["expected"] == question.answer and wrong["explanation"]
    right = await command(client, "mindgap.checkAnswer", {**target, "answer": question.answer})
    assert right["correct"] is True

    assert "not yet understood" in foreign_region(client, uri).message  # nothing was graded
    with pytest.raises(Exception, match="no such question"):
        await command(client, "mindgap.checkAnswer", {**target, "questionId": "q-none"})


async def test_a_client_without_quiz_ui_is_asked_by_message_requests(session: Session) -> None:
    quiz = expected_quiz("")
    keys = {q.prompt: q.answer for q in quiz.questions}
    seen: list[str] = []
    client, uri, region_id = await open_with_foreign_code(session, ui=False)

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def answer(params: types.ShowMessageRequestParams) -> types.MessageActionItem:
        seen.append(params.message)
        prompt = params.message.split(": ", 1)[1]
        return types.MessageActionItem(title=keys[prompt])

    result = await command(client, "mindgap.quiz", uri, region_id)
    multiple_choice = [q for q in quiz.questions if q.choices]
    assert len(seen) == len(multiple_choice) and seen[0].startswith("mindgap quiz 1/")
    assert result["passed"] is True
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)
    assert any("the code is understood" in m.message for m in client.messages)


async def test_waiving_is_recorded_as_debt(session: Session) -> None:
    client, uri, _ = await open_with_foreign_code(session, ui=True)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos(1, 0), end=pos(1, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    titles = [a.title for a in actions]
    assert "mindgap: Quiz me on this code" in titles
    waive = sent_command(next(a for a in actions if "without understanding" in a.title))
    await command(client, waive["command"], *waive["arguments"])
    await wait_until(lambda: "counted as debt" in foreign_region(client, uri).message)


async def test_the_i_wrote_this_action_clears_the_region(session: Session) -> None:
    client, uri, _ = await open_with_foreign_code(session, ui=True)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos(1, 0), end=pos(1, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    mine = sent_command(next(a for a in actions if a.title == "mindgap: I wrote this"))
    assert mine["command"] == "mindgap.markMine" and mine["arguments"][0]["uri"] == uri
    result = await command(client, mine["command"], *mine["arguments"])
    assert result["linesCleared"] == len([line for line in FOREIGN.splitlines() if line.strip()])
    await wait_until(lambda: not mindgap_diagnostics(client, uri))


def sent_command(action) -> dict:
    """The command of a code action. lsprotocol's client-side hook reads any action that has
    a `command` as a bare Command and stores the nested object's repr as its name."""
    if isinstance(action, types.CodeAction) and action.command is not None:
        return {"command": action.command.command, "arguments": action.command.arguments}
    return ast.literal_eval(action.command)


async def test_an_explanation_then_its_follow_up_question_make_the_code_understood(
    session: Session,
) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=True)
    where = {"uri": uri, "regionId": region_id}

    copied = await command(client, "mindgap.explain", {**where, "explanation": FOREIGN})
    assert copied["verdict"] == "refused" and copied["copied"]

    names = await command(client, "mindgap.explain", {**where, "explanation": "prices, discount"})
    assert names["verdict"] == "refused" and names["nameList"] is True

    false = await command(
        client, "mindgap.explain", {**where, "explanation": "It raises KeyError on a bad price."}
    )
    assert false["verdict"] == "refused" and false["contradictions"]

    explanation = (
        "Adds up the prices, refusing any that is below zero with an error, and gives back"
        " the sum less the discount."
    )
    good = await command(client, "mindgap.explain", {**where, "explanation": explanation})
    assert good["verdict"] == "check", good["message"]
    assert good["passed"] is False  # the follow-up question decides
    question = good["followUp"]
    assert question["prompt"] and question["choices"] and "answer" not in question
    assert "not yet understood" in foreign_region(client, uri).message
    # the right answer, established independently: run the call in this process
    call = question["prompt"].split("`")[1]
    namespace: dict = {}
    exec(FOREIGN, namespace)
    try:
        key = repr(eval(call, namespace))
    except Exception as error:
        key = f"raises {type(error).__name__}"
    answer = next((c for c in question["choices"] if c == key), None)
    if answer is None:  # not a predict-the-result question: ask the server's own quiz key
        answer = _key_from_expected(question["prompt"])
    done = await command(client, "mindgap.explain", {**where, "followUpAnswer": answer})
    assert done["passed"] is True and done["verdict"] == "passed"
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)


def _key_from_expected(prompt: str) -> str:
    quiz = expected_quiz("")
    return next(q.answer for q in quiz.questions if q.prompt == prompt)


async def test_hand_writing_equivalent_code_makes_it_the_developers(session: Session) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=True)
    where = {"uri": uri, "regionId": region_id}
    different = FOREIGN.replace("result - discount", "result + discount")
    attempt = await command(client, "mindgap.handwrite", {**where, "text": different})
    assert attempt["equivalent"] is False and attempt["state"] == "pending"

    renamed = FOREIGN.replace("result", "subtotal")  # locals may differ
    attempt = await command(client, "mindgap.handwrite", {**where, "text": renamed})
    assert attempt["equivalent"] is True and attempt["level"] == "tree"
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)


async def test_accepting_code_offers_a_quiz_by_policy(session: Session) -> None:
    offers: list = []

    def offered(params) -> None:
        offers.append(params)

    client = await session.start(
        {"quizOnAccept": "always"},
        experimental={"mindgapQuizUI": True},
        handlers={"mindgap/quizOffer": offered},
    )
    target = session.workspace / "shop.py"
    target.write_text("", encoding="utf-8")
    uri = open_file(client, target)
    change(client, uri, 2, pos(0, 0), pos(0, 0), FOREIGN)
    client.protocol.notify(
        "mindgap/didInsert",
        {
            "textDocument": {"uri": uri, "version": 2},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 7, "character": 0}},
            "source": "inline-completion",
        },
    )
    await wait_until(lambda: bool(offers))
    offer = offers[0]
    offer = offer._asdict() if hasattr(offer, "_asdict") else offer
    assert offer["uri"] == uri and offer["lines"] == 7
    # the cooldown holds the next offer back
    change(client, uri, 3, pos(7, 0), pos(7, 0), "\n\n" + FOREIGN.replace("total", "summed"))
    client.protocol.notify(
        "mindgap/didInsert",
        {
            "textDocument": {"uri": uri, "version": 3},
            "range": {"start": {"line": 9, "character": 0}, "end": {"line": 16, "character": 0}},
            "source": "inline-completion",
        },
    )
    await settle(client)
    await asyncio.sleep(0.6)
    assert len(offers) == 1


# --- Hand-writing in the editor ----------------------------------------------------------


class Editor:
    """The client's copy of one document: applies the server's `workspace/applyEdit` as an
    editor does (then tells the server with didChange) and types line by line."""

    def __init__(self, client, uri: str, text: str, version: int) -> None:
        self.client, self.uri, self.text, self.version = client, uri, text, version
        self.edits: list[list[types.TextEdit]] = []

        @client.feature(types.WORKSPACE_APPLY_EDIT)
        def apply(params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
            edits = (params.edit.changes or {}).get(self.uri, [])
            self.edits.append(list(edits))
            # one array's ranges refer to the text before any of them: apply from the end
            for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))[
                ::-1
            ]:
                self.replace(edit.range.start, edit.range.end, edit.new_text)
            return types.ApplyWorkspaceEditResult(applied=True)

    def offset(self, position: types.Position) -> int:
        lines = self.text.split("\n")
        return sum(len(line) + 1 for line in lines[: position.line]) + position.character

    def replace(self, start: types.Position, end: types.Position, text: str) -> None:
        a, b = self.offset(start), self.offset(end)
        self.text = self.text[:a] + text + self.text[b:]
        self.version += 1
        change(self.client, self.uri, self.version, start, end, text)

    def line_of(self, needle: str) -> int:
        return next(n for n, line in enumerate(self.text.split("\n")) if needle in line)

    def type_lines(self, line: int, code: str) -> None:
        """Types `code` before `line`, one line per change, as typing arrives."""
        for offset, text in enumerate(code.splitlines(keepends=True)):
            self.replace(pos(line + offset, 0), pos(line + offset, 0), text)


def stored_events(session: Session, kind: str) -> list[dict]:
    database = sqlite3.connect(session.home / "mindgap.sqlite3")
    try:
        rows = database.execute(
            "SELECT region_id, detail FROM events WHERE kind = ? ORDER BY id", (kind,)
        ).fetchall()
    finally:
        database.close()
    return [{"region_id": region, **json.loads(detail)} for region, detail in rows]


async def start_hand_write(session: Session) -> tuple[object, Editor, str]:
    client, uri, region_id = await open_with_foreign_code(session, ui=False)
    editor = Editor(client, uri, FOREIGN, 2)
    started = await command(client, "mindgap.handwrite", {"uri": uri, "regionId": region_id})
    assert started["state"] == "hand-writing"
    return client, editor, region_id


async def test_hand_writing_in_the_editor_puts_the_code_aside_and_accepts_an_equal_version(
    session: Session,
) -> None:
    client, editor, region_id = await start_hand_write(session)
    uri = editor.uri

    # the code is gone from the editor, a comment says what it must do
    assert "result += price" not in editor.text
    assert "# mindgap hand-write" in editor.text
    for fact in ("define `total`", "takes `prices`", "takes `discount`", "raises `ValueError`"):
        assert fact in editor.text, fact
    await wait_until(
        lambda: not any(d.code == "foreign-region" for d in mindgap_diagnostics(client, uri))
    )

    # a first attempt that adds the discount: not equivalent, still pending
    end_marker = editor.line_of(": end")
    wrong = FOREIGN.replace("result", "subtotal").replace(
        "subtotal - discount", "subtotal + discount"
    )
    editor.type_lines(end_marker, wrong)
    await wait_until(
        lambda: any("not equivalent yet" in m.message for m in client.log_messages), timeout=15
    )
    assert not any(d.code == "foreign-region" for d in mindgap_diagnostics(client, uri))
    assert "# mindgap hand-write" in editor.text

    # fixing the operator makes it equivalent (locals renamed): the code is the developer's
    line = editor.line_of("subtotal + discount")
    column = editor.text.split("\n")[line].index("+")
    editor.replace(pos(line, column), pos(line, column + 1), "-")
    await wait_until(
        lambda: any("the code is yours now" in m.message for m in client.messages), timeout=15
    )
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)
    assert foreign_region(client, uri).data["regionId"] == region_id
    await wait_until(lambda: "mindgap hand-write" not in editor.text)  # its comment removed
    assert editor.text == FOREIGN.replace("result", "subtotal")

    await session.stop()  # flushes the ledger
    accepted = [e for e in stored_events(session, "hand-written") if e.get("passed")]
    assert accepted and accepted[-1]["region_id"] == region_id
    assert accepted[-1]["state"] == "understood" and accepted[-1]["level"] == "tree"
    assert accepted[-1]["renamed"] == {"result": "subtotal"}


TYPED_FOREIGN = FOREIGN.replace(
    "def total(prices, discount):", "def total(prices: list[int], discount: int) -> int:"
)
# the same behaviour, a different tree: accepted on the quiz's inputs, run in the sandbox
RESTRUCTURED = (
    "def total(prices: list[int], discount: int) -> int:\n"
    "    if any(price < 0 for price in prices):\n"
    '        raise ValueError("negative price")\n'
    "    return sum(prices) + discount\n"
)


async def test_a_version_is_compared_by_behaviour_in_the_sandbox(session: Session) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=False, code=TYPED_FOREIGN)
    editor = Editor(client, uri, TYPED_FOREIGN, 2)
    await command(client, "mindgap.handwrite", {"uri": uri, "regionId": region_id})
    editor.type_lines(editor.line_of(": end"), RESTRUCTURED)
    # the outcomes differ: the message says on which call
    await wait_until(
        lambda: any("yours returns" in m.message for m in client.log_messages), timeout=15
    )
    assert not any("yours now" in m.message for m in client.messages)
    assert "# mindgap hand-write" in editor.text

    line = editor.line_of("+ discount")
    column = editor.text.split("\n")[line].index("+")
    editor.replace(pos(line, column), pos(line, column + 1), "-")
    await wait_until(
        lambda: any("the code is yours now" in m.message for m in client.messages), timeout=15
    )
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)
    assert editor.text == RESTRUCTURED.replace("+ discount", "- discount")
    await session.stop()
    accepted = [e for e in stored_events(session, "hand-written") if e.get("passed")]
    assert accepted[-1]["level"] == "behaviour"


async def test_restore_puts_the_original_back_even_after_a_restart(session: Session) -> None:
    client, editor, region_id = await start_hand_write(session)
    uri = editor.uri
    block = editor.text
    path = session.workspace / "shop.py"
    path.write_text(block, encoding="utf-8")  # the editor saves, then is closed
    await settle(client)
    await session.kill()  # even without a clean shutdown, the put-aside code is kept

    client = await session.start()
    uri = open_file(client, path)
    editor = Editor(client, uri, block, 1)
    await settle(client)
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=types.Range(start=pos(1, 0), end=pos(1, 0)),
            context=types.CodeActionContext(diagnostics=[]),
        )
    )
    restore = next(a for a in actions if "Restore the original code" in a.title)
    chosen = sent_command(restore)
    result = await command(client, chosen["command"], *chosen["arguments"])
    assert result["restored"] is True
    assert editor.text == FOREIGN
    await wait_until(
        lambda: any(d.code == "foreign-region" for d in mindgap_diagnostics(client, uri))
    )
    region = foreign_region(client, uri)
    assert region.data["regionId"] == region_id and "not yet understood" in region.message


async def test_explaining_in_a_comment_works_without_an_input_box(session: Session) -> None:
    client, uri, region_id = await open_with_foreign_code(session, ui=False)
    editor = Editor(client, uri, FOREIGN, 2)

    async def actions() -> dict[str, dict]:
        found = await client.text_document_code_action_async(
            types.CodeActionParams(
                text_document=types.TextDocumentIdentifier(uri=uri),
                range=types.Range(
                    start=pos(editor.line_of("def total"), 0),
                    end=pos(editor.line_of("def total"), 0),
                ),
                context=types.CodeActionContext(diagnostics=[]),
            )
        )
        return {a.title: sent_command(a) for a in found}

    explain = (await actions())["mindgap: Explain in my own words"]
    await command(client, explain["command"], *explain["arguments"])
    assert editor.text.startswith("# explain: \n")

    editor.replace(
        pos(0, len("# explain: ")),
        pos(0, len("# explain: ")),
        "takes prices and a discount, adds up the prices,",
    )
    editor.type_lines(
        1, "# raises ValueError on a negative price,\n# returns the sum minus the discount.\n"
    )
    await settle(client)
    offered = await actions()
    check = offered["mindgap: Check my explanation (the explain: comment above)"]
    # no quiz UI: the follow-up question comes as message buttons; answer it right
    asked: list[str] = []

    @client.feature(types.WINDOW_SHOW_MESSAGE_REQUEST)
    def answer(params: types.ShowMessageRequestParams) -> types.MessageActionItem:
        asked.append(params.message)
        prompt = params.message.removeprefix("mindgap: one question decides: ")
        return types.MessageActionItem(title=_follow_up_key(prompt))

    result = await command(client, check["command"], *check["arguments"])
    assert len(asked) == 1 and asked[0].startswith("mindgap: one question decides: ")
    assert result["passed"] is True, result
    await wait_until(lambda: "understood" in foreign_region(client, uri).message)
    assert foreign_region(client, uri).data["regionId"] == region_id


def _follow_up_key(prompt: str) -> str:
    call = prompt.split("`")[1]
    namespace: dict = {}
    exec(FOREIGN, namespace)
    try:
        return repr(eval(call, namespace))
    except Exception:
        return _key_from_expected(prompt)
