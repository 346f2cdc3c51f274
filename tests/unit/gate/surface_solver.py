"""GATE.md's surface solver, and the functions of real packages it is run over.

The solver never traces the code: a multiple-choice question whose key is the only choice
written verbatim in the code it finds; vocabulary questions it knows; everything else it
guesses among the choices (a free answer it cannot guess). A quiz passes when every deciding
question is right, so its chance to pass a quiz is the product of its chances on those.
Shared by tests/unit/gate/test_surface_solver.py and bench/bench_surface_solver.py.
"""

from __future__ import annotations

import importlib.util
import logging
from dataclasses import dataclass, field
from pathlib import Path

from mindgap.gate.questions.base import Question, found_by_search
from mindgap.gate.quiz import MIN_QUESTIONS, Quiz, build_quiz
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

MIN_LINES = 5


def chance(question: Question, code_text: str) -> float:
    """The solver's chance of answering one question right."""
    if question.kind == "vocabulary":
        return 1.0
    if question.choices is None:
        return 0.0
    if found_by_search(question, code_text):
        return 1.0
    return 1.0 / len(question.choices)


def pass_chance(quiz: Quiz) -> float:
    deciding = [q for q in quiz.questions if q.decides_pass]
    if not deciding:
        return 0.0
    result = 1.0
    for question in deciding:
        result *= chance(question, quiz.region_text)
    return result


def functions(package: str, min_lines: int = MIN_LINES) -> list[tuple[SyntaxDocument, int, int]]:
    """(document, start, end) of every function and method of `min_lines`+ lines of an
    installed package (async functions and generators included)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return []
    python = language_named("python")
    found = []
    for path in sorted(Path(spec.submodule_search_locations[0]).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        document = SyntaxDocument(path.as_uri(), text, python)
        tree = document.tree
        assert tree is not None
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(reversed(node.named_children))
            if node.type != "function_definition":
                continue
            if node.end_point.row - node.start_point.row + 1 < min_lines:
                continue
            parent = node.parent
            outer = parent if parent is not None and parent.type == "decorated_definition" else node
            start = document.index.offset_of_point(*outer.start_point)
            end = document.index.offset_of_point(*outer.end_point)
            found.append((document, start, end))
    return found


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@dataclass
class Figures:
    functions: int = 0
    with_three: int = 0  # functions whose quiz has MIN_QUESTIONS+ questions
    questions: int = 0
    tracing: int = 0  # questions the solver can only guess
    expected_passes: float = 0.0  # the solver's summed pass chances
    offered: int = 0  # functions that got a quiz at all (the others: explain or hand-write)
    crashes: int = 0  # generators that raised
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def pass_rate(self) -> float:
        return self.expected_passes / self.functions if self.functions else 0.0

    @property
    def pass_rate_of_quizzes(self) -> float:
        """Of the quizzes offered: the stricter figure (no quiz cannot be passed by guessing)."""
        return self.expected_passes / self.offered if self.offered else 0.0

    @property
    def tracing_share(self) -> float:
        return self.tracing / self.questions if self.questions else 0.0

    @property
    def coverage(self) -> float:
        return self.with_three / self.functions if self.functions else 0.0

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.functions} functions, {self.offered} quizzes; solver pass rate "
            f"{self.pass_rate:.2%} of functions, {self.pass_rate_of_quizzes:.2%} of quizzes; "
            f"questions needing tracing {self.tracing_share:.1%} of {self.questions}; "
            f"3+ questions for {self.coverage:.1%}; generator crashes {self.crashes}"
        )


def measure(regions: list[tuple[SyntaxDocument, int, int]]) -> Figures:
    failures = _Failures()
    logger = logging.getLogger("mindgap.gate.quiz")
    logger.addHandler(failures)
    figures = Figures()
    try:
        for document, start, end in regions:
            quiz = build_quiz(document, start, end)
            figures.functions += 1
            figures.with_three += len(quiz.questions) >= MIN_QUESTIONS
            figures.offered += bool(quiz.questions)
            figures.expected_passes += pass_chance(quiz)
            for question in quiz.questions:
                figures.questions += 1
                figures.by_type[question.type] = figures.by_type.get(question.type, 0) + 1
                if question.kind == "tracing" and chance(question, quiz.region_text) < 1.0:
                    figures.tracing += 1
    finally:
        logger.removeHandler(failures)
    figures.crashes = failures.count
    return figures
