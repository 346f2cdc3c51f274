"""The program inside the sandbox: a supervisor that never runs foreign code, and workers.

Started by the runner as `python -I -S -B -X utf8 -c <this file> CHANNEL_FD` inside bubblewrap
(see isolation.py); it imports only the standard library. Frames are a 4-byte big-endian
length and a JSON object, in both directions.

- The supervisor reads one set-up frame, then batch requests, on fd 0 from the parent, and is
  the only process that holds CHANNEL_FD, the pipe the parent reads outcomes from: the
  workers close it (and fd 0) before anything else, so no foreign code can write there, and
  standard output and error are not the channel at all.
- For each batch it forks a worker, which sets its resource limits, installs the strict
  seccomp filter on itself (no processes, threads, signals, sockets, links...), puts up the
  Python-level first filter (restricted builtins and imports, an audit hook) and then runs
  the definitions and calls, one frame per call on its own pipe.
- The supervisor reads each worker frame with a bound on its size, refuses anything that is
  not the next expected record, re-writes what it accepts field by field, and kills a worker
  that misbehaves, overruns its wall clock or dies: that call gets an outcome saying so, and a
  new worker goes on with the rest. A killed worker never takes the batch with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import time
from types import CodeType, FrameType, MemberDescriptorType, ModuleType
from typing import Any

Request = dict[str, Any]  # a decoded frame from the parent
MAX_REQUEST_BYTES = 64 * 1024 * 1024
MAX_RECORD_BYTES = 64 * 1024
MAX_LINES = 5000
MAX_RESTARTS = 16
KINDS = ("value", "raised", "timeout", "refused", "error", "unstable")
TEXT_LIMITS = {"value": 4000, "exception": 200, "message": 400, "output": 4000}
# A list the definitions may hold: once something is in it after a call, the call reached
# code that stands for package code the sandbox could not run (exec_common's UNAVAILABLE),
# and what it returned or raised - even if the code caught that - is no outcome.
UNAVAILABLE_REACHED = "mindgap_unavailable_reached"


# -- framing -------------------------------------------------------------------------------


def read_exactly(fd: int, count: int) -> bytes | None:
    data = bytearray()
    while len(data) < count:
        block = os.read(fd, count - len(data))
        if not block:
            return None
        data += block
    return bytes(data)


def read_frame(fd: int, limit: int) -> bytes | None:
    header = read_exactly(fd, 4)
    if header is None:
        return None
    size = int.from_bytes(header, "big")
    if size > limit:
        return None
    return read_exactly(fd, size)


def write_frame(fd: int, record: dict[str, Any]) -> None:
    data = json.dumps(record, separators=(",", ":")).encode("utf-8", "replace")
    view = memoryview(len(data).to_bytes(4, "big") + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


# -- the supervisor --------------------------------------------------------------------------


def main(argv: list[str]) -> None:
    channel = int(argv[1])
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # the parent gone: end quietly
    import ctypes  # noqa: F401 - loaded once here, so each forked worker finds it ready

    raw = read_frame(0, MAX_REQUEST_BYTES)
    if raw is None:
        os._exit(0)
    setup = json.loads(raw)
    import _io  # noqa: F401
    import functools  # noqa: F401
    import gc  # noqa: F401
    import resource  # noqa: F401

    write_frame(channel, {"ready": True})
    while True:
        raw = read_frame(0, MAX_REQUEST_BYTES)
        if raw is None:
            break
        request = json.loads(raw)
        for module in request["imports"]:  # the stdlib modules the code imports, by trusted code
            with contextlib.suppress(ImportError):
                __import__(module)
        Batch(request, setup, channel).run()
        empty_temporary_folder()
        write_frame(channel, {"done": request["id"]})
    os._exit(0)


class Batch:
    def __init__(self, request: Request, setup: Request, channel: int) -> None:
        self.request = request
        self.setup = setup
        self.channel = channel
        self.calls = request["calls"]
        self.groups = request["groups"]
        self.timed_out: set[str] = set()
        self.deadline = time.monotonic() + request["batch_wall_seconds"]

    def send(self, index: int, kind: str, **fields: Any) -> None:
        record = {"i": index, "kind": kind}
        record.update(fields)
        if kind == "timeout":
            self.timed_out.add(self.groups[index])
        write_frame(self.channel, record)

    def run(self) -> None:
        position, restarts = 0, 0
        while position < len(self.calls):
            if self.groups[position] in self.timed_out:
                self.send(position, "timeout", message="its group timed out")
                position += 1
            elif restarts >= MAX_RESTARTS or time.monotonic() > self.deadline:
                self.send(position, "timeout", message="batch out of time")
                position += 1
            else:
                position = self.supervise(position)
                restarts += 1

    def supervise(self, position: int) -> int:
        """Runs the calls from `position` in a new worker; returns where the next starts."""
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            try:
                os.close(reader)
                os.close(0)
                os.close(self.channel)
                work(self.request, self.setup, position, sorted(self.timed_out), writer)
            finally:
                os._exit(70)
        os.close(writer)
        self.status: int | None = None
        try:
            return self.follow(pid, reader, position)
        finally:
            os.close(reader)
            if self.status is None:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)

    def follow(self, pid: int, reader: int, expected: int) -> int:
        wall = self.request["call_wall_seconds"]
        call_deadline = time.monotonic() + wall + self.request["start_wall_seconds"]
        buffer = bytearray()
        while expected < len(self.calls):
            remaining = min(call_deadline, self.deadline) - time.monotonic()
            if remaining <= 0:
                self.send(expected, "timeout", message="wall clock")
                return expected + 1
            ready, _, _ = select.select([reader], [], [], remaining)
            if not ready:
                continue
            block = os.read(reader, 65536)
            if not block:
                return self.ended(pid, expected)
            buffer += block
            while len(buffer) >= 4:
                size = int.from_bytes(buffer[:4], "big")
                if size > MAX_RECORD_BYTES:
                    self.send(expected, "error", message="the code sent an oversized message")
                    return expected + 1
                if len(buffer) < 4 + size:
                    break
                record = accepted(bytes(buffer[4 : 4 + size]), expected)
                del buffer[: 4 + size]
                if record is None:
                    self.send(expected, "error", message="the code sent a malformed message")
                    return expected + 1
                self.send(expected, record.pop("kind"), **record)
                expected += 1
                call_deadline = time.monotonic() + wall
        return expected

    def ended(self, pid: int, expected: int) -> int:
        """The worker is gone before its record for `expected`: say how."""
        _, status = os.waitpid(pid, 0)
        self.status = status
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGSYS:
                message = "the sandbox stopped a forbidden system call"
                self.send(expected, "refused", message=message)
            elif number in (signal.SIGXCPU, signal.SIGKILL):
                self.send(expected, "timeout", message="CPU limit")
            else:
                self.send(expected, "error", message=f"the process died (signal {number})")
        else:
            self.send(expected, "error", message="the code ended the process")
        return expected + 1


# bubblewrap gives the child a tmpfs of this size as /tmp (isolation.py asks for it)
PRIVATE_TMP_BYTES = 1024 * 1024


def empty_temporary_folder() -> None:
    """What one batch's workers left in /tmp is gone before the next batch (of any code).
    Workers cannot make links (seccomp), so nothing here leads outside. Only the sandbox's
    own small tmpfs is emptied: another sandbox command (the `sandbox_command` setting) may
    share the host's /tmp, whose files are not ours to delete."""
    try:
        folder = os.statvfs("/tmp")
    except OSError:
        return
    if folder.f_blocks * folder.f_frsize > PRIVATE_TMP_BYTES:
        return
    for root, folders, files in os.walk("/tmp", topdown=False):
        for name in files:
            with contextlib.suppress(OSError):
                os.unlink(os.path.join(root, name))
        for name in folders:
            path = os.path.join(root, name)
            try:
                if os.path.islink(path):
                    os.unlink(path)
                else:
                    os.rmdir(path)
            except OSError:
                pass


