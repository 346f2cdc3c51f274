"""Recording what a coding agent wrote, from its hook: exactly the lines it inserted or
replaced, as `agent-edit` regions in the developer's store.

The payload says what the agent meant to do; the file on disk says what happened. An edit
counts only where its new text stands in the file now, at a place where the old text could
have been replaced (the agent's tools replace one unique occurrence); a whole-file write is
diffed against the last content mindgap knows, else git's HEAD, else it is all new. Inside
an edit, only lines that differ from the old text are the agent's.

Runs in a short process per edit: only the standard library, the store and the region model.
"""

from __future__ import annotations

import bisect
import difflib
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mindgap.ledger.database import Database, data_directory
from mindgap.ledger.events import Event, append_events
from mindgap.provenance.agent_payloads import HookEvent, TextEdit
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.regions import Region, RegionSet
from mindgap.textfiles import read_text_file
from mindgap.vcs import committed_text, git_output, work_tree

LOG_NAME = "agent-hooks.log"
MAX_LOG_BYTES = 1_000_000
GIT_TIMEOUT_S = 5


@dataclass
class Outcome:
    """What one hook call did, for the log and the tests."""

    path: str | None = None
    lines: list[tuple[int, int]] = field(default_factory=list)  # 1-based inclusive
    ignored: str | None = None  # why nothing was recorded


def log_problem(message: str) -> None:
    """One line in mindgap's hook log; a hook must never fail the agent, even to log."""
    try:
        directory = data_directory()
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / LOG_NAME
        if target.exists() and target.stat().st_size > MAX_LOG_BYTES:
            target.replace(target.with_suffix(".log.old"))  # keep one older log, no more
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with open(target, "a", encoding="utf-8") as log:
            log.write(f"{stamp} {' '.join(message.split())}\n")
    except OSError:
        pass


# -- where the file is -------------------------------------------------------------------


def target_path(event: HookEvent) -> tuple[Path | None, Path | None, str | None]:
    """(the file, its repository, why it is ignored)."""
    if not event.path:
        return None, None, "the payload names no file"
    base = Path(event.cwd or (event.roots[0] if event.roots else os.getcwd()))
    path = Path(event.path)
    path = (path if path.is_absolute() else base / path).resolve()
    root = work_tree(path.parent)
    if root is None:
        return path, None, f"{path} is in no git repository"
    projects = [Path(p).resolve() for p in ([event.cwd] if event.cwd else list(event.roots))]
    project_roots = {r for r in (work_tree(p) for p in projects) if r is not None}
    if project_roots and root not in project_roots:
        return path, None, f"{path} is outside the agent's repository"
    return path, root, None


# -- which lines the agent wrote -----------------------------------------------------------


def changed_lines(old: str, new: str) -> list[tuple[int, int]]:
    """0-based [first, last) line ranges of `new` inserted or replaced relative to `old`
    (lines compared without their surrounding white space)."""
    old_lines = [line.strip() for line in old.split("\n")]
    new_lines = [line.strip() for line in new.split("\n")]
    # no autojunk: in a long file, blank lines and `}` are "popular" and would be skipped,
    # making whole unchanged stretches look replaced
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, False)
    return [
        (j1, j2)
        for tag, _, _, j1, j2 in matcher.get_opcodes()
        if tag in ("insert", "replace") and j2 > j1
    ]


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at != -1 and needle:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def edit_spans(
    text: str, edit: TextEdit, baseline: Callable[[], str | None]
) -> list[tuple[int, int]] | None:
    """0-based [first, end) lines of `text` that `edit` put there; None when it is not in
    the file (the tool failed, or later edits changed it) or its place is ambiguous.
    `baseline()` is the file before the edit if known, asked for only to settle ambiguity."""
    if not edit.new.strip():
        return []  # a deletion writes nothing
    if "\r\n" in text and "\r\n" not in edit.new and "\n" in edit.new:
        # the agent's tool kept the file's CRLF line ends; its payload speaks in LF
        edit = TextEdit(
            edit.old.replace("\n", "\r\n"), edit.new.replace("\n", "\r\n"), edit.replace_all
        )
    places = _occurrences(text, edit.new)
    if not edit.replace_all:
        # the tool replaced one unique occurrence of the old text: before the edit, the
        # old text stood exactly once, where the new text stands now
        def plausible(at: int) -> bool:
            before = text[:at] + edit.old + text[at + len(edit.new) :]
            return not edit.old or before.count(edit.old) == 1

        places = [at for at in places if plausible(at)]
        if len(places) > 1 and (before := baseline()) is not None:
            exact = [
                at for at in places if text[:at] + edit.old + text[at + len(edit.new) :] == before
            ]
            places = exact or places
        if len(places) > 1:
            return None  # ambiguous: better nothing than the wrong lines
    if not places:
        return None
    spans = []
    for at in places:
        first_line = text.count("\n", 0, at)
        inside = changed_lines(edit.old, edit.new)
        # the new text may start mid-line: its line k is the file's line first_line + k
        for start, end in inside:
            spans.append((first_line + start, first_line + end))
    return spans


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class Lines:
    """Line starts of a text, for turning line ranges into offsets and back."""

    text: str
    starts: list[int]

    @classmethod
    def of(cls, text: str) -> Lines:
        starts = [0]
        at = text.find("\n")
        while at != -1:
            starts.append(at + 1)
            at = text.find("\n", at + 1)
        return cls(text, starts)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def span(self, first: int, end: int) -> tuple[int, int]:
        """Offsets of 0-based lines [first, end), without the last line's newline."""
        start = self.starts[min(first, len(self.starts) - 1)]
        stop = self.starts[end] - 1 if end < len(self.starts) else len(self.text)
        return start, max(start, stop)


