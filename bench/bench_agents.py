"""Agents: the hook `mindgap agent record` as a whole process, and `mindgap import`.

Budgets (README): the hook for a 40-line Edit, p95 <= 150 ms as a whole process (the
interpreter's own start is measured apart: the hook cannot make Python start faster);
`mindgap import` over 1,000 commits <= 10 s.

The hook runs as an agent runs it: the `mindgap` console script, the payload on stdin, in a
repository whose 400-line file takes a 40-line Edit each time (at a different place), with a
store that already holds 20,000 events. The import: a repository of 1,000 commits by the
developer made with `git fast-import` (half with a Co-authored-by trailer naming an AI tool,
every tenth by aider, spread over 100 files), imported into an empty store.

    python bench/bench_agents.py              # full run
    python bench/bench_agents.py --runs 10    # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mindgap.ledger.database import DATABASE_NAME, Database
from mindgap.ledger.events import Event, append_events

RESULTS = Path(__file__).resolve().parent / "results" / "agents.json"
DEVELOPER = "dev@example.com"
FILE_LINES, EDIT_LINES, EVENTS = 400, 40, 20_000
COMMITS, FILES = 1_000, 100
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def git(root: Path, *args: str, stdin: bytes | None = None) -> None:
    subprocess.run(
        ["git", *args], cwd=root, input=stdin, check=True, capture_output=True, timeout=600
    )


def interpreter_start(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True, env=ENV)
        times.append((time.perf_counter() - started) * 1000)
    return times


def child_cpu_ms() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def hook_runs(runs: int, work: Path) -> tuple[list[float], list[float]]:
    repo, home = work / "hook-repo", work / "hook-home"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", DEVELOPER)
    git(repo, "config", "user.name", "Dev")
    lines = [f"def f{n}(x):\n    return x + {n}\n" for n in range(FILE_LINES // 2)]
    path = repo / "big.py"
    path.write_text("".join(lines), encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "start")
    database = Database(home / DATABASE_NAME)
    append_events(
        database,
        DEVELOPER,
        [Event("quizzed", f"/x/{n % 300}.py", str(n), str(n), "f", 3) for n in range(EVENTS)],
    )
    database.close()
    script = Path(sys.executable).parent / "mindgap"
    command = [str(script)] if script.is_file() else [sys.executable, "-m", "mindgap"]
    # as installed: the modules' bytecode cached (kept out of the source tree)
    env = {**os.environ, "MINDGAP_HOME": str(home), "PYTHONPYCACHEPREFIX": str(work / "pyc")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    times, cpu = [], []
    for run in range(runs):
        text = path.read_text(encoding="utf-8")
        anchor_line = (run * 37) % (FILE_LINES // 2 - 1)
        old = f"def f{anchor_line}(x):\n"
        new = "".join(f"    v{run}_{k} = x * {k}\n" for k in range(EDIT_LINES))
        new = f"def g{run}(x):\n{new}    return x\n\n\n{old}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        payload = json.dumps(
            {
                "session_id": "bench-session",
                "cwd": str(repo),
                "hook_event_name": "PostToolUse",
                "tool_name": "Edit",
                "tool_input": {"file_path": str(path), "old_string": old, "new_string": new},
                "tool_response": {"filePath": str(path), "success": True},
            }
        )
        started, cpu_before = time.perf_counter(), child_cpu_ms()
        subprocess.run(
            [*command, "agent", "record", "--agent", "claude-code"],
            input=payload.encode(),
            env=env,
            check=True,
        )
        times.append((time.perf_counter() - started) * 1000)
        cpu.append(child_cpu_ms() - cpu_before)  # the hook and its git: not others' load
    database = Database(home / DATABASE_NAME)
    recorded = database.query("SELECT count(*) FROM regions")[0][0]
    database.close()
    assert recorded == runs, f"{recorded} regions recorded for {runs} edits"
    return times, cpu


def import_repository(work: Path) -> Path:
    repo = work / "import-repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", DEVELOPER)
    git(repo, "config", "user.name", "Dev")
    contents: dict[int, list[str]] = {n: [] for n in range(FILES)}
    stream = []
    when = 1_600_000_000
    for n in range(COMMITS):
        file = n % FILES
        contents[file].append(f"def c{n}(x):\n    return x * {n}\n\n\n")
        if n % 10 == 0:
            author, message = "Dev (aider)", f"aider change {n}\n"
        elif n % 2 == 0:
            author, message = (
                "Dev",
                f"Change {n}\n\nCo-authored-by: Claude <noreply@anthropic.com>\n",
            )
        else:
            author, message = "Dev", f"Change {n}\n"
        data = "".join(contents[file]).encode()
        encoded = message.encode()
        stream.append(
            f"commit refs/heads/main\nmark :{n + 1}\n"
            f"author {author} <{DEVELOPER}> {when + n * 60} +0000\n"
            f"committer Dev <{DEVELOPER}> {when + n * 60} +0000\n"
            f"data {len(encoded)}\n".encode()
            + encoded
            + (f"from :{n}\n".encode() if n else b"")
            + f"M 100644 inline m{file}.py\ndata {len(data)}\n".encode()
            + data
            + b"\n"
        )
    git(repo, "fast-import", "--quiet", stdin=b"".join(stream))
    git(repo, "checkout", "-q", "-f", "main")
    return repo


def import_run(work: Path) -> tuple[float, str]:
    repo = import_repository(work)
    env = {**os.environ, "MINDGAP_HOME": str(work / "import-home")}
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mindgap", "import", "--repo", str(repo)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    elapsed = time.perf_counter() - started
    return elapsed, result.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        start = interpreter_start(args.runs)
        hook, hook_cpu = hook_runs(args.runs, work)
        imported, summary = import_run(work)
    rows = [
        ("interpreter start (python -c pass), p50 / p95", start, None),
        (f"agent record, {EDIT_LINES}-line Edit, whole process, p50 / p95", hook, 150.0),
        ("  the same, CPU time of the process (user + system)", hook_cpu, None),
    ]
    print(f"{'measure':<62} {'p50':>8} {'p95':>8} {'limit':>8}")
    for name, times, limit in rows:
        limit_text = f"{limit:.0f} ms" if limit else "-"
        print(
            f"{name:<62} {statistics.median(times):>6.1f}ms {percentile(times, 0.95):>6.1f}ms"
            f" {limit_text:>8}"
        )
    print(f"{'mindgap import, 1,000 commits (whole process)':<62} {imported:>7.2f}s {'':>8} 10 s")
    print(f"  {summary}")
    print(f"load average (1 min) at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
                "python": platform.python_version(),
                "load_average_1min": os.getloadavg()[0],
                "runs": args.runs,
                "interpreter_start_ms": {
                    "p50": statistics.median(start),
                    "p95": percentile(start, 0.95),
                },
                "agent_record_ms": {"p50": statistics.median(hook), "p95": percentile(hook, 0.95)},
                "agent_record_cpu_ms": {
                    "p50": statistics.median(hook_cpu),
                    "p95": percentile(hook_cpu, 0.95),
                },
                "import_1000_commits_s": imported,
                "import_summary": summary,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
