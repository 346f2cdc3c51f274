"""Foreign code from history: lines still in the work tree that came from this developer's
AI-marked commits become `git` regions (pending), found by `git blame`.

What marks a commit (knowledge/history.py decides, for the profile too):

- a Co-authored-by (Assisted-by, Generated-by) trailer naming an AI tool, or aider's
  "(aider)" author: every line the commit wrote;
- a git-ai authorship log (Git AI Standard v3.0.0) under `refs/notes/ai`: the lines it lists
  per file (`  <session hash> 1-4,9`, in the commit's version of the file);
- an Agent Trace record (`.agent-trace/traces.jsonl`, `vcs.revision` naming the commit): the
  ranges of its conversations whose contributor is an AI.

A line the developer rewrote since is blamed on their later commit (or is not committed
yet), so it stays theirs. Importing twice adds nothing: an imported line that is still
stored, or that was imported before and since cleared, is not imported again.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from mindgap.knowledge import authorship
from mindgap.knowledge.history import Repository, ai_marker
from mindgap.ledger.events import Event, append_events
from mindgap.provenance.agent_record import Lines
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.regions import Region, RegionSet
from mindgap.textfiles import read_text_file
from mindgap.vcs import git

GIT_TIMEOUT_S = 300
BLAME_WORKERS = 4
AGENT_TRACE = ".agent-trace/traces.jsonl"
_RANGE = re.compile(r"^(\d+)(?:-(\d+))?$")


@dataclass
class MarkedCommit:
    sha: str
    tool: str
    time: float
    lines: dict[str, set[int]] | None = None  # per path, 1-based; None: all it wrote


@dataclass
class ImportResult:
    commits: int = 0  # AI-marked commits of the developer
    files: int = 0  # files blamed
    regions: int = 0
    lines: int = 0
    skipped: int = 0  # already imported (still stored, or cleared since)
    per_file: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # 1-based


def _git(root: Path, *args: str, stdin: str | None = None) -> str:
    given = stdin.encode("utf-8", "surrogateescape") if stdin is not None else None
    result = git(root, *args, input=given, timeout=GIT_TIMEOUT_S)
    return result.stdout.decode("utf-8", "surrogateescape")


# -- which commits, which lines -----------------------------------------------------------------


def marked_commits(
    repo: Repository, emails: Iterable[str], since: str | None
) -> dict[str, MarkedCommit]:
    wanted = {email.strip().lower() for email in emails if email.strip()}
    if not wanted or repo.head() is None:
        return {}
    noted = repo.ai_noted()
    out = _git(
        repo.root,
        "log",
        "-z",
        "--no-merges",
        "--format=%H%x1f%an%x1f%ae%x1f%at%x1f%B",
        "--regexp-ignore-case",
        "--fixed-strings",
        *(f"--author=<{email}>" for email in sorted(wanted)),
        *([f"--since={since}"] if since else []),
        "HEAD",
    )
    found: dict[str, MarkedCommit] = {}
    mine: dict[str, float] = {}  # every commit of the developer in range: sha -> time
    for record in out.split("\0"):
        fields = record.strip("\n").split("\x1f", 4)
        if len(fields) != 5 or fields[2].strip().lower() not in wanted:
            continue
        sha, name, _, when, message = fields
        mine[sha] = float(when or 0)
        marker = ai_marker(name, message)
        if marker is not None:
            tool = "aider" if marker == "aider author" else marker.removeprefix("co-authored by ")
            found[sha] = MarkedCommit(sha, tool, mine[sha])
    for sha in sorted(noted & set(mine) - set(found)):
        parsed = git_ai_note(_git(repo.root, "notes", "--ref=refs/notes/ai", "show", sha))
        if parsed is not None:
            tool, lines = parsed
            found[sha] = MarkedCommit(sha, tool, mine[sha], lines)
    for sha, (tool, lines) in agent_trace_records(repo.root).items():
        if sha in mine and sha not in found:
            found[sha] = MarkedCommit(sha, tool, mine[sha], lines)
    return found


def _ranges(spec: str) -> set[int]:
    lines: set[int] = set()
    for part in spec.split(","):
        match = _RANGE.match(part.strip())
        if match:
            first = int(match.group(1))
            lines.update(range(first, int(match.group(2) or first) + 1))
    return lines


def git_ai_note(text: str) -> tuple[str, dict[str, set[int]]] | None:
    """A git-ai authorship log: (the agent, with its model where known; lines per path)."""
    attestation, divider, metadata = text.partition("\n---\n")
    if not divider:
        return None
    lines: dict[str, set[int]] = {}
    path: str | None = None
    sessions: set[str] = set()
    for line in attestation.splitlines():
        if not line.strip():
            continue
        if not line.startswith(" "):
            path = line.strip()
            if len(path) > 1 and path.startswith('"') and path.endswith('"'):
                path = path[1:-1]
            continue
        if path is None:
            continue
        session, _, spec = line.strip().partition(" ")
        sessions.add(session)
        lines.setdefault(path, set()).update(_ranges(spec))
    tool = "git-ai"
    try:
        prompts = json.loads(metadata).get("prompts", {})
        agents = [prompts[s]["agent_id"] for s in sorted(sessions) if s in prompts]
        if agents:
            name, model = agents[0].get("tool"), agents[0].get("model")
            tool = ", ".join(str(part) for part in (name, model) if part) or tool
    except (ValueError, AttributeError, KeyError, TypeError):
        pass
    return (tool, lines) if lines else None


def agent_trace_records(root: Path) -> dict[str, tuple[str, dict[str, set[int]]]]:
    """Agent Trace records kept in the repository: per commit, the AI's line ranges."""
    path = root / AGENT_TRACE
    content = read_text_file(path) if path.is_file() else None
    found: dict[str, tuple[str, dict[str, set[int]]]] = {}
    for line in (content.text or "").splitlines() if content is not None else []:
        try:
            record = json.loads(line)
            sha = record["vcs"]["revision"]
            files = record["files"]
        except (ValueError, KeyError, TypeError):
            continue
        tool_name = (record.get("tool") or {}).get("name") if isinstance(record, dict) else None
        tool, lines = found.get(sha, (str(tool_name or "Agent Trace"), {}))
        for entry in files if isinstance(files, list) else []:
            for conversation in entry.get("conversations", []) if isinstance(entry, dict) else []:
                contributor = conversation.get("contributor") or {}
                for span in conversation.get("ranges", []):
                    who = span.get("contributor") or contributor
                    if who.get("type") != "ai":
                        continue
                    model = who.get("model_id")
                    if model and "," not in tool:
                        tool = f"{tool}, {model}"
                    first, last = int(span["start_line"]), int(span["end_line"])
                    lines.setdefault(entry["path"], set()).update(range(first, last + 1))
        found[sha] = (tool, lines)
    return {sha: value for sha, value in found.items() if value[1]}