def accepted(raw: bytes, expected: object) -> dict[str, Any] | None:
    """A worker's frame re-built field by field, or None when it is not the next record."""
    try:
        record = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError, MemoryError, UnicodeDecodeError):
        return None
    if not isinstance(record, dict) or record.get("i") != expected:
        return None
    kind = record.get("kind")
    if kind not in KINDS:
        return None
    clean = {"kind": kind}
    for key, limit in TEXT_LIMITS.items():
        value = record.get(key)
        if isinstance(value, str):
            clean[key] = value[:limit]
    line = record.get("line")
    if type(line) is int and 0 < line < 10_000_000:
        clean["line"] = line
    lines = record.get("lines")
    if isinstance(lines, list):
        clean["lines"] = [n for n in lines[:MAX_LINES] if type(n) is int and 0 < n < 10_000_000]
    view = record.get("view")
    if isinstance(view, dict):
        clean["view"] = {
            name[:80]: text[:200]
            for name, text in list(view.items())[:VIEW_ATTRIBUTES]
            if isinstance(name, str) and isinstance(text, str)
        }
    return clean


# -- the worker ------------------------------------------------------------------------------


def work(request: Request, setup: Request, start: int, timed_out: list[str], writer: int) -> None:
    """Runs calls[start:] after setting up every wall; never returns."""
    import resource

    limits = [
        (resource.RLIMIT_CPU, request["cpu_seconds"], request["cpu_seconds"] + 1),
        (resource.RLIMIT_AS, request["memory_bytes"], request["memory_bytes"]),
        (resource.RLIMIT_FSIZE, 0, 0),
        (resource.RLIMIT_NOFILE, request["open_files"], request["open_files"]),
        (resource.RLIMIT_CORE, 0, 0),
        (resource.RLIMIT_NPROC, 0, 0),
    ]
    for which, soft, hard in limits:
        resource.setrlimit(which, (soft, hard))
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)  # writes there fail, they do not kill
    dead_end_r, dead_end_w = os.pipe()  # standard output and error lead nowhere
    os.close(dead_end_r)
    os.dup2(dead_end_w, 1)
    os.dup2(dead_end_w, 2)
    os.close(dead_end_w)
    install_filter(bytes.fromhex(setup["worker_filter"]))
    Worker(request, setup["python_walls"], start, timed_out, writer).run()
    os._exit(0)  # no interpreter shutdown: no finalizer of the code runs after the last call


