"""Seccomp filters for the sandbox, compiled by libseccomp (the maintained library behind
Docker's, systemd's and bubblewrap users' filters), never written by hand.

Two filters, both deny lists over the native architecture (libseccomp also kills any call made
through another architecture's numbers, such as i386's `int 0x80` or x32):

- `supervisor_filter()`: handed to bubblewrap (`--seccomp FD`), so it binds everything in the
  sandbox from the interpreter's first instruction. It refuses (EPERM) what no process there
  ever needs: sockets, ptrace and reading other processes' memory, pidfds, renicing, device
  nodes, mounts and new namespaces, kernel keyrings, BPF, perf, io_uring and the like.
- `worker_filter()`: installed by each worker on itself after it forked and before any foreign
  code runs; it adds to the first and KILLS the process on: creating processes or threads
  (clone, clone3, fork, vfork), execve, sending any signal (kill, tkill, tgkill, sigqueue),
  links and FIFOs, changing its own limits. A killed worker's call is reported as refused.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import functools
import os

SCMP_ACT_KILL_PROCESS = 0x80000000
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_MASKED_EQ = 7


def _act_errno(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


# Nothing in the sandbox needs these; refused for the supervisor and the workers alike.
SUPERVISOR_DENIED = (
    "socket",
    "socketpair",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "pidfd_open",
    "pidfd_getfd",
    "pidfd_send_signal",
    "setpriority",
    "sched_setscheduler",
    "sched_setparam",
    "sched_setattr",
    "sched_setaffinity",
    "ioprio_set",
    "mknod",
    "mknodat",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "syslog",
    "acct",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "quotactl",
    "open_by_handle_at",
    "name_to_handle_at",
    "lookup_dcookie",
    "iopl",
    "ioperm",
    "personality",
    "vhangup",
    "uselib",
    "kcmp",
    "fanotify_init",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsmount",
    "fspick",
)

# Added for the worker, whose code is foreign: any of these ends it at once.
WORKER_KILLED = (
    "clone",
    "clone3",
    "fork",
    "vfork",
    "execve",
    "execveat",
    "kill",
    "tkill",
    "tgkill",
    "rt_sigqueueinfo",
    "rt_tgsigqueueinfo",
    "link",
    "linkat",
    "symlink",
    "symlinkat",
    "setrlimit",
    "prlimit64",
    "connect",
    "bind",
    "listen",
    "accept",
    "accept4",
    "memfd_create",
    "setsid",
    "setpgid",
)

# clone() flags that create namespaces: the supervisor forks workers, never namespaces.
_CLONE_NAMESPACE_FLAGS = (
    0x00020000,  # CLONE_NEWNS
    0x02000000,  # CLONE_NEWCGROUP
    0x04000000,  # CLONE_NEWUTS
    0x08000000,  # CLONE_NEWIPC
    0x10000000,  # CLONE_NEWUSER
    0x20000000,  # CLONE_NEWPID
    0x40000000,  # CLONE_NEWNET
)


class SeccompUnavailable(RuntimeError):
    """libseccomp cannot be loaded or refuses the filter: the sandbox is not available."""


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


@functools.lru_cache(maxsize=1)
def _library() -> ctypes.CDLL:
    name = ctypes.util.find_library("seccomp") or "libseccomp.so.2"
    try:
        library = ctypes.CDLL(name, use_errno=True)
    except OSError as error:
        raise SeccompUnavailable(
            "libseccomp is not installed (Debian/Ubuntu: apt-get install libseccomp2)"
        ) from error
    library.seccomp_init.restype = ctypes.c_void_p
    library.seccomp_init.argtypes = [ctypes.c_uint32]
    library.seccomp_release.argtypes = [ctypes.c_void_p]
    library.seccomp_syscall_resolve_name.restype = ctypes.c_int
    library.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    library.seccomp_rule_add_array.restype = ctypes.c_int
    library.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCmp),
    ]
    library.seccomp_export_bpf.restype = ctypes.c_int
    library.seccomp_export_bpf.argtypes = [ctypes.c_void_p, ctypes.c_int]
    return library


def _compile(rules: list[tuple[str, int, tuple[_ArgCmp, ...]]]) -> bytes:
    library = _library()
    context = library.seccomp_init(SCMP_ACT_ALLOW)
    if not context:
        raise SeccompUnavailable("libseccomp could not start a filter")
    try:
        for name, action, conditions in rules:
            number = library.seccomp_syscall_resolve_name(name.encode())
            if number < 0:  # not a system call on this architecture
                continue
            array = (_ArgCmp * len(conditions))(*conditions) if conditions else None
            result = library.seccomp_rule_add_array(context, action, number, len(conditions), array)
            if result < 0:
                raise SeccompUnavailable(
                    f"libseccomp refused the rule for {name}: {os.strerror(-result)}"
                )
        reader, writer = os.pipe()
        try:
            result = library.seccomp_export_bpf(context, writer)
            os.close(writer)
            writer = -1
            if result < 0:
                raise SeccompUnavailable(f"libseccomp could not export: {os.strerror(-result)}")
            chunks = []
            while block := os.read(reader, 65536):
                chunks.append(block)
            return b"".join(chunks)
        finally:
            os.close(reader)
            if writer >= 0:
                os.close(writer)
    finally:
        library.seccomp_release(context)


def _supervisor_rules(action: int) -> list[tuple[str, int, tuple[_ArgCmp, ...]]]:
    rules: list[tuple[str, int, tuple[_ArgCmp, ...]]] = [
        (name, action, ()) for name in SUPERVISOR_DENIED
    ]
    for flag in _CLONE_NAMESPACE_FLAGS:
        rules.append(("clone", action, (_ArgCmp(0, SCMP_CMP_MASKED_EQ, flag, flag),)))
    return rules


@functools.lru_cache(maxsize=1)
def supervisor_filter() -> bytes:
    """The BPF program bubblewrap loads for everything in the sandbox."""
    return _compile(_supervisor_rules(_act_errno(errno.EPERM)))


@functools.lru_cache(maxsize=1)
def worker_filter() -> bytes:
    """The BPF program each worker adds on itself before it runs foreign code."""
    rules: list[tuple[str, int, tuple[_ArgCmp, ...]]] = [
        (name, SCMP_ACT_KILL_PROCESS, ()) for name in WORKER_KILLED
    ]
    rules += _supervisor_rules(SCMP_ACT_KILL_PROCESS)
    return _compile([rule for rule in rules if rule[0] != "clone" or not rule[2]])
