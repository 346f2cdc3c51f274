"""Fingerprints of functions that survive renaming: normalized tokens, winnowed k-gram hashes.

A function's tokens are the leaves of its syntax tree with comments and docstrings dropped,
string and number literals reduced to their kind (STR, NUM), and identifiers reduced to one
token (ID) - except the names of attributes, fields and methods (`.lower`, `.append`) and of
called functions (`sorted(`, `re.sub(`), which say what the code does and stay as written.
Renaming variables and parameters therefore changes nothing; calling other library
functions does.

The token sequence is cut into k-grams, each hashed as the tuple of the tokens' CRC-32s
(stable across processes, unlike `hash(str)`), and winnowed: of every window of W
consecutive k-gram hashes the smallest is kept (Schleimer, Wilkerson and Aiken, "Winnowing:
local algorithms for document fingerprinting", SIGMOD 2003). Two functions sharing a run of
at least W + K - 1 tokens are guaranteed to share a fingerprint.

Next to the tokens, the function's *shape*: its syntax tree normalised (every name, attribute
and called function's name, every literal and operator dropped; only the kinds of the named
nodes, in pre-order, with a closing mark where each compound node ends), winnowed the same way
with longer k-grams. Two functions with the same structure but other calls or attributes
(`text.casefold()` for `text.lower()`, `regex.sub` for `re.sub`) share their shape.
"""

from __future__ import annotations

import functools
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import tree_sitter

from mindgap.conventions.model import SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.roles import ROLES, every

K = 5  # tokens per k-gram
SHAPE_K = 8  # shape marks per k-gram: node kinds say less than tokens, so longer runs
WINDOW = 4  # k-grams per winnowing window
MIN_LINES = 5  # smaller functions are too generic to call a duplicate
MIN_TOKENS = 40
# How k-grams are hashed: a stored index made another way is built again, not compared
FINGERPRINT_SCHEME = f"tuple-hash/{sys.implementation.cache_tag}/{sys.hash_info.width}"

LANGUAGE_FAMILIES = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "tsx": "javascript",
    "go": "go",
    "rust": "rust",
    "java": "java",
}
# from the one table of grammar roles (syntax/roles.py), shared with the gate
FUNCTION_TYPES = every("named_functions")
# named by the declaration they are assigned in: JavaScript's function expressions and arrow
# functions (other languages' lambdas are not fingerprinted as functions)
ANONYMOUS_FUNCTION_TYPES = ROLES["javascript"].anonymous_functions
# Where an anonymous function gets a name: `const slugify = (text) => ...`
_NAMING_PARENTS = {"variable_declarator": "name", "assignment_expression": "left", "pair": "key"}
CLASS_TYPES = frozenset(
    {
        "class_definition",
        "class_declaration",
        "class",
        "interface_declaration",
        "enum_declaration",
        "impl_item",
    }
)
COMMENT_TYPES = frozenset({"comment", "line_comment", "block_comment"})
STRING_TYPES = frozenset(
    {
        "string",
        "template_string",
        "interpreted_string_literal",
        "raw_string_literal",
        "string_literal",
        "char_literal",
        "rune_literal",
        "character_literal",
        "text_block",
        "concatenated_string",
    }
)
NUMBER_TYPES = frozenset(
    {
        "integer",
        "float",
        "number",
        "int_literal",
        "float_literal",
        "imaginary_literal",
        "integer_literal",
        "decimal_integer_literal",
        "hex_integer_literal",
        "octal_integer_literal",
        "binary_integer_literal",
        "decimal_floating_point_literal",
        "hex_floating_point_literal",
    }
)
IDENTIFIER_TYPES = frozenset(
    {
        "identifier",
        "property_identifier",
        "private_property_identifier",
        "field_identifier",
        "type_identifier",
        "shorthand_property_identifier",
        "shorthand_property_identifier_pattern",
        "package_identifier",
        "statement_identifier",
    }
)
# Fields whose identifier names a member or a called function: kept as written.
_MEMBER_FIELDS = frozenset({"attribute", "property", "field"})
_NAMING_FIELDS = _MEMBER_FIELDS | {"name", "function"}  # where _leaf_token may keep a name
_CALL_TYPES = frozenset({"call", "call_expression", "method_invocation"})


@dataclass(frozen=True)
class FunctionPrint:
    """One function of a file, with its fingerprints."""

    name: str  # qualified within the file: "Slugger.slugify"
    start: int  # character offsets of the whole definition
    end: int
    name_start: int  # character offsets of its name (where a finding is shown)
    name_end: int
    start_line: int  # 0-based
    end_line: int
    token_count: int
    fingerprints: frozenset[int]
    shape: frozenset[int] = frozenset()  # fingerprints of the normalised syntax tree


