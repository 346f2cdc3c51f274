"""Go naming: MixedCaps or under_scores for functions, methods, types, constants and
variables, and how initialisms are written (`userID` or `userId`).

Whether a name starts upper- or lower-case is Go's export rule, not a style: camelCase and
PascalCase names are both MixedCaps here, and renames keep the first letter's case. Test,
benchmark, example and fuzz functions (`TestParse_Empty`) name themselves by `go test`'s
rules and are not counted; neither are one-word names, which fit every style.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from mindgap.conventions import casing
from mindgap.conventions.dimensions import words_of
from mindgap.conventions.dimensions._tree_queries import (
    shared_query,
    span,
    text_of,
)
from mindgap.conventions.model import Observation, Observer, SourceFile

MIXED_CAPS = "MixedCaps"
SNAKE = "snake_case"
UPPER = "UPPER_CASE"
ALL_CAPS_INITIALISMS = "all-caps"
CAPITALISED_INITIALISMS = "capitalised"
_QUERY = shared_query(
    frozenset({"go"}),
    """
(function_declaration name: (identifier) @function)
(method_declaration name: (field_identifier) @method)
(type_spec name: (type_identifier) @type)
(const_spec) @constant_spec
(var_spec) @variable_spec
(short_var_declaration left: (expression_list (identifier) @variable))
""",
)
_ASPECTS = ("function", "method", "type", "constant", "variable")
_TEST_FUNCTION = re.compile(r"^(Test|Benchmark|Example|Fuzz)([A-Z_]|$)")
# golint's list of initialisms that Go code writes in one case (ID, not Id)
_INITIALISMS = frozenset(
    {
        *("ACL", "API", "ASCII", "CPU", "CSS", "DNS", "EOF", "GUID", "HTML", "HTTP", "HTTPS"),
        *("ID", "IP", "JSON", "LHS", "QPS", "RAM", "RHS", "RPC", "SLA", "SMTP", "SQL", "SSH"),
        *("TCP", "TLS", "TTL", "UDP", "UI", "UID", "UUID", "URI", "URL", "UTF8", "VM", "XML"),
        *("XMPP", "XSRF", "XSS"),
    }
)
_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+[0-9]*|[A-Z]+[0-9]*|[0-9]+")


def _go_style(name: str) -> str | None:
    style = casing.style_of(name)
    if style in (casing.CAMEL, casing.PASCAL):
        return MIXED_CAPS
    return style


def _mixed_caps(name: str) -> str | None:
    """The MixedCaps spelling of an under_scored name, keeping whether it is exported."""
    exported = name[0].isupper()
    parts = [part for part in name.split("_") if part]
    if not parts:
        return None
    words = [
        p.upper() if p.upper() in _INITIALISMS else p[:1].upper() + p[1:].lower() for p in parts
    ]
    if not exported:
        first = parts[0].lower()
        words[0] = first
    renamed = "".join(words)
    return renamed if renamed.isidentifier() and renamed != name else None


def _naming(source: SourceFile, aspect: str, node: tree_sitter.Node) -> Observation | None:
    name = text_of(node)
    if name == "_" or (aspect == "function" and _TEST_FUNCTION.match(name)):
        return None
    style = _go_style(name)
    if style is None or (style == UPPER and aspect != "constant"):
        return None
    rewrites = {}
    if style != MIXED_CAPS and (renamed := _mixed_caps(name)) is not None:
        rewrites[MIXED_CAPS] = renamed
    return Observation("naming", aspect, style, *span(source, node), rewrites)


def _initialisms(source: SourceFile, node: tree_sitter.Node) -> Observation | None:
    name = text_of(node)
    if "_" in name:
        return None
    kinds: set[str] = set()
    pieces: list[tuple[int, int, str]] = []
    for match in _WORD.finditer(name):
        word = match.group()
        if word.upper() not in _INITIALISMS or word.islower():
            continue  # a lower-case initialism starts an unexported name: no choice there
        kinds.add(ALL_CAPS_INITIALISMS if word.isupper() else CAPITALISED_INITIALISMS)
        pieces.append((match.start(), match.end(), word))
    if len(kinds) != 1:
        return None
    choice = kinds.pop()
    renamed = name
    for start, end, word in reversed(pieces):
        other = word.capitalize() if choice == ALL_CAPS_INITIALISMS else word.upper()
        renamed = renamed[:start] + other + renamed[end:]
    other_choice = (
        CAPITALISED_INITIALISMS if choice == ALL_CAPS_INITIALISMS else ALL_CAPS_INITIALISMS
    )
    return Observation("naming", "initialism", choice, *span(source, node), {other_choice: renamed})


def observe(source: SourceFile) -> Iterator[Observation]:
    found = _QUERY.captures(source)
    sites = [(aspect, node) for aspect in _ASPECTS for node in found.get(aspect, ())]
    for aspect in ("constant", "variable"):
        for spec in found.get(f"{aspect}_spec", ()):
            sites.extend((aspect, name) for name in spec.children_by_field_name("name"))
    sites.sort(key=lambda site: site[1].start_byte)
    for aspect, node in sites:
        if (observation := _naming(source, aspect, node)) is not None:
            yield observation
        if (observation := _initialisms(source, node)) is not None:
            yield observation


_WORDS = words_of(__name__)  # go_naming.toml
OBSERVERS = [
    Observer(
        dimension="naming",
        languages=frozenset({"go"}),
        observe=observe,
        aspects=_WORDS.aspects,
        choices=_WORDS.choices,
    )
]
