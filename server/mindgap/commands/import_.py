"""`mindgap import [--since DATE]`: lines of this developer's AI-marked commits still in the
work tree become `git` regions (pending), so debt from before mindgap shows too."""

from __future__ import annotations

import argparse
from pathlib import Path

from mindgap.config import developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, UsageError
from mindgap.ledger.database import Database, StoreError
from mindgap.provenance.git_import import import_history
from mindgap.provenance.persistence import RegionStore
from mindgap.vcs import GitError, repository_root


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.repo)
    settings = resolve_settings(root)
    developer = args.developer or developer_identity(settings, root)
    emails = [developer, *settings.developer_emails]
    try:
        store = RegionStore(Database(), developer)
    except StoreError as error:
        raise UsageError(str(error)) from error
    try:
        result = import_history(root, store, emails, args.since)
    except (GitError, StoreError) as error:
        raise UsageError(str(error)) from error
    finally:
        store.database.close()
    for path, spans in sorted(result.per_file.items()):
        where = ", ".join(f"{a}-{b}" if a != b else str(a) for a, b in spans)
        print(f"{Path(path).relative_to(root)}: lines {where}")
    already = f"; {result.skipped} already imported" if result.skipped else ""
    print(
        f"mindgap: {result.regions} region(s), {result.lines} line(s) from"
        f" {result.commits} AI-marked commit(s) of {developer}{already}"
    )
    return EXIT_CLEAN