@dataclass
class _OpenFunction:
    node: tree_sitter.Node
    name: str
    name_node: tree_sitter.Node | None
    first_token: int
    first_mark: int = 0


def function_prints(
    source: SourceFile, start: int | None = None, end: int | None = None
) -> list[FunctionPrint]:
    """The fingerprinted functions of a file (big enough to compare), or only those lying
    mostly (80%) inside text[start:end]."""
    if source.language not in LANGUAGE_FAMILIES:
        return []
    root = source.tree.root_node
    if start is None or end is None:
        return _prints(source, _walk(source, root, None))
    start_byte, end_byte = source.index.byte_offset(start), source.index.byte_offset(end)
    prints = []
    for node, scopes in _functions_overlapping(root, start_byte, end_byte):
        inside = min(node.end_byte, end_byte) - max(node.start_byte, start_byte)
        if inside < 0.8 * (node.end_byte - node.start_byte):
            continue
        prints.extend(_prints(source, _walk(source, node, scopes)))
    return prints


class PackedPrint(NamedTuple):
    """A function's fingerprints as the function index keeps them: sorted, each once."""

    name: str
    start_line: int  # 0-based
    end_line: int
    fingerprints: list[int]
    shape: list[int]


def packed_prints(source: SourceFile) -> list[PackedPrint]:
    """`function_prints(source)` as the index keeps them (learning a repository makes
    thousands: without the offsets and sets a finding needs, and sorted once)."""
    if source.language not in LANGUAGE_FAMILIES:
        return []
    walked = _walk(source, source.tree.root_node, None)
    return [
        PackedPrint(
            kept.function.name,
            kept.start_line,
            kept.end_line,
            sorted(set(_winnowed_hashes(walked.tokens, kept.first_token, kept.token_end, K))),
            sorted(set(_winnowed_hashes(walked.marks, kept.first_mark, kept.mark_end, SHAPE_K))),
        )
        for kept in sorted(walked.kept, key=_start_byte)
    ]


def _start_byte(kept: _Kept) -> int:
    return kept.function.node.start_byte


def _functions_overlapping(
    root: tree_sitter.Node, start_byte: int, end_byte: int
) -> list[tuple[tree_sitter.Node, list[str]]]:
    """Outermost function nodes overlapping the byte range, with their enclosing names."""
    found = []
    pending: list[tuple[tree_sitter.Node, list[str]]] = [(root, [])]
    while pending:
        node, scopes = pending.pop()
        if node.end_byte <= start_byte or node.start_byte >= end_byte:
            continue
        if _function_name(node) is not None:
            found.append((node, scopes))
            continue
        inner = [*scopes, _class_name(node)] if node.type in CLASS_TYPES else scopes
        pending.extend((child, inner) for child in reversed(node.children))
    found.sort(key=lambda item: item[0].start_byte)
    return found


@dataclass(frozen=True, slots=True)
class _Kind:
    """What the walk does with a node kind, worked out once per grammar (a node's kind_id
    indexes the table: cheaper than building its type's string at every node)."""

    name: str
    literal: int | None  # STR or NUM: the kind stands for the text; _COMMENT: no token
    identifier: bool  # a name: ID, or kept as written (_leaf_token)
    code: int  # its token as a leaf (keywords, operators, punctuation, true/false/None)
    mark: int | None  # its mark in the shape; None for an anonymous node
    may_be_function: bool
    is_class: bool
    statement: bool  # an expression statement: maybe a docstring
    simple: bool  # a Python simple statement: no function inside


def _kind(name: str, named: bool, language: str) -> _Kind:
    identifier = name in IDENTIFIER_TYPES
    return _Kind(
        name=name,
        literal=_LITERALS.get(name),
        identifier=identifier,
        code=_token_code(name),
        mark=(_ID if identifier else _token_code(name)) if named else None,
        may_be_function=name in _MAY_BE_FUNCTIONS,
        is_class=name in CLASS_TYPES,
        statement=name == "expression_statement",
        simple=language == "python" and name in _NO_FUNCTION_INSIDE,
    )


# tree-sitter's ERROR node: its kind id is the largest a symbol can have, past the grammar's
_ERROR_KIND_ID = 0xFFFF


