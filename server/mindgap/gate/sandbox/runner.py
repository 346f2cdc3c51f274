"""The parent's side of the sandbox: sessions, the protocol, bounds, and one outcome cache.

A `Sandbox` is a session: its supervisors (one per round; two rounds run at once in two
sandboxes, so with different hash seeds and addresses, and a call whose outcome differs
between them is `unstable`) start on the first run and serve every later run until `close()`:
a whole quiz pays the start-up once. Outcomes come only from the supervisors' channel pipes -
never from anything the code prints - as length-prefixed frames, each bounded in size, parsed
defensively and checked field by field; a frame that breaks the rules ends that session (its
remaining calls are errors), never the caller. A wall clock bounds every run.

Every run's outcomes, failures and time-outs included, are cached by the exact request: the
same code is never run twice for two question types, and code that hangs hangs once.
"""

from __future__ import annotations
import __future__

import ast
import contextlib
import hashlib
import json
import logging
import math
import os
import select
import signal
import subprocess
import textwrap
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from pathlib import Path

from mindgap.gate.sandbox import child, isolation, seccomp
from mindgap.gate.sandbox.policy import (
    ALLOWED_MODULES,
    DENIED_ATTRIBUTES,
    check_code,
    check_expression,
)
from mindgap.gate.sandbox.policy import python_walls as policy_walls

log = logging.getLogger(__name__)

CHILD_SOURCE = Path(child.__file__).read_text(encoding="utf-8")
MAX_FRAME_BYTES = 128 * 1024
START_SECONDS = 5.0  # for the sandbox to start, on a loaded machine
CACHE_SIZE = 512


@dataclass(frozen=True)
class Outcome:
    """What one call did in the sandbox."""

    kind: str  # "value", "raised", "timeout", "refused", "error" or "unstable"
    value: str | None = None  # repr of the returned value (kind "value")
    exception: str | None = None  # the exception's type name (kind "raised")
    message: str = ""  # str() of the exception, capped; why, for "refused"/"error"
    line: int | None = None  # where the called function returned or raised (definitions line)
    output: str = ""  # what the call printed, capped
    lines: tuple[int, ...] = ()  # the definitions' lines the call executed (coverage)
    # an object of the code's own classes: the reprs of its public plain attributes
    view: tuple[tuple[str, str], ...] = ()

    @property
    def returned(self) -> bool:
        return self.kind == "value"

    @property
    def raised(self) -> bool:
        return self.kind == "raised"

    def describe(self) -> str:
        """The outcome as a quiz answer: "returns 4", "raises ValueError"."""
        if self.kind == "value":
            return f"returns {self.value}"
        if self.kind == "raised":
            return f"raises {self.exception}"
        return {"timeout": "does not finish"}.get(self.kind, self.kind)


@dataclass(frozen=True)
class Limits:
    # CPU seconds (a busy machine does not turn slow calls into timeouts)
    call_seconds: float = 0.25  # one call (definitions included); then it is a "timeout"
    run_seconds: float = 3.0  # the whole batch's CPU time
    # wall-clock seconds: code that blocks without using CPU (a lock, a sleep) is cut here
    call_wall_seconds: float = 1.0
    batch_wall_seconds: float = 5.0
    memory_bytes: int = 256 * 1024 * 1024  # address space of a worker
    open_files: int = 16
    output_bytes: int = 1_000_000  # everything one supervisor may send back for a batch
    repr_chars: int = 400  # longer values come back truncated and flagged


class SandboxFailure(OSError):
    """The sandbox could not be started."""


# -- the sandbox command ----------------------------------------------------------------------

# A `sandbox_command` setting's words; () is bubblewrap. Every session runs under the one in
# force where it was made, and sessions under different commands share nothing: the server's
# workspace folders may each have their own while their quizzes overlap.
_process_command: tuple[str, ...] = ()
_command_here: ContextVar[tuple[str, ...] | None] = ContextVar("sandbox_command", default=None)


def use_sandbox_command(command: list[str]) -> None:
    """The process's `sandbox_command` setting: another sandbox instead of bubblewrap (empty:
    bwrap). Idle sandboxes started under the previous setting are ended."""
    global _process_command
    wanted = tuple(command)
    if wanted != _process_command:
        previous, _process_command = _process_command, wanted
        _end_idle(previous)
        reset_availability()


@contextlib.contextmanager
def sandboxes_under(command: list[str]) -> Iterator[None]:
    """The sessions this thread makes inside run under `command` (empty: bubblewrap) instead
    of the process's setting: a job of one workspace folder, with that folder's setting."""
    token = _command_here.set(tuple(command))
    try:
        yield
    finally:
        _command_here.reset(token)