# -- recording ----------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text as an agent's payload gives it: LF line ends, no final newlines."""
    return text.replace("\r\n", "\n").rstrip("\n")


def written_lines(
    event: HookEvent, text: str, baseline: Callable[[], str | None]
) -> tuple[list[tuple[int, int]], str | None]:
    """0-based [first, end) line ranges the agent wrote, or why none can be told."""
    if event.kind in ("write", "changed"):
        if event.content is not None and _plain(event.content) != _plain(text):
            return [], "the file on disk is not what the agent wrote"
        before = baseline()
        if before is None:
            return [(0, len(text.split("\n")))], None  # a new file: all of it
        return changed_lines(before, text), None
    spans: list[tuple[int, int]] = []
    missing = 0
    for edit in event.edits:
        located = edit_spans(text, edit, baseline)
        if located is None:
            missing += 1
        else:
            spans.extend(located)
    if missing and len(event.edits) > 1 and (before := undone(text, event.edits)) is not None:
        return changed_lines(before, text), None  # chained edits: a later one changed an earlier
    if missing == len(event.edits):
        return [], "the edit's new text is not in the file (the tool failed, or it changed since)"
    return spans, None


def undone(text: str, edits: tuple[TextEdit, ...]) -> str | None:
    """The file before a sequence of edits, undoing them last first; None when one of them
    cannot be undone unambiguously (its new text is not there exactly once)."""
    for edit in reversed(edits):
        if edit.replace_all or not edit.new or text.count(edit.new) != 1:
            return None
        text = text.replace(edit.new, edit.old, 1)
    return text


def record_file(
    event: HookEvent,
    path: Path,
    root: Path,
    store: RegionStore,
) -> Outcome:
    """Record the agent's lines in `path` (already known to be in repository `root`)."""
    outcome = Outcome(path=str(path))
    content = read_text_file(path)
    if content.text is None:
        outcome.ignored = content.problem
        return outcome
    text = content.text
    known: list[str | None] = []

    def baseline() -> str | None:  # the file before the agent's tool ran, asked for once
        if not known:
            before = event.original
            if before is None:
                before = store.snapshot(str(path))
            known.append(
                before if before is not None else committed_text(path, timeout=GIT_TIMEOUT_S)
            )
        return known[0]

    spans, why = written_lines(event, text, baseline)
    store_lines(event, str(path), text, spans, store, outcome, snapshot=True)
    if why and not outcome.lines:
        outcome.ignored = why
    return outcome


def record_notebook(event: HookEvent, path: Path, store: RegionStore) -> Outcome:
    """A notebook edit writes a whole code cell: the cell, found in the notebook on disk by
    its id or else by its new source, is foreign as a whole (stored under its cell key)."""
    from mindgap.notebooks import NotebookError, cell_key, read_notebook

    outcome = Outcome(path=str(path))
    source = event.content or ""
    if event.edit_mode == "delete" or not source.strip():
        outcome.ignored = "a deleted or empty cell writes nothing"
        return outcome
    try:
        notebook = read_notebook(path)
    except NotebookError as error:
        outcome.ignored = str(error)
        return outcome
    cells = [c for c in notebook.cells if c.is_code and _plain(c.source) == _plain(source)]
    cells = [c for c in cells if c.id == event.cell_id] or cells
    if len(cells) != 1:
        outcome.ignored = (
            "the cell the agent wrote is not in the notebook"
            if not cells
            else "the cell the agent wrote stands in several places"
        )
        return outcome
    (cell,) = cells
    whole = [(0, len(cell.source.split("\n")))]
    store_lines(event, cell_key(str(path), cell), cell.source, whole, store, outcome, False)
    return outcome


