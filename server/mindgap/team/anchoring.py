"""Finding shared code again: by the fingerprint of the whole lines it spans, and the commit
that holds it (git blame).

Commits are rewritten (rebase, squash, amend) and notes stay on the old commits; the code
they speak of usually survives. So an attestation counts wherever its lines are found in
the code of HEAD, whatever commit its note hangs on.
"""

from __future__ import annotations

import re
from pathlib import Path

from mindgap.provenance.regions import fingerprint
from mindgap.team.git import batch_cat, git

_BLAME_HEADER = re.compile(r"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")
UNCOMMITTED = "0" * 40


def line_fingerprint(lines: list[str], first: int, last: int) -> str:
    """The fingerprint of lines[first..last] (0-based, inclusive), blind to white space."""
    return fingerprint("\n".join(lines[first : last + 1]))


class CodeLocator:
    """Where spans of lines with a given fingerprint are, in a set of file texts."""

    def __init__(self, texts: dict[str, str | None]) -> None:
        self._lines = {path: text.split("\n") for path, text in texts.items() if text is not None}
        self._windows: dict[tuple[str, int], dict[str, int]] = {}

    def has(self, path: str) -> bool:
        return path in self._lines

    def locate(self, path: str, span: int, wanted: str) -> int | None:
        """The 0-based first line of a span of `span` lines with that fingerprint."""
        lines = self._lines.get(path)
        if lines is None or span < 1:
            return None
        windows = self._windows.get((path, span))
        if windows is None:
            windows = {}
            for first in range(len(lines) - span, -1, -1):  # the first occurrence wins
                windows[line_fingerprint(lines, first, first + span - 1)] = first
            self._windows[(path, span)] = windows
        return windows.get(wanted)


def head_texts(root: Path, paths: list[str], rev: str = "HEAD") -> dict[str, str | None]:
    contents = batch_cat(root, [f"{rev}:{path}" for path in paths])
    return {
        path: content.decode("utf-8", "replace") if content is not None else None
        for path, content in zip(paths, contents, strict=True)
    }


def blame_commits(
    root: Path, path: str, spans: list[tuple[int, int]], rev: str | None = None
) -> list[str | None]:
    """For each (first, last) span of 1-based lines: the newest commit among its lines, or
    None when some line is not committed yet (or git cannot blame it)."""
    if not spans:
        return []
    ranges = [arg for first, last in spans for arg in ("-L", f"{first},{last}")]
    revision = [rev] if rev else []
    result = git(root, "blame", "--porcelain", *ranges, *revision, "--", path, check=False)
    if result.returncode != 0:
        return [None] * len(spans)
    line_commit: dict[int, str] = {}
    commit_time: dict[str, int] = {}
    current = None
    for line in result.stdout.decode("utf-8", "replace").split("\n"):
        match = _BLAME_HEADER.match(line)
        if match:
            current = match.group(1)
            line_commit[int(match.group(2))] = current
        elif line.startswith("committer-time ") and current is not None:
            commit_time[current] = int(line.split()[1])
    found: list[str | None] = []
    for first, last in spans:
        commits = {line_commit.get(number) for number in range(first, last + 1)}
        if None in commits or UNCOMMITTED in commits:
            found.append(None)
            continue
        found.append(max(commits, key=lambda c: (commit_time.get(c or "", 0), c)))
    return found
