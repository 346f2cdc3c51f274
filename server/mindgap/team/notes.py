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
from pathlib import Path, PurePosixPath
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic.alias_generators import to_camel

from mindgap.vcs import batch_cat, git, git_text

NOTES_REF = "refs/notes/mindgap"
NOTES_NAME = "mindgap"  # for `git notes --ref=`


MAX_NOTE_LINE_CHARS = 100_000  # an attestation is a few hundred; explanations a few thousand
MAX_NOTE_BYTES = 20_000_000  # a commit's note: thousands of attestations fit in far less
MAX_SPAN_LINES = 100_000  # no foreign region spans more lines than that
LATEST_TIME = 4_102_444_800.0  # 2100-01-01: later (or infinite) times are not times


class Attestation(BaseModel):
    """One developer's word about one piece of foreign code in one commit.

    Notes come from anybody who can push to the repository: every field is bounded, the path
    stays inside the repository, the time is a finite moment; a line that breaks any of it is
    skipped with a warning, never trusted and never fatal.
    """

    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="ignore", allow_inf_nan=False
    )

    developer: str = Field(min_length=1, max_length=320)
    path: str = Field(min_length=1, max_length=4096)  # relative to the root, '/'-separated
    fingerprint: str = Field(max_length=128)  # the region's code (provenance.regions.fingerprint)
    # the whole lines it spans: how it is found again in other commits
    line_fingerprint: str = Field(max_length=128)
    span: int = Field(ge=1, le=MAX_SPAN_LINES)  # lines it spans, blank ones included
    lines: int = Field(ge=0, le=MAX_SPAN_LINES)  # foreign (non-blank) lines
    state: Literal["pending", "understood", "waived"]
    time: float = Field(ge=0, le=LATEST_TIME)  # when the state was set (epoch seconds)
    source: str = Field("unknown", max_length=64)
    # only with `mindgap share --with-explanations`
    explanation: str | None = Field(None, max_length=MAX_NOTE_LINE_CHARS)

    @field_validator("path")
    @classmethod
    def _inside_the_repository(cls, path: str) -> str:
        if any(c in path for c in "\0\n\r\\"):
            raise ValueError("a path with a control character or a backslash")
        parts = PurePosixPath(path).parts
        if path.startswith("/") or ".." in parts or not parts or parts[0] == ".":
            raise ValueError("a path outside the repository")
        return path

    @model_validator(mode="after")
    def _lines_within_span(self) -> Attestation:
        if self.lines > self.span:
            raise ValueError(f"{self.lines} foreign lines in a span of {self.span}")
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.developer.lower(), self.path, self.line_fingerprint)

    def to_line(self) -> str:
        return json.dumps(
            self.model_dump(by_alias=True, exclude_none=True), sort_keys=True, ensure_ascii=False
        )


def parse_note(text: str) -> tuple[list[Attestation], int]:
    """The attestations in a note, and how many non-blank lines were not attestations."""
    found, problems = read_note(text)
    return found, len(problems)


def read_note(text: str) -> tuple[list[Attestation], list[str]]:
    """The attestations in a note, and why each other non-blank line is not one."""
    found: list[Attestation] = []
    problems: list[str] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        problem = None
        if len(line) > MAX_NOTE_LINE_CHARS:
            problem = f"a line of {len(line):,} characters"
        else:
            try:
                found.append(Attestation.model_validate(json.loads(line)))
            except RecursionError:
                problem = "JSON nested too deeply"
            except ValidationError as error:
                problem = _first_error(error)
            except ValueError as error:  # json.JSONDecodeError, UnicodeError
                problem = f"not JSON ({error})"
        if problem is not None:
            problems.append(problem)
    return found, problems


def _first_error(error: ValidationError) -> str:
    details = error.errors(include_url=False, include_input=False)
    if not details:
        return "not an attestation"
    where = ".".join(str(part) for part in details[0]["loc"]) or "the line"
    return f"{where}: {details[0]['msg']}"


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
    problems: list[str] = []  # one warning per note with lines that were skipped


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
        if len(blob) > MAX_NOTE_BYTES:
            snapshot.unreadable += 1
            snapshot.problems.append(
                f"the mindgap note on commit {commit[:12]} is {len(blob):,} bytes (the limit "
                f"is {MAX_NOTE_BYTES:,}): skipped"
            )
            continue
        attestations, problems = read_note(blob.decode("utf-8", "replace"))
        snapshot.pairs.extend((commit, attestation) for attestation in attestations)
        if problems:
            snapshot.unreadable += len(problems)
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            snapshot.problems.append(
                f"the mindgap note on commit {commit[:12]} has an invalid attestation, "
                f"skipped: {problems[0]}{more}"
            )
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
