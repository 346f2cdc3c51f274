"""Construct extraction for a 50-line region: catalogue patterns plus (Python) library APIs.

Budget: <= 10 ms for a 50-line region of a realistic 2,000-line file.

Python is measured on real code: the first 2,000 lines of a standard library module (cut at a
top-level statement), so the regions hold the classes, decorators, comprehensions and imports
that real files do. Every other language whose `queries/<language>/constructs.scm` exists is
measured on a small generated snippet repeated to 2,000 lines. Each 50-line window of the file
(one every 50 lines) is extracted `--rounds` times on an already parsed tree, as the server
does after a foreign insertion; loading the catalogue (compiling its query) happens once per
process and is reported separately.

    python bench/bench_constructs.py              # full run
    python bench/bench_constructs.py --rounds 5   # quicker
"""

from __future__ import annotations

import argparse
import importlib
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mindgap.knowledge.apis import find_api_uses
from mindgap.knowledge.catalogue import CatalogueError, catalogue, has_catalogue
from mindgap.syntax.languages import LANGUAGES, language_named

BUDGET_MS = 10.0
FILE_LINES = 2000
REGION_LINES = 50
PYTHON_SOURCES = ("enum", "argparse", "subprocess", "tarfile")  # the first that exists is used

SNIPPETS = {  # __N__ is replaced by a number, so that the copies differ
    "javascript": """\
import { readFile } from "node:fs/promises";
export class Cache__N__ extends Map {
  #hits = 0;
  static create(opts = {}) { return new Cache__N__(opts); }
  get(key) { this.#hits++; return super.get(key) ?? null; }
}
export async function load__N__(path, { retries = 3, ...rest } = {}) {
  for (let i = 0; i < retries; i++) {
    try {
      const text = await readFile(path, "utf8");
      return JSON.parse(text)?.items?.map((x) => ({ ...x, id: `${x.id}-$__N__` }));
    } catch (err) {
      if (i === retries - 1) throw new Error("failed", { cause: err });
    }
  }
}
const [first__N__, ...others__N__] = [1, 2, 3].filter(Boolean);
function* ids__N__() { let i = 0; while (true) yield i++; }
label__N__: for (const k in obj) { if (!k) continue label__N__; }
""",
    "typescript": """\
import type { Readable } from "node:stream";
export interface Shape__N__<T extends object = {}> { readonly id: string; data?: T }
type Keys__N__<T> = { [K in keyof T]: T[K] extends Function ? never : K }[keyof T];
export enum Color__N__ { Red = "red", Green = "green" }
export abstract class Store__N__<T> implements Iterable<T> {
  private items: T[] = [];
  constructor(protected readonly name: string) {}
  abstract validate(item: T): item is T;
  *[Symbol.iterator](): Iterator<T> { yield* this.items; }
  async save(stream: Readable): Promise<void> {
    for await (const chunk of stream) { this.items.push(chunk as unknown as T); }
  }
}
export function assertNever__N__(x: never): never { throw new Error(String(x)); }
const config__N__ = { retries: 3 } as const satisfies Record<string, number>;
declare module "x__N__" { export const y: number; }
function overload__N__(a: string): string;
function overload__N__(a: number): number;
function overload__N__(a: any) { return a!; }
""",
    "go": """\
type Store__N__[T any] struct {
\tmu    sync.Mutex
\titems map[string]T
}

func (s *Store__N__[T]) Get(key string) (T, bool) {
\ts.mu.Lock()
\tdefer s.mu.Unlock()
\tv, ok := s.items[key]
\treturn v, ok
}

func worker__N__(ctx context.Context, jobs <-chan int, out chan<- int) error {
\tfor {
\t\tselect {
\t\tcase <-ctx.Done():
\t\t\treturn fmt.Errorf("stopped: %w", ctx.Err())
\t\tcase j := <-jobs:
\t\t\tgo func() { out <- j * 2 }()
\t\t}
\t}
}
""",
    "rust": """\
#[derive(Debug, Clone, PartialEq)]
pub enum Shape__N__ { Circle { r: f64 }, Square(f64) }
impl Shape__N__ {
    pub fn area(&self) -> f64 {
        match self {
            Shape__N__::Circle { r } if *r > 0.0 => std::f64::consts::PI * r * r,
            Shape__N__::Square(s) => s * s,
            _ => 0.0,
        }
    }
}
pub fn longest__N__<'a>(a: &'a str, b: &'a str) -> &'a str { if a.len() > b.len() { a } else { b } }
pub trait Render__N__ { fn render(&self) -> String; }
impl<T: std::fmt::Display> Render__N__ for Vec<T> {
    fn render(&self) -> String { self.iter().map(|x| x.to_string()).collect::<Vec<_>>().join(",") }
}
pub async fn fetch__N__(url: &str) -> Result<String, Box<dyn std::error::Error>> {
    let body = reqwest::get(url).await?.text().await?;
    Ok(body)
}
macro_rules! square__N__ { ($x:expr) => { $x * $x }; }
""",
    "java": """\
class Repository__N__<T extends Comparable<T>> implements AutoCloseable {
    private final List<T> items = new ArrayList<>();
    @Override
    public void close() throws Exception { items.clear(); }
    public Optional<T> max() {
        return items.stream().filter(Objects::nonNull).max(Comparator.naturalOrder());
    }
    public void load(Path path) throws IOException {
        try (var reader = Files.newBufferedReader(path)) {
            reader.lines().map(String::trim).forEach(line -> System.out.println(line));
        } catch (UncheckedIOException e) {
            throw new IOException(e);
        }
    }
    sealed interface Shape permits Circle, Square {}
    record Circle(double r) implements Shape {}
    record Square(double s) implements Shape {}
    static double area(Shape s) {
        return switch (s) {
            case Circle c -> Math.PI * c.r() * c.r();
            case Square q -> q.s() * q.s();
        };
    }
}
""",
}
SNIPPETS["tsx"] = (
    SNIPPETS["typescript"]
    + "export const View__N__ = ({ items }: { items: string[] }) => "
    + "<ul>{items.map((i) => <li key={i}>{i}</li>)}</ul>;\n"
)


