"""mindgap: notice code you did not write, and keep you in command of it."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata costs ~15 ms at every start, and the agent
    # hook (`mindgap agent record`) runs once per edit an agent makes.
    if name != "__version__":
        raise AttributeError(f"module 'mindgap' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("mindgap")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+source"
    globals()["__version__"] = found
    return found
