"""Hostile input, timed (issue 16): what used to hang, run quadratically or take minutes.

Each row runs the real `mindgap` command in a fresh process over input built here and prints
its wall time and exit code; the last rows time a construct query over ever longer sums in
this process, to show that it grows linearly. Results also go to bench/results/hostile.json.

    python bench/bench_hostile.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mindgap.knowledge.catalogue import catalogue
from mindgap.syntax.languages import language_named
from mindgap.team.anchoring import line_fingerprint

RESULTS = Path(__file__).parent / "results" / "hostile.json"


def run(*args: str, cwd: Path, home: Path) -> tuple[float, int]:
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mindgap", *args],
        cwd=cwd,
        env={**os.environ, "MINDGAP_HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1"},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return time.perf_counter() - started, result.returncode


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def main() -> None:
    rows: list[tuple[str, float, int]] = []
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        home, work = root / "home", root / "work"
        work.mkdir()
        git(work, "init", "-q", "-b", "main")
        git(work, "config", "user.email", "bench@example.com")
        git(work, "config", "user.name", "Bench")
        (work / "long.py").write_text("x = " + " + ".join(["1"] * 100_000) + "\n")
        (work / "chain.py").write_text("x = (\n" + " +\n".join(["1"] * 100_000) + ")\n")
        (work / "deep.py").write_text("x = " + "(\n" * 10_000 + "1" + ")\n" * 10_000)
        lines = [f"value_{n} = {n} * 2" for n in range(1500)]
        (work / "app.py").write_text("\n".join(lines) + "\n")
        git(work, "add", ".")
        git(work, "commit", "-q", "-m", "start")
        note = root / "note.jsonl"
        note.write_text(
            "\n".join(
                json.dumps(
                    {
                        "developer": "a@example.com",
                        "path": "app.py",
                        "fingerprint": "f" * 24,
                        "lineFingerprint": line_fingerprint(lines, 0, span - 1),
                        "span": span,
                        "lines": span,
                        "state": "pending",
                        "time": 1_760_000_000.0,
                    }
                )
                for span in range(1, 1500)
            )
            + "\n"
        )
        git(work, "notes", "--ref=mindgap", "add", "-F", str(note), "HEAD")
        if hasattr(os, "mkfifo"):
            os.mkfifo(work / "fifo.py")

        cases = [
            ("learn (100,000-term sum, 10,000-deep parentheses, a FIFO)", ("learn",)),
            (
                "check --all-foreign: a 100,000-term sum on one line",
                ("check", "--all-foreign", "long.py"),
            ),
            (
                "check --all-foreign: a 100,000-term sum over lines",
                ("check", "--all-foreign", "chain.py"),
            ),
            ("check --all-foreign: 10,000-deep parentheses", ("check", "--all-foreign", "deep.py")),
            (
                "quiz: 100 lines of the 100,000-term sum",
                ("quiz", "chain.py:1-100", "--format", "json"),
            ),
            (
                "report --team: 1,499 distinct spans on one file",
                ("report", "--team", "--format", "json"),
            ),
            ("check: a FIFO", ("check", "fifo.py")),
        ]
        for name, args in cases:
            seconds, code = run(*args, cwd=work, home=home)
            rows.append((name, seconds, code))

    query = catalogue("python")
    parser = language_named("python").parser()
    for terms in (25_000, 50_000, 100_000):
        tree = parser.parse(("x = (\n" + " +\n".join(["1"] * terms) + ")\n").encode())
        started = time.perf_counter()
        query.find(tree.root_node)
        rows.append(
            (f"construct query, {terms:,}-term sum (in process)", time.perf_counter() - started, 0)
        )

    width = max(len(name) for name, _, _ in rows)
    print(f"{'case':<{width}}  {'seconds':>8}  exit")
    for name, seconds, code in rows:
        print(f"{name:<{width}}  {seconds:8.3f}  {code}")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps([{"case": n, "seconds": round(s, 3), "exit": c} for n, s, c in rows], indent=2)
        + "\n"
    )


if __name__ == "__main__":
    main()
