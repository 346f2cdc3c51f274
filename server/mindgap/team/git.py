"""Running git for the team features: one place for errors, encodings and the environment."""

from __future__ import annotations

import subprocess
from pathlib import Path

from mindgap.cli import UsageError

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
    start = Path(directory).resolve() if directory else Path.cwd()
    if not start.is_dir():
        raise UsageError(f"{start}: no such folder")
    result = git(start, "rev-parse", "--show-toplevel", check=False)
    if result.returncode != 0:
        raise UsageError(f"{start} is not inside a git repository")
    return Path(result.stdout.decode("utf-8").strip()).resolve()


def head_commit(root: Path) -> str | None:
    result = git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    return result.stdout.decode().strip() or None if result.returncode == 0 else None


def batch_cat(root: Path, names: list[str]) -> list[bytes | None]:
    """The contents of many objects (`<sha>` or `<rev>:<path>`) in one git process; None
    for each that does not exist."""
    if not names:
        return []
    if any("\n" in name for name in names):
        raise GitError("object names with line breaks cannot be read")
    output = git(root, "cat-file", "--batch", input="\n".join(names).encode() + b"\n").stdout
    found: list[bytes | None] = []
    position = 0
    for _ in names:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] in (b"missing", b"ambiguous"):
            found.append(None)
            continue
        size = int(header[2])
        found.append(output[position : position + size] if header[1] == b"blob" else None)
        position += size + 1
    return found
