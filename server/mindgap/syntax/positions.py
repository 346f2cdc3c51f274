"""The one conversion between LSP positions, text offsets and tree-sitter byte offsets.

Offsets in mindgap are indexes into the document's Python string (code points). LSP
positions count columns in the negotiated encoding (UTF-16 unless the client asked for
another); tree-sitter counts UTF-8 bytes. Everything that crosses between them goes
through a `LineIndex`.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

UTF8 = "utf-8"
UTF16 = "utf-16"
UTF32 = "utf-32"


@dataclass(frozen=True, order=True)
class Pos:
    """A zero-based LSP position: line and column in the index's encoding."""

    line: int
    character: int


def _units(char: str, encoding: str) -> int:
    code = ord(char)
    if encoding == UTF16:
        return 2 if code > 0xFFFF else 1
    if encoding == UTF8:
        return 1 if code < 0x80 else 2 if code < 0x800 else 3 if code < 0x10000 else 4
    return 1


def column_to_index(line_text: str, column: int, encoding: str) -> int:
    """Code-point index in `line_text` of an encoded column; past the end clamps to the end.

    A column that falls inside a character (half a surrogate pair) rounds down to its start.
    """
    if encoding == UTF32 or line_text.isascii():
        return min(column, len(line_text))
    units = 0
    for index, char in enumerate(line_text):
        units += _units(char, encoding)
        if units > column:
            return index
    return len(line_text)


def index_to_column(line_text: str, index: int, encoding: str) -> int:
    prefix = line_text[:index]
    if encoding == UTF32 or prefix.isascii():
        return len(prefix)
    if encoding == UTF8:
        return utf8_len(prefix)
    return len(prefix.encode("utf-16-le", errors="surrogatepass")) // 2


def utf8_len(text: str) -> int:
    # surrogatepass: a lone surrogate (legal in JSON, so in LSP text) must not crash us
    return len(text.encode("utf-8", errors="surrogatepass"))


def _line_starts(text: str, base: int = 0) -> list[int]:
    starts = []
    find = text.find
    pos = find("\n")
    while pos != -1:
        starts.append(base + pos + 1)
        pos = find("\n", pos + 1)
    return starts


class LineIndex:
    """Line starts of a text, kept up to date under edits without re-scanning the whole text."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding
        self.starts = [0, *_line_starts(text)]

    @property
    def line_count(self) -> int:
        return len(self.starts)

    def line_text(self, line: int) -> str:
        """The text of a line without its line break."""
        start = self.starts[line]
        end = self.starts[line + 1] - 1 if line + 1 < len(self.starts) else len(self.text)
        return self.text[start:end].rstrip("\r")

    def offset(self, pos: Pos) -> int:
        """Text offset of an LSP position; positions past the end clamp to the end."""
        if pos.line < 0:
            return 0
        if pos.line >= len(self.starts):
            return len(self.text)
        return self.starts[pos.line] + column_to_index(
            self.line_text(pos.line), pos.character, self.encoding
        )

    def position(self, offset: int) -> Pos:
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        line_text = self.line_text(line)
        return Pos(
            line, index_to_column(line_text, min(offset - start, len(line_text)), self.encoding)
        )

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, max(0, offset)) - 1

    def byte_offset(self, offset: int) -> int:
        """UTF-8 byte offset of a text offset (what tree-sitter calls a byte)."""
        line = self.line_of(offset)
        start = self.starts[line]
        prefix_bytes = self._bytes_before_line(line)
        return prefix_bytes + utf8_len(self.text[start:offset])

    def point(self, offset: int) -> tuple[int, int]:
        """Tree-sitter point (row, UTF-8 byte column) of a text offset."""
        line = self.line_of(offset)
        return line, utf8_len(self.text[self.starts[line] : offset])

    def offset_of_point(self, row: int, byte_column: int) -> int:
        """Text offset of a tree-sitter point."""
        if row >= len(self.starts):
            return len(self.text)
        # the raw line, with any '\r': tree-sitter columns count it (a comment in a CRLF file
        # ends after it), so stripping it would make this the inverse of `point` no more
        start = self.starts[row]
        end = self.starts[row + 1] - 1 if row + 1 < len(self.starts) else len(self.text)
        line_text = self.text[start:end]
        encoded = line_text.encode("utf-8", errors="surrogatepass")
        prefix = encoded[:byte_column].decode("utf-8", errors="ignore")
        return start + len(prefix)

    def position_of_point(self, row: int, byte_column: int) -> Pos:
        return self.position(self.offset_of_point(row, byte_column))

    def _bytes_before_line(self, line: int) -> int:
        if self.text.isascii():
            return self.starts[line]
        return utf8_len(self.text[: self.starts[line]])

    def replace(self, start: int, end: int, new_text: str) -> None:
        """Apply an edit: text[start:end] becomes new_text; line starts shift, not re-scan."""
        first = bisect.bisect_right(self.starts, start)  # first line start after `start`
        last = bisect.bisect_right(self.starts, end)  # first line start after `end`
        delta = len(new_text) - (end - start)
        inserted = _line_starts(new_text, base=start)
        tail = self.starts[last:]
        if delta:
            tail = [s + delta for s in tail]
        self.starts[first:] = [*inserted, *tail]
        self.text = self.text[:start] + new_text + self.text[end:]
