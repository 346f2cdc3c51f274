"""`mindgap quiz FILE:START-END`: the editor's quiz, in a terminal or as JSON.

The code is shown first, with its line numbers; an answer that is not one of the choices
(or an empty one) is asked again, not graded. Passing it in the terminal counts like passing
it in the editor: the foreign regions the store holds on those lines become understood, and
their constructs count as practised. Every attempt is recorded with the questions whose
answers it showed (gate/attempts.py): the next attempt asks others; after two failed ones,
hand-writing is suggested and a third waits for `quiz_retry_cooldown_minutes`.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from mindgap.config import developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from mindgap.gate.attempts import (
    FAILED_BEFORE_HANDWRITE,
    HANDWRITE_ADVICE,
    History,
    history,
    record_attempt,
)
from mindgap.gate.questions.base import Question
from mindgap.gate.quiz import Grade, Quiz, build_quiz, grade, quiz_out
from mindgap.gate.sandbox import use_sandbox_command
from mindgap.gate.warmup import unfamiliar_constructs
from mindgap.knowledge.profile import Profile
from mindgap.ledger.database import Database, StoreError
from mindgap.line_ranges import REGION, lines_region, parse_inserted
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import LANGUAGES, language_for
from mindgap.syntax.limits import refusal
from mindgap.textfiles import read_text_file
from mindgap.vcs import repository_for

# A quiz asked for as JSON (by an editor, a script, an agent) is the time-critical path: the
# terminal's rich and what records a passed quiz are imported where they are used.
if TYPE_CHECKING:
    from rich.console import Console

    from mindgap.gate.explain_verify import ExplainVerdict
    from mindgap.ledger.events import EventKind


def load_region(target: str) -> tuple[Path, SyntaxDocument, int, int]:
    """The file, its document and the region's [start, end) of FILE:START-END (of a
    notebook's cell: NB.ipynb#CELL:START-END, the path then keys the cell's regions)."""
    if "#" in target:  # a notebook's cell; imported only then: it needs the analysis stack
        from mindgap.notebook_check import load_cell_region

        in_cell = load_cell_region(target)
        if in_cell is not None:
            _, cell_document, cell_start, cell_end = in_cell
            if (refused := refusal(cell_document, cell_start, cell_end)) is not None:
                raise UsageError(f"{target}: {refused}")
            return in_cell
    path, first, last = parse_inserted(target, REGION)
    content = read_text_file(path)
    if content.text is None:
        raise UsageError(content.problem or f"{path}: unreadable")
    language = language_for(str(path))
    if language is None:
        raise UsageError(f"{path}: no quiz for this kind of file (mindgap knows {_known()})")
    document = SyntaxDocument(path.as_uri(), content.text, language)
    region = lines_region(document.index, first, last, "unknown")
    if region is None:
        raise UsageError(f"{target}: the lines are blank")
    refused = refusal(document, region.start, region.end)
    if refused is not None:
        raise UsageError(f"{target}: {refused}")
    return path, document, region.start, region.end


def run(args: argparse.Namespace) -> int:
    path, document, start, end = load_region(args.target)
    region = _Span(start, end)
    ledger = Ledger.open(args, path)
    past = ledger.history(document.text[region.start : region.end])
    refused = past.refusal(ledger.cooldown_minutes)
    if refused is not None and not (args.format == "json" and not args.with_answers):
        print(f"mindgap: {refused}", file=sys.stderr)
        return EXIT_FINDINGS
    _start_sandboxes(document)
    quiz = build_quiz(
        document,
        region.start,
        region.end,
        attempt=past.next_attempt,
        shown=past.shown,
        unfamiliar=ledger.unfamiliar(document, region.start, region.end),
    )
    if document.language is not None and document.language.name == "python":
        _say_why_nothing_runs()
    if args.format == "json":
        print(quiz_out(quiz, with_answers=args.with_answers).model_dump_json(indent=2))
        if args.with_answers and quiz.questions:  # shown: not asked again about this code
            ledger.record(quiz, str(path), past.next_attempt, quiz.questions, None)
        return EXIT_CLEAN
    return _ask(args, path, document, region.start, region.end, quiz, ledger, past)


def _start_sandboxes(document: SyntaxDocument) -> None:
    """The probe that starts the two sandboxes (~0.1 s) runs on another thread while this one
    imports the question types (and, with a profile, finds the region's unfamiliar
    constructs). It gains only where a core is idle: on 2 cores the sandboxes' interpreters
    starting fill both. The settings' sandbox command is in force by now."""
    if document.language is None or document.language.name != "python":
        return
    from mindgap.gate.questions import all_generators
    from mindgap.gate.sandbox import sandbox_available

    threading.Thread(target=sandbox_available, name="sandbox-probe", daemon=True).start()
    all_generators()


