"""Running foreign Python code for quiz answer keys, never in the server's own process.

Four walls, each enough against honest AI-written code that happens to do I/O, together a
serious obstacle to code that tries to get out:

1. A static check (`check_code`, stdlib `ast`: parsing does not execute) refuses code that
   imports anything but pure modules, names open/eval/exec/__import__/getattr and friends or
   side-effecting modules (os, sys, subprocess, socket...), reads dunder attributes other than
   a few harmless ones (`__class__`, `__subclasses__`, `__globals__`... are the classic ways
   out), or touches frame and traceback internals. Code it refuses is never run.
2. Inside the child, the code runs with a restricted builtins dict (no open, eval, exec...),
   an `__import__` that only hands out copies of the allowed modules with their private and
   module-valued attributes stripped (`typing.sys` does not exist there), and `print` writing
   to a capped buffer.
3. An audit hook (PEP 578, cannot be removed once added) in the child refuses writes and any
   file outside the standard library, process creation, sockets, ctypes and the rest of the
   side-effecting events, whatever path the code took to reach them.
4. The child is a separate `python -I -S` process in its own process group, started in a
   fresh empty temporary directory that is removed afterwards, under resource limits set by
   the child itself before any foreign code runs (CPU seconds, address space, file size 0, no
   new processes, few open files, no core dumps), with a per-call CPU-time timer, a
   wall-clock deadline after which the whole group is killed, and capped output. (The
   process limit does not bind root, which Linux exempts: walls 1 and 3 stop forks there.)

The parent and the child speak JSON over stdin/stdout (never pickle). Every batch runs in two
processes at once (different hash seeds, different addresses): a call whose outcome differs
between them is `unstable` and gives no question.
"""

from __future__ import annotations
import __future__

import ast
import contextlib
import json
import math
import os
import re
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass

ALLOWED_MODULES = frozenset(
    {
        "__future__",
        "abc",
        "bisect",
        "cmath",
        "collections",
        "collections.abc",
        "copy",
        "dataclasses",
        "datetime",
        "decimal",
        "enum",
        "fractions",
        "functools",
        "heapq",
        "itertools",
        "json",
        "math",
        "numbers",
        "operator",
        "random",
        "re",
        "statistics",
        "string",
        "textwrap",
        "typing",
        "unicodedata",
    }
)

# Builtins that reach outside the code (files, input, the interpreter) or run or look up
# code by name; refused wherever they are named.
DENIED_BUILTINS = frozenset(
    {
        "__build_class__",
        "__builtins__",
        "__import__",
        "__loader__",
        "__spec__",
        "breakpoint",
        "compile",
        "copyright",
        "credits",
        "delattr",
        "dir",
        "eval",
        "exec",
        "exit",
        "getattr",
        "globals",
        "help",
        "input",
        "license",
        "locals",
        "memoryview",
        "open",
        "quit",
        "setattr",
        "vars",
    }
)

# Modules with side effects: refused as imports and as names (a region may use a module that
# the file imports elsewhere).
DENIED_MODULE_NAMES = frozenset(
    {
        "asyncio",
        "builtins",
        "code",
        "codeop",
        "concurrent",
        "ctypes",
        "fcntl",
        "ftplib",
        "gc",
        "glob",
        "http",
        "importlib",
        "inspect",
        "io",
        "logging",
        "marshal",
        "mmap",
        "msvcrt",
        "multiprocessing",
        "nt",
        "os",
        "pathlib",
        "pdb",
        "pickle",
        "platform",
        "posix",
        "pty",
        "requests",
        "resource",
        "runpy",
        "select",
        "selectors",
        "shelve",
        "shutil",
        "signal",
        "smtplib",
        "socket",
        "sqlite3",
        "ssl",
        "subprocess",
        "sys",
        "sysconfig",
        "tempfile",
        "threading",
        "types",
        "urllib",
        "webbrowser",
        "winreg",
        "zipfile",
    }
)

