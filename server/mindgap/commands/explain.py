"""`mindgap explain FILE:START-END [--text T | stdin] [--answer A] [--format text|json]`.

The explanation is checked against the code (gate/explain_verify.py): refused (exit 1) when
it is a list of names, repeats the code or its comments, or claims something the code's
facts contradict. Accepted (exit 0), it is followed by ONE fresh tracing question: answered
right, the region is understood (an "explained" event, like a passed quiz); answered wrong,
exit 1 and the answer is shown (that question is not asked again). Unanswered (JSON, or no
terminal to ask in), the verdict is "check": the question decides later.

From standard input, the explanation is the first paragraph; a line after a blank line is
the answer to the follow-up question.
"""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.markup import escape

from mindgap.commands.quiz import LETTERS, Ledger, ask_answer, load_region, record_pass
from mindgap.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from mindgap.gate.explain_verify import ExplainVerdict, verify_explanation


def run(args: argparse.Namespace) -> int:
    path, document, start, end = load_region(args.target)
    explanation, answer = _explanation(args)
    if not explanation.strip():
        raise UsageError("no explanation: give --text or write it on standard input")
    ledger = Ledger.open(args, path)
    text = document.text[start:end]
    past = ledger.history(text)
    verdict = verify_explanation(
        document,
        start,
        end,
        explanation,
        attempt=past.next_attempt,
        shown=past.shown,
        answer=answer,
    )
    console = Console(highlight=False, soft_wrap=True)
    if args.format == "text":
        console.print(escape(verdict.message))
        if verdict.accepted and verdict.follow_up is not None and answer is None:
            answer = _ask_follow_up(console, verdict)
            if answer is not None:
                verdict = _graded(verdict, answer)
    if verdict.follow_up is not None and verdict.follow_up_correct is not None:
        ledger.record_one(text, str(path), past.next_attempt, verdict)
        if verdict.follow_up_correct:
            detail: dict[str, object] = {"explanation": explanation, **verdict.to_dict()}
            record_pass(args, path, document, start, end, {}, "explained", detail)
    if args.format == "json":
        print(json.dumps(verdict.to_dict(with_answer=verdict.follow_up_correct is not None)))
    elif verdict.follow_up is not None and verdict.follow_up_correct is not None:
        question = verdict.follow_up
        if verdict.follow_up_correct:
            console.print(f"[green]Right.[/] {escape(question.explanation)}")
            console.print("Explained and traced: the code counts as understood.")
        else:
            console.print(
                f"[red]Not quite:[/] {escape(question.answer)}. {escape(question.explanation)}"
            )
    if not verdict.accepted or verdict.follow_up_correct is False:
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _explanation(args: argparse.Namespace) -> tuple[str, str | None]:
    if args.text is not None:
        return args.text, args.answer
    data = sys.stdin.read() if not sys.stdin.isatty() else ""
    paragraphs = data.replace("\r\n", "\n").split("\n\n", 1)
    answer = args.answer
    if answer is None and len(paragraphs) == 2:
        rest = [line.strip() for line in paragraphs[1].splitlines() if line.strip()]
        answer = rest[0] if rest else None
    return paragraphs[0].strip(), answer


def _ask_follow_up(console: Console, verdict: ExplainVerdict) -> str | None:
    question = verdict.follow_up
    assert question is not None
    console.print(f"\n[bold]One question decides:[/] {escape(question.prompt)}")
    for letter, choice in zip(LETTERS, question.choices or (), strict=False):
        console.print(f"   {letter}) {escape(choice)}")
    if not sys.stdin.isatty():
        console.print("(answer it with --answer, or run this in a terminal)")
        return None
    try:
        return ask_answer(console, question)
    except UsageError:
        return None


def _graded(verdict: ExplainVerdict, answer: str) -> ExplainVerdict:
    question = verdict.follow_up
    assert question is not None
    if question.choices and len(answer) == 1 and answer.lower() in LETTERS[: len(question.choices)]:
        answer = question.choices[LETTERS.index(answer.lower())]
    correct = question.accepts(answer)
    verdict.follow_up_correct = correct
    verdict.verdict = "passed" if correct else "check"
    return verdict
