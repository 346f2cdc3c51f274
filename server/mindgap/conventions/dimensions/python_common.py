"""What the Python observers share: compiled queries, docstrings, imports, text of nodes.

Not a dimension (it defines no `OBSERVERS`). Every observer runs one or two tree-sitter
queries over the whole file (they run in C) and looks only at what they capture: a walk
over every node in Python would cost ten times more on a large repository. When the file
is focused on a region (checking foreign code), the queries search only the part of the
tree that overlaps the region; what an observer needs from the whole file (its imports, its
`__main__` block, its loggers) comes from `file_captures`, which finds those few sites from
the words they must contain instead of searching the whole tree.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import tree_sitter

from mindgap.conventions.dimensions._tree_queries import span  # the other languages' too
from mindgap.conventions.model import Observation, SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.limits import query_cursor

PYTHON = frozenset({"python"})
FUNCTION_SCOPES = frozenset({"function_definition", "lambda", "class_definition", "module"})


# Every observer's query, under a prefix of its own: they run as one query, once per tree.
# Each query alone costs a full traversal of the tree (about 1.5 ms per 1,000 lines);
# twelve of them cost four times what their union does.
_PREFIXES: dict[str, str] = {}
_CAPTURE = re.compile(r"@([A-Za-z_][\w.]*)")


_REGISTERING = threading.Lock()  # the server may observe from several threads
_TESTS_ONLY: set[str] = set()  # queries only test files are asked (register)


def _register(query: str) -> tuple[str, tuple[str, ...]]:
    """The query's capture prefix, and every query registered so far."""
    with _REGISTERING:
        prefix = _PREFIXES.get(query)
        if prefix is None:
            prefix = _PREFIXES[query] = f"q{len(_PREFIXES)}_"
        return prefix, tuple(_PREFIXES)


def register(query: str, *, tests_only: bool = False) -> str:
    """Add an observer's query to the shared one, at import: compiling the union once costs
    a tenth of compiling it again as each observer first asks (about 20 ms against 180).
    `tests_only`: asked only of test files, so other files' union leaves it out."""
    _register(query)
    if tests_only:
        with _REGISTERING:
            _TESTS_ONLY.add(query)
    return query


