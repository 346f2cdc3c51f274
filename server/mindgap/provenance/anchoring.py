"""Re-anchoring stored regions in a text that may have changed while nobody was watching."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from typing import Literal

from mindgap.provenance.regions import Region, new_region_id, trimmed

Outcome = Literal["kept", "moved", "partial", "gone"]


@dataclass(frozen=True)
class Anchoring:
    outcome: Outcome
    regions: list[Region]  # where the region now is (several if only parts survived)


def reanchor(region: Region, text: str) -> Anchoring:
    """Find `region` in `text`: in place, moved as a whole, in surviving parts, or gone."""
    if text[region.start : region.end] == region.text:
        return Anchoring("kept", [region])
    found = _nearest_occurrence(text, region.text, region.start)
    if found is not None:
        return Anchoring("moved", [replace(region, start=found, end=found + len(region.text))])
    parts = _surviving_line_blocks(region, text)
    return Anchoring("partial", parts) if parts else Anchoring("gone", [])


def _nearest_occurrence(text: str, needle: str, near: int) -> int | None:
    best = None
    position = text.find(needle)
    while position != -1:
        if best is None or abs(position - near) < abs(best - near):
            best = position
        position = text.find(needle, position + 1)
    return best


def _surviving_line_blocks(region: Region, text: str) -> list[Region]:
    """Runs of the region's lines that still stand together in the text (white space aside).

    A run must hold at least two non-blank lines (or be the whole region): single common
    lines such as `return None` or `}` would anchor anywhere.
    """
    region_lines = [line.strip() for line in region.text.split("\n")]
    text_lines = text.split("\n")
    starts = [0]
    for line in text_lines:
        starts.append(starts[-1] + len(line) + 1)
    matcher = difflib.SequenceMatcher(
        None, region_lines, [line.strip() for line in text_lines], False
    )
    needed = min(2, sum(1 for line in region_lines if line))
    parts: list[Region] = []
    for block in matcher.get_matching_blocks():
        if sum(1 for line in region_lines[block.a : block.a + block.size] if line) < needed:
            continue
        start = starts[block.b]
        end = starts[block.b + block.size] - 1
        piece = trimmed(
            replace(
                region,
                id=new_region_id() if parts else region.id,
                start=start,
                end=end,
                text=text[start:end],
            )
        )
        if piece is not None:
            parts.append(piece)
    return parts
