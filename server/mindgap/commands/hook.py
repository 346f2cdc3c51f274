"""`mindgap hook install|uninstall`: the commit gate as the repository's pre-commit hook.

The hook is ours when it carries HOOK_MARKER; another tool's hook is never overwritten or
removed (the command says so and exits 2). The hook runs this same Python, so it works from
a git client whose PATH does not hold `mindgap`.
"""

from __future__ import annotations

import argparse
import shlex
import stat
import sys
from pathlib import Path

from mindgap.errors import EXIT_CLEAN, UsageError
from mindgap.vcs import git_text, repository_root

HOOK_MARKER = "# mindgap commit gate"


def hook_path(root: Path) -> Path:
    """Where git looks for the pre-commit hook (core.hooksPath and worktrees included)."""
    path = Path(git_text(root, "rev-parse", "--git-path", "hooks/pre-commit").strip())
    return path if path.is_absolute() else root / path


def hook_script() -> str:
    python = shlex.quote(sys.executable)
    return (
        "#!/bin/sh\n"
        f"{HOOK_MARKER} (installed by `mindgap hook install`; `mindgap hook uninstall`"
        " removes it).\n"
        "# Refuses a commit that adds foreign code still pending, when the repository's\n"
        '# settings say commit_gate = "pending". `git commit --no-verify` skips it.\n'
        f"exec {python} -m mindgap check --staged --gate\n"
    )


def is_ours(path: Path) -> bool:
    try:
        return HOOK_MARKER in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def run(args: argparse.Namespace) -> int:
    root = repository_root(args.repo)
    path = hook_path(root)
    if args.action == "install":
        if path.exists() and not is_ours(path):
            raise UsageError(
                f"{path} already exists and is not mindgap's: left as it is. Add the line"
                f" `{sys.executable} -m mindgap check --staged --gate` to it yourself."
            )
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(hook_script(), encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        print(f"mindgap: installed the commit gate as {path}")
        return EXIT_CLEAN
    if not path.exists():
        print(f"mindgap: no pre-commit hook at {path}; nothing to remove")
        return EXIT_CLEAN
    if not is_ours(path):
        raise UsageError(f"{path} is not mindgap's hook: left as it is")
    path.unlink()
    print(f"mindgap: removed the commit gate {path}")
    return EXIT_CLEAN