def touched_paths(root: Path, shas: list[str]) -> set[str]:
    if not shas:
        return set()
    out = _git(
        root,
        "diff-tree",
        "--stdin",
        "-r",
        "--root",
        "--name-only",
        "--no-renames",
        stdin="".join(f"{sha}\n" for sha in shas),
    )
    return {
        line for line in out.splitlines() if line and not re.fullmatch(r"[0-9a-f]{40,64}", line)
    }


def followed(root: Path, paths: set[str]) -> set[str]:
    """`paths` and the names they were renamed to since (blame follows a line through a
    rename; the list of files to blame must too)."""
    if not paths:
        return paths
    out = _git(root, "log", "-M", "--diff-filter=R", "--name-status", "--format=", "--reverse")
    names = set(paths)
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].startswith("R") and parts[1] in names:
            names.add(parts[2])
    return names


# -- blame -------------------------------------------------------------------------------------


def blame(root: Path, path: str) -> Iterator[tuple[str, int, int, str]]:
    """(commit, its line number, the work tree's line number, the commit's path) per line;
    a commit that only reformatted the file is looked through (knowledge/authorship.py):
    black run over an assistant's lines leaves them the assistant's."""
    for line in authorship.blame(root, path, None):
        yield line.commit, line.original_line, line.line, line.path


