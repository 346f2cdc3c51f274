"""`mindgap check --staged [--gate]`: foreign code that `git add` staged, and the commit gate.

The developer's foreign regions (from their store) are found again in the staged content of
each staged file; those that overlap lines the staged changes add are the staged foreign
code. With --gate, and only when the repository sets `commit_gate = "pending"`, a commit
that adds regions still pending is refused (exit 1), naming each and how to clear it.
Waived regions pass: they are recorded debt, the developer chose to accept them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from mindgap.config import SettingsError, developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from mindgap.ledger.database import Database, StoreError
from mindgap.notebook_check import staged_notebook_regions
from mindgap.notebooks import is_notebook
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.syntax.positions import LineIndex
from mindgap.team.git import batch_cat, git, repository_root

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

    @property
    def where(self) -> str:
        return f"{self.file}:{self.start_line}-{self.end_line}"


class StagedReport(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    gate: str  # the repository's commit_gate setting
    refused: bool
    regions: list[StagedRegion]


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
                staged_notebook_regions(root, path, content, store, _shown_path(root / path))
            )
            continue
        stored = store.load(absolute)
        if not stored or content is None or b"\0" in content[:8192]:
            continue
        text = content.decode("utf-8", "replace").removeprefix("\ufeff")
        added = added_lines(root, path)
        index = LineIndex(text)
        shown = _shown_path(root / path)
        for region in stored:
            for placed in reanchor(region, text).regions:
                first = index.line_of(placed.start) + 1
                last = index.line_of(max(placed.start, placed.end - 1)) + 1
                if not any(a <= last and first <= b for a, b in added):
                    continue  # already committed: not this commit's doing
                found.append(
                    StagedRegion(
                        file=shown,
                        start_line=first,
                        end_line=last,
                        lines=placed.line_count,
                        source=placed.source,
                        tool=placed.tool,
                        state=placed.state,
                        clear=f"mindgap quiz {shown}:{first}-{last}",
                    )
                )
    return found


def _shown_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else Path(relative).as_posix()


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.repo)
    try:
        settings = resolve_settings(root)
    except SettingsError as error:
        raise UsageError(str(error)) from error
    if args.gate and settings.commit_gate == "off":
        if args.format == "json":
            print(
                StagedReport(gate="off", refused=False, regions=[]).model_dump_json(by_alias=True)
            )
        else:
            print(
                "mindgap: the commit gate is off for this repository; set commit_gate ="
                ' "pending" under [tool.mindgap] (or in .mindgap.toml) to turn it on',
                file=sys.stderr,
            )
        return EXIT_CLEAN
    developer = args.developer or developer_identity(settings, root)
    try:
        database = Database()
    except StoreError as error:
        raise UsageError(f"{error} (git commit --no-verify skips the gate)") from error
    try:
        only = [Path(p) for p in args.paths] if getattr(args, "paths", None) else None
        regions = staged_foreign_regions(root, RegionStore(database, developer), only)
    finally:
        database.close()
    pending = [r for r in regions if r.state == "pending"]
    refused = bool(args.gate and pending)
    if args.format == "json":
        report = StagedReport(gate=settings.commit_gate, refused=refused, regions=regions)
        print(json.dumps(report.model_dump(by_alias=True), indent=2))
    elif args.gate:
        _print_gate(pending, regions)
    else:
        _print_staged(regions)
    return EXIT_FINDINGS if pending else EXIT_CLEAN


def _describe(region: StagedRegion) -> str:
    origin = region.source + (f", {region.tool}" if region.tool else "")
    return f"  {region.where}  {region.lines} line(s) from {origin}"


def _print_gate(pending: list[StagedRegion], regions: list[StagedRegion]) -> None:
    if not pending:
        waived = sum(1 for r in regions if r.state == "waived")
        print(
            "mindgap: commit gate passed"
            + (f" ({waived} waived region(s) go in as recorded debt)" if waived else "")
        )
        return
    lines = [
        f"mindgap: commit refused - {len(pending)} foreign region(s) staged and still pending:",
        *(_describe(region) for region in pending),
        "Clear each before committing, in one of these ways:",
        *(f"  {region.clear}    (pass a quiz about it)" for region in pending),
        "  in the editor: the code actions on the region - quiz me, explain it, hand-write it,",
        "  or 'Accept without understanding' (waive: it then counts as debt, never hidden).",
        "git commit --no-verify skips the gate.",
    ]
    print("\n".join(lines), file=sys.stderr)


def _print_staged(regions: list[StagedRegion]) -> None:
    if not regions:
        print("mindgap: no foreign code staged")
        return
    for region in regions:
        print(f"{_describe(region)}  [{region.state}]")
    pending = sum(1 for r in regions if r.state == "pending")
    print(f"{len(regions)} staged foreign region(s), {pending} pending")
