"""The contract of convention mining: observers report the choices code makes; a rule is a
choice the repository's human-written code makes dominantly.

An observer looks at one parsed file and yields an `Observation` for every site where the
code chose between alternatives on one dimension (a function name in snake_case, a string
formatted with an f-string, a path joined with os.path). Mining counts the observations of
the repository's files; checking compares the observations inside foreign code with the
mined rules. The same observer serves both, so what is counted is exactly what is checked.

Checking needs only the sites inside a foreign region, so it hands the observers a focused
`SourceFile`: they search only the part of the tree around the focus (a 50-line region of a
3,000-line file costs a 50-line search), yet every observation they make there is exactly
the one the whole-file run makes, since what they need from the rest of the file (its
imports, its logger names, whether it is a script) they still look up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from types import MappingProxyType
from typing import NamedTuple

import tree_sitter

from mindgap.syntax.positions import LineIndex


@dataclass(frozen=True)
class SourceFile:
    """One parsed file, as an observer sees it."""

    path: str  # repository-relative, '/'-separated ('' for an unsaved buffer)
    language: str  # LanguageSpec.name: python, javascript, typescript, tsx, go, rust, java
    index: LineIndex  # the text, and byte <-> character conversions
    tree: tree_sitter.Tree
    is_test: bool  # tests are a scope of their own: their conventions may differ
    # Character offsets (start, end) of the only part whose sites are wanted, or None for
    # the whole file. An observer given a focus must yield every site inside it exactly as
    # it would over the whole file; sites outside it may be yielded or not (the caller
    # drops them).
    focus: tuple[int, int] | None = None

    def focused(self, start: int, end: int) -> SourceFile:
        """The same file, with only the sites within text[start:end] wanted."""
        return replace(self, focus=(start, end))

    def focus_bytes(self) -> tuple[int, int] | None:
        """The focus as UTF-8 byte offsets (what tree-sitter counts in)."""
        if self.focus is None:
            return None
        start, end = self.focus
        if self.is_ascii:
            return start, end
        return self.index.byte_offset(start), self.index.byte_offset(end)

    def within_focus(self, start: int, end: int) -> bool:
        """Whether a site text[start:end] is one the focus wants (always, without focus)."""
        return self.focus is None or (self.focus[0] <= start and end <= self.focus[1])

    @property
    def text(self) -> str:
        return self.index.text

    @cached_property  # kept in the instance's dict: asked for every site an observer finds
    def is_ascii(self) -> bool:
        """Whether the text is ASCII: a node's byte offsets are then its character offsets."""
        return self.text.isascii()

    def span(self, node: tree_sitter.Node) -> tuple[int, int]:
        """A node's start and end as character offsets into `text`."""
        start = self.index.offset_of_point(node.start_point[0], node.start_point[1])
        end = self.index.offset_of_point(node.end_point[0], node.end_point[1])
        return start, end

    def node_text(self, node: tree_sitter.Node) -> str:
        start, end = self.span(node)
        return self.text[start:end]


_NO_REWRITES: Mapping[str, str] = MappingProxyType({})


class Observation(NamedTuple):
    """One site where the code chose one alternative of an aspect of a dimension.

    A named tuple: learning makes hundreds of thousands of them, and one costs a third of a
    frozen dataclass."""

    dimension: str  # SPEC.md's `dimension`: naming, quotes, string-format, ...
    aspect: str  # what was chosen about, within the dimension: "function", "quote", ...
    choice: str  # the alternative taken: "snake_case", "double", "f-string", ...
    start: int  # character offsets of the site in SourceFile.text
    end: int
    # A mechanical fix: the text that would replace text[start:end] if the code had taken
    # another alternative (choice -> replacement). Empty where no fix is mechanical.
    rewrites: Mapping[str, str] = _NO_REWRITES


@dataclass(frozen=True)
class Observer:
    """One dimension's observer for some languages, with the words for its findings."""

    dimension: str
    languages: frozenset[str]
    observe: Callable[[SourceFile], Iterable[Observation]]
    # aspect -> what it is, in a message: {"function": "function names"}
    aspects: Mapping[str, str]
    # choice -> how to say it: {"f-string": "f-strings", "format": "str.format()"}
    choices: Mapping[str, str]
    # What it checks, why, an example and what to use instead (docs/conventions.md) are in
    # a data file beside the observer's module: dimensions.documented_observers reads them.

    def offers(self, aspect: str) -> bool:
        """Whether this observer reports `aspect` (qualified ones too: "form/click")."""
        return aspect.split("/", 1)[0] in self.aspects

    def describe(self, aspect: str) -> str:
        """An aspect in a message: "function names"; "imports of `click`" for "form/click"."""
        base, _, qualifier = aspect.partition("/")
        words = self.aspects.get(base, base)
        if not qualifier:
            return words
        if words.endswith(" of a module"):
            return f"{words.removesuffix(' of a module')} of `{qualifier}`"
        return f"{words} ({qualifier})"


@dataclass(frozen=True)
class Prose:
    """How docs/conventions.md explains one observer's dimension."""

    what: str  # what it checks
    why: str  # why it matters
    example: str  # a snippet that departs from the usual convention
    use_instead: str  # the same, following it
