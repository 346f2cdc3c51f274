"""Reading source files from disk, with a clear reason when one is not usable text."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 5_000_000


@dataclass(frozen=True)
class TextContent:
    text: str | None
    problem: str | None = None  # why `text` is None, in words a user understands


def read_text_file(path: str | Path) -> TextContent:
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return TextContent(
                None, f"{path}: too large ({size:,} bytes; the limit is {MAX_FILE_BYTES:,})"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        return TextContent(None, f"{path}: no such file")
    except OSError as error:
        return TextContent(None, f"{path}: cannot read: {error.strerror or error}")
    if b"\0" in data[:8192]:
        return TextContent(None, f"{path}: a binary file, not source code")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return TextContent(None, f"{path}: not valid UTF-8 (byte {error.start}); save it as UTF-8")
    return TextContent(text.removeprefix("\ufeff"))
