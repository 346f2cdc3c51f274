"""Library APIs used in Python code, as qualified names resolved through the file's imports.

`import itertools` + `itertools.groupby(...)` is a use of "itertools.groupby";
`import numpy as np` + `np.linalg.norm(v)` of "numpy.linalg.norm";
`from functools import singledispatch` + `@singledispatch` of "functools.singledispatch";
`from re import compile as rc` + `rc(...)` of "re.compile".

Every import of the file counts (wherever it is); only uses that start inside the asked byte
range are reported. A use is an attribute chain rooted at an imported name, cut at its public
level (`public_name`: submodules, then a function, object or class, then a method of a class):
`np.array(x).reshape` is a use of "numpy.array" (what a call returns is not resolved), and
`flask.g.db.row_factory` of "flask.g" (attributes of a value are not library APIs).
A module named alone (`print(itertools)`) is not a use of an API. Relative imports are the
project's own code and wildcard imports bind unknown names: neither is resolved.

Each use is returned as a `ConstructHit` whose construct has the id "api:<qualified name>", so
the familiarity profile treats library APIs and language constructs alike.
"""

from __future__ import annotations

import functools
import importlib.machinery
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import tree_sitter

from mindgap.knowledge.catalogue import Construct, ConstructHit
from mindgap.syntax.languages import language_named

LANGUAGE = "python"
FAMILY = "library API"
ID_PREFIX = "api:"

# Where an identifier is bound or named rather than read: (parent type, field or None for
# "any position"). A name in those places is not a use of the import it may share a name with.
_NOT_A_READ: dict[str, tuple[str, ...] | None] = {
    "dotted_name": None,  # imports, and dotted names in case patterns
    "aliased_import": None,
    "import_statement": None,
    "import_from_statement": None,
    "parameters": None,
    "lambda_parameters": None,
    "typed_parameter": None,
    "list_splat_pattern": None,
    "dictionary_splat_pattern": None,
    "global_statement": None,
    "nonlocal_statement": None,
    "as_pattern_target": None,
    "pattern_list": None,
    "tuple_pattern": None,
    "list_pattern": None,
    "keyword_pattern": None,
    "attribute": ("attribute",),
    "keyword_argument": ("name",),
    "default_parameter": ("name",),
    "typed_default_parameter": ("name",),
    "function_definition": ("name",),
    "class_definition": ("name",),
    "assignment": ("left",),
    "augmented_assignment": ("left",),
    "for_statement": ("left",),
    "for_in_clause": ("left",),
}


@dataclass(frozen=True)
class Import:
    """A name the file's imports bind, and what it stands for."""

    name: str  # as written in the code: "np"
    target: str  # the qualified name it is bound to: "numpy", "re.compile"
    module: str  # the module imported from: "numpy", "re"
    is_module: bool  # `import x` (a module) rather than `from m import x` (anything)


def imported_names(
    root: tree_sitter.Node, statements: list[tree_sitter.Node] | None = None
) -> dict[str, Import]:
    """Every name bound by an absolute import anywhere in the file (a later import of the
    same name wins, as it would when the module runs top to bottom)."""
    bound: dict[str, Import] = {}
    for statement in import_statements(root) if statements is None else statements:
        if statement.type == "import_statement":
            for name in statement.children_by_field_name("name"):
                if name.type == "aliased_import":
                    module = _text(name.child_by_field_name("name"))
                    alias = _text(name.child_by_field_name("alias"))
                    bound[alias] = Import(alias, module, module, is_module=True)
                elif name.type == "dotted_name":  # `import os.path` binds `os`
                    top = _text(name).split(".", 1)[0]
                    bound[top] = Import(top, top, top, is_module=True)
            continue
        module_name = statement.child_by_field_name("module_name")
        if module_name is None or module_name.type != "dotted_name":  # relative: own code
            continue
        module = _text(module_name)
        for name in statement.children_by_field_name("name"):
            if name.type == "aliased_import":
                member = _text(name.child_by_field_name("name"))
                alias = _text(name.child_by_field_name("alias"))
            else:
                member = alias = _text(name)
            bound[alias] = Import(alias, f"{module}.{member}", module, is_module=False)
    return bound


def find_api_uses(
    root: tree_sitter.Node, start_byte: int = 0, end_byte: int | None = None
) -> list[ConstructHit]:
    """Library APIs used by code starting inside [start_byte, end_byte), in source order;
    the names its imports bring in are not uses (a finding belongs where the API is used)."""
    end = root.end_byte if end_byte is None else end_byte
    return find_api_uses_in(root, [(start_byte, end)], imports_are_uses=False)