def _say_why_nothing_runs() -> None:
    """Without an operating-system sandbox no question runs the code: one line says why."""
    from mindgap.gate.sandbox import sandbox_available, unavailable_reason

    if not sandbox_available():
        print(
            f"mindgap: questions that run the code are off: {unavailable_reason()}", file=sys.stderr
        )


class _Span:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


def _known() -> str:
    return ", ".join(spec.name for spec in LANGUAGES)


class Ledger:
    """The developer's ledger for attempts, or nothing (a warning) when it cannot open."""

    def __init__(self, database: Database | None, developer: str, cooldown: float) -> None:
        self.database = database
        self.developer = developer
        self.cooldown_minutes = cooldown

    @classmethod
    def open(cls, args: argparse.Namespace, path: Path) -> Ledger:
        settings = resolve_settings(repository_for(None, path))
        developer = args.developer or developer_identity(settings, path.parent)
        use_sandbox_command(settings.sandbox_command)
        try:
            database: Database | None = Database()
        except StoreError as error:
            print(f"mindgap: warning: {error} Attempts are not recorded.", file=sys.stderr)
            database = None
        return cls(database, developer, settings.quiz_retry_cooldown_minutes)

    def unfamiliar(self, document: SyntaxDocument, start: int, end: int) -> frozenset[str] | None:
        """The region's constructs this developer has not written (for one warm-up)."""
        if self.database is None:
            return None
        try:
            profile = Profile.load(self.database, self.developer)
        except StoreError:
            return None
        return unfamiliar_constructs(document, start, end, profile)

    def history(self, text: str) -> History:
        if self.database is None:
            return History()
        return history(self.database, self.developer, text)

    def record_one(self, text: str, path: str, attempt: int, verdict: ExplainVerdict) -> None:
        """An explanation's follow-up question, answered: its answer has been shown."""
        if self.database is None or verdict.follow_up is None:
            return
        record_attempt(
            self.database,
            self.developer,
            text,
            path,
            attempt=attempt,
            shown=[verdict.follow_up.fingerprint],
            passed=bool(verdict.follow_up_correct),
            score=int(bool(verdict.follow_up_correct)),
            total=1,
            where="explain",
            question_types=[verdict.follow_up.type],
        )

    def record(
        self,
        quiz: Quiz,
        path: str,
        attempt: int,
        shown: tuple[Question, ...],
        result: Grade | None,
    ) -> None:
        if self.database is None:
            return
        record_attempt(
            self.database,
            self.developer,
            quiz.region_text,
            path,
            attempt=attempt,
            shown=[q.fingerprint for q in shown],
            passed=None if result is None else result.passed,
            score=0 if result is None else result.score,
            total=0 if result is None else result.total,
            question_types=[q.type for q in quiz.questions],
        )


