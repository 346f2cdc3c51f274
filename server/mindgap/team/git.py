"""Running git for the team features: one place for errors, encodings and the environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

from mindgap.errors import UsageError
from mindgap.textfiles import resolved

GIT_TIMEOUT_S = 120


class GitError(UsageError):
    """git failed or is missing; the message says what to do."""


def git(
    root: Path, *args: str, input: bytes | None = None, check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    try:
        result = subprocess.run(
            ["git", "-C", str(root), *args],
            input=input,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed (or not on PATH)") from error
    except subprocess.TimeoutExpired as error:
        raise GitError(f"git {' '.join(args[:2])} took more than {GIT_TIMEOUT_S} s") from error
    if check and result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {' '.join(args[:3])} failed: {message}")
    return result


def git_text(root: Path, *args: str, input: bytes | None = None) -> str:
    return git(root, *args, input=input).stdout.decode("utf-8", "replace")


def repository_root(directory: str | None) -> Path:
    """The top of the work tree holding `directory` (default: the current folder)."""
    start = resolved(directory) if directory else Path.cwd()
    if not start.is_dir():
        raise UsageError(f"{start}: no such folder")
    result = git(start, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise UsageError(f"{start} is not inside a git repository")
    return Path(result.stdout.decode("utf-8").strip()).resolve()


def head_commit(root: Path) -> str | None:
    result = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


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