def command_in_force() -> tuple[str, ...]:
    here = _command_here.get()
    return _process_command if here is None else here


# -- availability -----------------------------------------------------------------------------

_availability_lock = threading.Lock()
# command -> (whether a sandbox started and ran `1 + 1`, why not, when that was probed)
_availability: dict[tuple[str, ...], tuple[bool, str, float]] = {}
RETRY_SECONDS = 300.0  # a failed probe (a machine too busy to start one in time) is retried


def sandbox_available() -> bool:
    """Whether foreign code can be run at all: an operating-system sandbox started here under
    the command in force and ran `1 + 1` (checked once per process and command, a failure
    again after RETRY_SECONDS). Where it cannot, nothing runs."""
    return _probed(command_in_force())[0]


def unavailable_reason() -> str:
    """Why nothing runs, with what to do about it ("" when the sandbox works)."""
    return _probed(command_in_force())[1]


def _probed(command: tuple[str, ...]) -> tuple[bool, str, float]:
    with _availability_lock:
        known = _availability.get(command)
        stale = known is not None and not known[0] and time.monotonic() - known[2] > RETRY_SECONDS
        if known is None or stale:
            works, reason = _probe()
            known = _availability[command] = (works, reason, time.monotonic())
            if not works:
                log.info("no operating-system sandbox: %s", reason)
        return known


def reset_availability() -> None:
    """Forget the probes (after the sandbox command setting changed)."""
    with _availability_lock:
        _availability.clear()


def _probe() -> tuple[bool, str]:
    # Two sandboxes, started at once: the pool keeps them for the first quiz, which runs
    # every batch in two (a one-shot `mindgap quiz` then starts none after the probe).
    try:
        with Sandbox(rounds=2) as sandbox:  # never from the cache: a sandbox must start
            outcomes = sandbox._execute(_request("", ["1 + 1"], None, sandbox.limits), 1, 2)[0]
    except (isolation.IsolationUnavailable, seccomp.SeccompUnavailable, SandboxFailure) as error:
        return False, str(error)
    except OSError as error:
        return False, f"the sandbox could not be started: {error}"
    if outcomes[0].value != "2":
        return (
            False,
            f"the sandbox did not run a test call ({outcomes[0].message or outcomes[0].kind})",
        )
    return True, ""


def prepare_sandbox(code_text: str) -> Sandbox | None:
    """A sandbox session for this code, or None when the static check refuses it or no
    operating-system sandbox exists here: then no execution-based question is asked."""
    if not check_code(code_text) or not sandbox_available():
        return None
    return Sandbox()


# -- the cache ---------------------------------------------------------------------------------

_cache_lock = threading.Lock()
_cache: OrderedDict[str, list[Outcome]] = OrderedDict()


def _cached(key: str) -> list[Outcome] | None:
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
        return found


def forget_outcomes() -> None:
    """Empties the cache (benchmarks that must pay for every run)."""
    with _cache_lock:
        _cache.clear()


def _remember(key: str, outcomes: list[Outcome]) -> None:
    with _cache_lock:
        _cache[key] = outcomes
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)


# -- sessions -----------------------------------------------------------------------------------


