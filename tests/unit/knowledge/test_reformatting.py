"""A change that only reformats code is neither practice nor authorship.

`only_reformats` compares two versions of a file by their syntax trees' tokens, formatting
left out; git blame looks through such commits (knowledge/authorship.py, and a repository's
.git-blame-ignore-revs), and the history does not count them as practice. Histories here are
real git repositories built in the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mindgap.knowledge.authorship import blame
from mindgap.knowledge.own_code import blamed_lines
from mindgap.knowledge.profile import Profile, update_profile
from mindgap.knowledge.reformatting import formatting_key, only_reformats
from mindgap.ledger.database import Database
from mindgap.syntax.languages import language_named
from tests.fixtures.gitrepo import ALICE, BOB, GitRepo, days_ago

PYTHON = language_named("python")

# what black (or ruff format) does to code: the same program, laid out anew
REFORMATS = {
    "spaces, line breaks and a magic trailing comma": (
        "x = foo( a,b )\n",
        "x = foo(\n    a,\n    b,\n)\n",
    ),
    "quotes and an escaped quote": ("s = u'it\\'s'\n", 's = "it\'s"\n'),
    "a string prefix's case": ("s = F'{x}'\n", 's = f"{x}"\n'),
    "parentheses around an expression": ("return (a + b)\n", "return a + b\n"),
    "an import list in parentheses": ("from a import (b,\n    c,)\n", "from a import b, c\n"),
    "a tuple made explicit": ("colors = 'red', 'blue'\n", 'colors = ("red", "blue")\n'),
    "a docstring re-indented": (
        "def f():\n  '''  Add.\n     Twice.  '''\n  return 1\n",
        'def f():\n    """Add.\n    Twice."""\n    return 1\n',
    ),
    "adjacent strings joined": (
        "raise TypeError('no '\n    'callback')\n",
        'raise TypeError("no callback")\n',
    ),
    "a float's spelling": ("x = 1. + .5 + 0XFF\n", "x = 1.0 + 0.5 + 0xFF\n"),
    "a comment's spacing": ("x = 1 #note\n", "x = 1  # note\n"),
    "a semicolon and a backslash": ("a = 1; b = \\\n  2\n", "a = 1\nb = 2\n"),
    "a one-element tuple in parentheses": ("return 'Hello',\n", 'return ("Hello",)\n'),
    "chained assignment targets in parentheses": (
        "a = b = \\\n    c = None\n",
        "a = (\n    b\n) = c = None\n",
    ),
}

# changes that look like formatting but change the code
REWRITES = {
    "str.format made an f-string": ("s = '{}'.format(x)\n", 's = f"{x}"\n'),
    "grouping that changes the result": ("y = (a + b) * c\n", "y = a + b * c\n"),
    "a one-element tuple unpacked": ("x = 1,\n", "x = 1\n"),
    "a quote changed inside a string": ("r = r\"'(.*?)'\"\n", "r = r'\"(.*?)\"'\n"),
    "spaces inside a string": ("s = '  x'\n", "s = 'x'\n"),
    "a comment's words": ("x = 1  # hi\n", "x = 1  # ho\n"),
    "a call split into two": ("x = foo(a)(b)\n", "x = foo(a, b)\n"),
    "a name": ("total = a + b\n", "summe = a + b\n"),
    "a subscript's tuple made an index": ("x = a[1,]\n", "x = a[1]\n"),
    "a one-element tuple made a value": ("x = (1,)\n", "x = (1)\n"),
}


@pytest.mark.parametrize("name", REFORMATS)
def test_a_formatters_change_only_reformats(name: str) -> None:
    old, new = (text.encode() for text in REFORMATS[name])
    assert formatting_key(old) == formatting_key(new)
    assert only_reformats(PYTHON, old, new)


@pytest.mark.parametrize("name", REWRITES)
def test_a_changed_token_is_writing_code(name: str) -> None:
    old, new = (text.encode() for text in REWRITES[name])
    assert not only_reformats(PYTHON, old, new)


def test_an_unchanged_or_unparsable_file_is_no_reformat() -> None:
    assert not only_reformats(PYTHON, b"x = 1\n", b"x = 1\n")
    assert not only_reformats(PYTHON, b"x = (1\n", b"x = 1\n")


def test_javascript_quotes_semicolons_and_trailing_commas() -> None:
    javascript = language_named("javascript")
    assert only_reformats(javascript, b"const a = 'x';\nf(a,b,)\n", b'const a = "x"\nf(a, b)\n')
    assert not only_reformats(javascript, b"const a = `x${b}`\n", b"const a = `y${b}`\n")


# -- in a real history -------------------------------------------------------------------------

ORIGINAL = """import math


