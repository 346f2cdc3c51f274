"""Running foreign Python code for quiz answer keys: only in an operating-system sandbox.

- `policy`: the first filter, a static check of what may be sent at all (never the wall);
- `isolation`: the wall - bubblewrap (user, pid, net, ipc, mount namespaces; the interpreter
  and the standard library read-only; a private tmpfs) and seccomp filters from libseccomp;
  where that cannot be had, nothing runs and `unavailable_reason()` says why;
- `runner`: the parent's side - a session per quiz, the framed protocol on a pipe only the
  supervisor holds, bounds on every message, a wall clock, one cache of outcomes;
- `child`: the program that runs inside (a supervisor that never runs foreign code, and
  workers that do, each under the strict seccomp filter).
"""

from mindgap.gate.sandbox.policy import Verdict, check_code, check_expression
from mindgap.gate.sandbox.runner import (
    Limits,
    Outcome,
    Sandbox,
    prepare_sandbox,
    sandbox_available,
    sandboxes_under,
    unavailable_reason,
    use_sandbox_command,
)

__all__ = [
    "Limits",
    "Outcome",
    "Sandbox",
    "Verdict",
    "check_code",
    "check_expression",
    "prepare_sandbox",
    "sandbox_available",
    "sandboxes_under",
    "unavailable_reason",
    "use_sandbox_command",
]
