"""Finding shared code again: by the fingerprint of the whole lines it spans, and the commit
that holds it (git blame).

Commits are rewritten (rebase, squash, amend) and notes stay on the old commits; the code
they speak of usually survives. So an attestation counts wherever its lines are found in
the code of HEAD, whatever commit its note hangs on.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from mindgap.provenance.regions import FINGERPRINT_CHARS, fingerprint
from mindgap.textfiles import MAX_FILE_BYTES
from mindgap.vcs import batch_cat, batch_sizes, git

_BLAME_HEADER = re.compile(r"^([0-9a-f]{40}) \d+ (\d+)(?: \d+)?$")
UNCOMMITTED = "0" * 40


def line_fingerprint(lines: list[str], first: int, last: int) -> str:
    """The fingerprint of lines[first..last] (0-based, inclusive), blind to white space."""
    return fingerprint("\n".join(lines[first : last + 1]))


class CodeLocator:
    """Where spans of lines with a given fingerprint are, in a set of file texts.

    The windows of every span asked about in one file are fingerprinted in one pass: the
    fingerprint of lines first..last extends that of first..last-1 (it hashes the lines'
    words joined by single spaces), so each window costs one hash update, not a re-join of
    its lines. Call `prepare` with every (path, span) first; `locate` alone indexes the
    spans it has not seen, one at a time.

    The work is bounded: a file of N lines costs about N x its longest span hash updates,
    and all files together get WINDOW_BUDGET of them. Spans that would pass it (a note can
    claim a 100,000-line span on a 100,000-line file) are not looked for; `problems` says so.
    """

    WINDOW_BUDGET = 10_000_000  # hash updates: a few seconds at most

    def __init__(self, texts: dict[str, str | None]) -> None:
        self._lines = {path: text.split("\n") for path, text in texts.items() if text is not None}
        self._windows: dict[str, dict[tuple[int, str], int]] = {}
        self._indexed: dict[str, set[int]] = {}
        self._budget = self.WINDOW_BUDGET
        self.problems: list[str] = []

    def has(self, path: str) -> bool:
        return path in self._lines

    def prepare(self, spans: Iterable[tuple[str, int]]) -> None:
        wanted: dict[str, set[int]] = {}
        for path, span in spans:
            if path in self._lines and span >= 1 and span not in self._indexed.get(path, ()):
                wanted.setdefault(path, set()).add(span)
        for path, path_spans in wanted.items():
            self._index(path, path_spans)

    def locate(self, path: str, span: int, wanted: str) -> int | None:
        """The 0-based first line of a span of `span` lines with that fingerprint."""
        if path not in self._lines or span < 1:
            return None
        if span not in self._indexed.get(path, ()):
            self._index(path, {span})
        return self._windows.get(path, {}).get((span, wanted))

    def _index(self, path: str, spans: set[int]) -> None:
        lines = self._lines[path]
        self._indexed.setdefault(path, set()).update(spans)
        fitting = {span for span in spans if span <= len(lines)}
        too_long = set()
        while fitting and _steps(len(lines), max(fitting)) > self._budget:
            too_long.add(max(fitting))
            fitting.discard(max(fitting))
        if too_long:
            shown = len(lines) - (lines[-1] == "")  # a last line break ends no new line
            self.problems.append(
                f"{path}: attestations spanning {min(too_long):,} lines or more in its "
                f"{shown:,} lines were not looked for (the work would not be bounded)"
            )
        if not fitting:
            return
        longest = max(fitting)
        self._budget -= _steps(len(lines), longest)
        words = [" ".join(line.split()).encode("utf-8", "surrogatepass") for line in lines]
        windows = self._windows.setdefault(path, {})
        for first in range(len(lines) - 1, -1, -1):  # downwards: the first occurrence wins
            digest = hashlib.sha256()
            empty = True
            for span, line in enumerate(words[first : first + longest], start=1):
                if line:
                    digest.update(line if empty else b" " + line)
                    empty = False
                if span in fitting:
                    windows[(span, digest.hexdigest()[:FINGERPRINT_CHARS])] = first


def _steps(lines: int, longest: int) -> int:
    """Hash updates to index every window of up to `longest` lines in `lines` lines."""
    return lines * longest - longest * (longest - 1) // 2


def head_texts(root: Path, paths: list[str], rev: str = "HEAD") -> dict[str, str | None]:
    """The files' texts at `rev`; None for a file that is not there or larger than any file
    mindgap reads (MAX_FILE_BYTES): sizes are asked first, so a huge blob is never read."""
    names = [f"{rev}:{path}" for path in paths]
    sizes = batch_sizes(root, names)
    readable = [
        name
        for name, size in zip(names, sizes, strict=True)
        if size is not None and size <= MAX_FILE_BYTES
    ]
    contents = dict(zip(readable, batch_cat(root, readable), strict=True))
    texts: dict[str, str | None] = {}
    for path, name in zip(paths, names, strict=True):
        content = contents.get(name)
        texts[path] = content.decode("utf-8", "replace") if content is not None else None
    return texts


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