@functools.cache
def _kinds(language: str) -> tuple[_Kind | None, ...]:
    """Every kind id's _Kind, ERROR's included (None: an id no node has)."""
    grammar = language_named(language).grammar
    kinds: list[_Kind | None] = [
        _kind(
            grammar.node_kind_for_id(kind_id) or "", grammar.node_kind_is_named(kind_id), language
        )
        for kind_id in range(grammar.node_kind_count)
    ]
    kinds += [None] * (_ERROR_KIND_ID - len(kinds))
    kinds.append(_kind("ERROR", True, language))
    return tuple(kinds)


@functools.cache
def _naming_fields(language: str) -> dict[int | None, str]:
    """The grammar's ids of the fields where `_leaf_token` may keep a name (`cursor.field_id`
    is an int: cheaper than the field's name made at every identifier)."""
    grammar = language_named(language).grammar
    found = {name: grammar.field_id_for_name(name) for name in _NAMING_FIELDS}
    return {number: name for name, number in found.items() if number is not None}


class _Kept(NamedTuple):
    """A function big enough to compare, with its slices of the walk's tokens and marks."""

    function: _OpenFunction
    start_line: int
    end_line: int
    first_token: int
    token_end: int
    first_mark: int
    mark_end: int


class _Grams(NamedTuple):
    """A file's k-gram hashes, and the smallest of every window of them (_window_minima)."""

    hashes: list[int]
    minima: list[int]


class _Walked(NamedTuple):
    kept: list[_Kept]  # in the order the walk left them
    tokens: _Grams
    marks: _Grams


def _walk(source: SourceFile, top: tree_sitter.Node, outer_scopes: list[str] | None) -> _Walked:
    """Tokens of everything under `top` in one pass, noting each function's token slice
    when the walk leaves it; the k-grams of all of them are hashed once afterwards (a nested
    function's tokens are not hashed again for each function around it)."""
    tokens: list[int] = []  # token codes (_token_code)
    marks: list[int] = []  # the shape: named node kinds in pre-order, ")" where one ends
    finished: list[tuple[_OpenFunction, int, int]] = []  # (function, token end, mark end)
    codes = _TOKEN_CODES
    kinds = _kinds(source.language)
    naming_fields = _naming_fields(source.language)
    scopes: list[str] = list(outer_scopes or [])
    # one entry per ancestor of the cursor's node: (type, open function, pushed a scope,
    # is named)
    ancestors: list[tuple[str, _OpenFunction | None, bool, bool]] = []
    docstrings: set[int] = set()  # start bytes of docstring statements
    # Python defines functions only in statements: outside every function, a simple
    # statement holds no function and no token of one, and is not walked
    open_functions = 0
    cursor = top.walk()
    # bound once: the loop runs once per node, millions of times over a large repository
    add_token, add_mark = tokens.append, marks.append
    first_child, next_sibling = cursor.goto_first_child, cursor.goto_next_sibling
    descend = True
    while True:
        if descend:
            node: tree_sitter.Node = cursor.node  # type: ignore[assignment]  # never None here
            kind = kinds[node.kind_id]
            if kind is None:  # not a kind of the grammar's table: never seen, but not a crash
                kind = _kind(node.type, node.is_named, source.language)
            literal = kind.literal
            # leaves first (most nodes): one outside every function adds a token or mark that
            # no function's k-grams include, so it needs no test of where it is
            if literal is not None:  # not walked: the kind stands for the text
                if literal:  # not a comment
                    add_token(literal)
                    add_mark(literal)
            elif not node.child_count:
                token = kind.code
                if kind.identifier:
                    field = naming_fields.get(cursor.field_id)  # None for most names
                    if field is None:
                        token = _ID  # a variable, parameter...: renaming changes nothing
                    else:
                        kept = _leaf_token(node, field, ancestors)
                        token = codes.get(kept) or _token_code(kept)
                add_token(token)  # else keywords, operators, punctuation, true/false/None
                if kind.mark is not None:
                    add_mark(kind.mark)
            elif not open_functions and (
                kind.simple or node.end_point[0] - node.start_point[0] < MIN_LINES - 1
            ):
                # outside every function, a node of fewer than MIN_LINES lines holds no
                # function big enough to keep (most short methods): nothing of it is needed
                pass
            elif kind.statement and node.start_byte in docstrings:
                pass
            else:
                opened = None
                pushed = False
                named = kind.mark is not None
                if named:
                    add_mark(kind.code)
                name = _function_name(node) if kind.may_be_function else None
                if name is not None:
                    open_functions += 1
                    opened = _OpenFunction(
                        node, ".".join([*scopes, name]), None, len(tokens), len(marks)
                    )
                    opened.name_node = _name_node(node)
                    scopes.append(name)
                    pushed = True
                    docstring = _docstring(node)
                    if docstring is not None:
                        docstrings.add(docstring.start_byte)
                elif kind.is_class:
                    scopes.append(_class_name(node))
                    pushed = True
                if first_child():
                    ancestors.append((kind.name, opened, pushed, named))
                    continue
                if pushed:
                    scopes.pop()
                if opened is not None:
                    open_functions -= 1
        if not ancestors:  # back at `top`: never walk on to its siblings
            break
        if next_sibling():
            descend = True
            continue
        cursor.goto_parent()
        _name, closed, pushed, named = ancestors.pop()
        if named:
            add_mark(_CLOSE)
        if pushed:
            scopes.pop()
        if closed is not None:
            open_functions -= 1
            finished.append((closed, len(tokens), len(marks)))
        descend = False
    big_enough = []
    for function, token_end, mark_end in finished:
        node = function.node
        start_line, end_line = node.start_point[0], node.end_point[0]
        if end_line - start_line + 1 < MIN_LINES or token_end - function.first_token < MIN_TOKENS:
            continue
        big_enough.append(
            _Kept(
                function,
                start_line,
                end_line,
                function.first_token,
                token_end,
                function.first_mark,
                mark_end,
            )
        )
    if not big_enough:
        return _Walked([], _Grams([], []), _Grams([], []))
    token_grams, mark_grams = _kgram_hashes(tokens, K), _kgram_hashes(marks, SHAPE_K)
    # every window's smallest hash, once for the whole file: each function takes its slice
    # (a nested function's windows are not computed again for each function around it)
    return _Walked(
        big_enough,
        _Grams(token_grams, _window_minima(token_grams)),
        _Grams(mark_grams, _window_minima(mark_grams)),
    )


