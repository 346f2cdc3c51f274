"""`mindgap learn` on a large real repository, cold: seconds and peak memory.

Budget (issue 16): a sqlalchemy-sized repository (600,000 lines of Python) learns cold in
<= 5 s with <= 250 MB peak resident memory on a 2-core machine.

Point it at a work tree (a clone made beforehand; the bench never fetches anything):

    git clone /path/to/sqlalchemy /tmp/sqla
    flock /tmp/mindgap-bench.lock python bench/bench_learn_scale.py /tmp/sqla

Each run starts from an empty data directory (MINDGAP_HOME), so nothing is cached. Three
runs per repetition: `mindgap learn` as a user runs it (workers: one per core), the same
learning in one process (`learn(..., workers=1)`, for the speed-up), and `mindgap learn`
again with the cache it left (warm). Memory is sampled every 20 ms over the whole process
tree: the sum of resident memory (RSS; pages a forked worker shares with its parent count
twice) and of proportional memory (PSS; shared pages split between the processes that
share them - what the machine really spends), with the largest single process's peak from
getrusage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

RESULTS = Path(__file__).parent / "results" / "learn_scale.json"
ONE_PROCESS = (
    "import sys; from pathlib import Path; from mindgap.conventions.repository import learn, "
    "open_cache; cache = open_cache(); learn(Path(sys.argv[1]), 20, 0.8, cache=cache, "
    "workers=1); cache.close()"
)


def python_lines(repo: Path) -> int:
    listed = subprocess.run(
        ["git", "ls-files", "-z", "*.py"], cwd=repo, capture_output=True, check=True
    ).stdout.split(b"\0")
    total = 0
    for name in filter(None, listed):
        try:
            total += (repo / name.decode()).read_bytes().count(b"\n")
        except OSError:
            continue
    return total


class TreeMemory:
    """Peak memory of a process and its descendants, sampled from another thread."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak_rss = 0
        self.peak_pss = 0
        self.most_processes = 0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            try:
                processes = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            rss = pss = 0
            for process in processes:
                try:
                    info = process.memory_full_info()
                except psutil.Error:
                    continue
                rss += info.rss
                pss += getattr(info, "pss", info.rss)
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.most_processes = max(self.most_processes, len(processes))
            self._done.wait(0.02)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def run(command: list[str], home: Path) -> dict[str, Any]:
    env = {**os.environ, "MINDGAP_HOME": str(home)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = TreeMemory(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    memory.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.decode()}")
    result: dict[str, Any] = {
        "seconds": round(seconds, 2),
        "cpu_seconds": round(
            (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), 2
        ),
        "peak_tree_rss_mb": round(memory.peak_rss / 1e6, 1),
        "peak_tree_pss_mb": round(memory.peak_pss / 1e6, 1),
        "largest_process_rss_mb": round(after.ru_maxrss / 1e3, 1),  # kilobytes on Linux
        "processes": memory.most_processes,
    }
    if out.startswith(b"{"):
        report = json.loads(out)
        result["files"] = report["files"]
        result["rules"] = len(report["rules"])
        result["reported_seconds"] = report["seconds"]
        result["warnings"] = [line for line in err.decode().splitlines() if "warning" in line]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("repo", type=Path, help="a git work tree (e.g. a clone of sqlalchemy)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--no-single", action="store_true", help="skip the one-process run")
    args = parser.parse_args()
    repo = args.repo.resolve()
    learn_command = [sys.executable, "-m", "mindgap", "learn", "--repo", str(repo)]
    lines = python_lines(repo)
    load_before = os.getloadavg()
    runs: list[dict[str, Any]] = []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="mindgap-learn-scale-") as folder:
            cold = run([*learn_command, "--format", "json"], Path(folder))
            warm = run([*learn_command, "--format", "json"], Path(folder))
        single = None
        if not args.no_single:
            with tempfile.TemporaryDirectory(prefix="mindgap-learn-scale-") as folder:
                single = run([sys.executable, "-c", ONE_PROCESS, str(repo)], Path(folder))
        runs.append({"cold": cold, "warm": warm, "one_process_cold": single})
        print(json.dumps(runs[-1], indent=2), flush=True)
    load = os.getloadavg()
    summary = {
        "repository": str(repo),
        "python_lines": lines,
        "cores": len(os.sched_getaffinity(0)),
        "load_average_before": load_before,
        "load_average": load,
        "machine": platform.platform(),
        "python": platform.python_version(),
        "bytecode_written": not sys.dont_write_bytecode,
        "budget": {"cold_seconds": 5.0, "peak_mb": 250},
        "runs": runs,
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(summary, indent=2) + "\n")
    best = min(runs, key=lambda r: r["cold"]["seconds"])["cold"]
    print(
        f"{lines:,} lines of Python: cold learn {best['seconds']} s "
        f"(cpu {best['cpu_seconds']} s), peak {best['peak_tree_pss_mb']} MB PSS / "
        f"{best['peak_tree_rss_mb']} MB RSS over {best['processes']} processes; "
        f"load average {load_before[0]:.1f} before, {load[0]:.1f} after"
    )


if __name__ == "__main__":
    main()
