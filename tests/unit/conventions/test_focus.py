"""A focused observation is the whole-file observation restricted to the focus.

Checking a foreign region hands the observers the file focused on that region: they search
only the part of the tree around it. For every observer of every language, over real files
(the standard library, this repository's own code and tests, the VS Code client, and a
small corpus in the languages nothing on this machine is written in), the observations
inside any region must be exactly those the whole-file run makes there: the same sites,
choices and rewrites. Anything the observers need from the rest of the file (its imports,
its `__main__` block, its logger names, a run of `use`s that began before the region) must
still be found.
"""

from __future__ import annotations

import re
import sysconfig
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mindgap.conventions.dimensions import observers_for
from mindgap.conventions.dimensions.python_common import word_anchor
from mindgap.conventions.model import Observation, Observer, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex
from tests.unit.conventions.python_observe import source_file as python_source

REPO = Path(__file__).resolve().parents[3]
STDLIB = Path(sysconfig.get_paths()["stdlib"])
# testdata/ is never mined: these files mix styles on purpose
CORPUS_FOLDER = Path(__file__).parent / "testdata" / "focus"
LANGUAGES = {".py": "python", ".js": "javascript", ".ts": "typescript", ".tsx": "tsx"}
LANGUAGES |= {".go": "go", ".rs": "rust", ".java": "java"}

# (path, is a test file): real code that uses what the observers look for
CORPUS = [
    (STDLIB / "logging" / "__init__.py", False),  # loggers, getLogger, print to stderr
    (STDLIB / "ast.py", False),  # a __main__ block at the end, prints in main()
    (STDLIB / "argparse.py", False),  # % formatting, os.path, str.format
    (STDLIB / "pathlib.py", False),
    (STDLIB / "asyncio" / "tasks.py", False),  # typing, exceptions
    (STDLIB / "unittest" / "async_case.py", False),  # asyncio calls
    (STDLIB / "unittest" / "case.py", False),
    (STDLIB / "unittest" / "test" / "test_case.py", True),  # unittest-style tests
    (REPO / "server" / "mindgap" / "conventions" / "dimensions" / "python_logging.py", False),
    (REPO / "server" / "mindgap" / "conventions" / "repository.py", False),
    (REPO / "tests" / "unit" / "conventions" / "test_python_logging.py", True),  # pytest
    (REPO / "tests" / "cli" / "test_learn.py", True),
    *[(path, False) for path in sorted((REPO / "vscode-client" / "src").glob("*.ts"))],
    (REPO / "tests" / "e2e" / "vscode" / "fixture-completions" / "extension.js", False),
    *[(path, False) for path in sorted(CORPUS_FOLDER.iterdir())],
]
CORPUS = [(path, is_test) for path, is_test in CORPUS if path.is_file()]


@cache
def source(index: int) -> SourceFile:
    path, is_test = CORPUS[index]
    language = LANGUAGES[path.suffix]
    text = path.read_text(encoding="utf-8")
    tree = language_named(language).parser().parse(text.encode("utf-8", "surrogatepass"))
    return SourceFile(path.name, language, LineIndex(text), tree, is_test)


Site = tuple[str, str, str, int, int, tuple[tuple[str, str], ...]]


def site(observation: Observation) -> Site:
    o = observation
    return (o.dimension, o.aspect, o.choice, o.start, o.end, tuple(sorted(o.rewrites.items())))


@cache
def whole_file(index: int, observer_number: int) -> tuple[Site, ...]:
    observer = observers_for(source(index).language)[observer_number]
    return tuple(sorted(site(o) for o in observer.observe(source(index))))


def inside(sites: tuple[Site, ...] | list[Site], start: int, end: int) -> list[Site]:
    return sorted(s for s in sites if start <= s[3] and s[4] <= end)


def assert_focus_agrees(index: int, start: int, end: int) -> None:
    whole = source(index)
    focused = whole.focused(start, end)
    for number, observer in enumerate(observers_for(whole.language)):
        expected = inside(whole_file(index, number), start, end)
        found = inside([site(o) for o in observer.observe(focused)], start, end)
        assert found == expected, (CORPUS[index][0].name, observer.dimension, start, end)


