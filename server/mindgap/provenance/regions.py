"""Foreign regions and how they move, shrink, split and vanish as the text is edited.

A region claims an exact piece of the document: `text[start:end] == region.text` holds after
every edit (the property tests check it). Text the developer types inside a region is theirs,
so a non-blank edit inside a region cuts it out: the region shrinks, splits or vanishes.
White space typed inside a region (a new blank line, re-indenting) is absorbed instead, so
pressing Enter in foreign code does not shatter it into fragments.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass, field, replace

SOURCES = (
    "inline-completion",
    "chat-edit",
    "agent-edit",
    "paste",
    "burst",
    "git",
    "manual",
    "unknown",
)


def new_region_id() -> str:
    # 64 random bits, as uuid4's first 16 hex digits were, without importing uuid (the
    # agent hook imports this module and must start fast)
    return os.urandom(8).hex()


FINGERPRINT_CHARS = 24


def fingerprint(text: str) -> str:
    """Content identity of foreign code, blind to white space (re-indenting keeps it)."""
    words = " ".join(text.split()).encode("utf-8", "surrogatepass")
    return hashlib.sha256(words).hexdigest()[:FINGERPRINT_CHARS]


@dataclass
class Region:
    start: int
    end: int
    text: str
    source: str
    tool: str | None = None
    id: str = field(default_factory=new_region_id)
    origin_id: str = ""  # the insertion this fragment came from; fragments of one share it
    created_at: float = field(default_factory=time.time)
    state: str = "pending"

    def __post_init__(self) -> None:
        if not self.origin_id:
            self.origin_id = self.id

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)

    @property
    def line_count(self) -> int:
        """Lines that hold foreign code (blank lines do not count)."""
        return sum(1 for line in self.text.split("\n") if line.strip())


@dataclass(frozen=True)
class Removal:
    """Foreign text that an edit took out of a region."""

    region: Region  # the region as it was before the edit
    removed_text: str
    vanished: bool  # nothing of the region is left


def trimmed(region: Region) -> Region | None:
    """The region without white space at its ends; None if nothing else is left."""
    text = region.text
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    if not body:
        return None
    if lead == 0 and len(body) == len(text):
        return region
    return replace(
        region, start=region.start + lead, end=region.start + lead + len(body), text=body
    )


def cut(region: Region, start: int, end: int, delta: int) -> list[Region]:
    """What is left of `region` after text[start:end] was replaced by text `delta` longer."""
    pieces = []
    if start > region.start:
        left = replace(region, end=start, text=region.text[: start - region.start])
        pieces.append(left)
    if region.end > end:
        offset = max(end, region.start) - region.start
        right = replace(
            region,
            id=region.id if not pieces else new_region_id(),
            start=max(end, region.start) + delta,
            end=region.end + delta,
            text=region.text[offset:],
        )
        pieces.append(right)
    return [piece for piece in map(trimmed, pieces) if piece is not None]


class RegionSet:
    """The foreign regions of one document, kept sorted and disjoint."""

    def __init__(self, regions: list[Region] | None = None) -> None:
        self.regions: list[Region] = sorted(regions or [], key=lambda r: r.start)

    def __iter__(self):
        return iter(self.regions)

    def __len__(self) -> int:
        return len(self.regions)

    def get(self, region_id: str) -> Region | None:
        return next((r for r in self.regions if r.id == region_id), None)

    def at(self, offset: int) -> Region | None:
        return next((r for r in self.regions if r.start <= offset < r.end), None)

    def apply_edit(self, start: int, end: int, new_text: str) -> list[Removal]:
        """Move regions for text[start:end] -> new_text; returns the foreign text removed."""
        delta = len(new_text) - (end - start)
        result: list[Region] = []
        removals: list[Removal] = []
        for region in self.regions:
            if region.end <= start:
                result.append(region)  # before the edit (typing right after a region)
            elif region.start >= end:
                result.append(  # after the edit
                    replace(region, start=region.start + delta, end=region.end + delta)
                    if delta
                    else region
                )
            elif _is_blank_edit(region, start, end, new_text):
                offset_start, offset_end = start - region.start, end - region.start
                text = region.text[:offset_start] + new_text + region.text[offset_end:]
                result.append(replace(region, end=region.end + delta, text=text))
            else:
                pieces = cut(region, start, end, delta)
                removed = region.text[max(start, region.start) - region.start : end - region.start]
                if removed.strip() or not pieces:
                    removals.append(Removal(region, removed, vanished=not pieces))
                result.extend(pieces)
        self.regions = result
        return removals

    def carve(self, start: int, end: int) -> list[Removal]:
        """Take text[start:end] out of every region without changing the text."""
        result: list[Region] = []
        removals: list[Removal] = []
        for region in self.regions:
            if region.end <= start or region.start >= end:
                result.append(region)
                continue
            pieces = cut(region, start, end, 0)
            removed = region.text[max(start, region.start) - region.start : end - region.start]
            removals.append(Removal(region, removed, vanished=not pieces))
            result.extend(pieces)
        self.regions = result
        return removals

    def add(self, region: Region) -> Region | None:
        """Add a region, replacing whatever foreign coverage it overlaps; returns it trimmed."""
        added = trimmed(region)
        if added is None:
            return None
        self.carve(added.start, added.end)
        self.regions.append(added)
        self.regions.sort(key=lambda r: r.start)
        return added


def _is_blank_edit(region: Region, start: int, end: int, new_text: str) -> bool:
    """Only white space goes in and out, strictly inside the region."""
    if not (region.start < start and end < region.end):
        return False
    removed = region.text[start - region.start : end - region.start]
    return not new_text.strip() and not removed.strip()
