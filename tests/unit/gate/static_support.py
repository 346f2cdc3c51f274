"""Building the code under quiz for the static question tests, and what every question must
look like whatever its type."""

from __future__ import annotations

import random
import re
import textwrap

from mindgap.gate.questions.base import CodeUnderQuiz, Question, QuestionGenerator
from mindgap.syntax.languages import language_named

FUNCTION_TYPES = (
    "function_definition",
    "function_declaration",
    "method_declaration",
    "method_definition",
    "function_item",
    "constructor_declaration",
)


def quiz_code(
    source: str,
    language: str = "python",
    *,
    function: str | None = None,
    seed: int = 0,
) -> CodeUnderQuiz:
    """The code as a generator sees it: the whole (dedented) source, or the byte range of
    the function named `function` (with its decorators)."""
    data = textwrap.dedent(source).lstrip("\n").encode("utf-8")
    tree = language_named(language).parser().parse(data)
    start, end = 0, len(data)
    if function is not None:
        node = _function_named(tree.root_node, function, data)
        if node.parent is not None and node.parent.type == "decorated_definition":
            node = node.parent
        start, end = node.start_byte, node.end_byte
    return CodeUnderQuiz(
        language=language,
        source=data,
        tree=tree,
        start_byte=start,
        end_byte=end,
        first_line=data[:start].count(b"\n") + 1,
        rng=random.Random(seed),
    )


def _function_named(root, name: str, data: bytes):
    stack = [root]
    while stack:
        node = stack.pop()
        if node.type in FUNCTION_TYPES:
            found = node.child_by_field_name("name")
            if found is not None and data[found.start_byte : found.end_byte].decode() == name:
                return node
        stack.extend(node.named_children)
    raise LookupError(f"no function {name!r}")


def ask(
    generator: QuestionGenerator,
    source: str,
    language: str = "python",
    *,
    function: str | None = None,
    seed: int = 0,
) -> list[Question]:
    """The generator's questions about the code, each checked for its shape."""
    code = quiz_code(source, language, function=function, seed=seed)
    questions = generator.generate(code)
    for question in questions:
        assert_well_formed(question, generator.type)
    return questions


def assert_well_formed(question: Question, kind: str | None = None) -> None:
    if kind is not None:
        assert question.type == kind
    assert question.prompt.strip() and question.explanation.strip()
    assert question.choices is not None, "static questions are multiple choice"
    assert 3 <= len(question.choices) <= 4, question
    assert len(set(question.choices)) == len(question.choices), question.choices
    assert question.answer in question.choices
    assert question.accepts(question.answer)
    for line in re.findall(r"\bline (\d+)", question.prompt):
        assert int(line) >= 1


def lines_of(question: Question) -> list[int]:
    """The line numbers offered as choices ("line 7" -> 7)."""
    assert question.choices is not None
    return [int(choice.removeprefix("line ")) for choice in question.choices]
