"""Python quotes: "double" or 'single' quotes around string literals.

Three aspects, because a repository can differ on each: ordinary strings, docstrings, and
other triple-quoted strings. A string is a vote only where the other quote would do without
changing anything else: a string holding a quote character of either kind (or a backslash
before one) is not, since one of the two quotes would need escaping; neither are strings
nested in an f-string's placeholders (before Python 3.12 they must differ from the outer
quote). The rewrite swaps the quotes and keeps the prefix (r, b, f, ...).
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions.python_common import (
    PYTHON,
    ascii_text,
    captures,
    is_docstring,
    observe,
    register,
    text,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

DIMENSION = "quotes"
_QUERY = register("(string) @string (interpolation) @interpolation")
_OTHER = {'"': "'", "'": '"'}
_CHOICE = {'"': "double", "'": "single"}


@functools.lru_cache(maxsize=256)  # a few dozen delimiters, asked for every string
def _quote_of(delimiter: str) -> tuple[str, str]:
    """(prefix, quote) of a string_start: 'rb"' -> ('rb', '"'), "'''" -> ('', "'''")."""
    stripped = delimiter.rstrip("'\"")
    return stripped, delimiter[len(stripped) :]


def _outermost(nodes: list[tree_sitter.Node]) -> list[tuple[int, int]]:
    """The byte ranges of the nodes not inside another of them, in order."""
    ranges: list[tuple[int, int]] = []
    for start, end in sorted((node.start_byte, node.end_byte) for node in nodes):
        if not ranges or start >= ranges[-1][1]:
            ranges.append((start, end))
    return ranges


def _inside_interpolation(node: tree_sitter.Node, placeholders: list[tuple[int, int]]) -> bool:
    """Whether an f-string's placeholder holds the string (`placeholders`: the outermost
    ones' byte ranges, in order; looked up instead of walking up from every string)."""
    index = bisect.bisect_left(placeholders, (node.start_byte,)) - 1
    return index >= 0 and node.end_byte <= placeholders[index][1]


def _observe(source: SourceFile) -> Iterator[Observation]:
    found = captures(source, _QUERY)
    placeholders = _outermost(found.get("interpolation", []))
    ascii = ascii_text(source)  # the common case: slices instead of decoding each node
    for string in found.get("string", []):
        start = string.child(0)
        if start is None:
            continue
        if ascii is not None:
            prefix, quote = _quote_of(ascii[start.start_byte : start.end_byte])
        else:
            prefix, quote = _quote_of(text(start))
        if not quote or (placeholders and _inside_interpolation(string, placeholders)):
            continue
        whole = text(string) if ascii is None else ascii[string.start_byte : string.end_byte]
        body = whole[len(prefix) + len(quote) : len(whole) - len(quote)]
        if len(quote) == 1:
            if "'" in body or '"' in body:
                continue
            aspect = "string"
        else:
            other = _OTHER[quote[0]]
            if "\\" + other in body or other * 3 in body or body.endswith(other):
                continue
            aspect = "docstring" if is_docstring(string) else "triple-quoted"
        choice = _CHOICE[quote[0]]
        swapped = _OTHER[quote[0]] * len(quote)
        other_choice = _CHOICE[swapped[0]]
        yield observe(
            source,
            DIMENSION,
            aspect,
            choice,
            string,
            {other_choice: f"{prefix}{swapped}{body}{swapped}"},
        )


_WORDS = words_of(__name__)  # python_quotes.toml
OBSERVERS = [
    Observer(
        dimension=DIMENSION,
        languages=PYTHON,
        observe=_observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
