"""The Python conventions beyond naming, end to end: `mindgap learn`, then `mindgap check`.

One real git repository follows a convention on every dimension at once (24 modules, 24
tests). For each dimension, a snippet that breaks the convention is inserted into a new file
and must be flagged with that dimension, on the right range; a snippet that keeps every
convention must not be flagged at all.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import mindgap
from tests.fixtures.gitrepo import GitRepo

MODULE = '''"""Module {n}."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from .errors import LoadError

logger = logging.getLogger(__name__)


def load_{n}(root: Path, name: str | None = None) -> list[str]:
    """Read the lines of a data file.

    Args:
        root: the folder
        name: the file name
    """
    try:
        text = (root / "data_{n}.txt").read_text()
    except OSError as err:
        raise LoadError(f"cannot read {{root}}") from err
    logger.info(f"loaded {{name}}")
    return [line.strip() for line in text.splitlines()]


async def pause_{n}(seconds: float) -> None:
    """Wait a little.

    Args:
        seconds: how long
    """
    await asyncio.sleep(seconds)
'''

TESTS = '''"""Tests {n}."""

from pkg.module_{n} import load_{n}


def test_load_{n}_reads_lines(tmp_path):
    (tmp_path / "data_{n}.txt").write_text("a\\nb\\n")
    assert load_{n}(tmp_path) == ["a", "b"]
'''

KEEP = '''

def count_{n}(root: Path, name: str | None = None) -> list[str]:
    """Count the lines of a data file.

    Args:
        root: the folder
        name: the file name
    """
    try:
        text = (root / "count.txt").read_text()
    except OSError as err:
        raise LoadError(f"cannot count {{root}}") from err
    logger.info(f"counted {{name}}")
    return [line for line in text.splitlines()]
'''

HEADER = '''"""New module."""

from __future__ import annotations

import asyncio
import logging
import os
import trio
from pathlib import Path

from .errors import LoadError

