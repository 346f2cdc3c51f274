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

    python bench/bench_quiz_exec.py              # 30 rounds
    python bench/bench_quiz_exec.py --rounds 10
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import random
import statistics
import sys
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


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    if not sandbox_available():
        print(f"no operating-system sandbox: {unavailable_reason()}")
        return 0

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
    print("\nwithin budget" if not over else f"\nOVER BUDGET (p95): {', '.join(over)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
