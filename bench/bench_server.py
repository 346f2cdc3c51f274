"""Latency and memory of the real `mindgap serve` process, driven over stdio.

Measures the server's budgets:

1. didChange -> publishDiagnostics on a 10,000-line Python file (one-character edits),
2. didOpen of that file -> its first publishDiagnostics,
3. resident memory with 50 open 2,000-line files (after opening them and after edits).

Latencies are client-observed round trips (write of the notification to arrival of the
matching publishDiagnostics, which carries the document version), so they are an upper
bound of the time spent in the server. A tiny JSON-RPC client on a reader thread is used
instead of a full LSP client so that client-side parsing adds as little as possible.

    python bench/bench_server.py            # full run
    python bench/bench_server.py --quick    # 50 edits, 4 opens
    python bench/bench_server.py --profile /tmp/server.prof   # server under cProfile
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil

RESULTS = Path(__file__).resolve().parent / "results" / "server.json"
TIMEOUT_S = 30.0
# Editors send a didChange per keystroke; a short pause between them leaves room for the
# server's own timers (the store flush every 0.5 s) to run as they would while typing.
TYPING_GAP_S = 0.02

BUDGETS = {  # name: (limit, unit)
    "didChange p50": (10.0, "ms"),
    "didChange p95": (25.0, "ms"),
    "didOpen 10k lines (max)": (150.0, "ms"),
    "RSS, 50 files open": (150.0, "MB"),
}

FOREIGN_BLOCK = '''def reconcile_ledger(entries, tolerance=0.005):
    """Pair debits with credits; what is left over is reported."""
    pending = {}
    unmatched = []
    for entry in sorted(entries, key=lambda e: (e.account, e.amount)):
        key = (entry.account, round(abs(entry.amount), 2))
        partner = pending.pop(key, None)
        if partner is None or abs(partner.amount + entry.amount) > tolerance:
            pending[key] = entry
            continue
    unmatched.extend(pending.values())
    return unmatched
'''


# -- generated source ----------------------------------------------------------------------

WORDS = ["order", "item", "price", "total", "account", "user", "record", "value", "cache", "node"]
NON_ASCII = ["café", "naïve", "Größe", "über", "日本語", "résumé", "ταχύτητα", "✓ done", "🚀 ship"]


def _function(rng: random.Random, name: str, indent: str) -> list[str]:
    a, b = rng.sample(WORDS, 2)
    label = rng.choice(NON_ASCII)
    return [
        f"{indent}def {name}(self, {a}, {b}=None):" if indent else f"def {name}({a}, {b}=None):",
        f'{indent}    """Combine {a} and {b} ({label})."""',
        f"{indent}    # {label}: keep the {a} when no {b} is given",
        f"{indent}    if {b} is None:",
        f"{indent}        return {a}",
        f"{indent}    result = [{a}, {b}, {rng.randint(0, 999)}]",
        f'{indent}    message = f"{label} {{len(result)}} {a}s"',
        f"{indent}    return result, message",
        "",
    ]


def generate_python(lines: int, seed: int) -> str:
    """A plausible module of exactly `lines` lines: imports, classes, functions, comments."""
    rng = random.Random(seed)
    out = ['"""Generated module for the mindgap benchmark (non-ASCII: café, 日本語)."""', ""]
    out += ["import dataclasses", "import itertools", "from pathlib import Path", "", ""]
    count = 0
    while True:
        count += 1
        if rng.random() < 0.3:
            unit = [f"class Model{count}:", f'    """A {rng.choice(WORDS)} holder."""', ""]
            for method in range(rng.randint(2, 4)):
                unit += _function(rng, f"method_{method}", "    ")
        else:
            unit = _function(rng, f"{rng.choice(WORDS)}_{count}", "")
        unit.append("")
        if len(out) + len(unit) > lines:
            break
        out += unit
    # Whole definitions only (the file must parse cleanly); comments make up the count.
    out += [f"# {rng.choice(WORDS)} notes, line {n}" for n in range(len(out), lines)]
    return "\n".join(out) + "\n"


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


# -- a minimal JSON-RPC client over the server's stdio -------------------------------------------


@dataclass
class Arrival:
    time: float
    diagnostics: int


@dataclass
class ServerProcess:
    """`mindgap serve` as a child process; a reader thread timestamps every message."""

    home: Path
    workspace: Path
    profile: Path | None = None
    command: list[str] | None = None  # another language server (bench_paste.py: ruff server)
    process: subprocess.Popen = field(init=False)
    arrivals: dict[tuple[str, int | None], Arrival] = field(default_factory=dict)
    responses: dict[int, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        command = [sys.executable]
        if self.profile is not None:
            command += ["-m", "cProfile", "-o", str(self.profile)]
        command += ["-m", "mindgap", "serve"]
        command = self.command or command
        self._stderr = open(self.home / "server-stderr.log", "wb")  # noqa: SIM115 - closed in stop
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env={**os.environ, "MINDGAP_HOME": str(self.home)},
            cwd=self.workspace,
        )
        self._arrived = threading.Condition()
        self._write_lock = threading.Lock()
        self._next_id = 0
        threading.Thread(target=self._read_forever, daemon=True).start()

    @property
    def pid(self) -> int:
        return self.process.pid

    def _read_forever(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = None
            while (header := stream.readline()) not in (b"\r\n", b""):
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":", 1)[1])
            if not header or length is None:
                return  # the server exited
            body = stream.read(length)
            arrived = time.perf_counter()  # before parsing: JSON decoding is client time
            self._dispatch(json.loads(body), arrived)

    def _dispatch(self, message: dict, arrived: float) -> None:
        method = message.get("method")
        if method is not None and "id" in message:  # a request from the server: accept it
            self._send({"jsonrpc": "2.0", "id": message["id"], "result": None})
            return
        with self._arrived:
            if method == "textDocument/publishDiagnostics":
                params = message["params"]
                key = (params["uri"], params.get("version"))
                self.arrivals[key] = Arrival(arrived, len(params["diagnostics"]))
            elif method is None:
                self.responses[message["id"]] = message
            self._arrived.notify_all()

    def _send(self, message: dict) -> float:
        body = json.dumps(message, ensure_ascii=False).encode("utf-8")
        stdin = self.process.stdin
        assert stdin is not None
        with self._write_lock:
            sent = time.perf_counter()
            stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
            stdin.flush()
        return sent

    def notify(self, method: str, params: dict) -> float:
        """Send a notification; returns the time it was written."""
        return self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params: dict | None) -> Any:
        self._next_id += 1
        request_id = self._next_id
        self._send({"jsonrpc": "2.0", "id": request_id, "method": method, "params": params})
        with self._arrived:
            if not self._arrived.wait_for(lambda: request_id in self.responses, TIMEOUT_S):
                raise TimeoutError(f"no reply to {method}")
            return self.responses.pop(request_id).get("result")

    def diagnostics_for(self, uri: str, version: int | None) -> Arrival:
        """Wait for the publishDiagnostics of `uri` at `version`."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: (uri, version) in self.arrivals, TIMEOUT_S):
                raise TimeoutError(f"no diagnostics for {uri} version {version}")
            return self.arrivals[(uri, version)]

    # -- the LSP conversation ----------------------------------------------------------------

    def initialize(self) -> None:
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": self.workspace.as_uri(),
                "capabilities": {},
                "clientInfo": {"name": "mindgap-bench"},
            },
        )
        self.notify("initialized", {})

    def open(self, path: Path, text: str, version: int = 1) -> tuple[str, float]:
        uri = path.as_uri()
        item = {"uri": uri, "languageId": "python", "version": version, "text": text}
        return uri, self.notify("textDocument/didOpen", {"textDocument": item})

    def change(self, uri: str, version: int, start: tuple, end: tuple, text: str) -> float:
        span = {
            "start": {"line": start[0], "character": start[1]},
            "end": {"line": end[0], "character": end[1]},
        }
        return self.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"range": span, "text": text}],
            },
        )

    def close(self, uri: str) -> None:
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})

    def rss_mb(self) -> float:
        return psutil.Process(self.pid).memory_info().rss / 2**20

    def stop(self) -> None:
        try:
            self.request("shutdown", None)
            self.notify("exit", {})
            self.process.wait(timeout=10)
        except (TimeoutError, OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()
        self._stderr.close()


# -- the measurements --------------------------------------------------------------------


def typing_edits(lines: list[str], count: int, avoid: range, seed: int) -> list[tuple]:
    """(line, column, text) triples: type a character, then delete it, at varied places.

    Places are on non-blank lines, between the indentation and the line's end (where people
    type; an editor auto-indents, so nobody types at column 0 of an indented line). Columns
    are UTF-16 (the default position encoding) at code-point boundaries, so lines with
    non-ASCII text exercise the conversion. `avoid` keeps edits off the foreign block.
    """
    rng = random.Random(seed)
    candidates = [n for n, text in enumerate(lines) if text.strip() and n not in avoid]
    edits = []
    for _ in range(count // 2):
        line = rng.choice(candidates)
        text = lines[line]
        indent = len(text) - len(text.lstrip())
        column = utf16_len(text[: rng.randint(indent, len(text))])
        edits.append((line, column, rng.choice("abcdefxyz_")))  # insert
        edits.append((line, column, ""))  # delete what was just typed
    return edits


def insert_foreign_block(server: ServerProcess, uri: str, version: int, lines: list[str]) -> range:
    """Paste FOREIGN_BLOCK before a top-level definition (so the file stays valid Python),
    check it became the one foreign region, and mirror it in `lines`; returns its lines."""
    at = next(
        n for n in range(len(lines) // 100, len(lines)) if lines[n].startswith(("def ", "class "))
    )
    pasted = FOREIGN_BLOCK + "\n\n"
    server.change(uri, version, (at, 0), (at, 0), pasted)
    arrival = server.diagnostics_for(uri, version)
    if arrival.diagnostics != 1:
        raise RuntimeError(f"expected one foreign-region diagnostic, got {arrival.diagnostics}")
    lines[at:at] = pasted.split("\n")[:-1]
    return range(at - 1, at + pasted.count("\n") + 1)


def measure_change_latency(
    server: ServerProcess, folder: Path, edits: int, file_lines: int = 10_000
) -> dict:
    text = generate_python(file_lines, seed=1)
    path = folder / f"edited_{file_lines}.py"
    path.write_text(text, encoding="utf-8")
    uri, _ = server.open(path, text)
    server.diagnostics_for(uri, 1)
    lines = text.split("\n")
    block = insert_foreign_block(server, uri, 2, lines)
    warmup = 4  # the first edits touch code paths (and caches) that typing then reuses
    plan = typing_edits(lines, edits + warmup, avoid=block, seed=2)
    timed, wrong_counts = [], 0
    for version, (line, column, char) in enumerate(plan, start=3):
        end = (line, column) if char else (line, column + 1)
        sent = server.change(uri, version, (line, column), end, char)
        arrival = server.diagnostics_for(uri, version)
        wrong_counts += arrival.diagnostics != 1
        if version - 3 >= warmup:
            timed.append(((arrival.time - sent) * 1000, line, column, char, lines[line]))
        time.sleep(TYPING_GAP_S)
    latencies = [ms for ms, *_ in timed]
    return {
        "file_lines": len(lines),
        "file_chars": sum(len(line) + 1 for line in lines) - 1,
        "edits": len(latencies),
        "warmup_edits": warmup,
        "typing_gap_ms": TYPING_GAP_S * 1000,
        "median_ms": statistics.median(latencies),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "mean_ms": statistics.fmean(latencies),
        "publishes_without_the_one_diagnostic": wrong_counts,
        "slowest": [  # what was typed where: the tail is worth explaining
            {"ms": round(ms, 2), "line": line, "column": column, "typed": char, "text": text}
            for ms, line, column, char, text in sorted(timed, reverse=True)[:5]
        ],
        "rss_mb_after": server.rss_mb(),
    }


def measure_open_latency(server: ServerProcess, folder: Path, opens: int) -> dict:
    text = generate_python(10_000, seed=1)
    latencies = []
    for number in range(opens):
        path = folder / f"big_open_{number}.py"
        path.write_text(text, encoding="utf-8")
        uri, sent = server.open(path, text)
        latencies.append((server.diagnostics_for(uri, 1).time - sent) * 1000)
        server.close(uri)
        server.diagnostics_for(uri, None)  # closing clears them; let the close finish first
        time.sleep(0.05)
    return {
        "file_lines": 10_000,
        "file_chars": len(text),
        "opens": opens,
        "median_ms": statistics.median(latencies),
        "max_ms": max(latencies),
        "all_ms": [round(value, 2) for value in latencies],
    }


def measure_memory(server: ServerProcess, folder: Path, files: int, edits_each: int) -> dict:
    baseline = server.rss_mb()
    opened: list[tuple[str, list[str]]] = []
    for number in range(files):
        text = generate_python(2_000, seed=100 + number)  # distinct contents: no sharing
        path = folder / f"module_{number:02d}.py"
        path.write_text(text, encoding="utf-8")
        uri, _ = server.open(path, text)
        server.diagnostics_for(uri, 1)
        opened.append((uri, text.split("\n")))
    time.sleep(1.0)  # let the store flush run
    after_open = server.rss_mb()
    for number, (uri, lines) in enumerate(opened):
        block = insert_foreign_block(server, uri, 2, lines)
        plan = typing_edits(lines, edits_each, avoid=block, seed=number)
        for version, (line, column, char) in enumerate(plan, start=3):
            end = (line, column) if char else (line, column + 1)
            server.change(uri, version, (line, column), end, char)
            server.diagnostics_for(uri, version)
    time.sleep(1.0)
    after_edits = server.rss_mb()
    return {
        "files": files,
        "lines_each": 2_000,
        "edits_each": edits_each + 1,
        "rss_mb_after_initialize": baseline,
        "rss_mb_after_open": after_open,
        "rss_mb_after_edits": after_edits,
        "peak_rss_mb": peak_rss_mb(server.pid),
    }


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile: a value that was actually measured."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


def peak_rss_mb(pid: int) -> float | None:
    """The kernel's high-water mark of resident memory (Linux only)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


# -- running and reporting ------------------------------------------------------------------


def start_server(root: Path, name: str, profile: Path | None = None) -> ServerProcess:
    home, workspace = root / f"{name}-home", root / f"{name}-workspace"
    home.mkdir()
    workspace.mkdir()
    server = ServerProcess(home, workspace, profile)
    server.initialize()
    return server


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": _cpu_model() or platform.processor() or platform.machine(),
        "nproc": os.cpu_count(),
    }


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def run(quick: bool, profile: Path | None) -> dict:
    edits, opens, files = (50, 4, 50) if quick else (300, 10, 50)
    with tempfile.TemporaryDirectory(prefix="mindgap-bench-") as temp:
        root = Path(temp)
        server = start_server(root, "latency", profile)
        try:
            opened = measure_open_latency(server, root / "latency-workspace", opens)
            changed = measure_change_latency(server, root / "latency-workspace", edits)
            # The same typing in a small file: the part of the latency that is not size.
            floor = measure_change_latency(server, root / "latency-workspace", edits, 100)
        finally:
            server.stop()
        server = start_server(root, "memory")
        try:
            memory = measure_memory(server, root / "memory-workspace", files, edits_each=4)
        finally:
            server.stop()
    measured = {
        "didChange p50": changed["median_ms"],
        "didChange p95": changed["p95_ms"],
        "didOpen 10k lines (max)": opened["max_ms"],
        "RSS, 50 files open": max(memory["rss_mb_after_open"], memory["rss_mb_after_edits"]),
    }
    return {
        "machine": machine(),
        "quick": quick,
        "note": "latencies are client-observed round trips over stdio: an upper bound of "
        "server-side time",
        "did_change": changed,
        "did_change_small_file": floor,
        "did_open": opened,
        "memory": memory,
        "budgets": [
            {
                "budget": name,
                "measured": round(measured[name], 2),
                "limit": limit,
                "unit": unit,
                "ok": measured[name] <= limit,
            }
            for name, (limit, unit) in BUDGETS.items()
        ],
    }


def print_report(results: dict) -> None:
    m, c, o, mem = results["machine"], results["did_change"], results["did_open"], results["memory"]
    print(f"Python {m['python']} ({m['implementation']}) on {m['platform']}")
    print(f"CPU: {m['processor']}, nproc={m['nproc']}")
    print(f"Note: {results['note']}.")
    print()
    print(
        f"didChange -> publishDiagnostics, {c['file_lines']}-line file, {c['edits']} one-char "
        f"edits ({c['warmup_edits']} warm-up edits not counted, {c['typing_gap_ms']:.0f} ms apart):"
    )
    print(
        f"  median {c['median_ms']:.2f} ms, p95 {c['p95_ms']:.2f} ms, max {c['max_ms']:.2f} ms, "
        f"mean {c['mean_ms']:.2f} ms; publishes without the one diagnostic: "
        f"{c['publishes_without_the_one_diagnostic']}"
    )
    for slow in c["slowest"][:3]:
        where = f"{slow['line']}:{slow['column']} in {slow['text'].strip()!r}"
        action = f"typing {slow['typed']!r}" if slow["typed"] else "deleting a character"
        print(f"    slow: {slow['ms']:.1f} ms, {action} at {where}")
    f = results["did_change_small_file"]
    print(
        f"  the same typing in a {f['file_lines']}-line file (fixed cost): median "
        f"{f['median_ms']:.2f} ms, p95 {f['p95_ms']:.2f} ms, max {f['max_ms']:.2f} ms"
    )
    print(f"didOpen -> publishDiagnostics, {o['file_lines']}-line file, {o['opens']} opens:")
    print(f"  median {o['median_ms']:.2f} ms, max {o['max_ms']:.2f} ms ({o['all_ms']})")
    print(f"Resident memory, {mem['files']} files of {mem['lines_each']} lines:")
    print(
        f"  after initialize {mem['rss_mb_after_initialize']:.1f} MB, after opening "
        f"{mem['rss_mb_after_open']:.1f} MB, after {mem['edits_each']} edits each "
        f"{mem['rss_mb_after_edits']:.1f} MB"
        + (f", peak {mem['peak_rss_mb']:.1f} MB" if mem["peak_rss_mb"] else "")
    )
    print()
    print("| budget | measured | limit | ok |")
    print("|---|---:|---:|:---:|")
    for row in results["budgets"]:
        unit = row["unit"]
        ok = "yes" if row["ok"] else "NO"
        print(
            f"| {row['budget']} | {row['measured']:.2f} {unit} | {row['limit']:.0f} {unit} | {ok} |"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a short run (50 edits, 4 opens)")
    parser.add_argument(
        "--profile", type=Path, help="run the latency server under cProfile, stats to this file"
    )
    args = parser.parse_args()
    results = run(args.quick, args.profile.resolve() if args.profile else None)
    print_report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten to {RESULTS}")
    return 0 if all(row["ok"] for row in results["budgets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
