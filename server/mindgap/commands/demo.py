"""`mindgap demo`: a small example repository, a foreign block, and what mindgap finds.

Runs the same engine the language server runs, step by step as an editor would drive it,
in a temporary folder with its own data directory (your own ledger is never touched).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from mindgap.analysis import AnalysisContext, analyse
from mindgap.config import resolve_settings
from mindgap.conventions.cache import ConventionCache
from mindgap.conventions.repository import learn, observers_signature
from mindgap.errors import EXIT_CLEAN
from mindgap.findings import Finding
from mindgap.gate.quiz import build_quiz, grade
from mindgap.knowledge.profile import Profile, update_profile
from mindgap.ledger.database import Database
from mindgap.ledger.events import append_events, read_events
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.tracker import Change, ProvenanceTracker
from mindgap.report.ledger_input import personal_report
from mindgap.report.text import render_text
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_for
from mindgap.syntax.positions import Pos
from mindgap.vcs import git

DEVELOPER = "ada@example.com"

HISTORY = [
    (
        "Start the shop: prices in cents",
        {
            "shop/__init__.py": '"""A tiny shop."""\n',
            "shop/prices.py": (
                '"""Prices are integers in cents."""\n\n\n'
                "def cents(amount: float) -> int:\n"
                "    return round(amount * 100)\n"
            ),
        },
    ),
    (
        "Receipts; a tiny repository asks for less evidence before a habit is a convention",
        {
            "pyproject.toml": "[tool.mindgap]\nconvention_min_support = 3\n",
            "shop/receipt.py": (
                '"""Receipt lines."""\n\n\n'
                "def receipt_line(name: str, cents: int) -> str:\n"
                '    return f"{name}: {cents / 100:.2f}"\n\n\n'
                "def receipt_total(cents: int) -> str:\n"
                '    return f"Total: {cents / 100:.2f}"\n\n\n'
                "def receipt_header(shop: str) -> str:\n"
                '    return f"== {shop} =="\n'
            ),
        },
    ),
    (
        "Add the cart",
        {
            "shop/cart.py": (
                '"""The shopping cart."""\n\n'
                "from shop.prices import cents\n\n\n"
                "class Cart:\n"
                "    def __init__(self) -> None:\n"
                "        self.lines: list[tuple[str, int]] = []\n\n"
                "    def add(self, name: str, price: float) -> None:\n"
                "        self.lines.append((name, cents(price)))\n\n"
                "    def names(self) -> list[str]:\n"
                "        return [name for name, _ in self.lines]\n"
            ),
        },
    ),
]

COMPLETION = (
    "\n"
    "    def total(self) -> int:\n"
    "        result = 0\n"
    "        for _, price in self.lines:\n"
    "            result += price\n"
    "        return result if result < 1000 else result - result // 10  # 10% off from 10 EUR\n"
    "\n"
    "    def cheapest(self) -> str | None:\n"
    "        match self.lines:\n"
    "            case []:\n"
    "                return None\n"
    "            case _:\n"
    "                return min(self.lines, key=lambda line: line[1])[0]\n"
)
COMPLETION_LINES = 11

AGENT_EDIT = (
    "\n\n"
    "def formatEuros(amount_in_cents: int) -> str:\n"
    "    whole, rest = divmod(amount_in_cents, 100)\n"
    '    return "{}.{:02d} EUR".format(whole, rest)\n'
)


def _git(root: Path, *args: str) -> None:
    author = {
        "GIT_AUTHOR_NAME": "Ada Developer",
        "GIT_AUTHOR_EMAIL": DEVELOPER,
        "GIT_COMMITTER_NAME": "Ada Developer",
        "GIT_COMMITTER_EMAIL": DEVELOPER,
    }
    git(root, *args, env=author)


def build_repository(root: Path) -> None:
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", DEVELOPER)
    _git(root, "config", "user.name", "Ada Developer")
    for message, files in HISTORY:
        for name, text in files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        _git(root, "add", ".")
        _git(root, "commit", "-q", "-m", message)


def run(args: argparse.Namespace) -> int:
    keep: bool = args.keep
    console = Console(highlight=False, soft_wrap=True)
    folder = Path(tempfile.mkdtemp(prefix="mindgap-demo-"))
    try:
        _walk_through(console, folder)
    finally:
        if keep:
            console.print(f"\nThe example is kept in {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    return EXIT_CLEAN


def _walk_through(console: Console, folder: Path) -> None:
    repo = folder / "repo"
    repo.mkdir()
    build_repository(repo)
    database = Database(folder / "home" / "mindgap.sqlite3")
    store = RegionStore(database, DEVELOPER)
    update_profile(database, DEVELOPER, [repo])
    profile = Profile.load(database, DEVELOPER)
    console.print(f"[bold]1.[/] An example repository by {DEVELOPER}, two commits: {repo}")
    written = ", ".join(key.split("/", 1)[1] for key in sorted(profile.written))
    console.print(f"   Her profile, read from git history: she has written {escape(written)}")

    tracker = ProvenanceTracker(store)
    cart = repo / "shop" / "cart.py"
    uri = cart.as_uri()
    tracked = tracker.open(uri, str(cart), cart.read_text(encoding="utf-8"), "python", 1)
    end_line = tracked.document.index.line_count - 1
    tracker.change(uri, 2, [Change(Pos(end_line, 0), Pos(end_line, 0), COMPLETION)])
    start = tracked.document.position(tracked.regions.regions[0].start)
    end = Pos(start.line + COMPLETION_LINES + 1, 0)
    tracker.report_insertion(uri, 2, Pos(start.line, 0), end, "inline-completion", "Copilot")
    console.print(
        "[bold]2.[/] An assistant's completion is accepted in shop/cart.py (one change); "
        "what in it Ada has never written herself is flagged:"
    )
    _show(console, tracker, uri, profile)

    line = start.line + 1  # "        result = 0"
    typed = "        result: int = 0"
    tracker.change(uri, 3, [Change(Pos(line, 0), Pos(line, len("        result = 0")), typed)])
    console.print(
        f"[bold]3.[/] Ada retypes line {line + 1} by hand; that line is hers, the region splits:"
    )
    _show(console, tracker, uri)

    cart.write_text(tracked.document.text, encoding="utf-8")
    tracker.saved(uri)
    _persist(tracker, store, database, uri)
    tracker.close(uri)

    prices = repo / "shop" / "prices.py"
    tracker.open(prices.as_uri(), str(prices), prices.read_text(encoding="utf-8"), "python", 1)
    _persist(tracker, store, database, prices.as_uri())  # as the server does on close
    tracker.close(prices.as_uri())
    prices.write_text(prices.read_text(encoding="utf-8") + AGENT_EDIT, encoding="utf-8")
    tracker.disk_changed(str(prices), prices.read_text(encoding="utf-8"))
    _persist(tracker, store, database)
    settings = resolve_settings(repo)
    cache = ConventionCache(folder / "home" / "conventions.sqlite3", observers_signature())
    try:  # the agent's code is foreign: it does not vote on the conventions it is checked by
        conventions = learn(
            repo,
            settings.convention_min_support,
            settings.convention_min_dominance,
            store=store,
            cache=cache,
        )
    finally:
        cache.close()
    console.print(
        "[bold]4.[/] An agent edits shop/prices.py on disk while it is closed in the editor; "
        "its code departs from the repository's conventions (mined from the human-written "
        "code; this tiny repository's pyproject.toml asks for 3 sites instead of 20):"
    )
    context = AnalysisContext(
        conventions=conventions, convention_severity=settings.convention_severity
    )
    _show_file(console, store, prices, context)

    cart.write_text("import logging\n" + cart.read_text(encoding="utf-8"), encoding="utf-8")
    console.print("[bold]5.[/] Someone adds an import above the foreign code; the editor restarts:")
    restarted = ProvenanceTracker(store)
    restarted.open(uri, str(cart), cart.read_text(encoding="utf-8"), "python", 1)
    _show(console, restarted, uri)

    largest = max(restarted.documents[uri].regions, key=lambda region: region.line_count)
    quiz = build_quiz(restarted.documents[uri].document, largest.start, largest.end)
    if quiz.questions:
        result = grade(quiz, {question.id: question.answer for question in quiz.questions})
        restarted.set_state(
            uri,
            largest.id,
            "understood",
            "answered",
            passed=result.passed,
            score=result.score,
            total=result.total,
            answers={question.id: question.answer for question in quiz.questions},
        )
        console.print(
            f"[bold]6.[/] Ada takes the quiz on the larger part ({len(quiz.questions)} "
            f'questions, e.g. "{escape(quiz.questions[0].prompt)}"), answers '
            f"{result.score} of {result.total} right: that code is understood. She accepts "
            "the agent's code without understanding it: that is recorded as debt."
        )
    prices_uri = prices.as_uri()
    restarted.open(prices_uri, str(prices), prices.read_text(encoding="utf-8"), "python", 1)
    for region in list(restarted.documents[prices_uri].regions):
        restarted.set_state(prices_uri, region.id, "waived", "waived")
    _persist(restarted, store, database, uri)
    _persist(restarted, store, database, prices_uri)

    console.print("[bold]7.[/] Her understanding debt (`mindgap report`):")
    console.print(escape(render_text(personal_report(database, DEVELOPER, profile))))

    events = read_events(database, DEVELOPER)
    summary = ", ".join(
        f"{kind} x{sum(1 for e in events if e.kind == kind)}"
        for kind in dict.fromkeys(e.kind for e in events)
    )
    console.print(
        f"[bold]8.[/] The ledger ({database.path.name}) holds {len(events)} events: {summary}"
    )
    console.print(
        "\nIn an editor the same findings appear as diagnostics: run [bold]mindgap serve[/] as a "
        "language server (see the README)."
    )


def _persist(
    tracker: ProvenanceTracker, store: RegionStore, database: Database, uri: str | None = None
) -> None:
    """What the server's writer thread does after each burst of edits."""
    state = tracker.state_to_save(uri) if uri else None
    if state is not None:
        store.save(state)
    append_events(database, store.developer, tracker.drain_events())


