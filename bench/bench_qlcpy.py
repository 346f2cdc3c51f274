"""mindgap's quiz against qlcpy (Lehtinen et al.'s questions about learners' code), one run.

The same functions for both: every function of 5 or more lines in the installed `rich`
package (its source in site-packages). For each function:

- mindgap: `build_quiz` on the whole file (parsed once), the function's range as the foreign
  region, as the server does it: static question types and, where the sandbox's static check
  lets the code run, the execution types (sandboxed child processes included in the time).
  A function "gets a quiz" with >= 3 questions (MIN_QUESTIONS).
- qlcpy: `qlcpy.generate(source, [QLCRequest(10)])` on the function's own source, dedented
  (qlcpy parses a whole program with `ast`), with no call: qlcpy then asks its static
  question types (it needs a call of the function for its dynamic ones, and it executes the
  program in its own process, so it runs here in a separate child process, `python -I`).
  Reported with >= 1 and >= 3 questions.

Failures are exceptions raised by the generator (mindgap's `build_quiz` swallows and logs a
broken question type; those are counted through its log). Times are wall clock per function.

    pip install -e '.[bench]'    # or: pip install qlcpy
    python bench/bench_qlcpy.py
    python bench/bench_qlcpy.py --every 4   # a quicker sample: every 4th function
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import json
import logging
import platform
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from mindgap.gate.quiz import MIN_QUESTIONS, build_quiz
from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.languages import language_named

PACKAGE = "rich"
MIN_LINES = 5
QLCPY_MAX = 10  # questions asked of qlcpy per function
RESULTS = Path(__file__).resolve().parent / "results" / "qlcpy.json"

# Runs in a child process: reads [source, ...] as JSON, prints one JSON record per source.
QLCPY_WORKER = r"""
import json, random, sys, time
from qlcpy import generate
from qlcpy.models import QLCRequest

sources = json.load(sys.stdin)
for source in sources:
    random.seed(0)  # qlcpy picks questions with `random`
    began = time.perf_counter()
    try:
        found = generate(source, [QLCRequest(MAX_QUESTIONS)])
        record = {"questions": len(found), "types": sorted({q.type for q in found})}
    except BaseException as error:  # a failure of the generator, whatever it is
        record = {"questions": 0, "error": f"{type(error).__name__}: {error}"[:200]}
    record["ms"] = (time.perf_counter() - began) * 1000
    sys.__stdout__.write(json.dumps(record) + "\n")
    sys.__stdout__.flush()