# Attribute names that reach frames, code and globals, perform I/O on whatever object has
# them, or look attributes up by a string.
DENIED_ATTRIBUTES = frozenset(
    {
        "ForwardRef",
        "Formatter",  # string.Formatter().get_field("0.__class__", ...) is getattr by string
        "ag_code",
        "ag_frame",
        "attrgetter",
        "chdir",
        "chmod",
        "chown",
        "co_code",
        "connect",
        "cr_await",
        "cr_code",
        "cr_frame",
        "create_connection",
        "exec_module",
        "f_back",
        "f_builtins",
        "f_code",
        "f_globals",
        "f_locals",
        "f_trace",
        "fork",
        "forkpty",
        "func_globals",
        "get_field",
        "get_type_hints",
        "getaddrinfo",
        "gi_code",
        "gi_frame",
        "gi_yieldfrom",
        "kill",
        "killpg",
        "load_module",
        "makedirs",
        "methodcaller",
        "mkdir",
        "open",
        "popen",
        "read_bytes",
        "read_text",
        "rmdir",
        "rmtree",
        "system",
        "tb_frame",
        "tb_next",
        "unlink",
        "urlopen",
        "write_bytes",
        "write_text",
    }
)

# Dunder attributes that only run the object's own protocol methods (super().__init__(...)),
# never reach a class, its subclasses, a function's globals or code.
SAFE_DUNDER_ATTRIBUTES = frozenset(
    {
        "__add__",
        "__contains__",
        "__delitem__",
        "__doc__",
        "__enter__",
        "__eq__",
        "__exit__",
        "__ge__",
        "__getitem__",
        "__gt__",
        "__hash__",
        "__init__",
        "__init_subclass__",
        "__iter__",
        "__le__",
        "__len__",
        "__lt__",
        "__mul__",
        "__name__",
        "__ne__",
        "__new__",
        "__next__",
        "__post_init__",
        "__qualname__",
        "__repr__",
        "__set_name__",
        "__setitem__",
        "__str__",
        "__sub__",
    }
)
SAFE_DUNDER_NAMES = frozenset(
    {"__name__", "__debug__", "__doc__", "__slots__", "__all__", "__version__", "__hash__"}
)
_DUNDER = re.compile(r"^__\w+__$")
_DUNDER_IN_TEXT = re.compile(r"__[A-Za-z_]\w*__")
_MAX_CODE_CHARS = 200_000


@dataclass(frozen=True)
class Verdict:
    """The static check's judgement: safe to run in the sandbox, or why not."""

    safe: bool
    reason: str = ""
    line: int | None = None  # 1-based, in the checked text

    def __bool__(self) -> bool:
        return self.safe


SAFE = Verdict(True)


