"""`mindgap import`: lines of the developer's AI-marked commits still in the work tree become
`git` regions, on a real repository with trailers, aider, a git-ai note and Agent Trace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.ledger_fixtures import mindgap
from tests.fixtures.gitrepo import ALICE, BOB, COPILOT_TRAILER, GitRepo, days_ago

LIB = (
    "def slug(title):\n    words = title.split()\n    joined = '-'.join(words)\n    return joined\n"
)
NOTED = "def a():\n    return 1\n\n\ndef b():\n    return 2\n"


def git_ai_log(path: str, lines: str) -> str:
    """A git-ai authorship log (Git AI Standard v3.0.0) for one file."""
    metadata = {
        "schema_version": "authorship/3.0.0",
        "base_commit_sha": "0" * 40,
        "prompts": {
            "d9978a8723e02b52": {
                "agent_id": {"tool": "claude", "id": "6ef2299e", "model": "claude-opus-4"},
                "messages": [],
                "total_additions": 2,
                "total_deletions": 0,
                "accepted_lines": 2,
                "overriden_lines": 0,
            }
        },
    }
    return f"{path}\n  d9978a8723e02b52 {lines}\n---\n{json.dumps(metadata, indent=2)}\n"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo", author=ALICE)
    repo.commit("Start", {"base.py": "VALUE = 1\n"}, when=days_ago(50))
    repo.commit(
        "Slugs\n\n" + COPILOT_TRAILER, {"lib.py": LIB}, when=days_ago(40)
    )  # all four lines by Copilot
    repo.commit(
        "Flags",
        {"flags.py": "def parse(flag):\n    return flag.lstrip('-')\n"},
        author=("Alice Liddell (aider)", ALICE[1]),
        when=days_ago(35),
    )
    noted = repo.commit("Two functions", {"noted.py": NOTED}, when=days_ago(30))
    repo.git("notes", "--ref=refs/notes/ai", "add", "-m", git_ai_log("noted.py", "5-6"), noted)
    traced = repo.commit(
        "Totals",
        {"trace.py": "def total(xs):\n    return sum(xs)\n\n\nLIMIT = 3\n"},
        when=days_ago(25),
    )
    record = {
        "version": "0.1.0",
        "id": "2b7c3c1e-0b0a-4f43-9d51-8d5c1a1e2f00",
        "timestamp": "2026-11-01T10:00:00Z",
        "vcs": {"type": "git", "revision": traced},
        "tool": {"name": "cursor"},
        "files": [
            {
                "path": "trace.py",
                "conversations": [
                    {
                        "contributor": {"type": "ai", "model_id": "gpt-5"},
                        "ranges": [{"start_line": 1, "end_line": 2}],
                    }
                ],
            }
        ],
    }
    repo.commit(
        "Keep agent traces",
        {".agent-trace/traces.jsonl": json.dumps(record) + "\n"},
        when=days_ago(24),
    )
    repo.commit(
        "Bob's helper\n\n" + COPILOT_TRAILER,
        {"bob.py": "def helper():\n    return 'bob'\n"},
        author=BOB,
        when=days_ago(20),
    )
    # Alice moves the aider file, then rewrites one of Copilot's lines by hand
    repo.git("mv", "flags.py", "options.py")
    repo.commit("Rename flags", when=days_ago(12))
    repo.commit(
        "Lower-case slugs",
        {"lib.py": LIB.replace("title.split()", "title.lower().split()")},
        when=days_ago(10),
    )
    return repo


def foreign(repo: GitRepo, home: Path, name: str) -> list[tuple[int, int, str]]:
    result = mindgap("check", str(repo.path / name), "--format", "json", home=home)
    assert result.returncode in (0, 1), result.stderr
    return [
        (f["range"]["start"]["line"] + 1, f["range"]["end"]["line"] + 1, f["message"])
        for f in json.loads(result.stdout)["findings"]
        if f["kind"] == "foreign-region"
    ]


def test_import_turns_the_ai_marked_lines_still_there_into_git_regions(
    repo: GitRepo, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    result = mindgap("import", "--repo", str(repo.path), home=home)
    assert result.returncode == 0, result.stderr
    assert "5 region(s)" in result.stdout, result.stdout

    lib = foreign(repo, home, "lib.py")
    assert [(a, b) for a, b, _ in lib] == [(1, 1), (3, 4)]  # line 2 is Alice's now
    assert "AI-assisted commit" in lib[0][2] and "GitHub Copilot" in lib[0][2]
    assert [(a, b) for a, b, _ in foreign(repo, home, "options.py")] == [(1, 2)]  # renamed
    ((first, last, message),) = foreign(repo, home, "noted.py")
    assert (first, last) == (5, 6) and "claude, claude-opus-4" in message
    ((first, last, message),) = foreign(repo, home, "trace.py")
    assert (first, last) == (1, 2) and "cursor, gpt-5" in message
    assert foreign(repo, home, "bob.py") == []  # another developer's commit
    assert foreign(repo, home, "base.py") == []

    again = mindgap("import", "--repo", str(repo.path), home=home)
    assert again.returncode == 0
    assert "0 region(s)" in again.stdout and "5 already imported" in again.stdout
    assert len(foreign(repo, home, "lib.py")) == 2


def test_import_since_leaves_older_commits_out(repo: GitRepo, tmp_path: Path) -> None:
    home = tmp_path / "home"
    since = days_ago(32).strftime("%Y-%m-%d")
    result = mindgap("import", "--repo", str(repo.path), "--since", since, home=home)
    assert result.returncode == 0, result.stderr
    assert foreign(repo, home, "lib.py") == [] and foreign(repo, home, "options.py") == []
    assert [(a, b) for a, b, _ in foreign(repo, home, "noted.py")] == [(5, 6)]


def test_import_outside_a_repository_is_a_one_line_error(tmp_path: Path) -> None:
    result = mindgap("import", "--repo", str(tmp_path), home=tmp_path / "home")
    assert result.returncode == 2
    assert result.stderr.startswith("mindgap: ") and len(result.stderr.strip().splitlines()) == 1


def test_a_reformat_of_ai_lines_leaves_them_foreign(tmp_path: Path) -> None:
    """Alice runs black over Copilot's lines (the quotes of line 3): the reformat wrote
    nothing, so all four are still the assistant's."""
    repo = GitRepo(tmp_path / "repo", author=ALICE)
    repo.commit("Slugs\n\n" + COPILOT_TRAILER, {"lib.py": LIB}, when=days_ago(40))
    repo.commit("apply black", {"lib.py": LIB.replace("'-'", '"-"')}, when=days_ago(30))
    home = tmp_path / "home"
    assert mindgap("import", "--repo", str(repo.path), home=home).returncode == 0
    assert [(a, b) for a, b, _ in foreign(repo, home, "lib.py")] == [(1, 4)]