def _prints(source: SourceFile, walked: _Walked) -> list[FunctionPrint]:
    """The walk's kept functions as FunctionPrints, in source order."""
    span = _byte_span if source.is_ascii else source.span
    prints = [_finish(source, kept, walked, span) for kept in walked.kept]
    prints.sort(key=lambda item: item.start)
    return prints


def _leaf_token(
    node: tree_sitter.Node,
    field_name: str | None,
    ancestors: list[tuple[str, _OpenFunction | None, bool, bool]],
) -> str:
    """An identifier's token: its name where it names a member or a called function."""
    parent_type = ancestors[-1][0] if ancestors else ""
    if field_name in _MEMBER_FIELDS or (
        field_name == "name" and parent_type == "method_invocation"
    ):
        return "." + (node.text or b"").decode("utf-8", "replace")
    if field_name == "function" and parent_type in _CALL_TYPES:
        return (node.text or b"").decode("utf-8", "replace") + "("
    return "ID"


def _finish(
    source: SourceFile,
    kept: _Kept,
    walked: _Walked,
    span: Callable[[tree_sitter.Node], tuple[int, int]],
) -> FunctionPrint:
    function = kept.function
    node = function.node
    start, end = span(node)
    name_start, name_end = span(function.name_node or node)
    if function.name_node is None:  # an anonymous function: show the finding on its first line
        line_end = source.text.find("\n", start)
        name_start, name_end = start, end if line_end < 0 else min(end, line_end)
    return FunctionPrint(
        name=function.name,
        start=start,
        end=end,
        name_start=name_start,
        name_end=name_end,
        start_line=kept.start_line,
        end_line=kept.end_line,
        token_count=kept.token_end - kept.first_token,
        fingerprints=frozenset(
            _winnowed_hashes(walked.tokens, kept.first_token, kept.token_end, K)
        ),
        shape=frozenset(_winnowed_hashes(walked.marks, kept.first_mark, kept.mark_end, SHAPE_K)),
    )


def _byte_span(node: tree_sitter.Node) -> tuple[int, int]:
    """`SourceFile.span` of an ASCII file's node: its bytes are its characters."""
    return node.start_byte, node.end_byte


_TOKEN_CODES: dict[str, int] = {}


def _token_code(token: str) -> int:
    code = _TOKEN_CODES.get(token)
    if code is None:
        code = zlib.crc32(token.encode("utf-8", "surrogatepass")) + 1
        _TOKEN_CODES[token] = code
    return code


_STR, _NUM, _ID, _CLOSE = map(_token_code, ("STR", "NUM", "ID", ")"))
_COMMENT = 0  # no token
# One lookup for the node kinds that stand for their kind, not their text
_LITERALS = {
    **dict.fromkeys(COMMENT_TYPES, _COMMENT),
    **dict.fromkeys(STRING_TYPES, _STR),
    **dict.fromkeys(NUMBER_TYPES, _NUM),
}
_MAY_BE_FUNCTIONS = FUNCTION_TYPES | ANONYMOUS_FUNCTION_TYPES
_NO_FUNCTION_INSIDE = frozenset(
    {
        "expression_statement",
        "import_statement",
        "import_from_statement",
        "future_import_statement",
        "return_statement",
        "pass_statement",
        "break_statement",
        "continue_statement",
        "global_statement",
        "nonlocal_statement",
        "assert_statement",
        "delete_statement",
        "raise_statement",
        "print_statement",
        "exec_statement",
        "type_alias_statement",
    }
)


