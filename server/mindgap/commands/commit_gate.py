"""`mindgap check --staged [--gate]`: foreign code that `git add` staged, and the commit gate.

Which staged code is foreign is provenance/staged.py's to say. With --gate, and only when
the repository sets `commit_gate = "pending"`, a commit that adds regions still
pending is refused (exit 1), naming each and how to clear it. Waived regions pass: they are
recorded debt, the developer chose to accept them.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from mindgap.config import developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from mindgap.ledger.database import Database, StoreError
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.staged import StagedRegion, staged_foreign_regions
from mindgap.vcs import repository_root


class StagedReport(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    gate: str  # the repository's commit_gate setting
    refused: bool
    regions: list[StagedRegion]


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.repo)
    settings = resolve_settings(root)
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
