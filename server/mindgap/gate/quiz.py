"""A quiz about one foreign region: generated, asked, graded.

The same code always gets the same quiz: every choice is seeded by the code's hash. Three
to five questions, as many different types as the code allows; a quiz passes when every
answer is right. Generators that fail on some code are skipped (and logged), never fatal.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, replace

from pydantic import BaseModel

from mindgap.gate.questions import all_generators
from mindgap.gate.questions.base import CodeUnderQuiz, Question
from mindgap.syntax.document import SyntaxDocument

log = logging.getLogger(__name__)

MAX_QUESTIONS = 5
MIN_QUESTIONS = 3  # fewer than this is still offered, but the quiz says it is short


@dataclass(frozen=True)
class Quiz:
    region_text: str
    questions: tuple[Question, ...]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


class QuestionOut(BaseModel):
    """A question as SPEC.md shows it (`answer` only when asked for)."""

    id: str
    type: str
    prompt: str
    choices: list[str] | None
    explanation: str
    answer: str | None = None


class QuizOut(BaseModel):
    questions: list[QuestionOut]


class AnswerResult(BaseModel):
    id: str
    correct: bool
    given: str
    expected: str
    explanation: str


class Grade(BaseModel):
    results: list[AnswerResult]
    score: int  # right answers
    total: int  # questions in the quiz
    passed: bool  # every question answered, every answer right


def seed_of(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8], "big")


def build_quiz(document: SyntaxDocument, start: int, end: int) -> Quiz:
    """The quiz for document.text[start:end] (one foreign region)."""
    text = document.text[start:end]
    tree, language = document.tree, document.language
    if tree is None or language is None:
        return Quiz(text, ())
    index = document.index
    code = CodeUnderQuiz(
        language=language.name,
        source=document.text.encode("utf-8", "surrogatepass"),
        tree=tree,
        start_byte=index.byte_offset(start),
        end_byte=index.byte_offset(end),
        first_line=index.line_of(start) + 1,
        rng=random.Random(seed_of(text)),
        sandbox=_sandbox_for(language.name, text),
    )
    by_type: dict[str, list[Question]] = {}
    for generator in all_generators():
        if generator.languages is not None and language.name not in generator.languages:
            continue
        try:
            questions = generator.generate(code)
        except Exception:  # one broken generator must not cost the whole quiz
            log.exception("question generator %s failed", generator.type)
            continue
        if questions:
            by_type.setdefault(generator.type, []).extend(questions)
    chosen = _diverse(by_type)
    return Quiz(text, tuple(replace(q, id=f"q{n}") for n, q in enumerate(chosen, start=1)))


def _diverse(by_type: dict[str, list[Question]]) -> list[Question]:
    """Round-robin over the types (in a stable order) until MAX_QUESTIONS."""
    chosen: list[Question] = []
    queues = [list(questions) for _, questions in sorted(by_type.items())]
    while queues and len(chosen) < MAX_QUESTIONS:
        for queue in list(queues):
            if len(chosen) == MAX_QUESTIONS:
                break
            chosen.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return chosen


def _sandbox_for(language: str, text: str):
    if language != "python":
        return None
    try:
        from mindgap.gate.sandbox import prepare_sandbox
    except ImportError:
        return None
    return prepare_sandbox(text)


def check_answer(question: Question, given: str) -> AnswerResult:
    return AnswerResult(
        id=question.id,
        correct=bool(given.strip()) and question.accepts(given),
        given=given,
        expected=question.answer,
        explanation=question.explanation,
    )


def grade(quiz: Quiz, answers: dict[str, str]) -> Grade:
    results = [check_answer(question, answers.get(question.id, "")) for question in quiz.questions]
    score = sum(result.correct for result in results)
    passed = bool(results) and score == len(results)
    return Grade(results=results, score=score, total=len(results), passed=passed)


def quiz_out(quiz: Quiz, with_answers: bool = False) -> QuizOut:
    return QuizOut(
        questions=[
            QuestionOut(
                id=q.id,
                type=q.type,
                prompt=q.prompt,
                choices=list(q.choices) if q.choices is not None else None,
                explanation=q.explanation if with_answers else "",  # it gives the answer away
                answer=q.answer if with_answers else None,
            )
            for q in quiz.questions
        ]
    )