def find_api_uses_in(
    root: tree_sitter.Node,
    spans: list[tuple[int, int]],
    imports_are_uses: bool = True,
    bound_names: Mapping[str, Import] | None = None,
    statements: list[tree_sitter.Node] | None = None,
) -> list[ConstructHit]:
    """Library APIs used by code starting inside any of the byte `spans`, resolved through
    the imports of the whole file (read once): what the history and `check` both call.

    With `imports_are_uses` (the history's reading), a member named in a `from m import x`
    inside the spans is a use of `m.x` too: whoever typed the import knows the API, even
    when the lines using it were written before it (an import changed to another module
    later, as `from ..wrappers import Response` became werkzeug's), so a line the developer
    wrote can never be "never used" by him.

    `bound_names`: what the file's imports bind, when `root` is only a part of the file
    (knowledge/outline.py); its own import statements are still the ones in the spans.
    `statements`: the import statements of `root`, when the caller has found them."""
    if statements is None:
        statements = import_statements(root)  # found once: both readings need them
    imported = imported_names(root, statements) if bound_names is None else bound_names
    bound = {name.encode("utf-8"): binding for name, binding in imported.items()}
    if not bound:
        return []
    cursor = tree_sitter.QueryCursor(_identifiers_query())
    hits = _imported_members(statements, spans) if imports_are_uses else []
    for start_byte, end in spans:
        cursor.set_byte_range(start_byte, end)
        for node in cursor.captures(root).get("identifier", []):
            binding = bound.get(node.text or b"")
            if binding is None or not start_byte <= node.start_byte < end:
                continue
            if not _is_read(node) or _is_parameter_in_scope(node, binding.name):
                continue
            chain, attributes = _attribute_chain(node)
            public = public_name(binding, attributes)
            if public is None:
                continue
            qualified, kept = public
            use = chain[kept]
            hits.append(
                ConstructHit(
                    api_construct(qualified, binding.module),
                    use.start_byte,
                    use.end_byte,
                    (use.start_point.row, use.start_point.column),
                    (use.end_point.row, use.end_point.column),
                )
            )
    hits.sort(key=lambda hit: (hit.start_byte, hit.construct.id))
    return hits


def _imported_members(
    statements: list[tree_sitter.Node], spans: list[tuple[int, int]]
) -> list[ConstructHit]:
    """`from m import x` statements starting inside the spans, as uses of `m.x` (at its
    public level; modules, private and relative imports are no APIs)."""
    hits = []
    for statement in statements:
        if statement.type != "import_from_statement":
            continue
        if not any(start <= statement.start_byte < end for start, end in spans):
            continue
        module_name = statement.child_by_field_name("module_name")
        if module_name is None or module_name.type != "dotted_name":
            continue
        module = _text(module_name)
        for name in statement.children_by_field_name("name"):
            member = name.child_by_field_name("name") if name.type == "aliased_import" else name
            if member is None:
                continue
            binding = Import(_text(member), f"{module}.{_text(member)}", module, is_module=False)
            public = public_name(binding, [])
            if public is None or _is_module(public[0]):
                continue
            hits.append(
                ConstructHit(
                    api_construct(public[0], module),
                    member.start_byte,
                    member.end_byte,
                    (member.start_point.row, member.start_point.column),
                    (member.end_point.row, member.end_point.column),
                )
            )
    return hits


def is_standard_library(qualified_name: str) -> bool:
    return qualified_name.split(".", 1)[0] in sys.stdlib_module_names


@functools.cache
def api_construct(qualified_name: str, module: str | None = None) -> Construct:
    """The construct standing for one library API, e.g. "api:itertools.groupby"."""
    module = module or qualified_name.rsplit(".", 1)[0]
    if is_standard_library(qualified_name):
        origin = f"the {module} module of the standard library"
    else:
        origin = f"the {module} module (not in the standard library)"
    return Construct(
        LANGUAGE,
        f"{ID_PREFIX}{qualified_name}",
        qualified_name,
        FAMILY,
        f"`{qualified_name}` from {origin}",
    )


