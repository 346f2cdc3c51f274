"""A quiz about one foreign region: generated, asked, graded.

The same code and attempt number always get the same quiz: every choice is seeded by the
code's hash and the attempt. Three to five questions, as many different types as the code
allows, deciding ones only of tracing types (GATE.md); a quiz passes when every deciding
answer is right. A question whose answer this developer has seen is not asked again.
Generators that fail on some code are skipped (and logged), never fatal.
"""

from __future__ import annotations

import hashlib
import logging
import random
from dataclasses import dataclass, replace

from pydantic import BaseModel

from mindgap.gate.questions import all_generators
from mindgap.gate.questions.base import CodeUnderQuiz, Question, decides, found_by_search
from mindgap.syntax.document import SyntaxDocument

log = logging.getLogger(__name__)

MAX_QUESTIONS = 5
MIN_QUESTIONS = 3  # fewer than this is still offered, but the quiz says it is short
# A quiz is only offered when guessing every deciding answer passes it at most this often
# (GATE.md: passing must be evidence, the surface solver at most 3%); otherwise the code
# is explained or hand-written.
MAX_GUESS_CHANCE = 0.03


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
    kind: str = "tracing"  # "tracing" or "vocabulary"
    decides_pass: bool = True
    warmup: bool = False


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
    score: int  # right answers to the deciding questions
    total: int  # deciding questions in the quiz (a warm-up is not one)
    passed: bool  # every question answered, every answer right


def seed_of(text: str) -> int:
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8], "big")


def _attempt_seed(text: str, attempt: int) -> int:
    return seed_of(text if attempt <= 1 else f"{text}\x00attempt {attempt}")


def build_quiz(
    document: SyntaxDocument,
    start: int,
    end: int,
    *,
    attempt: int = 1,
    shown: frozenset[str] = frozenset(),
    unfamiliar: frozenset[str] | None = None,
) -> Quiz:
    """The quiz for document.text[start:end] (one foreign region).

    `attempt` (1-based) and the fingerprints of the questions whose answers this developer
    has already seen (`shown`) make each attempt fresh: those questions are never asked
    again, and the same code with the same attempt number gets the same quiz. A warm-up
    (vocabulary) question is added only for a construct in `unfamiliar` (catalogue keys the
    developer has not written); it never decides the pass. A quiz with no deciding question
    is empty: then the code is explained or hand-written instead."""
    text = document.text[start:end]
    code = code_under_quiz(document, start, end, attempt)
    if code is None:
        return Quiz(text, ())
    by_type: dict[str, list[Question]] = {}
    seed = _attempt_seed(text, attempt)
    for generator in all_generators():
        if generator.languages is not None and code.language not in generator.languages:
            continue
        if not unfamiliar and not decides(generator):
            continue  # a vocabulary question is only ever a warm-up, and none is possible
        # each type draws from its own generator: whether another type ran (or how much it
        # drew) never changes this type's questions
        code.rng = random.Random(f"{seed}\x00{generator.type}")
        try:
            questions = generator.generate(code)
        except Exception:  # one broken generator must not cost the whole quiz
            log.exception("question generator %s failed", generator.type)
            continue
        kind = getattr(generator, "kind", "vocabulary")
        for question in questions:
            # a type decides; one of its questions may say it cannot (a search finds it)
            decides_this = (
                decides(generator)
                and question.decides_pass
                and not found_by_search(question, code.text)
            )
            marked = replace(question, kind=kind, decides_pass=decides_this)
            if marked.fingerprint not in shown:
                by_type.setdefault(generator.type, []).append(marked)
    chosen = choose(by_type, random.Random(f"{seed}\x00choose"), attempt, unfamiliar)
    return Quiz(text, tuple(replace(q, id=f"q{n}") for n, q in enumerate(chosen, start=1)))


def code_under_quiz(
    document: SyntaxDocument, start: int, end: int, attempt: int = 1
) -> CodeUnderQuiz | None:
    """The region as question generators see it (None without a syntax tree)."""
    text = document.text[start:end]
    tree, language = document.tree, document.language
    if tree is None or language is None:
        return None
    index = document.index
    return CodeUnderQuiz(
        language=language.name,
        source=document.text.encode("utf-8", "surrogatepass"),
        tree=tree,
        start_byte=index.byte_offset(start),
        end_byte=index.byte_offset(end),
        first_line=index.line_of(start) + 1,
        rng=random.Random(_attempt_seed(text, attempt)),
        sandbox=_sandbox_for(
            language.name,
            document.text[document.text.rfind("\n", 0, start) + 1 : end],
            _whole_statements(document, tree, start, end),
        ),
        attempt=attempt,
        path=_file_path(document.uri),
    )


