"""GATE.md's surface solver over every function of 5+ lines of click and rich, and the cost
of `mindgap quiz` as a process.

Prints, per package: the share of quizzes a reader who does not trace passes (finding a key
that is the only choice written in the code, knowing vocabulary, guessing the rest), the
share of questions that need tracing, the share of functions that get a quiz of 3+ questions,
generator crashes and the median time per function; then the median wall time of
`mindgap quiz FILE:START-END --format json` on a 40-line region (interpreter start included).
Results also go to bench/results/surface_solver.json.

    python bench/bench_surface_solver.py
    python bench/bench_surface_solver.py --every 4   # a quicker sample
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.unit.gate.surface_solver import functions, measure

RESULTS = Path(__file__).resolve().parent / "results" / "surface_solver.json"
REGION = """\
def split_path(p):
    parts = p.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def clamp(value, low, high):
    if value < low:
        return low
    if value > high:
        return high
    return value


def grade(score: int) -> str:
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    return "C"


def total(prices, discount):
    result = 0
    for price in prices:
        if price < 0:
            raise ValueError("negative price")
        result += price
    return result - discount


def first_even(numbers):
    for n in numbers:
        if n < 0:
            continue
        if n % 2 == 0:
            return n
    return None
"""


def quiz_process(rounds: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "region.py"
        path.write_text(REGION, encoding="utf-8")
        lines = REGION.count("\n")
        env = {**os.environ, "MINDGAP_HOME": folder}
        times = []
        for _ in range(rounds):
            began = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "mindgap", "quiz", f"{path}:1-{lines}", "--format", "json"],
                capture_output=True,
                check=True,
                env=env,
            )
            times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--every", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    results: dict[str, object] = {}
    for package in ("click", "rich"):
        regions = functions(package)[:: args.every]
        began = time.perf_counter()
        figures = measure(regions)
        per_function = (time.perf_counter() - began) / max(1, len(regions)) * 1000
        print(figures.line(package) + f"; {per_function:.0f} ms per function (mean)")
        results[package] = {
            "functions": figures.functions,
            "quizzes": figures.offered,
            "solver_pass_rate_of_quizzes": figures.pass_rate_of_quizzes,
            "solver_pass_rate_of_functions": figures.pass_rate,
            "tracing_share": figures.tracing_share,
            "three_or_more": figures.coverage,
            "crashes": figures.crashes,
            "ms_per_function": per_function,
            "by_type": figures.by_type,
        }
    median = quiz_process(args.rounds)
    print(f"mindgap quiz as a process, 40-line region, median: {median:.2f} s (budget 0.4 s)")
    results["quiz_process_median_s"] = median
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