class Sandbox:
    """A session of one or more supervisors, taken from the pool on first use; see the
    module doc. Not for use by two threads at once. Given back by `close()`, `with`, or
    when collected."""

    def __init__(
        self, limits: Limits | None = None, *, rounds: int = 2, python_walls: bool = True
    ) -> None:
        self.limits = limits or Limits()
        self.rounds = max(1, rounds)
        self.command = command_in_force()
        # Off only in tests that prove the operating system's wall holds by itself.
        self.python_walls = python_walls and policy_walls()
        self._supervisors: list[_Supervisor] = []
        self._finalizer = weakref.finalize(self, _give_back, self._supervisors)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._finalizer()

    def run(
        self,
        definitions: str,
        calls: list[str],
        *,
        rounds: int | None = None,
        groups: list[str] | None = None,
    ) -> list[Outcome]:
        """Evaluate each call in a fresh namespace holding `definitions`, all calls in one
        batch, the batch in `rounds` sandboxes at once; one Outcome per call, in order.

        Everything passes the first filter again here: refused definitions give "refused"
        for every call, a refused call "refused" for itself. Top-level statements of
        `definitions` that fail only lose the names they would define. A call whose outcome
        differs between rounds is "unstable". `groups` (one label per call, e.g. the
        function called) lets a call that times out spare the batch the rest of its group:
        they are "timeout" unrun."""
        if not calls:
            return []
        verdict = check_code(definitions)
        if self.python_walls and not verdict:
            return [Outcome("refused", message=verdict.reason) for _ in calls]
        verdicts = [check_expression(call if self.python_walls else "0") for call in calls]
        runnable = [i for i, v in enumerate(verdicts) if v]
        outcomes = [Outcome("refused", message=v.reason) for v in verdicts]
        if runnable:
            selected = [calls[i] for i in runnable]
            labels = [groups[i] for i in runnable] if groups is not None else None
            found = self.run_unchecked(definitions, selected, rounds=rounds, groups=labels)
            for position, index in enumerate(runnable):
                outcomes[index] = found[position]
        return outcomes

    def run_unchecked(
        self,
        definitions: str,
        calls: list[str],
        *,
        rounds: int | None = None,
        groups: list[str] | None = None,
    ) -> list[Outcome]:
        """`run` without the first filter (callers filter first): the OS sandbox only."""
        rounds = min(self.rounds, rounds or self.rounds)
        request = _request(definitions, calls, groups, self.limits)
        key = hashlib.sha256(
            json.dumps(
                [request, rounds, self.python_walls, asdict(self.limits), self.command]
            ).encode()
        ).hexdigest()
        cached = _cached(key)
        if cached is not None:
            return cached
        runs = self._execute(request, len(calls), rounds)
        outcomes = [_agree([run[i] for run in runs]) for i in range(len(calls))]
        _remember(key, outcomes)
        if log.isEnabledFor(logging.INFO):
            log.info("sandbox ran %d call(s) in %d round(s):", len(calls), rounds)
            for call, outcome in zip(calls, outcomes, strict=True):
                detail = outcome.value or outcome.exception or outcome.message
                log.info("  %s -> %s %s", call[:80], outcome.kind, (detail or "")[:80])
        return outcomes

    def _execute(self, request: dict[str, object], count: int, rounds: int) -> list[list[Outcome]]:
        supervisors = self._ready(rounds)
        deadline = time.monotonic() + self.limits.batch_wall_seconds + 2.0
        for supervisor in supervisors:
            supervisor.send(request)
        return [supervisor.collect(count, deadline, self.limits) for supervisor in supervisors]

    def _ready(self, rounds: int) -> list[_Supervisor]:
        """`rounds` live supervisors: idle ones from the pool, new ones started at once."""
        self._supervisors[:] = [
            s for s in self._supervisors if s.alive and s.process.poll() is None
        ]
        while len(self._supervisors) < rounds:
            idle = _borrow(self.command, self.python_walls)
            if idle is None:
                break
            self._supervisors.append(idle)
        missing = rounds - len(self._supervisors)
        starting = [_Supervisor(self.python_walls, self.command) for _ in range(missing)]
        self._supervisors.extend(starting)
        deadline = time.monotonic() + START_SECONDS
        for supervisor in starting:
            supervisor.wait_ready(deadline)
        return self._supervisors[:rounds]


# Supervisors never run foreign code (each batch runs in workers they fork afresh), so one
# can serve quiz after quiz: only the first quiz of a process pays for starting sandboxes.
# Idle ones wait here, oldest first, each lent only to a session of its own command.
_pool_lock = threading.Lock()
_pool: list[_Supervisor] = []
POOL_SIZE = 4


def _borrow(command: tuple[str, ...], python_walls: bool) -> _Supervisor | None:
    """An idle supervisor of `command` with these walls; those of `command` passed over on
    the way (ended, or the other walls) are ended. Other commands' are left alone."""
    with _pool_lock:
        for supervisor in [s for s in _pool if s.command == command]:
            _pool.remove(supervisor)
            running = supervisor.alive and supervisor.process.poll() is None
            if running and supervisor.python_walls == python_walls:
                return supervisor
            supervisor.kill()
    return None


def _give_back(supervisors: list[_Supervisor]) -> None:
    with _pool_lock:
        for supervisor in supervisors:
            if supervisor.alive:
                _pool.append(supervisor)
            else:
                supervisor.kill()
        while len(_pool) > POOL_SIZE:  # the longest idle makes room
            _pool.pop(0).kill()
    supervisors.clear()


def _end_idle(command: tuple[str, ...]) -> None:
    with _pool_lock:
        for supervisor in [s for s in _pool if s.command == command]:
            _pool.remove(supervisor)
            supervisor.kill()


