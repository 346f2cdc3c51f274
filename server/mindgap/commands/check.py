"""`mindgap check`: the server's analysis over files on disk, as text or JSON."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from mindgap.analysis import AnalysisContext, analyse
from mindgap.config import Settings, developer_identity, resolve_settings
from mindgap.conventions.reinvention import BehaviourBudget
from mindgap.conventions.repository import RepositoryConventions, learn, open_cache
from mindgap.errors import EXIT_CLEAN, EXIT_FINDINGS, UsageError
from mindgap.findings import CheckReport, Finding
from mindgap.knowledge.apis import local_top_level_modules
from mindgap.knowledge.profile import Profile
from mindgap.knowledge.unfamiliar import has_evidence
from mindgap.ledger.database import Database, StoreError
from mindgap.line_ranges import lines_region, parse_inserted
from mindgap.notebook_check import load_notebook, mined_lines, notebook_findings
from mindgap.notebooks import is_notebook, shown_place, split_cell_address
from mindgap.provenance.anchoring import reanchor
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.regions import RegionSet
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_for
from mindgap.textfiles import read_text_file, resolved
from mindgap.vcs import repository_for

# ASCII digits only: str.isdigit() and int() also take "٣" or "³", which nobody types as a line

FAIL_KINDS = (
    "convention",
    "dependency",
    "reinvention",
    "pending-unfamiliar",
    "unfamiliar",
    "foreign-region",
)
# A foreign-region marker alone is not a failure: CI gates on what the code does wrong, and
# on unfamiliar code that is still pending (Information; a Hint is a reminder, not a failure)
DEFAULT_FAIL_ON = frozenset({"convention", "dependency", "reinvention", "pending-unfamiliar"})


def parse_fail_on(spec: str | None) -> frozenset[str]:
    """`--fail-on convention,dependency` as a set of kinds; one line on a bad kind."""
    if spec is None:
        return DEFAULT_FAIL_ON
    kinds = {kind.strip() for kind in spec.split(",") if kind.strip()}
    if kinds == {"none"}:
        return frozenset()
    if kinds == {"all"}:
        return frozenset(FAIL_KINDS)
    unknown = sorted(kinds - set(FAIL_KINDS))
    if unknown or not kinds:
        raise UsageError(
            f"--fail-on: unknown kind {', '.join(unknown) or '(empty)'}; "
            f"use {', '.join(FAIL_KINDS)}, all or none"
        )
    return frozenset(kinds)


def fails(finding: Finding, kinds: frozenset[str]) -> bool:
    """Whether a finding makes `check` exit 1 under `--fail-on kinds`."""
    if finding.kind == "unfamiliar":
        if "unfamiliar" in kinds:
            return True
        return "pending-unfamiliar" in kinds and finding.severity != "hint"
    return finding.kind in kinds


def run(args: argparse.Namespace) -> int:
    if args.staged:
        from mindgap.commands.commit_gate import run as run_commit_gate

        return run_commit_gate(args)
    if args.gate:
        raise UsageError("--gate goes with --staged")
    if not args.paths:
        raise UsageError("check wants at least one PATH (or --staged)")
    repo = repository_for(args.repo, Path(args.paths[0]))  # the first file's, not the cwd's
    settings = resolve_settings(repo)
    fail_on = parse_fail_on(getattr(args, "fail_on", None))
    developer = args.developer or developer_identity(settings, repo)
    store = _open_store(developer)
    inserted: dict[Path, list[tuple[int, int]]] = {}
    cells_inserted: dict[Path, dict[int, list[tuple[int, int]]]] = {}  # notebook -> cell -> lines
    for spec in args.inserted:
        path, first, last = parse_inserted(spec)
        notebook_file, cell = split_cell_address(str(path))
        if cell is not None:
            cells_inserted.setdefault(Path(notebook_file), {}).setdefault(cell, [])
            cells_inserted[Path(notebook_file)][cell].append((first, last))
        elif is_notebook(path):
            raise UsageError(f"--inserted {spec}: address a cell, {path.name}#CELL:START-END")
        else:
            inserted.setdefault(path, []).append((first, last))
    paths = list(
        dict.fromkeys([resolved(p) for p in args.paths] + list(inserted) + list(cells_inserted))
    )
    # the files first: one that cannot be read is said at once, before any learning
    texts = {path: _source_text(path) for path in paths if not is_notebook(path)}
    context = AnalysisContext(
        profile=_profile(store, developer, settings),
        local_modules=local_top_level_modules(repo),
        conventions=_conventions(
            repo, settings, store, {**inserted, **mined_lines(cells_inserted)}
        ),
        convention_severity=settings.convention_severity,
        # not over whole files taken as foreign: that compares the repository with itself
        behaviour_clones=None if args.all_foreign else BehaviourBudget(),
    )

    findings: list[Finding] = []
    for path in paths:
        if is_notebook(path):  # code cells, with the earlier cells as context
            findings.extend(
                notebook_findings(
                    path,
                    load_notebook(path),
                    cells_inserted.get(path, {}),
                    all_foreign=args.all_foreign,
                    store=store,
                    severity=settings.foreign_severity,
                    context=context,
                )
            )
            continue
        text = texts[path]
        document = SyntaxDocument(path.as_uri(), text, language_for(str(path)))
        index = document.index
        regions = RegionSet()
        if store is not None:  # what the server knows, re-anchored, read-only
            for stored in store.load(str(path)):
                for region in reanchor(stored, text).regions:
                    regions.add(region)
        if args.all_foreign:
            whole = lines_region(index, 1, index.line_count, "unknown") if text.strip() else None
            if whole is not None:
                regions.add(whole)
        for first, last in inserted.get(path, []):
            try:
                inserted_region = lines_region(index, first, last, "unknown")
            except UsageError as error:
                raise UsageError(f"--inserted {path}:{first}-{last}: {error}") from error
            if inserted_region is not None:
                regions.add(inserted_region)
        findings.extend(
            analyse(str(path), document, list(regions), settings.foreign_severity, context)
        )

    failing = [finding for finding in findings if fails(finding, fail_on)]
    if args.format == "json":
        print(CheckReport(findings=findings).model_dump_json(indent=2))
    else:
        _print_text(findings, len(failing), fail_on)
    return EXIT_FINDINGS if failing else EXIT_CLEAN


def _source_text(path: Path) -> str:
    content = read_text_file(path)
    if content.text is None:
        raise UsageError(content.problem or f"{path}: unreadable")
    return content.text


def _profile(store: RegionStore | None, developer: str, settings: Settings) -> Profile | None:
    """The developer's familiarity profile; without one, unfamiliar constructs are not
    checked (everything would look unfamiliar), and the user is told how to build it."""
    profile = Profile.load(store.database, developer, settings) if store is not None else None
    if not has_evidence(profile):
        print(
            f"mindgap: no familiarity profile for {developer} yet: run `mindgap profile` to "
            "check foreign code for constructs you have not written.",
            file=sys.stderr,
        )
        return None
    return profile


def _conventions(
    repo: Path,
    settings: Settings,
    store: RegionStore | None,
    inserted: dict[Path, list[tuple[int, int]]],
) -> RepositoryConventions | None:
    """The repository's conventions (cached; only changed files are read again). The lines
    given as inserted are foreign: they do not vote on the conventions they are checked by."""
    if not repo.is_dir():
        raise UsageError(f"--repo {repo}: no such folder")
    cache = open_cache()
    try:
        return learn(
            repo,
            settings.convention_min_support,
            settings.convention_min_dominance,
            store=store,
            foreign_lines={str(path): lines for path, lines in inserted.items()},
            cache=cache,
        )
    finally:
        cache.close()


def _open_store(developer: str) -> RegionStore | None:
    try:
        return RegionStore(Database(), developer)
    except StoreError as error:
        print(f"mindgap: warning: {error} Checking without the stored regions.", file=sys.stderr)
        return None


_SEVERITY_STYLE = {
    "error": "bold red",
    "warning": "yellow",
    "information": "cyan",
    "hint": "dim",
}


def _print_text(findings: list[Finding], failing: int, fail_on: frozenset[str]) -> None:
    console = Console(highlight=False, soft_wrap=True)
    if not findings:
        console.print("mindgap: no findings")
        return
    for finding in findings:
        start, end = finding.range.start, finding.range.end
        span = f"{start.line + 1}:{start.character + 1}-{end.line + 1}:{end.character + 1}"
        cell = "" if finding.cell is None else f"#{finding.cell}"
        where = f"{finding.file}{cell}:{span}"
        style = _SEVERITY_STYLE.get(finding.severity, "")
        console.print(
            f"[bold]{escape(where)}[/] [{style}]{finding.severity}[/] "
            f"[cyan]{escape(finding.code)}[/] {escape(finding.message)}"
        )
        for line in evidence_lines(finding):
            console.print(f"    [dim]{escape(line)}[/]")
    counts: Counter[str] = Counter(finding.severity for finding in findings)
    by_severity = ", ".join(
        f"{counts[severity]} {severity}" for severity in _SEVERITY_STYLE if counts[severity]
    )
    noun = "finding" if len(findings) == 1 else "findings"
    kinds = ",".join(sorted(fail_on)) or "none"
    console.print(
        f"{len(findings)} {noun} ({by_severity}); {failing} fail the check (--fail-on {kinds})"
    )


def evidence_lines(finding: Finding) -> list[str]:
    """What backs a finding, for the terminal: example places, the fix, what was checked."""
    evidence = finding.evidence
    lines = []
    repository = evidence.get("repository")
    for example in evidence.get("examples", [])[:3]:
        place = shown_place(str(example.get("file")), example.get("line"), example.get("cell"))
        if repository:
            place = str(Path(repository) / place)
        lines.append(f"e.g. {place}  {example.get('text', '')}".rstrip())
    fix = evidence.get("fix")
    if isinstance(fix, dict) and fix.get("replacement") is not None:
        lines.append(f"fix: {fix['replacement']}")
    if finding.kind == "reinvention" and evidence.get("by") == "behaviour":
        lines.append(
            f"existing: {evidence.get('file')}:{evidence.get('line')} "
            f"{evidence.get('function', '')} (the same results on {evidence.get('inputs')} inputs)"
        )
        for same in evidence.get("same_results", [])[:3]:
            lines.append(f"same: {same['call']} and {same['existing_call']} -> {same['returns']}")
    elif finding.kind == "reinvention" and evidence.get("file"):
        lines.append(
            f"existing: {evidence.get('file')}:{evidence.get('line')} "
            f"{evidence.get('function', '')} ({evidence.get('similarity')}% similar)"
        )
    if finding.kind == "dependency":
        if evidence.get("similar"):
            lines.append(f"did you mean: {', '.join(evidence['similar'])}?")
        if evidence.get("manifests_checked"):
            lines.append(f"checked: {', '.join(evidence['manifests_checked'])}")
        if evidence.get("environment"):
            lines.append(f"environment: {evidence['environment']}")
    if finding.kind == "unfamiliar":
        familiarity = evidence.get("familiarity") or {}
        if familiarity.get("count"):
            lines.append(
                f"your evidence: {familiarity['count']} uses on {familiarity.get('days', 1)}"
                f" day(s), last {str(familiarity.get('last_written', ''))[:10]}"
            )
    return lines
