"""The one place that runs git: finding the repository, reading what it holds.

Every git process starts in `git()`, which fails in one way: GitError, a UsageError whose
message says what went wrong (git missing, too slow, or its own complaint). Callers for
whom git's absence is an answer ("no history here") use `git_output()`, which says None
instead. Every command finds its repository the same way: the work tree holding the folder
it starts from (`repository_for`, or `repository_root` where git itself is needed).

Long-running readers (a streamed `diff-tree`, a `cat-file --batch` kept open: the history
reader's) start in `git_process()`, with the same command line and the same error.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from mindgap.errors import UsageError
from mindgap.textfiles import resolved

GIT_TIMEOUT_S = 120


class GitError(UsageError):
    """git failed or is missing; the message says what to do."""


def git(
    root: Path,
    *args: str,
    input: bytes | None = None,
    check: bool = True,
    timeout: float = GIT_TIMEOUT_S,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess[bytes]:
    """Run `git args` in `root`; file names in its output are never quoted."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "-c", "core.quotePath=false", *args],
            input=input,
            capture_output=True,
            timeout=timeout,
            check=False,
            env={**os.environ, **env} if env is not None else None,
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed (or not on PATH)") from error
    except subprocess.TimeoutExpired as error:
        raise GitError(f"git {' '.join(args[:2])} took more than {timeout:g} s") from error
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from error
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args[:3])} failed: {message}")
    return result


def git_process(
    root: Path, *args: str, stdin: Any = subprocess.DEVNULL, stderr: Any = subprocess.DEVNULL
) -> subprocess.Popen[bytes]:
    """A git process whose output is read as it comes (`stdout` a pipe): a streamed diff,
    or a batch reader kept open. The caller waits for it (or kills it) and says what its
    exit status means."""
    try:
        return subprocess.Popen(
            ["git", "-C", str(root), "-c", "core.quotePath=false", *args],
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed (or not on PATH)") from error
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from error


def git_text(root: Path, *args: str, input: bytes | None = None) -> str:
    return git(root, *args, input=input).stdout.decode("utf-8", "replace")


def git_output(root: Path, *args: str, timeout: float = GIT_TIMEOUT_S) -> bytes | None:
    """git's output, or None when git is missing, too slow, or fails (no repository, no
    such revision): for callers that carry on without what git would have said."""
    try:
        return git(root, *args, timeout=timeout).stdout
    except GitError:
        return None


# -- which repository ------------------------------------------------------------------------


def work_tree(start: Path) -> Path | None:
    """The top of the git work tree holding `start` (the nearest folder with a `.git`
    folder or file), found without starting git: agent hooks and quizzes start fast."""
    start = resolved(start)
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def repository_for(directory: str | None, start: Path | None = None) -> Path:
    """The repository a command reads: `--repo` as given, else the work tree holding
    `start` (default: the current folder), else that folder itself (no git needed)."""
    if directory:
        return resolved(directory)
    folder = resolved(start) if start is not None else Path.cwd()
    if not folder.is_dir():
        folder = folder.parent
    return work_tree(folder) or folder


def repository_root(directory: str | None) -> Path:
    """Like `repository_for`, for commands that need git: a folder outside any work tree
    is a usage error."""
    start = resolved(directory) if directory else Path.cwd()
    if not start.is_dir():
        raise UsageError(f"{start}: no such folder")
    root = work_tree(start)
    if root is None:
        raise UsageError(f"{start} is not inside a git repository")
    return root


# -- what the repository holds ------------------------------------------------------------------


def head_commit(root: Path) -> str | None:
    result = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


def config_value(root: Path | None, key: str, timeout: float = 5) -> str | None:
    """A git setting (`user.email`) as the repository at `root` sees it; None if unset."""
    folder = root if root is not None and root.is_dir() else Path.cwd()
    output = git_output(folder, "config", key, timeout=timeout)
    value = output.decode("utf-8", "replace").strip() if output is not None else ""
    return value or None


def committed_text(path: str | Path, timeout: float = 10) -> str | None:
    """The file's content at HEAD in its repository; None if there is none (no repository,
    untracked, no commits, no git) or it is not UTF-8 text."""
    path = Path(path)
    content = git_output(path.parent, "show", f"HEAD:./{path.name}", timeout=timeout)
    if content is None or b"\0" in content[:8192]:
        return None
    try:
        return content.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None


def listed_files(root: Path) -> list[str] | None:
    """Tracked files and untracked ones git does not ignore, relative to `root`; None if
    this is no git work tree."""
    output = git_output(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if output is None:
        return None
    return [name for name in output.decode("utf-8", "surrogateescape").split("\0") if name]


def batch_sizes(root: Path, names: list[str]) -> list[int | None]:
    """The sizes of many objects in one git process; None for each that does not exist."""
    asked = [name for name in names if "\n" not in name and "\r" not in name]
    if not asked:
        return [None] * len(names)
    output = git(root, "cat-file", "--batch-check", input="\n".join(asked).encode() + b"\n")
    sizes: dict[str, int | None] = {}
    lines = output.stdout.decode("utf-8", "replace").split("\n")  # never splitlines: names
    for name, line in zip(asked, lines, strict=False):  # may hold \x0b, \x1c, \u2028...
        parts = line.split()
        found = len(parts) == 3 and parts[-1].isdigit() and not line.endswith(" missing")
        sizes[name] = int(parts[-1]) if found else None
    return [sizes.get(name) for name in names]


def batch_cat(root: Path, names: list[str]) -> list[bytes | None]:
    """The contents of many objects (`<sha>` or `<rev>:<path>`) in one git process; None
    for each that does not exist."""
    # a name with a line break (a hand-edited note's path) cannot be asked for: it is missing
    asked = [name for name in names if "\n" not in name and "\r" not in name]
    if not asked:
        return [None] * len(names)
    output = git(root, "cat-file", "--batch", input="\n".join(asked).encode() + b"\n").stdout
    answers: dict[str, bytes | None] = {}
    position = 0
    for name in asked:
        end = output.index(b"\n", position)
        header = output[position:end]
        position = end + 1
        if header.endswith((b" missing", b" ambiguous")):  # "<name> missing": names hold spaces
            answers[name] = None
            continue
        _, kind, size_text = header.split()
        size = int(size_text)
        answers[name] = output[position : position + size] if kind == b"blob" else None
        position += size + 1
    return [answers.get(name) for name in names]
