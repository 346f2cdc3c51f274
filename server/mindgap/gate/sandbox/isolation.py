"""The wall: how the sandbox's child is started under the operating system's isolation.

On Linux, bubblewrap (`bwrap`, Debian's package `bubblewrap`) starts it in new user, pid,
network, ipc, uts, cgroup and mount namespaces, as an unprivileged user with no capabilities,
in a new session, dying with its parent. Its file system holds only, read-only, what the
interpreter needs (`/usr` with the shared libraries, the interpreter's own prefix with its
site-packages masked, the loader's cache) and an empty private tmpfs of 1 MiB as `/tmp`; no
`/proc`, no `/dev`, no `/etc`, no home, no environment variables. The supervisor filter of
`seccomp.py` binds it from the interpreter's first instruction.

A setting (`sandbox_command`) may name another sandbox command instead: its words are put in
front of the interpreter's command line, and it must keep the file descriptors it inherits
(the child's protocol pipe). Without bubblewrap (or another command) nothing runs.
"""

from __future__ import annotations

import functools
import os
import shutil
import sys
import sysconfig
from pathlib import Path

from mindgap.gate.sandbox.child import PRIVATE_TMP_BYTES


class IsolationUnavailable(RuntimeError):
    """No operating-system sandbox can be had here; the message says why and what to do."""


def interpreter() -> str:
    """The real interpreter (a virtual environment's python is a link to it)."""
    return os.path.realpath(sys.executable)


@functools.lru_cache(maxsize=1)
def bubblewrap() -> str:
    if not sys.platform.startswith("linux"):
        raise IsolationUnavailable(
            f"no operating-system sandbox is supported on {sys.platform} yet "
            "(set sandbox_command to one that is)"
        )
    found = shutil.which("bwrap")
    if found is None:
        raise IsolationUnavailable(
            "bubblewrap (bwrap) is not installed: install it "
            "(Debian/Ubuntu: apt-get install bubblewrap; Fedora: dnf install bubblewrap)"
        )
    return found


def command(seccomp_fd: int | None, custom: tuple[str, ...] = ()) -> list[str]:
    """The words that start the interpreter inside the sandbox (the interpreter's own
    arguments follow): bubblewrap's, or those of `custom` (a `sandbox_command` setting)."""
    if custom:
        return [*custom, interpreter()]
    arguments = [
        bubblewrap(),
        "--unshare-all",
        "--unshare-user",
        "--disable-userns",
        "--uid",
        "65534",
        "--gid",
        "65534",
        "--die-with-parent",
        "--new-session",
        "--cap-drop",
        "ALL",
        "--clearenv",
        "--hostname",
        "sandbox",
    ]
    arguments += _file_system()
    arguments += ["--size", str(PRIVATE_TMP_BYTES), "--tmpfs", "/tmp", "--chdir", "/tmp"]
    if seccomp_fd is not None:
        arguments += ["--seccomp", str(seccomp_fd)]
    return [*arguments, "--", interpreter()]


@functools.lru_cache(maxsize=1)
def _file_system() -> tuple[str, ...]:
    """Read-only binds of what the interpreter needs, and nothing that holds user data."""
    arguments: list[str] = ["--ro-bind", "/usr", "/usr"]
    for top in ("/lib", "/lib32", "/lib64", "/libx32", "/bin", "/sbin"):
        path = Path(top)
        if path.is_symlink():
            arguments += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            arguments += ["--ro-bind", top, top]
    if Path("/etc/ld.so.cache").is_file():
        arguments += ["--ro-bind", "/etc/ld.so.cache", "/etc/ld.so.cache"]
    bound = ["/usr"]
    for prefix in {os.path.realpath(p) for p in (sys.base_prefix, sys.base_exec_prefix)}:
        if not any(prefix == b or prefix.startswith(b + "/") for b in bound):
            arguments += ["--ro-bind", prefix, prefix]
            bound.append(prefix)
    executable = interpreter()
    if not any(executable.startswith(b + "/") for b in bound):
        arguments += ["--ro-bind", executable, executable]
    # installed packages are none of the child's business (it runs with -I -S anyway)
    for key in ("purelib", "platlib"):
        site = os.path.realpath(sysconfig.get_paths(vars={"base": sys.base_prefix})[key])
        inside = any(site.startswith(b + "/") for b in bound)
        if inside and os.path.isdir(site) and ["--tmpfs", site] != arguments[-2:]:
            arguments += ["--tmpfs", site]
    return tuple(arguments)