@functools.cache
def _without_tests_only(queries: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(query for query in queries if query not in _TESTS_ONLY)


def _prefixed(query: str) -> str:
    prefix = _PREFIXES[query]
    return _CAPTURE.sub(lambda match: f"@{prefix}{match.group(1)}", query)


@functools.cache
def _compiled(queries: tuple[str, ...]) -> tree_sitter.Query:
    return tree_sitter.Query(language_named("python").grammar, "\n".join(map(_prefixed, queries)))


@functools.lru_cache(maxsize=4)
def _all_captures(
    tree: tree_sitter.Tree, queries: tuple[str, ...], byte_range: tuple[int, int] | None
) -> dict[str, list[tree_sitter.Node]]:
    cursor = query_cursor(_compiled(queries))
    if byte_range is not None:
        # matches that overlap the range, enclosing statements included: the cursor does
        # not descend into the subtrees around it
        cursor.set_byte_range(*byte_range)
    return cursor.captures(tree.root_node)


def captures(source: SourceFile, query: str) -> dict[str, list[tree_sitter.Node]]:
    """Every capture of `query` over the file (over the part that overlaps its focus, when
    it has one), by capture name.

    The first call for a tree runs every registered query at once and keeps the result for
    the others. Observers register their queries at import (`register`); a query registered
    only by its first use here costs a compilation and a traversal more.
    """
    prefix, queries = _register(query)
    if not source.is_test and query not in _TESTS_ONLY:
        queries = _without_tests_only(queries)  # a sixth less to match in a code file
    found = _all_captures(source.tree, queries, source.focus_bytes())
    return {name[len(prefix) :]: nodes for name, nodes in found.items() if name.startswith(prefix)}


@functools.cache
def _compiled_alone(query: str) -> tree_sitter.Query:
    return tree_sitter.Query(language_named("python").grammar, query)


def file_captures(
    source: SourceFile, query: str, anchor: re.Pattern[bytes]
) -> dict[str, list[tree_sitter.Node]]:
    """Every capture of `query` over the whole file, focus or not.

    Every match of `query` must contain a match of `anchor` (the word `import` in an import
    statement): with a focus, only the parts of the tree around the anchor's matches are
    searched, so file-wide facts cost a few lookups instead of a traversal of the file.
    """
    if source.focus is None:
        return captures(source, query)
    return _anchored_captures(source.tree, query, anchor)


def word_anchor(*words: str) -> re.Pattern[bytes]:
    """An anchor matching any of `words` as a whole word, like rb"\\b(?:a|b)\\b" but ten
    times faster: a pattern that starts with `\\b` cannot search for its literal first, and
    scanning a file for it cost a quarter of a millisecond per paste. The word's start is
    checked just after its first character instead (nothing word-like before that one)."""
    alternatives = (
        re.escape(word[:1].encode()) + rb"(?<!\w.)" + re.escape(word[1:].encode())
        for word in sorted(words)
    )
    return re.compile(rb"(?:" + rb"|".join(alternatives) + rb")\b", re.DOTALL)


@functools.lru_cache(maxsize=8)
def _anchored_captures(
    tree: tree_sitter.Tree, query: str, anchor: re.Pattern[bytes]
) -> dict[str, list[tree_sitter.Node]]:
    root = tree.root_node
    content = root.text or b""  # from the root's start: leading blank lines are not in it
    cursor = query_cursor(_compiled_alone(query))
    found: dict[str, dict[int, tree_sitter.Node]] = {}
    for match in anchor.finditer(content):
        cursor.set_byte_range(root.start_byte + match.start(), root.start_byte + match.end())
        for name, nodes in cursor.captures(tree.root_node).items():
            unique = found.setdefault(name, {})
            for node in nodes:
                unique.setdefault(node.id, node)
    return {
        name: sorted(nodes.values(), key=lambda node: node.start_byte)
        for name, nodes in found.items()
    }


def forget_trees() -> None:
    """Let go of the last trees' query results (and so of the trees): after learning, the
    repository's trees are not queried again, and a file's tree would otherwise stay in
    memory beside the one its open document holds."""
    _all_captures.cache_clear()
    _anchored_captures.cache_clear()
    _LAST_IMPORTS.value = None  # this thread's


def ascii_text(source: SourceFile) -> str | None:
    """The file's text when it is ASCII: byte offsets are then character offsets, and a
    node's text is a slice of it (a third of what decoding `node.text` costs)."""
    return source.text if source.is_ascii else None


def text(node: tree_sitter.Node | None) -> str:
    """The source text of a node (trees are parsed from bytes, so nodes carry their text)."""
    data = node.text if node is not None else None  # each .text is a new bytes object
    return "" if data is None else data.decode("utf-8", "replace")


def observe(
    source: SourceFile,
    dimension: str,
    aspect: str,
    choice: str,
    node: tree_sitter.Node,
    rewrites: Mapping[str, str] | None = None,
    *,
    end_node: tree_sitter.Node | None = None,
) -> Observation:
    """An observation whose site is `node` (through `end_node`, when given)."""
    start, end = span(source, node)
    if end_node is not None:
        end = span(source, end_node)[1]
    return _observation((dimension, aspect, choice, start, end, dict(rewrites) if rewrites else {}))


# Observation(...) runs the named tuple's __new__ in Python; learning makes 200,000
_observation = functools.partial(tuple.__new__, Observation)


def by_position(observations: Iterable[Observation]) -> list[Observation]:
    return sorted(observations, key=lambda o: (o.start, o.end, o.aspect))


def is_docstring(string: tree_sitter.Node) -> bool:
    """A string that is the first statement of a module, class or function body."""
    statement = string.parent
    if statement is None or statement.type != "expression_statement":
        return False
    if statement.named_child_count != 1:
        return False
    body = statement.parent
    if body is None:
        return False
    if body.type == "block":
        owner = body.parent
        if owner is None or owner.type not in ("function_definition", "class_definition"):
            return False
    elif body.type != "module":
        return False
    first = _first_statement(body)
    return first is not None and first.id == statement.id


def _first_statement(body: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first named child that is not a comment (without making a node of every
    statement of a long body, as `named_children` does)."""
    for position in range(body.named_child_count):
        child = body.named_child(position)
        if child is not None and child.type != "comment":
            return child
    return None


def docstring_of(definition: tree_sitter.Node) -> tree_sitter.Node | None:
    """The docstring node of a function or class definition, if it has one."""
    body = definition.child_by_field_name("body")
    if body is None:
        return None
    first = _first_statement(body)
    if first is None or first.type != "expression_statement" or first.named_child_count != 1:
        return None
    value = first.named_child(0)
    if value is None:
        return None
    return value if value.type in ("string", "concatenated_string") else None


def enclosing(node: tree_sitter.Node, types: frozenset[str]) -> tree_sitter.Node | None:
    parent = node.parent
    while parent is not None and parent.type not in types:
        parent = parent.parent
    return parent


def decorators(definition: tree_sitter.Node) -> list[str]:
    """The decorators of a definition, as written without the '@' ('app.route("/")')."""
    parent = definition.parent
    if parent is None or parent.type != "decorated_definition":
        return []
    return [text(c).lstrip("@").strip() for c in parent.children if c.type == "decorator"]


@dataclass
class Imports:
    """What the names bound by a file's imports stand for.

    `modules` maps a local name to the module it is (`np` -> numpy, `osp` -> os.path, `os`
    -> os); `names` maps a local name to the qualified object it was imported as
    (`Path` -> pathlib.Path, `join` -> os.path.join).
    """

    modules: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def head(node: tree_sitter.Node) -> tree_sitter.Node | None:
        """The name a dotted expression starts from (`os` in `os.path.join`), if it is one."""
        while node.type == "attribute":
            object_node = node.child_by_field_name("object")
            if object_node is None:
                break
            node = object_node
        return node if node.type == "identifier" else None

    def binds_head(self, node: tree_sitter.Node) -> bool:
        """Whether an import binds the name the expression starts from: else `qualified`
        is ''."""
        head = self.head(node)
        if head is None:
            return False
        name = text(head)
        return name in self.names or name in self.modules

    def qualified(self, node: tree_sitter.Node) -> str:
        """`np.array` -> numpy.array, `Path` -> pathlib.Path; '' when not from an import."""
        if node.type == "identifier":
            name = text(node)
            return self.names.get(name) or self.modules.get(name, "")
        if node.type == "attribute":
            head = node.child_by_field_name("object")
            attribute = node.child_by_field_name("attribute")
            if head is None or attribute is None:
                return ""
            base = self.qualified(head)
            return f"{base}.{text(attribute)}" if base else ""
        return ""


# Every call of a name or a dotted name (async, path-handling)
CALLS = register("(call function: [(identifier) (attribute)] @function)")

_IMPORTS_QUERY = register(
    """
(import_statement) @import
(import_from_statement) @from
"""
)
_IMPORT_WORD = word_anchor("import")


def _imports_of(found: dict[str, list[tree_sitter.Node]]) -> Imports:
    imports = Imports()
    for statement in found.get("import", []):
        for item in statement.children_by_field_name("name"):
            if item.type == "aliased_import":
                module = text(item.child_by_field_name("name"))
                imports.modules[text(item.child_by_field_name("alias"))] = module
            else:
                # `import os.path` binds `os`, and makes `os.path` reachable through it
                module = text(item)
                imports.modules[module.split(".")[0]] = module.split(".")[0]
    for statement in found.get("from", []):
        module_node = statement.child_by_field_name("module_name")
        if module_node is None or module_node.type == "relative_import":
            continue
        module = text(module_node)
        for item in statement.children_by_field_name("name"):
            if item.type == "aliased_import":
                name = text(item.child_by_field_name("name"))
                local = text(item.child_by_field_name("alias"))
            else:
                name = local = text(item)
            imports.names[local] = f"{module}.{name}"
    return imports


_LAST_IMPORTS = threading.local()  # (tree, imports) of the last file asked about


def imports_of(source: SourceFile) -> Imports:
    """The file's imports, wherever they are (computed once per tree: several observers
    ask; a focused file has the same imports as the whole file)."""
    last = getattr(_LAST_IMPORTS, "value", None)
    if last is not None and last[0] is source.tree:
        imports: Imports = last[1]
        return imports
    imports = _imports_of(file_captures(source, _IMPORTS_QUERY, _IMPORT_WORD))
    _LAST_IMPORTS.value = (source.tree, imports)
    return imports