def wave(t, damping):
    return math.exp(-damping*t)*math.cos(t)


def label(name):
    return 'wave: ' + \\
        name
"""
BLACKENED = """import math


def wave(t, damping):
    return math.exp(-damping * t) * math.cos(t)


def label(name):
    return "wave: " + name
"""
REWRITTEN = BLACKENED.replace('"wave: " + name', 'f"wave: {name!r}"')


def _history(path: Path, reformatter: tuple[str, str]) -> GitRepo:
    """Alice writes `wave.py` six years ago; `reformatter` runs black over it last year."""
    repo = GitRepo(path, ALICE)
    repo.commit("Add waves", {"wave.py": ORIGINAL}, when=days_ago(6 * 365))
    repo.commit("apply black", {"wave.py": BLACKENED}, author=reformatter, when=days_ago(365))
    return repo


def test_blame_looks_through_a_colleagues_reformat(tmp_path: Path) -> None:
    repo = _history(tmp_path / "repo", BOB)
    lines = blame(repo.path, "wave.py", "HEAD", ignore_whitespace=True, follow_moves=True)
    assert {line.author_email for line in lines} == {ALICE[1]}
    assert blamed_lines(repo.path, "wave.py", [ALICE[1]]) == list(range(1, 10))
    assert blamed_lines(repo.path, "wave.py", [BOB[1]]) == []


def test_a_changed_token_after_the_reformat_is_the_colleagues(tmp_path: Path) -> None:
    repo = _history(tmp_path / "repo", BOB)
    repo.commit("f-strings everywhere", {"wave.py": REWRITTEN}, author=BOB, when=days_ago(300))
    assert blamed_lines(repo.path, "wave.py", [BOB[1]]) == [9]
    assert 9 not in blamed_lines(repo.path, "wave.py", [ALICE[1]])


def test_blame_honours_the_repositorys_ignore_revs_file(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo", ALICE)
    repo.commit("Add waves", {"wave.py": BLACKENED}, when=days_ago(900))
    rewrite = repo.commit("pyupgrade", {"wave.py": REWRITTEN}, author=BOB, when=days_ago(300))
    assert blamed_lines(repo.path, "wave.py", [BOB[1]]) == [9]
    repo.commit(
        "Ignore the pyupgrade run in blame",
        {".git-blame-ignore-revs": f"# pyupgrade\n{rewrite}\n"},
        when=days_ago(299),
    )
    assert blamed_lines(repo.path, "wave.py", [BOB[1]]) == []


def _profile(repo: GitRepo, tmp_path: Path) -> tuple[Profile, dict[str, int]]:
    database = Database(tmp_path / "home" / "mindgap.sqlite3")
    (update,) = update_profile(database, ALICE[1], [repo.path])
    return Profile.load(database, ALICE[1]), update.skipped


def test_the_developers_own_reformat_is_no_practice(tmp_path: Path) -> None:
    """Alice ran black herself: `math.cos` was still last written six years ago."""
    repo = _history(tmp_path / "repo", ALICE)
    profile, skipped = _profile(repo, tmp_path)
    cos = profile.familiarity("python/api:math.cos")
    assert cos.count == 1
    assert cos.last_written is not None
    assert cos.last_written.date() == days_ago(6 * 365).date()
    assert skipped.get("only reformatted") == 1


def test_the_developers_rewrite_is_practice(tmp_path: Path) -> None:
    """The f-string she wrote last year is hers, and so is the practice."""
    repo = _history(tmp_path / "repo", ALICE)
    repo.commit("f-strings everywhere", {"wave.py": REWRITTEN}, when=days_ago(300))
    profile, skipped = _profile(repo, tmp_path)
    written = profile.familiarity("python/fstring-conversion").last_written
    assert written is not None and written.date() == days_ago(300).date()
    assert profile.familiarity("python/api:math.cos").count == 1
    assert skipped.get("only reformatted") == 1


def test_a_commit_the_repository_declares_mechanical_is_no_practice(tmp_path: Path) -> None:
    """Alice's pyupgrade run changed tokens, but the repository lists it in
    .git-blame-ignore-revs: its f-string is not her practice."""
    repo = GitRepo(tmp_path / "repo", ALICE)
    repo.commit("Add waves", {"wave.py": BLACKENED}, when=days_ago(900))
    rewrite = repo.commit("pyupgrade", {"wave.py": REWRITTEN}, when=days_ago(300))
    repo.commit("Blame", {".git-blame-ignore-revs": f"{rewrite}  # pyupgrade\n"}, when=days_ago(9))
    profile, _ = _profile(repo, tmp_path)
    assert "python/api:math.cos" in profile.written
    assert "python/fstring-conversion" not in profile.written