def shutdown_pool() -> None:
    """Ends every idle sandbox (at the server's exit; they also die with the process)."""
    with _pool_lock:
        for supervisor in _pool:
            supervisor.kill()
        _pool.clear()


# bubblewrap's --die-with-parent ends a sandbox when the THREAD that started it ends: every
# sandbox is started by this one thread, which lives as long as the process.
_STARTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mindgap-sandbox")


class _Supervisor:
    """One sandbox: the bubblewrap process, its request pipe and its channel pipe."""

    def __init__(self, python_walls: bool, command: tuple[str, ...]) -> None:
        self.python_walls = python_walls
        self.command = command
        self.requests = 0
        self.alive = True
        reader, writer = os.pipe()
        seccomp_fd = -1
        try:
            if not command:  # bubblewrap: the supervisor filter from its first instruction
                seccomp_fd = os.memfd_create("mindgap-seccomp", 0)
                os.write(seccomp_fd, seccomp.supervisor_filter())
                os.lseek(seccomp_fd, 0, os.SEEK_SET)
            arguments = isolation.command(seccomp_fd if seccomp_fd >= 0 else None, command)
            arguments += ["-I", "-S", "-B", "-X", "utf8", "-c", CHILD_SOURCE, str(writer)]
            self.process = _STARTER.submit(
                subprocess.Popen,
                arguments,
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                pass_fds=tuple(fd for fd in (seccomp_fd, writer) if fd >= 0),
                start_new_session=True,  # its own process group, killed as one
                env={},
                cwd="/",
            ).result()
        except BaseException:
            os.close(reader)
            raise
        finally:
            os.close(writer)
            if seccomp_fd >= 0:
                os.close(seccomp_fd)
        self.channel = reader
        self.buffer = bytearray()
        self.errors = bytearray()
        self._write(
            _frame({"worker_filter": seccomp.worker_filter().hex(), "python_walls": python_walls})
        )

    def send(self, request: dict[str, object]) -> None:
        self.requests += 1
        self._write(_frame({**request, "id": self.requests}))

    def _write(self, payload: bytes) -> None:
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(payload)
            self.process.stdin.flush()
        except OSError:
            self.alive = False

    def wait_ready(self, deadline: float) -> None:
        frame = self._next_frame(deadline)
        if frame is None or frame.get("ready") is not True:
            self.kill()
            reason = bytes(self.errors).decode("utf-8", "replace").strip().splitlines()
            detail = reason[-1] if reason else "it did not answer"
            raise SandboxFailure(f"the sandbox could not be started: {detail}")

    def collect(self, count: int, deadline: float, limits: Limits) -> list[Outcome]:
        """The batch's outcomes; calls the supervisor never reported are errors."""
        found: dict[int, Outcome] = {}
        received = 0
        while self.alive:
            frame = self._next_frame(deadline)
            if frame is None:
                break
            if frame.get("done") == self.requests:
                break
            received += len(json.dumps(frame))
            index = frame.get("i")
            record = child.accepted(json.dumps(frame).encode(), index)
            if (
                record is None
                or not isinstance(index, int)
                or not 0 <= index < count
                or received > limits.output_bytes
            ):
                log.warning("the sandbox broke its protocol: session ended")
                self.kill()
                break
            found.setdefault(index, _outcome(record))
        if len(found) < count and self.alive:
            self.kill()  # out of time: whatever it still does is of no use
        missing = Outcome("error", message="the sandbox did not report this call")
        return [found.get(i, missing) for i in range(count)]

    def _next_frame(self, deadline: float) -> dict[str, object] | None:
        while True:
            if len(self.buffer) >= 4:
                size = int.from_bytes(self.buffer[:4], "big")
                if size > MAX_FRAME_BYTES:
                    self.kill()
                    return None
                if len(self.buffer) >= 4 + size:
                    raw = bytes(self.buffer[4 : 4 + size])
                    del self.buffer[: 4 + size]
                    try:
                        frame = json.loads(raw)
                    except (ValueError, RecursionError, MemoryError):
                        frame = None
                    if not isinstance(frame, dict):
                        self.kill()
                        return None
                    return frame
            if not self._read(deadline):
                return None

    def _read(self, deadline: float) -> bool:
        """More bytes from the channel (stderr drained on the way); False: none will come."""
        stderr = self.process.stderr
        assert stderr is not None
        while self.alive:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                return False
            watched = [self.channel, stderr.fileno()]
            ready, _, _ = select.select(watched, [], [], remaining)
            if stderr.fileno() in ready:
                block = os.read(stderr.fileno(), 4096)
                if len(self.errors) < 8192:
                    self.errors += block
            if self.channel in ready:
                block = os.read(self.channel, 65536)
                if not block:
                    self.kill()
                    return False
                self.buffer += block
                return True
        return False

    def kill(self) -> None:
        if not self.alive and self.process.returncode is not None:
            return
        self.alive = False
        with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()  # SIGKILL: it is gone at once; bubblewrap takes the sandbox along
        for stream in (self.process.stdin, self.process.stderr):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        with contextlib.suppress(OSError):
            os.close(self.channel)