def _show(
    console: Console, tracker: ProvenanceTracker, uri: str, profile: Profile | None = None
) -> None:
    tracked = tracker.documents[uri]
    context = AnalysisContext(profile=profile)
    findings = analyse(
        tracked.path or uri, tracked.document, list(tracked.regions), "information", context
    )
    _print_findings(console, findings, tracked.document.text)


def _show_file(console: Console, store: RegionStore, path: Path, context: AnalysisContext) -> None:
    text = path.read_text(encoding="utf-8")
    document = SyntaxDocument(path.as_uri(), text, language_for(str(path)))
    findings = analyse(str(path), document, store.load(str(path)), "information", context)
    _print_findings(console, findings, text)


def _print_findings(console: Console, findings: list[Finding], text: str) -> None:
    lines = text.split("\n")
    for finding in findings:
        first, last = finding.range.start.line, finding.range.end.line
        if finding.kind != "foreign-region":  # inside the region just shown
            where = f"line {first + 1}"
            console.print(f"        [yellow]{finding.code}[/] {where}: {escape(finding.message)}")
            continue
        console.print(
            f"   [cyan]{finding.code}[/] lines {first + 1}-{last + 1}: {escape(finding.message)}"
        )
        for number in range(first, last + 1):
            console.print(f"   [dim]{number + 1:4}[/] │ {escape(lines[number])}")
    if not findings:
        console.print("   (no foreign code)")
