"""A developer's code in git history: which constructs they wrote in which commit.

The history is read in bulk, whatever its length:

1. `git log -z` lists the developer's non-merge commits that touch files of a language with
   a construct catalogue (metadata only: id, author, time, message), and marks the
   AI-assisted ones: Co-authored-by (or Assisted-by / Generated-by) trailers naming an AI
   tool, aider's "(aider)" author name, and a git-ai note under `refs/notes/ai`.
2. `git diff-tree --stdin -p -U0 -M -w` gives, for those commits, the added line numbers of every
   changed file, and the new blob's id; `git cat-file --batch` reads the blobs (a commit's
   requested together), each is parsed once - a Python file only where the change touched
   it, from the outline of its last version (knowledge/outline.py), other languages from
   their last tree - and the catalogue's constructs that start on an added line are what
   that commit wrote.

Long histories are read by worker processes (`mindgap.workers`), a few dozen commits per
task, each worker with its own two git processes; the results come back in commit order.

Files are left out the way learning leaves them out (conventions/files.py): vendored and
separately licensed folders, generated and minified files, files over learning's size limit,
binary and non-UTF-8 blobs; also symlinks, submodules and files of other languages. Each is
counted in `ScanStats.skipped`. Nothing here touches the store: see profile.py.
"""

from __future__ import annotations

import functools
import gc
import logging
import re
import signal
import subprocess
import tempfile
from bisect import bisect_right
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add
from pathlib import Path
from typing import IO, cast

import tree_sitter

from mindgap import vcs
from mindgap.conventions.files import (
    MAX_LICENSE_BYTES,
    MAX_MINED_BYTES,
    decode,
    is_under,
    is_vendored,
    separately_licensed,
    skip_reason,
)
from mindgap.knowledge.authorship import ignored_revisions
from mindgap.knowledge.catalogue import Catalogue, ConstructHit, catalogue, has_catalogue
from mindgap.knowledge.notebook_history import NOTEBOOK_PATHSPEC, notebook_as_code
from mindgap.knowledge.outline import (
    Outlines,
    Parsed,
    Region,
    line_edits_between,
    outline_of,
    parse_changed,
)
from mindgap.knowledge.reformatting import formatting_key, only_reformats
from mindgap.notebooks import MAX_NOTEBOOK_BYTES, is_notebook
from mindgap.syntax.languages import LANGUAGES, LanguageSpec, language_for, language_named
from mindgap.vcs import GitError
from mindgap.workers import pool_context, worker_count

log = logging.getLogger(__name__)

