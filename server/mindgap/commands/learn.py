"""`mindgap learn`: mine and cache the repository's conventions; print every rule with its
support, dominance and where it comes from (the code's vote, or configuration)."""

from __future__ import annotations

import argparse
import sys
import time

from pydantic import BaseModel, Field

from mindgap.config import developer_identity, resolve_settings
from mindgap.conventions.checking import percent
from mindgap.conventions.dimensions import all_observers
from mindgap.conventions.repository import LearnStats, learn, open_cache
from mindgap.conventions.rules import Rule
from mindgap.errors import EXIT_CLEAN, UsageError
from mindgap.ledger.database import Database, StoreError
from mindgap.provenance.persistence import RegionStore
from mindgap.vcs import repository_for

PROGRESS_AFTER_S = 1.0  # only long runs show progress


class LearnReport(BaseModel):
    repository: str
    files: int = Field(description="source files mindgap can parse")
    read: int = Field(description="files read this time; the others came from the cache")
    skipped: dict[str, int] = Field(description="files that do not count, by reason")
    seconds: float
    min_support: int
    min_dominance: float
    rules: list[Rule]
    problems: list[str] = Field(default_factory=list)


class _Progress:
    """A line on standard error that rewrites itself, once learning takes a while."""

    def __init__(self) -> None:
        self.started = time.monotonic()
        self.shown = False

    def __call__(self, done: int, total: int, path: str) -> None:
        if time.monotonic() - self.started < PROGRESS_AFTER_S or not sys.stderr.isatty():
            if done == total and self.shown:
                sys.stderr.write("\n")
            return
        self.shown = True
        sys.stderr.write(f"\rmindgap: learning conventions {done}/{total} files")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def run(args: argparse.Namespace) -> int:
    repo = repository_for(args.repo)
    if not repo.is_dir():
        raise UsageError(f"--repo {repo}: no such folder")
    settings = resolve_settings(repo)
    problems: list[str] = []
    store = None
    try:
        store = RegionStore(Database(), developer_identity(settings, repo))
    except StoreError as error:
        problems.append(f"{error} Learning without leaving out the known foreign regions.")
    cache = open_cache()
    if cache.problem:
        problems.append(cache.problem)
    try:
        conventions = learn(
            repo,
            settings.convention_min_support,
            settings.convention_min_dominance,
            store=store,
            cache=cache,
            progress=_Progress(),
        )
    finally:
        cache.close()
        if store is not None:
            store.database.close()
    problems += conventions.stats.problems  # a learning worker that died, say
    rules = sorted(conventions.rules.values(), key=lambda r: r.key)
    report = LearnReport(
        repository=str(repo),
        files=conventions.stats.files,
        read=conventions.stats.read,
        skipped=conventions.stats.skipped,
        seconds=round(conventions.stats.seconds, 3),
        min_support=settings.convention_min_support,
        min_dominance=settings.convention_min_dominance,
        rules=rules,
        problems=problems,
    )
    for problem in problems:
        print(f"mindgap: warning: {problem}", file=sys.stderr)
    if args.format == "json":
        print(report.model_dump_json(indent=2))
    else:
        _print_text(report, conventions.stats)
    return EXIT_CLEAN


def _choice_words(rule: Rule) -> str:
    for observer in all_observers():
        if (
            observer.dimension == rule.dimension
            and rule.language in observer.languages
            and rule.choice in observer.choices
            and observer.offers(rule.aspect)
        ):
            return f"{observer.choices[rule.choice]} for {observer.describe(rule.aspect)}"
    return f"{rule.choice} for {rule.aspect}"


def _print_text(report: LearnReport, stats: LearnStats) -> None:
    # rich only for the text report: importing it costs a tenth of a re-learn
    from rich.console import Console
    from rich.markup import escape

    from mindgap.notebooks import shown_place

    console = Console(highlight=False, soft_wrap=True)
    skipped = ", ".join(f"{n} {reason}" for reason, n in sorted(report.skipped.items()))
    console.print(
        f"[bold]{escape(report.repository)}[/]: {report.files} source files "
        f"({report.read} read, the rest cached{'; skipped: ' + skipped if skipped else ''}) "
        f"in {report.seconds:.2f} s"
    )
    if not report.rules:
        console.print(
            f"no conventions: no choice reaches {report.min_support} sites with "
            f"{report.min_dominance:.0%} of them"
        )
        return
    current = None
    shown = 0
    whole = {
        (r.language, r.dimension, r.aspect): r.choice for r in report.rules if r.scope == "all"
    }
    for rule in report.rules:
        if rule.scope != "all" and whole.get((rule.language, rule.dimension, rule.aspect)) == (
            rule.choice
        ):
            continue  # the same as the whole repository's rule: said once
        heading = (rule.language, rule.dimension)
        if heading != current:
            current = heading
            console.print(f"\n[bold]{rule.language} / {rule.dimension}[/]")
        if rule.source == "config":
            where = f"configured in {rule.configured_by}"
            if rule.support:
                where += f"; the code: {rule.count} of {rule.support} "
                where += f"({percent(rule.count, rule.support)})"
        else:
            where = f"{rule.count} of {rule.support} sites, {percent(rule.count, rule.support)}"
        shown += 1
        scope = "" if rule.scope == "all" else f" [dim]({rule.scope})[/]"
        console.print(f"  {escape(_choice_words(rule))}{scope}: {escape(where)}")
        for example in rule.examples[:2]:
            place = shown_place(example.file, example.line, example.cell)
            console.print(f"    [dim]{escape(place)}[/] {escape(example.text)}")
    same = len(report.rules) - shown
    also = f" ({same} more the same in code and tests as in the whole repository)" if same else ""
    console.print(f"\n{shown} rule{'' if shown == 1 else 's'} shown{also}")