def _ask(
    args: argparse.Namespace,
    path: Path,
    document: SyntaxDocument,
    start: int,
    end: int,
    quiz: Quiz,
    ledger: Ledger,
    past: History,
) -> int:
    from rich.console import Console
    from rich.markup import escape

    console = Console(highlight=False, soft_wrap=True)
    if not quiz.questions:
        console.print("mindgap: no quiz for this code - explain it or hand-write it instead.")
        return EXIT_FINDINGS
    _show_code(console, document, start, end)
    answers: dict[str, str] = {}
    for number, question in enumerate(quiz.questions, start=1):
        label = " [dim](warm-up: does not count)[/]" if question.warmup else ""
        console.print(f"\n[bold]{number}/{len(quiz.questions)}[/]{label} {escape(question.prompt)}")
        for letter, choice in zip(LETTERS, question.choices or (), strict=False):
            console.print(f"   {letter}) {escape(choice)}")
        reply = ask_answer(console, question)
        answers[question.id] = reply
        if question.accepts(reply):
            console.print(f"   [green]Right.[/] {escape(question.explanation)}")
        else:
            console.print(
                f"   [red]Not quite:[/] {escape(question.answer)}. {escape(question.explanation)}"
            )
    result = grade(quiz, answers)
    # every answer was followed by the key: none of these is asked again about this code
    ledger.record(quiz, str(path), past.next_attempt, quiz.questions, result)
    verdict = "passed: the code counts as understood" if result.passed else "not passed"
    console.print(f"\n{result.score} of {result.total} right - {verdict}.")
    if result.passed:
        record_pass(args, path, document, start, end, answers)
    elif past.failed + 1 >= FAILED_BEFORE_HANDWRITE:
        console.print(escape(HANDWRITE_ADVICE))
    else:
        console.print("The next attempt asks other questions about the same code.")
    return EXIT_CLEAN if result.passed else EXIT_FINDINGS


LETTERS = "abcdefgh"


def _show_code(console: Console, document: SyntaxDocument, start: int, end: int) -> None:
    """The code the quiz is about, with the file's line numbers (prompts name them)."""
    from rich.markup import escape

    first = document.index.line_of(start) + 1
    lines = document.text[start:end].rstrip("\n").split("\n")
    width = len(str(first + len(lines) - 1))
    console.print("[bold]The code:[/]")
    for offset, line in enumerate(lines):
        console.print(f"[dim]{first + offset:>{width}}[/] | {escape(line)}")


def ask_answer(console: Console, question: Question) -> str:
    """A reply that is one of the choices (a letter or the choice itself), or for a free
    answer not empty: anything else is asked again, never graded."""
    choices = question.choices
    while True:
        reply = _read("your answer: ")
        if reply is None:
            raise UsageError("the quiz needs answers on standard input (or use --format json)")
        if choices:
            letters = LETTERS[: len(choices)]
            if len(reply) == 1 and reply.lower() in letters:
                return choices[letters.index(reply.lower())]
            if reply in choices:
                return reply
            console.print(f"   (answer with one of {', '.join(letters)})")
        elif reply:
            return reply
        else:
            console.print("   (an empty answer is not graded: type your answer)")


def _read(prompt: str) -> str | None:
    try:
        return input(prompt).strip()
    except EOFError:
        return None


def record_pass(
    args: argparse.Namespace,
    path: Path,
    document: SyntaxDocument,
    start: int,
    end: int,
    answers: dict[str, str],
    kind: EventKind = "answered",
    detail: dict[str, object] | None = None,
) -> None:
    from mindgap.knowledge.profile import record_practice
    from mindgap.knowledge.unfamiliar import construct_hits
    from mindgap.ledger.events import Event, append_events
    from mindgap.provenance.anchoring import reanchor
    from mindgap.provenance.persistence import RegionStore
    from mindgap.provenance.tracker import file_state

    settings = resolve_settings(repository_for(None, path))
    developer = args.developer or developer_identity(settings, path.parent)
    try:
        database = Database()
    except StoreError as error:
        print(f"mindgap: warning: {error} The result was not recorded.", file=sys.stderr)
        return
    store = RegionStore(database, developer)
    keys = [hit.construct.key for hit in construct_hits(document, start, end)]
    record_practice(database, developer, keys, kind="answered")
    stored = [
        placed
        for region in store.load(str(path))
        for placed in reanchor(region, document.text).regions
    ]
    touched = [r for r in stored if r.state == "pending" and r.start < end and start < r.end]
    if not touched:
        return
    states = [replace(r, state="understood") if r in touched else r for r in stored]
    store.save(file_state(str(path), states, None, document))
    events = [
        Event(
            kind,
            str(path),
            r.id,
            r.origin_id,
            r.fingerprint,
            r.line_count,
            {
                "state": "understood",
                "passed": True,
                "answers": answers,
                "where": "terminal",
                **(detail or {}),
            },
            time.time(),
        )
        for r in touched
    ]
    append_events(database, developer, events)
