"""Resident memory of the real `mindgap serve` process, beside ruff server in the same run.

Budgets (issue: fast at every size):
- after opening a 10,000-line Python file: <= 40 MiB;
- with 50 open 2,000-line files: <= 120 MiB.

Each case starts a fresh server in a fresh git repository holding the files, sends
initialize / initialized, opens the files, waits for each file's first diagnostics, then for
the work that follows an open (mindgap: the repository's conventions learned and the file
parsed and analysed after the typing pause; ruff: its lint) and reads VmRSS from
/proc/PID/status. Without the `ruff` executable only mindgap is measured.

`--breakdown` also prints where mindgap's memory is: the interpreter alone, each import step
(measured in fresh interpreters), and the server process's mappings after the open
(/proc/PID/smaps: the heap, the shared libraries such as the tree-sitter grammars).

    python bench/bench_memory.py [--breakdown] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_server import ServerProcess, generate_python

BUDGETS_MIB = {"10k-line file open": 40.0, "50 files of 2,000 lines open": 120.0}
SETTLE_S = 1.0  # after the last diagnostics: the typing pause (0.2 s), the store flush (0.5 s)
PYGLS = ["lsprotocol.types", "pygls.lsp.server"]
PASTE_NEEDS = [
    "mindgap.config",
    "mindgap.analysis",
    "mindgap.provenance.tracker",
    "mindgap.lsp.folders",
    "mindgap.ledger.database",
]
IMPORT_STEPS = [  # what a server process holds, step by step (each in a fresh interpreter)
    ("python alone", []),
    ("+ lsprotocol.types", ["lsprotocol.types"]),
    ("+ pygls.lsp.server", ["lsprotocol.types", "pygls.lsp.server"]),
    ("+ mindgap.config (settings: pydantic)", [*PYGLS, "mindgap.config"]),
    ("+ what a paste needs (analysis, tracker, folders, store)", [*PYGLS, *PASTE_NEEDS]),
    ("+ mindgap.lsp.server (the gate, notebooks, report too)", [*PYGLS, "mindgap.lsp.server"]),
]


class Logged(ServerProcess):
    """Keeps the server's window/logMessage lines (mindgap says when learning is done)."""

    def __post_init__(self) -> None:
        self.logged: list[str] = []
        self._log_seen = threading.Condition()
        super().__post_init__()

    def _dispatch(self, message: dict, arrived: float) -> None:
        if message.get("method") == "window/logMessage":
            with self._log_seen:
                self.logged.append(message["params"]["message"])
                self._log_seen.notify_all()
        super()._dispatch(message, arrived)

    def wait_logged(self, fragment: str, timeout: float) -> bool:
        with self._log_seen:
            return self._log_seen.wait_for(
                lambda: any(fragment in line for line in self.logged), timeout
            )

    def rss_mib(self) -> float:
        return status_kib(self.pid, "VmRSS") / 1024