def public_name(binding: Import, attributes: list[str]) -> tuple[str, int] | None:
    """The library API a use stands for, at its public level, and how many of `attributes`
    it keeps; None when it names no public API (a module alone, a private name).

    Past the imported name, submodules are followed (`os.path.join`, `numpy.linalg.norm`,
    when the package on disk has them), then one function, object or class, and a method
    after a class (`pathlib.Path.home`). Attributes of values are not APIs: `flask.g.db`
    is `flask.g`, `StringIO.StringIO.StringIO` is `StringIO.StringIO`.
    """
    if any(_is_private(part) for part in binding.target.split(".")):
        return None
    module_parts = binding.module.split(".")
    prefix = binding.target.split(".")
    rest = prefix[len(module_parts) :] + attributes
    kept = list(module_parts)
    for index, part in enumerate(rest):
        if _is_private(part) or part.startswith("__"):
            break
        kept.append(part)
        if part[:1].isupper():
            following = rest[index + 1] if index + 1 < len(rest) else ""
            if not part.isupper() and following[:1].islower() and not _is_private(following):
                kept.append(following)  # a method (or attribute) of a library class
            break
        if not _is_module(".".join(kept)):
            break
    name = ".".join(kept)
    if len(kept) == len(module_parts) and binding.is_module:
        return None  # the module itself, named alone
    if len(kept) < len(prefix):
        return None  # `from m import _private`
    return name, len(kept) - len(prefix)


def _is_private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


# modules reached as attributes of a module that is not a package
_MODULE_ATTRIBUTES = frozenset({"os.path"})


@functools.lru_cache(maxsize=4096)
def _is_module(name: str) -> bool:
    """Whether `name` ("os.path", "xml.etree") is a module, judged from the files of the
    installed package, never by importing it; unknown packages have no submodules."""
    if name in _MODULE_ATTRIBUTES:
        return True
    parts = name.split(".")
    if len(parts) == 1:
        return False  # a top-level name past the module is a member, not a module
    try:
        spec = importlib.machinery.PathFinder.find_spec(parts[0])
    except (ImportError, ValueError, OSError):
        return False
    if spec is None or not spec.submodule_search_locations:
        return False
    folders = [Path(folder) for folder in spec.submodule_search_locations]
    for part in parts[1:-1]:
        folders = [folder / part for folder in folders if (folder / part).is_dir()]
    last = parts[-1]
    for folder in folders:
        if (folder / last).is_dir() or (folder / f"{last}.py").is_file():
            return True
        if any(folder.glob(f"{last}.*.so")) or any(folder.glob(f"{last}.*.pyd")):
            return True
    return False


def _attribute_chain(node: tree_sitter.Node) -> tuple[list[tree_sitter.Node], list[str]]:
    """The nodes of `a`, `a.b`, `a.b.c`... rooted at `node`, and the attribute names."""
    chain = [node]
    attributes = []
    while (parent := node.parent) is not None and parent.type == "attribute":
        if parent.child_by_field_name("object") != node:
            break
        attribute = parent.child_by_field_name("attribute")
        if attribute is None:  # incomplete code: `np.`
            break
        attributes.append(_text(attribute))
        node = parent
        chain.append(node)
    return chain, attributes


def _is_read(node: tree_sitter.Node) -> bool:
    parent = node.parent
    if parent is None or parent.type not in _NOT_A_READ:
        return True
    fields = _NOT_A_READ[parent.type]
    if fields is None:
        return False
    return all(parent.child_by_field_name(field) != node for field in fields)


def _is_parameter_in_scope(node: tree_sitter.Node, name: str) -> bool:
    """Whether an enclosing function or lambda has a parameter `name`, which hides the import
    (`def plot(np): np.array(...)` does not use numpy)."""
    scope = node.parent
    while scope is not None:
        if scope.type in ("function_definition", "lambda"):
            parameters = scope.child_by_field_name("parameters")
            if parameters is not None and name in _parameter_names(parameters):
                return True
        scope = scope.parent
    return False


def _parameter_names(parameters: tree_sitter.Node) -> set[str]:
    names = set()
    for parameter in parameters.named_children:
        if parameter.type in ("default_parameter", "typed_default_parameter"):
            parameter = parameter.child_by_field_name("name") or parameter
        elif parameter.type == "typed_parameter" and parameter.named_children:
            parameter = parameter.named_children[0]
        if parameter.type in ("list_splat_pattern", "dictionary_splat_pattern"):
            parameter = parameter.named_children[0] if parameter.named_children else parameter
        if parameter.type == "identifier":
            names.add(_text(parameter))
    return names