def _file_path(uri: str) -> str | None:
    if not uri.startswith("file://"):
        return None
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path) or None


def choose(
    by_type: dict[str, list[Question]],
    rng: random.Random,
    attempt: int = 1,
    unfamiliar: frozenset[str] | None = None,
) -> list[Question]:
    """Deciding questions, as many different types as there are (round-robin, the types'
    order turned by the attempt); at most one warm-up first. No deciding question: none."""
    deciding = {t: [q for q in qs if q.decides_pass] for t, qs in by_type.items()}
    deciding = {t: qs for t, qs in deciding.items() if qs}
    if not deciding:
        return []
    warmup = None
    if unfamiliar:
        for _, questions in sorted(by_type.items()):
            for question in questions:
                if not question.decides_pass and set(question.constructs) & unfamiliar:
                    warmup = replace(question, warmup=True)
                    break
            if warmup is not None:
                break
    room = MAX_QUESTIONS - (1 if warmup is not None else 0)
    types = sorted(deciding)
    turn = (attempt - 1) % len(types)
    types = types[turn:] + types[:turn]
    chosen = _diverse({f"{n:02d}{t}": deciding[t] for n, t in enumerate(types)}, room)
    if guess_chance(chosen) > MAX_GUESS_CHANCE:
        return []
    return ([warmup] if warmup is not None else []) + chosen


def guess_chance(questions: list[Question]) -> float:
    """The chance of passing these deciding questions by guessing among their choices."""
    chance = 1.0
    for question in questions:
        if question.choices:
            chance /= len(question.choices)
        else:
            chance = 0.0  # a free answer cannot be guessed
    return chance


def _diverse(by_type: dict[str, list[Question]], room: int = MAX_QUESTIONS) -> list[Question]:
    """Round-robin over the types (in a stable order) until `room` questions."""
    chosen: list[Question] = []
    queues = [list(questions) for _, questions in sorted(by_type.items())]
    while queues and len(chosen) < room:
        for queue in list(queues):
            if len(chosen) == room:
                break
            chosen.append(queue.pop(0))
            if not queue:
                queues.remove(queue)
    return chosen


def _sandbox_for(language: str, lines: str, whole: str):
    """The sandbox, when the region passes the static check. The region is checked from the
    start of its first line (a method's lines, dedented: what runs of it); a region that
    starts or ends inside a function does not parse on its own: then the whole top-level
    statements it overlaps are what is checked (and they are what would run). What is sent
    to the sandbox later is checked again as a whole."""
    if language != "python":
        return None
    try:
        from mindgap.gate.sandbox import prepare_sandbox
    except ImportError:
        return None
    return prepare_sandbox(lines) or (prepare_sandbox(whole) if whole != lines else None)


def _whole_statements(document: SyntaxDocument, tree: object, start: int, end: int) -> str:
    index = document.index
    first, last = index.byte_offset(start), index.byte_offset(end)
    root = getattr(tree, "root_node", None)
    if root is None:
        return ""
    source = document.text.encode("utf-8", "surrogatepass")
    parts = [
        source[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
        for node in root.named_children
        if node.start_byte < last and first < node.end_byte
    ]
    return "\n\n".join(parts)


def check_answer(question: Question, given: str) -> AnswerResult:
    return AnswerResult(
        id=question.id,
        correct=bool(given.strip()) and question.accepts(given),
        given=given,
        expected=question.answer,
        explanation=question.explanation,
    )


def grade(quiz: Quiz, answers: dict[str, str]) -> Grade:
    """Every deciding question answered right passes; a warm-up is shown, never counted."""
    results = [check_answer(question, answers.get(question.id, "")) for question in quiz.questions]
    deciding = [r for r, q in zip(results, quiz.questions, strict=True) if q.decides_pass]
    score = sum(result.correct for result in deciding)
    passed = bool(deciding) and score == len(deciding)
    return Grade(results=results, score=score, total=len(deciding), passed=passed)


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
                kind=q.kind,
                decides_pass=q.decides_pass,
                warmup=q.warmup,
            )
            for q in quiz.questions
        ]
    )
