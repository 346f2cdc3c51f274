"""Attestations, shared as git notes under refs/notes/mindgap.

A note is JSON Lines: one attestation (a JSON object) per line, sorted and unique, so that
git's own `cat_sort_uniq` notes merge strategy is exactly a union of two developers' notes,
and `mindgap share` can add its lines to a note without touching anybody else's. When a
developer's attestation about the same code appears more than once (a pending one, later an
understood one), the newest counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from mindgap.team.git import batch_cat, git, git_text

NOTES_REF = "refs/notes/mindgap"
NOTES_NAME = "mindgap"  # for `git notes --ref=`


class Attestation(BaseModel):
    """One developer's word about one piece of foreign code in one commit."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")

    developer: str
    path: str  # relative to the repository root, with forward slashes
    fingerprint: str  # the region's code (provenance.regions.fingerprint)
    line_fingerprint: str  # the whole lines it spans: how it is found again in other commits
    span: int  # lines it spans, blank ones included
    lines: int  # foreign (non-blank) lines
    state: Literal["pending", "understood", "waived"]
    time: float  # when the state was set (epoch seconds)
    source: str = "unknown"
    explanation: str | None = None  # only with `mindgap share --with-explanations`

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.developer.lower(), self.path, self.line_fingerprint)

    def to_line(self) -> str:
        return json.dumps(
            self.model_dump(by_alias=True, exclude_none=True), sort_keys=True, ensure_ascii=False
        )


def parse_note(text: str) -> tuple[list[Attestation], int]:
    """The attestations in a note, and how many non-blank lines were not attestations."""
    found, bad = [], 0
    for line in text.splitlines():
        if not line.strip():
            continue
        try:
            found.append(Attestation.model_validate(json.loads(line)))
        except (ValueError, ValidationError):
            bad += 1
    return found, bad


def note_text(lines: Iterable[str]) -> str:
    return "\n".join(sorted(set(lines))) + "\n"


def newest(attestations: Iterable[Attestation]) -> dict[tuple[str, str, str], Attestation]:
    kept: dict[tuple[str, str, str], Attestation] = {}
    for attestation in attestations:
        known = kept.get(attestation.key)
        if known is None or attestation.time > known.time:
            kept[attestation.key] = attestation
    return kept


class NotesSnapshot(BaseModel):
    """Every mindgap note of a repository: (commit, attestation) pairs."""

    notes: int = 0
    pairs: list[tuple[str, Attestation]] = []
    unreadable: int = 0


def read_all_notes(root: Path) -> NotesSnapshot:
    """All notes in two git processes (the list, then every blob in one batch)."""
    listing = git(root, "notes", f"--ref={NOTES_NAME}", "list", check=False)
    if listing.returncode != 0:
        return NotesSnapshot()  # no notes yet
    entries = [line.split() for line in listing.stdout.decode().splitlines() if line.strip()]
    entries = [entry for entry in entries if len(entry) == 2]
    blobs = batch_cat(root, [blob for blob, _ in entries])
    snapshot = NotesSnapshot(notes=len(entries))
    for (_, commit), blob in zip(entries, blobs, strict=True):
        if blob is None:
            continue
        attestations, bad = parse_note(blob.decode("utf-8", "replace"))
        snapshot.unreadable += bad
        snapshot.pairs.extend((commit, attestation) for attestation in attestations)
    return snapshot


def note_lines(root: Path, commit: str) -> list[str]:
    result = git(root, "notes", f"--ref={NOTES_NAME}", "show", commit, check=False)
    if result.returncode != 0:
        return []
    return [line for line in result.stdout.decode("utf-8", "replace").splitlines() if line]


def add_to_note(root: Path, commit: str, attestations: list[Attestation]) -> int:
    """Union `attestations` into the commit's note (other lines stay); returns the lines
    added. A developer's older line about the same code is replaced by the newer one."""
    existing = note_lines(root, commit)
    mine = {a.key: a for a in attestations}
    kept = []
    for line in existing:
        parsed, _ = parse_note(line)
        if parsed and parsed[0].key in mine and parsed[0].time <= mine[parsed[0].key].time:
            continue  # superseded by what is shared now
        kept.append(line)
    new_lines = [a.to_line() for a in attestations]
    text = note_text(kept + new_lines)
    if set(text.splitlines()) == set(existing):
        return 0
    git(root, "notes", f"--ref={NOTES_NAME}", "add", "-f", "-F", "-", commit, input=text.encode())
    return len(set(new_lines) - set(existing))


def reachable_commits(root: Path) -> set[str]:
    result = git(root, "rev-list", "HEAD", check=False)
    return set(result.stdout.decode().split()) if result.returncode == 0 else set()


def notes_ref_exists(root: Path) -> bool:
    return bool(git_text(root, "for-each-ref", NOTES_REF).strip())