""".replace("MAX_QUESTIONS", str(QLCPY_MAX))


class _Failures(logging.Handler):
    """Counts the question generators that failed inside `build_quiz`."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def functions(every: int) -> list[tuple[SyntaxDocument, int, int, str]]:
    """(document, start, end, dedented source) of each function of MIN_LINES+ lines."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"{PACKAGE} is not installed")
    python = language_named("python")
    found = []
    for path in sorted(Path(spec.submodule_search_locations[0]).rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        document = SyntaxDocument(path.as_uri(), text, python)
        tree = document.tree
        assert tree is not None
        stack = [tree.root_node]
        while stack:
            node = stack.pop()
            stack.extend(reversed(node.named_children))
            if node.type != "function_definition":
                continue
            if node.end_point.row - node.start_point.row + 1 < MIN_LINES:
                continue
            parent = node.parent
            outer = parent if parent is not None and parent.type == "decorated_definition" else node
            start = document.index.offset_of_point(*outer.start_point)
            end = document.index.offset_of_point(*outer.end_point)
            line_start = text.rfind("\n", 0, start) + 1
            source = textwrap.dedent(text[line_start:end]) + "\n"
            found.append((document, start, end, source))
    return found[::every]


def run_mindgap(regions: list[tuple[SyntaxDocument, int, int, str]]) -> list[dict]:
    failures = _Failures()
    logging.getLogger("mindgap.gate.quiz").addHandler(failures)
    records = []
    for document, start, end, _ in regions:
        before = failures.count
        began = time.perf_counter()
        try:
            quiz = build_quiz(document, start, end)
            record: dict = {"questions": len(quiz.questions)}
        except Exception as error:
            record = {"questions": 0, "error": f"{type(error).__name__}: {error}"[:200]}
        record["ms"] = (time.perf_counter() - began) * 1000
        if failures.count > before:
            record["generator_failures"] = failures.count - before
        records.append(record)
    return records


def run_qlcpy(
    regions: list[tuple[SyntaxDocument, int, int, str]], postpone_annotations: bool
) -> list[dict] | str:
    """qlcpy's records, or why it could not run. qlcpy executes the function's definition,
    so annotations naming what the module imports raise NameError: `postpone_annotations`
    puts `from __future__ import annotations` first (the body is unchanged)."""
    if importlib.util.find_spec("qlcpy") is None:
        return "qlcpy is not installed (pip install qlcpy, or the `bench` extra)"
    future = "from __future__ import annotations\n" if postpone_annotations else ""
    sources = [future + source for *_, source in regions]
    finished = subprocess.run(
        [sys.executable, "-I", "-c", QLCPY_WORKER],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        timeout=1800,
    )
    lines = [line for line in finished.stdout.splitlines() if line.startswith("{")]
    records = []
    for line in lines:
        try:
            records.append(json.loads(line))
        except ValueError:
            continue
    if len(records) != len(sources):
        return f"qlcpy's worker stopped after {len(records)} functions: {finished.stderr[-500:]}"
    return records


def summary(records: list[dict], thresholds: tuple[int, ...]) -> dict:
    count = len(records)
    times = sorted(r["ms"] for r in records)
    result: dict = {
        "functions": count,
        "failures": sum(1 for r in records if "error" in r),
        "median_ms": round(statistics.median(times), 2),
        "p95_ms": round(times[int(0.95 * (count - 1))], 2),
        "total_s": round(sum(times) / 1000, 1),
        "median_questions": statistics.median(r["questions"] for r in records),
    }
    for threshold in thresholds:
        got = sum(1 for r in records if r["questions"] >= threshold)
        result[f"share_ge_{threshold}"] = round(got / count, 3)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--every", type=int, default=1, help="take every Nth function")
    args = parser.parse_args()
    regions = functions(max(1, args.every))
    version = importlib.metadata.version(PACKAGE)
    print(f"{len(regions)} functions of {MIN_LINES}+ lines in {PACKAGE} {version}")

    mindgap_records = run_mindgap(regions)
    mindgap = summary(mindgap_records, (1, MIN_QUESTIONS))
    # question types that raised inside build_quiz, which survives them (and logs them)
    generator_failures = sum(r.get("generator_failures", 0) for r in mindgap_records)
    print(f"mindgap question types that raised (survived by the quiz): {generator_failures}")
    rows = [("mindgap quiz", mindgap)]
    qlcpy_version: str | None = None
    problem = None
    for postponed in (False, True):
        qlcpy = run_qlcpy(regions, postponed)
        if isinstance(qlcpy, str):
            problem = qlcpy
            print(f"qlcpy: not measured: {qlcpy}")
            break
        qlcpy_version = importlib.metadata.version("qlcpy")
        label = "annotations postponed" if postponed else "as is"
        rows.append((f"qlcpy {qlcpy_version} ({label})", summary(qlcpy, (1, 3))))
        kinds: dict[str, int] = {}
        for error in (r["error"] for r in qlcpy if "error" in r):
            kinds[error.split(":")[0]] = kinds.get(error.split(":")[0], 0) + 1
        if kinds:
            shown = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items(), key=lambda kv: -kv[1]))
            print(f"qlcpy ({label}) failures by exception: {shown}")

    print(
        f"\n{'generator':<40} {'>=1 q':>7} {'>=3 q':>7} {'median q':>9} {'failures':>9}"
        f" {'median':>9} {'p95':>9} {'total':>8}"
    )
    for name, result in rows:
        print(
            f"{name:<40} {result['share_ge_1']:>7.1%} {result['share_ge_3']:>7.1%}"
            f" {result['median_questions']:>9} {result['failures']:>9}"
            f" {result['median_ms']:>6} ms {result['p95_ms']:>6} ms {result['total_s']:>6} s"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "machine": {
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "processor": platform.processor() or platform.machine(),
                },
                "package": f"{PACKAGE} {version}",
                "every": args.every,
                "qlcpy": qlcpy_version,
                "qlcpy_problem": problem,
                "results": {name: result for name, result in rows},
                "mindgap_generator_failures": generator_failures,
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
