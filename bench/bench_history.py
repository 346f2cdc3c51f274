"""`mindgap profile` over a real repository's long history (issue 16: 10,000 commits <= 60 s).

Points `mindgap profile --developer <author>` (a fresh process, into an empty store: the cold
bootstrap a user waits for) at a clone of a real repository, for its most frequent author (or
the one given), and prints the seconds, commits per second and peak resident memory (the
command's process and its largest worker). With `--compare N` it also reads the author's
last N commits twice in this process, plainly (one process, every changed version parsed
whole from scratch) and the way the command does (workers, only the statements a change
touched parsed - knowledge/outline.py -, comment-only additions not parsed), and checks that
both find the same constructs.

    python bench/bench_history.py --repo /tmp/sqla --developer mike_mp@zzzcomputing.com
    python bench/bench_history.py --repo /work/.mirror/sqlalchemy+sqlalchemy/repo --compare 600

A bare repository is cloned into a temporary folder first (git clone of a local repository
hard-links its objects: a second or two).
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
import time
from pathlib import Path

from mindgap.knowledge import history

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_own_code import top_author, work_tree

RESULTS = Path(__file__).resolve().parent / "results" / "history.json"
BUDGET_S = 60.0
BUDGET_COMMITS = 10_000


def profile_command(repo: Path, developer: str, home: Path) -> tuple[float, dict, int, float]:
    """Seconds, the JSON report, the largest resident memory of the process tree (MB), the
    CPU seconds of the whole tree (git included)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    before, cpu_before = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    began = time.perf_counter()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mindgap",
            "profile",
            "--repo",
            str(repo),
            "--developer",
            developer,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "MINDGAP_HOME": str(home)},
        check=False,
    )
    elapsed = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"mindgap profile failed: {result.stderr}")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    peak = max(before, usage.ru_maxrss) // 1024
    cpu = usage.ru_utime + usage.ru_stime - cpu_before
    return elapsed, json.loads(result.stdout), peak, cpu


def compare(repo: Path, developer: str, last: int) -> dict:
    """The author's last `last` commits read plainly and in bulk: the same constructs?"""
    repository = history.Repository(repo)
    commits = repository.commits([developer])[-last:]
    runs = {}
    shortcut = history._may_start_code
    for name, quick, workers in (("plain", False, 1), ("bulk", True, None)):
        history.INCREMENTAL_PARSE = history.PARTIAL_PARSE = quick
        # plain: every version with added lines parsed whole, comment-only additions too
        history._may_start_code = shortcut if quick else (lambda line: True)
        began = time.perf_counter()
        found = sorted(
            (commit.sha, sorted((w.key, w.path, w.line) for w in written))
            for commit, written in repository.scan(commits, workers=workers)
        )
        runs[name] = (time.perf_counter() - began, found)
    history.INCREMENTAL_PARSE = history.PARTIAL_PARSE = True
    history._may_start_code = shortcut
    plain_s, plain = runs["plain"]
    bulk_s, bulk = runs["bulk"]
    return {
        "commits": len(commits),
        "plain_s": round(plain_s, 1),
        "bulk_s": round(bulk_s, 1),
        "constructs": sum(len(found) for _, found in plain),
        "identical": plain == bulk,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repo", required=True, type=Path)
    parser.add_argument("--developer", help="default: the most frequent author")
    parser.add_argument("--compare", type=int, default=0, help="also compare on N commits")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mindgap-bench-history-") as scratch_name:
        scratch = Path(scratch_name)
        repo = work_tree(args.repo.resolve(), scratch)
        developer = (args.developer or top_author(repo)).lower()
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        seconds, report, peak_mb, cpu = profile_command(repo, developer, scratch / "home")
        load_after = Path("/proc/loadavg").read_text().split()[:3]
        checked = compare(repo, developer, args.compare) if args.compare else None
    (entry,) = report["repositories"]
    commits = entry["commits_read"] + entry["assisted_commits_read"]
    results = {
        "repository": str(args.repo),
        "developer": developer,
        "commits": commits,
        "seconds": round(seconds, 1),
        "commits_per_s": round(commits / seconds, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": peak_mb,
        "skipped_files": entry["skipped_files"],
        "constructs_familiar": len(report["written_often"]),
        "load_average_before_after": [load_before, load_after],
        "workers": history.worker_count(),
        "compare": checked,
        "machine": f"{platform.processor() or platform.machine()}, nproc={os.cpu_count()}, "
        f"Python {platform.python_version()}",
        "ok": seconds * BUDGET_COMMITS / max(commits, 1) <= BUDGET_S,
    }
    print(f"{args.repo}: {commits:,} commits of {developer}")
    print(
        f"mindgap profile (cold, fresh process): {seconds:.1f} s, {commits / seconds:.1f} commits/s"
    )
    print(f"CPU time of the command and its workers and git processes: {cpu:.1f} s")
    print(f"peak resident memory (largest process): {peak_mb} MB")
    print(f"load average before/after: {' '.join(load_before)} / {' '.join(load_after)}")
    print(f"skipped files: {entry['skipped_files']}")
    if checked is not None:
        print(
            f"plain vs bulk reading of the last {checked['commits']} commits: "
            f"{checked['plain_s']} s vs {checked['bulk_s']} s, {checked['constructs']:,} "
            f"constructs, identical: {checked['identical']}"
        )
    verdict = "yes" if results["ok"] else "NO"
    print(f"budget: {BUDGET_COMMITS:,} commits <= {BUDGET_S:.0f} s: {verdict}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")
    return 0 if results["ok"] and (checked is None or checked["identical"]) else 1


if __name__ == "__main__":
    sys.exit(main())
