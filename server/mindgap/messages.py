"""Messages for people: one line of reasonable length, whatever was echoed into them."""

from __future__ import annotations

MESSAGE_CHARS = 300


def one_line(message: str) -> str:
    """The message on one line, at most MESSAGE_CHARS long: input echoed into it (a path, a
    5,000-digit number, a hostile command argument) may be anything. The middle goes, so that
    what it is about (the start) and why (the end) both stay."""
    flat = " ".join(message.split())
    if len(flat) <= MESSAGE_CHARS:
        return flat
    half = MESSAGE_CHARS // 2
    return f"{flat[:half]}...{flat[-half:]}"
