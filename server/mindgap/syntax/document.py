"""A document that keeps its text, line index and tree-sitter tree, updated incrementally."""

from __future__ import annotations

from dataclasses import dataclass

import tree_sitter

from mindgap.syntax.languages import LanguageSpec
from mindgap.syntax.positions import UTF16, LineIndex, Pos, utf8_len

# Past this size a file is tracked (provenance works) but not parsed: a minified bundle or
# a generated file would cost more to parse than anything mindgap could say about it.
MAX_PARSED_CHARS = 2_000_000


@dataclass(frozen=True)
class TextEdit:
    """One applied change, in offsets of the text before it: text[start:end] -> new_text."""

    start: int
    end: int
    new_text: str
    old_text: str

    @property
    def delta(self) -> int:
        return len(self.new_text) - (self.end - self.start)


class SyntaxDocument:
    def __init__(
        self,
        uri: str,
        text: str,
        language: LanguageSpec | None,
        version: int | None = None,
        encoding: str = UTF16,
    ) -> None:
        self.uri = uri
        self.version = version
        self.language = language
        self.index = LineIndex(text, encoding)
        self._parser: tree_sitter.Parser | None = language.parser() if language else None
        self.tree: tree_sitter.Tree | None = None
        self._parse(None)

    @property
    def text(self) -> str:
        return self.index.text

    def offset(self, pos: Pos) -> int:
        return self.index.offset(pos)

    def position(self, offset: int) -> Pos:
        return self.index.position(offset)

    def apply(self, start: Pos | None, end: Pos | None, new_text: str) -> TextEdit:
        """Apply one LSP content change (no range: the whole text); `reparse` after the batch."""
        if start is None or end is None:
            start_offset, end_offset = 0, len(self.text)
        else:
            start_offset, end_offset = self.index.offset(start), self.index.offset(end)
            if end_offset < start_offset:
                start_offset, end_offset = end_offset, start_offset
        return self.replace(start_offset, end_offset, new_text)

    def replace(self, start: int, end: int, new_text: str) -> TextEdit:
        """Edit the text and the tree; call `reparse` once after a batch of edits."""
        edit = TextEdit(start, end, new_text, self.text[start:end])
        parsing = self.tree is not None
        if parsing:
            start_byte = self.index.byte_offset(start)
            old_end_byte = start_byte + utf8_len(edit.old_text)
            start_point = self.index.point(start)
            old_end_point = self.index.point(end)
        self.index.replace(start, end, new_text)
        if parsing and self.tree is not None:
            self.tree.edit(
                start_byte=start_byte,
                old_end_byte=old_end_byte,
                new_end_byte=start_byte + utf8_len(new_text),
                start_point=start_point,
                old_end_point=old_end_point,
                new_end_point=self.index.point(start + len(new_text)),
            )
        return edit

    def reparse(self) -> None:
        """Re-parse after one or more edits, reusing the unchanged parts of the old tree."""
        self._parse(self.tree)

    def _parse(self, old_tree: tree_sitter.Tree | None) -> None:
        if self._parser is None or len(self.text) > MAX_PARSED_CHARS:
            self.tree = None
            return
        source = self.text.encode("utf-8", errors="surrogatepass")
        self.tree = self._parser.parse(source, old_tree) if old_tree else self._parser.parse(source)
