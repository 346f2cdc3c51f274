"""docs/questions-static.md and docs/questions-exec.md are generated from the question
modules and must stay in step with them, the way docs/conventions.md is with the observers."""

from __future__ import annotations

from pathlib import Path

import pytest

from mindgap.gate.question_docs import DOCS, example_lines, pages, question_modules
from mindgap.gate.questions import all_generators


@pytest.mark.parametrize("name", ["questions-static.md", "questions-exec.md"])
def test_the_pages_are_what_the_question_modules_generate(name: str) -> None:
    assert (DOCS / name).read_text(encoding="utf-8") == pages()[name], (
        f"docs/{name} is stale: run `python -m mindgap.gate.question_docs`"
    )


def test_every_question_type_is_documented_with_its_marks_and_an_example() -> None:
    generated = pages()
    text = "\n".join(generated.values())
    modules = question_modules()
    assert sum(len(m.generators) for m in modules) == len(all_generators())
    for module in modules:
        assert module.docstring, f"{module.name} has no docstring"
        assert example_lines(module.docstring), f"{module.name}'s docstring shows no example"
        for generator in module.generators:
            assert text.count(f"### `{generator.type}`") == 1, generator.type
    # a type that runs code is documented with the execution types, the others with the static
    assert "### `return-value`" in generated["questions-exec.md"]
    assert "### `false-branch`" in generated["questions-static.md"]
    assert "never decides" in generated["questions-static.md"].split("### `calls`")[1][:200]


def test_the_command_writes_both_pages(tmp_path: Path) -> None:
    from mindgap.gate import question_docs

    assert question_docs.main([str(tmp_path)]) == 0
    for name, text in pages().items():
        assert (tmp_path / name).read_text(encoding="utf-8") == text
