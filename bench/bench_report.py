"""`mindgap report` over a large ledger, and `mindgap report --team` over many notes.

Budgets (README): over a ledger of 100,000 events, <= 1 s for text and JSON and <= 2 s for
HTML; over a repository with 10,000 notes, <= 5 s for the team report.

The ledger: 8,000 foreign insertions of 3-8 line Python snippets (each text different) in
200 files, and their lives - moves, retyping, quizzes (failed and passed), explanations,
waivers, deletions - up to 100,000 events over 90 days; 6,000 regions are still there. The
repository: 10,000 commits made with `git fast-import`, each adding a function to one of 100
files, each commit with a note holding one attestation.

The first report over a ledger parses the code of every region once (the constructs are
then cached in the store), so it is measured on its own. Each other measurement is the wall
time of the real command (`python -m mindgap report ...`, a new
process, as a user or a hook runs it), the best of --rounds runs; the in-process time of
building the report (no interpreter start-up) is shown beside it.

    python bench/bench_report.py              # full run
    python bench/bench_report.py --rounds 1   # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mindgap.ledger.database import DATABASE_NAME, Database
from mindgap.ledger.events import Event, append_events
from mindgap.provenance.persistence import RegionStore
from mindgap.provenance.regions import Region
from mindgap.provenance.tracker import file_state
from mindgap.team.anchoring import line_fingerprint
from mindgap.team.notes import Attestation

RESULTS = Path(__file__).resolve().parent / "results" / "report.json"
DEVELOPER = "dev@example.com"
EVENTS, INSERTIONS, FILES, KEPT = 100_000, 8_000, 200, 6_000
NOTES, NOTE_FILES = 10_000, 100
DAY = 86_400.0

SNIPPETS = [
    "def total_{n}(items):\n    result = 0\n    for item in items:\n        result += item.price\n"
    "    return result",
    "values_{n} = [x * {n} for x in range(10) if x % 2 == 0]\nlookup_{n} = {{v: i for i, v in "
    "enumerate(values_{n})}}",
    "async def fetch_{n}(client, url):\n    async with client.get(url) as response:\n"
    "        data = await response.json()\n    return data.get('items', [])",
    "class Point{n}:\n    def __init__(self, x, y):\n        self.x = x\n        self.y = y\n\n"
    "    def norm(self):\n        return (self.x ** 2 + self.y ** 2) ** 0.5",
    "with open(path_{n}) as handle:\n    lines = [line.strip() for line in handle]\n"
    "squares_{n} = list(map(lambda v: v * v, range({n})))",
    "try:\n    value_{n} = int(text)\nexcept ValueError as error:\n    raise SystemExit(error)\n"
    "finally:\n    print('done {n}')",
]


def build_ledger(home: Path) -> dict:
    """Regions and events as the server writes them, straight into a store."""
    rng = random.Random(7)
    now = time.time()
    database = Database(home / DATABASE_NAME)
    store = RegionStore(database, DEVELOPER)
    events: list[Event] = []
    per_file: dict[str, list[Region]] = {}
    for n in range(INSERTIONS):
        text = SNIPPETS[n % len(SNIPPETS)].format(n=n)
        path = f"/work/project/src/module_{n % FILES}.py"
        when = now - rng.uniform(0, 90) * DAY
        region = Region(0, len(text), text, "inline-completion", "copilot", created_at=when)

        def event(
            kind: str, at: float, region: Region = region, path: str = path, **detail
        ) -> Event:
            return Event(
                kind,
                path,
                region.id,
                region.origin_id,
                region.fingerprint,
                region.line_count,
                detail,
                at,
            )

        events.append(event("inserted", when, source="inline-completion", tool="copilot"))
        later = when + rng.uniform(60, 3_600)
        if n >= KEPT:
            events.append(event("deleted", later, vanished=True))
            continue
        state = ("pending", "understood", "waived", "pending")[n % 4]
        if state == "understood":
            events.append(event("quizzed", later, questions=["return-value", "loop-count"]))
            events.append(event("answered", later + 30, passed=False, score=1, total=2))
            events.append(event("answered", later + 60, passed=True, score=2, total=2))
        elif state == "waived":
            events.append(event("waived", later, state="waived"))
        region.state = state
        per_file.setdefault(path, []).append(region)
    fill = EVENTS - len(events)
    kept = [r for regions in per_file.values() for r in regions]
    for i in range(fill):  # the rest of their lives: moves and a little retyping
        region = kept[i % len(kept)]
        kind = "moved" if i % 3 else "retyped"
        events.append(
            Event(
                kind,
                "/work/project/src/x.py",
                region.id,
                region.origin_id,
                region.fingerprint,
                0,
                {"outcome": "moved"},
                region.created_at + 7_200 + i,
            )
        )
    events.sort(key=lambda e: e.time)
    for start in range(0, len(events), 10_000):
        append_events(database, DEVELOPER, events[start : start + 10_000])
    for path, regions in per_file.items():
        text, placed = "", []
        for region in regions:  # one after the other in the file, as the editor keeps them
            start = len(text)
            placed.append(
                Region(
                    start,
                    start + len(region.text),
                    region.text,
                    region.source,
                    region.tool,
                    region.id,
                    region.origin_id,
                    region.created_at,
                    region.state,
                )
            )
            text += region.text + "\n\n\n"
        store.save(file_state(path, placed, text))
    count = database.query("SELECT COUNT(*) FROM events")[0][0]
    database.close()
    return {"events": count, "regions": len(kept)}


def build_notes_repository(root: Path) -> dict:
    """NOTES commits and a note on each, through one `git fast-import` stream."""
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    contents: dict[int, list[str]] = {k: [] for k in range(NOTE_FILES)}
    stream: list[bytes] = []
    notes: list[tuple[int, str]] = []
    stamp = 1_700_000_000

    def data(text: str) -> bytes:
        raw = text.encode()
        return b"data %d\n" % len(raw) + raw + b"\n"

    for n in range(1, NOTES + 1):
        k = n % NOTE_FILES
        block = [f"def f{n}(x):", f"    y = x * {n}", "    return y + 1", ""]
        first = len(contents[k])
        contents[k].extend(block)
        body = "\n".join(contents[k])
        stream.append(
            b"commit refs/heads/main\nmark :%d\ncommitter Dev <dev@example.com> %d +0000\n"
            % (n, stamp + n)
            + data(f"f{n}")
            + (b"from :%d\n" % (n - 1) if n > 1 else b"")
            + f"M 100644 inline src/module_{k}.py\n".encode()
            + data(body)
        )
        lines = body.split("\n")
        attestation = Attestation(
            developer=("dev@example.com", "ann@example.com", "bo@example.com")[n % 3],
            path=f"src/module_{k}.py",
            fingerprint=f"{n:024x}",
            line_fingerprint=line_fingerprint(lines, first, first + 2),
            span=3,
            lines=3,
            state=("pending", "understood", "waived")[n % 3],
            time=float(stamp + n),
        )
        notes.append((n, attestation.to_line() + "\n"))
    stream.append(
        b"commit refs/notes/mindgap\ncommitter Dev <dev@example.com> %d +0000\n"
        % (stamp + NOTES + 1)
        + data("notes")
    )
    for mark, text in notes:
        stream.append(b"N inline :%d\n" % mark + data(text))
    subprocess.run(
        ["git", "-C", str(root), "fast-import", "--quiet"], input=b"".join(stream), check=True
    )
    subprocess.run(["git", "-C", str(root), "reset", "-q", "--hard", "main"], check=True)
    listed = subprocess.run(
        ["git", "-C", str(root), "notes", "--ref=mindgap", "list"], capture_output=True, check=True
    )
    return {"commits": NOTES, "notes": len(listed.stdout.splitlines())}


def command_seconds(args: list[str], home: Path, cwd: Path, rounds: int) -> tuple[float, str]:
    env = {**os.environ, "MINDGAP_HOME": str(home)}
    best, output = float("inf"), ""
    for _ in range(rounds):
        start = time.perf_counter()
        result = subprocess.run(
            [sys.executable, "-m", "mindgap", *args],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        best = min(best, time.perf_counter() - start)
        if result.returncode != 0:
            raise SystemExit(f"mindgap {' '.join(args)} failed: {result.stderr}")
        output = result.stdout
    return best, output


def in_process_seconds(home: Path, fmt: str, rounds: int) -> float:
    from mindgap.knowledge.profile import Profile
    from mindgap.report.html import render_html
    from mindgap.report.ledger_input import personal_report
    from mindgap.report.text import render_text

    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        database = Database(home / DATABASE_NAME)
        report = personal_report(database, DEVELOPER, Profile.load(database, DEVELOPER))
        {"text": render_text, "html": render_html}.get(fmt, lambda r: r.to_json())(report)
        database.close()
        best = min(best, time.perf_counter() - start)
    return best


def run(rounds: int) -> dict:
    results: dict = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "nproc": os.cpu_count(),
        },
        "rows": [],
    }
    with tempfile.TemporaryDirectory() as scratch:
        home, work = Path(scratch) / "home", Path(scratch) / "work"
        work.mkdir()
        start = time.perf_counter()
        results["ledger"] = build_ledger(home)
        results["ledger"]["generate_s"] = time.perf_counter() - start
        # the very first report parses every region's code (then cached in the store)
        seconds, _ = command_seconds(
            ["report", "--developer", DEVELOPER, "--format", "json"], home, work, 1
        )
        results["rows"].append(
            {
                "what": "  first run (constructs not cached)",
                "size": f"{results['ledger']['regions']:,} regions",
                "seconds": seconds,
                "in_process_s": None,
                "budget_s": None,
            }
        )
        for fmt, budget in (("text", 1.0), ("json", 1.0), ("html", 2.0)):
            seconds, output = command_seconds(
                ["report", "--developer", DEVELOPER, "--format", fmt], home, work, rounds
            )
            if fmt == "json":
                results["ledger"]["debt_lines"] = json.loads(output)["current"]["debtLines"]
            results["rows"].append(
                {
                    "what": f"mindgap report --format {fmt}",
                    "size": f"{results['ledger']['events']:,} events",
                    "seconds": seconds,
                    "in_process_s": in_process_seconds(home, fmt, rounds),
                    "budget_s": budget,
                }
            )
        repo = Path(scratch) / "repo"
        start = time.perf_counter()
        results["notes"] = build_notes_repository(repo)
        results["notes"]["generate_s"] = time.perf_counter() - start
        seconds, output = command_seconds(
            ["report", "--team", "--format", "json"], home, repo, rounds
        )
        team = json.loads(output)
        results["notes"]["attestations_present"] = team["attestations"]["anchored"]
        results["rows"].append(
            {
                "what": "mindgap report --team --format json",
                "size": f"{results['notes']['notes']:,} notes",
                "seconds": seconds,
                "in_process_s": None,
                "budget_s": 5.0,
            }
        )
    return results


def print_table(results: dict) -> None:
    ledger, notes = results["ledger"], results["notes"]
    print(
        f"Ledger: {ledger['events']:,} events, {ledger['regions']:,} regions "
        f"({ledger['debt_lines']:,} debt lines), generated in {ledger['generate_s']:.1f} s"
    )
    print(
        f"Repository: {notes['commits']:,} commits, {notes['notes']:,} notes "
        f"({notes['attestations_present']:,} attestations found in HEAD), generated in "
        f"{notes['generate_s']:.1f} s"
    )
    print(f"{'command':<38} {'input':>15} {'wall s':>8} {'in-proc s':>10} {'budget':>7}  ok")
    for row in results["rows"]:
        inner = f"{row['in_process_s']:.2f}" if row["in_process_s"] is not None else "-"
        if row["budget_s"] is None:
            budget, ok = "-", "-"
        else:
            budget = f"{row['budget_s']:.1f}s"
            ok = "yes" if row["seconds"] <= row["budget_s"] else "NO"
        print(
            f"{row['what']:<38} {row['size']:>15} {row['seconds']:>8.2f} {inner:>10}"
            f" {budget:>7}  {ok}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    results = run(args.rounds)
    print_table(results)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
