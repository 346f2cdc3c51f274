"""Convention observers for JavaScript, TypeScript, Go, Rust and Java on real code.

Budget (issue 3): a few ms per 1,000 lines for all observers of a language, so that mining a
repository is dominated by parsing, and a 50-line foreign region is analysed in well under
the 20 ms the server has for it.

Real code is taken from what this machine has: JavaScript and TypeScript from node_modules
(the VS Code client's and the browser tests'; .d.ts files, minified and huge files are
skipped), Java from the JDK's src.zip, Go and Rust from whatever toolchains or docs ship
sources. Files are read in a fixed order up to --max-lines per language; each file is parsed
once (parse time is shown for scale) and every observer of the language runs over it
--rounds times.

    python bench/bench_other_observers.py
    python bench/bench_other_observers.py --max-lines 20000 --rounds 1   # quicker
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

from mindgap.conventions.dimensions import observers_for
from mindgap.conventions.model import SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.positions import LineIndex

PROJECT = Path(__file__).resolve().parents[1]
HOME = Path.home()
NODE_MODULES = (
    PROJECT / "vscode-client" / "node_modules",
    PROJECT / "tests" / "e2e" / "browser" / "node_modules",
    Path("/usr/lib/node_modules"),
)
GO_ROOTS = (Path("/usr/local/go/src"), Path("/usr/lib/go/src"), Path("/usr/share/doc"))
RUST_ROOTS = (HOME / ".cargo" / "registry" / "src", HOME / ".rustup" / "toolchains")
JDK_SOURCES = sorted(Path("/usr/lib/jvm").glob("*/lib/src.zip")) + sorted(
    Path("/usr/lib/jvm").glob("*/src.zip")
)
MAX_FILE_BYTES = 512 * 1024
MAX_AVERAGE_LINE = 200  # longer lines on average: minified or generated


def _readable(text: str) -> bool:
    lines = text.count("\n") + 1
    return len(text) / lines <= MAX_AVERAGE_LINE


def _files_under(roots: tuple[Path, ...], suffixes: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    for root in roots:
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            name = path.name
            if not name.endswith(suffixes) or name.endswith(".d.ts") or not path.is_file():
                continue
            if path.stat().st_size > MAX_FILE_BYTES:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except (UnicodeDecodeError, OSError):
                continue
            if _readable(text):
                yield str(path), text


def _java_files() -> Iterator[tuple[str, str]]:
    for archive in JDK_SOURCES[:1]:
        with zipfile.ZipFile(archive) as sources:
            for name in sorted(sources.namelist()):
                if name.endswith(".java") and "/java/util/" in name:
                    yield f"{archive}!{name}", sources.read(name).decode("utf-8", "replace")


def real_files(language: str) -> Iterator[tuple[str, str]]:
    if language == "javascript":
        return _files_under(NODE_MODULES, (".js",))
    if language == "typescript":
        return _files_under(NODE_MODULES, (".ts",))
    if language == "go":
        return _files_under(GO_ROOTS, (".go",))
    if language == "rust":
        return _files_under(RUST_ROOTS, (".rs",))
    if language == "java":
        return _java_files()
    return iter(())


def measure(language: str, max_lines: int, rounds: int) -> dict[str, float] | None:
    spec = language_named(language)
    parser = spec.parser()
    observers = observers_for(language)
    # compiling the language's query happens once per process: not part of a file's cost
    empty = SourceFile("", language, LineIndex(""), parser.parse(b""), is_test=False)
    for observer in observers:
        list(observer.observe(empty))
    lines = files = observations = 0
    parse_seconds = observe_seconds = 0.0
    per_file_ms: list[float] = []
    for path, text in real_files(language):
        if lines >= max_lines:
            break
        started = time.perf_counter()
        tree = parser.parse(text.encode("utf-8", "surrogatepass"))
        parse_seconds += time.perf_counter() - started
        index = LineIndex(text)
        file_lines = text.count("\n") + 1
        best = float("inf")
        for _ in range(rounds):
            # a new SourceFile each round: observers share one query run per file, not more
            source = SourceFile(path, language, index, tree, is_test=False)
            started = time.perf_counter()
            found = sum(1 for observer in observers for _ in observer.observe(source))
            best = min(best, time.perf_counter() - started)
        observe_seconds += best
        per_file_ms.append(best * 1000 / file_lines * 1000)
        observations += found
        lines += file_lines
        files += 1
    if not files:
        return None
    return {
        "files": files,
        "lines": lines,
        "observers": len(observers),
        "observations": observations,
        "parse_ms_per_kloc": parse_seconds * 1000 / lines * 1000,
        "observe_ms_per_kloc": observe_seconds * 1000 / lines * 1000,
        "median_file_ms_per_kloc": statistics.median(per_file_ms),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-lines", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3, help="best of N runs per file")
    args = parser.parse_args()
    print(f"# {platform.python_implementation()} {platform.python_version()}, {platform.machine()}")
    print(f"# up to {args.max_lines} lines per language, best of {args.rounds} runs per file\n")
    header = (
        f"{'language':<11} {'files':>6} {'lines':>8} {'observers':>9} {'sites':>8} "
        f"{'parse ms/kloc':>14} {'observe ms/kloc':>16} {'median file':>12}"
    )
    print(header)
    print("-" * len(header))
    for language in ("javascript", "typescript", "tsx", "go", "rust", "java"):
        result = measure(language, args.max_lines, args.rounds)
        if result is None:
            print(f"{language:<11} no real {language} sources on this machine")
            continue
        print(
            f"{language:<11} {result['files']:>6} {result['lines']:>8} "
            f"{result['observers']:>9} {result['observations']:>8} "
            f"{result['parse_ms_per_kloc']:>14.2f} {result['observe_ms_per_kloc']:>16.2f} "
            f"{result['median_file_ms_per_kloc']:>12.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
