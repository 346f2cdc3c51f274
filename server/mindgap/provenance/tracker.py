"""The provenance engine: open documents, their foreign regions, and what happens to them.

Knows nothing of LSP: the server and the command line drive it with offsets, positions and
texts, and read back regions and the events to append to the ledger.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from os import sep

from mindgap.ledger.events import Event
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.detection import BurstThresholds, RecentDeletions, added_blocks, is_burst
from mindgap.provenance.persistence import FileState, RegionStore
from mindgap.provenance.regions import SOURCES, Region, RegionSet, Removal
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_for
from mindgap.syntax.positions import UTF16, LineIndex, Pos

log = logging.getLogger(__name__)

HISTORY_VERSIONS = 64  # how far back a late `didInsert` range can still be mapped
# A 2,000-line file's tree takes about 2 MB: trees are kept for the files in use, not all.
MAX_LIVE_TREES = 16


@dataclass(frozen=True)
class Change:
    """One content change: the range it replaces (None: the whole text) and its new text."""

    start: Pos | None
    end: Pos | None
    text: str


@dataclass
class TrackedDocument:
    key: str  # the URI
    path: str | None  # a file on disk, when there is one: only those are persisted
    document: SyntaxDocument
    regions: RegionSet
    deletions: RecentDeletions = field(default_factory=RecentDeletions)
    # (version reached, [(start, end, new length, replaced text)]) of recent changes
    history: deque[tuple[int | None, list[tuple[int, int, int, str]]]] = field(
        default_factory=lambda: deque(maxlen=HISTORY_VERSIONS)
    )
    dirty: bool = False
    saved_text: str | None = None  # the file's text when opened or saved, until persisted

    @property
    def version(self) -> int | None:
        return self.document.version


class ProvenanceTracker:
    def __init__(
        self,
        store: RegionStore | None,
        thresholds: BurstThresholds | None = None,
        encoding: str = UTF16,
    ) -> None:
        self.store = store
        self.thresholds = thresholds or BurstThresholds()
        self.encoding = encoding
        self.documents: dict[str, TrackedDocument] = {}
        self._events: list[Event] = []
        # Without a store, the last saved text of files seen, for diffing outside changes;
        # with one, that text lives in the store's snapshots, not in memory.
        self._known_texts: dict[str, str] = {}
        self._parsed: dict[str, None] = {}  # documents holding a tree, least recent first
        # Per file, the origins of every region this tracker loaded or made: a save replaces
        # only those, so regions another process (an agent's hook) stored are never lost.
        self.known_origins: dict[str, set[str]] = {}
        # Folders (a multi-root workspace's repositories) with their own store (their
        # developer's) and thresholds, by resolved root; a path outside them uses the above.
        self.folders: dict[str, tuple[RegionStore | None, BurstThresholds]] = {}

    # -- folders ---------------------------------------------------------------------------

    def use_folder(self, root: str, store: RegionStore | None, thresholds: BurstThresholds) -> None:
        """Files under `root` (their paths start with it) use this store and thresholds."""
        self.folders[root] = (store, thresholds)

    def forget_folder(self, root: str) -> None:
        self.folders.pop(root, None)

    def _folder(self, path: str | None) -> tuple[RegionStore | None, BurstThresholds]:
        """The innermost folder holding `path` (a file, or a notebook cell's key)."""
        holding = [
            root
            for root in self.folders
            if path is not None and (path == root or path.startswith(root.rstrip(sep) + sep))
        ]
        if not holding:
            return self.store, self.thresholds
        return self.folders[max(holding, key=len)]

    def store_for(self, path: str | None) -> RegionStore | None:
        """Where a file's regions are kept; None for all when the store failed (`store`
        set to None)."""
        if self.store is None:
            return None
        return self._folder(path)[0]

    def thresholds_for(self, path: str | None) -> BurstThresholds:
        return self._folder(path)[1]

    # -- documents -----------------------------------------------------------------------

    def open(
        self, key: str, path: str | None, text: str, language_id: str | None, version: int | None
    ) -> TrackedDocument:
        language = language_for(path or key, language_id)
        document = SyntaxDocument(key, text, language, version, self.encoding)
        tracked = TrackedDocument(key, path, document, RegionSet())
        self.documents[key] = tracked
        store = self.store_for(path)
        if path is not None and store is not None:
            stored = store.load(path)
            self._know(path, stored)
            tracked.regions = RegionSet(self._reanchor_all(path, stored, text))
        self._remember_saved(tracked, text)
        return tracked

    def close(self, key: str) -> TrackedDocument | None:
        """The editor closed the document; later changes on disk are diffed against the
        text it had when last saved (opened, or saved)."""
        self._parsed.pop(key, None)
        return self.documents.pop(key, None)

    def saved(self, key: str) -> None:
        tracked = self.documents.get(key)
        if tracked is not None:
            self._remember_saved(tracked, tracked.document.text)

    def _remember_saved(self, tracked: TrackedDocument, text: str) -> None:
        if tracked.path is None:
            return
        tracked.saved_text = text  # written to the store's snapshot with the next flush
        tracked.dirty = True
        if self.store_for(tracked.path) is None:
            self._known_texts[tracked.path] = text

    def get(self, key: str) -> TrackedDocument | None:
        return self.documents.get(key)

    def is_open_path(self, path: str) -> bool:
        return any(t.path == path for t in self.documents.values())

    def has_seen(self, path: str) -> bool:
        store = self.store_for(path)
        return path in self._known_texts or (store is not None and store.snapshot(path) is not None)

    def parse(self, key: str) -> None:
        """Bring a document's tree up to date (when the editor is idle), keeping at most
        `MAX_LIVE_TREES` trees: the least recently parsed give theirs up until needed."""
        tracked = self.documents.get(key)
        if tracked is None:
            return
        tracked.document.reparse()
        self._parsed.pop(key, None)
        self._parsed[key] = None
        while len(self._parsed) > MAX_LIVE_TREES:
            oldest = next(iter(self._parsed))
            del self._parsed[oldest]
            if oldest in self.documents:
                self.documents[oldest].document.drop_tree()

    # -- edits in the editor -------------------------------------------------------------

    def change(self, key: str, version: int | None, changes: Iterable[Change]) -> list[Region]:
        """Apply content changes; returns the regions they created (bursts, restored undos)."""
        tracked = self.documents[key]
        created: list[Region] = []
        applied: list[tuple[int, int, int, str]] = []
        for change in changes:
            edit = tracked.document.apply(change.start, change.end, change.text)
            applied.append((edit.start, edit.end, len(edit.new_text), edit.old_text))
            removals = tracked.regions.apply_edit(edit.start, edit.end, edit.new_text)
            kind, arriving = self._detect(edit.start, edit.old_text, edit.new_text, tracked)
            # Foreign code replaced by more foreign code was deleted, not retyped by hand.
            typed = bool(edit.new_text.strip()) and not arriving
            self._record_removals(tracked, removals, typed)
            for region in arriving:
                added = self._add(tracked, region, kind)
                if added is not None:
                    created.append(added)
            if edit.old_text.strip():  # after detecting: an undo comes in a later change
                inside = [
                    replace(
                        r.region, start=r.region.start - edit.start, end=r.region.end - edit.start
                    )
                    for r in removals
                    if r.vanished and r.region.start >= edit.start and r.region.end <= edit.end
                ]
                tracked.deletions.remember(edit.old_text, inside)
        tracked.document.version = version
        tracked.history.append((version, applied))
        tracked.dirty = True
        return created

    def _detect(
        self, start: int, old: str, new: str, tracked: TrackedDocument
    ) -> tuple[str, list[Region]]:
        """The foreign regions a change brings, not yet added, and the event they make:
        `inserted` for a burst, `restored` for the foreign parts of an undone deletion."""
        if not new.strip():
            return "inserted", []
        restored = tracked.deletions.take(new)
        if restored is not None:  # an undo or a move: foreign parts come back, nothing else
            placed = [replace(r, start=r.start + start, end=r.end + start) for r in restored]
            return "restored", [r for r in placed if new[r.start - start : r.end - start] == r.text]
        thresholds = self.thresholds_for(tracked.path)
        if not is_burst(new, thresholds):
            return "inserted", []
        blocks = [(0, len(new))] if not old.strip() else added_blocks(old, new)
        if not blocks or not is_burst("".join(new[a:b] for a, b in blocks), thresholds):
            return "inserted", []
        return "inserted", [Region(start + a, start + b, new[a:b], "burst") for a, b in blocks]

    def _add(
        self, tracked: TrackedDocument, region: Region, kind: str = "inserted"
    ) -> Region | None:
        added = tracked.regions.add(region)
        if added is not None:
            where = tracked.path or tracked.key
            self._emit(where, kind, added, source=added.source, tool=added.tool)
        tracked.dirty = True
        return added

    def _record_removals(
        self, tracked: TrackedDocument, removals: list[Removal], typed: bool
    ) -> None:
        for removal in removals:
            self._emit(
                tracked.path or tracked.key,
                "retyped" if typed else "deleted",
                removal.region,
                lines=sum(1 for line in removal.removed_text.split("\n") if line.strip()),
                removed_chars=len(removal.removed_text.strip()),
                vanished=removal.vanished,
            )

    # -- explicit reports ------------------------------------------------------------------

    def report_insertion(
        self, key: str, version: int | None, start: Pos, end: Pos, source: str, tool: str | None
    ) -> Region | None:
        """A client told us exactly what it inserted (`mindgap/didInsert`)."""
        tracked = self.documents.get(key)
        if tracked is None:
            return None
        document = tracked.document
        start_offset = self._offset_now(tracked, version, start, "start")
        end_offset = self._offset_now(tracked, version, end, "end")
        if start_offset is None or end_offset is None or end_offset <= start_offset:
            return None
        region = Region(
            start_offset,
            end_offset,
            document.text[start_offset:end_offset],
            source=source if source in SOURCES else "unknown",
            tool=tool or None,
        )
        # The burst detector usually saw this change first: the report names its origin,
        # so the burst region is reclassified rather than counted as a second insertion.
        bursts = [
            r
            for r in tracked.regions
            if r.source == "burst" and r.start < end_offset and start_offset < r.end
        ]
        if bursts:
            first = bursts[0]
            region = replace(
                region, id=first.id, origin_id=first.origin_id, created_at=first.created_at
            )
            return self._add(tracked, region, "reclassified")
        return self._add(tracked, region)

    def _offset_now(
        self, tracked: TrackedDocument, version: int | None, pos: Pos, side: str
    ) -> int | None:
        """The current offset of a position given in an earlier version of the document."""
        if version is None or version == tracked.version:
            return tracked.document.offset(pos)
        versions = [v for v, _ in tracked.history]
        if version not in versions:
            return None  # too old (or from the future): better no region than a wrong one
        later = [
            edit
            for _, edits in list(tracked.history)[versions.index(version) + 1 :]
            for edit in edits
        ]
        old_text = tracked.document.text
        for edit_start, _, new_length, removed in reversed(later):
            old_text = old_text[:edit_start] + removed + old_text[edit_start + new_length :]
        offset = LineIndex(old_text, self.encoding).offset(pos)
        for edit_start, edit_end, new_length, _ in later:
            if offset >= edit_end and not (side == "end" and offset == edit_start):
                offset += new_length - (edit_end - edit_start)
            elif offset > edit_start:
                offset = edit_start + (new_length if side == "end" else 0)
        return offset

    def mark_foreign(self, key: str, start: Pos, end: Pos, source: str = "manual") -> Region | None:
        return self.report_insertion(key, None, start, end, source, None)

    def mark_mine(self, key: str, start: Pos, end: Pos) -> int:
        """The developer says they wrote this; returns how many foreign lines that cleared."""
        tracked = self.documents.get(key)
        if tracked is None:
            return 0
        removals = tracked.regions.carve(
            tracked.document.offset(start), tracked.document.offset(end)
        )
        for removal in removals:
            self._emit(
                tracked.path or tracked.key,
                "marked-mine",
                removal.region,
                lines=sum(1 for line in removal.removed_text.split("\n") if line.strip()),
            )
        tracked.dirty = tracked.dirty or bool(removals)
        return sum(1 for r in removals for line in r.removed_text.split("\n") if line.strip())

    def note(self, key: str, region_id: str, kind: str, **detail: object) -> Region | None:
        """Record an event about a region without changing it (e.g. a quiz was asked)."""
        tracked = self.documents.get(key)
        region = tracked.regions.get(region_id) if tracked else None
        if tracked is None or region is None:
            return None
        self._record(tracked.path or tracked.key, kind, region, None, detail)
        return region

    def set_state(
        self, key: str, region_id: str, state: str, event: str, **detail: object
    ) -> Region | None:
        """A region's state changes (pending -> understood or waived), with its evidence."""
        tracked = self.documents.get(key)
        region = tracked.regions.get(region_id) if tracked else None
        if tracked is None or region is None:
            return None
        updated = replace(region, state=state)
        tracked.regions.regions = [updated if r.id == region_id else r for r in tracked.regions]
        tracked.dirty = True
        self._record(tracked.path or tracked.key, event, updated, None, {"state": state, **detail})
        return updated

    # -- edits the server applies itself (a hand-write's comment block, the original back) ---

    def put_aside(self, key: str, region_id: str, replacement: str) -> Region | None:
        """A region leaves the document with its code, which the editor is about to replace
        by `replacement` (mindgap's own text: never a foreign burst). Returns the region."""
        tracked = self.documents.get(key)
        region = tracked.regions.get(region_id) if tracked else None
        if tracked is None or region is None:
            return None
        tracked.regions.regions = [r for r in tracked.regions if r.id != region_id]
        tracked.deletions.remember(replacement, [])
        tracked.dirty = True
        return region

    def expect_back(self, key: str, text: str, regions: list[Region]) -> None:
        """`text` is about to come back into the document (an undo, or mindgap putting code
        back): its foreign parts (`regions`, offsets relative to `text`) return as they
        were, same ids, with a `restored` event."""
        tracked = self.documents.get(key)
        if tracked is not None:
            tracked.deletions.remember(text, regions)

    def put_back(self, key: str, region: Region) -> Region | None:
        """A region the server placed itself (one put aside, or the developer's version of
        it): no event, the event that says why follows (a state change)."""
        tracked = self.documents.get(key)
        if tracked is None:
            return None
        added = tracked.regions.add(region)
        tracked.dirty = True
        return added

    def arrive_whole(self, key: str, version: int | None, text: str, carried: list[Region]) -> None:
        """The document's whole text arrives with foreign code it carries from elsewhere (a
        notebook cell moved, or split off another): not an insertion; each carried region
        whose code is there returns, same id, with a `restored` event."""
        tracked = self.documents[key]
        tracked.document.apply(None, None, text)
        tracked.document.version = version
        for region in carried:
            if text[region.start : region.end] == region.text:
                self._add(tracked, region, "restored")
        tracked.dirty = True

    def store_under(
        self,
        key: str,
        path: str,
        replacing: set[str] | frozenset[str] = frozenset(),
        regions: RegionSet | None = None,
    ) -> str | None:
        """The document is stored under `path` from now on (a notebook cell that got its
        nbformat id, or was placed by its content), its text as it is now; its next save
        replaces what the origins `replacing` left there. With `regions`, they are its
        regions now. Returns the key it was stored under before."""
        tracked = self.documents[key]
        old, tracked.path = tracked.path, path
        if regions is not None:
            tracked.regions = regions
        tracked.dirty = True
        tracked.saved_text = tracked.document.text
        self.known_origins.setdefault(path, set()).update(replacing)
        return old

    def drop_regions_within(self, key: str, spans: list[tuple[int, int]]) -> list[Region]:
        """Regions lying wholly inside one of `spans` are no foreign code (mindgap's own
        lines that an editor sent in pieces); returns those dropped."""
        tracked = self.documents.get(key)
        if tracked is None:
            return []
        inside = [r for r in tracked.regions if any(a <= r.start and r.end <= b for a, b in spans)]
        if inside:
            tracked.regions.regions = [r for r in tracked.regions if r not in inside]
            tracked.dirty = True
        return inside

    # -- changes on disk ------------------------------------------------------------------------

    def disk_changed(self, path: str, new_text: str | None, from_git: bool = False) -> list[Region]:
        """A file not open in the editor changed on disk (None: it was deleted).

        Added hunks become `agent-edit` regions unless the new content is what git has
        committed (a checkout, a pull): then only the stored regions re-anchor.
        """
        if self.is_open_path(path):
            # The editor holds the file (perhaps opened while this change was being read):
            # it is the writer now and its didChange tells us; the baseline is gone, so
            # rather than guess, say nothing.
            return []
        store = self.store_for(path)
        old_text = self._known_texts.get(path)
        if old_text is None and store is not None:
            old_text = store.snapshot(path)
        if old_text is None:
            return []  # never seen: nothing to diff against
        stored = store.load(path) if store is not None else []
        self._know(path, stored)
        if new_text is None:
            for region in stored:
                self._emit(path, "deleted", region, lines=region.line_count, reason="file deleted")
            self._known_texts.pop(path, None)
            if store is not None:
                store.forget(path)
            return []
        regions = RegionSet(self._reanchor_all(path, stored, new_text))
        created = []
        for start, end in [] if from_git else added_blocks(old_text, new_text):
            added = regions.add(Region(start, end, new_text[start:end], source="agent-edit"))
            if added is not None:
                self._emit(path, "inserted", added, source="agent-edit", tool=None)
                created.append(added)
        if store is not None:
            state = file_state(path, list(regions), new_text)
            store.save(replace(state, replacing=frozenset(self.known_origins[path])))
        else:
            self._known_texts[path] = new_text
        return created

    def _reanchor_all(self, path: str, stored: list[Region], text: str) -> list[Region]:
        placed: list[Region] = []
        for region in stored:
            anchoring = reanchor(region, text)
            if anchoring.outcome == "gone":
                self._emit(
                    path,
                    "deleted",
                    region,
                    lines=region.line_count,
                    reason="code gone when re-anchoring",
                )
            elif anchoring.outcome != "kept":
                self._emit(
                    path, "moved", region, lines=region.line_count, outcome=anchoring.outcome
                )
            placed.extend(anchoring.regions)
        result = RegionSet()
        for region in placed:  # overlapping placements: the later region wins, never both
            result.add(region)
        return list(result)

    # -- persistence ------------------------------------------------------------------------------

    def state_to_save(self, key: str) -> FileState | None:
        """A snapshot of what to persist for a document (taken on the event loop, written
        elsewhere), or None when there is nothing new or nowhere to put it."""
        tracked = self.documents.get(key)
        if tracked is None or tracked.path is None or not tracked.dirty:
            return None
        tracked.dirty = False
        text, tracked.saved_text = tracked.saved_text, None
        state = file_state(tracked.path, list(tracked.regions), text, tracked.document)
        known = self.known_origins.setdefault(tracked.path, set())
        known.update(region.origin_id for region in tracked.regions)
        return replace(state, replacing=frozenset(known))

    def _know(self, path: str, regions: Iterable[Region]) -> None:
        self.known_origins.setdefault(path, set()).update(r.origin_id for r in regions)

    # -- regions other processes stored (an agent's hook, an import) ---------------------------

    def adopt_stored(self, key: str) -> tuple[list[Region], int]:
        """Regions stored by another process for an open document since it was opened:
        placed where their code stands now (white space aside), taking over the foreign
        code they overlap (an editor reload that looked like a burst). Returns the regions
        adopted and how many could not be placed yet (the editor has not shown the code)."""
        tracked = self.documents.get(key)
        store = self.store_for(tracked.path) if tracked is not None else None
        if tracked is None or tracked.path is None or store is None:
            return [], 0
        known = self.known_origins.setdefault(tracked.path, set())
        strangers = [r for r in store.load(tracked.path) if r.origin_id not in known]
        adopted: list[Region] = []
        unplaced = 0
        text = tracked.document.text
        for region in strangers:
            anchoring = reanchor(region, text)
            if anchoring.outcome in ("gone", "partial"):
                unplaced += 1  # not (all) there yet: try again after the editor's next change
                continue
            known.add(region.origin_id)
            for placed in anchoring.regions:
                for removal in tracked.regions.carve(placed.start, placed.end):
                    self._emit(
                        tracked.path,
                        "deleted",
                        removal.region,
                        lines=sum(1 for line in removal.removed_text.split("\n") if line.strip()),
                        reason=f"attributed to {placed.source} ({placed.tool or 'unknown'})",
                        vanished=removal.vanished,
                    )
                added = tracked.regions.add(placed)
                if added is not None:
                    adopted.append(added)
        tracked.dirty = tracked.dirty or bool(adopted)
        return adopted, unplaced

    def drain_events(self) -> list[Event]:
        events, self._events = self._events, []
        return events

    def _emit(
        self, path: str, kind: str, region: Region, lines: int | None = None, **detail: object
    ) -> None:
        self._record(path, kind, region, lines, detail)

    def _record(
        self, path: str, kind: str, region: Region, lines: int | None, detail: dict[str, object]
    ) -> None:
        self.known_origins.setdefault(path, set()).add(region.origin_id)
        self._events.append(
            Event(
                kind=kind,  # type: ignore[arg-type]
                path=path,
                region_id=region.id,
                origin_id=region.origin_id,
                fingerprint=region.fingerprint,
                lines=region.line_count if lines is None else lines,
                detail={k: v for k, v in detail.items() if v is not None},
            )
        )


def file_state(
    path: str, regions: list[Region], text: str | None, document: SyntaxDocument | None = None
) -> FileState:
    if document is None:
        document = SyntaxDocument(path, text or "", None)
    index = document.index
    spans = [(index.line_of(r.start), index.line_of(max(r.start, r.end - 1))) for r in regions]
    return FileState(path, regions, spans, text)