def _frame(record: dict[str, object]) -> bytes:
    data = json.dumps(record, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return len(data).to_bytes(4, "big") + data


def _outcome(record: dict[str, object]) -> Outcome:
    def text(key: str) -> str | None:
        value = record.get(key)
        return value if isinstance(value, str) else None

    line = record.get("line")
    lines = record.get("lines")
    view = record.get("view")
    return Outcome(
        kind=str(record["kind"]),
        value=text("value"),
        exception=text("exception"),
        message=text("message") or "",
        line=line if isinstance(line, int) else None,
        output=text("output") or "",
        lines=tuple(lines) if isinstance(lines, list) else (),
        view=tuple((k, v[:200]) for k, v in list(view.items())[:8] if isinstance(v, str))
        if isinstance(view, dict)
        else (),
    )


def _agree(outcomes: list[Outcome]) -> Outcome:
    first = outcomes[0]
    for other in outcomes[1:]:
        if other.view != first.view:
            return Outcome("unstable", message=f"{first.describe()} / {other.describe()}")
        if (other.kind, other.value, other.exception, other.line) != (
            first.kind,
            first.value,
            first.exception,
            first.line,
        ):
            # an object whose repr holds its address: its view, the same each time, stays
            return Outcome("unstable", message=first.describe(), view=first.view)
    return first


# -- the request --------------------------------------------------------------------------------


def _request(
    definitions: str, calls: list[str], groups: list[str] | None, limits: Limits
) -> dict[str, object]:
    text = textwrap.dedent(definitions)
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        tree = ast.Module(body=[], type_ignores=[])
        text = ""
    return {
        "chunks": _chunks(text, tree),
        "calls": calls,
        "groups": groups if groups is not None else [str(i) for i in range(len(calls))],
        "call_seconds": limits.call_seconds,
        "run_seconds": limits.run_seconds,
        "call_wall_seconds": limits.call_wall_seconds,
        "start_wall_seconds": 1.0,
        "batch_wall_seconds": limits.batch_wall_seconds,
        "memory_bytes": limits.memory_bytes,
        "open_files": limits.open_files,
        "cpu_seconds": math.ceil(limits.run_seconds) + 2,  # a worker's backstop: its batch
        "repr_chars": limits.repr_chars,
        "future_flags": __future__.annotations.compiler_flag if _future(tree) else 0,
        "postponed_flag": __future__.annotations.compiler_flag,
        "allowed_modules": sorted(ALLOWED_MODULES),
        "denied_module_attributes": sorted(DENIED_ATTRIBUTES),
        "imports": _imports(tree),
    }


def _imports(tree: ast.Module) -> list[str]:
    """The allowed modules the code imports, which the supervisor loads before any worker."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return sorted(names & ALLOWED_MODULES)


def _chunks(text: str, tree: ast.Module) -> list[dict[str, object]]:
    """Top-level statements as separately executed chunks that keep their line numbers.

    A definition whose annotations name something missing (a type from a module that is not
    run) is retried with postponed annotations: it then still defines its function."""
    lines = text.splitlines(keepends=True)
    spans: list[list[int]] = []  # first line, last line, 1 if only definitions
    for statement in tree.body:
        first = min([statement.lineno, *(d.lineno for d in _decorators(statement))])
        last = statement.end_lineno or statement.lineno
        definition = int(isinstance(statement, (ast.FunctionDef, ast.ClassDef)))
        if spans and first <= spans[-1][1]:  # statements sharing a line: one chunk
            spans[-1][1] = max(spans[-1][1], last)
            spans[-1][2] &= definition
        else:
            spans.append([first, last, definition])
    return [
        {"line": first, "source": "".join(lines[first - 1 : last]), "retry": bool(definition)}
        for first, last, definition in spans
    ]


def _future(tree: ast.Module) -> bool:
    return any(
        isinstance(statement, ast.ImportFrom)
        and statement.module == "__future__"
        and any(alias.name == "annotations" for alias in statement.names)
        for statement in tree.body
    )


def _decorators(statement: ast.stmt) -> list[ast.expr]:
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return statement.decorator_list
    return []
