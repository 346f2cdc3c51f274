"""The construct catalogue: per language, declared in `syntax/queries/<language>/constructs.scm`.

Each construct is one or more tree-sitter patterns capturing `@<construct-id>`, preceded by a
metadata block of comments:

    ; @construct match-statement
    ; @name match statement
    ; @family pattern matching
    ; @explains Compares a value against patterns in order and runs the first case that fits.
    (match_statement) @match-statement

Captures whose name starts with `_` are helpers for predicates and are not constructs. A
construct may be declared once and matched by several patterns (repeat the capture name).
A line `; @include <language>` puts that language's file first (TypeScript includes
JavaScript, TSX includes TypeScript): the patterns must be valid in both grammars.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Literal

import tree_sitter

from mindgap.syntax.languages import language_named
from mindgap.syntax.limits import query_cursor

_FIELD = re.compile(r"^\s*;\s*@(construct|name|family|explains)\s+(.+?)\s*$")
_INCLUDE = re.compile(r"^\s*;\s*@include\s+([a-z]+)\s*$", re.MULTILINE)


class CatalogueError(ValueError):
    """A query file is malformed: the message names the file and the construct."""


@dataclass(frozen=True)
class Construct:
    language: str
    id: str  # unique within the language, e.g. "match-statement"
    name: str  # short and human: "match statement"
    family: str
    explanation: str  # one line: what it is and does

    @property
    def key(self) -> str:
        """Unique across languages, e.g. "python/match-statement"."""
        return f"{self.language}/{self.id}"


@dataclass(frozen=True)
class ConstructHit:
    construct: Construct
    start_byte: int
    end_byte: int
    start_point: tuple[int, int]
    end_point: tuple[int, int]


@dataclass(frozen=True)
class Catalogue:
    language: str
    constructs: dict[str, Construct]
    query: tree_sitter.Query

    def find(
        self, root: tree_sitter.Node, start_byte: int = 0, end_byte: int | None = None
    ) -> list[ConstructHit]:
        """Every construct that starts inside [start_byte, end_byte), in source order, once
        per node (two patterns of one construct matching the same node count once)."""
        cursor = query_cursor(self.query)
        end = root.end_byte if end_byte is None else end_byte
        cursor.set_byte_range(start_byte, end)
        seen: set[tuple[str, int, int]] = set()
        hits = []
        for name, nodes in cursor.captures(root, _custom_predicate).items():
            construct = self.constructs.get(name)
            if construct is None:
                continue
            for node in nodes:
                key = (name, node.start_byte, node.end_byte)
                if start_byte <= node.start_byte < end and key not in seen:
                    seen.add(key)
                    hits.append(
                        ConstructHit(
                            construct,
                            node.start_byte,
                            node.end_byte,
                            (node.start_point.row, node.start_point.column),
                            (node.end_point.row, node.end_point.column),
                        )
                    )
        hits.sort(key=lambda hit: (hit.start_byte, hit.construct.id))
        return hits


def _custom_predicate(
    predicate: str,
    args: list[tuple[str, Literal["capture", "string"]]],
    pattern_index: int,
    captures: dict[str, list[tree_sitter.Node]],
) -> bool:
    """The catalogues' own predicates (tree-sitter evaluates only the standard ones):

    `(#has-sibling-method? @method "name" ...)`: the captured function has a sibling
    function (in the same class body) with one of these names. Written as two sibling patterns
    instead, the query would try every pair of methods of every class it passes.
    """
    if predicate != "has-sibling-method?" or not args or args[0][1] != "capture":
        raise CatalogueError(f"unknown predicate #{predicate} in a construct catalogue")
    names = {value.encode("utf-8") for value, _ in args[1:]}
    for node in captures.get(args[0][0], []):
        body = node.parent
        for sibling in body.named_children if body is not None else ():
            if sibling.type != "function_definition" or sibling == node:
                continue
            name = sibling.child_by_field_name("name")
            if name is not None and name.text in names:
                return True
    return False


def has_catalogue(language: str) -> bool:
    return _query_file(language).is_file()


@functools.cache
def catalogue(language: str) -> Catalogue:
    """The catalogue of a language (loaded once); CatalogueError if its file is malformed."""
    path = _query_file(language)
    source = _source(language)
    constructs = _declared(language, path.name, source)
    try:
        query = tree_sitter.Query(language_named(language).grammar, source)
    except tree_sitter.QueryError as error:
        raise CatalogueError(f"{language}/{path.name}: {error}") from error
    captured = {query.capture_name(i) for i in range(query.capture_count)}
    constructs_captured = {name for name in captured if not name.startswith("_")}
    if missing := sorted(constructs_captured - constructs.keys()):
        raise CatalogueError(f"{language}/{path.name}: captures without metadata: {missing}")
    if unused := sorted(constructs.keys() - constructs_captured):
        raise CatalogueError(f"{language}/{path.name}: declared but never captured: {unused}")
    return Catalogue(language, constructs, query)


def _source(language: str, including: tuple[str, ...] = ()) -> str:
    if language in including:
        raise CatalogueError(f"{language}/constructs.scm: @include loops through {including}")
    own = _query_file(language).read_text(encoding="utf-8")
    included = [_source(name, (*including, language)) for name in _INCLUDE.findall(own)]
    return "\n".join([*included, own])


def _query_file(language: str):
    return resources.files("mindgap.syntax") / "queries" / language / "constructs.scm"


def _declared(language: str, file: str, source: str) -> dict[str, Construct]:
    constructs: dict[str, Construct] = {}
    block: dict[str, str] = {}

    def close_block() -> None:
        if not block:
            return
        where = f"{language}/{file}: construct {block.get('construct', '?')!r}"
        if set(block) != {"construct", "name", "family", "explains"}:
            raise CatalogueError(f"{where} needs @construct, @name, @family and @explains")
        if block["construct"] in constructs:
            raise CatalogueError(f"{where} is declared twice")
        constructs[block["construct"]] = Construct(
            language, block["construct"], block["name"], block["family"], block["explains"]
        )
        block.clear()

    for line in source.splitlines():
        match = _FIELD.match(line)
        if match:
            if match.group(1) == "construct":
                close_block()
            block[match.group(1)] = match.group(2)
        elif line.strip() and not line.lstrip().startswith(";"):
            close_block()
    close_block()
    return constructs
