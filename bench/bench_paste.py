"""A pasted block -> its findings, mindgap beside ruff server, on a real repository's file.

Budget (issue: fast at every size): a pasted 12-line block's findings arrive in at most 2x the
time ruff server takes to lint the same file after the same paste, both measured in this run.

The workspace is a git repository holding click's package as installed from PyPI (real code,
with real conventions: snake_case functions). Each round pastes the same 12-line block - one
didChange inserting it into click/termui.py - and times, from the write of that didChange:
- mindgap: the publishDiagnostics that carries the block's convention finding (a camelCase
  function name in a snake_case repository) - the findings, not just the foreign-region mark;
- ruff server: the publishDiagnostics of that version (its lint of the whole file).
The paste is then undone (both servers see the same edits) before the next round. Both
servers run side by side and take turns round by round, so that the machine's other load
weighs on both alike; `cat /proc/loadavg` is printed with the result.

    python bench/bench_paste.py [--rounds 30] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import click

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import TIMEOUT_S, ServerProcess, percentile

RATIO_BUDGET = 2.0
BLOCK = '''def formatColumns(rows, widthLimit=80):
    """Lay rows out in columns no wider than the limit."""
    widths = {}
    for row in rows:
        for index, cell in enumerate(row):
            widths[index] = max(widths.get(index, 0), len(str(cell)))
    lines = []
    for row in rows:
        cells = [str(cell).ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  ".join(cells)[:widthLimit])
    return "\\n".join(lines)

'''


class Watched(ServerProcess):
    """Keeps every publishDiagnostics, not only the last one per version."""

    def __post_init__(self) -> None:
        self.published: list[tuple[float, str, int | None, list[dict]]] = []
        self._seen = threading.Condition()
        super().__post_init__()

    def _dispatch(self, message: dict, arrived: float) -> None:
        if message.get("method") == "textDocument/publishDiagnostics":
            params = message["params"]
            with self._seen:
                self.published.append(
                    (arrived, params["uri"], params.get("version"), params["diagnostics"])
                )
                self._seen.notify_all()
        super()._dispatch(message, arrived)

    def first(self, uri: str, after: float, wanted: Any) -> float:
        """When the first publish for `uri` since `after` that satisfies `wanted` arrived."""

        def found() -> float | None:
            for arrived, where, _, diagnostics in self.published:
                if where == uri and arrived >= after and wanted(diagnostics):
                    return arrived
            return None

        with self._seen:
            if not self._seen.wait_for(lambda: found() is not None, TIMEOUT_S):
                raise TimeoutError(f"no such diagnostics for {uri}")
            arrived = found()
            assert arrived is not None
            return arrived


def has_convention(diagnostics: list[dict]) -> bool:
    return any(str(d.get("code", "")).startswith("convention/") for d in diagnostics)


def workspace(root: Path) -> Path:
    repo = root / "repo"
    shutil.copytree(Path(click.__file__).parent, repo / "click")
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "config", "user.email", "bench@example.com"], check=True)
    subprocess.run([*git, "config", "user.name", "Bench"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "click"], check=True)
    return repo


class Paster:
    """One server's side of the run: the file open in it, and its paste timings."""

    def __init__(self, server: Watched, path: Path, wanted: Any) -> None:
        self.server, self.wanted, self.timings = server, wanted, []
        text = path.read_text(encoding="utf-8")
        self.uri, _ = server.open(path, text)
        server.first(self.uri, 0.0, lambda diagnostics: True)
        self.line = text[: text.index("\ndef ")].count("\n") + 1  # before the first function
        self.version = 1

    def paste_and_undo(self) -> None:
        server, uri, line = self.server, self.uri, self.line
        self.version += 1
        sent = server.change(uri, self.version, (line, 0), (line, 0), BLOCK)
        arrived = server.first(uri, sent, self.wanted)
        self.timings.append((arrived - sent) * 1000)
        self.version += 1
        undone = server.change(uri, self.version, (line, 0), (line + BLOCK.count("\n"), 0), "")
        server.first(uri, undone, lambda diagnostics: not has_convention(diagnostics))


def measure(pasters: list[Paster], rounds: int) -> None:
    """The servers take turns, round by round, so that what else the machine does at the
    time weighs on both alike. The first round warms up (learning, imports)."""
    for _ in range(rounds + 1):
        for paster in pasters:
            paster.paste_and_undo()
            time.sleep(0.3)  # let each server settle (mindgap's store flush, ruff's debounce)
    for paster in pasters:
        del paster.timings[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    ruff = shutil.which("ruff")
    if ruff is None:
        print("ruff is not installed (pip install ruff): nothing to compare with")
        return 0
    rows = {}
    with tempfile.TemporaryDirectory(prefix="mindgap-bench-paste-") as folder:
        root = Path(folder)
        repo = workspace(root)
        target = repo / "click" / "termui.py"
        servers: dict[str, tuple[Watched, Any]] = {}
        try:
            for name, command, wanted in (
                ("ruff server", [ruff, "server"], lambda diagnostics: True),
                ("mindgap", None, has_convention),
            ):
                home = root / f"home-{name.split()[0]}"
                home.mkdir()
                servers[name] = (Watched(home, repo, command=command), wanted)
                servers[name][0].initialize()
            pasters = {
                name: Paster(server, target, wanted) for name, (server, wanted) in servers.items()
            }
            measure(list(pasters.values()), args.rounds)
        finally:
            for server, _ in servers.values():
                server.stop()
        for name, paster in pasters.items():
            rows[name] = {
                "median_ms": round(statistics.median(paster.timings), 1),
                "p95_ms": round(percentile(paster.timings, 95), 1),
            }
    ratio = rows["mindgap"]["median_ms"] / max(rows["ruff server"]["median_ms"], 0.01)
    load = Path("/proc/loadavg").read_text().split()[0] if Path("/proc/loadavg").exists() else "?"
    print(f"a 12-line block pasted into click's termui.py (941 lines), {args.rounds} rounds")
    print(f"load average at the end: {load}")
    print(f"{'server':<12} {'median ms':>10} {'p95 ms':>8}")
    for name, row in rows.items():
        print(f"{name:<12} {row['median_ms']:>10.1f} {row['p95_ms']:>8.1f}")
    verdict = "within" if ratio <= RATIO_BUDGET else "OVER"
    print(f"\nmindgap / ruff server (median): {ratio:.2f}x - {verdict} budget ({RATIO_BUDGET}x)")
    if args.json:
        results = {**rows, "ratio": round(ratio, 2), "load_average": load}
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0 if ratio <= RATIO_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
