"""How much code one analysis takes on: bounded work on any input.

A minified 600,000-character line or an expression nested 10,000 levels deep is no code a
developer reads, and it is where the analyses stop being linear: tree-sitter's queries cost
time per node *and* per level of nesting, and the tree walks written in Python recurse.
Code past these limits is not analysed, and the user is told why in one line.
"""

from __future__ import annotations

import tree_sitter

from mindgap.syntax.document import SyntaxDocument
from mindgap.syntax.positions import LineIndex

MAX_LINE_CHARS = 10_000  # minified or generated past this
MAX_NESTING = 200  # tree levels; Python's own parser refuses 200 nested parentheses


def long_line(index: LineIndex, start: int, end: int) -> str | None:
    """'line 1 is 600,000 characters long: not analysed' for the first line of [start, end)
    longer than MAX_LINE_CHARS, or None."""
    first, last = index.line_of(start), index.line_of(max(start, end - 1))
    starts = index.starts
    text_end = len(index.text)
    for line in range(first, last + 1):
        line_end = starts[line + 1] - 1 if line + 1 < len(starts) else text_end
        length = line_end - starts[line]
        if length > MAX_LINE_CHARS:
            return (
                f"line {line + 1} is {length:,} characters long (the limit is "
                f"{MAX_LINE_CHARS:,}): not analysed"
            )
    return None


def too_deep_node(
    root: tree_sitter.Node, start_byte: int, end_byte: int, limit: int = MAX_NESTING
) -> tree_sitter.Node | None:
    """The first node overlapping [start_byte, end_byte) more than `limit` levels below the
    root, or None. The walk never goes deeper than the limit, so it costs at most the nodes
    that are not too deep."""
    cursor = root.walk()
    depth = 0
    while True:
        node = cursor.node
        inside = node is not None and node.start_byte < end_byte and node.end_byte > start_byte
        if inside and depth > limit:
            return node
        if inside and cursor.goto_first_child():
            depth += 1
            continue
        while not cursor.goto_next_sibling():
            if depth == 0 or not cursor.goto_parent():
                return None
            depth -= 1


def too_deep(tree: tree_sitter.Tree | None, index: LineIndex, start: int, end: int) -> str | None:
    """'line 1: code nested more than 200 levels deep: not analysed', or None."""
    if tree is None:
        return None
    start_byte, end_byte = index.byte_offset(start), index.byte_offset(end)
    deep = too_deep_node(tree.root_node, start_byte, max(end_byte, start_byte + 1))
    if deep is None:
        return None
    return (
        f"line {deep.start_point.row + 1}: code nested more than {MAX_NESTING} levels deep: "
        "not analysed"
    )


def refusal(document: SyntaxDocument, start: int, end: int) -> str | None:
    """Why the document's code in [start, end) is not analysed, in one line; None when it is.
    Line lengths first: a line too long is refused before anything parses it."""
    return long_line(document.index, start, end) or too_deep(
        document.tree, document.index, start, end
    )


def query_cursor(query: tree_sitter.Query) -> tree_sitter.QueryCursor:
    """A cursor that starts no match deeper than MAX_NESTING levels below the node it runs
    on: it then never descends further, and a query costs time linear in the tree (a
    cursor otherwise pays per node and per level above it: quadratic on a long chain)."""
    cursor = tree_sitter.QueryCursor(query)
    cursor.set_max_start_depth(MAX_NESTING)
    return cursor
