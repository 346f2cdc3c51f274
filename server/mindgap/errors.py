"""What every face of mindgap shares about failing: the user's mistake and the exit codes.

The engine may raise UsageError for input the user can fix (a path that is no repository,
a bad line range); the command line prints its one line and exits EXIT_USAGE.
"""

from __future__ import annotations

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """Bad arguments or unusable input: exit 2 with this message."""
