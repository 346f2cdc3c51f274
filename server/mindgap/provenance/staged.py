"""The developer's foreign code that `git add` staged: what the commit gate looks at.

The developer's foreign regions (from their store) are found again in the staged content of
each staged file; those that overlap lines the staged changes add are the staged foreign
code. In a notebook, a region counts unless its code was already in the same cell (by id,
else index) at HEAD.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from mindgap.notebooks import cell_key, is_notebook, notebook_from_bytes
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.regions import Region
from mindgap.syntax.positions import LineIndex
from mindgap.vcs import batch_cat, git

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class StagedRegion(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    file: str  # as given to `mindgap quiz` from the current folder
    start_line: int  # 1-based, inclusive
    end_line: int
    lines: int
    source: str
    tool: str | None
    state: str
    clear: str  # the command that clears it

    @classmethod
    def of(cls, region: Region, file: str, first: int, last: int) -> StagedRegion:
        """A region placed on lines first..last of `file` (a path, or a notebook's
        `path#CELL`), with the quiz command that clears it."""
        return cls(
            file=file,
            start_line=first,
            end_line=last,
            lines=region.line_count,
            source=region.source,
            tool=region.tool,
            state=region.state,
            clear=f"mindgap quiz {file}:{first}-{last}",
        )

    @property
    def where(self) -> str:
        return f"{self.file}:{self.start_line}-{self.end_line}"


def staged_paths(root: Path) -> list[str]:
    output = git(root, "diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR").stdout
    return [name.decode("utf-8", "surrogateescape") for name in output.split(b"\0") if name]


def added_lines(root: Path, path: str) -> list[tuple[int, int]]:
    """1-based inclusive line ranges of the staged file that the staged changes add."""
    diff = git(
        root, "diff", "--cached", "-U0", "--no-color", "--no-ext-diff", "--", path
    ).stdout.decode("utf-8", "replace")
    ranges = []
    for line in diff.split("\n"):
        match = _HUNK.match(line)
        if match:
            start, count = int(match.group(1)), int(match.group(2) or 1)
            if count:
                ranges.append((start, start + count - 1))
    return ranges


def staged_foreign_regions(
    root: Path, store: RegionStore, only: list[Path] | None = None
) -> list[StagedRegion]:
    paths = staged_paths(root)
    if only is not None:
        wanted = {path.resolve() for path in only}
        paths = [p for p in paths if (root / p).resolve() in wanted]
    contents = batch_cat(root, [f":{path}" for path in paths])
    found: list[StagedRegion] = []
    for path, content in zip(paths, contents, strict=True):
        absolute = str((root / path).resolve())
        if is_notebook(path) and content is not None:  # regions are stored per code cell
            found.extend(
                staged_notebook_regions(root, path, content, store, shown_path(root / path))
            )
            continue
        stored = store.load(absolute)
        if not stored or content is None or b"\0" in content[:8192]:
            continue
        text = content.decode("utf-8", "replace").removeprefix("\ufeff")
        added = added_lines(root, path)
        index = LineIndex(text)
        shown = shown_path(root / path)
        for region in stored:
            for placed in reanchor(region, text).regions:
                first = index.line_of(placed.start) + 1
                last = index.line_of(max(placed.start, placed.end - 1)) + 1
                if not any(a <= last and first <= b for a, b in added):
                    continue  # already committed: not this commit's doing
                found.append(StagedRegion.of(placed, shown, first, last))
    return found


def shown_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def staged_notebook_regions(
    root: Path, path: str, staged: bytes, store: RegionStore, shown: str
) -> list[StagedRegion]:
    """The developer's foreign regions in the staged notebook's code cells that this commit
    adds: a region counts unless its code was already in the same cell (by id, else index)
    at HEAD."""
    notebook = notebook_from_bytes(staged, path)
    if notebook is None:
        return []
    (committed,) = batch_cat(root, [f"HEAD:{path}"])
    before = notebook_from_bytes(committed, path) if committed is not None else None
    old_sources = {}
    if before is not None:
        old_sources = {(c.id or f"@{c.index}"): c.source for c in before.cells if c.is_code}
    absolute = str((root / path).resolve())
    found = []
    for cell in notebook.code_cells:
        old = old_sources.get(cell.id or f"@{cell.index}", "")
        lines = LineIndex(cell.source)
        for stored in store.load(cell_key(absolute, cell)):
            for placed in reanchor(stored, cell.source).regions:
                if placed.text.strip() and placed.text in old:
                    continue  # already committed: not this commit's doing
                first = lines.line_of(placed.start) + 1
                last = lines.line_of(max(placed.start, placed.end - 1)) + 1
                found.append(StagedRegion.of(placed, f"{shown}#{cell.index}", first, last))
    return found
