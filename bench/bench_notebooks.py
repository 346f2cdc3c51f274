"""Notebook budgets.

1. A cell edit -> that cell's publishDiagnostics, in a 200-cell notebook open through LSP
   notebook sync (the real `mindgap serve` over stdio; 300 one-character edits 20 ms apart in
   cells chosen at random, a tenth of the cells holding a foreign region): p95 <= 5 ms.
2. `learn` over a repository of 500 notebooks <= 2x the same code as 500 .py files (cold,
   no cache; the median of three runs each).

    python bench/bench_notebooks.py            # full run
    python bench/bench_notebooks.py --quick    # 60 edits, 100 notebooks, one learn run each
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat import v4

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_server import (
    FOREIGN_BLOCK,
    TYPING_GAP_S,
    ServerProcess,
    generate_python,
    machine,
    percentile,
)

from mindgap.conventions.repository import learn

RESULTS = Path(__file__).resolve().parent / "results" / "notebooks.json"
BUDGETS = {"cell edit p95": (5.0, "ms"), "learn notebooks / .py": (2.0, "x")}


class NotebookClient(ServerProcess):
    """The benchmark's JSON-RPC client, saying it has notebook sync (as VS Code does)."""

    def initialize(self) -> None:
        import os

        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self.workspace.as_uri(),
                "capabilities": {"notebookDocument": {"synchronization": {}}},
                "clientInfo": {"name": "mindgap-bench"},
            },
        )
        self.notify("initialized", {})


def cell_sources(cells: int, seed: int) -> list[str]:
    """Plausible cells of about ten lines: a generated module cut at its definitions."""
    code = generate_python(cells * 11, seed).split("\n\n\n")
    sources = [part.strip("\n") + "\n" for part in code if part.strip()]
    while len(sources) < cells:
        sources.append(f"value_{len(sources)} = {len(sources)}\n")
    return sources[:cells]


def measure_cell_edits(root: Path, cells: int, edits: int) -> dict:
    home, workspace = root / "home", root / "workspace"
    home.mkdir(parents=True)
    workspace.mkdir(parents=True)
    server = NotebookClient(home, workspace)
    server.initialize()
    notebook_path = workspace / "big.ipynb"
    sources = cell_sources(cells, seed=7)
    uri = notebook_path.as_uri()
    cell_uris = [f"vscode-notebook-cell:{notebook_path}#c{n}" for n in range(cells)]
    server.notify(
        "notebookDocument/didOpen",
        {
            "notebookDocument": {
                "uri": uri,
                "notebookType": "jupyter-notebook",
                "version": 1,
                "cells": [{"kind": 2, "document": cell} for cell in cell_uris],
            },
            "cellTextDocuments": [
                {"uri": cell, "languageId": "python", "version": 1, "text": text}
                for cell, text in zip(cell_uris, sources, strict=True)
            ],
        },
    )
    for cell in cell_uris:
        server.diagnostics_for(cell, 1)
    versions = dict.fromkeys(cell_uris, 1)
    notebook_version = 1

    def change(cell: str, line: int, character: int, text: str) -> float:
        nonlocal notebook_version
        notebook_version += 1
        versions[cell] += 1
        span = {
            "start": {"line": line, "character": character},
            "end": {"line": line, "character": character},
        }
        return server.notify(
            "notebookDocument/didChange",
            {
                "notebookDocument": {"uri": uri, "version": notebook_version},
                "change": {
                    "cells": {
                        "textContent": [
                            {
                                "document": {"uri": cell, "version": versions[cell]},
                                "changes": [{"range": span, "text": text}],
                            }
                        ]
                    }
                },
            },
        )

    rng = random.Random(11)
    for cell in cell_uris[:: max(1, cells // (cells // 10 or 1))][: cells // 10]:
        change(cell, 0, 0, FOREIGN_BLOCK)  # a pasted block: a foreign region to keep placed
        server.diagnostics_for(cell, versions[cell])
    time.sleep(0.5)  # the analyses of those regions run when typing pauses
    latencies = []
    for _ in range(edits):
        index = rng.randrange(cells)
        cell = cell_uris[index]
        lines = sources[index].count("\n")
        sent = change(cell, rng.randrange(max(lines, 1)), 0, "x")
        arrival = server.diagnostics_for(cell, versions[cell])
        latencies.append((arrival.time - sent) * 1000)
        time.sleep(TYPING_GAP_S)
    server.stop()
    return {
        "cells": cells,
        "edits": edits,
        "p50_ms": round(statistics.median(latencies), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "max_ms": round(max(latencies), 2),
    }


def build_repositories(root: Path, count: int) -> tuple[Path, Path]:
    """The same code twice: 500 notebooks (markdown, magics, outputs, the code in cells),
    and 500 .py files."""
    notebooks, scripts = root / "notebooks", root / "scripts"
    for n in range(count):
        cells = cell_sources(8, seed=n)
        notebook = v4.new_notebook()
        notebook.cells = [v4.new_markdown_cell(f"# Experiment {n}\n\nWhat we try here.")]
        notebook.cells.append(v4.new_code_cell("%matplotlib inline\n"))
        for index, source in enumerate(cells):
            notebook.cells.append(
                v4.new_code_cell(
                    source,
                    execution_count=index + 1,
                    outputs=[v4.new_output("stream", name="stdout", text=f"{index}\n")],
                )
            )
        folder = notebooks / f"group_{n % 20}"
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, str(folder / f"experiment_{n}.ipynb"))
        script = scripts / f"group_{n % 20}"
        script.mkdir(parents=True, exist_ok=True)
        (script / f"experiment_{n}.py").write_text("\n\n".join(cells), encoding="utf-8")
    return notebooks, scripts


def time_learn(root: Path, runs: int) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        conventions = learn(root, 20, 0.9, cache=None)
        timings.append(time.perf_counter() - started)
        assert conventions.stats is not None and conventions.stats.read > 0
    return statistics.median(timings)


def run(quick: bool) -> dict:
    with tempfile.TemporaryDirectory(prefix="mindgap-bench-nb-") as folder:
        root = Path(folder)
        edits = measure_cell_edits(root / "edits", 200, 60 if quick else 300)
        notebooks, scripts = build_repositories(root / "repos", 100 if quick else 500)
        runs = 1 if quick else 3
        time_learn(scripts, 1)  # warm imports and grammars for both
        as_notebooks = time_learn(notebooks, runs)
        as_scripts = time_learn(scripts, runs)
    return {
        "machine": machine(),
        "cell_edit": edits,
        "learn": {
            "notebooks": 100 if quick else 500,
            "notebooks_s": round(as_notebooks, 3),
            "scripts_s": round(as_scripts, 3),
            "ratio": round(as_notebooks / as_scripts, 2),
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    results = run(args.quick)
    edit, learned = results["cell_edit"], results["learn"]
    rows = [
        (
            f"cell edit -> diagnostics, {edit['cells']}-cell notebook, p95 (p50)",
            f"{edit['p95_ms']} ms ({edit['p50_ms']} ms)",
            "5 ms",
        ),
        (
            f"learn, {learned['notebooks']} notebooks vs the same code as .py",
            f"{learned['notebooks_s']} s vs {learned['scripts_s']} s = {learned['ratio']}x",
            "2x",
        ),
    ]
    width = max(len(row[0]) for row in rows)
    for name, measured, limit in rows:
        print(f"{name:<{width}}  {measured:>28}  (limit {limit})")
    if not args.quick:
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    ok = edit["p95_ms"] <= BUDGETS["cell edit p95"][0] and learned["ratio"] <= 2.0
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
