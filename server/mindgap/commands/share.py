"""`mindgap share`: this developer's attestations, attached to commits as git notes.

For each foreign region the store holds in this repository (found again in the file as it
is now), the commit holding its code (the newest commit among its lines, by git blame)
gets a line in its note under refs/notes/mindgap. Regions with uncommitted lines wait for
their commit. Attestations on commits that history rewriting left behind (rebase, squash)
are attached again to the commit that now holds their code, found by fingerprint.
Explanations stay on this machine unless --with-explanations.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from mindgap.config import developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, UsageError
from mindgap.knowledge.profile import developer_key
from mindgap.ledger.database import Database, StoreError
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.syntax.positions import LineIndex
from mindgap.team.anchoring import CodeLocator, blame_commits, head_texts, line_fingerprint
from mindgap.team.notes import (
    NOTES_REF,
    Attestation,
    add_to_note,
    reachable_commits,
    read_all_notes,
)
from mindgap.textfiles import read_text_file
from mindgap.vcs import repository_root

STATE_EVENTS = ("answered", "explained", "hand-written", "waived", "inserted", "reclassified")


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.repo)
    settings = resolve_settings(root)
    developer = args.developer or developer_identity(settings, root)
    try:
        database = Database()
    except StoreError as error:
        raise UsageError(str(error)) from error
    try:
        attestations, waiting = own_attestations(database, developer, root, args.with_explanations)
    finally:
        database.close()
    by_commit: dict[str, list[Attestation]] = defaultdict(list)
    for commit, attestation in attestations:
        by_commit[commit].append(attestation)
    added = sum(add_to_note(root, commit, found) for commit, found in by_commit.items())
    moved = reattach_orphans(root)
    print(
        f"mindgap: shared {len(attestations)} attestation(s) of {developer} on"
        f" {len(by_commit)} commit(s) ({added} new or changed)"
        + (f"; {moved} attached again after rewritten history" if moved else "")
    )
    if waiting:
        print(
            f"mindgap: {waiting} region(s) have lines not committed yet: commit them, then"
            " share again",
            file=sys.stderr,
        )
    if added or moved:
        print(f"Push them with: git push origin {NOTES_REF}")
    return EXIT_CLEAN


def _state_times(database: Database, developer: str) -> tuple[dict[str, float], dict[str, str]]:
    """Per region id: when its state was last set, and the latest passing explanation."""
    times: dict[str, float] = {}
    explanations: dict[str, str] = {}
    marks = ",".join("?" for _ in STATE_EVENTS)
    for row in database.query(
        f"SELECT region_id, kind, time, detail FROM events WHERE lower(developer) = ?"
        f" AND kind IN ({marks}) ORDER BY time, id",
        (developer_key(developer), *STATE_EVENTS),
    ):
        times[row["region_id"]] = row["time"]
        if row["kind"] == "explained":
            detail = json.loads(row["detail"])
            if detail.get("passed") and detail.get("explanation"):
                explanations[row["region_id"]] = str(detail["explanation"])
    return times, explanations


def own_attestations(
    database: Database, developer: str, root: Path, with_explanations: bool
) -> tuple[list[tuple[str, Attestation]], int]:
    """(commit, attestation) for each committed region in the repository; and how many
    regions wait for a commit."""
    store = RegionStore(database, developer)
    times, explanations = _state_times(database, developer)
    prefix = str(root) + "/"
    found: list[tuple[str, Attestation]] = []
    waiting = 0
    for path in store.paths_with_regions():
        if not path.startswith(prefix):
            continue
        content = read_text_file(path)
        if content.text is None:
            continue
        text = content.text
        index = LineIndex(text)
        lines = text.split("\n")
        relative = Path(path).relative_to(root).as_posix()
        placed = [r for stored in store.load(path) for r in reanchor(stored, text).regions]
        spans = [(index.line_of(r.start), index.line_of(max(r.start, r.end - 1))) for r in placed]
        commits = blame_commits(root, relative, [(a + 1, b + 1) for a, b in spans])
        for region, (first, last), commit in zip(placed, spans, commits, strict=True):
            if commit is None:
                waiting += 1
                continue
            explanation = explanations.get(region.id) if with_explanations else None
            found.append(
                (
                    commit,
                    Attestation(
                        developer=developer_key(developer),
                        path=relative,
                        fingerprint=region.fingerprint,
                        line_fingerprint=line_fingerprint(lines, first, last),
                        span=last - first + 1,
                        lines=region.line_count,
                        state=region.state,
                        time=times.get(region.id, region.created_at),
                        source=region.source,
                        explanation=explanation,
                    ),
                )
            )
    return found, waiting


def reattach_orphans(root: Path) -> int:
    """Attestations (anyone's) on commits no longer reachable from HEAD whose code HEAD
    still holds: attached to the commit that holds it now. The old notes stay (other
    clones may still have those commits); the report counts each attestation once."""
    snapshot = read_all_notes(root)
    reachable = reachable_commits(root)
    on_reachable = {a.key for commit, a in snapshot.pairs if commit in reachable}
    orphans = {
        a.key: a
        for commit, a in snapshot.pairs
        if commit not in reachable and a.key not in on_reachable
    }
    if not orphans:
        return 0
    paths = sorted({a.path for a in orphans.values()})
    locator = CodeLocator(head_texts(root, paths))
    per_path: dict[str, list[tuple[Attestation, int]]] = defaultdict(list)
    for attestation in orphans.values():
        first = locator.locate(attestation.path, attestation.span, attestation.line_fingerprint)
        if first is not None:
            per_path[attestation.path].append((attestation, first))
    by_commit: dict[str, list[Attestation]] = defaultdict(list)
    for path, located in per_path.items():
        spans = [(first + 1, first + a.span) for a, first in located]
        for (attestation, _), commit in zip(
            located, blame_commits(root, path, spans, "HEAD"), strict=True
        ):
            if commit is not None:
                by_commit[commit].append(attestation)
    for commit, attestations in by_commit.items():
        add_to_note(root, commit, attestations)
    return sum(len(found) for found in by_commit.values())
