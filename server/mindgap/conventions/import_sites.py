"""The packages a file imports, per language, with where each import names its package.

Python: `import a.b`, `import a as x`, `from a.b import c` (the top-level module `a`);
relative imports are the project's own code. JavaScript / TypeScript: `import ... from "p"`,
`export ... from "p"`, `require("p")`, `import("p")`, TypeScript's `import x = require("p")`
(the raw specifier; packages are named later). Go: import paths. Rust: the first segment of
`use` paths and `extern crate` names.

An import inside a `try` whose handlers catch ImportError (Python) is optional by design and
marked as guarded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import tree_sitter

from mindgap.conventions.dimensions import python_common
from mindgap.conventions.model import SourceFile
from mindgap.syntax.languages import language_named
from mindgap.syntax.limits import query_cursor

ECOSYSTEMS = {
    "python": "python",
    "javascript": "javascript",
    "typescript": "javascript",
    "tsx": "javascript",
    "go": "go",
    "rust": "rust",
}


@dataclass(frozen=True)
class ImportSite:
    name: str  # top-level module, JS specifier, Go import path, Rust first path segment
    start: int  # character offsets of the name in the file's text
    end: int
    guarded: bool = False  # inside `try: ... except ImportError`


_QUERIES = {
    "python": """
        (import_statement name: (dotted_name) @module)
        (import_statement name: (aliased_import name: (dotted_name) @module))
        (import_from_statement module_name: (dotted_name) @module)
    """,
    "javascript": """
        (import_statement source: (string (string_fragment) @specifier))
        (export_statement source: (string (string_fragment) @specifier))
        (call_expression
            function: [(identifier) (import)] @callee
            arguments: (arguments . (string (string_fragment) @specifier)))
    """,
    "go": "(import_spec path: (_) @path)",
    "rust": """
        (use_declaration argument: (_) @use)
        (extern_crate_declaration name: (identifier) @crate)
    """,
}
_TYPESCRIPT_EXTRA = "(import_require_clause source: (string (string_fragment) @specifier))"
python_common.register(_QUERIES["python"])


@functools.cache
def _query(language: str) -> tree_sitter.Query:
    ecosystem = ECOSYSTEMS[language]
    source = _QUERIES[ecosystem]
    if language in ("typescript", "tsx"):
        source += _TYPESCRIPT_EXTRA
    return tree_sitter.Query(language_named(language).grammar, source)


def import_sites(
    source: SourceFile, start: int | None = None, end: int | None = None
) -> list[ImportSite]:
    """Every import of the file, in source order; or those overlapping text[start:end]."""
    if source.language not in ECOSYSTEMS:
        return []
    root = source.tree.root_node
    if source.language == "python" and "import" not in source.text[start:end]:
        return []  # most of the cost of a query is walking a tree with nothing to find
    if source.language == "python" and start is None and end is None and source.focus is None:
        # a whole Python file: the observers' shared query already found them (one pass)
        captures = python_common.captures(source, _QUERIES["python"])
    else:
        cursor = query_cursor(_query(source.language))
        if start is not None and end is not None:
            cursor.set_byte_range(source.index.byte_offset(start), source.index.byte_offset(end))
        captures = cursor.captures(root)
    ecosystem = ECOSYSTEMS[source.language]
    sites: list[ImportSite] = []
    if ecosystem == "python":
        for node in captures.get("module", []):
            first = node.named_children[0] if node.named_children else node
            start, end = source.span(first)
            sites.append(ImportSite(source.text[start:end], start, end, _is_guarded(node)))
    elif ecosystem == "javascript":
        for node in captures.get("specifier", []):
            if _is_call_argument(node) and not _is_require_or_import(node):
                continue
            start, end = source.span(node)
            sites.append(ImportSite(source.text[start:end], start, end))
    elif ecosystem == "go":
        for node in captures.get("path", []):
            start, end = source.span(node)
            text = source.text[start:end]
            if len(text) >= 2 and text[0] in '"`':
                start, end, text = start + 1, end - 1, text[1:-1]
            sites.append(ImportSite(text, start, end))
    else:
        for node in captures.get("use", []):
            segment = _first_path_segment(node)
            if segment is not None:
                start, end = source.span(segment)
                sites.append(ImportSite(source.text[start:end], start, end))
        for node in captures.get("crate", []):
            start, end = source.span(node)
            sites.append(ImportSite(source.text[start:end], start, end))
    sites.sort(key=lambda site: site.start)
    return sites


def _is_call_argument(node: tree_sitter.Node) -> bool:
    string = node.parent
    return string is not None and string.parent is not None and string.parent.type == "arguments"


def _is_require_or_import(node: tree_sitter.Node) -> bool:
    call = node.parent.parent.parent if node.parent and node.parent.parent else None
    callee = call.child_by_field_name("function") if call is not None else None
    if callee is None:
        return False
    return callee.type == "import" or (callee.text or b"") == b"require"


def _first_path_segment(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The leftmost name of a Rust use path: `serde` in `use serde::{de, Deserialize}`."""
    current: tree_sitter.Node | None = node
    while current is not None:
        if current.type in ("identifier", "crate", "self", "super", "metavariable"):
            return current
        if current.type == "use_list":  # `use {a, b}`: several roots, none to name
            return None
        path = current.child_by_field_name("path")
        if path is None and current.type == "scoped_identifier":
            # `use ::bar::baz` has no path on the innermost scope: its name is the crate
            return current.child_by_field_name("name")
        if path is None:
            path = current.named_children[0] if current.named_children else None
        current = path
    return None


_IMPORT_ERRORS = (b"ImportError", b"ModuleNotFoundError", b"Exception")


def _is_guarded(node: tree_sitter.Node) -> bool:
    child, parent = node, node.parent
    while parent is not None:
        if parent.type == "try_statement" and parent.child_by_field_name("body") == child:
            for clause in parent.named_children:
                if clause.type == "except_clause" and (
                    any(word in (clause.text or b"") for word in _IMPORT_ERRORS)
                    or len(clause.named_children) <= 1  # a bare `except:` with its block
                ):
                    return True
        if parent.type in ("function_definition", "class_definition", "module"):
            return False
        child, parent = parent, parent.parent
    return False