GIT_TIMEOUT_S = 60
HISTORY_TIMEOUT_S = 1800  # listing a very long history
# Below this many commits, starting worker processes costs more than it saves.
PARALLEL_MIN_COMMITS = 150
CHUNK_COMMITS = 32  # commits per worker task: one diff-tree process, one step of progress
STRETCHES_PER_WORKER = 4  # consecutive commits a worker reads in a row; more balance the end
BLOB_REQUESTS = 256  # blob ids written to cat-file at once (their 10 KB fit a pipe's buffer)
# A file's next version (other than Python's, see PARTIAL_PARSE) is parsed from its last tree,
# told where the text changed (tree-sitter then re-reads only around the change); the result
# is the tree a fresh parse gives.
INCREMENTAL_PARSE = True
TREES_KEPT_BYTES = 6_000_000  # source bytes whose trees a reader keeps (trees take ~17x)
# past this share of the file changed, re-reading around the edits costs more than a parse
INCREMENTAL_MAX_CHANGED = 1 / 3
# A reader allocates many short-lived containers (lines, nodes' lists, hits) and keeps large
# ones (outlines): collecting the young generation every 700 allocations cost ~4% of a worker
WORKER_GC_THRESHOLDS = (20_000, 50, 50)
# Added spans closer than this are looked for constructs in one query over both and the gap
# (a query's own cost is that of a few kilobytes of text)
QUERY_GAP_BYTES = 3_000
# A Python file's next version: only the statements the change touched are parsed, from the
# outline of the last version (knowledge/outline.py); the constructs found are the same.
PARTIAL_PARSE = True

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
_HUNK = re.compile(rb"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_INDEX = re.compile(rb"^index ([0-9a-f]+)\.\.([0-9a-f]+)(?: (\d+))?")
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

    def add(self, other: ScanStats) -> None:
        self.commits += other.commits
        self.files += other.files
        self.skipped.update(other.skipped)


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
            raise GitError(f"{path}: no such folder")
        try:
            result = self._run(["rev-parse", "--show-toplevel"], cwd=path)
        except GitError as error:
            raise GitError(f"{path} is not in a git repository ({error})") from error
        self.root = Path(result.decode("utf-8", "surrogateescape").strip()).resolve()

    # -- plumbing ------------------------------------------------------------------------

    @staticmethod
    def _run(
        args: list[str], cwd: Path, check: bool = True, timeout: float = GIT_TIMEOUT_S
    ) -> bytes:
        return vcs.git(cwd, *args, check=check, timeout=timeout).stdout

    def git(self, *args: str, check: bool = True, timeout: float = GIT_TIMEOUT_S) -> bytes:
        return self._run(list(args), cwd=self.root, check=check, timeout=timeout)

    # -- questions -----------------------------------------------------------------------

    def head(self) -> str | None:
        """The commit HEAD points at; None in a repository without commits."""
        out = self.git("rev-parse", "--verify", "--quiet", "HEAD^{commit}", check=False)
        return out.decode("ascii").strip() or None

    def is_ancestor(self, commit: str, of: str) -> bool:
        """Whether `commit` exists and is `of` or one of its ancestors."""
        result = vcs.git(self.root, "merge-base", "--is-ancestor", commit, of, check=False)
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
        foreign_lines: Mapping[str, frozenset[str]] | None = None,
        on_commit: Callable[[Commit], None] | None = None,
        stats: ScanStats | None = None,
        workers: int | None = None,
    ) -> Generator[tuple[Commit, list[WrittenConstruct]], None, None]:
        """For each of `commits`: the constructs that start on a line it added (none for a
        commit that changed no supported file). In the commits' order when read in this
        process; read in workers, each worker's part of the history comes in order, the
        parts interleaved. `foreign_lines[path]` (relative path) holds lines (stripped) known
        to be foreign in that file: constructs starting on such a line are left out.
        `on_commit` is called once per commit, as it comes. `workers`: processes to read in
        (default: one per core, for long histories; 1 reads here); the constructs found are
        the same either way."""
        stats = stats if stats is not None else ScanStats()
        if not commits:
            return
        by_sha = {commit.sha: commit for commit in commits}
        scope = _Scope(
            self.root, dict(foreign_lines or {}), self._licensed(), ignored_revisions(self.root)
        )
        shas = list(by_sha)
        count = worker_count() if workers is None else max(1, workers)
        if count > 1 and len(shas) >= PARALLEL_MIN_COMMITS:
            found = _read_in_workers(scope, shas, count, stats)
        else:
            found = _read_here(scope, shas, stats)
        with closing(found):  # also when the reader stops early: no process is left behind
            for sha, written in found:
                commit = by_sha[sha]
                stats.commits += 1
                if on_commit is not None:
                    on_commit(commit)
                yield commit, written

    def _licensed(self) -> frozenset[str]:
        """Folders with a license of their own at HEAD: someone else's code, left out like
        learning leaves it out."""
        if self.head() is None:
            return frozenset()
        listed = self.git("ls-tree", "-r", "-z", "--name-only", "HEAD", check=False)
        return separately_licensed(
            listed.decode("utf-8", "surrogateescape").split("\0"), self._head_text
        )

    def _head_text(self, path: str) -> str | None:
        data = self.git("cat-file", "blob", f"HEAD:{path}", check=False)
        if not data or len(data) > MAX_LICENSE_BYTES:
            return None
        return data.decode("utf-8", "replace")


