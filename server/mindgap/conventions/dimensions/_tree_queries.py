"""Shared plumbing for the observers: tree-sitter queries for JavaScript/TypeScript, Go, Rust
and Java (and Python's naming observer), and the byte span of a node for every language.

Observers find their sites with tree-sitter queries, matched in C rather than by walking
nodes in Python. Every observer module registers its query as a `SharedQuery`; the queries
of one language are compiled into one, so a file's tree is searched once for all of that
language's observers (the first observer to ask pays, the others read the result). A
focused file (checking a foreign region) is searched only where it overlaps the focus.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping

import tree_sitter

from mindgap.conventions import casing
from mindgap.conventions.model import Observation, Observer, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.limits import query_cursor

JS_FAMILY = frozenset({"javascript", "typescript", "tsx"})
TS_FAMILY = frozenset({"typescript", "tsx"})

_CAPTURE_NAME = re.compile(r"@([A-Za-z_][\w.-]*)")
_NUMBERS = itertools.count()
_REGISTERED: list[SharedQuery] = []
_COMBINED: dict[str, tree_sitter.Query] = {}


class _LastFile(threading.local):
    """The captures of the file being observed, kept while its observers run one by one
    (per thread: the server may observe files on several threads at once)."""

    source: SourceFile | None = None
    found: dict[str, list[tree_sitter.Node]]


_LAST = _LastFile()


class SharedQuery:
    """One observer's query, per language (language -> query text with @captures)."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.prefix = f"q{next(_NUMBERS)}."
        self.texts = {
            language: _CAPTURE_NAME.sub(lambda m: f"@{self.prefix}{m.group(1)}", text)
            for language, text in texts.items()
        }
        _REGISTERED.append(self)
        _COMBINED.clear()  # recompiled with this one the next time it is needed

    def captures(self, source: SourceFile) -> dict[str, list[tree_sitter.Node]]:
        """capture name -> the captured nodes, in document order."""
        found = _file_captures(source)
        cut = len(self.prefix)
        return {name[cut:]: nodes for name, nodes in found.items() if name.startswith(self.prefix)}


def shared_query(languages: frozenset[str], text: str) -> SharedQuery:
    return SharedQuery(dict.fromkeys(languages, text))


def _combined(language: str) -> tree_sitter.Query:
    query = _COMBINED.get(language)
    if query is None:
        text = "\n".join(q.texts[language] for q in _REGISTERED if language in q.texts)
        query = tree_sitter.Query(language_named(language).grammar, text)
        _COMBINED[language] = query
    return query


def _file_captures(source: SourceFile) -> dict[str, list[tree_sitter.Node]]:
    """Every capture of the file, computed once per file."""
    last = _LAST
    if last.source is not source:
        cursor = query_cursor(_combined(source.language))
        focus = source.focus_bytes()
        if focus is not None:
            # only the matches that overlap the focus (and the nodes enclosing it): the
            # cursor does not descend into the rest of the tree
            cursor.set_byte_range(*focus)
        found = cursor.captures(source.tree.root_node)
        for nodes in found.values():  # the cursor does not promise document order
            nodes.sort(key=_start_byte)
        last.source, last.found = source, found
    return last.found


def span(source: SourceFile, node: tree_sitter.Node) -> tuple[int, int]:
    """`source.span(node)`, without converting columns when the text is ASCII (bytes are
    characters then)."""
    if source.is_ascii:
        return node.start_byte, node.end_byte
    return source.span(node)


def _start_byte(node: tree_sitter.Node) -> int:
    return node.start_byte


def text_of(node: tree_sitter.Node) -> str:
    raw = node.text
    return raw.decode("utf-8", "replace") if raw is not None else ""


def span_of(source: SourceFile, first: tree_sitter.Node, last: tree_sitter.Node) -> tuple[int, int]:
    """From the start of `first` to the end of `last`, as character offsets."""
    return span(source, first)[0], span(source, last)[1]


def first_child_of_type(node: tree_sitter.Node, *types: str) -> tree_sitter.Node | None:
    for child in node.children:
        if child.type in types:
            return child
    return None


def has_ancestor(node: tree_sitter.Node, types: frozenset[str]) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type in types:
            return True
        parent = parent.parent
    return False


def is_declaration_file(source: SourceFile) -> bool:
    """A TypeScript .d.ts file describes code written elsewhere: its names are not choices."""
    return source.path.endswith((".d.ts", ".d.mts", ".d.cts"))


def case_observation(
    source: SourceFile,
    aspect: str,
    node: tree_sitter.Node,
    name: str,
    allowed: tuple[str, ...] = casing.STYLES,
) -> Observation | None:
    """The "naming" observation of `name` (the text of `node`): its case, when that is one of
    the `allowed` styles, with the name renamed into each of the others. The renames are worked
    out only when a finding asks for them (mining observes thousands of names and never looks
    at their renames)."""
    style = casing.style_of(name)
    if style is None or style not in allowed:
        return None
    start, end = span(source, node)
    return Observation("naming", aspect, style, start, end, casing.lazy_rewrites(name, allowed))


def naming_observer(
    languages: frozenset[str],
    observe: Callable[[SourceFile], Iterable[Observation]],
    aspects: Mapping[str, str],
) -> Observer:
    """A naming observer whose choices are the case styles: only which names it judges, and
    how a message says them (`aspects`), are its own."""
    return Observer(
        dimension="naming",
        languages=languages,
        observe=observe,
        aspects=aspects,
        choices=dict(casing.STYLE_WORDS),
    )


def in_source_order(observations: Iterable[Observation | None]) -> Iterator[Observation]:
    """The observations gathered from several queries (None where a site held no choice), in
    the order they stand in the file."""
    yield from sorted((o for o in observations if o is not None), key=lambda o: o.start)
