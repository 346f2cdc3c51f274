"""The Python convention observers (every dimension but naming) over real installed packages.

Budget (issue 3): mining a 50,000-line repository takes <= 10 s with every dimension of every
language, parsing included; so these observers together should cost a few ms per 1,000
lines. The observers share one tree-sitter query run once per tree (their patterns under
one roof cost a quarter of running them one by one); that run is shown on its own row, and
each dimension's row is what it costs on top.

    python bench/bench_python_observers.py                     # rich and pydantic
    python bench/bench_python_observers.py --package httpx --rounds 1
"""

from __future__ import annotations

import argparse
import importlib.util
import platform
import sys
import time
from collections import Counter
from pathlib import Path

from mindgap.conventions.dimensions import observers_for, python_common
from mindgap.conventions.model import SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex

SHARED = "shared query"


def package_files(name: str) -> list[Path]:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"no installed package named {name}")
    root = Path(next(iter(spec.submodule_search_locations)))
    return sorted(root.rglob("*.py"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--package", action="append", help="installed package (repeatable)")
    parser.add_argument("--rounds", type=int, default=3, help="runs; the fastest is shown")
    args = parser.parse_args()
    packages = args.package or ["rich", "pydantic"]

    observers = [o for o in observers_for("python") if o.dimension != "naming"]
    python = language_named("python")
    parse_seconds = 0.0
    sources: list[SourceFile] = []
    lines = 0
    for package in packages:
        for path in package_files(package):
            text = path.read_text(encoding="utf-8", errors="replace")
            started = time.perf_counter()
            tree = python.parser().parse(text.encode("utf-8", "surrogatepass"))
            parse_seconds += time.perf_counter() - started
            relative = f"{package}/{path.name}"
            sources.append(
                SourceFile(relative, "python", LineIndex(text), tree, "test" in path.name)
            )
            lines += text.count("\n") + 1

    for observer in observers:  # registers every query, so the shared one is complete
        list(observer.observe(sources[0]))

    best: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for round_number in range(args.rounds):
        seconds: Counter[str] = Counter()
        for source in sources:
            # a fresh tree object per round, so the shared query is not served from cache
            source = SourceFile(
                source.path, "python", source.index, source.tree.copy(), source.is_test
            )
            started = time.perf_counter()
            python_common.imports_of(source)  # runs the shared query for this tree
            seconds[SHARED] += time.perf_counter() - started
            for observer in observers:
                started = time.perf_counter()
                found = sum(1 for _ in observer.observe(source))
                seconds[observer.dimension] += time.perf_counter() - started
                if round_number == 0:
                    counts[observer.dimension] += found
        for name, value in seconds.items():
            best[name] = min(best.get(name, value), value)

    kloc = lines / 1000
    print(f"Python observers on {', '.join(packages)}: {len(sources)} files, {lines:,} lines")
    print(
        f"({platform.python_version()}, best of {args.rounds}; parsing alone: "
        f"{parse_seconds * 1000 / kloc:.2f} ms per 1,000 lines)"
    )
    print()
    header = ("dimension", "observations", "observations/s", "ms / 1,000 lines")
    print(f"| {header[0]:<16} | {header[1]:>12} | {header[2]:>14} | {header[3]:>16} |")
    print(f"|{'-' * 18}|{'-' * 13}:|{'-' * 15}:|{'-' * 17}:|")
    total_seconds = 0.0
    for name in [SHARED, *sorted(o.dimension for o in observers)]:
        value = best[name]
        total_seconds += value
        rate = f"{counts[name] / value:,.0f}" if name != SHARED and value else ""
        shown = str(counts[name]) if name != SHARED else ""
        print(f"| {name:<16} | {shown:>12} | {rate:>14} | {value * 1000 / kloc:>16.2f} |")
    total = sum(counts.values())
    print(
        f"| {'all together':<16} | {total:>12} | {total / total_seconds:>14,.0f} | "
        f"{total_seconds * 1000 / kloc:>16.2f} |"
    )
    print()
    print(
        f"At this rate a 50,000-line repository costs {total_seconds / kloc * 50:.2f} s in "
        "these observers."
    )


if __name__ == "__main__":
    main()