# -- reading the changes, here or in worker processes ------------------------------------


@dataclass(frozen=True)
class _Scope:
    """What reading any commit needs, the same in every process."""

    root: Path
    foreign: dict[str, frozenset[str]]  # relative path -> foreign lines (stripped)
    licensed: frozenset[str]  # separately licensed folders
    declared_reformats: frozenset[str] = frozenset()  # listed in .git-blame-ignore-revs


class _Reader:
    """Reads commits' changes: one cat-file process and one parser per language, kept
    across the commits a process reads (a parser is not thread-safe)."""

    def __init__(self, scope: _Scope) -> None:
        self.scope = scope
        self.blobs = _BlobReader(scope.root)
        self.parsers: dict[str, tree_sitter.Parser] = {}
        self.trees = _Trees()  # other languages' last trees
        self.outlines = Outlines()  # Python files' last outlines

    def close(self) -> None:
        self.blobs.close()

    def commits(
        self, shas: list[str], stats: ScanStats
    ) -> Iterator[tuple[str, list[WrittenConstruct]]]:
        """(commit, the constructs it wrote) for each of `shas`, in order."""
        pending = iter(shas)
        with _diff_tree(self.scope.root, shas) as stream:
            # diff-tree answers in input order, and says nothing for a commit whose changes
            # are all deletions or binary: those are passed with nothing to report
            for sha, changes in _changes_by_commit(stream):
                for earlier in pending:
                    if earlier == sha:
                        break
                    yield earlier, []
                if sha in self.scope.declared_reformats:
                    yield sha, []  # declared to change no code
                    continue
                wanted = [change for change in changes if self._wanted(change, stats)]
                contents = self.blobs.read_many([change.blob for change in wanted])
                found = []
                for change in wanted:
                    found.extend(self._constructs(change, contents[change.blob], stats))
                yield sha, found
        for rest in pending:
            yield rest, []

    def _wanted(self, change: _FileChange, stats: ScanStats) -> bool:
        """Whether a changed file is read: lines were added, in a language with a catalogue,
        in code of the repository's own (the reasons learning leaves files out)."""
        assert change.path is not None
        if not change.added:
            return False
        stats.files += 1
        spec = language_for(change.path)
        if spec is None and is_notebook(change.path):
            spec = language_named("python")
        if spec is None or not _has_catalogue(spec.name):
            stats.skipped["unknown language"] += 1
            return False
        if change.special_mode:
            stats.skipped["symlink or submodule"] += 1
            return False
        if is_vendored(change.path) or is_under(change.path, self.scope.licensed):
            stats.skipped["vendored"] += 1
            return False
        if self._only_reformats(change):
            stats.skipped["only reformatted"] += 1
            return False
        return True

    def _only_reformats(self, change: _FileChange) -> bool:
        """Whether the change lays the file out anew without changing its code (a formatter's
        commit): no practice (knowledge/reformatting.py). The removed and added lines are
        compared cheaply first; only a likely reformat has its two versions read and parsed."""
        spec = language_for(change.path or "")
        if spec is None or not change.removed_lines or not change.added_lines:
            return False
        removed, added = b"\n".join(change.removed_lines), b"\n".join(change.added_lines)
        if formatting_key(removed) != formatting_key(added):
            return False
        versions = self.blobs.read_many([change.old_blob, change.blob])
        old, new = versions[change.old_blob][0], versions[change.blob][0]
        return old is not None and new is not None and only_reformats(spec, old, new)

    def _constructs(
        self, change: _FileChange, content: tuple[bytes | None, str | None], stats: ScanStats
    ) -> list[WrittenConstruct]:
        assert change.path is not None
        data, problem = content
        if data is None:
            stats.skipped[problem or "unreadable"] += 1
            return []
        notebook = is_notebook(change.path) and language_for(change.path) is None
        spec = language_named("python") if notebook else language_for(change.path)
        assert spec is not None
        added = change.added
        if notebook:  # its code cells, as Python
            if len(data) > MAX_NOTEBOOK_BYTES:
                stats.skipped["too large"] += 1
                return []
            converted = notebook_as_code(data, added, change.path)
            if converted is None:
                stats.skipped["not a Python notebook"] += 1
                return []
            data, added = converted
            text = data.decode("utf-8")
        elif len(data) > MAX_MINED_BYTES:
            stats.skipped["too large"] += 1
            return []
        else:
            decoded = decode(data)
            if decoded is None:
                stats.skipped["binary or not UTF-8"] += 1
                return []
            text = decoded
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        lines = data.split(b"\n")
        reason = skip_reason(text, longest_line_bytes=max(map(len, lines)))
        if reason is not None:  # generated, minified
            stats.skipped[reason] += 1
            return []
        starts = _line_starts(lines)
        spans = _merged(added, len(lines))
        by_outline = PARTIAL_PARSE and spec.name == "python" and not notebook
        if (
            spec.name == "python"
            and not notebook
            and not (self.outlines.get(change.path) if by_outline else self.trees.keeps(change))
            and not any(_may_start_code(line) for a, b in spans for line in lines[a - 1 : b])
        ):
            return []  # only blank lines and comments added: no construct starts on them
        if spec.name not in self.parsers:
            self.parsers[spec.name] = spec.parser()
        parser = self.parsers[spec.name]
        byte_spans = [(starts[first - 1], min(starts[last], len(data))) for first, last in spans]
        bound_names = None
        if by_outline:  # the changed statements only (knowledge/outline.py)
            parsed = self._parse_python(parser, change, data, lines, starts, byte_spans)
            if not parsed.whole and parsed.outline is not None:
                bound_names = parsed.outline.bindings()  # imports outside the regions too
            regions = parsed.regions
        elif notebook:  # the cells' text is no version git diffed
            regions = [Region(parser.parse(data), 0, len(data))]
        else:
            regions = [Region(self.trees.parse(parser, change, data, lines, starts), 0, len(data))]
        known = _catalogue(spec.name)
        find_apis = api_finder(spec.name)
        foreign = self.scope.foreign.get(change.path, frozenset())
        hits: list[ConstructHit] = []
        for region in regions:
            root = region.tree.root_node
            inside = [span for span in byte_spans if region.start_byte <= span[0] < region.end_byte]
            if not inside:
                continue
            for group in _near(inside):
                hits.extend(_inside(known.find(root, group[0][0], group[-1][1]), group))
            if find_apis is not None:
                # the added lines only, resolved through the imports of the file at this commit
                hits.extend(
                    find_apis(root, inside, bound_names=bound_names, statements=region.imports)
                )
        written = []
        for hit in hits:
            line = hit.start_point[0] + 1
            if foreign and lines[line - 1].decode("utf-8").strip() in foreign:
                continue
            written.append(WrittenConstruct(hit.construct.key, change.path, line))
        return written

    def _parse_python(
        self,
        parser: tree_sitter.Parser,
        change: _FileChange,
        data: bytes,
        lines: list[bytes],
        starts: list[int],
        byte_spans: list[tuple[int, int]],
    ) -> Parsed:
        """A Python file's new version: only the statements the change touched, parsed from
        the outline of its last version when that is kept and they can be; else the whole
        file. Its outline is kept for the next version."""
        assert change.path is not None
        last = self.outlines.get(change.path)
        parsed = None
        if last is not None:
            old_lines = last.lines
            edits = None
            if last.blob == change.old_blob:  # git's hunks say what changed
                edits = _line_edits(old_lines, lines, change.hunks)
            if edits is None:  # another's commit came between: from the first to the last change
                edits = line_edits_between(old_lines, lines)
            parsed = parse_changed(parser, last, change.blob, data, lines, starts, edits)
            if parsed is not None and not all(
                any(
                    region.start_byte <= start and end <= region.end_byte
                    for region in parsed.regions
                )
                for start, end in byte_spans
            ):
                parsed = None
        if parsed is None:
            tree = parser.parse(data)
            outline = outline_of(change.blob, lines, tree.root_node)
            parsed = Parsed([Region(tree, 0, len(data))], outline, whole=True)
        self.outlines.put(change.path, parsed.outline)
        return parsed