def _kgram_hashes(codes: list[int], k: int) -> list[int]:
    """The hash of every run of k consecutive codes (position i: codes[i:i + k]).

    `hash()` of a tuple of ints is the same in every process (only str and bytes hashes are
    salted), and computed in C: a rolling hash in Python cost three times the whole walk.
    Its value may change with the Python version: FINGERPRINT_SCHEME names it.
    """
    return list(map(hash, zip(*(codes[offset:] for offset in range(k)), strict=False)))


def _window_minima(grams: list[int], window: int = WINDOW) -> list[int]:
    """The smallest of every `window` consecutive values (position i: min(grams[i:i + window])).

    By doubling: the minima of windows of 2, then 4, ... each the smaller of two overlapping
    narrower ones; a comprehension comparing two values costs half of `map(min, ...)` over
    four (the winnowing of a large repository's functions was a tenth of learning it)."""
    minima, width = grams, 1
    while width * 2 <= window:
        minima = _pairwise_minima(minima, width)
        width *= 2
    if width < window:  # two windows of `width` cover one of `window`
        minima = _pairwise_minima(minima, window - width)
    return minima


def _pairwise_minima(values: list[int], apart: int) -> list[int]:
    """min(values[i], values[i + apart]) for every i that has both."""
    return [a if a < b else b for a, b in zip(values, values[apart:], strict=False)]


def _winnowed_hashes(
    grams: _Grams, first: int, end: int, k: int, window: int = WINDOW
) -> list[int]:
    """Winnowing over the k-grams lying wholly inside codes[first:end]: the smallest hash of
    every window of `window` consecutive k-grams (repeated where windows share it);
    `grams.minima` are the minima of windows of that size."""
    last = end - k + 1  # past the last k-gram inside
    if last <= first:
        return []
    if last - first <= window:
        return [min(grams.hashes[first:last])]
    return grams.minima[first : last - window + 1]


def winnow(tokens: list[str], k: int = K, window: int = WINDOW) -> frozenset[int]:
    """The winnowed fingerprints of a token sequence (what a function's are made of, by the
    same steps)."""
    codes = [_token_code(token) for token in tokens]
    hashes = _kgram_hashes(codes, k)
    grams = _Grams(hashes, _window_minima(hashes, window))
    return frozenset(_winnowed_hashes(grams, 0, len(codes), k, window))


def _function_name(node: tree_sitter.Node) -> str | None:
    """The name of a function definition node, or None when it is not one."""
    kind = node.type
    if kind in FUNCTION_TYPES:
        name = node.child_by_field_name("name")
        if name is None:
            return None
        return (name.text or b"").decode("utf-8", "replace")
    if kind in ANONYMOUS_FUNCTION_TYPES:
        parent = node.parent
        if parent is not None and parent.type in _NAMING_PARENTS:
            name = parent.child_by_field_name(_NAMING_PARENTS[parent.type])
            if name is not None and name.type in IDENTIFIER_TYPES | {"member_expression"}:
                return (name.text or b"").decode("utf-8", "replace").rsplit(".", 1)[-1]
    return None


def _name_node(node: tree_sitter.Node) -> tree_sitter.Node | None:
    if node.type in FUNCTION_TYPES:
        return node.child_by_field_name("name")
    parent = node.parent
    if parent is not None and parent.type in _NAMING_PARENTS:
        return parent.child_by_field_name(_NAMING_PARENTS[parent.type])
    return None


def _class_name(node: tree_sitter.Node) -> str:
    name = node.child_by_field_name("name") or node.child_by_field_name("type")
    return (name.text or b"").decode("utf-8", "replace") if name is not None else "?"


def _docstring(function: tree_sitter.Node) -> tree_sitter.Node | None:
    """A Python function's docstring statement: documentation, not code."""
    if function.type != "function_definition":
        return None
    body = function.child_by_field_name("body")
    first = body.named_child(0) if body is not None else None  # not a node per statement
    if first is None or first.type != "expression_statement" or first.named_child_count != 1:
        return None
    value = first.named_child(0)
    return first if value is not None and value.type in ("string", "concatenated_string") else None