class _Refusal(Exception):
    def __init__(self, reason: str, node: ast.AST | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line: int | None = getattr(node, "lineno", None)


class _Checker(ast.NodeVisitor):
    def __init__(self) -> None:
        self.docstrings: set[int] = set()

    def refuse(self, reason: str, node: ast.AST) -> None:
        raise _Refusal(reason, node)

    def check_module_name(self, name: str, node: ast.AST) -> None:
        if name not in ALLOWED_MODULES:
            self.refuse(f"imports {name} (only pure modules such as math or re are run)", node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.check_module_name(alias.name, node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            self.refuse("has a relative import", node)
        module = node.module or ""
        self.check_module_name(module, node)
        for alias in node.names:
            name = alias.name
            if name == "*":
                self.refuse(f"imports * from {module}", node)
            if module == "__future__":
                continue
            if f"{module}.{name}" in ALLOWED_MODULES:
                continue
            if name.startswith("_") or name in DENIED_ATTRIBUTES or name in DENIED_MODULE_NAMES:
                self.refuse(f"imports {name} from {module}", node)

    def visit_Name(self, node: ast.Name) -> None:
        name = node.id
        if name in DENIED_BUILTINS:
            self.refuse(f"uses {name}", node)
        if name in DENIED_MODULE_NAMES:
            self.refuse(f"uses the module {name}", node)
        stored = isinstance(node.ctx, ast.Store) and name not in {"__class__", "__dict__"}
        if _DUNDER.match(name) and name not in SAFE_DUNDER_NAMES and not stored:
            self.refuse(f"uses the name {name}", node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attribute = node.attr
        if attribute in DENIED_ATTRIBUTES:
            self.refuse(f"uses the attribute .{attribute}", node)
        if _DUNDER.match(attribute) and attribute not in SAFE_DUNDER_ATTRIBUTES:
            self.refuse(f"reads the attribute {attribute}", node)
        if attribute in DENIED_MODULE_NAMES:  # typing.sys, dataclasses.inspect
            self.refuse(f"reaches the module {attribute}", node)
        base = node.value.id if isinstance(node.value, ast.Name) else ""
        if attribute.startswith("_") and base in ALLOWED_MODULES:
            # collections._sys, random._os: a module's private names are its own imports
            self.refuse(f"reads the private attribute {base}.{attribute}", node)
        if (
            attribute in {"__name__", "__qualname__"}
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "__class__"
        ):
            self.visit(node.value.value)  # self.__class__.__name__ only reads a name
        else:
            self.visit(node.value)

    def visit_MatchClass(self, node: ast.MatchClass) -> None:
        for attribute in node.kwd_attrs:  # case C(attr=...) looks attributes up by name
            if _DUNDER.match(attribute) or attribute in DENIED_ATTRIBUTES:
                self.refuse(f"matches on the attribute {attribute}", node)
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        # "{0.__class__}".format(x) and friends reach dunders through a string
        value = node.value
        if isinstance(value, str) and id(node) not in self.docstrings:
            for found in _DUNDER_IN_TEXT.findall(value):
                if found not in {"__main__", "__name__", "__init__"}:
                    self.refuse(f"has a string naming {found}", node)

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in DENIED_BUILTINS or _DUNDER.match(name):
                self.refuse(f"declares global {name}", node)

    def generic_visit(self, node: ast.AST) -> None:
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            first = body[0].value
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                self.docstrings.add(id(first))
        super().generic_visit(node)


def _parse(code_text: str, mode: str) -> ast.AST | Verdict:
    if len(code_text) > _MAX_CODE_CHARS:
        return Verdict(False, "is too long to run")
    try:
        return ast.parse(code_text, mode=mode)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        if mode == "exec":
            dedented = textwrap.dedent(code_text)
            if dedented != code_text:
                return _parse(dedented, mode)
        return Verdict(False, f"does not parse: {error}", getattr(error, "lineno", None))


def _judge(tree: ast.AST | Verdict) -> Verdict:
    if isinstance(tree, Verdict):
        return tree
    try:
        _Checker().visit(tree)
    except _Refusal as refusal:
        return Verdict(False, refusal.reason, refusal.line)
    except RecursionError:
        return Verdict(False, "is nested too deeply to check")
    return SAFE


def check_code(code_text: str) -> Verdict:
    """Whether Python code (statements; an indented fragment is dedented) may be run."""
    return _judge(_parse(code_text, "exec"))


def check_expression(expression: str) -> Verdict:
    """Whether one Python expression (a call the quiz wants evaluated) may be run."""
    return _judge(_parse(expression, "eval"))


@dataclass(frozen=True)
class Outcome:
    """What one call did in the sandbox."""

    kind: str  # "value", "raised", "timeout", "refused", "error" or "unstable"
    value: str | None = None  # repr of the returned value (kind "value")
    exception: str | None = None  # the exception's type name (kind "raised")
    message: str = ""  # str() of the exception, capped; why, for "refused"/"error"
    line: int | None = None  # where the called function returned or raised (definitions line)
    output: str = ""  # what the call printed, capped

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
    run_seconds: float = 3.0  # the whole batch; RLIMIT_CPU and the parent's deadline follow
    memory_bytes: int = 256 * 1024 * 1024  # address space
    open_files: int = 16
    output_bytes: int = 1_000_000  # everything the child may send back
    repr_chars: int = 400  # longer values come back truncated and flagged


def sandbox_supported() -> bool:
    """Process groups, rlimits and interval timers: POSIX only; elsewhere nothing is run."""
    if os.name != "posix":
        return False
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return bool(sys.executable)


def prepare_sandbox(code_text: str) -> Sandbox | None:
    """A sandbox for this code, or None when the static check refuses it (or the platform
    cannot contain it): then no execution-based question is asked about it."""
    if not sandbox_supported() or not check_code(code_text):
        return None
    return Sandbox()


class Sandbox:
    """Runs checked definitions and calls in a contained child process (see the module doc)."""

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()

    def run(
        self,
        definitions: str,
        calls: list[str],
        *,
        rounds: int = 2,
        groups: list[str] | None = None,
    ) -> list[Outcome]:
        """Evaluate each call in a fresh namespace holding `definitions`, all calls in one
        batch, the batch in `rounds` processes at once; one Outcome per call, in order.

        Everything is checked again here: refused definitions give "refused" for every call,
        a refused call "refused" for itself. Top-level statements of `definitions` that fail
        only lose the names they would define. A call whose outcome differs between rounds
        is "unstable". `groups` (one label per call, e.g. the function called) lets a call
        that times out spare the batch the rest of its group: they are "timeout" unrun."""
        if not calls:
            return []
        verdict = check_code(definitions)
        if not verdict:
            return [Outcome("refused", message=verdict.reason) for _ in calls]
        tree = ast.parse(textwrap.dedent(definitions))
        chunks = _chunks(textwrap.dedent(definitions), tree)
        future = _future_annotations(tree)
        verdicts = [check_expression(call) for call in calls]
        runnable = [i for i, v in enumerate(verdicts) if v]
        outcomes = [Outcome("refused", message=v.reason) for v in verdicts]
        if runnable:
            selected = [calls[i] for i in runnable]
            labels = [groups[i] for i in runnable] if groups is not None else None
            runs = _execute(chunks, selected, self.limits, max(1, rounds), future, labels)
            for position, index in enumerate(runnable):
                outcomes[index] = _agree([run[position] for run in runs])
        return outcomes


def _agree(outcomes: list[Outcome]) -> Outcome:
    first = outcomes[0]
    for other in outcomes[1:]:
        if (other.kind, other.value, other.exception, other.line) != (
            first.kind,
            first.value,
            first.exception,
            first.line,
        ):
            return Outcome("unstable", message=f"{first.describe()} / {other.describe()}")
    return first


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


def _future_annotations(tree: ast.Module) -> bool:
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


def _execute(
    chunks: list[dict[str, object]],
    calls: list[str],
    limits: Limits,
    rounds: int,
    future_annotations: bool = False,
    groups: list[str] | None = None,
) -> list[list[Outcome]]:
    """Runs the batch unchecked in `rounds` child processes: callers check first."""
    request = {
        "chunks": chunks,
        "calls": calls,
        "groups": groups if groups is not None else [str(i) for i in range(len(calls))],
        "call_seconds": limits.call_seconds,
        "run_seconds": limits.run_seconds,
        "memory_bytes": limits.memory_bytes,
        "open_files": limits.open_files,
        "cpu_seconds": math.ceil(limits.run_seconds) + 2,
        "repr_chars": limits.repr_chars,
        "future_flags": __future__.annotations.compiler_flag if future_annotations else 0,
        "postponed_flag": __future__.annotations.compiler_flag,
        "allowed_modules": sorted(ALLOWED_MODULES),
        "denied_module_attributes": sorted(DENIED_ATTRIBUTES),
    }
    payload = json.dumps(request).encode("utf-8")
    # the child counts CPU time (a busy machine does not make calls time out); this wall-clock
    # deadline is the backstop for everything else
    deadline = time.monotonic() + 2 * limits.run_seconds + 2.0
    workdir = tempfile.mkdtemp(prefix="mindgap-sandbox-")
    processes: list[subprocess.Popen[bytes]] = []
    try:
        for _ in range(rounds):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-I", "-S", "-c", _CHILD_SOURCE],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.DEVNULL,
                    cwd=workdir,
                    env={},
                    start_new_session=True,  # its own process group, killed as one
                    close_fds=True,
                )
            )
        for process in processes:
            _feed(process, payload)
        return [_collect(process, len(calls), deadline, limits) for process in processes]
    finally:
        for process in processes:
            _kill_group(process)
            process.wait()  # SIGKILL: it is gone at once (a timed wait would poll and sleep)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    with contextlib.suppress(OSError):
                        stream.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _feed(process: subprocess.Popen[bytes], payload: bytes) -> None:
    assert process.stdin is not None
    with contextlib.suppress(BrokenPipeError, OSError):
        process.stdin.write(payload)
    with contextlib.suppress(BrokenPipeError, OSError):
        process.stdin.close()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError, OSError):
        os.killpg(process.pid, signal.SIGKILL)


def _collect(
    process: subprocess.Popen[bytes], count: int, deadline: float, limits: Limits
) -> list[Outcome]:
    assert process.stdout is not None
    received = bytearray()
    cut_short = False
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                cut_short = True
                break
            if not selector.select(remaining):
                continue
            block = os.read(process.stdout.fileno(), 65536)
            if not block:
                break
            received += block
            if len(received) > limits.output_bytes:
                cut_short = True
                break
    if cut_short:
        _kill_group(process)
    by_index: dict[int, Outcome] = {}
    for raw in bytes(received).splitlines():
        outcome = _parse_line(raw, count)
        if outcome is not None:
            by_index[outcome[0]] = outcome[1]
    return [by_index.get(i, Outcome("timeout")) for i in range(count)]


def _parse_line(raw: bytes, count: int) -> tuple[int, Outcome] | None:
    try:
        record = json.loads(raw)
        index = record["i"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(index, int) or not 0 <= index < count:
        return None

    def text(key: str) -> str | None:
        value = record.get(key)
        return value if isinstance(value, str) else None

    kind = text("kind") or "error"
    if kind not in {"value", "raised", "timeout", "refused", "error", "unstable"}:
        kind = "error"
    line = record.get("line")
    return index, Outcome(
        kind=kind,
        value=text("value"),
        exception=text("exception"),
        message=text("message") or "",
        line=line if isinstance(line, int) else None,
        output=text("output") or "",
    )


# The child. Runs as `python -I -S -c <this>`; reads one JSON request on stdin, writes one
# JSON line per call on stdout. Everything it needs from the parent comes in the request.
_CHILD_SOURCE = r"""
import sys, json, signal, time, builtins, posix, _io, _functools, gc


def main():
    request = json.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer

    def write_line(record):
        try:
            line = json.dumps(record)
        except (TypeError, ValueError):
            line = json.dumps({"i": record.get("i"), "kind": "error", "message": "unreportable"})
        out.write(line.encode() + b"\n")
        out.flush()

    gc.disable()  # collections happen only where the timer covers them (see `attempt`)

    try:
        import resource
        limits = [
            (resource.RLIMIT_CPU, request["cpu_seconds"], request["cpu_seconds"] + 1),
            (resource.RLIMIT_AS, request["memory_bytes"], request["memory_bytes"]),
            (resource.RLIMIT_FSIZE, 0, 0),
            (resource.RLIMIT_NOFILE, request["open_files"], request["open_files"]),
            (resource.RLIMIT_CORE, 0, 0),
            (getattr(resource, "RLIMIT_NPROC", None), 0, 0),
        ]
        for which, soft, hard in limits:
            if which is not None:
                try:
                    resource.setrlimit(which, (soft, hard))
                except (ValueError, OSError):
                    if which in (resource.RLIMIT_CPU, resource.RLIMIT_FSIZE):
                        raise
    except Exception as error:
        for index in range(len(request["calls"])):
            write_line({"i": index, "kind": "error", "message": "limits: %r" % (error,)})
        return

    allowed = frozenset(request["allowed_modules"])
    denied_attributes = frozenset(request["denied_module_attributes"])
    readable = tuple(p for p in sys.path if p)
    violations = []
    write_flags = posix.O_WRONLY | posix.O_RDWR | posix.O_CREAT | posix.O_TRUNC | posix.O_APPEND
    denied_prefixes = (
        "subprocess.", "socket.", "ctypes.", "shutil.", "tempfile.", "glob.", "webbrowser.",
        "urllib.", "http.", "ftplib.", "smtplib.", "imaplib.", "poplib.", "nntplib.",
        "telnetlib.", "pty.", "mmap.", "fcntl.", "sqlite3.", "syslog.", "resource.",
        "msvcrt.", "winreg.", "_winapi.", "pdb.", "time.sleep", "_thread.start_new_thread",
        "sys.remote_exec",
    )
    denied_events = frozenset({
        "builtins.input", "builtins.breakpoint", "sys.addaudithook", "sys.setprofile",
        "code.__new__", "function.__new__", "pickle.find_class", "marshal.load",
        "cpython.run_command", "cpython.run_file", "cpython.run_module",
    })
    denied_imports = frozenset({
        "ctypes", "_ctypes", "subprocess", "_posixsubprocess", "socket", "_socket", "ssl",
        "_ssl", "mmap", "fcntl", "pty", "multiprocessing", "_multiprocessing", "select",
        "resource", "pdb", "webbrowser", "urllib", "http", "sqlite3", "gc",
    })
    frame_attributes = frozenset({"gi_frame", "cr_frame", "ag_frame"})

    class SandboxViolation(Exception):
        pass

    def audit(event, args):
        denied = False
        if event == "open":
            path, mode, flags = args
            if isinstance(path, bytes):
                path = path.decode("utf-8", "replace")
            writes = (mode is not None and any(c in str(mode) for c in "wax+")) or (
                isinstance(flags, int) and flags & write_flags
            )
            denied = writes or not isinstance(path, str) or not path.startswith(readable)
        elif event in ("os.listdir", "os.scandir"):  # the import system looks in the stdlib
            path = args[0] if args else None
            if isinstance(path, bytes):
                path = path.decode("utf-8", "replace")
            denied = not isinstance(path, str) or not path.startswith(readable)
        elif event.startswith("os."):
            denied = True
        elif event == "import":
            denied = str(args[0]).split(".")[0] in denied_imports
        elif event == "object.__getattr__":
            denied = len(args) > 1 and args[1] in frame_attributes
        else:
            denied = event in denied_events or event.startswith(denied_prefixes)
        if denied:
            detail = event
            if event in ("open", "import") and args:
                detail = "%s %s" % (event, str(args[0])[:80])
            violations.append(detail)
            raise SandboxViolation("sandbox refused " + detail)

    ModuleType = type(sys)
    real_import = builtins.__import__

    def copy_module(name):
        real = sys.modules[name]
        copy = ModuleType(name)
        for key, value in list(real.__dict__.items()):
            if key.startswith("_") or key in denied_attributes:
                continue
            if isinstance(value, ModuleType):
                if value.__name__ not in allowed:
                    continue
                value = copy_module(value.__name__)
            copy.__dict__[key] = value
        return copy

    def restricted_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level or name not in allowed:
            raise ImportError("the sandbox does not import " + str(name))
        real_import(name)
        for item in fromlist or ():
            if name + "." + item in allowed:
                real_import(name + "." + item)
        return copy_module(name if fromlist else name.split(".")[0])

    safe_names = (
        "abs aiter all anext any ascii bin bool bytearray bytes callable chr classmethod "
        "complex dict divmod enumerate filter float format frozenset hasattr hash hex id int "
        "isinstance issubclass iter len list map max min next object oct ord pow property "
        "range repr reversed round set slice sorted staticmethod str sum super tuple type "
        "zip Ellipsis NotImplemented None True False"
    ).split()
    safe_builtins = {name: getattr(builtins, name) for name in safe_names}
    for name, value in builtins.__dict__.items():
        if isinstance(value, type) and issubclass(value, BaseException):
            safe_builtins[name] = value
    safe_builtins["__build_class__"] = builtins.__build_class__
    safe_builtins["__import__"] = restricted_import

    class CallTimedOut(BaseException):
        pass

    call_seconds = request["call_seconds"]
    alarms = [0]  # how often the current call's timer fired
    current = [None]
    repr_chars = request["repr_chars"]

    def on_alarm(signum, frame):
        alarms[0] += 1
        if alarms[0] > 8:
            # the code keeps swallowing the timeout: report it and stop here
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            write_line({"i": current[0], "kind": "timeout"})
            posix._exit(0)
        raise CallTimedOut()

    signal.signal(signal.SIGPROF, on_alarm)
    flags = request["future_flags"]
    definitions_file, call_file = "<mindgap-definitions>", "<mindgap-call>"
    chunks = []
    for chunk in request["chunks"]:
        text = "\n" * (chunk["line"] - 1) + chunk["source"]
        try:
            first = compile(text, definitions_file, "exec", flags, True)
            retry = None
            if chunk["retry"] and not flags:
                postponed = request["postponed_flag"]
                retry = compile(text, definitions_file, "exec", postponed, True)
            chunks.append((first, retry))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            pass
    calls = []
    for call in request["calls"]:
        try:
            calls.append(compile(call, call_file, "eval", flags, True))
        except (SyntaxError, ValueError, MemoryError, RecursionError):
            calls.append(None)

    top = [None]
    last_line = [None]

    def tracer(frame, event, arg):
        if event == "call" and top[0] is None:
            back = frame.f_back
            if (
                back is not None
                and back.f_code.co_filename == call_file
                and frame.f_code.co_filename == definitions_file
            ):
                top[0] = frame
                frame.f_trace_lines = False
                return local_tracer
        return None

    def local_tracer(frame, event, arg):
        if event == "return" and frame is top[0]:
            last_line[0] = frame.f_lineno
        return local_tracer

    def capped(text, limit):
        return text if len(text) <= limit else text[:limit]

    def unordered(value, depth=0):
        # sets of strings print in hash order, which changes from process to process
        if depth > 3:
            return False
        if isinstance(value, (set, frozenset)):
            return any(not isinstance(v, (int, float, bool, type(None))) for v in value)
        if isinstance(value, (list, tuple)):
            return any(unordered(v, depth + 1) for v in value[:50])
        if isinstance(value, dict):
            return any(unordered(v, depth + 1) for v in list(value.values())[:50])
        return False

    def attempt(code, sink):
        # a real module, so that dataclasses and enum find the code's globals by its name
        module = ModuleType("mindgap_sandbox")
        sys.modules["mindgap_sandbox"] = module
        try:
            return evaluate(code, sink, module.__dict__)
        finally:
            # the call's objects die here, under the timer: a __del__ that never ends is
            # this call's timeout, not a hang between calls
            del sys.modules["mindgap_sandbox"]
            module.__dict__.clear()
            module = None
            gc.collect(0)

    def evaluate(code, sink, namespace):
        namespace["__builtins__"] = dict(safe_builtins)
        namespace["__builtins__"]["print"] = _functools.partial(builtins.print, file=sink)
        for chunk, retry in chunks:
            try:
                exec(chunk, namespace)
            except CallTimedOut:
                raise
            except NameError:
                if retry is not None:
                    try:
                        exec(retry, namespace)
                    except CallTimedOut:
                        raise
                    except BaseException:
                        pass
            except BaseException:
                pass  # a failing top-level statement only loses the names it defines
        top[0] = None
        last_line[0] = None
        sys.settrace(tracer)
        try:
            value = eval(code, namespace)
        except CallTimedOut:
            raise
        except BaseException as error:
            sys.settrace(None)
            name = type(error).__name__
            if not isinstance(name, str):
                name = "Exception"
            try:
                message = capped(str(error), 200)
            except CallTimedOut:
                raise
            except BaseException:
                message = ""
            return {"kind": "raised", "exception": name, "message": message}
        finally:
            sys.settrace(None)
            top[0] = None
        text = repr(value)
        if len(text) > repr_chars:
            return {"kind": "value", "value": text[:repr_chars], "message": "truncated"}
        if " at 0x" in text or unordered(value):
            return {"kind": "unstable", "value": text, "message": "depends on the process"}
        return {"kind": "value", "value": text}

    # From here on, for good: an audit hook cannot be removed, and it holds no switch.
    sys.addaudithook(audit)
    run_started = time.process_time()
    groups = request["groups"]
    timed_out = set()
    for index, code in enumerate(calls):
        if code is None:
            write_line({"i": index, "kind": "error", "message": "does not compile"})
            continue
        if time.process_time() - run_started > request["run_seconds"]:
            write_line({"i": index, "kind": "timeout", "message": "batch out of time"})
            continue
        if groups[index] in timed_out:
            write_line({"i": index, "kind": "timeout", "message": "its group timed out"})
            continue
        sink = _io.StringIO()
        del violations[:]
        current[0] = index
        alarms[0] = 0
        record = {"kind": "error"}
        try:
            signal.setitimer(signal.ITIMER_PROF, call_seconds, 0.05)
            try:
                record = attempt(code, sink)
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0, 0)
        except CallTimedOut:
            record = {"kind": "timeout"}
        except MemoryError:
            record = {"kind": "raised", "exception": "MemoryError"}
        except BaseException as error:
            record = {"kind": "error", "message": type(error).__name__}
        if alarms[0]:
            record = {"kind": "timeout"}  # e.g. its objects' finalizers ran out of time
        if violations:
            record = {"kind": "refused", "message": "sandbox refused " + violations[0]}
        elif record.get("kind") in ("value", "raised"):
            record["line"] = last_line[0]
        record["i"] = index
        record["output"] = capped(sink.getvalue(), 2000)
        if record["kind"] == "timeout":
            timed_out.add(groups[index])
        write_line(record)
        sink = None
    posix._exit(0)  # no interpreter shutdown: no finalizer of the code runs after the last call


main()
"""
