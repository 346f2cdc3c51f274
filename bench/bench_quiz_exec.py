"""Quiz generation with sandboxed runs, for a 40-line region.

Budget: <= 300 ms (p95) for a 40-line region, sandboxed runs included.

All the calls the execution-based question types need for a region (return values, empty
inputs, edge inputs, instrumented loop copies, mutants) go to the operating-system sandbox
(bubblewrap + seccomp, gate/sandbox/) in one batch per planning step, run in two sandboxes at
once (the second catches results that differ between processes). The outcome cache is
emptied before every round, so every round pays for its runs; the sandboxes themselves are
started once and reused, as in the server (bench/bench_sandbox.py measures starting them).

Two workloads:
- `helpers`: a 40-line region of seven small functions, the kind an assistant writes in one
  go; every function is runnable, so this is the largest batch a region of that size makes.
- `stdlib`: every 40-line window of a standard library module (cut at top-level statements)
  in which at least one function is runnable; real code, real imports in the batch.

Each is timed for the execution-based question types alone and for the whole quiz (every
question type, `mindgap.gate.quiz.build_quiz`) when that module is present.

`mindgap quiz` as a process (budget: median <= 400 ms): `python -m mindgap quiz
orders.py:S-E --format json` on the `helpers` region in a fresh git repository, everything
included (interpreter start, imports, settings, ledger, starting the sandboxes, the quiz).
Timed twice: with bytecode cached (the usual case for an installed package), and as the
environment runs it (PYTHONDONTWRITEBYTECODE=1 set: modules whose cached bytecode is stale
or missing are compiled at every start). `python -c pass` is shown beside it: the part no
change to mindgap can remove.

    python bench/bench_quiz_exec.py              # 30 rounds, 15 process runs per mode
    python bench/bench_quiz_exec.py --rounds 10
    python bench/bench_quiz_exec.py --process-only --process-rounds 21
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mindgap.gate.questions import all_generators
from mindgap.gate.questions.base import CodeUnderQuiz
from mindgap.gate.questions.exec_common import NOTES_KEY, RegionRuns
from mindgap.gate.sandbox import prepare_sandbox, sandbox_available, unavailable_reason
from mindgap.gate.sandbox.runner import forget_outcomes
from mindgap.syntax.languages import language_named

BUDGET_MS = 300.0
PROCESS_BUDGET_MS = 400.0  # median, `mindgap quiz` as a process (issue 12)
REGION_LINES = 40
EXEC_TYPES = {"return-value", "empty-input", "loop-count", "raises-on", "return-line"}
STDLIB_MODULE = "statistics"

BEFORE = '''"""Order handling."""

from __future__ import annotations

import math
from collections import Counter

TAX_RATE = 20

'''

HELPERS = """def total(prices: list[int]) -> int:
    result = 0
    for price in prices:
        result += price
    return result


def average(xs):
    return sum(xs) / len(xs)


def with_tax(amount: int) -> float:
    return amount + amount * TAX_RATE / 100


def grade(score: int) -> str:
    if score >= 90:
        return "A"
    if score >= 80:
        return "B"
    return "C"


def find(words, wanted):
    for word in words:
        if word == wanted:
            return True
    return False


def most_common(words: list[str]) -> str:
    return Counter(words).most_common(1)[0][0]


def digits(n: int) -> int:
    count = 0
    while n > 0:
        n //= 10
        count += 1
    return max(count, 1) if n == 0 else count
"""

AFTER = """

def main():
    print(total([1, 2, 3]))
