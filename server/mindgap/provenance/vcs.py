"""What git knows about a file: used to tell a checkout or pull from an agent's edit."""

from __future__ import annotations

import subprocess
from pathlib import Path


def committed_text(path: str | Path) -> str | None:
    """The file's content at HEAD in its repository, or None (no repo, untracked, no git)."""
    path = Path(path)
    try:
        result = subprocess.run(
            ["git", "-C", str(path.parent), "show", f"HEAD:./{path.name}"],
            capture_output=True,
            timeout=10,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    try:
        return result.stdout.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None
