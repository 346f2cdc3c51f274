"""A developer's code in git history: which constructs they wrote in which commit.

Two git processes read the history once, whatever its length:

1. `git log -z` lists the developer's non-merge commits that touch files of a language with
   a construct catalogue (metadata only: id, author, time, message), and marks the
   AI-assisted ones: Co-authored-by (or Assisted-by / Generated-by) trailers naming an AI
   tool, aider's "(aider)" author name, and a git-ai note under `refs/notes/ai`.
2. `git diff-tree --stdin -p -U0 -M -w` gives, for those commits, the added line numbers of every
   changed file, and the new blob's id; `git cat-file --batch` reads the blob, which is
   parsed, and the catalogue's constructs that start on an added line are what that commit
   wrote.

Binary, huge and non-UTF-8 blobs, symlinks, submodules and files of other languages are
skipped (and counted in `ScanStats.skipped`). Nothing here touches the store: see profile.py.
"""

from __future__ import annotations

import functools
import re
import subprocess
import tempfile
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from typing import IO, cast

import tree_sitter

from mindgap.knowledge.catalogue import Catalogue, ConstructHit, catalogue, has_catalogue
from mindgap.knowledge.notebook_history import NOTEBOOK_PATHSPEC, notebook_as_code
from mindgap.notebooks import is_notebook
from mindgap.syntax.languages import LANGUAGES, LanguageSpec, language_for, language_named
from mindgap.textfiles import MAX_FILE_BYTES

GIT_TIMEOUT_S = 60
HISTORY_TIMEOUT_S = 1800  # listing a very long history