@st.composite
def regions(draw: st.DrawFn) -> tuple[int, int, int]:
    """(file, start, end): any characters, or whole lines (as foreign regions usually are)."""
    index = draw(st.integers(0, len(CORPUS) - 1))
    text = source(index).text
    if draw(st.booleans()):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 4000)))
        return index, start, end
    starts = source(index).index.starts
    first = draw(st.integers(0, len(starts) - 1))
    last = draw(st.integers(first, min(len(starts), first + 80)))
    end = starts[last] if last < len(starts) else len(text)
    return index, starts[first], end


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(regions())
def test_focused_observations_equal_the_whole_file_restricted_to_the_region(
    region: tuple[int, int, int],
) -> None:
    assert_focus_agrees(*region)


@pytest.mark.parametrize("language", sorted(set(LANGUAGES.values())))
def test_the_corpus_exercises_every_observer(language: str) -> None:
    """Without sites to compare, the property above would prove nothing."""
    indexes = [i for i, (path, _) in enumerate(CORPUS) if LANGUAGES[path.suffix] == language]
    observers: list[Observer] = observers_for(language)
    silent = [
        observer.dimension
        for number, observer in enumerate(observers)
        if not any(whole_file(index, number) for index in indexes)
    ]
    assert indexes and not silent


def test_every_function_of_a_large_file_agrees() -> None:
    """Each function of argparse as a region on its own, the way foreign code usually comes."""
    index = next(i for i, (path, _) in enumerate(CORPUS) if path.name == "argparse.py")
    tree = source(index).tree
    stack = [tree.root_node]
    functions = 0
    while stack:
        node = stack.pop()
        if node.type == "function_definition":
            start, end = source(index).span(node)
            assert_focus_agrees(index, start, end)
            functions += 1
        stack.extend(node.named_children)
    assert functions > 100


@pytest.mark.parametrize("name", sorted(path.name for path in CORPUS_FOLDER.iterdir()))
def test_every_few_lines_of_the_small_corpus_agree(name: str) -> None:
    """Runs of lines starting on every line: regions that cut a statement list (a run of
    `use`s, an import block) anywhere."""
    index = next(i for i, (path, _) in enumerate(CORPUS) if path.name == name)
    starts = [*source(index).index.starts, len(source(index).text)]
    for first in range(len(starts) - 1):
        for length in (1, 2, 3, 5, 8, 13):
            last = min(first + length, len(starts) - 1)
            assert_focus_agrees(index, starts[first], starts[last])


LOGGING_MODULE = '''\
"""Exports."""
import logging
from logging import getLogger as obtain

audit = obtain("audit")


def export(rows):
    audit.info("exporting %d rows", len(rows))
    print(len(rows))
    return rows


if __name__ == "__main__":
    export([])
'''


def test_a_region_far_from_the_file_header_still_knows_the_file() -> None:
    """The logger bound under an imported alias, and the __main__ block below the region,
    are outside the focus; the focused run still reads them."""
    whole = python_source(LOGGING_MODULE, "pkg/export.py")
    start = LOGGING_MODULE.index("def export")
    end = LOGGING_MODULE.index("if __name__")
    (observer,) = [o for o in observers_for("python") if o.dimension == "logging"]
    focused = [site(o) for o in observer.observe(whole.focused(start, end))]
    output = [(s[2], LOGGING_MODULE[s[3] : s[4]]) for s in inside(focused, start, end)]
    # audit is a logger (obtain is logging.getLogger); print does not count in a script
    assert output == [("logger", "audit.info")]


@pytest.mark.parametrize(
    "words", [("import",), ("getLogger", "get_logger"), ("get", "getLogger", "_log", "x")]
)
def test_word_anchors_find_whole_words_as_a_word_boundary_pattern_does(
    words: tuple[str, ...],
) -> None:
    """The anchors that find a file's imports and loggers for a focused run: the same places
    as rb"\\b(?:...)\\b" (not `importlib`, `reimport`, `my_getLogger`), at the file's start too."""
    bounded = re.compile(rb"\b(?:" + b"|".join(re.escape(w.encode()) for w in words) + rb")\b")
    anchor = word_anchor(*words)
    texts = [path.read_bytes() for path, _ in CORPUS if path.suffix == ".py"]
    texts.append(b"import importlib, reimport\nx = my_getLogger() or getLogger_ or get_logger()")
    for text in texts:
        found = [match.span() for match in anchor.finditer(text)]
        assert found == [match.span() for match in bounded.finditer(text)]
    assert [m.group() for m in word_anchor("import").finditer(texts[-1])] == [b"import"]
