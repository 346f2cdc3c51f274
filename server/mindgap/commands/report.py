"""`mindgap report`: the understanding debt, for one developer or (--team) from git notes."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from mindgap.config import developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, UsageError
from mindgap.knowledge.apis import local_top_level_modules
from mindgap.knowledge.profile import Profile
from mindgap.ledger.database import Database, StoreError
from mindgap.report.html import render_html
from mindgap.report.ledger_input import personal_report
from mindgap.report.model import DebtReport, TeamReport
from mindgap.report.text import print_report, render_text
from mindgap.team.anchoring import CodeLocator, head_texts
from mindgap.team.debt import team_report
from mindgap.team.notes import NotesSnapshot, reachable_commits, read_all_notes
from mindgap.vcs import head_commit, repository_for, repository_root


def run(args: argparse.Namespace) -> int:
    report = build_team_report(args) if args.team else build_personal_report(args)
    if args.format == "json":
        output = report.to_json() + "\n"
    elif args.format == "html":
        output = render_html(report)
    elif args.output:
        output = render_text(report)
    else:
        print_report(report)
        return EXIT_CLEAN
    if args.output:
        target = Path(args.output)
        try:
            target.write_text(output, encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {target}: {error.strerror or error}") from error
        print(f"mindgap: report written to {target}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return EXIT_CLEAN


def build_personal_report(args: argparse.Namespace) -> DebtReport:
    repo = repository_for(args.repo)
    if not repo.is_dir():
        raise UsageError(f"{repo}: no such folder")
    settings = resolve_settings(repo)
    developer = args.developer or developer_identity(settings, repo)
    try:
        database = Database()
    except StoreError as error:
        raise UsageError(str(error)) from error
    try:
        profile = Profile.load(database, developer, settings)
        return personal_report(database, developer, profile, local_top_level_modules(repo))
    except StoreError as error:
        raise UsageError(str(error)) from error
    finally:
        database.close()


def build_team_report(args: argparse.Namespace) -> TeamReport:
    root = repository_root(args.repo)
    snapshot = read_all_notes(root)
    for problem in snapshot.problems:
        print(f"mindgap: warning: {problem}", file=sys.stderr)
    if args.developer:
        wanted = args.developer.strip().lower()
        snapshot = NotesSnapshot(
            notes=snapshot.notes,
            pairs=[(c, a) for c, a in snapshot.pairs if a.developer.lower() == wanted],
            unreadable=snapshot.unreadable,
            problems=snapshot.problems,
        )
    head = head_commit(root)
    paths = sorted({attestation.path for _, attestation in snapshot.pairs})
    texts = head_texts(root, paths) if head else {}
    locator = CodeLocator(texts)
    report = team_report(str(root), head, snapshot, reachable_commits(root), locator, time.time())
    for problem in locator.problems:
        print(f"mindgap: warning: {problem}", file=sys.stderr)
    return report
