"""Dependency and reinvention indexes: building over a 50,000-line Python corpus, checking a
50-line foreign region, and the share of false alarms between unrelated real packages.

Budgets: building both indexes over 50,000 lines <= 2 s (parsing is the learn step's, and
reported apart); a lookup for a 50-line region: a few ms.

The corpus is real code: whole packages copied from this Python's site-packages (rich, click,
jinja2, pygments, ... until 50,000 lines), turned into a git repository with a pyproject.toml.
Every 50-line window of the corpus's larger files (one every 50 lines, up to `--regions`) is
checked as if it were foreign, with both indexes built over the whole corpus (so the window's
own functions are in the index, as in the server, and must not match themselves).

False alarms: every function of one package is checked against an index of every function of
another; the flagged share is printed per pair (different authors, so every flag is false).

    python bench/bench_deps_clones.py
    python bench/bench_deps_clones.py --lines 20000 --regions 100   # quicker
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import statistics
import subprocess
import sysconfig
import tempfile
import time
from pathlib import Path

from mindgap.conventions.dependencies import DependencyIndex, dependency_spots
from mindgap.conventions.fingerprints import function_prints
from mindgap.conventions.model import SourceFile
from mindgap.conventions.reinvention import FunctionIndex, reinvention_spots
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex

CORPUS_PACKAGES = ("click", "jinja2", "_pytest", "pydantic", "rich", "pygments", "hypothesis")
FALSE_ALARM_PAIRS = (
    ("rich", "pygments"),
    ("pydantic", "jinja2"),
    ("click", "flask"),
    ("_pytest", "hypothesis"),
    ("jedi", "IPython"),
)
REGION_LINES = 50
SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"])


def parse(path: str, text: str) -> SourceFile:
    tree = language_named("python").parser().parse(text.encode("utf-8", "surrogatepass"))
    return SourceFile(path, "python", LineIndex(text), tree, False)


def package_files(name: str) -> list[tuple[str, str]]:
    folder = SITE_PACKAGES / name
    found = []
    for path in sorted(folder.rglob("*.py")):
        try:
            found.append((path.relative_to(SITE_PACKAGES).as_posix(), path.read_text("utf-8")))
        except (OSError, UnicodeDecodeError):
            continue
    return found


def build_corpus(root: Path, lines_wanted: int) -> list[tuple[str, str]]:
    files: list[tuple[str, str]] = []
    lines = 0
    for package in CORPUS_PACKAGES:
        for path, text in package_files(package):
            if lines >= lines_wanted:
                break
            files.append((path, text))
            lines += text.count("\n") + 1
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    (root / "pyproject.toml").write_text(
        '[project]\nname = "corpus"\ndependencies = ["markupsafe", "typing-extensions"]\n'
    )
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    return files


def timed(action, rounds: int = 1) -> tuple[float, object]:
    best = float("inf")
    result = None
    for _ in range(rounds):
        started = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - started)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=50_000)
    parser.add_argument("--regions", type=int, default=300)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    options = parser.parse_args()

    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        files = build_corpus(root, options.lines)
        total_lines = sum(text.count("\n") + 1 for _, text in files)
        parse_seconds, parsed = timed(lambda: [parse(path, text) for path, text in files])
        sources: list[SourceFile] = parsed  # type: ignore[assignment]
        functions_seconds, function_index = timed(
            lambda: FunctionIndex.build(root, sources), rounds=3
        )
        dependencies_seconds, dependency_index = timed(
            lambda: DependencyIndex.build(root, sources), rounds=3
        )
        assert isinstance(function_index, FunctionIndex)
        assert isinstance(dependency_index, DependencyIndex)
        function_json = json.dumps(function_index.to_json())
        load_seconds, _ = timed(lambda: FunctionIndex.from_json(json.loads(function_json)), 3)
        biggest = max(sources, key=lambda source: len(source.text))
        update_seconds, _ = timed(
            lambda: (
                function_index.update_file(biggest, biggest.path),
                dependency_index.update_file(biggest, biggest.path),
            ),
            rounds=3,
        )

        lookups: list[float] = []
        import_lookups: list[float] = []
        flagged_regions = 0
        for source in sorted(sources, key=lambda s: -len(s.text)):
            starts = source.index.starts
            for first in range(0, len(starts) - REGION_LINES, REGION_LINES):
                if len(lookups) >= options.regions:
                    break
                start, end = starts[first], starts[first + REGION_LINES]
                began = time.perf_counter()
                spots = reinvention_spots(source, start, end, function_index)
                lookups.append(time.perf_counter() - began)
                flagged_regions += bool(spots)
                began = time.perf_counter()
                dependency_spots(source, start, end, dependency_index)
                import_lookups.append(time.perf_counter() - began)

        rows += [
            ("corpus", f"{len(files)} files, {total_lines:,} lines ({', '.join(CORPUS_PACKAGES)})"),
            ("parse (the learn step's, for reference)", f"{parse_seconds * 1000:.0f} ms"),
            (
                "FunctionIndex.build",
                f"{functions_seconds * 1000:.0f} ms ({len(function_index)} functions)",
            ),
            ("DependencyIndex.build", f"{dependencies_seconds * 1000:.0f} ms"),
            (
                "FunctionIndex.from_json",
                f"{load_seconds * 1000:.0f} ms ({len(function_json) / 1e6:.1f} MB of JSON)",
            ),
            (
                f"update_file, largest file ({biggest.index.line_count} lines), both",
                f"{update_seconds * 1000:.1f} ms",
            ),
            (
                f"reinvention_spots, {REGION_LINES}-line region (median / p95 of {len(lookups)})",
                f"{statistics.median(lookups) * 1000:.2f} / "
                f"{sorted(lookups)[int(len(lookups) * 0.95)] * 1000:.2f} ms",
            ),
            (
                f"dependency_spots, {REGION_LINES}-line region (median / p95)",
                f"{statistics.median(import_lookups) * 1000:.2f} / "
                f"{sorted(import_lookups)[int(len(import_lookups) * 0.95)] * 1000:.2f} ms",
            ),
            (
                "regions with a near-duplicate in the corpus",
                f"{flagged_regions} of {len(lookups)}",
            ),
        ]

    total_checked = total_flagged = 0
    for indexed, checked in FALSE_ALARM_PAIRS:
        if not (SITE_PACKAGES / indexed).is_dir() or not (SITE_PACKAGES / checked).is_dir():
            continue
        index = FunctionIndex.build(SITE_PACKAGES, [parse(p, t) for p, t in package_files(indexed)])
        count = flagged = 0
        for path, text in package_files(checked):
            source = parse(path, text)
            for function in function_prints(source):
                count += 1
                flagged += bool(reinvention_spots(source, function.start, function.end, index))
        total_checked += count
        total_flagged += flagged
        rows.append((f"false alarms: {checked} against {indexed}", f"{flagged} of {count}"))
    if total_checked:
        share = total_flagged / total_checked
        rows.append(
            ("false alarms, all pairs", f"{total_flagged} of {total_checked} ({share:.2%})")
        )

    width = max(len(label) for label, _ in rows)
    print(f"mindgap dependency and reinvention indexes - {platform.python_version()}")
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    if options.json:
        options.json.write_text(json.dumps(dict(rows), indent=2))
    shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
