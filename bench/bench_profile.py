"""Familiarity profile from git history: cold bootstrap and incremental update.

Builds a synthetic repository with `git fast-import` (5,000 commits by default: 80 % by the
developer, 12 % by a colleague, 5 % Copilot-trailered, 3 % touching only a README), over 60
Python files that grow to several hundred lines each, with a mix of the constructs of the
catalogue. Then measures:

1. cold bootstrap: the engine (`update_profile`) over the whole history, into an empty store,
2. incremental update after one new commit (the engine),
3. the same two through the command a user runs (`python -m mindgap profile --format json`,
   a fresh process: interpreter start and imports included).

    python bench/bench_profile.py             # 5,000 commits
    python bench/bench_profile.py --commits 500
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

from mindgap.knowledge.profile import Profile, update_profile
from mindgap.ledger.database import Database

RESULTS = Path(__file__).resolve().parent / "results" / "profile.json"
DEVELOPER = ("Dana Developer", "dana@example.com")
COLLEAGUE = ("Colin Colleague", "colin@example.com")
FILES = 60
SPAN_DAYS = 3 * 365

BUDGETS = {  # name: (limit, unit)
    "cold bootstrap (engine)": (60.0, "s"),
    "incremental, one commit (engine)": (1.0, "s"),
    "cold bootstrap (command)": (60.0, "s"),
    "incremental, one commit (command)": (1.0, "s"),
}

WORDS = ["order", "item", "price", "total", "account", "user", "record", "value", "cache", "node"]

SNIPPETS = [
    "    ranked = sorted({a}, key=lambda x: x.{b})\n    return ranked\n",
    "    match {a}:\n        case {{'kind': kind}}:\n            return kind\n        case _:\n"
    "            return None\n",
    "    return [x.{b} for x in {a} if x]\n",
    "    return {{k: v for k, v in {a}.items()}}\n",
    "    with open({a}) as handle:\n        return handle.read()\n",
    "    try:\n        return {a}.{b}\n    except AttributeError as error:\n"
    "        raise ValueError({a}) from error\n",
    "    total = 0\n    for x in {a}:\n        total += x\n    return f'{{total:>10.2f}}'\n",
    "    if (n := len({a})) > 10:\n        return n\n    return 0\n",
    "    first, *rest = {a}\n    return rest[::2]\n",
    "    return {a} if {b} else None\n",
    "    yield from {a}\n",
    "    async with {a} as session:\n        return await session.get({b})\n",
]


def _function(rng: random.Random, index: int) -> str:
    a, b = rng.sample(WORDS, 2)
    body = "".join(rng.choice(SNIPPETS).format(a=a, b=b) for _ in range(rng.randint(1, 2)))
    decorator = "@functools.cache\n" if rng.random() < 0.1 else ""
    prefix = "async def" if "await" in body else "def"
    return f"\n\n{decorator}{prefix} {a}_{b}_{index}({a}, {b}=None):\n    '''Do it.'''\n{body}"


def _data(payload: bytes) -> bytes:
    return b"data %d\n%s\n" % (len(payload), payload)


def generate(root: Path, commits: int, seed: int = 7) -> Path:
    """A repository of `commits` commits on main, written by `git fast-import`."""
    rng = random.Random(seed)
    repo = root / "synthetic"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    files = {f"pkg{i % 6}/module_{i}.py": "import functools\n" for i in range(FILES)}
    start = int(time.time()) - SPAN_DAYS * 86_400
    step = SPAN_DAYS * 86_400 // max(1, commits)
    stream = bytearray()
    for n in range(1, commits + 1):
        roll = rng.random()
        author = COLLEAGUE if roll < 0.12 else DEVELOPER
        message = f"Change {n}"
        if 0.12 <= roll < 0.17:
            message += "\n\nCo-authored-by: GitHub Copilot <copilot@github.com>"
        when = start + n * step
        stream += b"commit refs/heads/main\nmark :%d\n" % n
        for role in (b"author", b"committer"):
            stream += b"%s %s <%s> %d +0000\n" % (
                role,
                author[0].encode(),
                author[1].encode(),
                when,
            )
        stream += _data(message.encode())
        if n > 1:
            stream += b"from :%d\n" % (n - 1)
        if roll >= 0.97:
            stream += b"M 100644 inline README.md\n" + _data(f"Release {n}\n".encode())
        else:
            path = rng.choice(sorted(files))
            lines = files[path].splitlines(keepends=True)
            if len(lines) > 20 and rng.random() < 0.3:  # an edit in the middle
                at = rng.randrange(1, len(lines))
                lines[at] = f"    # reviewed in change {n}\n" + lines[at]
            files[path] = "".join(lines) + _function(rng, n)
            stream += f"M 100644 inline {path}\n".encode() + _data(files[path].encode())
        stream += b"\n"
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=bytes(stream), check=True)
    git(repo, "checkout", "-q", "-f", "main")
    git(repo, "config", "user.name", DEVELOPER[0])
    git(repo, "config", "user.email", DEVELOPER[1])
    return repo


def git(repo: Path, *args: str) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return result.stdout.strip()


def one_more_commit(repo: Path, n: int) -> None:
    path = repo / "pkg0" / "module_0.py"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(f"\n\ndef fresh_{n}(items):\n    return sorted(items, key=lambda i: -i)\n")
    git(repo, "add", "-A")
    git(repo, "-c", "commit.gpgsign=false", "commit", "-q", "-m", f"Fresh {n}")


def engine_update(database: Database, repo: Path) -> tuple[float, list]:
    began = time.perf_counter()
    updates = update_profile(database, DEVELOPER[1], [repo])
    return time.perf_counter() - began, updates


def command_update(home: Path, repo: Path) -> tuple[float, dict]:
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mindgap", "profile", "--repo", str(repo), "--format", "json"],
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(home)},
        check=False,
    )
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"mindgap profile failed: {result.stderr}")
    return elapsed, json.loads(result.stdout)


def run(commits: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="mindgap-bench-profile-") as temp:
        root = Path(temp)
        began = time.perf_counter()
        repo = generate(root, commits)
        generated = time.perf_counter() - began

        database = Database(root / "engine" / "mindgap.sqlite3")
        cold, (bootstrap,) = engine_update(database, repo)
        one_more_commit(repo, 1)
        incremental, (increment,) = engine_update(database, repo)
        profile = Profile.load(database, DEVELOPER[1])
        database.close()

        command_cold, cold_json = command_update(root / "home", repo)
        one_more_commit(repo, 2)
        command_incremental, incremental_json = command_update(root / "home", repo)

    measured = {
        "cold bootstrap (engine)": cold,
        "incremental, one commit (engine)": incremental,
        "cold bootstrap (command)": command_cold,
        "incremental, one commit (command)": command_incremental,
    }
    return {
        "machine": machine(),
        "commits": commits,
        "generate_s": round(generated, 2),
        "bootstrap": {
            "developer_commits": bootstrap.commits,
            "assisted_commits": bootstrap.assisted_commits,
            "constructs_found": bootstrap.constructs,
            "skipped_files": bootstrap.skipped,
            "distinct_constructs": len(profile.written),
        },
        "incremental": {"mode": increment.mode, "commits": increment.commits},
        "command": {
            "cold_mode": cold_json["repositories"][0]["mode"],
            "incremental_mode": incremental_json["repositories"][0]["mode"],
            "incremental_commits": incremental_json["repositories"][0]["commits_read"],
        },
        "budgets": [
            {
                "budget": name,
                "measured": round(measured[name], 3),
                "limit": limit,
                "unit": unit,
                "ok": measured[name] <= limit,
            }
            for name, (limit, unit) in BUDGETS.items()
        ],
    }


def machine() -> dict:
    processor = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                processor = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "processor": processor,
        "nproc": os.cpu_count(),
        "git": git(Path.cwd(), "--version"),
    }


def print_report(results: dict) -> None:
    m, b = results["machine"], results["bootstrap"]
    print(f"Python {m['python']} on {m['platform']}; {m['git']}")
    print(f"CPU: {m['processor']}, nproc={m['nproc']}")
    print(
        f"Synthetic repository: {results['commits']:,} commits (generated in "
        f"{results['generate_s']:.1f} s); the developer's: {b['developer_commits']:,} by hand "
        f"+ {b['assisted_commits']:,} AI-assisted; {b['constructs_found']:,} hand-written "
        f"construct occurrences of {b['distinct_constructs']} constructs"
    )
    print(
        f"Incremental: mode {results['incremental']['mode']}, "
        f"{results['incremental']['commits']} commit read"
    )
    print()
    print("| budget | measured | limit | ok |")
    print("|---|---:|---:|:---:|")
    for row in results["budgets"]:
        unit, ok = row["unit"], "yes" if row["ok"] else "NO"
        print(
            f"| {row['budget']} | {row['measured']:.2f} {unit} | {row['limit']:.0f} {unit} | {ok} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--commits", type=int, default=5000)
    args = parser.parse_args()
    results = run(args.commits)
    print_report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS}")
    return 0 if all(row["ok"] for row in results["budgets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