def store_lines(
    event: HookEvent,
    key: str,
    text: str,
    spans: list[tuple[int, int]],
    store: RegionStore,
    outcome: Outcome,
    snapshot: bool,
) -> None:
    """Store the agent's lines (0-based [first, end) of `text`) as regions under `key` (a
    file's path, or a notebook cell's key), with their events; `snapshot`: `text` becomes
    the content mindgap last knew of the file."""
    lines = Lines.of(text)
    # Stored regions are placed where their code stands now only to find those the agent
    # wrote over; the others are left as stored (the editor may hold unsaved text that the
    # file on disk does not show yet: its server owns them).
    regions = RegionSet()
    for stored in store.load(key):
        for placed in reanchor(stored, text).regions:
            regions.add(placed)
    if not spans and event.kind in ("write", "changed") and not event.original:
        # A running server may have seen the change on disk first and diffed it already
        # (its snapshot is then this very text): its anonymous agent-edit regions from the
        # last moments are this agent's.
        spans = [
            (lines.line_of(r.start), lines.line_of(max(r.start, r.end - 1)) + 1)
            for r in regions
            if r.source == "agent-edit" and r.tool is None and r.created_at > time.time() - 60
        ]
    detail: dict[str, object] = {
        "source": "agent-edit",
        "tool": event.tool_label,
        "agent": event.agent,
        "model": event.model,
        "session": event.session,
        "hook": event.tool_name,
    }
    events: list[Event] = []
    new: list[Region] = []
    affected: set[str] = set()
    for first, end in _merge(spans):
        start, stop = lines.span(first, end)
        for removal in regions.carve(start, stop):  # foreign code the agent wrote over
            affected.add(removal.region.origin_id)
            reason = f"attributed to {event.tool_label} by its hook"
            events.append(
                _event(
                    "deleted",
                    key,
                    removal.region,
                    {"reason": reason, "vanished": removal.vanished},
                    lines=sum(1 for line in removal.removed_text.split("\n") if line.strip()),
                )
            )
        added = regions.add(Region(start, stop, text[start:stop], "agent-edit", event.tool_label))
        if added is not None:
            new.append(added)
            events.append(_event("inserted", key, added, detail))
            first_line = lines.line_of(added.start) + 1
            outcome.lines.append((first_line, lines.line_of(max(added.start, added.end - 1)) + 1))
    kept = [r for r in regions if r.origin_id in affected or r in new]
    spans_of = [(lines.line_of(r.start), lines.line_of(max(r.start, r.end - 1))) for r in kept]
    state = FileState(key, kept, spans_of, text if snapshot else None)
    store.save(state, replacing=affected)
    append_events(store.database, store.developer, events)


def _event(
    kind: str,
    key: str | Path,
    region: Region,
    detail: dict[str, object],
    lines: int | None = None,
) -> Event:
    return Event(
        kind=kind,  # type: ignore[arg-type]
        path=str(key),
        region_id=region.id,
        origin_id=region.origin_id,
        fingerprint=region.fingerprint,
        lines=region.line_count if lines is None else lines,
        detail={k: v for k, v in detail.items() if v is not None},
    )


def changed_files(root: Path) -> list[Path]:
    """Files git sees modified or untracked in the work tree (for agents that name none)."""
    output = git_output(
        root, "status", "--porcelain", "-z", "--untracked-files=all", timeout=GIT_TIMEOUT_S
    )
    if output is None:
        return []
    paths = []
    entries = iter(output.decode("utf-8", "surrogateescape").split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        status, name = entry[:2], entry[3:]
        if "R" in status or "C" in status:
            next(entries, None)  # the old name of a rename
        if "D" in status:
            continue
        paths.append(root / name)
    return paths


def open_store(developer: str, database_path: Path | None = None) -> RegionStore:
    return RegionStore(Database(database_path, integrity_check=False), developer)