"""


def region_of(source: str, first_line: int, last_line: int) -> CodeUnderQuiz:
    data = source.encode("utf-8")
    starts = [0]
    for line in data.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    start, end = starts[first_line - 1], starts[min(last_line, len(starts) - 1)]
    tree = language_named("python").parser().parse(data)
    text = data[start:end].decode("utf-8")
    return CodeUnderQuiz(
        "python", data, tree, start, end, first_line, random.Random(0), prepare_sandbox(text)
    )


def exec_only(source: str, first: int, last: int) -> tuple[int, int]:
    """Questions of the exec types, and the calls in the batch."""
    code = region_of(source, first, last)
    generators = [g for g in all_generators() if g.type in EXEC_TYPES]
    questions = sum(len(g.generate(code)) for g in generators)
    runs = code.notes.get(NOTES_KEY)
    return questions, len(runs.outcomes) if isinstance(runs, RegionRuns) else 0


def whole_quiz() -> Callable[[str, int, int], tuple[int, int]] | None:
    try:
        quiz = importlib.import_module("mindgap.gate.quiz")
        document_module = importlib.import_module("mindgap.syntax.document")
    except ImportError:
        return None

    def run(source: str, first: int, last: int) -> tuple[int, int]:
        document = document_module.SyntaxDocument(
            "file:///bench.py", source, language_named("python")
        )
        lines = source.splitlines(keepends=True)
        start = sum(len(line) for line in lines[: first - 1])
        end = start + sum(len(line) for line in lines[first - 1 : last])
        built = quiz.build_quiz(document, start, end)
        return len(built.questions), 0

    return run


def stdlib_windows() -> tuple[str, list[tuple[int, int]], str]:
    module = importlib.import_module(STDLIB_MODULE)
    path = Path(module.__file__ or "")
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    windows = []
    first = 1
    while first <= len(lines):
        last = min(first + REGION_LINES - 1, len(lines))
        while last < len(lines) and lines[last : last + 1] and lines[last][:1] in " \t)]}":
            last += 1  # end at a top-level statement
        windows.append((first, last))
        first = last + 1
    runnable = []
    for first, last in windows:
        code = region_of(source, first, last)
        generators = [g for g in all_generators() if g.type == "return-value"]
        if code.sandbox is not None and any(g.generate(code) for g in generators):
            runnable.append((first, last))
    return source, runnable, f"{STDLIB_MODULE}.py ({len(lines)} lines)"


def measure(
    work: Callable[[str, int, int], tuple[int, int]],
    source: str,
    regions: list[tuple[int, int]],
    rounds: int,
) -> tuple[list[float], int, int]:
    timings: list[float] = []
    questions = calls = 0
    for _ in range(rounds):
        for first, last in regions:
            forget_outcomes()
            began = time.perf_counter()
            questions, calls = work(source, first, last)
            timings.append((time.perf_counter() - began) * 1000)
    return timings, questions, calls


def process_timings(rounds: int, cached: bool) -> tuple[list[float], list[float], bool]:
    """Wall times of `mindgap quiz ... --format json` and of `python -c pass` as processes,
    and whether PYTHONDONTWRITEBYTECODE was set for them."""
    with tempfile.TemporaryDirectory(prefix="mindgap-quiz-process-") as folder:
        root = Path(folder) / "repo"
        root.mkdir()
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / "orders.py").write_text(BEFORE + HELPERS + AFTER, encoding="utf-8")
        environment = {**os.environ, "MINDGAP_HOME": str(Path(folder) / "home")}
        if cached:  # a private cache: the shared tree's __pycache__ folders stay untouched
            environment.pop("PYTHONDONTWRITEBYTECODE", None)
            environment["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "pycache")
        first = BEFORE.count("\n") + 1
        last = first + HELPERS.count("\n") - 1
        quiz = [sys.executable, "-m", "mindgap", "quiz", f"orders.py:{first}-{last}"]
        quiz += ["--format", "json"]
        bare = [sys.executable, "-c", "pass"]
        timings: dict[str, list[float]] = {"quiz": [], "bare": []}
        for command, name in ((quiz, "quiz"), (bare, "bare")):
            # the first run writes the bytecode cache and creates the ledger
            subprocess.run(command, cwd=root, env=environment, capture_output=True, check=True)
            for _ in range(rounds):
                began = time.perf_counter()
                done = subprocess.run(command, cwd=root, env=environment, capture_output=True)
                timings[name].append((time.perf_counter() - began) * 1000)
                if done.returncode != 0 or (name == "quiz" and b'"questions"' not in done.stdout):
                    raise SystemExit(f"mindgap quiz failed: {done.stderr.decode()[-500:]}")
        return timings["quiz"], timings["bare"], "PYTHONDONTWRITEBYTECODE" in environment


def measure_processes(rounds: int) -> list[dict[str, Any]]:
    print(
        f"\n`mindgap quiz` as a process, {REGION_LINES}-line region, --format json, "
        f"budget <= {PROCESS_BUDGET_MS:.0f} ms (median); load {os.getloadavg()[0]:.2f} "
        f"before, {rounds} runs per mode"
    )
    print(f"{'bytecode':<34} {'median ms':>10} {'p95 ms':>7}  {'python -c pass':>14}")
    rows = []
    for cached in (True, False):
        quiz, bare, dont_write = process_timings(rounds, cached)
        mode = "cached" if cached else "as the environment runs it"
        if dont_write:
            mode += " (PYTHONDONTWRITEBYTECODE=1)"
        row = {
            "workload": "process",
            "bytecode": mode,
            "median_ms": round(statistics.median(quiz), 1),
            "p95_ms": round(percentile(quiz, 0.95), 1),
            "python_start_median_ms": round(statistics.median(bare), 1),
            "load_after": round(os.getloadavg()[0], 2),
        }
        rows.append(row)
        print(
            f"{mode:<34} {row['median_ms']:>10.1f} {row['p95_ms']:>7.1f}  "
            f"{row['python_start_median_ms']:>11.1f} ms"
        )
    print(f"load {os.getloadavg()[0]:.2f} after")
    return rows


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--process-rounds", type=int, default=15)
    parser.add_argument(
        "--process-only", action="store_true", help="only `mindgap quiz` as a process"
    )
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if not sandbox_available():
        print(f"no operating-system sandbox: {unavailable_reason()}")
        return 0
    if args.process_only:
        rows = measure_processes(args.process_rounds)
        if args.json:
            args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
        slow = [r["bytecode"] for r in rows if r["median_ms"] > PROCESS_BUDGET_MS]
        print("\nwithin budget" if not slow else f"\nOVER BUDGET (median): {', '.join(slow)}")
        return 1 if slow else 0

    helpers_source = BEFORE + HELPERS + AFTER
    first = BEFORE.count("\n") + 1
    helpers_region = (first, first + HELPERS.count("\n") - 1)
    stdlib_source, stdlib_regions, described = stdlib_windows()
    workloads = [
        ("helpers", helpers_source, [helpers_region], f"{REGION_LINES}-line region, 7 functions"),
        ("stdlib", stdlib_source, stdlib_regions, f"{len(stdlib_regions)} windows of {described}"),
    ]
    kinds: list[tuple[str, Callable[[str, int, int], tuple[int, int]]]] = [("exec", exec_only)]
    quiz = whole_quiz()
    if quiz is not None:
        kinds.append(("whole quiz", quiz))

    print(
        f"quiz generation with sandboxed runs, {REGION_LINES}-line regions, "
        f"budget <= {BUDGET_MS:.0f} ms (p95)"
    )
    print(
        f"python {platform.python_version()} on {platform.machine()}, {args.rounds} rounds "
        f"(stdlib: {max(1, args.rounds // 10)})\n"
    )
    header = f"{'workload':<9} {'question types':<15} {'questions':>9} {'calls':>6} "
    header += f"{'median ms':>10} {'p95 ms':>7} {'max ms':>7}  regions"
    print(header)
    results: list[dict[str, Any]] = []
    for name, source, regions, about in workloads:
        if not regions:
            continue
        rounds = args.rounds if name == "helpers" else max(1, args.rounds // 10)
        for kind, work in kinds:
            timings, questions, calls = measure(work, source, regions, rounds)
            row = {
                "workload": name,
                "question_types": kind,
                "questions_last_region": questions,
                "calls_per_batch_last_region": calls,
                "median_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
                "max_ms": round(max(timings), 1),
                "regions": about,
            }
            results.append(row)
            shown_calls = str(calls) if kind == "exec" else "-"
            print(
                f"{name:<9} {kind:<15} {questions:>9} {shown_calls:>6} {row['median_ms']:>10.1f} "
                f"{row['p95_ms']:>7.1f} {row['max_ms']:>7.1f}  {about}"
            )
    over = [f"{r['workload']}/{r['question_types']}" for r in results if r["p95_ms"] > BUDGET_MS]
    processes = measure_processes(args.process_rounds)
    results += processes
    over += [f"process ({r['bytecode']})" for r in processes if r["median_ms"] > PROCESS_BUDGET_MS]
    print(
        "\nwithin budget"
        if not over
        else f"\nOVER BUDGET (p95; process: median): {', '.join(over)}"
    )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