def import_statements(root: tree_sitter.Node) -> list[tree_sitter.Node]:
    """The file's import statements, in source order.

    Found from where the word `import` occurs in the text rather than by a query over the
    whole tree: a byte search is ~50 times faster on a 2,000-line file, and every import
    statement contains the keyword (occurrences in strings, comments and names are skipped).
    """
    source = root.text or b""  # trees are parsed from bytes, which they keep
    statements = []
    offset = source.find(b"import")
    while offset >= 0:
        start = root.start_byte + offset
        keyword = root.descendant_for_byte_range(start, start + len(b"import"))
        statement = keyword.parent if keyword is not None else None
        if (
            keyword is not None
            and keyword.type == "import"
            and statement is not None
            and statement.type in ("import_statement", "import_from_statement")
        ):
            statements.append(statement)
        offset = source.find(b"import", offset + 1)
    return statements


def _text(node: tree_sitter.Node | None) -> str:
    if node is None:
        return ""
    return (node.text or b"").decode("utf-8", errors="replace")


@functools.cache
def _identifiers_query() -> tree_sitter.Query:
    return tree_sitter.Query(language_named(LANGUAGE).grammar, "(identifier) @identifier")


_NOT_SOURCE_FOLDERS = frozenset(
    {"node_modules", "site-packages", "venv", "build", "dist", "__pycache__", "vendor"}
)
LOCAL_MODULE_DEPTH = 4


def local_top_level_modules(root: Path | None) -> frozenset[str]:
    """Top-level Python modules the repository defines itself, wherever they sit (at its
    root, under src/, server/mindgap here, an example's own package as examples/tutorial/
    flaskr): their functions are the project's own code, not a library the developer may
    not know. A package's own modules are not top-level names: its folder is not entered."""
    if root is None or not root.is_dir():
        return frozenset()
    names: set[str] = set()
    folders = [(root, 0)]
    while folders:
        folder, depth = folders.pop()
        try:
            entries = list(folder.iterdir())
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or entry.name in _NOT_SOURCE_FOLDERS:
                continue
            # deeper down, a standard library name is more likely a script's than a shadow
            found = entry.stem if entry.suffix == ".py" else entry.name
            if depth >= 2 and found in sys.stdlib_module_names:
                continue
            if entry.suffix == ".py" and entry.is_file():
                names.add(found)
            elif entry.is_dir():
                if (entry / "__init__.py").is_file():
                    names.add(found)
                elif depth + 1 < LOCAL_MODULE_DEPTH and not (entry / "pyvenv.cfg").exists():
                    folders.append((entry, depth + 1))
    return frozenset(name for name in names if name.isidentifier())


# a path to a module's file: `site_app.py`, `pkg/site_package/__init__.py`
_MODULE_FILE = re.compile(r"(?:^|[/\\])([A-Za-z_]\w*)(?:\.py|[/\\]__init__\.py)$")
_PATH_CALLS = frozenset({"join", "joinpath", "Path", "PurePath", "mkdir", "makedirs"})


def modules_created_in(root: tree_sitter.Node) -> frozenset[str]:
    """Top-level modules a Python file makes itself - a test that writes `site_app.py`, or a
    folder `site_package` with its `__init__.py`, then imports it: the names of its string
    literals that are a module's file (`"site_app.py"`), or a bare name joined into a path
    (`folder / "site_package"`, `os.path.join(folder, "site_package")`). Their APIs are the
    file's own code, not a library's."""
    names: set[str] = set()
    for node in tree_sitter.QueryCursor(_strings_query()).captures(root).get("string", []):
        pieces = node.named_children
        if any(piece.type == "interpolation" for piece in pieces):
            continue
        text = "".join(
            (piece.text or b"").decode("utf-8", "replace")
            for piece in pieces
            if piece.type == "string_content"
        )
        module_file = _MODULE_FILE.search(text)
        if module_file is not None:
            names.add(module_file.group(1))
        elif text.isidentifier() and _joined_into_path(node):
            names.add(text)
    return frozenset(names)


def _joined_into_path(string: tree_sitter.Node) -> bool:
    parent = string.parent
    if parent is None:
        return False
    if parent.type == "binary_operator":
        operator = parent.child_by_field_name("operator")
        return operator is not None and operator.type == "/"
    call = parent.parent if parent.type == "argument_list" else None
    function = call.child_by_field_name("function") if call is not None else None
    if function is None:
        return False
    name = _text(function).rsplit(".", 1)[-1]
    return name in _PATH_CALLS


@functools.cache
def _strings_query() -> tree_sitter.Query:
    return tree_sitter.Query(language_named(LANGUAGE).grammar, "(string) @string")