logger = logging.getLogger(__name__)
'''

# dimension -> (the inserted code, the text of the site that breaks the convention)
BREAKS = {
    "quotes": ("LABEL = 'total'\n", "'total'"),
    "string-format": (
        'def label(name: str) -> str:\n    """Label."""\n    return "{}!".format(name)\n',
        '"{}!".format(name)',
    ),
    "path-handling": (
        'def data(root: str) -> str:\n    """Data."""\n    return os.path.join(root, "data.txt")\n',
        "os.path.join",
    ),
    "logging": (
        'def report(name: str) -> None:\n    """Report."""\n    print(f"loaded {name}")\n',
        "print",
    ),
    "imports": ("from pkg.errors import LoadError as Failure\n", "pkg.errors"),
    "type-hints": ('def scale(value, factor):\n    """Scale."""\n    return value\n', "scale"),
    "docstring": ("def shout(word: str) -> str:\n    return word.upper()\n", "shout"),
    "exceptions": (
        'def parse(text: str) -> int:\n    """Parse."""\n    try:\n'
        "        return int(text)\n    except Exception:\n        return 0\n",
        "except Exception",
    ),
    "comprehension": (
        'def names(rows: list[str]) -> list[str]:\n    """Names."""\n    found = []\n'
        "    for row in rows:\n        found.append(row.strip())\n    return found\n",
        "found = []\n    for row in rows:\n        found.append(row.strip())",
    ),
    "async": (
        'async def nap(seconds: float) -> None:\n    """Nap."""\n    await trio.sleep(seconds)\n',
        "trio.sleep",
    ),
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    root = tmp_path_factory.mktemp("conventions")
    repository = GitRepo(root / "repo")
    files: dict[str, str | bytes] = {
        "pkg/__init__.py": '"""The package."""\n',
        "pkg/errors.py": (
            '"""Errors."""\n\n\nclass LoadError(Exception):\n    """A load failed."""\n'
        ),
    }
    for n in range(24):
        files[f"pkg/module_{n}.py"] = MODULE.format(n=n)
        files[f"tests/test_module_{n}.py"] = TESTS.format(n=n)
    repository.commit("A repository with conventions", files)
    return repository


def check(repo: GitRepo, home: Path, name: str, text: str, first_line: int) -> list[dict]:
    """Convention findings for `name` whose lines from `first_line` (1-based) are foreign."""
    target = repo.path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    last = text.count("\n")
    result = mindgap(
        "check",
        str(target),
        "--inserted",
        f"{target}:{first_line}-{last}",
        "--repo",
        str(repo.path),
        "--format",
        "json",
        home=home,
    )
    target.unlink()
    assert result.returncode in (0, 1) and result.stdout, result.stderr
    return [f for f in json.loads(result.stdout)["findings"] if f["kind"] == "convention"]


def range_of(text: str, site: str) -> dict:
    start = text.index(site)
    end = start + len(site)

    def position(offset: int) -> dict:
        line = text.count("\n", 0, offset)
        return {"line": line, "character": offset - (text.rfind("\n", 0, offset) + 1)}

    return {"start": position(start), "end": position(end)}


def test_the_repository_conventions_are_learned(repo: GitRepo, tmp_path: Path) -> None:
    result = mindgap("learn", "--repo", str(repo.path), "--format", "json", home=tmp_path)
    assert result.returncode == 0, result.stderr
    rules = {
        (r["dimension"], r["aspect"], r["choice"])
        for r in json.loads(result.stdout)["rules"]
        if r["scope"] == "code" and r["language"] == "python"
    }
    assert {
        ("quotes", "string", "double"),
        ("quotes", "docstring", "double"),
        ("string-format", "formatting", "f-string"),
        ("path-handling", "paths", "pathlib"),
        ("logging", "output", "logger"),
        ("logging", "logger", "name"),
        ("imports", "package", "relative"),
        ("type-hints", "functions", "annotated"),
        ("type-hints", "optional", "pipe"),
        ("type-hints", "generics", "builtin"),
        ("docstring", "function", "documented"),
        ("docstring", "style", "google"),
        ("exceptions", "handler", "specific"),
        ("exceptions", "chaining", "from"),
        ("comprehension", "collections", "comprehension"),
        ("async", "library", "asyncio"),
    } <= rules


@pytest.mark.parametrize("dimension", sorted(BREAKS))
def test_code_that_breaks_a_convention_is_flagged_on_its_site(
    repo: GitRepo, tmp_path: Path, dimension: str
) -> None:
    inserted, site = BREAKS[dimension]
    text = HEADER + "\n\n" + inserted
    first = HEADER.count("\n") + 3
    findings = check(repo, tmp_path, "pkg/new.py", text, first)
    flagged = [f for f in findings if f["dimension"] == dimension]
    assert [f["range"] for f in flagged] == [range_of(text, site)], findings
    assert flagged[0]["code"] == f"convention/{dimension}"


def test_code_that_keeps_every_convention_is_not_flagged(repo: GitRepo, tmp_path: Path) -> None:
    text = HEADER + KEEP.format(n=1)
    assert check(repo, tmp_path, "pkg/new.py", text, HEADER.count("\n") + 2) == []


def test_test_style_is_learned_from_tests_and_checked_in_tests(
    repo: GitRepo, tmp_path: Path
) -> None:
    header = '"""New tests."""\n\nimport unittest\n\nfrom pkg.module_1 import load_1\n'
    breaking = (
        "\n\nclass LoadTest(unittest.TestCase):\n"
        "    def test_empty(self):\n"
        "        self.assertEqual(load_1(self.folder), [])\n"
    )
    text = header + breaking
    findings = check(repo, tmp_path, "tests/test_new.py", text, header.count("\n") + 2)
    flagged = {
        (f["evidence"]["rule"]["aspect"], json.dumps(f["range"]))
        for f in findings
        if f["dimension"] == "test-style"
    }
    assert flagged == {
        ("tests", json.dumps(range_of(text, "test_empty"))),
        ("assertion", json.dumps(range_of(text, "self.assertEqual(load_1(self.folder), [])"))),
    }
    keeping = "\n\ndef test_empty(tmp_path):\n    assert load_1(tmp_path) == []\n"
    kept = check(repo, tmp_path, "tests/test_new.py", header + keeping, header.count("\n") + 2)
    assert [f for f in kept if f["dimension"] == "test-style"] == []
