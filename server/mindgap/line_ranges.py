"""FILE:START-END arguments and the regions they name: light enough for `mindgap quiz` and
`mindgap explain` to start fast (the conventions stack of `check` is not imported)."""

from __future__ import annotations

import re
from pathlib import Path

from mindgap.errors import UsageError
from mindgap.provenance.regions import Region, RegionSet
from mindgap.syntax.positions import LineIndex
from mindgap.textfiles import resolved

_INSERTED = re.compile(r"(?P<file>.+):(?P<start>[0-9]+)-(?P<end>[0-9]+)", re.ASCII)
MAX_LINE_DIGITS = 9  # a billion lines: larger numbers are typos (or attacks on int())
REGION = "the region"  # how messages name the FILE:START-END argument of quiz, explain, ...


def parse_inserted(spec: str, option: str = "--inserted") -> tuple[Path, int, int]:
    match = _INSERTED.fullmatch(spec)
    if not match:
        raise UsageError(f"{option} wants FILE:START-END (1-based lines), got {spec!r}")
    if max(len(match["start"]), len(match["end"])) > MAX_LINE_DIGITS:
        shown = spec if len(spec) < 80 else f"{spec[:60]}...({len(spec):,} characters)"
        raise UsageError(f"{option} {shown}: no file has that many lines")
    start, end = int(match["start"]), int(match["end"])
    if start < 1 or end < start:
        raise UsageError(f"{option} {spec}: lines are 1-based and START <= END")
    return resolved(match["file"]), start, end


def lines_region(index: LineIndex, first: int, last: int, source: str) -> Region | None:
    """A region over 1-based inclusive lines (clamped to the file); None if they are blank."""
    lines = index.line_count - (1 if index.text.endswith("\n") else 0)
    if first > lines:
        raise UsageError(f"line {first} is past the end ({lines} lines)")
    start = index.starts[first - 1]
    end = index.starts[last] - 1 if last < index.line_count else len(index.text)
    return RegionSet().add(Region(start, end, index.text[start:end], source=source))
