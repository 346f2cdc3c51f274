"""Who wrote each line of a file: git blame, looking through commits that only reformat.

git blame credits a line to the last commit that touched it, and a formatter's commit (black
over the whole repository) touches many lines it did not write. `blame` asks git, checks each
commit it names whose change to the file only reformatted it (knowledge/reformatting.py), and
asks again with those commits ignored (`--ignore-rev`: git passes their lines on to the
commits before) until every commit it names wrote code there. The revisions a repository lists
in `.git-blame-ignore-revs` (the convention GitHub's blame view follows) are ignored from the
start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mindgap.knowledge.reformatting import only_reformats
from mindgap.syntax.languages import language_for
from mindgap.vcs import batch_cat, git_output

BLAME_TIMEOUT_S = 300
IGNORE_REVS_FILE = ".git-blame-ignore-revs"
MAX_ROUNDS = 5  # a reformat of a reformat (black, then ruff format) needs a round each
_COMMIT = re.compile(rb"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_UNCOMMITTED = frozenset({"0" * 40, "0" * 64})


@dataclass(frozen=True)
class BlamedLine:
    line: int  # 1-based, in the version blamed
    commit: str
    original_line: int  # 1-based, in the commit's version of the file
    path: str  # the file's path in that commit
    author_email: str


def ignored_revisions(root: Path) -> frozenset[str]:
    """The commits the repository's `.git-blame-ignore-revs` lists (full ids; `#` starts a
    comment): declared to change no code."""
    try:
        text = (root / IGNORE_REVS_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return frozenset()
    listed = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return frozenset(sha for sha in listed if _COMMIT.match(sha.encode()))


def blame(
    root: Path,
    path: str,
    revision: str | None = "HEAD",
    *,
    ignore_whitespace: bool = False,
    follow_moves: bool = False,
) -> list[BlamedLine]:
    """Each line of `path` (relative to `root`) at `revision` (None: the work tree) with the
    commit that wrote it, reformatting looked through; [] when git cannot blame it."""
    options = [*(["-w"] if ignore_whitespace else []), *(["-M"] if follow_moves else [])]
    ignored = set(ignored_revisions(root))
    judged: set[str] = set()
    lines: list[BlamedLine] = []
    for _ in range(MAX_ROUNDS):
        output = git_output(
            root,
            "blame",
            *options,
            *(f"--ignore-rev={sha}" for sha in sorted(ignored)),
            "--line-porcelain",
            *([revision] if revision else []),
            "--",
            path,
            timeout=BLAME_TIMEOUT_S,
        )
        if output is None:
            return []
        lines, changes = _parsed(output)
        unjudged = {sha: change for sha, change in changes.items() if sha not in judged}
        judged.update(unjudged)
        reformats = _only_reformatting(root, unjudged)
        if not reformats:
            break
        ignored.update(reformats)
    return lines


def _parsed(output: bytes) -> tuple[list[BlamedLine], dict[str, tuple[str, str, str]]]:
    """`--line-porcelain` output as lines, and each commit's change to the file: (the
    commit before, the path there, the path in the commit); a commit with no commit
    before (the first, or the boundary) is left out."""
    lines: list[BlamedLine] = []
    changes: dict[str, tuple[str, str, str]] = {}
    sha, original, final, email, previous = "", 0, 0, "", None
    for raw in output.split(b"\n"):
        if raw[:1] == b"\t":  # the line's text ends its record
            continue
        parts = raw.split(b" ")
        if len(parts) >= 3 and _COMMIT.match(parts[0]) and parts[1].isdigit():
            sha, original, final = parts[0].decode(), int(parts[1]), int(parts[2])
            email, previous = "", None
        elif raw.startswith(b"author-mail "):
            email = raw[len(b"author-mail ") :].decode("utf-8", "replace").strip().strip("<>")
        elif raw.startswith(b"previous "):
            before, _, before_path = raw[len(b"previous ") :].partition(b" ")
            previous = (before.decode(), before_path.decode("utf-8", "surrogateescape"))
        elif raw.startswith(b"filename "):
            name = raw[len(b"filename ") :].decode("utf-8", "surrogateescape")
            lines.append(BlamedLine(final, sha, original, name, email))
            if previous is not None and sha not in _UNCOMMITTED:
                changes[sha] = (*previous, name)
    return lines, changes


def _only_reformatting(root: Path, changes: dict[str, tuple[str, str, str]]) -> set[str]:
    """The commits among `changes` whose change to the file only reformatted it."""
    asked = [
        (sha, before, before_path, path)
        for sha, (before, before_path, path) in changes.items()
        if language_for(path) is not None
    ]
    if not asked:
        return set()
    names = [name for sha, b, bp, p in asked for name in (f"{b}:{bp}", f"{sha}:{p}")]
    contents = batch_cat(root, names)
    found = set()
    for index, (sha, _, _, path) in enumerate(asked):
        old, new = contents[2 * index], contents[2 * index + 1]
        language = language_for(path)
        if old is None or new is None or language is None:
            continue
        if only_reformats(language, old, new):
            found.add(sha)
    return found
