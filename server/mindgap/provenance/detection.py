"""Deciding which inserted text is foreign: bursts, and added hunks between two versions."""

from __future__ import annotations

import difflib
import re
from collections import deque
from dataclasses import dataclass, replace

from mindgap.provenance.regions import Region

# A replaced block this similar to what it replaced is a rewrite of existing code (a
# formatter, a rename, a re-indent), not new code from somewhere else.
REWRITE_SIMILARITY = 0.6


@dataclass(frozen=True)
class BurstThresholds:
    min_lines: int = 2
    min_chars: int = 60


def is_burst(text: str, thresholds: BurstThresholds) -> bool:
    """Typing never inserts this much in one change: several lines, or many characters."""
    lines = sum(1 for line in text.split("\n") if line.strip())
    chars = sum(1 for char in text if not char.isspace())
    return chars > 0 and (lines >= thresholds.min_lines or chars >= thresholds.min_chars)


def added_blocks(old: str, new: str) -> list[tuple[int, int]]:
    """Offset ranges in `new` of lines that are new: inserted, or replacing dissimilar lines.

    Lines are compared without their white space, so re-indenting adds nothing.
    """
    old_lines = old.splitlines(keepends=True)
    new_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(
        None, [line.strip() for line in old_lines], [line.strip() for line in new_lines], False
    )
    line_offsets = [0]
    for line in new_lines:
        line_offsets.append(line_offsets[-1] + len(line))
    blocks = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "insert" or (
            tag == "replace" and not _is_rewrite(old_lines[i1:i2], new_lines[j1:j2])
        ):
            blocks.append((line_offsets[j1], line_offsets[j2]))
    return blocks


def _is_rewrite(old_lines: list[str], new_lines: list[str]) -> bool:
    old = _tokens("".join(old_lines))
    new = _tokens("".join(new_lines))
    return difflib.SequenceMatcher(None, old, new, False).ratio() >= REWRITE_SIMILARITY


# Words and single punctuation marks, not white-space separated chunks: `print(load("a"))`
# re-quoted by a formatter must stay mostly the same tokens, not one token that differs.
_TOKEN = re.compile(r"\w+|[^\w\s]")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


class RecentDeletions:
    """Text recently deleted from a document, with the foreign regions it held.

    Inserting such text again is an undo, or a move (cut and paste) of code whose origin is
    already known: its foreign parts come back as foreign, the rest stays the developer's.
    """

    def __init__(self, size: int = 32) -> None:
        self._entries: deque[_Deletion] = deque(maxlen=size)

    def remember(self, text: str, regions: list[Region]) -> None:
        """`regions` are the foreign parts of `text`, with offsets relative to its start."""
        if text.strip():
            self._entries.append(_Deletion(text, regions))

    def take(self, text: str) -> list[Region] | None:
        """The foreign parts (offsets relative to `text`) if `text` was recently deleted,
        else None.

        Editors describe the same lines differently on the way out and back in (Neovim
        deletes "a\nb\n" and redoes it as "\na\nb\n"), so the match ignores white space
        at the ends; white space changed inside means the developer's own version: [].
        """
        body = text.strip()
        for entry in reversed(self._entries):
            if entry.key != _words(text):
                continue
            self._entries.remove(entry)
            if entry.body != body:
                return []
            shift = _lead(text) - _lead(entry.text)
            return [replace(r, start=r.start + shift, end=r.end + shift) for r in entry.regions]
        return None


@dataclass(frozen=True)
class _Deletion:
    text: str
    regions: list[Region]

    @property
    def body(self) -> str:
        return self.text.strip()

    @property
    def key(self) -> str:
        return _words(self.text)


def _words(text: str) -> str:
    return " ".join(text.split())


def _lead(text: str) -> int:
    return len(text) - len(text.lstrip())
