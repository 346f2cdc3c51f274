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
    """Text, line index and tree of one document.

    Edits update the text and line index at once and tell the old tree where it changed
    (`Tree.edit`); the re-parse, which reuses every unchanged subtree, happens when the tree
    is next asked for. So a keystroke costs no parse, a burst of them costs one, and a tree
    that was dropped to save memory comes back on demand.
    """

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
        self._tree: tree_sitter.Tree | None = None
        self._stale = True

    @property
    def text(self) -> str:
        return self.index.text

    @property
    def tree(self) -> tree_sitter.Tree | None:
        """The syntax tree of the current text (None: no grammar, or too large to parse)."""
        if self._stale:
            self.reparse()
        return self._tree

    @property
    def has_current_tree(self) -> bool:
        return self._tree is not None and not self._stale

    def offset(self, pos: Pos) -> int:
        return self.index.offset(pos)

    def position(self, offset: int) -> Pos:
        return self.index.position(offset)

    def apply(self, start: Pos | None, end: Pos | None, new_text: str) -> TextEdit:
        """Apply one LSP content change (no range: the whole text)."""
        if start is None or end is None:
            start_offset, end_offset = 0, len(self.text)
        else:
            start_offset, end_offset = self.index.offset(start), self.index.offset(end)
            if end_offset < start_offset:
                start_offset, end_offset = end_offset, start_offset
        return self.replace(start_offset, end_offset, new_text)

    def replace(self, start: int, end: int, new_text: str) -> TextEdit:
        """Edit the text, and mark where the tree changed for the next (incremental) parse."""
        edit = TextEdit(start, end, new_text, self.text[start:end])
        tree = self._tree
        if tree is not None:
            start_byte = self.index.byte_offset(start)
            old_end_byte = start_byte + utf8_len(edit.old_text)
            start_point = self.index.point(start)
            old_end_point = self.index.point(end)
        self.index.replace(start, end, new_text)
        if tree is not None:
            tree.edit(
                start_byte=start_byte,
                old_end_byte=old_end_byte,
                new_end_byte=start_byte + utf8_len(new_text),
                start_point=start_point,
                old_end_point=old_end_point,
                new_end_point=self.index.point(start + len(new_text)),
            )
        self._stale = True
        return edit

    def reparse(self) -> None:
        """Parse now, reusing the unchanged parts of the old tree."""
        self._stale = False
        if self._parser is None or len(self.text) > MAX_PARSED_CHARS:
            self._tree = None
            return
        source = self.text.encode("utf-8", errors="surrogatepass")
        old = self._tree
        self._tree = self._parser.parse(source, old) if old else self._parser.parse(source)

    def drop_tree(self) -> None:
        """Free the tree's memory; the next use parses the text afresh."""
        self._tree = None
        self._stale = True