def install_filter(program: bytes) -> None:
    """seccomp(SECCOMP_SET_MODE_FILTER) on this process, from the libseccomp-compiled BPF."""
    import ctypes

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    libc = ctypes.CDLL(None, use_errno=True)
    buffer = ctypes.create_string_buffer(program, len(program))
    prog = SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    pr_set_no_new_privs, pr_set_seccomp, seccomp_mode_filter = 38, 22, 2
    if libc.prctl(pr_set_no_new_privs, 1, 0, 0, 0) != 0:
        os._exit(71)
    if libc.prctl(pr_set_seccomp, seccomp_mode_filter, ctypes.byref(prog), 0, 0) != 0:
        os._exit(71)  # no filter, no foreign code: the supervisor reports an error


class CallTimedOut(BaseException):
    pass


class AwaitsOutside(Exception):
    pass


DEFINITIONS_FILE, CALL_FILE = "<mindgap-definitions>", "<mindgap-call>"


class Worker:
    def __init__(
        self,
        request: Request,
        python_walls: bool,
        start: int,
        timed_out: list[str],
        writer: int,
    ) -> None:
        self.request = request
        self.walls = python_walls
        self.start = start
        self.timed_out = set(timed_out)
        self.writer = writer
        self.alarms = 0
        self.current = start
        self.top: Any = None  # the frame of the called function
        self.last_line: int | None = None
        self.lines: set[int] = set()
        self.missing_name = False  # the call raised NameError somewhere (caught or not)
        self.facades: list[str] = []  # the STANDARD_FACADES the code names

    def write(self, record: dict[str, Any]) -> None:
        try:
            data = json.dumps(record, separators=(",", ":"))
        except (TypeError, ValueError):
            data = json.dumps({"i": record.get("i"), "kind": "error", "message": "unreportable"})
        encoded = data.encode("utf-8", "replace")
        view = memoryview(len(encoded).to_bytes(4, "big") + encoded)
        while view:
            view = view[os.write(self.writer, view) :]

    def on_alarm(self, signum: int, frame: object) -> None:
        self.alarms += 1
        if self.alarms > 8:
            # the code keeps swallowing the timeout: report it and stop here
            signal.setitimer(signal.ITIMER_PROF, 0, 0)
            self.write({"i": self.current, "kind": "timeout"})
            os._exit(0)
        raise CallTimedOut()

    def run(self) -> None:
        import builtins
        import gc

        request = self.request
        gc.disable()  # collections happen only where the timer covers them (see `attempt`)
        signal.signal(signal.SIGPROF, self.on_alarm)
        flags = request["future_flags"]
        chunks = []
        for chunk in request["chunks"]:
            text = "\n" * (chunk["line"] - 1) + chunk["source"]
            try:
                first = compile(text, DEFINITIONS_FILE, "exec", flags, True)
                retry = None
                if chunk["retry"] and not flags:
                    postponed = request["postponed_flag"]
                    retry = compile(text, DEFINITIONS_FILE, "exec", postponed, True)
                chunks.append((first, retry))
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                pass
        calls: list[CodeType | None] = []
        for call in request["calls"]:
            try:
                calls.append(compile(call, CALL_FILE, "eval", flags, True))
            except (SyntaxError, ValueError, MemoryError, RecursionError):
                calls.append(None)
        self.chunks = chunks
        self.builtins = FirstFilter(request).builtins() if self.walls else dict(vars(builtins))
        self.builtins.update(gettext_without_catalogue())
        sources = [chunk["source"] for chunk in request["chunks"]] + list(request["calls"])
        self.facades = facades_named(sources)
        self.violations: list[str] = []
        if self.walls:
            FirstFilter(request).install_audit_hook(self.violations)
        run_started = time.process_time()
        for index in range(self.start, len(calls)):
            self.one(index, calls[index], run_started)
        os._exit(0)

    def one(self, index: int, code: CodeType | None, run_started: float) -> None:
        import _io
        import gc

        groups = self.request["groups"]
        if code is None:
            self.write({"i": index, "kind": "error", "message": "does not compile"})
            return
        if time.process_time() - run_started > self.request["run_seconds"]:
            self.write({"i": index, "kind": "timeout", "message": "batch out of time"})
            return
        if groups[index] in self.timed_out:
            self.write({"i": index, "kind": "timeout", "message": "its group timed out"})
            return
        sink = _io.StringIO()
        del self.violations[:]
        self.current = index
        self.alarms = 0
        self.lines = set()
        record: dict[str, object] = {"kind": "error"}
        try:
            signal.setitimer(signal.ITIMER_PROF, self.request["call_seconds"], 0.05)
            try:
                record = self.attempt(code, sink)
            finally:
                signal.setitimer(signal.ITIMER_PROF, 0, 0)
        except CallTimedOut:
            record = {"kind": "timeout"}
        except MemoryError:
            record = {"kind": "raised", "exception": "MemoryError"}
        except BaseException as error:
            record = {"kind": "error", "message": type(error).__name__}
        gc.collect(0)
        if self.alarms:
            record = {"kind": "timeout"}  # e.g. its objects' finalizers ran out of time
        if self.violations:
            record = {"kind": "refused", "message": "sandbox refused " + self.violations[0]}
        elif record.get("kind") in ("value", "raised"):
            record["line"] = self.last_line
            record["lines"] = sorted(self.lines)[:MAX_LINES]
        record["i"] = index
        record["output"] = sink.getvalue()[:2000]
        if record["kind"] == "timeout":
            self.timed_out.add(groups[index])
        self.write(record)

    def attempt(self, code: CodeType, sink: Any) -> dict[str, Any]:
        import functools
        import gc

        # a real module, so that dataclasses and enum find the code's globals by its name
        module = type(sys)("mindgap_sandbox")
        sys.modules["mindgap_sandbox"] = module
        namespace = module.__dict__
        namespace["__builtins__"] = dict(self.builtins)
        namespace["__builtins__"]["print"] = functools.partial(print, file=sink)
        namespace["__builtins__"].update(standard_facades(self.facades))
        try:
            record = self.evaluate(code, namespace)
            reached = namespace.get(UNAVAILABLE_REACHED)
            if type(reached) is list and len(reached):
                return {"kind": "error", "message": "reached code the sandbox could not run"}
            if self.missing_name and record.get("exception") != "NameError":
                # a name the sandbox lacks (package code not brought), and the code went on
                # (it caught the NameError): what it did is not what the package does
                return {"kind": "error", "message": "went on past a name the sandbox lacks"}
            return record
        finally:
            # the call's objects die here, under the timer: a __del__ that never ends is
            # this call's timeout, not a hang between calls
            del sys.modules["mindgap_sandbox"]
            namespace.clear()
            del module
            gc.collect(0)

    def evaluate(self, code: CodeType, namespace: dict[str, Any]) -> dict[str, Any]:
        missing = self.define(self.chunks, namespace)
        if missing and len(missing) < len(self.chunks):
            # a definition that needs one defined further down (a base class brought from
            # another module of the package) runs again once the others have
            self.define(missing, namespace)
        self.top = None
        self.last_line = None
        self.lines = set()
        self.missing_name = False
        sys.settrace(self.tracer)
        try:
            value = eval(code, namespace)
            if type(value).__name__ == "coroutine" and hasattr(value, "send"):
                value = drive(value)
        except CallTimedOut:
            raise
        except AwaitsOutside:
            return {"kind": "error", "message": "awaits something outside the code"}
        except BaseException as error:
            sys.settrace(None)
            name = type(error).__name__
            if not isinstance(name, str):
                name = "Exception"
            try:
                message = str(error)[:200]
            except CallTimedOut:
                raise
            except BaseException:
                message = ""
            return {"kind": "raised", "exception": name, "message": message}
        finally:
            sys.settrace(None)
            self.top = None
        text = repr(value)
        record: dict[str, Any] = {"kind": "value", "value": text}
        if len(text) > self.request["repr_chars"]:
            record = {"kind": "value", "value": text[: self.request["repr_chars"]]}
            record["message"] = "truncated"
        elif " at 0x" in text or unordered(value):
            record = {"kind": "unstable", "value": text, "message": "depends on the process"}
        view = object_view(value)
        if view:
            record["view"] = view
        return record

    def define(
        self, chunks: list[tuple[CodeType, CodeType | None]], namespace: dict[str, Any]
    ) -> list[tuple[CodeType, CodeType | None]]:
        """Runs the definitions; gives back those a missing name stopped."""
        missing: list[tuple[CodeType, CodeType | None]] = []
        for chunk, retry in chunks:
            try:
                exec(chunk, namespace)
            except CallTimedOut:
                raise
            except NameError:
                if retry is None:
                    missing.append((chunk, retry))
                    continue
                try:
                    exec(retry, namespace)
                except CallTimedOut:
                    raise
                except NameError:
                    missing.append((chunk, retry))
                except BaseException:
                    pass
            except BaseException:
                pass  # a failing top-level statement only loses the names it defines
        return missing

    def tracer(self, frame: FrameType, event: str, arg: object) -> Any:
        if event == "call" and frame.f_code.co_filename == DEFINITIONS_FILE:
            back = frame.f_back
            if self.top is None and (back is None or back.f_code.co_filename != DEFINITIONS_FILE):
                self.top = frame  # the called function (or the coroutine being driven)
            return self.local_tracer
        return None

    def local_tracer(self, frame: FrameType, event: str, arg: object) -> Any:
        if event == "line":
            if len(self.lines) < MAX_LINES:
                self.lines.add(frame.f_lineno)
        elif event == "return" and frame is self.top:
            self.last_line = frame.f_lineno
        elif event == "exception" and type(arg) is tuple and arg and arg[0] is NameError:
            self.missing_name = True  # caught or not (UnboundLocalError is the code's own)
        return self.local_tracer


