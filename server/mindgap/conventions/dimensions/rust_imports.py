"""Rust imports: nested `use a::{b, c};` or one `use` per item, and `crate::` or relative
(`self::`/`super::`) paths to the crate's own modules.

Nesting is judged where there was a choice: a `use` with braces around two or more items,
or a run of adjacent `use` declarations (same visibility, no attributes) importing single
items from the same path. `use super::*;` (the usual first line of a test module) is not a
choice of path style.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    in_source_order,
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

NESTED = "nested"
SEPARATE = "separate"
CRATE = "crate"
RELATIVE = "relative"
_QUERY = shared_query(
    frozenset({"rust"}),
    "(use_declaration) @use",
)
_SIMPLE_ITEMS = frozenset({"identifier", "scoped_identifier", "use_as_clause"})


def _visibility(use: tree_sitter.Node) -> str:
    return next((text_of(c) for c in use.children if c.type == "visibility_modifier"), "")


def _single_item_prefix(use: tree_sitter.Node) -> tuple[str, str] | None:
    """(the path before the last `::`, the imported item) of `use a::b::c;`."""
    argument = use.child_by_field_name("argument")
    if argument is None or argument.type != "scoped_identifier":
        return None
    path = argument.child_by_field_name("path")
    name = argument.child_by_field_name("name")
    if path is None or name is None:
        return None
    return text_of(path), text_of(name)


def _indent(source: SourceFile, node: tree_sitter.Node) -> str:
    start, _ = span(source, node)
    line_start = source.text.rfind("\n", 0, start) + 1
    prefix = source.text[line_start:start]
    return prefix if prefix.isspace() else ""


def _nested(source: SourceFile, use: tree_sitter.Node) -> Observation | None:
    argument = use.child_by_field_name("argument")
    if argument is None or argument.type != "scoped_use_list":
        return None
    path = argument.child_by_field_name("path")
    items = argument.child_by_field_name("list")
    if items is None or items.named_child_count < 2:
        return None
    rewrites = {}
    if path is not None and all(item.type in _SIMPLE_ITEMS for item in items.named_children):
        visibility = _visibility(use)
        head = f"{visibility} use" if visibility else "use"
        indent = _indent(source, use)
        rewrites[SEPARATE] = f"\n{indent}".join(
            f"{head} {text_of(path)}::{text_of(item)};" for item in items.named_children
        )
    return Observation("imports", "nesting", NESTED, *span(source, use), rewrites)


def _separate_runs(source: SourceFile, uses: list[tree_sitter.Node]) -> Iterator[Observation]:
    """Adjacent single-item `use`s of one path: each run is one choice not to nest."""
    run: list[tree_sitter.Node] = []
    run_key: tuple[str, str] | None = None

    def flush() -> Iterator[Observation]:
        if len(run) >= 2 and run_key is not None:
            visibility, prefix = run_key
            names = ", ".join(key[1] for key in map(_single_item_prefix, run) if key)
            head = f"{visibility} use" if visibility else "use"
            start, _ = span(source, run[0])
            _, end = span(source, run[-1])
            rewrites = {NESTED: f"{head} {prefix}::{{{names}}};"}
            yield Observation("imports", "nesting", SEPARATE, start, end, rewrites)

    for use in uses:
        parsed = _single_item_prefix(use)
        key = (_visibility(use), parsed[0]) if parsed else None
        previous = use.prev_sibling
        adjacent = bool(run) and previous is not None and previous.id == run[-1].id
        if key is not None and adjacent and key == run_key:
            run.append(use)
            continue
        yield from flush()
        run, run_key = ([use], key) if key is not None else ([], None)
    yield from flush()


def _with_adjacent(uses: Iterable[tree_sitter.Node]) -> list[tree_sitter.Node]:
    """The uses, with the `use`s next to them: a focused query finds only those that overlap
    the focus, and a run of separate `use`s may begin before it or go on after it."""
    found = {use.id: use for use in uses}
    for use in list(found.values()):
        for step in ("prev_sibling", "next_sibling"):
            node = getattr(use, step)
            while node is not None and node.type == "use_declaration" and node.id not in found:
                found[node.id] = node
                node = getattr(node, step)
    return sorted(found.values(), key=lambda use: use.start_byte)


def _path_style(source: SourceFile, use: tree_sitter.Node) -> Observation | None:
    argument = use.child_by_field_name("argument")
    if argument is None:
        return None
    if argument.type == "use_wildcard" and text_of(argument) == "super::*":
        return None
    first = argument
    while first.child_count:
        first = first.children[0]
    if first.type == "crate":
        choice = CRATE
    elif first.type in ("self", "super"):
        choice = RELATIVE
    else:
        return None
    return Observation("imports", "path", choice, *span(source, first))


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _with_adjacent(_QUERY.captures(source).get("use", ()))
    uses = [use for use in found if not use.has_error]
    observations = [_nested(source, use) for use in uses]
    observations += list(_separate_runs(source, uses))
    observations += [_path_style(source, use) for use in uses]
    yield from in_source_order(observations)


_WORDS = words_of(__name__)  # rust_imports.toml
OBSERVERS = [
    Observer(
        dimension="imports",
        languages=frozenset({"rust"}),
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