def _near(spans: list[tuple[int, int]]) -> Iterator[list[tuple[int, int]]]:
    """Sorted byte spans in groups whose gaps are short enough to be queried over, once."""
    group: list[tuple[int, int]] = []
    for span in spans:
        if group and span[0] - group[-1][1] > QUERY_GAP_BYTES:
            yield group
            group = []
        group.append(span)
    if group:
        yield group


def _inside(hits: list[ConstructHit], spans: list[tuple[int, int]]) -> list[ConstructHit]:
    """The hits that start in one of these sorted spans."""
    if len(spans) == 1:
        return hits
    firsts = [start for start, _ in spans]
    return [
        hit
        for hit in hits
        if (at := bisect_right(firsts, hit.start_byte) - 1) >= 0 and hit.start_byte < spans[at][1]
    ]


def _may_start_code(line: bytes) -> bool:
    """False for a Python line on which no construct or library name can start: blank, or a
    comment without quotes or braces (were it inside a string, such a line could neither end
    it nor open an f-string's replacement field)."""
    stripped = line.strip()
    return bool(stripped) and not (
        stripped.startswith(b"#") and not any(mark in stripped for mark in (b'"', b"'", b"{"))
    )


def _line_starts(lines: list[bytes]) -> list[int]:
    """The offset of each line, and one past the end (len + 1: the last has no newline)."""
    return list(accumulate(map(add, map(len, lines), repeat(1)), initial=0))  # in C