def foreign_lines(root: Path, path: str, commits: dict[str, MarkedCommit]) -> dict[int, str]:
    """Work-tree line (1-based) -> commit, for the lines the marked commits wrote."""
    found = {}
    for sha, original, final, old_path in blame(root, path):
        commit = commits.get(sha)
        if commit is None:
            continue
        if commit.lines is None or original in commit.lines.get(old_path, ()):
            found[final] = sha
    return found


# -- into the store ------------------------------------------------------------------------------


def import_history(
    root: Path, store: RegionStore, emails: Iterable[str], since: str | None = None
) -> ImportResult:
    repo = Repository(root)
    result = ImportResult()
    commits = marked_commits(repo, emails, since)
    result.commits = len(commits)
    paths = touched_paths(repo.root, [c.sha for c in commits.values() if c.lines is None])
    paths |= {p for c in commits.values() for p in (c.lines or {})}
    paths = {p for p in followed(repo.root, paths) if (repo.root / p).is_file()}
    result.files = len(paths)
    with ThreadPoolExecutor(max_workers=BLAME_WORKERS) as pool:
        blamed = dict(
            zip(
                sorted(paths),
                pool.map(lambda p: foreign_lines(repo.root, p, commits), sorted(paths)),
                strict=True,
            )
        )
    for relative, lines in blamed.items():
        if lines:
            _store_file(repo.root / relative, lines, commits, store, result)
    return result


def _runs(lines: dict[int, str]) -> list[tuple[int, int, str]]:
    """Consecutive lines of one commit as (first, last, commit), 1-based."""
    runs: list[tuple[int, int, str]] = []
    for line in sorted(lines):
        sha = lines[line]
        if runs and runs[-1][1] == line - 1 and runs[-1][2] == sha:
            runs[-1] = (runs[-1][0], line, sha)
        else:
            runs.append((line, line, sha))
    return runs


def _store_file(
    path: Path,
    lines: dict[int, str],
    commits: dict[str, MarkedCommit],
    store: RegionStore,
    result: ImportResult,
) -> None:
    content = read_text_file(path)
    if content.text is None:
        return
    text = content.text
    index = Lines.of(text)
    key = str(path.resolve())
    existing = RegionSet()
    for stored in store.load(key):
        for placed in reanchor(stored, text).regions:
            existing.add(placed)
    imported = {
        row["fingerprint"]
        for row in store.database.query(
            "SELECT fingerprint FROM events WHERE developer = ? AND path = ? AND kind = 'inserted'"
            " AND json_extract(detail, '$.source') = 'git'",
            (store.developer, key),
        )
    }
    new: list[Region] = []
    events: list[Event] = []
    for first, last, sha in _runs(lines):
        commit = commits[sha]
        start, stop = index.span(first - 1, last)
        tool = f"{commit.tool}, commit {sha[:7]}"
        region = RegionSet().add(
            Region(start, stop, text[start:stop], "git", tool, created_at=commit.time)
        )
        if region is None:
            continue
        if region.fingerprint in imported or any(
            r.start < region.end and region.start < r.end for r in existing
        ):
            result.skipped += 1
            continue
        new.append(region)
        result.per_file.setdefault(key, []).append(
            (index.line_of(region.start) + 1, index.line_of(region.end - 1) + 1)
        )
        events.append(
            Event(
                kind="inserted",
                path=key,
                region_id=region.id,
                origin_id=region.origin_id,
                fingerprint=region.fingerprint,
                lines=region.line_count,
                detail={"source": "git", "tool": tool, "commit": sha},
                time=commit.time or region.created_at,
            )
        )
    if not new:
        return
    spans = [(index.line_of(r.start), index.line_of(r.end - 1)) for r in new]
    store.save(FileState(key, new, spans, None), replacing=())  # adds; keeps what is there
    append_events(store.database, store.developer, events)
    result.regions += len(new)
    result.lines += sum(r.line_count for r in new)