def drive(coroutine: Any) -> Any:
    """Runs a coroutine of the code's own to its end: there is no event loop to wait on."""
    for _ in range(100_000):
        try:
            awaited = coroutine.send(None)
        except StopIteration as stop:
            return stop.value
        if awaited is not None:
            coroutine.close()
            raise AwaitsOutside()
    coroutine.close()
    raise AwaitsOutside()


VIEW_ATTRIBUTES = 8
VIEW_SIMPLE = (str, int, float, bool, type(None))


def object_view(value: object) -> dict[str, str]:
    """What an object of the code's own classes holds, for a question to show instead of
    its repr (a default `<X object at 0x..>` or one too long): the reprs of its public
    attributes of plain values, from the instance's dict and its slots (no property runs:
    one could hang or change the object), sorted."""
    kind = type(value)
    if kind.__module__ != "mindgap_sandbox":
        return {}
    held: dict[str, object] = {}
    for klass in kind.__mro__:
        slots = klass.__dict__.get("__slots__", ())
        for name in (slots,) if type(slots) is str else slots:
            slot = klass.__dict__.get(name) if type(name) is str else None
            if type(slot) is MemberDescriptorType:
                with contextlib.suppress(AttributeError):  # a slot never set
                    held[name] = slot.__get__(value, kind)
    try:
        instance = object.__getattribute__(value, "__dict__")
    except AttributeError:
        instance = {}
    if type(instance) is dict:
        held.update(instance)
    view: dict[str, str] = {}
    for name in sorted(n for n in held if type(n) is str and n[:1].isalpha()):
        item = held[name]
        plain = type(item) in VIEW_SIMPLE or (
            isinstance(item, (list, tuple))
            and type(item) in (list, tuple)
            and len(item) <= 20
            and all(type(i) in VIEW_SIMPLE for i in item)
        )
        if plain:
            view[name] = repr(item)[:200]
        if len(view) == VIEW_ATTRIBUTES:
            break
    return view