@dataclass
class _Version:
    blob: str
    lines: list[bytes]
    starts: list[int]
    tree: tree_sitter.Tree


class _Trees:
    """The last parsed version of recently changed files, by path, so that the next version
    of a file (most often its very next commit) is parsed from it."""

    def __init__(self) -> None:
        self._by_path: OrderedDict[str, _Version] = OrderedDict()
        self._bytes = 0

    def keeps(self, change: _FileChange) -> bool:
        """Whether the version before `change` is kept (then parsing the new one is cheap,
        and keeps the chain of versions going)."""
        last = self._by_path.get(change.path or "")
        return INCREMENTAL_PARSE and last is not None and last.blob == change.old_blob

    def parse(
        self,
        parser: tree_sitter.Parser,
        change: _FileChange,
        data: bytes,
        lines: list[bytes],
        starts: list[int],
    ) -> tree_sitter.Tree:
        assert change.path is not None
        if not INCREMENTAL_PARSE:
            return parser.parse(data)
        last = self._by_path.pop(change.path, None)
        tree = None
        if last is not None:
            self._bytes -= last.starts[-1]
            if last.blob == change.old_blob:
                tree = _reparse(parser, last, data, lines, starts, change.hunks)
        if tree is None:
            tree = parser.parse(data)
        self._by_path[change.path] = _Version(change.blob, lines, starts, tree)
        self._bytes += starts[-1]
        while self._bytes > TREES_KEPT_BYTES and len(self._by_path) > 1:
            _, dropped = self._by_path.popitem(last=False)
            self._bytes -= dropped.starts[-1]
        return tree


