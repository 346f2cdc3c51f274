"""Identifier case styles: which styles a name fits, and the mechanical rename to another.

A name is classified only when exactly one style fits it. `total` fits snake_case and
camelCase alike, `URL` fits UPPER_CASE and (as an acronym) PascalCase: such names are no
vote for either style and are never flagged. Leading and trailing underscores (private
names, `class_` to dodge a keyword) are kept as they are and do not count.

Renaming splits a name into words. In a name with lower-case letters an all-capital word is
an acronym and keeps its case in camelCase and PascalCase (parseHTTPResponse ->
ParseHTTPResponse); in an UPPER_CASE name every word is in capitals, so none of them is an
acronym (MAX_RETRIES -> maxRetries, MaxRetries).
"""

from __future__ import annotations

import functools
import keyword
import re
from collections.abc import Iterator, Mapping

SNAKE = "snake_case"
CAMEL = "camelCase"
PASCAL = "PascalCase"
UPPER = "UPPER_CASE"
STYLES = (SNAKE, CAMEL, PASCAL, UPPER)

STYLE_WORDS = {
    SNAKE: "snake_case",
    CAMEL: "camelCase",
    PASCAL: "PascalCase",
    UPPER: "UPPER_CASE",
}

# "HTTPServer" -> HTTP, Server; "parseURLQuick" -> parse, URL, Quick; "v2Name" -> v2, Name
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


def _core(name: str) -> tuple[str, str, str]:
    """(leading underscores, the name proper, trailing underscores)."""
    stripped = name.strip("_")
    if not stripped:
        return name, "", ""
    lead = name[: len(name) - len(name.lstrip("_"))]
    trail = name[len(name.rstrip("_")) :]
    return lead, stripped, trail


@functools.lru_cache(maxsize=1 << 16)  # learning asks about the same names over and over
def fitting_styles(name: str) -> frozenset[str]:
    """Every style the name is written in (empty for mixed styles like `get_HTTPValue`)."""
    _, core, _ = _core(name)
    if not core or not core.isascii() or not (core[0].isalpha()):
        return frozenset()
    has_lower = any(c.islower() for c in core)
    has_upper = any(c.isupper() for c in core)
    has_underscore = "_" in core
    if "__" in core:
        return frozenset()
    if not has_upper:
        return frozenset({SNAKE}) if has_underscore else frozenset({SNAKE, CAMEL})
    if not has_lower:
        return frozenset({UPPER}) if has_underscore else frozenset({UPPER, PASCAL})
    if has_underscore:
        return frozenset()
    return frozenset({PASCAL}) if core[0].isupper() else frozenset({CAMEL})


@functools.lru_cache(maxsize=1 << 16)
def style_of(name: str) -> str | None:
    """The one style a name is written in, or None when it fits none or several."""
    styles = fitting_styles(name)
    return next(iter(styles)) if len(styles) == 1 else None


def words(name: str) -> list[str]:
    _, core, _ = _core(name)
    found: list[str] = []
    for part in core.split("_"):
        found.extend(_WORDS.findall(part))
    return found


def convert(name: str, style: str) -> str | None:
    """The name in another style, or None when that gives no new valid identifier."""
    lead, core, trail = _core(name)
    parts = words(name)
    if not parts:
        return None
    if not any(c.islower() for c in core):
        parts = [part.lower() for part in parts]  # words in capitals, not acronyms
    if style == SNAKE:
        converted = "_".join(p.lower() for p in parts)
    elif style == UPPER:
        converted = "_".join(p.upper() for p in parts)
    elif style == PASCAL:
        converted = "".join(_capitalised(p) for p in parts)
    elif style == CAMEL:
        converted = parts[0].lower() + "".join(_capitalised(p) for p in parts[1:])
    else:
        return None
    renamed = f"{lead}{converted}{trail}"
    if (
        converted == core
        or not renamed.isidentifier()
        or keyword.iskeyword(renamed)
        or style_of(renamed) not in (style, None)
    ):
        return None
    return renamed


def _capitalised(word: str) -> str:
    # acronyms keep their case in PascalCase/camelCase ("HTTPServer"), other words are
    # capitalised ("user_id" -> "UserId")
    return word if word.isupper() and len(word) > 1 else word[:1].upper() + word[1:].lower()


def rewrites(name: str, styles: tuple[str, ...] = STYLES) -> dict[str, str]:
    """style -> the renamed name, for each style the name can be mechanically turned into."""
    current = style_of(name)
    found = {}
    for style in styles:
        if style == current:
            continue
        renamed = convert(name, style)
        if renamed is not None:
            found[style] = renamed
    return found


def lazy_rewrites(name: str, styles: tuple[str, ...] = STYLES) -> Mapping[str, str]:
    """`rewrites(name, styles)`, worked out only when something reads it: mining observes
    thousands of names and never looks at their renames, a finding needs one."""
    return _LazyRewrites(name, styles)


class _LazyRewrites(Mapping[str, str]):
    def __init__(self, name: str, styles: tuple[str, ...]) -> None:
        self.name = name
        self.styles = styles
        self._found: dict[str, str] | None = None

    def _renames(self) -> dict[str, str]:
        if self._found is None:
            self._found = rewrites(self.name, self.styles)
        return self._found

    def __getitem__(self, style: str) -> str:
        return self._renames()[style]

    def __iter__(self) -> Iterator[str]:
        return iter(self._renames())

    def __len__(self) -> int:
        return len(self._renames())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # mutable cache inside: like a dict

    def __repr__(self) -> str:
        return repr(self._renames())
