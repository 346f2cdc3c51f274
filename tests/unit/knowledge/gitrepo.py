"""Real git repositories for tests: commits with chosen authors, dates and messages."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

ALICE = ("Alice Liddell", "alice@example.com")
BOB = ("Bob Builder", "bob@example.com")
COPILOT_TRAILER = "Co-authored-by: GitHub Copilot <copilot@github.com>"


def days_ago(days: float) -> datetime:
    return datetime.now(timezone.utc) - timedelta(days=days)


class GitRepo:
    def __init__(self, path: Path, author: tuple[str, str] = ALICE) -> None:
        self.path = path
        self.author = author
        path.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", author[0])
        self.git("config", "user.email", author[1])
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.path,
            capture_output=True,
            text=True,
            env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1", **(env or {})},
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    def write(self, name: str, content: str | bytes) -> None:
        path = self.path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    def append(self, name: str, content: str) -> None:
        path = self.path / name
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        self.write(name, old + content)

    def commit(
        self,
        message: str,
        files: dict[str, str | bytes] | None = None,
        *,
        author: tuple[str, str] | None = None,
        when: datetime | None = None,
        amend: bool = False,
    ) -> str:
        for name, content in (files or {}).items():
            self.write(name, content)
        self.git("add", "-A")
        name, email = author or self.author
        date = (when or days_ago(10)).strftime("%Y-%m-%dT%H:%M:%S+0000")
        env = {
            "GIT_AUTHOR_NAME": name,
            "GIT_AUTHOR_EMAIL": email,
            "GIT_AUTHOR_DATE": date,
            "GIT_COMMITTER_NAME": name,
            "GIT_COMMITTER_EMAIL": email,
            "GIT_COMMITTER_DATE": date,
        }
        extra = ["--amend"] if amend else []
        self.git("commit", "-q", "--allow-empty", *extra, "-m", message, env=env)
        return self.git("rev-parse", "HEAD")


def two_author_repo(path: Path) -> GitRepo:
    """Alice writes lambdas; Bob, a Copilot-trailered commit and an aider commit (both under
    Alice's email) write match statements. Alice never writes a match statement by hand."""
    repo = GitRepo(path)
    repo.commit(
        "Sort helpers",
        {"app.py": "def order(items):\n    return sorted(items, key=lambda item: item.rank)\n"},
        when=days_ago(40),
    )
    repo.append(
        "app.py",
        "\n\ndef describe(command):\n    match command:\n        case 'go':\n"
        "            return 1\n    return 0\n",
    )
    repo.commit("Describe commands", author=BOB, when=days_ago(30))
    repo.commit(
        "Route events\n\nGenerated with help.\n\n" + COPILOT_TRAILER,
        {
            "events.py": "def route(event):\n    match event.kind:\n"
            "        case _:\n            pass\n"
        },
        when=days_ago(20),
    )
    repo.commit(
        "Parse flags",
        {
            "flags.py": "def parse(flag):\n    match flag:\n"
            "        case '-v':\n            return 2\n"
        },
        author=("Alice Liddell (aider)", "alice@example.com"),
        when=days_ago(15),
    )
    repo.append("app.py", "\n\nBY_NAME = lambda item: item.name\n")
    repo.commit("Name key", when=days_ago(5))
    return repo