def _reparse(
    parser: tree_sitter.Parser,
    last: _Version,
    data: bytes,
    lines: list[bytes],
    starts: list[int],
    hunks: list[tuple[int, int, int, int]],
) -> tree_sitter.Tree | None:
    """The new version parsed from the last one's tree, edited where git's hunks (and the
    whitespace-only changes they leave out) say the text changed; None when that is not
    worth it or the hunks do not fit these two texts."""
    edits = _line_edits(last.lines, lines, hunks)
    if edits is None:
        return None
    changed = sum(starts[new_end] - starts[new_first] for _, _, new_first, new_end in edits)
    if changed > INCREMENTAL_MAX_CHANGED * len(data):
        return None
    tree = last.tree
    old_size, new_size = last.starts[-1] - 1, starts[-1] - 1  # the texts' lengths
    for old_first, old_end, new_first, new_end in edits:  # in order: the text before is new
        # a line's bytes run to the start of the next; past the last line (which has no
        # newline) the edit is taken one byte earlier, to end at the text's end
        begin, old_begin = starts[new_first], last.starts[old_first]
        stop, old_stop = starts[new_end], last.starts[old_end]
        if stop > new_size or old_stop > old_size:
            shift = 1 if begin > 0 else 0
            begin, old_begin = begin - shift, old_begin - shift
            stop, old_stop = min(stop - shift, new_size), min(old_stop - shift, old_size)
        start_point = _point(starts, begin)
        old_row, old_column = _point(last.starts, old_stop)
        rows = old_row - _point(last.starts, old_begin)[0]
        tree.edit(
            start_byte=begin,
            old_end_byte=begin + old_stop - old_begin,
            new_end_byte=stop,
            start_point=start_point,
            old_end_point=(
                start_point[0] + rows,
                old_column if rows else start_point[1] + old_stop - old_begin,
            ),
            new_end_point=_point(starts, stop),
        )
    return parser.parse(data, tree)


def _point(starts: list[int], byte: int) -> tuple[int, int]:
    row = bisect_right(starts, byte) - 1
    return row, byte - starts[row]


def _line_edits(
    old: list[bytes], new: list[bytes], hunks: list[tuple[int, int, int, int]]
) -> list[tuple[int, int, int, int]] | None:
    """Where two versions differ, as 0-based half-open line ranges (old first, old end, new
    first, new end), in order: git's hunks, and the lines between them that differ only in
    whitespace (-w leaves those out). None if the hunks do not fit the texts."""
    edits: list[tuple[int, int, int, int]] = []
    old_at = new_at = 0
    for old_start, old_count, new_start, new_count in hunks:
        old_first = old_start - 1 if old_count else old_start  # -U0: a count of 0 starts after
        new_first = new_start - 1 if new_count else new_start
        if old_first - old_at != new_first - new_at or old_first < old_at:
            return None
        edits.extend(_differing(old, new, old_at, new_at, old_first - old_at))
        edits.append((old_first, old_first + old_count, new_first, new_first + new_count))
        old_at, new_at = old_first + old_count, new_first + new_count
    if len(old) - old_at != len(new) - new_at or old_at > len(old):
        return None
    edits.extend(_differing(old, new, old_at, new_at, len(old) - old_at))
    merged: list[tuple[int, int, int, int]] = []
    for edit in edits:
        if merged and edit[0] <= merged[-1][1]:
            first = merged[-1]
            merged[-1] = (first[0], max(first[1], edit[1]), first[2], max(first[3], edit[3]))
        else:
            merged.append(edit)
    return merged


def _differing(
    old: list[bytes], new: list[bytes], old_at: int, new_at: int, count: int
) -> list[tuple[int, int, int, int]]:
    if old[old_at : old_at + count] == new[new_at : new_at + count]:
        return []
    return [
        (old_at + k, old_at + k + 1, new_at + k, new_at + k + 1)
        for k in range(count)
        if old[old_at + k] != new[new_at + k]
    ]


Found = Generator[tuple[str, list[WrittenConstruct]], None, None]


