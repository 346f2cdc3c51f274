"""`mindgap profile`: build or update a developer's familiarity profile, then show it."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone

from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from mindgap.config import developer_identity, resolve_settings
from mindgap.errors import EXIT_CLEAN, EXIT_USAGE, UsageError
from mindgap.knowledge.catalogue import CatalogueError, Construct, catalogue, has_catalogue
from mindgap.knowledge.familiarity import Level
from mindgap.knowledge.profile import (
    AcceptedCode,
    Profile,
    ProgressCallback,
    RepositoryUpdate,
    accepted_in_editor,
    developer_key,
    update_profile,
)
from mindgap.ledger.database import Database, StoreError
from mindgap.syntax.languages import LANGUAGES
from mindgap.textfiles import resolved
from mindgap.vcs import GitError, repository_for

PROGRESS_MIN_COMMITS = 50  # shorter histories are read before a bar would be worth drawing
NEVER_WRITTEN_SHOWN = 12
TEXT_ROWS = 25  # per group in the text output; JSON has everything


class ConstructEntry(BaseModel):
    key: str  # "python/match-statement"
    language: str
    name: str
    family: str | None
    level: Level
    score: float
    written: int  # hand-written occurrences in the developer's commits
    practised: int  # passed quizzes and hand-writes
    accepted_in_commits: int  # occurrences in the developer's AI-assisted commits
    accepted_in_editor: int  # occurrences in foreign regions the ledger holds
    last_written: datetime | None
    repos: list[str]
    summary: str  # "written 52 times, last 2026-10", "last written 2023-04", ...


class RepositoryEntry(BaseModel):
    path: str
    head: str | None
    mode: str  # bootstrap, incremental, rebuild, up-to-date, empty
    reason: str | None
    commits_read: int  # hand-written commits read in this run
    assisted_commits_read: int
    skipped_files: dict[str, int]


class ProfileReport(BaseModel):
    developer: str
    emails: list[str]
    generated_at: datetime
    repositories: list[RepositoryEntry]
    ledger_regions: int  # foreign regions the ledger holds (0: none accepted in the editor yet)
    written_often: list[ConstructEntry]  # familiar, most written first
    fading: list[ConstructEntry]
    accepted_only: list[ConstructEntry]  # accepted from assistants, never written or practised
    never_written: list[str]  # catalogue constructs of the languages they write, no evidence


def run(args: argparse.Namespace) -> int:
    repos = [resolved(repo) for repo in (args.repo or [])] or [repository_for(None)]
    settings = resolve_settings(repos[0])
    given = list(args.developer or [])
    developer = given[0] if given else developer_identity(settings, repos[0])
    if developer == "unknown":
        raise UsageError("who is the developer? Pass --developer EMAIL or set git user.email")
    emails = sorted({developer_key(e) for e in [*given[1:], *settings.developer_emails]})
    try:
        database = Database()
    except StoreError as error:
        raise UsageError(str(error)) from error
    try:
        with _progress() as on_progress:
            updates = update_profile(
                database, developer, repos, emails=emails, on_progress=on_progress
            )
        profile = Profile.load(database, developer, settings)
        accepted = accepted_in_editor(database, developer)
    except KeyboardInterrupt:
        print(
            "mindgap: interrupted - the commits read so far are kept in the profile; "
            "run mindgap profile again to read the rest",
            file=sys.stderr,
        )
        return EXIT_USAGE
    except (GitError, StoreError) as error:
        raise UsageError(str(error)) from error
    finally:
        database.close()
    report = build_report(profile, updates, accepted, emails)
    if args.format == "json":
        print(report.model_dump_json(indent=2))
    else:
        print_text(report)
    return EXIT_CLEAN


@contextmanager
def _progress() -> Iterator[ProgressCallback]:
    """A progress bar on standard error for long histories (a line when it is no terminal)."""
    console = Console(stderr=True)
    bar: Progress | None = None
    task = None

    def on_progress(done: int, total: int) -> None:
        nonlocal bar, task
        if total < PROGRESS_MIN_COMMITS:
            return
        if bar is None:
            if not console.is_terminal:
                if done == 0:
                    print(f"mindgap: reading {total:,} commits of history", file=sys.stderr)
                return
            bar = Progress(
                TextColumn("reading history"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("commits"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            bar.start()
            task = bar.add_task("history", total=total)
        if task is not None:
            bar.update(task, completed=done, total=total)

    try:
        yield on_progress
    finally:
        if bar is not None:
            bar.stop()


def build_report(
    profile: Profile,
    updates: list[RepositoryUpdate],
    accepted: AcceptedCode,
    emails: list[str],
    now: datetime | None = None,
) -> ProfileReport:
    now = now or datetime.now(timezone.utc)
    keys = sorted(set(profile.constructs()) | set(accepted.constructs))
    entries = [_entry(profile, accepted, key, now) for key in keys]
    familiar = sorted(
        (e for e in entries if e.level == "familiar"),
        key=lambda e: (-e.written - e.practised, e.key),
    )
    fading = sorted((e for e in entries if e.level == "fading"), key=lambda e: (e.score, e.key))
    accepted_only = sorted(
        (
            e
            for e in entries
            if e.written + e.practised == 0 and e.accepted_in_commits + e.accepted_in_editor
        ),
        key=lambda e: (-(e.accepted_in_commits + e.accepted_in_editor), e.key),
    )
    return ProfileReport(
        developer=profile.developer,
        emails=[e for e in emails if e != profile.developer],
        generated_at=now,
        repositories=[
            RepositoryEntry(
                path=u.repo,
                head=u.head,
                mode=u.mode,
                reason=u.reason,
                commits_read=u.commits,
                assisted_commits_read=u.assisted_commits,
                skipped_files=u.skipped,
            )
            for u in updates
        ],
        ledger_regions=accepted.regions,
        written_often=familiar,
        fading=fading,
        accepted_only=accepted_only,
        never_written=_never_written(
            {e.key.partition("/")[0] for e in entries if e.written + e.practised},
            {e.key for e in entries},
        ),
    )


def _entry(profile: Profile, accepted: AcceptedCode, key: str, now: datetime) -> ConstructEntry:
    language, _, construct_id = key.partition("/")
    construct = _construct(key)
    familiarity = profile.familiarity(key, now)
    assisted = profile.assisted.get(key)
    return ConstructEntry(
        key=key,
        language=language,
        name=construct.name if construct else construct_id,
        family=construct.family if construct else None,
        level=familiarity.level,
        score=familiarity.score,
        written=familiarity.count - familiarity.practised,
        practised=familiarity.practised,
        accepted_in_commits=assisted.count if assisted else 0,
        accepted_in_editor=accepted.constructs.get(key, 0),
        last_written=familiarity.last_written,
        repos=list(familiarity.repos),
        summary=familiarity.summary,
    )


def _construct(key: str) -> Construct | None:
    language, _, construct_id = key.partition("/")
    if construct_id.startswith("api:"):
        try:
            from mindgap.knowledge.apis import api_construct
        except ImportError:
            return None
        return api_construct(construct_id.removeprefix("api:"))
    if not has_catalogue(language):
        return None
    try:
        return catalogue(language).constructs.get(construct_id)
    except CatalogueError:
        return None


def _name(key: str) -> str:
    construct = _construct(key)
    return construct.name if construct else key.partition("/")[2]


def _never_written(languages: set[str], listed: set[str]) -> list[str]:
    """Catalogue constructs with no evidence at all (not even accepted), in the languages
    the developer has written."""
    never: list[str] = []
    for spec in LANGUAGES:
        if spec.name not in languages or not has_catalogue(spec.name):
            continue
        try:
            constructs = catalogue(spec.name).constructs.values()
        except CatalogueError:
            continue
        never.extend(c.key for c in constructs if c.key not in listed)
    return sorted(never)


def print_text(report: ProfileReport) -> None:
    console = Console(highlight=False, soft_wrap=True)
    out = console.print
    also = f" (also {', '.join(report.emails)})" if report.emails else ""
    out(f"[bold]Familiarity profile of {escape(report.developer)}[/]{escape(also)}")
    for repo in report.repositories:
        out(f"  {escape(repo.path)}: {_repository_line(repo)}")

    out("\n[bold]Written often[/] (familiar)")
    if not report.written_often:
        out("  nothing yet")
    for entry in report.written_often[:TEXT_ROWS]:
        repos = f", in {len(entry.repos)} repositories" if len(entry.repos) > 1 else ""
        practised = f" (+{entry.practised} practised)" if entry.practised else ""
        out(
            f"  {escape(entry.name):<34} {entry.written:>6}x{practised}  "
            f"last {_month(entry.last_written)}{repos}"
        )
    _more(out, report.written_often)

    out("\n[bold]Fading[/] (written before, not lately)")
    if not report.fading:
        out("  nothing")
    for entry in report.fading[:TEXT_ROWS]:
        out(f"  {escape(entry.name):<34} {entry.written + entry.practised:>6}x  {entry.summary}")
    _more(out, report.fading)

    out("\n[bold]Only accepted from assistants[/] (never written by hand)")
    if report.ledger_regions == 0:
        out("  the ledger holds no code you accepted in the editor yet")
    if not report.accepted_only:
        commits = sum(r.assisted_commits_read for r in report.repositories)
        out("  nothing" + (" in AI-assisted commits either" if commits else ""))
    for entry in report.accepted_only[:TEXT_ROWS]:
        where = []
        if entry.accepted_in_commits:
            where.append(f"{entry.accepted_in_commits}x in AI-assisted commits")
        if entry.accepted_in_editor:
            where.append(f"{entry.accepted_in_editor}x accepted in the editor")
        out(f"  {escape(entry.name):<34} {', '.join(where)}")
    _more(out, report.accepted_only)

    if report.never_written:
        shown = ", ".join(_name(key) for key in report.never_written[:NEVER_WRITTEN_SHOWN])
        more = len(report.never_written) - NEVER_WRITTEN_SHOWN
        out(
            f"\n[bold]Never written[/]: {len(report.never_written)} constructs of your languages, "
            f"e.g. {escape(shown)}" + (f" and {more} more" if more > 0 else "")
        )


def _more(out: Callable[..., None], entries: list[ConstructEntry]) -> None:
    if len(entries) > TEXT_ROWS:
        out(f"  ... and {len(entries) - TEXT_ROWS} more (--format json lists them all)")


def _repository_line(repo: RepositoryEntry) -> str:
    assisted = (
        f", {repo.assisted_commits_read:,} AI-assisted kept apart"
        if repo.assisted_commits_read
        else ""
    )
    skipped = sum(repo.skipped_files.values())
    skipped_text = f", {skipped:,} files skipped" if skipped else ""
    if repo.mode == "up-to-date":
        return "up to date"
    if repo.mode == "empty":
        return "no commits yet"
    what = {
        "bootstrap": "read the history",
        "incremental": "read the new commits",
        "rebuild": f"rebuilt ({repo.reason})",
    }[repo.mode]
    return f"{what}: {repo.commits_read:,} of your commits{assisted}{skipped_text}"


def _month(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m") if moment else "never"