def unordered(value: object, depth: int = 0) -> bool:
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


def gettext_without_catalogue() -> dict[str, Any]:
    """`_`, `gettext` and `ngettext` as gettext behaves with no translation installed: the
    message as written (ngettext: the singular for 1, else the plural), so that code
    written as `_("No such option {name!r}.").format(...)` runs, in English, whatever the
    environment says. The code's own import of gettext is not run (the policy refuses it)."""

    def gettext(message: str) -> str:
        return message

    def ngettext(singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


# Members of side-effecting modules that only compute, or read a fact fixed for this machine
# and interpreter (the sandbox runs on the developer's own Linux machine, so `sys.platform`
# is theirs). Code that names one of these modules without binding it (its file's `import
# os` is not sent: the first filter refuses it), or imports members by name (`from os.path
# import basename`), gets a module holding these alone; the first filter (policy.py) lets
# `os.path.basename(p)` through and refuses every other member.
# Nothing here reads the environment, files or the process: `os.environ` and
# `os.path.exists` stay refused (a key would be the sandbox's, not the developer's).
STANDARD_FACADES: dict[str, tuple[str, ...]] = {
    "os": (
        "PathLike", "fspath", "fsdecode", "fsencode", "name", "sep", "altsep", "extsep",
        "pathsep", "linesep", "curdir", "pardir", "path.basename", "path.dirname",
        "path.split", "path.splitext", "path.join", "path.normpath", "path.normcase",
        "path.isabs", "path.commonprefix", "path.sep", "path.pathsep", "path.extsep",
        "path.curdir", "path.pardir", "path.altsep",
    ),
    "sys": (
        "platform", "version_info", "hexversion", "maxsize", "maxunicode", "byteorder",
        "float_info", "getfilesystemencoding", "getdefaultencoding",
    ),
    "inspect": (
        "cleandoc", "isclass", "isfunction", "ismethod", "ismodule", "isroutine",
        "isgeneratorfunction", "iscoroutinefunction", "isawaitable",
    ),
}  # fmt: skip


def facades_named(sources: list[str]) -> list[str]:
    """The modules of STANDARD_FACADES the code names, imported (by trusted code, before the
    walls go up: inspect is imported only for code that names it)."""
    named = [
        m
        for m in STANDARD_FACADES
        if any(m + "." in source or f"from {m} import" in source for source in sources)
    ]
    for name in named:
        __import__(name)
    return named


def standard_facades(names: list[str]) -> dict[str, ModuleType]:
    """A facade of each module named (imported already): a module holding only its listed
    members (a dotted member in a nested module of its own). Fresh for each call, so what a
    call does to one (with the first filter off) is not what the next call finds."""
    facades: dict[str, ModuleType] = {}
    for name in names:
        members, real = STANDARD_FACADES[name], sys.modules[name]
        facade = type(sys)(name)
        for member in members:
            holder, value, path = facade, real, member.split(".")
            for part in path[:-1]:
                value = getattr(value, part)
                if part not in holder.__dict__:
                    holder.__dict__[part] = type(sys)(f"{holder.__name__}.{part}")
                holder = holder.__dict__[part]
            holder.__dict__[path[-1]] = getattr(value, path[-1])
        facades[name] = facade
    return facades


class FirstFilter:
    """The Python-level walls: restricted builtins and imports, an audit hook. A first
    filter that turns honest code's I/O into a clear "refused"; the seccomp filter and the
    namespaces around this process are the wall."""

    SAFE_NAMES = (  # noqa: SIM905 - a list of sixty names reads better as words
        "abs aiter all anext any ascii bin bool bytearray bytes callable chr classmethod "
        "complex dict divmod enumerate filter float format frozenset hasattr hash hex id int "
        "isinstance issubclass iter len list map max min next object oct ord pow property "
        "range repr reversed round set slice sorted staticmethod str sum super tuple type "
        "zip Ellipsis NotImplemented None True False"
    ).split()
    DENIED_PREFIXES = (
        "subprocess.", "socket.", "ctypes.", "shutil.", "tempfile.", "glob.", "webbrowser.",
        "urllib.", "http.", "ftplib.", "smtplib.", "imaplib.", "poplib.", "nntplib.",
        "telnetlib.", "pty.", "mmap.", "fcntl.", "sqlite3.", "syslog.", "resource.",
        "msvcrt.", "winreg.", "_winapi.", "pdb.", "time.sleep", "_thread.start_new_thread",
        "sys.remote_exec", "gc.", "signal.",
    )  # fmt: skip
    DENIED_EVENTS = frozenset(
        {
            "builtins.input", "builtins.breakpoint", "sys.addaudithook", "sys.setprofile",
            "code.__new__", "function.__new__", "pickle.find_class",
            "marshal.load", "cpython.run_command", "cpython.run_file", "cpython.run_module",
        }
    )  # fmt: skip
    DENIED_IMPORTS = frozenset(
        {
            "ctypes", "_ctypes", "subprocess", "_posixsubprocess", "socket", "_socket", "ssl",
            "_ssl", "mmap", "fcntl", "pty", "multiprocessing", "_multiprocessing", "select",
            "resource", "pdb", "webbrowser", "urllib", "http", "sqlite3", "gc", "_thread",
            "threading", "signal", "os", "posix", "io", "_io", "builtins",
        }
    )  # fmt: skip
    FRAME_ATTRIBUTES = frozenset({"gi_frame", "cr_frame", "ag_frame", "f_back", "tb_frame"})

    def __init__(self, request: Request) -> None:
        self.allowed = frozenset(request["allowed_modules"])
        self.denied_attributes = frozenset(request["denied_module_attributes"])

    def builtins(self) -> dict[str, Any]:
        import builtins

        safe = {name: getattr(builtins, name) for name in self.SAFE_NAMES}
        for name, value in vars(builtins).items():
            if isinstance(value, type) and issubclass(value, BaseException):
                safe[name] = value
        safe["__build_class__"] = builtins.__build_class__
        safe["__import__"] = self.restricted_import
        safe["getattr"] = self.literal_getattr()
        return safe

    def literal_getattr(self) -> Any:
        """getattr for the names the policy lets through (literal, no dunder, no frame
        attribute): it refuses the others again, should one be computed at run time."""
        import builtins

        real_getattr, frame_attributes = builtins.getattr, self.FRAME_ATTRIBUTES

        def getattr(target: object, name: str, *default: object) -> Any:
            if type(name) is not str or name.startswith("__") or name in frame_attributes:
                raise AttributeError("the sandbox does not look up " + repr(name)[:80])
            return real_getattr(target, name, *default)

        return getattr

    def copy_module(self, name: str) -> ModuleType:
        real = sys.modules[name]
        copy = type(sys)(name)
        for key, value in list(vars(real).items()):
            if key.startswith("_") or key in self.denied_attributes:
                continue
            if isinstance(value, type(sys)):
                if value.__name__ not in self.allowed:
                    continue
                value = self.copy_module(value.__name__)
            copy.__dict__[key] = value
        return copy

    def restricted_import(
        self,
        name: str,
        globals: object = None,
        locals: object = None,
        fromlist: tuple[str, ...] | list[str] | None = (),
        level: int = 0,
    ) -> ModuleType:
        import builtins

        if level:
            return self.package_names(globals, fromlist)
        facade = self.facade_holding(name, fromlist)
        if facade is not None:
            return facade
        if name not in self.allowed:
            raise ImportError("the sandbox does not import " + str(name))
        builtins.__import__(name)
        for item in fromlist or ():
            if name + "." + item in self.allowed:
                builtins.__import__(name + "." + item)
        return self.copy_module(name if fromlist else name.split(".")[0])

    @staticmethod
    def facade_holding(name: str, fromlist: object) -> ModuleType | None:
        """`from os.path import basename`, `from inspect import isclass`: the names come
        from a fresh facade of the module (STANDARD_FACADES), which holds nothing else."""
        module, _, inner = str(name).partition(".")
        if module not in STANDARD_FACADES or module not in sys.modules or not fromlist:
            return None
        facade = standard_facades([module])[module]
        return facade.__dict__.get(inner) if inner else facade

    @staticmethod
    def package_names(namespace: object, fromlist: object) -> ModuleType:
        """`from .module import name` in a function: the package's modules are not run here;
        the quiz brought the names into the definitions, and they are given from there (a
        module holding only those). A name that is not there marks the call as having
        reached what the sandbox could not run, and raises ImportError."""
        module = type(sys)("mindgap_package")
        names = list(fromlist) if isinstance(fromlist, (list, tuple)) else []
        if type(namespace) is not dict or not names:
            raise ImportError("the sandbox imports no package module")
        for item in names:
            if type(item) is str and not item.startswith("__") and item in namespace:
                module.__dict__[item] = namespace[item]
                continue
            reached = namespace.setdefault(UNAVAILABLE_REACHED, [])
            if type(reached) is list:
                reached.append(1)
            raise ImportError("the sandbox has no " + repr(item)[:80])
        return module

    def install_audit_hook(self, violations: list[str]) -> None:
        # everything the hook needs is bound now: it holds no switch the code could flip
        # (and were one flipped, the seccomp filter and the namespaces still hold)
        denied_prefixes, denied_events = self.DENIED_PREFIXES, self.DENIED_EVENTS
        denied_imports, frame_attributes = self.DENIED_IMPORTS, self.FRAME_ATTRIBUTES
        allowed_imports = frozenset(sys.modules)

        class SandboxViolation(Exception):
            pass

        def audit(event, args):
            if event == "open":
                denied = True  # the code has no files to read; the stdlib is loaded
            elif event == "import":
                name = str(args[0])
                denied = name not in allowed_imports and name.split(".")[0] in denied_imports
            elif event.startswith("os."):
                denied = True
            elif event == "object.__getattr__":
                denied = len(args) > 1 and args[1] in frame_attributes
            else:
                denied = event in denied_events or event.startswith(denied_prefixes)
            if denied:
                detail = event
                if event in ("open", "import") and args:
                    detail = f"{event} {str(args[0])[:80]}"
                violations.append(detail)
                raise SandboxViolation("sandbox refused " + detail)

        sys.addaudithook(audit)


if __name__ == "__main__":
    main(sys.argv)