def _read_here(scope: _Scope, shas: list[str], stats: ScanStats) -> Found:
    reader = _Reader(scope)
    try:
        yield from reader.commits(shas, stats)
    finally:
        reader.close()


ChunkResult = tuple[list[tuple[str, list[WrittenConstruct]]], ScanStats]


def _read_in_workers(scope: _Scope, shas: list[str], workers: int, stats: ScanStats) -> Found:
    """The commits read by `workers` processes. Each worker reads stretches of consecutive
    commits (the next one free when it is done with one), a chunk per task: a file's
    versions then mostly reach the same worker one after the other, which parses each from
    the last. A worker that dies (killed, out of memory) leaves what is unread to this
    process, after one line saying so."""
    size = max(CHUNK_COMMITS, -(-len(shas) // (workers * STRETCHES_PER_WORKER)))
    stretches = deque(shas[i : i + size] for i in range(0, len(shas), size))
    context = pool_context(__name__)
    executors = [
        ProcessPoolExecutor(1, mp_context=context, initializer=_start_worker, initargs=(scope,))
        for _ in range(min(workers, len(stretches)))
    ]
    queued: list[deque[list[str]]] = [deque() for _ in executors]  # chunks not yet sent
    running: list[deque[tuple[list[str], Future[ChunkResult]]]] = [deque() for _ in executors]
    finished = False
    try:
        while True:
            for worker, executor in enumerate(executors):
                while len(running[worker]) < 2 and (queued[worker] or stretches):
                    if not queued[worker]:
                        stretch = stretches.popleft()
                        queued[worker].extend(
                            stretch[i : i + CHUNK_COMMITS]
                            for i in range(0, len(stretch), CHUNK_COMMITS)
                        )
                    chunk = queued[worker].popleft()
                    running[worker].append((chunk, executor.submit(_read_chunk, chunk)))
            if not any(running):
                break
            wait(
                [tasks[0][1] for tasks in running if tasks],
                return_when=FIRST_COMPLETED,
            )
            for tasks in running:
                while tasks and tasks[0][1].done():
                    chunk, future = tasks[0]
                    try:
                        found, part = future.result()
                    except BrokenProcessPool as error:
                        unread = [sha for tasks in running for chunk, _ in tasks for sha in chunk]
                        unread += [sha for chunks in queued for chunk in chunks for sha in chunk]
                        unread += [sha for stretch in stretches for sha in stretch]
                        log.warning(
                            "a history worker process stopped (%s); %d commits are read here",
                            error,
                            len(unread),
                        )
                        for executor in executors:
                            _stop(executor)
                        executors = []
                        yield from _read_here(scope, unread, stats)
                        return
                    tasks.popleft()
                    stats.add(part)
                    yield from found
        finished = True
    finally:
        for executor in executors:
            if finished:
                executor.shutdown(wait=True)
            else:  # interrupted, or the reader stopped early: end the workers now
                _stop(executor)


def _stop(executor: ProcessPoolExecutor) -> None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(timeout=5)


_worker_reader: _Reader | None = None


def _start_worker(scope: _Scope) -> None:
    """In a worker: Ctrl-C is the parent's to handle (it keeps what was read); git started
    from here inherits the ignored signal, so an interrupt kills no read half-way."""
    global _worker_reader
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    gc.set_threshold(*WORKER_GC_THRESHOLDS)
    _worker_reader = _Reader(scope)


def _read_chunk(shas: list[str]) -> ChunkResult:
    assert _worker_reader is not None
    stats = ScanStats()
    return list(_worker_reader.commits(shas, stats)), stats


# -- reading git's output --------------------------------------------------------------


@dataclass
class _FileChange:
    path: str | None = None  # None for a deleted file
    blob: str = ""
    old_blob: str = ""  # the version before (all zeros for a new file)
    special_mode: bool = False
    added: list[tuple[int, int]] = field(default_factory=list)  # 1-based (first, count)
    # every hunk: (old start, old count, new start, new count), as git numbers them
    hunks: list[tuple[int, int, int, int]] = field(default_factory=list)
    removed_lines: list[bytes] = field(default_factory=list)  # the hunks' lines, without - and +
    added_lines: list[bytes] = field(default_factory=list)


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
                if change is not None:
                    hunk_lines = change.removed_lines if line[:1] == b"-" else change.added_lines
                    hunk_lines.append(line[1:])
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
                old_start = int(match.group(1))
                removed = int(match.group(2)) if match.group(2) is not None else 1
                start = int(match.group(3))
                added = int(match.group(4)) if match.group(4) is not None else 1
                if added:
                    change.added.append((start, added))
                change.hunks.append((old_start, removed, start, added))
                body = removed + added
        elif line.startswith(b"+++ "):
            change.path = _path(line[4:])
        elif line.startswith(b"index "):
            match = _INDEX.match(line)
            if match:
                change.old_blob = match.group(1).decode("ascii")
                change.blob = match.group(2).decode("ascii")
                change.special_mode = change.special_mode or match.group(3) in _SPECIAL_MODES
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
        process = vcs.git_process(
            root,
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
            stdin=stdin,
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
            raise GitError(f"git diff-tree failed in {root}: {why}")


class _BlobReader:
    """`git cat-file --batch`, started on first use; the blobs of one commit are asked for
    together, and the last few are kept by id (a revert, a cherry-pick or a rename brings
    the same blob back)."""

    CACHED = 32
    LARGEST = max(MAX_MINED_BYTES, MAX_NOTEBOOK_BYTES)  # larger blobs are not held at all

    def __init__(self, root: Path) -> None:
        self.root = root
        self._process: subprocess.Popen[bytes] | None = None
        self._cache: OrderedDict[str, tuple[bytes | None, str | None]] = OrderedDict()

    def read(self, blob: str) -> tuple[bytes | None, str | None]:
        return self.read_many([blob])[blob]

    def read_many(self, blobs: list[str]) -> dict[str, tuple[bytes | None, str | None]]:
        """blob id -> (its content, None) or (None, why not)."""
        found: dict[str, tuple[bytes | None, str | None]] = {}
        missing = []
        for blob in blobs:
            if not blob or set(blob) == {"0"}:
                found[blob] = (None, "no blob")
            elif blob in self._cache:
                self._cache.move_to_end(blob)
                found[blob] = self._cache[blob]
            elif blob not in missing:
                missing.append(blob)
        for start in range(0, len(missing), BLOB_REQUESTS):
            asked = missing[start : start + BLOB_REQUESTS]
            for blob, content in zip(asked, self._read(asked), strict=True):
                found[blob] = self._cache[blob] = content
                if len(self._cache) > self.CACHED:
                    self._cache.popitem(last=False)
        return found

    def _read(self, blobs: list[str]) -> list[tuple[bytes | None, str | None]]:
        if self._process is None:
            self._process = vcs.git_process(self.root, "cat-file", "--batch", stdin=subprocess.PIPE)
        process = self._process
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write("".join(f"{blob}\n" for blob in blobs).encode("ascii"))
        process.stdin.flush()
        contents: list[tuple[bytes | None, str | None]] = []
        for _ in blobs:
            header = process.stdout.readline().split()
            if len(header) != 3:
                contents.append((None, "missing blob"))
                continue
            kind, size = header[1], int(header[2])
            if size > self.LARGEST:
                while size > 0:  # passed over, never held
                    size -= len(process.stdout.read(min(size, 1 << 20)) or b"\0" * size)
                process.stdout.read(1)
                contents.append((None, "too large"))
                continue
            data = process.stdout.read(size)
            process.stdout.read(1)  # the newline after the content
            contents.append((data, None) if kind == b"blob" else (None, "not a file"))
        return contents

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


ApiFinder = Callable[..., list[ConstructHit]]  # (root, byte spans, bound_names=...)


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
