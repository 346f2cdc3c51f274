"""What the operating-system sandbox costs: starting one, and running a batch in it.

Budget (issue: isolate foreign code with the operating system): start-up overhead per run
p95 <= 60 ms, the child reused for a whole quiz; a whole quiz for a 40-line region stays
<= 300 ms p95 (bench/bench_quiz_exec.py).

Rows:
- `start`: a new sandbox (bubblewrap, the interpreter, the supervisor) until it is ready;
- `first run`: what the first quiz of a process pays - two sandboxes started at once and a
  one-call batch run in both (what `mindgap quiz` pays once);
- `run, reused`: a one-call batch in two sandboxes already started (every later quiz in the
  server): the per-run overhead;
- `run, 50 calls`: a batch of 50 calls of a small function, reused sandboxes.

    python bench/bench_sandbox.py [--rounds 30] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from mindgap.gate.sandbox import Sandbox, sandbox_available, unavailable_reason

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import percentile
from mindgap.gate.sandbox.runner import _Supervisor, forget_outcomes, shutdown_pool

START_BUDGET_MS = 60.0
FUNCTION = (
    "def grade(score):\n    if score >= 90:\n        return 'A'\n"
    "    return 'B' if score > 50 else 'C'\n"
)


def start() -> None:
    supervisor = _Supervisor(python_walls=True, command=())
    try:
        supervisor.wait_ready(time.monotonic() + 10)
    finally:
        supervisor.kill()


def first_run() -> None:
    shutdown_pool()
    forget_outcomes()
    with Sandbox() as sandbox:
        sandbox.run(FUNCTION, ["grade(95)"])


def reused_run() -> None:
    forget_outcomes()
    with Sandbox() as sandbox:
        sandbox.run(FUNCTION, ["grade(95)"])


def fifty_calls() -> None:
    forget_outcomes()
    with Sandbox() as sandbox:
        sandbox.run(FUNCTION, [f"grade({n})" for n in range(50)])


def timed(work: Callable[[], None], rounds: int) -> list[float]:
    work()  # warm: imports, the pool
    timings = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        timings.append((time.perf_counter() - began) * 1000)
    return timings


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if not sandbox_available():
        print(f"no operating-system sandbox: {unavailable_reason()}")
        return 0
    print(f"the operating-system sandbox, python {platform.python_version()}, {args.rounds} rounds")
    print(f"{'what':<16} {'median ms':>10} {'p95 ms':>8} {'max ms':>8}")
    rows = []
    for name, work in (
        ("start", start),
        ("first run", first_run),
        ("run, reused", reused_run),
        ("run, 50 calls", fifty_calls),
    ):
        timings = timed(work, args.rounds)
        row = {
            "what": name,
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 95), 1),
            "max_ms": round(max(timings), 1),
        }
        rows.append(row)
        print(f"{name:<16} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f} {row['max_ms']:>8.1f}")
    overhead = next(r for r in rows if r["what"] == "run, reused")["p95_ms"]
    verdict = "within" if overhead <= START_BUDGET_MS else "OVER"
    print(f"\nper-run overhead p95 {overhead} ms: {verdict} budget ({START_BUDGET_MS:.0f} ms)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0 if overhead <= START_BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main())
