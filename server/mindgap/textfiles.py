"""Reading source files from disk, with a clear reason when one is not usable text.

Only regular files are read, and never more than a limit: a FIFO would block the reader
forever, `/dev/zero` never ends, and a symlink loop never resolves. The file is opened
without blocking and its kind and size are checked on the open descriptor, so that nothing
can swap it between the check and the read.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 5_000_000

_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


class UnreadableFile(OSError):
    """A path that is no regular file, too large or unreadable; the message says which."""


@dataclass(frozen=True)
class TextContent:
    text: str | None
    problem: str | None = None  # why `text` is None, in words a user understands


def resolved(path: str | Path) -> Path:
    """The absolute path, symlinks resolved; a symlink loop stays as given (made absolute):
    reading it then says what is wrong."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: "Symlink loop" (Python < 3.13)
        return Path(os.path.abspath(path))


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most `limit` bytes (default MAX_FILE_BYTES);
    UnreadableFile (with a message naming the path) for anything else."""
    limit = MAX_FILE_BYTES if limit is None else limit
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UnreadableFile(f"{path}: a symlink loop, not a file") from None
        raise UnreadableFile(f"{path}: cannot read: {error.strerror or error}") from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            kind = _kind(status.st_mode)
            raise UnreadableFile(f"{path}: {kind}, not a regular file: not read")
        if status.st_size > limit:
            raise UnreadableFile(
                f"{path}: too large ({status.st_size:,} bytes; the limit is {limit:,})"
            )
        chunks: list[bytes] = []
        size = 0
        while size <= limit:  # the file may grow while it is read: never past the limit
            chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise UnreadableFile(f"{path}: too large (over {limit:,} bytes)")
        return b"".join(chunks)
    except UnreadableFile:
        raise
    except OSError as error:
        raise UnreadableFile(f"{path}: cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)


def read_text_file(path: str | Path) -> TextContent:
    path = Path(path)
    try:
        data = read_regular_file(path)
    except UnreadableFile as error:
        return TextContent(None, str(error))
    if b"\0" in data[:8192]:
        return TextContent(None, f"{path}: a binary file, not source code")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        return TextContent(None, f"{path}: not valid UTF-8 (byte {error.start}); save it as UTF-8")
    return TextContent(text.removeprefix("\ufeff"))


def read_small_text(path: str | Path, limit: int | None = None) -> str:
    """A configuration or manifest file's text (invalid UTF-8 replaced); UnreadableFile when
    it is no regular file or too large."""
    return read_regular_file(path, limit).decode("utf-8", errors="replace")