def status_kib(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def repository(root: Path, files: dict[str, str]) -> Path:
    repo = root / "repo"
    repo.mkdir()
    for name, text in files.items():
        (repo / name).write_text(text, encoding="utf-8")
    git = ["git", "-C", str(repo)]
    subprocess.run([*git, "init", "-q", "-b", "main"], check=True)
    subprocess.run([*git, "config", "user.email", "bench@example.com"], check=True)
    subprocess.run([*git, "config", "user.name", "Bench"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "files"], check=True)
    return repo


def measure_case(
    root: Path, name: str, command: list[str] | None, files: dict[str, str], breakdown: bool
) -> dict:
    """Open every file in a fresh server; resident memory once the server has settled."""
    folder = root / name
    folder.mkdir()
    repo = repository(folder, files)
    home = folder / "home"
    home.mkdir()
    server = Logged(home, repo, command=command)
    try:
        server.initialize()
        time.sleep(0.3)
        after_initialize = server.rss_mib()
        for file_name, text in files.items():
            uri, _ = server.open(repo / file_name, text)
            server.diagnostics_for(uri, 1)
        if command is None:  # mindgap: the repository's conventions are learned in the back
            server.wait_logged("conventions learned", 30.0)
        time.sleep(SETTLE_S)
        result: dict[str, Any] = {
            "rss_mib_after_initialize": round(after_initialize, 1),
            "rss_mib": round(server.rss_mib(), 1),
            "peak_rss_mib": round(status_kib(server.pid, "VmHWM") / 1024, 1),
        }
        if breakdown and command is None:
            result["mappings_mib"] = mappings(server.pid)
        return result
    finally:
        server.stop()


def mappings(pid: int) -> dict[str, float]:
    """Resident memory by mapping (/proc/PID/smaps): heap, anonymous, each shared library."""
    totals: dict[str, int] = defaultdict(int)
    current = "?"
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if fields and "-" in fields[0] and len(fields) >= 5:  # a mapping's header line
            path = fields[5] if len(fields) > 5 else "[anonymous]"
            current = Path(path).name if path.startswith("/") else path
        elif fields and fields[0] == "Rss:":
            totals[current] += int(fields[1])
    ordered = sorted(totals.items(), key=lambda item: -item[1])
    return {name: round(kib / 1024, 2) for name, kib in ordered if kib >= 256}


def import_steps() -> list[tuple[str, float, int]]:
    """(step, VmRSS MiB, modules loaded) of a fresh interpreter after each import step."""
    rows = []
    for label, modules in IMPORT_STEPS:
        program = (
            "import sys\n"
            + "".join(f"import {module}\n" for module in modules)
            + "print(len(sys.modules))\n"
            + "print(open('/proc/self/status').read())\n"
        )
        out = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, check=True
        ).stdout
        count = int(out.splitlines()[0])
        rss = next(int(line.split()[1]) for line in out.splitlines() if line.startswith("VmRSS"))
        rows.append((label, round(rss / 1024, 1), count))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--breakdown", action="store_true", help="where mindgap's memory is")
    parser.add_argument("--json", type=Path, help="also write the results to this file")
    args = parser.parse_args()
    cases = {
        "10k-line file open": {"big.py": generate_python(10_000, seed=1)},
        "50 files of 2,000 lines open": {
            f"module_{n:02d}.py": generate_python(2_000, seed=100 + n) for n in range(50)
        },
    }
    ruff = shutil.which("ruff")
    servers: dict[str, list[str] | None] = {"mindgap": None}
    if ruff is not None:
        servers["ruff server"] = [ruff, "server"]
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="mindgap-bench-memory-") as folder:
        root = Path(folder)
        for case, files in cases.items():
            for name, command in servers.items():
                label = f"{name.split()[0]}-{len(files)}"
                results.setdefault(case, {})[name] = measure_case(
                    root, label, command, files, args.breakdown
                )
    print(f"{'resident memory (VmRSS), MiB':<34} {'mindgap':>9} {'ruff server':>12} {'budget':>7}")
    ok = True
    for case, by_server in results.items():
        mine = by_server["mindgap"]["rss_mib"]
        ruff_rss = by_server.get("ruff server", {}).get("rss_mib")
        budget = BUDGETS_MIB[case]
        ok = ok and mine <= budget
        shown = f"{ruff_rss:.1f}" if ruff_rss is not None else "-"
        verdict = "" if mine <= budget else "  OVER"
        print(f"{case:<34} {mine:>9.1f} {shown:>12} {budget:>7.0f}{verdict}")
    print(
        "after initialize: "
        + ", ".join(
            f"{name} {row['rss_mib_after_initialize']:.1f}"
            for name, row in results["10k-line file open"].items()
        )
        + " MiB"
    )
    if args.breakdown:
        print("\nan interpreter after each import step (VmRSS MiB, modules):")
        for label, rss, count in import_steps():
            print(f"  {label:<24} {rss:>6.1f} {count:>5}")
        for case, by_server in results.items():
            print(f"\nmindgap's mappings, {case} (resident MiB, >= 0.25):")
            for mapping, mib in by_server["mindgap"]["mappings_mib"].items():
                print(f"  {mapping:<48} {mib:>7.2f}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
