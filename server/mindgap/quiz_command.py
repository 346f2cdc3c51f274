"""`mindgap quiz FILE:START-END`: the editor's quiz, in a terminal or as JSON.

Passing it in the terminal counts like passing it in the editor: the foreign regions the
store holds on those lines become understood, and their constructs count as practised.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from mindgap.check import lines_region, parse_inserted
from mindgap.cli import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from mindgap.config import SettingsError, developer_identity, resolve_settings
from mindgap.gate.quiz import Quiz, build_quiz, grade, quiz_out
from mindgap.knowledge.profile import record_practice
from mindgap.knowledge.unfamiliar import construct_hits
from mindgap.ledger.database import Database, StoreError
from mindgap.ledger.events import Event, append_events
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.tracker import file_state
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import LANGUAGES, language_for
from mindgap.textfiles import read_text_file


def run_quiz(args: argparse.Namespace) -> int:
    path, first, last = parse_inserted(args.target, option="quiz")
    content = read_text_file(path)
    if content.text is None:
        raise UsageError(content.problem or f"{path}: unreadable")
    language = language_for(str(path))
    if language is None:
        raise UsageError(f"{path}: no quiz for this kind of file (mindgap knows {_known()})")
    document = SyntaxDocument(path.as_uri(), content.text, language)
    region = lines_region(document.index, first, last, "unknown")
    if region is None:
        raise UsageError(f"{args.target}: the lines are blank")
    quiz = build_quiz(document, region.start, region.end)
    if args.format == "json":
        print(quiz_out(quiz, with_answers=args.with_answers).model_dump_json(indent=2))
        return EXIT_CLEAN
    return _ask(args, path, document, region.start, region.end, quiz)


def _known() -> str:
    return ", ".join(spec.name for spec in LANGUAGES)


def _ask(
    args: argparse.Namespace, path: Path, document: SyntaxDocument, start: int, end: int, quiz: Quiz
) -> int:
    console = Console(highlight=False, soft_wrap=True)
    if not quiz.questions:
        console.print("mindgap: no quiz for this code - explain it or hand-write it instead.")
        return EXIT_FINDINGS
    answers: dict[str, str] = {}
    for number, question in enumerate(quiz.questions, start=1):
        console.print(f"\n[bold]{number}/{len(quiz.questions)}[/] {escape(question.prompt)}")
        for letter, choice in zip("abcdefgh", question.choices or (), strict=False):
            console.print(f"   {letter}) {escape(choice)}")
        reply = _read("your answer: ")
        if reply is None:
            raise UsageError("the quiz needs answers on standard input (or use --format json)")
        if question.choices and len(reply) == 1 and reply in "abcdefgh"[: len(question.choices)]:
            reply = question.choices["abcdefgh".index(reply)]
        answers[question.id] = reply
        if question.accepts(reply):
            console.print(f"   [green]Right.[/] {escape(question.explanation)}")
        else:
            console.print(
                f"   [red]Not quite:[/] {escape(question.answer)}. {escape(question.explanation)}"
            )
    result = grade(quiz, answers)
    verdict = "passed: the code counts as understood" if result.passed else "not passed"
    console.print(f"\n{result.score} of {result.total} right - {verdict}.")
    if result.passed:
        _record_pass(args, path, document, start, end, answers)
    return EXIT_CLEAN if result.passed else EXIT_FINDINGS


def _read(prompt: str) -> str | None:
    try:
        return input(prompt).strip()
    except EOFError:
        return None


def _record_pass(
    args: argparse.Namespace,
    path: Path,
    document: SyntaxDocument,
    start: int,
    end: int,
    answers: dict[str, str],
) -> None:
    try:
        settings = resolve_settings(Path.cwd())
    except SettingsError as error:
        raise UsageError(str(error)) from error
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
            "answered",
            str(path),
            r.id,
            r.origin_id,
            r.fingerprint,
            r.line_count,
            {"state": "understood", "passed": True, "answers": answers, "where": "terminal"},
            time.time(),
        )
        for r in touched
    ]
    append_events(database, developer, events)