# Each AI tool with what it puts in a trailer (name or email); word-bounded where a person
# could carry the name (a human "Devin" or "Cody" co-author is not an assistant).
AI_TOOLS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (tool, re.compile(pattern, re.IGNORECASE))
    for tool, pattern in (
        ("GitHub Copilot", r"copilot"),
        ("Claude", r"\bclaude\b|anthropic"),
        ("ChatGPT", r"chatgpt"),
        ("OpenAI Codex", r"openai|\bcodex\b"),
        ("Cursor", r"\bcursor(?:agent|[ -]agent)?\b|cursor\.(?:com|sh)"),
        ("Codeium", r"codeium"),
        ("Windsurf", r"windsurf"),
        ("Gemini", r"\bgemini\b"),
        ("Devin", r"devin-ai|\bdevin ai\b|devin\.ai"),
        ("aider", r"\baider\b"),
        ("Tabnine", r"tabnine"),
        ("Amazon Q", r"\bamazon q\b|codewhisperer"),
        ("Sourcegraph Cody", r"sourcegraph"),
        ("Continue", r"^continue\b|continue\.dev"),
        ("JetBrains Junie", r"\bjunie\b|jetbrains ai"),
        ("Amp", r"ampcode\.com"),
        ("Jules", r"google-labs-jules"),
        ("opencode", r"\bopencode\b"),
        ("Replit Agent", r"\breplit[ -]agent\b"),
    )
)
_AI_TRAILER = re.compile(
    r"^(?:co-authored-by|assisted-by|generated-by):[ \t]*(.+?)[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_HUNK = re.compile(rb"^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_INDEX = re.compile(rb"^index [0-9a-f]+\.\.([0-9a-f]+)(?: (\d+))?")
_COMMIT_LINE = re.compile(rb"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_SPECIAL_MODES = (b"120000", b"160000")  # symlink, submodule: not source text
_C_ESCAPES = {
    ord("a"): 7,
    ord("b"): 8,
    ord("t"): 9,
    ord("n"): 10,
    ord("v"): 11,
    ord("f"): 12,
    ord("r"): 13,
    ord('"'): 34,
    ord("\\"): 92,
}


class HistoryError(Exception):
    """The repository's history cannot be read; the message says why."""


@dataclass(frozen=True)
class Commit:
    sha: str
    author_name: str
    author_email: str
    time: float  # author date, epoch seconds
    message: str
    assisted_by: str | None = None  # why it counts as AI-assisted, None if by hand


@dataclass(frozen=True)
class WrittenConstruct:
    key: str  # e.g. "python/match-statement"
    path: str  # relative to the repository root, "/"-separated
    line: int  # 1-based, in the commit's version of the file


@dataclass
class ScanStats:
    commits: int = 0
    files: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> files


def ai_marker(author_name: str, message: str) -> str | None:
    """Why a commit counts as AI-assisted from its author and message, or None."""
    if "(aider)" in author_name.lower():
        return "aider author"
    for value in _AI_TRAILER.findall(message):
        for tool, pattern in AI_TOOLS:
            if pattern.search(value):
                return f"co-authored by {tool}"
    return None


def supported_languages() -> list[LanguageSpec]:
    """The languages whose files history scanning reads: those with a construct catalogue."""
    return [spec for spec in LANGUAGES if has_catalogue(spec.name)]


class Repository:
    """One git repository, read through the `git` executable."""

    def __init__(self, path: Path | str) -> None:
        path = Path(path).expanduser()
        if not path.is_dir():
            raise HistoryError(f"{path}: no such folder")
        try:
            result = self._run(["rev-parse", "--show-toplevel"], cwd=path)
        except HistoryError as error:
            raise HistoryError(f"{path} is not in a git repository ({error})") from error
        self.root = Path(result.decode("utf-8", "surrogateescape").strip()).resolve()

    # -- plumbing ------------------------------------------------------------------------

    @staticmethod
    def _run(
        args: list[str], cwd: Path, check: bool = True, timeout: float = GIT_TIMEOUT_S
    ) -> bytes:
        try:
            result = subprocess.run(
                ["git", "-c", "core.quotePath=false", *args],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except FileNotFoundError as error:
            raise HistoryError("git is not installed (or not on PATH)") from error
        except (OSError, subprocess.SubprocessError) as error:
            raise HistoryError(f"git {args[0]} failed: {error}") from error
        if check and result.returncode != 0:
            message = result.stderr.decode("utf-8", "replace").strip().splitlines()
            raise HistoryError(message[-1] if message else f"git {args[0]} failed")
        return result.stdout

    def git(self, *args: str, check: bool = True, timeout: float = GIT_TIMEOUT_S) -> bytes:
        return self._run(list(args), cwd=self.root, check=check, timeout=timeout)

    # -- questions -----------------------------------------------------------------------

    def head(self) -> str | None:
        """The commit HEAD points at; None in a repository without commits."""
        out = self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return out.decode("ascii").strip() or None

    def is_ancestor(self, commit: str, of: str) -> bool:
        """Whether `commit` exists and is `of` or one of its ancestors."""
        result = subprocess.run(
            ["git", "merge-base", "--is-ancestor", commit, of],
            cwd=self.root,
            capture_output=True,
            timeout=GIT_TIMEOUT_S,
            check=False,
        )
        return result.returncode == 0

    def ai_noted(self) -> frozenset[str]:
        """Commits with a git-ai note (`refs/notes/ai`)."""
        out = self.git("notes", "--ref=refs/notes/ai", "list", check=False)
        return frozenset(
            parts[1]
            for line in out.decode("ascii", "replace").splitlines()
            if len(parts := line.split()) == 2
        )

    def commits(
        self, emails: Iterable[str], since: str | None = None, until: str = "HEAD"
    ) -> list[Commit]:
        """The non-merge commits authored under any of `emails` (case-insensitive) that
        touch supported files, oldest first: all reachable from `until`, or those after
        `since` (`since..until`)."""
        wanted = {email.strip().lower() for email in emails if email.strip()}
        pathspecs = _pathspecs()
        if not wanted or not pathspecs or (until == "HEAD" and self.head() is None):
            return []
        noted = self.ai_noted()
        revision = f"{since}..{until}" if since else until
        out = self.git(
            "log",
            "-z",
            "--reverse",
            "--topo-order",
            "--no-merges",
            "--format=%H%x1f%an%x1f%ae%x1f%at%x1f%B",
            # git narrows by author first (any of them matches); the exact check is below
            "--regexp-ignore-case",
            "--fixed-strings",
            *(f"--author=<{email}>" for email in sorted(wanted)),
            revision,
            "--",
            *pathspecs,
            timeout=HISTORY_TIMEOUT_S,
        )
        commits = []
        for record in out.split(b"\0"):
            fields = record.decode("utf-8", "replace").split("\x1f", 4)
            if len(fields) != 5:
                continue
            sha, name, email, when, message = fields
            if email.strip().lower() not in wanted:
                continue
            marker = ai_marker(name, message)
            if marker is None and sha in noted:
                marker = "git-ai note"
            commits.append(
                Commit(sha, name, email, float(when or 0), message.strip(), assisted_by=marker)
            )
        return commits

    # -- the constructs each commit added ------------------------------------------------

    def scan(
        self,
        commits: list[Commit],
        *,
        foreign_lines: Callable[[str], frozenset[str]] | None = None,
        on_commit: Callable[[Commit], None] | None = None,
        stats: ScanStats | None = None,
    ) -> Iterator[tuple[Commit, list[WrittenConstruct]]]:
        """For each of `commits` that changed supported files: the constructs that start on
        a line it added. `foreign_lines(path)` gives lines (stripped) known to be foreign in
        that file (relative path): constructs starting on such a line are left out.
        `on_commit` is called once per commit, also for those with nothing to report."""
        stats = stats if stats is not None else ScanStats()
        if not commits:
            return
        by_sha = {commit.sha: commit for commit in commits}
        # diff-tree answers in input order, and says nothing for a commit whose changes
        # are all deletions or binary: those are passed over with nothing to report
        pending = iter(commits)
        parsers: dict[str, tree_sitter.Parser] = {}  # per scan: a parser is not thread-safe
        with _diff_tree(self.root, list(by_sha)) as stream, _BlobReader(self.root) as blobs:
            for sha, changes in _changes_by_commit(stream):
                if sha not in by_sha:
                    continue
                for commit in pending:
                    stats.commits += 1
                    if on_commit is not None:
                        on_commit(commit)
                    if commit.sha == sha:
                        break
                    yield commit, []
                found = []
                for change in changes:
                    found.extend(self._constructs(change, blobs, parsers, foreign_lines, stats))
                yield by_sha[sha], found
        for commit in pending:
            stats.commits += 1
            if on_commit is not None:
                on_commit(commit)
            yield commit, []

    def _constructs(
        self,
        change: _FileChange,
        blobs: _BlobReader,
        parsers: dict[str, tree_sitter.Parser],
        foreign_lines: Callable[[str], frozenset[str]] | None,
        stats: ScanStats,
    ) -> list[WrittenConstruct]:
        assert change.path is not None
        if not change.added:
            return []
        stats.files += 1
        spec = language_for(change.path)
        notebook = spec is None and is_notebook(change.path)  # its code cells, as Python
        if notebook:
            spec = language_named("python")
        if spec is None or not _has_catalogue(spec.name):
            stats.skipped["unknown language"] += 1
            return []
        if change.special_mode:
            stats.skipped["symlink or submodule"] += 1
            return []
        data, problem = blobs.read(change.blob)
        if data is None:
            stats.skipped[problem or "unreadable"] += 1
            return []
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            stats.skipped["not valid UTF-8"] += 1
            return []
        added = change.added
        if notebook:
            converted = notebook_as_code(data, added, change.path)
            if converted is None:
                stats.skipped["not a Python notebook"] += 1
                return []
            data, added = converted
        lines = data.split(b"\n")
        starts = [0, *accumulate(len(line) + 1 for line in lines)]
        if spec.name not in parsers:
            parsers[spec.name] = spec.parser()
        tree = parsers[spec.name].parse(data)
        known = _catalogue(spec.name)
        foreign = foreign_lines(change.path) if foreign_lines else frozenset()
        spans = _merged(added, len(lines))
        hits = [
            hit
            for first, last in spans
            for hit in known.find(tree.root_node, starts[first - 1], min(starts[last], len(data)))
        ]
        find_apis = api_finder(spec.name)
        if find_apis is not None and spans:
            # the added lines only, resolved through the imports of the file at this commit
            hits.extend(
                find_apis(
                    tree.root_node,
                    [(starts[first - 1], min(starts[last], len(data))) for first, last in spans],
                )
            )
        written = []
        for hit in hits:
            line = hit.start_point[0] + 1
            if foreign and lines[line - 1].decode("utf-8").strip() in foreign:
                continue
            written.append(WrittenConstruct(hit.construct.key, change.path, line))
        return written


# -- reading git's output --------------------------------------------------------------


@dataclass
class _FileChange:
    path: str | None = None  # None for a deleted file
    blob: str = ""
    special_mode: bool = False
    added: list[tuple[int, int]] = field(default_factory=list)  # 1-based (first, count)


def _changes_by_commit(stream: IO[bytes]) -> Iterator[tuple[str, list[_FileChange]]]:
    """`git diff-tree --stdin -p -U0` output as (commit, its changed files with a new
    version). Hunk bodies are skipped by their counts, so no content line is taken for a
    header."""
    commit: str | None = None
    changes: list[_FileChange] = []
    change: _FileChange | None = None
    body = 0  # lines of the current hunk still to skip
    for raw in stream:
        line = raw.rstrip(b"\n")
        if body > 0:
            if not line.startswith(b"\\"):  # "\ No newline at end of file" is extra
                body -= 1
            continue
        if _COMMIT_LINE.match(line):
            if commit is not None:
                yield commit, [c for c in changes if c.path is not None]
            commit, changes, change = line.decode("ascii"), [], None
        elif commit is None:
            continue
        elif line.startswith(b"diff --git "):
            change = _FileChange()
            changes.append(change)
        elif change is None:
            continue
        elif line.startswith(b"@@"):
            match = _HUNK.match(line)
            if match:
                removed = int(match.group(1)) if match.group(1) is not None else 1
                start = int(match.group(2))
                added = int(match.group(3)) if match.group(3) is not None else 1
                if added:
                    change.added.append((start, added))
                body = removed + added
        elif line.startswith(b"+++ "):
            change.path = _path(line[4:])
        elif line.startswith(b"index "):
            match = _INDEX.match(line)
            if match:
                change.blob = match.group(1).decode("ascii")
                change.special_mode = change.special_mode or match.group(2) in _SPECIAL_MODES
        elif line.startswith((b"new file mode ", b"new mode ")):
            change.special_mode = line.rsplit(b" ", 1)[-1] in _SPECIAL_MODES
    if commit is not None:
        yield commit, [c for c in changes if c.path is not None]


def _path(header: bytes) -> str | None:
    """The path of a `+++ ` header: None for /dev/null; C-quoted names unquoted."""
    if header.endswith(b"\t"):  # git adds a tab after names with spaces
        header = header[:-1]
    if header == b"/dev/null":
        return None
    if header.startswith(b'"') and header.endswith(b'"'):
        header = _unquote(header[1:-1])
    name = header.decode("utf-8", "surrogateescape")
    return name[2:] if name.startswith("b/") else name


def _unquote(quoted: bytes) -> bytes:
    out = bytearray()
    i = 0
    while i < len(quoted):
        byte = quoted[i]
        if byte == 92 and i + 1 < len(quoted):  # backslash
            following = quoted[i + 1]
            octal = quoted[i + 1 : i + 4]
            if len(octal) == 3 and all(48 <= digit <= 55 for digit in octal):  # \ooo
                out.append(int(octal, 8) & 0xFF)
                i += 4
                continue
            out.append(_C_ESCAPES.get(following, following))
            i += 2
            continue
        out.append(byte)
        i += 1
    return bytes(out)


def _merged(added: list[tuple[int, int]], line_count: int) -> list[tuple[int, int]]:
    """(first, count) hunks as sorted, merged, clamped 1-based inclusive (first, last)."""
    spans: list[tuple[int, int]] = []
    for start, count in sorted(added):
        first, last = max(1, start), min(line_count, start + count - 1)
        if first > last:
            continue
        if spans and first <= spans[-1][1] + 1:
            spans[-1] = (spans[-1][0], max(spans[-1][1], last))
        else:
            spans.append((first, last))
    return spans


@contextmanager
def _diff_tree(root: Path, shas: list[str]) -> Iterator[IO[bytes]]:
    """The output of `git diff-tree --stdin -p -U0` for these commits, as a stream."""
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryFile() as stdin:
        stdin.write("".join(f"{sha}\n" for sha in shas).encode("ascii"))
        stdin.seek(0)
        process = subprocess.Popen(
            [
                "git",
                "-c",
                "core.quotePath=false",
                "diff-tree",
                "--stdin",
                "-r",
                "-p",
                "--unified=0",
                # a moved file, or lines only re-indented, were not written anew
                "--find-renames",
                "--ignore-all-space",
                "--full-index",
                "--root",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "--src-prefix=a/",
                "--dst-prefix=b/",
                "--",
                *_pathspecs(),
            ],
            cwd=root,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=errors,
        )
        assert process.stdout is not None
        try:
            yield process.stdout
        finally:  # also when the reader stops early
            process.stdout.close()
            if process.poll() is None:
                process.kill()
            process.wait()
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip().splitlines()
            why = message[-1] if message else f"exit {process.returncode}"
            raise HistoryError(f"git diff-tree failed in {root}: {why}")


class _BlobReader:
    """`git cat-file --batch`, started on first use, one blob per request; the last few
    blobs are kept by id (a revert, a cherry-pick or a rename brings the same blob back)."""

    CACHED = 32

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None
        self._cache: OrderedDict[str, tuple[bytes | None, str | None]] = OrderedDict()

    def read(self, blob: str) -> tuple[bytes | None, str | None]:
        if not blob or set(blob) == {"0"}:
            return None, "no blob"
        if blob in self._cache:
            self._cache.move_to_end(blob)
            return self._cache[blob]
        found = self._read(blob)
        self._cache[blob] = found
        if len(self._cache) > self.CACHED:
            self._cache.popitem(last=False)
        return found

    def _read(self, blob: str) -> tuple[bytes | None, str | None]:
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.root,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(blob.encode("ascii") + b"\n")
        process.stdin.flush()
        header = process.stdout.readline().split()
        if len(header) != 3:
            return None, "missing blob"
        kind, size = header[1], int(header[2])
        data = process.stdout.read(size)
        process.stdout.read(1)  # the newline after the content
        if kind != b"blob":
            return None, "not a file"
        if size > MAX_FILE_BYTES:
            return None, "too large"
        if b"\0" in data[:8192]:
            return None, "binary"
        return data, None

    def __enter__(self) -> _BlobReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        if self._process is None:
            return
        process = self._process
        if process.stdin is not None:
            process.stdin.close()
        if process.stdout is not None:
            process.stdout.close()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _pathspecs() -> list[str]:
    specs = [
        f":(icase)*{extension}" for spec in supported_languages() for extension in spec.extensions
    ]
    python = any(spec.name == "python" for spec in supported_languages())
    return [*specs, NOTEBOOK_PATHSPEC] if python else specs  # notebooks: their code cells


def _catalogue(language: str) -> Catalogue:
    return catalogue(language)


@functools.cache
def _has_catalogue(language: str) -> bool:  # asked once per file read: a resources look-up
    return has_catalogue(language)


ApiFinder = Callable[[tree_sitter.Node, list[tuple[int, int]]], list[ConstructHit]]


@functools.cache
def api_finder(language: str) -> ApiFinder | None:
    """The library-API finder of a language (knowledge/apis.py), if there is one."""
    try:
        from mindgap.knowledge import apis
    except ImportError:
        return None
    finder = getattr(apis, "find_api_uses_in", None)
    if getattr(apis, "LANGUAGE", None) != language or not callable(finder):
        return None
    return cast(ApiFinder, finder)