def python_file() -> tuple[str, str]:
    """About FILE_LINES lines of real Python, cut before a top-level statement."""
    for name in PYTHON_SOURCES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if module.__file__ is None:
            continue
        lines = Path(module.__file__).read_text(encoding="utf-8").splitlines(keepends=True)
        cut = min(len(lines), FILE_LINES)
        while cut < len(lines) and cut > 0 and not _starts_statement(lines[cut]):
            cut -= 1
        return f"{name}.py, {cut} lines", "".join(lines[:cut])
    raise SystemExit("no standard library module to measure on")


def _starts_statement(line: str) -> bool:
    return bool(line.strip()) and not line[0].isspace() and not line.startswith(("#", ")"))


def generated_file(language: str) -> tuple[str, str]:
    snippet = SNIPPETS[language]
    parts, count, n = [], 0, 0
    while count < FILE_LINES:
        part = snippet.replace("__N__", str(n))
        parts.append(part)
        count += part.count("\n")
        n += 1
    if language == "go":
        parts.insert(0, "package bench\n\n")
    return f"generated, {count} lines", "".join(parts)


def windows(source: bytes) -> list[tuple[int, int]]:
    """Byte ranges of 50-line regions, one starting every 50 lines."""
    starts = [0]
    for index, byte in enumerate(source):
        if byte == 0x0A:
            starts.append(index + 1)
    return [
        (starts[line], starts[min(line + REGION_LINES, len(starts) - 1)])
        for line in range(0, len(starts) - REGION_LINES, REGION_LINES)
    ]


def measure(extract: Callable[[int, int], int], ranges, rounds: int) -> tuple[list[float], int]:
    for start, end in ranges:  # warm caches (query compilation, first allocations)
        extract(start, end)
    timings, hits = [], 0
    for _ in range(rounds):
        for start, end in ranges:
            began = time.perf_counter()
            hits += extract(start, end)
            timings.append((time.perf_counter() - began) * 1000)
    return timings, hits // max(rounds * len(ranges), 1)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=25)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()

    results: list[dict[str, Any]] = []
    print(f"construct extraction, {REGION_LINES}-line regions, budget <= {BUDGET_MS:.0f} ms")
    print(f"python {platform.python_version()} on {platform.machine()}, {args.rounds} rounds\n")
    header = f"{'language':<11} {'constructs':>10} {'load ms':>8} {'hits':>5} "
    header += f"{'median ms':>10} {'p95 ms':>7} {'max ms':>7}  file"
    print(header)
    for spec in LANGUAGES:
        language = spec.name
        if not has_catalogue(language) or (language != "python" and language not in SNIPPETS):
            continue
        began = time.perf_counter()
        try:
            loaded = catalogue(language)
        except CatalogueError as error:
            print(f"{language:<11} catalogue does not load: {error}")
            continue
        load_ms = (time.perf_counter() - began) * 1000
        described, text = python_file() if language == "python" else generated_file(language)
        source = text.encode("utf-8")
        root = language_named(language).parser().parse(source).root_node

        def extract(start: int, end: int, language=language, loaded=loaded, root=root) -> int:
            found = len(loaded.find(root, start, end))
            if language == "python":
                found += len(find_api_uses(root, start, end))
            return found

        timings, hits = measure(extract, windows(source), args.rounds)
        row: dict[str, Any] = {
            "language": language,
            "constructs": len(loaded.constructs),
            "catalogue_load_ms": round(load_ms, 1),
            "hits_per_region": hits,
            "median_ms": round(statistics.median(timings), 3),
            "p95_ms": round(percentile(timings, 0.95), 3),
            "max_ms": round(max(timings), 3),
            "file": described,
        }
        results.append(row)
        print(
            f"{language:<11} {row['constructs']:>10} {load_ms:>8.1f} {hits:>5} "
            f"{row['median_ms']:>10.3f} {row['p95_ms']:>7.3f} {row['max_ms']:>7.3f}  {described}"
        )
    over = [row["language"] for row in results if row["p95_ms"] > BUDGET_MS]
    print("\nwithin budget" if not over else f"\nOVER BUDGET (p95): {', '.join(over)}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
